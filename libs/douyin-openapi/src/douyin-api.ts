// Douyin open platform conventions (open.douyin.com: the envelope, error codes, OAuth) shared by the
// douyin and toutiao plugins, which depend on this package as a third party's plugins would.
import {
  AuthExpiredError,
  ContentInvalidError,
  PermanentError,
  RateLimitedError,
  TransientError,
  type Clock,
  type CredentialUpdate,
  type HttpClient,
  type HttpResponse,
  type PluginContext,
} from '@tongfa/plugin-sdk';

/** The envelope every open-platform API answers with, HTTP 200 even on errors. */
export interface DouyinEnvelope<T> {
  data?: T & { error_code?: number; description?: string };
  extra?: { error_code?: number; description?: string; sub_error_code?: number; sub_description?: string; logid?: string; now?: number };
  message?: string;
}

// Error codes by host reaction (facts file §3, DY-status and OAuth docs).
const AUTH_CODES = new Set([2190002, 2190008, 28001003, 28001008, 28001012, 28001015, 10008, 10010]);
const BUSY_CODES = new Set([2100004, 28001005, 28001006]);
const QUOTA_CODES = new Set([2190001, 28003017]);
const FREQUENCY_CODES = new Set([28003018]);
const PARAM_CODES = new Set([2100005, 28001007]);

/** Which part of a publish a call belongs to, so a params error names the right constraint. */
export type CallTopic = 'video' | 'images' | 'cover' | 'content' | 'other';

/** Options for mapping the envelope. */
export interface MapOptions {
  clock: Clock;
  /** Wait after a frequency limit (Douyin sends no Retry-After). */
  retryAfterMs: number;
  topic?: CallTopic;
}

/** Milliseconds until the next midnight in China (UTC+8), when daily quotas reset. */
export function untilChinaMidnight(now: number): number {
  const day = 86_400_000;
  const offset = 8 * 3_600_000;
  return day - ((now + offset) % day);
}

/** Returns `data` of a successful answer or throws the typed error the error code calls for. */
export function unwrap<T>(res: HttpResponse, opts: MapOptions): T & { error_code?: number; description?: string } {
  if (res.status === 429) throw new RateLimitedError(opts.retryAfterMs, { platformCode: 429 });
  if (res.status >= 500) throw new TransientError({ platformCode: res.status });
  if (res.status === 401) throw new AuthExpiredError({ platformCode: 401 });
  const body = res.json<DouyinEnvelope<T>>();
  const code = Number(body.data?.error_code ?? body.extra?.error_code ?? 0);
  const description = String(body.data?.description ?? body.extra?.description ?? '');
  if (res.status >= 200 && res.status < 300 && code === 0 && body.data) return body.data;
  const said = description ? `：${description}` : '';
  const saidEn = description ? `: ${description}` : '';
  if (AUTH_CODES.has(code))
    throw new AuthExpiredError({ platformCode: code, zh: `抖音授权失效${said}`, en: `Douyin authorization invalid${saidEn}` });
  if (FREQUENCY_CODES.has(code)) throw new RateLimitedError(opts.retryAfterMs, { platformCode: code });
  if (QUOTA_CODES.has(code)) {
    throw new RateLimitedError(untilChinaMidnight(opts.clock.now()), {
      platformCode: code,
      zh: '抖音接口当日额度已用完',
      en: 'Douyin daily quota used up',
    });
  }
  if (BUSY_CODES.has(code)) throw new TransientError({ platformCode: code, zh: `抖音系统繁忙${said}`, en: `Douyin busy${saidEn}` });
  if (PARAM_CODES.has(code) && opts.topic && opts.topic !== 'other') {
    throw new ContentInvalidError(
      [{ constraint: opts.topic === 'content' ? 'title' : opts.topic, message: `抖音拒绝${said || '参数'} / Douyin refused${saidEn}` }],
      {
        platformCode: code,
      },
    );
  }
  throw new PermanentError({
    platformCode: code || res.status,
    zh: `抖音拒绝请求（${code || res.status}）${said}`,
    en: `Douyin refused (${code || res.status})${saidEn}`,
  });
}

/** The user-token headers and query of the newer open APIs. */
export function userAuth(ctx: Pick<PluginContext, 'credentials'>): { headers: Record<string, string>; query: Record<string, string> } {
  const token = ctx.credentials.access_token;
  const openId = ctx.credentials.open_id;
  // No token yet: the host refreshes on AuthExpired and calls again.
  if (!token || !openId) throw new AuthExpiredError({ zh: '尚未获得抖音用户授权', en: 'no Douyin user token yet' });
  return { headers: { 'access-token': token }, query: { open_id: openId } };
}

interface TokenData {
  access_token: string;
  expires_in: number;
  open_id: string;
  refresh_token: string;
  refresh_expires_in: number;
  scope?: string;
}

/** Turns an OAuth token answer into the credentials the host stores. */
function tokenCredentials(d: TokenData, now: number, refreshExpiresAt?: number): CredentialUpdate {
  const expiresAt = now + Number(d.expires_in) * 1000;
  const refreshAt = refreshExpiresAt ?? now + Number(d.refresh_expires_in) * 1000;
  return {
    credentials: {
      access_token: d.access_token,
      refresh_token: d.refresh_token,
      open_id: d.open_id,
      access_expires_at: String(expiresAt),
      refresh_expires_at: String(refreshAt),
    },
    expiresAt,
  };
}

type OAuthCtx = { credentials: Readonly<Record<string, string>>; http: HttpClient; clock: Clock };

/** `POST /oauth/access_token/` (form): a single-use code for the user's tokens. */
export async function exchangeCode(ctx: OAuthCtx, base: string, code: string): Promise<CredentialUpdate> {
  const res = await ctx.http.request({
    method: 'POST',
    url: `${base}/oauth/access_token/`,
    form: { client_key: ctx.credentials.client_key, client_secret: ctx.credentials.client_secret, code, grant_type: 'authorization_code' },
  });
  return tokenCredentials(unwrap<TokenData>(res, { clock: ctx.clock, retryAfterMs: 60_000 }), ctx.clock.now());
}

/**
 * Renews the refresh token when it is close to expiry (`/oauth/renew_refresh_token/`, at most 5 times),
 * then gets a new access token (`/oauth/refresh_token/`). An expired refresh token (10010) is
 * AuthExpired: a person must authorize again.
 */
export async function refreshUserToken(ctx: OAuthCtx, base: string, renewWithinMs: number): Promise<CredentialUpdate> {
  const now = ctx.clock.now();
  let refreshToken = ctx.credentials.refresh_token;
  if (!refreshToken)
    throw new AuthExpiredError({ zh: '缺少抖音 refresh_token，请重新授权', en: 'no Douyin refresh token; authorize again' });
  let refreshExpiresAt = Number(ctx.credentials.refresh_expires_at) || undefined;
  const opts = { clock: ctx.clock, retryAfterMs: 60_000 };
  if (refreshExpiresAt !== undefined && refreshExpiresAt - now < renewWithinMs) {
    const res = await ctx.http.request({
      method: 'POST',
      url: `${base}/oauth/renew_refresh_token/`,
      form: { client_key: ctx.credentials.client_key, refresh_token: refreshToken },
    });
    try {
      const d = unwrap<{ refresh_token: string; expires_in: number }>(res, opts);
      refreshToken = d.refresh_token;
      refreshExpiresAt = now + Number(d.expires_in) * 1000;
    } catch (e) {
      // 10020: renewal limit reached; the old refresh token still works until it expires.
      if ((e as { platformCode?: unknown }).platformCode !== 10020) throw e;
    }
  }
  const res = await ctx.http.request({
    method: 'POST',
    url: `${base}/oauth/refresh_token/`,
    form: { client_key: ctx.credentials.client_key, grant_type: 'refresh_token', refresh_token: refreshToken },
  });
  const d = unwrap<TokenData>(res, opts);
  // The refresh endpoint keeps the refresh token's own expiry; only a renewal moves it.
  return tokenCredentials({ ...d, refresh_token: d.refresh_token || refreshToken }, now, refreshExpiresAt);
}

/** The authorization page URL (`/platform/oauth/connect/`). */
export function connectUrl(base: string, clientKey: string, scopes: readonly string[], state: string, redirectUri: string): string {
  const u = new URL(`${base}/platform/oauth/connect/`);
  u.searchParams.set('client_key', clientKey);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('scope', scopes.join(','));
  u.searchParams.set('redirect_uri', redirectUri);
  u.searchParams.set('state', state);
  return u.toString();
}
