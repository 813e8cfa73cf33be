import {
  fitSpecFor,
  fitText,
  htmlToText,
  imageIssues,
  truncate,
  type AssetRequest,
  type ConstraintIssue,
  type ManuscriptInput,
  type RenderContext,
  type Rendition,
} from '@tongfa/plugin-sdk';
import { manifest, SUMMARY_MAX } from './manifest';
import { categoryOf } from './settings';

/** What publish sends, with logical field names (publish renames them per the deployment's fieldMap). */
export interface NanfangPayload {
  title: string;
  summary: string;
  /** HTML as the editor produced it (already sanitised by the hub). */
  content: string;
  source: string;
  sourceType: 'original' | 'reprint';
  sourceUrl?: string;
  category: string;
  /** Asset key of the cover; publish uploads it first. */
  coverKey?: string;
}

// Grapheme segmentation of a whole long article takes seconds; the summary needs only its start.
function head(text: string, units = SUMMARY_MAX * 8): string {
  return text.length <= units ? text : text.slice(0, units).replace(/[\uD800-\uDBFF]$/, '');
}

/** Pure: the same manuscript and settings always give the same rendition. */
export function renderNanfang(input: ManuscriptInput, ctx: RenderContext): Rendition<NanfangPayload> {
  const warnings: ConstraintIssue[] = [];
  const violations: ConstraintIssue[] = [];
  const c = manifest.constraints;

  // Titles are not cut: a truncated headline changes its meaning; the editor rewrites it.
  const title = fitText('title', input.title.trim(), c.title, { truncate: false });
  if (title.violation) violations.push(title.violation);

  const text = htmlToText(input.bodyHtml).trim();
  const summary = fitText(
    'summary',
    input.summary.trim() || truncate(head(text.replace(/\s+/g, ' ')), SUMMARY_MAX, 'codePoints'),
    c.summary,
    {
      truncate: true,
    },
  );
  if (summary.warning) warnings.push(summary.warning);

  // HTML cannot be cut safely (an open tag, half a table): too long is for the editor to fix.
  const content = fitText('body', input.bodyHtml, c.body, { truncate: false });
  if (content.violation) violations.push(content.violation);
  if (!text) violations.push({ constraint: 'body.min', message: '正文为空 / the article body is empty', limit: 1, actual: 0 });

  const reprint = input.source.type === 'reprint';
  const source = reprint ? (input.source.unitName ?? '') : (input.unitName ?? ctx.account.name);
  if (reprint && !input.source.unitName) {
    violations.push({ constraint: 'source.unitName', message: '转载须注明来源单位 / a reprint must name its source' });
  }

  let category: string = input.category;
  try {
    category = categoryOf(ctx.settings, input.category);
  } catch (e) {
    violations.push({ constraint: 'category', message: `栏目映射配置错误 / categoryMap setting is invalid: ${(e as Error).message}` });
  }

  const assets: AssetRequest[] = [];
  if (input.cover) {
    violations.push(...imageIssues(input.cover, c.cover!, 'cover'));
    assets.push({
      key: 'cover',
      ref: input.cover.ref,
      role: 'cover',
      spec: { ...fitSpecFor(input.cover, c.cover!), focus: input.cover.focus },
    });
  }

  return {
    payload: {
      title: title.text,
      summary: summary.text,
      content: input.bodyHtml,
      source,
      sourceType: reprint ? 'reprint' : 'original',
      sourceUrl: reprint ? input.source.url : undefined,
      category,
      coverKey: input.cover ? 'cover' : undefined,
    },
    fields: { title: title.text, body: input.bodyHtml, summary: summary.text },
    assets,
    warnings,
    violations,
  };
}
