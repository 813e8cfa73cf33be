import {
  countWith,
  fitSpecFor,
  fitText,
  htmlToText,
  imageIssues,
  truncate,
  type AssetDescriptor,
  type AssetRequest,
  type ConstraintIssue,
  type ManuscriptInput,
  type RenderContext,
  type Rendition,
} from '@tongfa/plugin-sdk';
import { ARTICLE_CONTENT_MAX, manifest, STATUS_MAX } from './manifest';
import { MARKER_PLACEHOLDER } from './marker';
import { settingsOf } from './settings';

/** A short post through `statuses/share.json`. */
export interface WeiboSharePayload {
  kind: 'share';
  /** The status without the idempotency marker; publish adds it to `link`'s query string. */
  status: string;
  /** The URL under the safe domain that the status contains. */
  link: string;
  /** Asset key of the `pic` to upload, if any. */
  picKey?: string;
}

/** A 头条文章 through `proxy/article/publish.json`. */
export interface WeiboArticlePayload {
  kind: 'article';
  title: string;
  content: string;
  summary: string;
  cover?: string;
  /** The bound status (`text`) without the marker; publish adds it to `link`. */
  text: string;
  link: string;
}

export type WeiboPayload = WeiboSharePayload | WeiboArticlePayload;

// Weibo refuses #话题词# in shared statuses; a full-width ＃ reads the same and forms no topic.
const TOPIC_CHAR = /#/g;

/** The link a weibo must carry: the article's public URL, else the unit's site; checked against the safe domain. */
export function linkFor(input: ManuscriptInput, ctx: RenderContext): { link?: string; issue?: ConstraintIssue } {
  const s = settingsOf(ctx.settings);
  const raw = s.linkTemplate
    ? s.linkTemplate
        .replace(/\{manuscriptId\}/g, encodeURIComponent(input.manuscriptId))
        .replace(/\{versionId\}/g, encodeURIComponent(input.versionId))
    : s.siteUrl;
  if (!raw) {
    return {
      issue: {
        constraint: 'body.link',
        message:
          '微博须包含安全域名下的网址：请在插件设置中配置 siteUrl 或 linkTemplate / a weibo must link under the safe domain: set siteUrl or linkTemplate',
      },
    };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { issue: { constraint: 'body.link', message: `网址无效：${raw} / invalid URL: ${raw}` } };
  }
  const domain = (s.safeDomain || url.hostname).toLowerCase().replace(/^\*?\./, '');
  const host = url.hostname.toLowerCase();
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || (host !== domain && !host.endsWith(`.${domain}`))) {
    return {
      issue: {
        constraint: 'body.link',
        message: `网址 ${url.hostname} 不在安全域名 ${domain} 下 / ${url.hostname} is not under the safe domain ${domain}`,
      },
    };
  }
  // A fragment would be cut off by the marker and can contain '#', which Weibo reads as a topic.
  url.hash = '';
  return { link: url.toString() };
}

/** The status text `【title】text link`, fitted to 140 with room for the marker; the link is never cut. */
function statusText(head: string, link: string, warnings: ConstraintIssue[], violations: ConstraintIssue[]): string {
  if (!link) return fitText('body', head, manifest.constraints.body, { truncate: true }).text; // body.link is already a violation
  const tail = ` ${link}${link.includes('?') ? '&' : '?'}${MARKER_PLACEHOLDER}`;
  const tailUnits = countWith('weibo', tail);
  if (tailUnits >= STATUS_MAX) {
    violations.push({
      constraint: 'body.link',
      message: `链接过长（${tailUnits} 字）/ the link is too long (${tailUnits} units)`,
      limit: STATUS_MAX,
      actual: tailUnits,
    });
    return head + tail.slice(0, -MARKER_PLACEHOLDER.length - 1);
  }
  // The Weibo count is subadditive (ceil(a/2)+ceil(b/2) ≥ ceil((a+b)/2)), so fitting each part to its share fits the whole.
  const budget = STATUS_MAX - tailUnits;
  const n = countWith('weibo', head);
  let text = head;
  if (n > budget) {
    text = truncate(head, budget, 'weibo');
    warnings.push({
      constraint: 'body.max',
      message: `微博正文已截断至 ${STATUS_MAX} 字以内（原 ${n + tailUnits}）/ status shortened to ${STATUS_MAX} (was ${n + tailUnits})`,
      limit: STATUS_MAX,
      actual: n + tailUnits,
    });
  }
  return `${text} ${link}`.trim();
}

function noTopics(text: string, warnings: ConstraintIssue[]): string {
  if (!text.includes('#')) return text;
  warnings.push({
    constraint: 'body.topic',
    message: '微博分享不能包含 #话题#，# 已替换为全角 ＃ / shared weibos cannot carry #topics#; # replaced by ＃',
  });
  return text.replace(TOPIC_CHAR, '＃');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

// Only the start of a long body can fit in a weibo, and segmenting a whole article into graphemes takes seconds.
function cap(text: string, units = STATUS_MAX * 8): string {
  return text.length <= units ? text : text.slice(0, units).replace(/[\uD800-\uDBFF]$/, '');
}

function picAsset(input: ManuscriptInput, violations: ConstraintIssue[]): AssetRequest | undefined {
  const source: AssetDescriptor | undefined = input.cover ?? input.images[0];
  if (!source) return undefined;
  const c = manifest.constraints.cover!;
  violations.push(...imageIssues(source, c, 'cover'));
  return { key: 'pic', ref: source.ref, role: 'cover', spec: { ...fitSpecFor(source, c), focus: source.focus } };
}

/** Pure: the same manuscript and settings always give the same rendition. */
export function renderWeibo(input: ManuscriptInput, ctx: RenderContext): Rendition<WeiboPayload> {
  const s = settingsOf(ctx.settings);
  const warnings: ConstraintIssue[] = [];
  const violations: ConstraintIssue[] = [];
  const { link, issue } = linkFor(input, ctx);
  if (issue) violations.push(issue);
  const bodyText = oneLine(htmlToText(input.bodyHtml));
  const title = oneLine(input.title);
  const article = ctx.capability === 'article' || (ctx.capability !== 'short_post' && s.headlineArticle);

  if (!article) {
    const lead = cap(oneLine(input.summary) || bodyText);
    // The editor's own Weibo text (各平台适配) is the whole status, as written and reviewed.
    const own = input.adaptation?.text ? oneLine(input.adaptation.text) : '';
    const head = noTopics(cap(own || (title ? `【${title}】${lead}` : lead)), warnings);
    const status = statusText(head, link ?? '', warnings, violations);
    const pic = picAsset(input, violations);
    if (!head) violations.push({ constraint: 'body.min', message: '微博正文为空 / the status is empty', limit: 1, actual: 0 });
    return {
      payload: { kind: 'share', status, link: link ?? '', picKey: pic?.key },
      fields: { body: status },
      assets: pic ? [pic] : [],
      warnings,
      violations,
    };
  }

  // Headlines are never cut: a truncated title changes its meaning, the editor must rewrite it.
  const t = fitText('title', title, manifest.constraints.title, { truncate: false });
  if (t.violation) violations.push(t.violation);
  if (!title) violations.push({ constraint: 'title.min', message: '头条文章须有标题 / an article needs a title', limit: 1, actual: 0 });
  const summary = fitText(
    'summary',
    cap(oneLine(input.summary), 4000) || truncate(cap(bodyText), 60, 'codePoints'),
    manifest.constraints.summary,
    {
      truncate: true,
    },
  );
  if (summary.warning) warnings.push(summary.warning);
  const content = input.bodyHtml;
  const contentLength = countWith('codePoints', content);
  if (contentLength > ARTICLE_CONTENT_MAX) {
    violations.push({
      constraint: 'content.max',
      message: `文章正文超长（${contentLength} > ${ARTICLE_CONTENT_MAX}）/ article content too long (${contentLength} > ${ARTICLE_CONTENT_MAX})`,
      limit: ARTICLE_CONTENT_MAX,
      actual: contentLength,
    });
  }
  if (!bodyText) violations.push({ constraint: 'content.min', message: '文章正文为空 / the article is empty', limit: 1, actual: 0 });
  // Weibo requires a cover URL for every 头条文章 (open.weibo.com/wiki/Toutiao/api) and offers no upload for
  // it: the account's settings name one.
  if (!s.articleCoverUrl) {
    violations.push({
      constraint: 'cover.required',
      message:
        '头条文章须有封面图：请在账号设置中填写“头条文章封面图网址” / a 头条文章 needs a cover: set the article cover URL in the account settings',
      limit: 1,
      actual: 0,
    });
  }
  const own = input.adaptation?.text ? oneLine(input.adaptation.text) : '';
  const text = statusText(noTopics(cap(own || `【${title}】${summary.text}`), warnings), link ?? '', warnings, violations);
  return {
    payload: {
      kind: 'article',
      title: t.text,
      content,
      summary: summary.text,
      cover: s.articleCoverUrl || undefined,
      text,
      link: link ?? '',
    },
    fields: { title: t.text, body: text, summary: summary.text },
    assets: [],
    warnings,
    violations,
  };
}
