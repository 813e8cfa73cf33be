import {
  countWith,
  fitSpecFor,
  fitText,
  htmlToText,
  imageIssues,
  truncate,
  utf8Bytes,
  type AssetDescriptor,
  type AssetRequest,
  type ConstraintIssue,
  type ManuscriptInput,
  type RenderContext,
  type Rendition,
} from '@tongfa/plugin-sdk';
import { Parser } from 'htmlparser2';
import { LIMITS, manifest } from './manifest';

/** What render() produces and publish() sends to draft/add. JSON only: the host stores it. */
export interface WechatPayload {
  title: string;
  author: string;
  /** Empty lets WeChat take the first 54 characters of the body. */
  digest: string;
  /** Article HTML; each inline image is `<img src="tongfa-asset:<key>">` until publish puts its mmbiz URL there. */
  content: string;
  /** The 阅读原文 link without the publish marker (publish appends `tongfa_key=<idempotency key>`). */
  contentSourceUrl: string;
  /** Inline image asset keys, in the order they appear. */
  imageKeys: string[];
  coverKey: string;
  needOpenComment: 0 | 1;
  onlyFansCanComment: 0 | 1;
}

/** The placeholder render writes for an inline image; publish swaps it for the uploaded image's URL. */
export const assetMarker = (key: string) => `tongfa-asset:${key}`;

/**
 * Characters reserved per inline image for the mmbiz URL uploadimg returns (about 110 in practice), so
 * a body render accepts still fits once real URLs replace the markers.
 */
export const IMAGE_URL_RESERVE = 160;
/** Bytes reserved in content_source_url for `tongfa_key=<key>`. */
export const MARKER_RESERVE = 100;
export const MARKER_PARAM = 'tongfa_key';

// WeChat strips scripts and filters external media; dropping them here makes the preview honest.
const SKIPPED = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'noscript',
  'template',
  'svg',
  'math',
  'head',
  'title',
  'video',
  'audio',
  'form',
  'input',
  'button',
  'select',
  'textarea',
]);
const ALLOWED = new Set([
  'p',
  'br',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'strong',
  'b',
  'em',
  'i',
  'u',
  's',
  'sub',
  'sup',
  'span',
  'blockquote',
  'ul',
  'ol',
  'li',
  'table',
  'thead',
  'tbody',
  'tr',
  'td',
  'th',
  'section',
  'figure',
  'figcaption',
  'pre',
  'code',
  'a',
  'img',
]);
const VOID = new Set(['br', 'hr', 'img']);

const escText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escAttr = (s: string) => escText(s).replace(/"/g, '&quot;');

/** WeChat only lets an article link to other official-account articles. */
export function isWechatArticleLink(href: string): boolean {
  try {
    const u = new URL(href);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname === 'mp.weixin.qq.com';
  } catch {
    return false;
  }
}

function safeStyle(style: string | undefined): string | undefined {
  if (!style) return undefined;
  // url() would load external resources and expression() is script; WeChat drops both.
  return /url\s*\(|expression\s*\(|javascript:/i.test(style) ? undefined : style;
}

interface BodyResult {
  html: string;
  /** Asset keys placed, in order. */
  placed: string[];
  droppedImages: number;
  droppedLinks: number;
}

/**
 * Rewrites manuscript HTML into what draft/add keeps: allowed tags only, scripts and embeds removed,
 * links outside mp.weixin.qq.com unwrapped, and each <img> bound to one of the manuscript's images
 * (by `data-media-id` = asset ref, else in order). Images no <img> refers to are appended at the end.
 */
function rewriteBody(bodyHtml: string, images: AssetDescriptor[]): BodyResult {
  const out: string[] = [];
  const stack: Array<{ name: string; emitted: boolean }> = [];
  const keyOf = new Map(images.map((img, i) => [img.ref, `image-${i}`]));
  const used = new Set<string>();
  const placed: string[] = [];
  let droppedImages = 0;
  let droppedLinks = 0;
  let skip = 0;

  const nextUnused = () => images.find((img) => !used.has(img.ref));

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (skip || SKIPPED.has(name)) {
          if (!VOID.has(name)) {
            skip++;
            stack.push({ name, emitted: false });
          }
          return;
        }
        if (name === 'img') {
          const byRef = attribs['data-media-id'] && keyOf.has(attribs['data-media-id']) && !used.has(attribs['data-media-id']);
          const img = byRef ? images.find((i) => i.ref === attribs['data-media-id']) : nextUnused();
          if (!img) {
            droppedImages++;
            return;
          }
          used.add(img.ref);
          const key = keyOf.get(img.ref)!;
          placed.push(key);
          const alt = attribs.alt ?? img.alt;
          out.push(`<img src="${assetMarker(key)}"${alt ? ` alt="${escAttr(alt)}"` : ''} />`);
          return;
        }
        if (!ALLOWED.has(name)) {
          if (!VOID.has(name)) stack.push({ name, emitted: false });
          return;
        }
        let attrs = '';
        if (name === 'a') {
          const href = attribs.href ?? '';
          if (!isWechatArticleLink(href)) {
            if (href) droppedLinks++;
            stack.push({ name, emitted: false });
            return;
          }
          attrs += ` href="${escAttr(href)}"`;
        }
        const style = safeStyle(attribs.style);
        if (style) attrs += ` style="${escAttr(style)}"`;
        if ((name === 'td' || name === 'th') && /^\d{1,3}$/.test(attribs.colspan ?? '')) attrs += ` colspan="${attribs.colspan}"`;
        if ((name === 'td' || name === 'th') && /^\d{1,3}$/.test(attribs.rowspan ?? '')) attrs += ` rowspan="${attribs.rowspan}"`;
        if (VOID.has(name)) {
          out.push(`<${name}${attrs} />`);
          return;
        }
        out.push(`<${name}${attrs}>`);
        stack.push({ name, emitted: true });
      },
      ontext(text) {
        if (!skip) out.push(escText(text));
      },
      onclosetag(name) {
        if (VOID.has(name)) return;
        const top = stack[stack.length - 1];
        if (!top || top.name !== name) return;
        stack.pop();
        if (SKIPPED.has(name) || (!top.emitted && skip)) {
          if (skip) skip--;
          return;
        }
        if (top.emitted) out.push(`</${name}>`);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(bodyHtml);
  parser.end();
  for (const img of images) {
    if (used.has(img.ref)) continue;
    const key = keyOf.get(img.ref)!;
    placed.push(key);
    out.push(`<p><img src="${assetMarker(key)}"${img.alt ? ` alt="${escAttr(img.alt)}"` : ''} /></p>`);
  }
  return { html: out.join(''), placed, droppedImages, droppedLinks };
}

const setting = (ctx: RenderContext, name: string): string | number | boolean | undefined => {
  if (ctx.settings[name] !== undefined) return ctx.settings[name];
  return manifest.settings?.find((s) => s.name === name)?.default;
};

/** The 阅读原文 base URL: the manuscript's own source link, else the operator's setting. */
function sourceUrlOf(input: ManuscriptInput, ctx: RenderContext): string {
  const own = input.source.url;
  if (own && /^https?:\/\//i.test(own)) return own;
  return String(setting(ctx, 'sourceUrl') ?? '');
}

/** Renders a manuscript version for draft/add. Pure: no I/O, clock or randomness. */
export function renderWechat(input: ManuscriptInput, ctx: RenderContext): Rendition<WechatPayload> {
  const c = manifest.constraints;
  const warnings: ConstraintIssue[] = [];
  const violations: ConstraintIssue[] = [];
  const take = (f: { warning?: ConstraintIssue; violation?: ConstraintIssue }) => {
    if (f.warning) warnings.push(f.warning);
    if (f.violation) violations.push(f.violation);
  };

  // A cut headline can change its meaning: the editor rewrites it rather than the plugin truncating it.
  const title = fitText('title', input.title.trim(), c.title, { truncate: false });
  take(title);
  const digest = fitText('summary', input.summary.trim(), c.summary, { truncate: true });
  take(digest);

  const authorSource = String(setting(ctx, 'author') || input.unitName || '').trim();
  const author = truncate(authorSource, LIMITS.author, 'utf16', '');
  if (author !== authorSource) {
    warnings.push({
      constraint: 'content.author',
      message: `作者署名已截至 ${LIMITS.author} 字 / byline cut to ${LIMITS.author} characters`,
      limit: LIMITS.author,
      actual: countWith('utf16', authorSource),
    });
  }

  const images = input.images.slice(0, c.images!.maxCount);
  if (input.images.length > images.length) {
    warnings.push({
      constraint: 'images.maxCount',
      message: `仅发布前 ${images.length} 张图片 / only the first ${images.length} images are published`,
      limit: images.length,
      actual: input.images.length,
    });
  }
  const assets: AssetRequest[] = [];
  images.forEach((img, i) => {
    violations.push(...imageIssues(img, c.images!, `images[${i}]`));
    assets.push({ key: `image-${i}`, ref: img.ref, role: 'image', spec: fitSpecFor(img, c.images!) });
  });

  let body = rewriteBody(input.bodyHtml, images);
  if (input.source.type === 'reprint' && input.source.unitName) {
    body = { ...body, html: `${body.html}<p>来源：${escText(input.source.unitName)}</p>` };
  }
  if (body.droppedImages) {
    warnings.push({
      constraint: 'images.external',
      message: `正文中 ${body.droppedImages} 张图片不在稿件图片中，已删除（微信会过滤外部图片）/ ${body.droppedImages} external image(s) removed`,
      actual: body.droppedImages,
    });
  }
  if (body.droppedLinks) {
    warnings.push({
      constraint: 'content.links',
      message: `正文中 ${body.droppedLinks} 个外部链接已转为纯文本（公众号文章只能链接公众号文章）/ ${body.droppedLinks} external link(s) unlinked`,
      actual: body.droppedLinks,
    });
  }
  const reserve = body.placed.length * IMAGE_URL_RESERVE - body.placed.reduce((n, k) => n + assetMarker(k).length, 0);
  const chars = countWith('utf16', body.html) + Math.max(0, reserve);
  const bytes = utf8Bytes(body.html) + Math.max(0, reserve);
  if (!htmlToText(body.html).trim() && body.placed.length === 0) {
    violations.push({ constraint: 'body.min', message: '正文为空 / body is empty', limit: 1, actual: 0 });
  } else if (chars > c.body!.max) {
    violations.push({
      constraint: 'body.max',
      message: `正文超过微信限制（${chars} > ${c.body!.max} 字符，含 HTML 标签和图片地址）/ content too long (${chars} > ${c.body!.max}, tags and image URLs included)`,
      limit: c.body!.max,
      actual: chars,
    });
  } else if (bytes > LIMITS.contentBytes) {
    violations.push({
      constraint: 'body.max',
      message: '正文超过 1 MB / content larger than 1 MB',
      limit: LIMITS.contentBytes,
      actual: bytes,
    });
  }

  let coverKey = 'cover';
  const cover = input.cover ?? images[0];
  if (!cover) {
    coverKey = '';
    violations.push({ constraint: 'cover.required', message: '微信图文须有封面图 / a cover image is required' });
  } else {
    if (!input.cover) {
      warnings.push({ constraint: 'cover.fallback', message: '稿件无封面，以第一张图片作封面 / no cover: the first image is used' });
    }
    violations.push(...imageIssues(cover, c.cover!, 'cover'));
    assets.push({ key: coverKey, ref: cover.ref, role: 'cover', spec: { ...fitSpecFor(cover, c.cover!), focus: cover.focus } });
  }

  const contentSourceUrl = sourceUrlOf(input, ctx);
  if (!/^https?:\/\/[^\s]+$/i.test(contentSourceUrl)) {
    violations.push({
      constraint: 'source.url',
      message: '「阅读原文」链接须为 http(s) 地址（设置 sourceUrl）/ the read-more link must be an http(s) URL (setting sourceUrl)',
    });
  } else if (utf8Bytes(contentSourceUrl) + MARKER_RESERVE > LIMITS.sourceUrlBytes) {
    violations.push({
      constraint: 'source.url',
      message: `来源链接过长（微信限 1 KB）/ source URL too long (1 KB limit)`,
      limit: LIMITS.sourceUrlBytes - MARKER_RESERVE,
      actual: utf8Bytes(contentSourceUrl),
    });
  }

  const flag = (name: string) => (setting(ctx, name) === true || setting(ctx, name) === 'true' ? 1 : 0);
  return {
    payload: {
      title: title.text,
      author,
      digest: digest.text,
      content: body.html,
      contentSourceUrl,
      imageKeys: body.placed,
      coverKey,
      needOpenComment: flag('openComment'),
      onlyFansCanComment: flag('onlyFansCanComment'),
    },
    fields: { title: title.text, body: body.html, summary: digest.text },
    assets,
    warnings,
    violations,
  };
}
