import {
  AmbiguousError,
  AuthExpiredError,
  ContentInvalidError,
  definePlugin,
  fitSpecFor,
  fitText,
  htmlToText,
  imageIssues,
  MAX_POST_URL_LENGTH,
  pageSize,
  PermanentError,
  RateLimitedError,
  TransientError,
  truncate,
  type AssetRequest,
  type ConstraintIssue,
  type HttpResponse,
  type ListedPost,
  type ManuscriptInput,
  type PluginContext,
  type PluginLogger,
  type PluginManifest,
  type PublishResult,
} from '@tongfa/plugin-sdk';
import { HEADER_DELIVERY, HEADER_SIGNATURE, HEADER_TIMESTAMP, sign } from './signature';

export { createOwnAppSimulator } from './simulator';

/** The JSON document pushed to the unit's receiver (schema `tongfa.publish.v1`, see README). */
export interface OwnAppPayload {
  schema: 'tongfa.publish.v1';
  manuscriptId: string;
  versionId: string;
  title: string;
  summary: string;
  contentHtml: string;
  contentText: string;
  category: ManuscriptInput['category'];
  source: ManuscriptInput['source'];
  unitName?: string;
  /** Asset keys; publish() fits each image and inlines it as base64. */
  coverKey?: string;
  imageKeys: string[];
}

const IMAGE_LIMITS = {
  formats: ['jpeg', 'png', 'webp'] as Array<'jpeg' | 'png' | 'webp'>,
  maxBytes: 5_000_000,
  maxWidth: 4096,
  maxHeight: 4096,
};

export const manifest: PluginManifest = {
  id: 'own-app',
  name: { zh: '本单位客户端/网站', en: "Unit's own app or CMS" },
  version: '0.1.0',
  sdk: '^0.1.0',
  auth: { kind: 'hmac' },
  credentials: [
    {
      name: 'endpoint',
      label: { zh: '接收地址', en: 'Receiver URL' },
      secret: false,
      required: true,
      scope: 'account',
      description: {
        zh: '本单位系统实现的接收接口地址（https），统发向其推送签名请求，见插件说明',
        en: "The unit's receiver URL (https) that Tongfa pushes signed requests to; see the plugin README",
      },
      pattern: '^(https?://|/)\\S+$',
    },
    {
      name: 'secret',
      label: { zh: '签名密钥', en: 'Signing secret' },
      secret: true,
      required: true,
      scope: 'account',
      description: { zh: '至少 32 个字符，双方共同持有', en: 'At least 32 characters, shared with the receiver' },
      pattern: '^.{32,}$',
    },
  ],
  capabilities: ['article', 'retract', 'listPosts'],
  interaction: {
    unsupported: {
      zh: '单位客户端的评论与留言接口因厂商而异，尚无约定；接入后可按签名推送（HMAC-SHA256）实现 messages 能力',
      en: "Unit apps' comment and message APIs differ by vendor and none is agreed yet; a signed push (HMAC-SHA256) can implement messages once one is",
    },
  },
  constraints: {
    // The contract's guaranteed minimum: a receiver must accept at least these sizes.
    title: { min: 1, max: 200, counter: 'codePoints' },
    body: { min: 1, max: 200_000, counter: 'codePoints' },
    summary: { max: 500, counter: 'codePoints' },
    cover: { maxCount: 1, ...IMAGE_LIMITS },
    images: { maxCount: 30, ...IMAGE_LIMITS },
  },
  rateLimits: {
    perApp: { tokens: 600, intervalMs: 60_000 },
    perAccount: { tokens: 60, intervalMs: 60_000 },
  },
  // Receivers live on the units' own hosts; government hosts are allowed by default, others must be
  // added to the deployment's egress allowlist by the operator (see README).
  allowedHosts: ['*.gov.cn'],
  // A relative `endpoint` credential resolves against this base; an absolute one (the normal case) ignores it.
  endpoints: { receiver: 'https://receiver.gov.cn' },
  postListing: {
    // The unit's own system: no platform quota exists; 100 a day keeps polling polite [I].
    dailyCallsPerAccount: 100,
    quotaBasis: 'assumed',
    quotaSource: "the unit's own receiver (README contract); no platform quota, 100 a day assumed",
    quotaResetTimeZone: 'Asia/Shanghai',
    maxPageSize: 50,
    maxCallsPerUrlCheck: 1,
    // Typical: units' sites are under gov.cn. getPostByUrl asks the receiver about any http(s) address.
    postUrlHosts: ['*.gov.cn'],
    notes: {
      zh: '须接收方实现列表接口（GET E/items）；未实现时列表调用失败并说明原因',
      en: 'Needs the receiver to implement the list call (GET E/items); without it listing fails with a clear reason',
    },
  },
};

/** The receiver's error body. */
interface ReceiverError {
  error?: string;
  message?: string;
  violations?: Array<{ field?: string; message?: string }>;
}

interface ItemView {
  id: string | number;
  url?: string;
  deleted?: boolean;
  /** List answers (GET E/items) only. */
  title?: string;
  text?: string;
  summary?: string;
  /** Unix seconds or an ISO 8601 string. */
  publishedAt?: number | string;
}

function errorBody(res: HttpResponse): ReceiverError {
  try {
    const v = res.json<unknown>();
    return v && typeof v === 'object' ? (v as ReceiverError) : {};
  } catch {
    return {};
  }
}

/**
 * Maps the receiver's HTTP answer to the SDK's typed errors (table in README "Responses"). The
 * receiver's own words (its `message`s) never become ours: the receiver URL is typed in by a unit,
 * so whatever answers there must not be able to put text in front of editors. Fields and codes do,
 * reduced to safe characters; the words go to the log, shortened.
 */
function fail(res: HttpResponse, log?: PluginLogger): never {
  const body = errorBody(res);
  const code = safeToken(body.error) ?? res.status;
  if (log && (body.message || body.violations?.length)) {
    log.warn('receiver refused', {
      status: res.status,
      error: code,
      message: body.message?.slice(0, 200),
      violations: body.violations?.slice(0, 10).map((v) => `${String(v.field).slice(0, 40)}: ${String(v.message).slice(0, 100)}`),
    });
  }
  if (res.status === 429 || (res.status === 503 && res.headers['retry-after'])) {
    const seconds = Number(res.headers['retry-after']);
    throw new RateLimitedError(Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 60_000, { platformCode: code });
  }
  if (res.status >= 500)
    throw new TransientError({
      platformCode: code,
      zh: `接收方暂时不可用（HTTP ${res.status}）`,
      en: `receiver unavailable (HTTP ${res.status})`,
    });
  if (res.status === 401 && body.error === 'stale_timestamp') {
    throw new PermanentError({
      platformCode: code,
      zh: '接收方拒绝了请求时间戳：双方时钟相差超过 5 分钟，请校准服务器时间',
      en: "the receiver refused the timestamp: the clocks differ by more than 5 minutes; fix the servers' time",
    });
  }
  if (res.status === 401) {
    throw new AuthExpiredError({
      platformCode: code,
      zh: '接收方签名校验失败，请核对签名密钥',
      en: 'the receiver rejected the signature; check the signing secret',
    });
  }
  if (res.status === 400 || res.status === 413 || res.status === 422) {
    const violations: ConstraintIssue[] = (body.violations ?? []).map((v) => {
      const field = typeof v.field === 'string' ? v.field.replace(/[^A-Za-z0-9_.[\]]/g, '').slice(0, 60) : '';
      return {
        constraint: field || 'content',
        message: `接收方认为${field ? `“${field}”` : '内容'}不符合要求 / the receiver refused ${field || 'the content'}`,
      };
    });
    if (res.status === 413)
      violations.push({ constraint: 'content', message: '推送内容超出接收方大小限制 / payload too large for the receiver' });
    throw new ContentInvalidError(
      violations.length
        ? violations
        : [{ constraint: 'content', message: `接收方拒绝了内容（${code}）/ the receiver refused the content (${code})` }],
      { platformCode: code },
    );
  }
  throw new PermanentError({
    platformCode: code,
    zh: `接收方拒绝（HTTP ${res.status}${typeof code === 'string' ? `，${code}` : ''}）`,
    en: `receiver refused (HTTP ${res.status}${typeof code === 'string' ? `, ${code}` : ''})`,
  });
}

/** An error code as a receiver may send it, or nothing when it is not a short plain token. */
function safeToken(v: unknown): string | undefined {
  return typeof v === 'string' && /^[A-Za-z0-9_.:-]{1,40}$/.test(v) ? v : undefined;
}

function target(ctx: PluginContext, suffix = ''): URL {
  const base = ctx.credentials.endpoint;
  if (!base) throw new PermanentError({ zh: '未配置接收地址', en: 'no receiver URL configured' });
  const url = new URL(base, ctx.endpoints.receiver);
  if (suffix) url.pathname = `${url.pathname.replace(/\/$/, '')}${suffix}`;
  return url;
}

/** Sends one signed request (the contract's only transport). */
async function signed(
  ctx: PluginContext,
  method: 'GET' | 'POST' | 'DELETE',
  suffix: string,
  opts: { deliveryId?: string; body?: string; query?: Record<string, string> } = {},
): Promise<HttpResponse> {
  const secret = ctx.credentials.secret;
  if (!secret) throw new AuthExpiredError({ zh: '未配置签名密钥', en: 'no signing secret configured' });
  const url = target(ctx, suffix);
  // The query is part of the signed path, so it is set on the URL before signing.
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const timestamp = String(Math.floor(ctx.clock.now() / 1000));
  const body = opts.body ?? '';
  const headers: Record<string, string> = {
    [HEADER_TIMESTAMP]: timestamp,
    [HEADER_SIGNATURE]: sign(secret, { timestamp, method, path: url.pathname + url.search, deliveryId: opts.deliveryId ?? '', body }),
    accept: 'application/json',
  };
  if (opts.deliveryId) headers[HEADER_DELIVERY] = opts.deliveryId;
  if (body) headers['content-type'] = 'application/json; charset=utf-8';
  return ctx.http.request({ method, url: url.toString(), headers, body: body || undefined });
}

function item(res: HttpResponse): ItemView {
  const v = res.json<ItemView>();
  if (!v || (typeof v.id !== 'string' && typeof v.id !== 'number') || String(v.id) === '') {
    throw new PermanentError({ zh: '接收方返回内容缺少 id', en: 'the receiver answered without an id' });
  }
  return v;
}

// truncate() segments graphemes in quadratic time on very long text; only the head can survive a
// short limit anyway, so cut first (never inside a surrogate pair).
const head = (text: string, units: number) => text.slice(0, units).replace(/[\uD800-\uDBFF]$/, '');

const pathId = (id: string) => `/${encodeURIComponent(id)}`;

function listedOf(it: ItemView): ListedPost | undefined {
  if (it.deleted || !it.url || (typeof it.id !== 'string' && typeof it.id !== 'number')) return undefined;
  const at = typeof it.publishedAt === 'number' ? it.publishedAt * 1000 : Date.parse(String(it.publishedAt ?? ''));
  if (!Number.isFinite(at)) return undefined;
  return {
    remoteId: String(it.id),
    ...(it.title ? { title: it.title } : {}),
    text: it.text ?? it.summary ?? '',
    url: it.url,
    publishedAt: at,
    kind: 'article',
  };
}

/** GET E/items; a receiver that does not implement the list call is told apart from one that failed. */
async function items(ctx: PluginContext, query: Record<string, string>): Promise<{ items?: ItemView[]; nextCursor?: string | null }> {
  const res = await signed(ctx, 'GET', '/items', { query });
  if (res.status === 404 || res.status === 405 || res.status === 501) {
    throw new PermanentError({
      platformCode: res.status,
      zh: '接收方未实现列表接口 GET E/items（见插件说明），无法读取本单位系统中的稿件',
      en: 'the receiver does not implement GET E/items (see the plugin README), so its items cannot be listed',
    });
  }
  if (res.status !== 200) fail(res);
  return res.json<{ items?: ItemView[]; nextCursor?: string | null }>();
}

export const ownAppPlugin = definePlugin<OwnAppPayload>({
  manifest,

  // Nothing expires in an HMAC contract; a signed profile call proves the secret still matches, so a
  // rejected signature ends in needs_reauth (a person must re-enter the secret) instead of a loop.
  async refreshCredentials(ctx) {
    const res = await signed(ctx, 'GET', '/profile');
    if (res.status !== 200) fail(res, ctx.log);
    return { credentials: {} };
  },

  async getProfile(ctx) {
    const res = await signed(ctx, 'GET', '/profile');
    if (res.status !== 200) fail(res, ctx.log);
    const p = res.json<{ id?: string | number; name?: string; verifiedSubject?: string }>();
    const url = target(ctx);
    return {
      platformAccountId: p.id !== undefined && String(p.id) ? String(p.id) : url.host + url.pathname,
      name: p.name || url.host,
      verifiedSubject: p.verifiedSubject,
    };
  },

  render(input) {
    const c = manifest.constraints;
    const warnings: ConstraintIssue[] = [];
    const violations: ConstraintIssue[] = [];
    const take = (f: { warning?: ConstraintIssue; violation?: ConstraintIssue }) => {
      if (f.warning) warnings.push(f.warning);
      if (f.violation) violations.push(f.violation);
    };
    // The unit's own system shows the manuscript as reviewed, so nothing is rewritten: over-long fields
    // are violations for the editor, except the summary, which is derived text anyway.
    const title = fitText('title', input.title.trim(), c.title, { truncate: false });
    take(title);
    const body = fitText('body', input.bodyHtml, c.body, { truncate: false });
    take(body);
    const contentText = htmlToText(input.bodyHtml);
    const summary = fitText('summary', input.summary.trim() || truncate(head(contentText, 240), 120, 'codePoints'), c.summary, {
      truncate: true,
    });
    take(summary);

    const assets: AssetRequest[] = [];
    let coverKey: string | undefined;
    if (input.cover) {
      violations.push(...imageIssues(input.cover, c.cover!, 'cover'));
      coverKey = 'cover';
      assets.push({
        key: coverKey,
        ref: input.cover.ref,
        role: 'cover',
        spec: { ...fitSpecFor(input.cover, c.cover!), focus: input.cover.focus },
      });
    }
    const max = c.images!.maxCount;
    if (input.images.length > max) {
      warnings.push({
        constraint: 'images.maxCount',
        message: `仅推送前 ${max} 张图片 / only the first ${max} images are pushed`,
        limit: max,
        actual: input.images.length,
      });
    }
    input.images.slice(0, max).forEach((img, i) => {
      violations.push(...imageIssues(img, c.images!, `images[${i}]`));
      assets.push({ key: `image-${i}`, ref: img.ref, role: 'image', spec: fitSpecFor(img, c.images!) });
    });

    return {
      payload: {
        schema: 'tongfa.publish.v1',
        manuscriptId: input.manuscriptId,
        versionId: input.versionId,
        title: title.text,
        summary: summary.text,
        contentHtml: body.text,
        contentText,
        category: input.category,
        source: input.source,
        unitName: input.unitName,
        coverKey,
        imageKeys: assets.filter((a) => a.role === 'image').map((a) => a.key),
      },
      fields: { title: title.text, body: body.text, summary: summary.text },
      assets,
      warnings,
      violations,
    };
  },

  async publish(ctx, rendition) {
    const p = rendition.payload;
    const inline = async (key: string) => {
      const asset = rendition.assets.find((a) => a.key === key);
      if (!asset) throw new PermanentError({ zh: `渲染结果缺少图片 ${key}`, en: `rendition lacks asset ${key}` });
      const img = await ctx.images.fit(asset.ref, asset.spec);
      return {
        key,
        contentType: `image/${img.format}`,
        width: img.width,
        height: img.height,
        data: Buffer.from(img.bytes).toString('base64'),
      };
    };
    const { coverKey, imageKeys, ...fields } = p;
    const doc = {
      ...fields,
      deliveryId: ctx.idempotencyKey,
      cover: coverKey ? await inline(coverKey) : null,
      images: await Promise.all(imageKeys.map(inline)),
    };
    // One request, no checkpoint needed: the receiver dedupes on the delivery id, so a retry after a
    // lost response returns the item the first request created.
    const res = await signed(ctx, 'POST', '', { deliveryId: ctx.idempotencyKey, body: JSON.stringify(doc) });
    if (res.status !== 200 && res.status !== 201) fail(res, ctx.log);
    const it = item(res);
    return { remoteId: String(it.id), url: it.url, status: 'published' };
  },

  async publishStatus(ctx, remoteId) {
    const res = await signed(ctx, 'GET', `/items${pathId(remoteId)}`);
    if (res.status === 404 || res.status === 410) return { status: 'deleted' };
    if (res.status !== 200) fail(res, ctx.log);
    const it = item(res);
    return it.deleted ? { status: 'deleted' } : { status: 'published', url: it.url };
  },

  async findExisting(ctx, idempotencyKey): Promise<PublishResult | null> {
    const res = await signed(ctx, 'GET', `/deliveries${pathId(idempotencyKey)}`);
    if (res.status === 404) return null;
    if (res.status !== 200) {
      try {
        fail(res, ctx.log);
      } catch (e) {
        // Only a clear 404 proves absence; anything else leaves the question open.
        throw new AmbiguousError({ zh: '无法确认接收方是否已收到', en: 'cannot tell whether the receiver has the item', cause: e });
      }
    }
    const it = item(res);
    return { remoteId: String(it.id), url: it.url, status: 'published' };
  },

  /** The unit's items, newest first, including those not published through Tongfa (`GET E/items`). */
  async listPosts(ctx, params) {
    const query: Record<string, string> = { limit: String(pageSize(params.limit, manifest.postListing!.maxPageSize)) };
    if (params.cursor) query.cursor = params.cursor;
    if (params.since !== undefined) query.since = String(Math.floor(params.since / 1000));
    const r = await items(ctx, query);
    const since = params.since ?? -Infinity;
    const posts = (r.items ?? []).map(listedOf).filter((p): p is ListedPost => p !== undefined && p.publishedAt >= since);
    return { posts, nextCursor: typeof r.nextCursor === 'string' && r.nextCursor ? r.nextCursor : undefined };
  },

  /**
   * Asks the receiver which of its items has this address (`GET E/items?url=`). Units' sites are not all
   * under gov.cn, so any http(s) address is asked about; the receiver knows its own URLs.
   */
  async getPostByUrl(ctx, input) {
    if (typeof input !== 'string' || input.length > MAX_POST_URL_LENGTH) return null;
    let u: URL;
    try {
      u = new URL(input.trim());
    } catch {
      return null;
    }
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password) return null;
    u.hash = '';
    const r = await items(ctx, { url: u.toString() });
    for (const it of r.items ?? []) {
      const p = listedOf(it);
      if (p) return p;
    }
    return null;
  },

  async retract(ctx, remoteId) {
    const res = await signed(ctx, 'DELETE', `/items${pathId(remoteId)}`);
    // Already gone counts as retracted.
    if (res.status === 200 || res.status === 204 || res.status === 404 || res.status === 410) return;
    fail(res, ctx.log);
  },
});

export default ownAppPlugin;
