// The article half of the toutiao plugin talks to a CONFIGURABLE CONTRACT modelled on the 头条号 web
// backend's article calls (mp.toutiao.com/mp/agw/…, as browser sync tools drive them). Toutiao publishes
// no official article API; a unit that uses this plugin for articles supplies its own token and, where
// needed, its own paths through settings. See README "Articles: not an official API".
import {
  AuthExpiredError,
  ContentInvalidError,
  PermanentError,
  RateLimitedError,
  TransientError,
  type HttpResponse,
  type PluginContext,
} from '@tongfa/plugin-sdk';

/** Paths of the contract, each overridable by a setting of the same name. */
export const CONTRACT_PATHS = {
  articlePublishPath: '/mp/agw/article/publish',
  articleStatusPath: '/mp/agw/article/status',
  articleLookupPath: '/mp/agw/article/lookup',
  articleDeletePath: '/mp/agw/article/delete',
  articleListPath: '/mp/agw/article/list',
  imageUploadPath: '/mp/agw/article_material/photo/upload_picture',
  mediaInfoPath: '/mp/agw/media/get_media_info',
} as const;

export type ContractPath = keyof typeof CONTRACT_PATHS;

/** Contract error codes (README table). */
export const CONTRACT_CODES = {
  tokenInvalid: 1001,
  rateLimited: 1002,
  titleInvalid: 2001,
  contentInvalid: 2002,
  coverInvalid: 2003,
  notFound: 4004,
} as const;

export function contractUrl(ctx: PluginContext, path: ContractPath): string {
  const configured = ctx.settings[path];
  const p = typeof configured === 'string' && configured.startsWith('/') ? configured : CONTRACT_PATHS[path];
  return `${ctx.endpoints.mp.replace(/\/$/, '')}${p}`;
}

export function articleAuth(ctx: PluginContext): Record<string, string> {
  const token = ctx.credentials.article_token;
  if (!token) throw new PermanentError({ zh: '未配置头条号文章接口令牌', en: 'no Toutiao article token configured' });
  return { authorization: `Bearer ${token}` };
}

/** `{code, message, data}`; code 0 is success. Maps the rest to typed errors. */
export function contractData<T>(res: HttpResponse, retryAfterMs: number): T {
  if (res.status === 429) {
    const s = Number(res.headers['retry-after']);
    throw new RateLimitedError(Number.isFinite(s) && s > 0 ? s * 1000 : retryAfterMs, { platformCode: 429 });
  }
  if (res.status >= 500) throw new TransientError({ platformCode: res.status });
  if (res.status === 401 || res.status === 403)
    throw new AuthExpiredError({ platformCode: res.status, zh: '头条号令牌无效或已过期', en: 'Toutiao token invalid or expired' });
  const body = res.json<{ code?: number; message?: string; data?: T }>();
  const code = Number(body.code ?? (body.data === undefined ? -1 : 0));
  if (res.status < 300 && code === 0) return body.data as T;
  const msg = body.message ?? '';
  switch (code) {
    case CONTRACT_CODES.tokenInvalid:
      throw new AuthExpiredError({ platformCode: code, zh: `头条号令牌无效：${msg}`, en: `Toutiao token invalid: ${msg}` });
    case CONTRACT_CODES.rateLimited:
      throw new RateLimitedError(retryAfterMs, { platformCode: code });
    case CONTRACT_CODES.titleInvalid:
      throw new ContentInvalidError([{ constraint: 'title', message: msg || '标题不符合要求' }], { platformCode: code });
    case CONTRACT_CODES.contentInvalid:
      throw new ContentInvalidError([{ constraint: 'body', message: msg || '正文不符合要求（图片、外链）' }], { platformCode: code });
    case CONTRACT_CODES.coverInvalid:
      throw new ContentInvalidError([{ constraint: 'cover', message: msg || '封面不符合要求' }], { platformCode: code });
    default:
      throw new PermanentError({ platformCode: code, zh: `头条号拒绝：${msg || code}`, en: `Toutiao refused: ${msg || code}` });
  }
}

/** The ueditor-style upload answer: `{state:"SUCCESS", url, original}` or `{state:"<reason>"}`. */
export function uploadAnswer(res: HttpResponse, retryAfterMs: number): { url: string; original: string } {
  if (res.status !== 200) contractData(res, retryAfterMs);
  const b = res.json<{ state?: string; url?: string; original?: string; code?: number; message?: string }>();
  if (b.code !== undefined && b.code !== 0) contractData(res, retryAfterMs);
  if (b.state !== 'SUCCESS' || !b.url) {
    throw new ContentInvalidError([{ constraint: 'images', message: `头条号图片上传失败：${b.state ?? '未知'}` }]);
  }
  return { url: b.url, original: b.original ?? b.url };
}

/**
 * Makes manuscript HTML acceptable to the 头条号 editor, as the sync tools do: links are unwrapped to
 * their text, iframes/SVG/scripts removed, external images dropped (images must be uploaded first), and
 * `<img data-tongfa-key>` placeholders appended for the uploaded manuscript images.
 */
export function toutiaoHtml(html: string, imageKeys: readonly string[]): string {
  const cleaned = html
    .replace(/<(script|style|iframe|svg|object|embed)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<(iframe|svg|embed)\b[^>]*\/?>/gi, '')
    .replace(/<a\b[^>]*>/gi, '')
    .replace(/<\/a\s*>/gi, '')
    .replace(/<img\b[^>]*>/gi, '');
  return cleaned + imageKeys.map((k) => `<p><img data-tongfa-key="${k}"></p>`).join('');
}

/** Fills the placeholders with the uploaded URLs. */
export function fillImages(template: string, urls: Readonly<Record<string, string>>): string {
  return template.replace(/<img data-tongfa-key="([^"]+)">/g, (_m, key: string) => {
    const url = urls[key];
    if (!url) throw new PermanentError({ zh: `图片 ${key} 未上传`, en: `image ${key} was not uploaded` });
    return `<img src="${url.replace(/"/g, '&quot;')}">`;
  });
}
