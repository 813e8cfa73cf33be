import { AuthExpiredError, type HttpRequest, type PluginContext } from '@tongfa/plugin-sdk';
import { codeOf, isRateLimitCode, weiboError, type WeiboErrorBody } from './errors';

type Ctx = Pick<PluginContext, 'http' | 'endpoints' | 'credentials' | 'log'>;

/** The account's access token; without one the host must connect the account (OAuth) first. */
export function token(ctx: Pick<PluginContext, 'credentials'>): string {
  const t = ctx.credentials.access_token;
  if (!t) throw new AuthExpiredError({ zh: '微博账号尚未授权', en: 'the Weibo account has not been authorised yet' });
  return t;
}

export function url(ctx: Pick<PluginContext, 'endpoints'>, path: string): string {
  return `${ctx.endpoints.api.replace(/\/$/, '')}${path}`;
}

/**
 * Calls the Weibo API and returns the parsed body, or throws the typed error for Weibo's envelope
 * (`error_code`, any HTTP status) or for the 头条文章 envelope (`code` other than "100000").
 */
export async function weibo<T>(ctx: Ctx, req: HttpRequest): Promise<T> {
  const res = await ctx.http.request(req);
  let body: unknown;
  try {
    body = res.json<unknown>();
  } catch (e) {
    if (res.status >= 200 && res.status < 300) throw e; // a 2xx that is not JSON: TransientError from json()
    throw weiboError(undefined, `HTTP ${res.status}`, res.status);
  }
  const rec = (body && typeof body === 'object' ? body : {}) as WeiboErrorBody & { code?: unknown; msg?: string };
  const articleEnvelope = rec.code !== undefined && rec.error_code === undefined;
  const failed = rec.error_code !== undefined || (articleEnvelope && String(rec.code) !== '100000') || res.status >= 400;
  if (!failed) return body as T;
  const code = codeOf(rec);
  const message = String(rec.error ?? rec.msg ?? rec.error_description ?? `HTTP ${res.status}`);
  const retryAfterMs = isRateLimitCode(code) ? await retryAfter(ctx, res.headers['retry-after']) : undefined;
  throw weiboError(code, message, res.status, retryAfterMs);
}

/**
 * How long to wait after a rate limit: Retry-After if a proxy sent one, else the reset time Weibo reports
 * in account/rate_limit_status (limits are per hour), else a minute.
 */
async function retryAfter(ctx: Ctx, header: string | undefined): Promise<number> {
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
  try {
    const res = await ctx.http.request({
      method: 'GET',
      url: url(ctx, '/2/account/rate_limit_status.json'),
      query: { access_token: ctx.credentials.access_token },
    });
    const st = res.json<{ reset_time_in_seconds?: number | string }>();
    const reset = Number(st.reset_time_in_seconds);
    if (res.status === 200 && Number.isFinite(reset) && reset > 0) return Math.min(reset, 3600) * 1000;
  } catch (e) {
    ctx.log.debug('rate_limit_status unavailable', { error: e });
  }
  return 60_000;
}
