import { randomBytes } from 'node:crypto';
import {
  AmbiguousError,
  AuthExpiredError,
  ContentInvalidError,
  PermanentError,
  RateLimitedError,
  TransientError,
  type PluginContext,
  type PluginError,
} from '@tongfa/plugin-sdk';
import { canonicalQuery, sign, SIGN_HEADERS, stringToSign } from './signing';

/** The contract's envelope: HTTP 200 with `code` 0 on success, a non-zero `code` otherwise. */
export interface Envelope<T> {
  code: number | string;
  message?: string;
  data?: T;
  request_id?: string;
}

/** Error codes of the contract (see README). */
export const Codes = {
  ok: 0,
  invalidParam: 40001,
  titleTooLong: 40002,
  contentTooLong: 40003,
  imageFormat: 40004,
  imageTooLarge: 40005,
  signatureMismatch: 40101,
  timestampExpired: 40102,
  nonceReplayed: 40103,
  unknownAppKey: 40104,
  credentialsRevoked: 40105,
  forbidden: 40301,
  notFound: 40401,
  rateLimited: 42900,
  internal: 50000,
  busy: 50300,
} as const;

type Ctx = Pick<PluginContext, 'http' | 'endpoints' | 'credentials' | 'clock'>;

const CONTENT_CODES: Record<number, { constraint: string; zh: string; en: string }> = {
  [Codes.titleTooLong]: { constraint: 'title.max', zh: '标题过长', en: 'title too long' },
  [Codes.contentTooLong]: { constraint: 'body.max', zh: '正文过长', en: 'content too long' },
  [Codes.imageFormat]: { constraint: 'cover.formats', zh: '封面图格式不支持', en: 'unsupported cover format' },
  [Codes.imageTooLarge]: { constraint: 'cover.maxBytes', zh: '封面图过大', en: 'cover image too large' },
};

/**
 * Maps a contract error to the SDK error the host acts on. A wrong signature means wrong credentials
 * (Permanent: retrying cannot help); an expired timestamp is clock skew or a slow queue (Transient: the
 * next attempt signs afresh); a replayed nonce on a write means an earlier copy of this very request
 * reached the platform (Ambiguous).
 */
export function nanfangError(
  code: number | undefined,
  message: string,
  httpStatus: number,
  opts: { write: boolean; field?: string; retryAfterMs?: number },
): PluginError {
  const platformCode = code ?? httpStatus;
  const detail = `南方号 ${platformCode}: ${message}`;
  switch (code) {
    case Codes.signatureMismatch:
      return new PermanentError({
        platformCode,
        zh: '南方号签名校验失败：请核对账号的 appKey 与签名密钥',
        en: `南方号 rejected the signature: check the account's appKey and signing secret (${detail})`,
      });
    case Codes.unknownAppKey:
      return new PermanentError({ platformCode, zh: '南方号不认识该 appKey：请核对账号配置', en: `unknown app key: ${detail}` });
    case Codes.credentialsRevoked:
      return new AuthExpiredError({
        platformCode,
        zh: '南方号接入凭据已停用，请联系运营方',
        en: `credentials disabled or revoked: ${detail}`,
      });
    case Codes.timestampExpired:
      return new TransientError({
        platformCode,
        zh: '请求时间戳已过期（时钟偏差），将重新签名重试',
        en: `timestamp outside the 5-minute window: ${detail}`,
      });
    case Codes.nonceReplayed:
      return opts.write
        ? new AmbiguousError({
            platformCode,
            zh: '同一请求已被平台收到过，结果未知',
            en: `nonce replayed: an earlier copy of this write reached the platform: ${detail}`,
          })
        : new TransientError({ platformCode, en: `nonce replayed: ${detail}` });
    case Codes.rateLimited:
      return new RateLimitedError(opts.retryAfterMs ?? 1000, { platformCode, en: `rate limited: ${detail}` });
    case Codes.forbidden:
      return new PermanentError({ platformCode, zh: `南方号拒绝：无权限（${message}）`, en: `forbidden: ${detail}` });
    case Codes.invalidParam: {
      const constraint = opts.field ?? 'content';
      return new ContentInvalidError([{ constraint, message: `参数不合法 / invalid parameter: ${message}` }], { platformCode, en: detail });
    }
  }
  if (code !== undefined && CONTENT_CODES[code]) {
    const c = CONTENT_CODES[code];
    return new ContentInvalidError([{ constraint: c.constraint, message: `${c.zh} / ${c.en}: ${message}` }], { platformCode, en: detail });
  }
  if (code === Codes.internal || code === Codes.busy || (code === undefined && httpStatus >= 500)) {
    return new TransientError({ platformCode, zh: `南方号暂时不可用（${platformCode}）`, en: `platform temporarily failing: ${detail}` });
  }
  return new PermanentError({ platformCode, zh: `南方号拒绝了请求（${platformCode}）：${message}`, en: `refused: ${detail}` });
}

/** A signed call; returns `data` or throws the typed error. `field` maps a 40001's wire field back to a constraint. */
export async function signedCall<T>(
  ctx: Ctx,
  req: {
    method: 'GET' | 'POST';
    path: string;
    query?: Record<string, string>;
    json?: unknown;
    fieldToConstraint?: (wire: string) => string | undefined;
  },
): Promise<T> {
  const query = req.query ?? {};
  const body = req.json === undefined ? '' : JSON.stringify(req.json);
  const timestamp = String(Math.floor(ctx.clock.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const appKey = ctx.credentials.appKey;
  const toSign = stringToSign({ method: req.method, path: req.path, query, appKey, timestamp, nonce, body });
  const qs = canonicalQuery(query);
  const headers: Record<string, string> = {
    [SIGN_HEADERS.appKey]: appKey,
    [SIGN_HEADERS.timestamp]: timestamp,
    [SIGN_HEADERS.nonce]: nonce,
    [SIGN_HEADERS.signature]: sign(ctx.credentials.appSecret, toSign),
  };
  if (body) headers['content-type'] = 'application/json; charset=utf-8';
  const res = await ctx.http.request({
    method: req.method,
    url: `${ctx.endpoints.api.replace(/\/$/, '')}${req.path}${qs ? `?${qs}` : ''}`,
    headers,
    body: body || undefined,
  });
  const write = req.method !== 'GET';
  if (res.status === 429) {
    const s = Number(res.headers['retry-after']);
    throw nanfangError(Codes.rateLimited, 'too many requests', 429, { write, retryAfterMs: Number.isFinite(s) && s > 0 ? s * 1000 : 1000 });
  }
  let env: Envelope<T>;
  try {
    env = res.json<Envelope<T>>();
  } catch (e) {
    if (res.status >= 500) throw nanfangError(undefined, `HTTP ${res.status}`, res.status, { write });
    throw e;
  }
  const code = Number(env.code);
  if (res.status < 400 && code === Codes.ok) return env.data as T;
  const field = (env.data as { field?: string } | undefined)?.field;
  throw nanfangError(Number.isFinite(code) ? code : undefined, String(env.message ?? `HTTP ${res.status}`), res.status, {
    write,
    field: field ? req.fieldToConstraint?.(field) : undefined,
  });
}
