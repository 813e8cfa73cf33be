import {
  AuthExpiredError,
  ContentInvalidError,
  PermanentError,
  RateLimitedError,
  RejectedByReviewError,
  TransientError,
  type HttpRequest,
  type HttpResponse,
  type MultipartPart,
  type PluginContext,
} from '@tongfa/plugin-sdk';

/** Every WeChat answer: HTTP 200 with `errcode` (absent or 0 on success). */
export interface WxEnvelope {
  errcode?: number;
  errmsg?: string;
}

/** The constraint a content error code is about, when the caller knows better (e.g. which image). */
export interface ErrorContext {
  /** Constraint named by 40005/40006/40009 (upload type/size errors). */
  uploadField?: string;
}

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** Milliseconds until the next midnight in Beijing, when WeChat resets daily quotas. */
export function untilBeijingMidnight(now: number): number {
  const local = now + BEIJING_OFFSET_MS;
  const next = Math.floor(local / 86_400_000 + 1) * 86_400_000;
  return Math.max(1000, next - local);
}

/** The Beijing calendar date (yyyy-MM-dd) `days` days from `now`. */
export function beijingDate(now: number, days = 0): string {
  return new Date(now + BEIJING_OFFSET_MS + days * 86_400_000).toISOString().slice(0, 10);
}

/** End of a Beijing calendar day (yyyy-MM-dd) in ms since epoch. */
export function endOfBeijingDay(date: string): number {
  return Date.parse(`${date}T23:59:59.999Z`) - BEIJING_OFFSET_MS;
}

// errmsg carries a request id (`rid: …`) and sometimes the caller's IP; keep it for support, never a token.
const clean = (msg: string | undefined) => (msg ?? '').replace(/access_token=[^&\s]+/g, 'access_token=***').slice(0, 300);

/**
 * Maps a WeChat error code to the SDK's typed error. The table is the plugin's contract with the host
 * (see README "Error codes"); anything not listed is permanent, since retrying an unknown refusal
 * only burns quota.
 */
export function wechatError(code: number, errmsg: string | undefined, now: number, context: ErrorContext = {}): Error {
  const msg = clean(errmsg);
  const opts = { platformCode: code };
  const detail = `errcode ${code}: ${msg}`;
  switch (code) {
    case -1:
      return new TransientError({ ...opts, zh: '微信系统繁忙，稍后重试', en: `WeChat system busy (${detail})` });
    case 40001:
    case 40014:
    case 41001:
    case 42001:
      return new AuthExpiredError({ ...opts, zh: '微信接口调用凭据已失效', en: `WeChat access token invalid or expired (${detail})` });
    case 40125:
    case 40013:
      return new AuthExpiredError({
        ...opts,
        zh: 'AppID 或 AppSecret 不正确，请在账号设置中重新填写',
        en: `AppID or AppSecret rejected; re-enter the credentials (${detail})`,
      });
    case 40164: {
      const ip = /invalid ip ([0-9a-fA-F.:]+)/.exec(msg)?.[1];
      return new PermanentError({
        ...opts,
        zh: `调用 IP${ip ? ` ${ip}` : ''} 不在公众号 IP 白名单中：请管理员登录微信公众平台，在「设置与开发 - 基本配置 - IP白名单」中加入统发的出口 IP${ip ? ` ${ip}` : ''} 后重试`,
        en: `caller IP${ip ? ` ${ip}` : ''} is not on the account's IP whitelist: add the hub's egress IP under Basic configuration → IP whitelist (${detail})`,
      });
    }
    case 89503:
      return new PermanentError({
        ...opts,
        zh: '微信判定本次调用来自风险 IP，需公众号管理员在手机上确认后重试',
        en: `WeChat flagged the caller IP as risky; an administrator must confirm it (${detail})`,
      });
    case 45009:
      return new RateLimitedError(untilBeijingMidnight(now), {
        ...opts,
        zh: '公众号接口今日调用次数已达上限，次日零点后自动重试',
        en: `daily API quota reached; retrying after midnight Beijing time (${detail})`,
      });
    case 45011:
      return new RateLimitedError(60_000 - (now % 60_000) + 1000, {
        ...opts,
        zh: '接口调用过于频繁（分钟配额），稍后重试',
        en: `per-minute API quota reached (${detail})`,
      });
    case 45002:
      return new ContentInvalidError(
        [{ constraint: 'body.max', message: '正文超过微信限制（2 万字符或 1 MB，含 HTML 标签）/ content too large' }],
        opts,
      );
    case 45003:
      return new ContentInvalidError([{ constraint: 'title.max', message: '标题超过 32 字 / title longer than 32 characters' }], opts);
    case 45004:
      return new ContentInvalidError([{ constraint: 'summary.max', message: '摘要超过 128 字 / digest longer than 128 characters' }], opts);
    case 45110:
      return new ContentInvalidError(
        [{ constraint: 'content.author', message: '作者超过 16 字 / author longer than 16 characters' }],
        opts,
      );
    case 45166:
      return new ContentInvalidError(
        [{ constraint: 'content.links', message: '正文含微信不允许的链接（仅可链接公众号文章）/ content links outside mp.weixin.qq.com' }],
        opts,
      );
    case 40005:
      return new ContentInvalidError(
        [{ constraint: `${context.uploadField ?? 'images'}.formats`, message: '图片格式不被微信接受 / image type refused' }],
        opts,
      );
    case 40006:
    case 40009:
      return new ContentInvalidError(
        [{ constraint: `${context.uploadField ?? 'images'}.maxBytes`, message: '图片超过微信大小限制 / image too large' }],
        opts,
      );
    case 53501:
      return new RateLimitedError(60_000, { ...opts, zh: '发布请求过于频繁，稍后重试', en: `publishing requested too often (${detail})` });
    case 53500:
      return new PermanentError({ ...opts, zh: '该公众号的发布功能已被封禁', en: `publishing is banned for this account (${detail})` });
    case 53503:
      return new RejectedByReviewError('草稿未通过发布检查', opts);
    case 48001:
      return new PermanentError({
        ...opts,
        zh: '公众号没有该接口权限（2025 年 7 月起，个人主体及未认证账号不能调用发布接口）',
        en: `API unauthorized for this account (free publish needs a verified organisation account) (${detail})`,
      });
    case 48004:
      return new PermanentError({ ...opts, zh: '公众号因违规被禁止调用该接口', en: `API forbidden for irregularities (${detail})` });
    case 50002:
      return new PermanentError({ ...opts, zh: '公众号已被限制', en: `account limited (${detail})` });
    case 88000:
      return new PermanentError({ ...opts, zh: '公众号没有留言功能权限', en: `no comment privilege (${detail})` });
    case 45015:
      return new PermanentError({
        ...opts,
        zh: '已超过 48 小时回复时限（或用户已取消关注），不能再发送客服消息',
        en: `the 48-hour reply window has passed or the user unsubscribed (${detail})`,
      });
    case 45047:
      return new PermanentError({
        ...opts,
        zh: '用户未再发消息前最多回复 20 条客服消息',
        en: `too many replies before the user writes again (${detail})`,
      });
    case 40003:
      return new PermanentError({ ...opts, zh: '用户 openid 无效', en: `invalid openid (${detail})` });
    case 88003:
      return new PermanentError({ ...opts, zh: '留言不存在或已删除', en: `no such comment (${detail})` });
    default:
      return new PermanentError({ ...opts, zh: `微信接口返回错误 ${code}：${msg}`, en: `WeChat refused the call (${detail})` });
  }
}

/** Turns a response into its JSON body, or throws the typed error its status or errcode means. */
export function unwrap<T>(res: HttpResponse, now: number, context?: ErrorContext): T & WxEnvelope {
  if (res.status === 429) throw new RateLimitedError(60_000, { platformCode: 429 });
  if (res.status >= 500) throw new TransientError({ platformCode: res.status, en: `WeChat answered HTTP ${res.status}` });
  if (res.status !== 200) {
    throw new PermanentError({ platformCode: res.status, zh: `微信接口返回 HTTP ${res.status}`, en: `WeChat answered HTTP ${res.status}` });
  }
  const body = res.json<T & WxEnvelope>();
  if (body === null || typeof body !== 'object') throw new TransientError({ en: 'WeChat answered something that is not a JSON object' });
  if (typeof body.errcode === 'number' && body.errcode !== 0) throw wechatError(body.errcode, body.errmsg, now, context);
  return body;
}

/** The access token, or AuthExpired so the host refreshes first (a new account has none yet). */
export function accessToken(ctx: Pick<PluginContext, 'credentials'>): string {
  const t = ctx.credentials.accessToken;
  if (!t) throw new AuthExpiredError({ zh: '尚未获取接口调用凭据', en: 'no access token yet' });
  return t;
}

/** POSTs JSON to a WeChat API path with the access token and unwraps the answer. */
export async function call<T>(ctx: PluginContext, path: string, json: unknown, context?: ErrorContext): Promise<T & WxEnvelope> {
  const req: HttpRequest = { method: 'POST', url: `${ctx.endpoints.api}${path}`, query: { access_token: accessToken(ctx) }, json };
  return unwrap<T>(await ctx.http.request(req), ctx.clock.now(), context);
}

/** POSTs a multipart upload (field `media`). */
export async function upload<T>(
  ctx: PluginContext,
  path: string,
  query: Record<string, string>,
  part: Extract<MultipartPart, { data: Uint8Array }>,
  context?: ErrorContext,
): Promise<T & WxEnvelope> {
  const res = await ctx.http.request({
    method: 'POST',
    url: `${ctx.endpoints.api}${path}`,
    query: { ...query, access_token: accessToken(ctx) },
    multipart: [part],
  });
  return unwrap<T>(res, ctx.clock.now(), context);
}
