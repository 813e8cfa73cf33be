import {
  AmbiguousError,
  AuthExpiredError,
  ContentInvalidError,
  PermanentError,
  RateLimitedError,
  RejectedByReviewError,
  TransientError,
  type PluginError,
} from '@tongfa/plugin-sdk';

/** Weibo's error envelope: `{"request":"/2/statuses/share.json","error_code":21327,"error":"expired_token"}`. */
export interface WeiboErrorBody {
  request?: string;
  error_code?: number | string;
  error?: string;
  error_description?: string;
}

const AUTH = new Set([21301, 21314, 21315, 21316, 21317, 21319, 21325, 21327, 21332]);
const RATE = new Set([10022, 10023, 10024, 20016, 11001]);
const REVIEW = new Set([20017, 20020, 20021]);
const TRANSIENT = new Set([10001, 10002, 10003, 10009, 10010, 10011, 11002, 21331]);
// Codes where the platform refused the content itself, with the manifest constraint each one breaks.
const CONTENT: Record<number, { constraint: string; zh: string; en: string }> = {
  20008: { constraint: 'body.min', zh: '微博内容为空', en: 'the status is empty' },
  20012: { constraint: 'body.max', zh: '微博超过 140 字', en: 'the status is longer than 140' },
  20018: { constraint: 'body.link', zh: '链接不合法（须为安全域名下的网址）', en: 'illegal URL (must be under the safe domain)' },
  20019: { constraint: 'body', zh: '重复发布相同内容', en: 'the same text was already posted' },
  20111: { constraint: 'body', zh: '重复的微博内容', en: 'repeated weibo text' },
  20005: { constraint: 'cover.formats', zh: '图片格式不支持（仅 JPG/GIF/PNG）', en: 'unsupported image type (JPG/GIF/PNG only)' },
  20006: { constraint: 'cover.maxBytes', zh: '图片过大（须小于 5M）', en: 'image too large (must be under 5 MB)' },
  10008: { constraint: 'content', zh: '参数错误', en: 'parameter error' },
  10017: { constraint: 'content', zh: '参数值非法', en: 'invalid parameter value' },
  10018: { constraint: 'content.max', zh: '请求内容过长', en: 'request body too long' },
};

/** The numeric error code, whichever way the platform typed it. */
export function codeOf(body: { error_code?: unknown; code?: unknown } | undefined): number | undefined {
  const raw = body?.error_code ?? body?.code;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Maps a Weibo error code to the SDK error the host acts on. `retryAfterMs` is used for rate limits
 * (Weibo sends no Retry-After; the caller asks rate_limit_status). Unknown codes are Permanent: retrying
 * a request the platform refused for a reason we do not know would only repeat the refusal.
 */
export function weiboError(code: number | undefined, message: string, httpStatus: number, retryAfterMs = 60_000): PluginError {
  const detail = `Weibo ${code ?? `HTTP ${httpStatus}`}: ${message}`;
  const opts = { platformCode: code ?? httpStatus };
  if (code !== undefined && AUTH.has(code))
    return new AuthExpiredError({
      ...opts,
      zh: `微博授权已失效（${code}），请重新授权`,
      en: `Weibo authorization no longer valid: ${detail}`,
    });
  if (code !== undefined && RATE.has(code))
    return new RateLimitedError(retryAfterMs, { ...opts, zh: `微博限制发布频次（${code}）`, en: `Weibo rate limit: ${detail}` });
  if (code !== undefined && REVIEW.has(code)) return new RejectedByReviewError(message, opts);
  if (code !== undefined && CONTENT[code]) {
    const c = CONTENT[code];
    return new ContentInvalidError([{ constraint: c.constraint, message: `${c.zh} / ${c.en}（${message}）` }], {
      ...opts,
      zh: `微博拒绝了内容：${c.zh}`,
      en: `Weibo refused the content: ${detail}`,
    });
  }
  if (code === 11003) {
    // 头条文章: the article exists but its bound status failed; only a person can tell what is live.
    return new AmbiguousError({
      ...opts,
      zh: '头条文章已创建但绑定微博失败',
      en: `article created but binding its weibo failed: ${detail}`,
    });
  }
  if ((code !== undefined && TRANSIENT.has(code)) || (code === undefined && httpStatus >= 500)) {
    return new TransientError({ ...opts, zh: `微博系统繁忙（${code ?? httpStatus}）`, en: `Weibo temporarily failing: ${detail}` });
  }
  return new PermanentError({
    ...opts,
    zh: `微博拒绝了请求（${code ?? httpStatus}）：${message}`,
    en: `Weibo refused the request: ${detail}`,
  });
}

/** Whether a code is one of the rate-limit codes (the caller then asks how long to wait). */
export function isRateLimitCode(code: number | undefined): boolean {
  return code !== undefined && RATE.has(code);
}
