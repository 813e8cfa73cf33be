import { randomBytes } from 'node:crypto';
import { countWith } from '@tongfa/plugin-sdk';
import {
  createSimulator,
  type SimAccount,
  type SimPost,
  type SimRequest,
  type SimResponse,
  type Simulator,
} from '@tongfa/plugin-sdk/testing';
import { Codes } from './api';
import { CONTENT_MAX, COVER_MAX_BYTES, SUMMARY_MAX, TITLE_MAX } from './manifest';
import { DEFAULT_FIELDS, type FieldMap } from './settings';
import { sign, SIGN_HEADERS, signaturesEqual, stringToSign, TIMESTAMP_TOLERANCE_MS } from './signing';

/** Options of the 南方号 ingestion simulator. */
export interface NanfangSimulatorOptions {
  /** How long the platform's review takes before an article is published or rejected (default 200 ms). */
  reviewMs?: number;
  /** Words the review rejects an article for (default ['违禁词']). */
  rejectWords?: string[];
  /** The wire field names this deployment's contract uses (default DEFAULT_FIELDS). */
  fieldMap?: Partial<FieldMap>;
  /** Column codes the platform accepts (default the manuscript categories). */
  categories?: string[];
  /** Signed requests per app key per minute (default 60). */
  requestsPerMinute?: number;
  /** Article list calls per app key per day before 429 + 42900 (default 100, what the plugin declares) [I]. */
  listPerDay?: number;
}

const MINUTE = 60_000;

function envelope(code: number, message: string, data?: unknown, status = 200): SimResponse {
  return { status, json: { code, message, data, request_id: randomBytes(8).toString('hex') } };
}
const ok = (data: unknown) => envelope(Codes.ok, 'ok', data);
const invalid = (field: string, message: string) => envelope(Codes.invalidParam, message, { field });

function sniff(data: Buffer): 'jpeg' | 'png' | undefined {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  return undefined;
}

/**
 * A simulator of the signed content-ingestion contract the nanfang plugin speaks (NOT an official 南方号
 * API; see the README): HMAC-SHA256 request signatures with a 5-minute timestamp window and nonce replay
 * protection, base64 cover upload, article submission deduplicated on client_request_id, asynchronous
 * review (pending → published | rejected with a reason), withdrawal, metrics and per-key rate limits.
 */
export function createNanfangSimulator(options: NanfangSimulatorOptions = {}): Simulator {
  const reviewMs = options.reviewMs ?? 200;
  const rejectWords = options.rejectWords ?? ['违禁词'];
  const f: FieldMap = { ...DEFAULT_FIELDS, ...options.fieldMap };
  const categories = new Set(options.categories ?? ['policy', 'news', 'notice', 'emergency', 'reprint']);
  const perMinute = options.requestsPerMinute ?? 60;
  const listPerDay = options.listPerDay ?? 100;

  let nonces = new Map<string, number>();
  let calls = new Map<string, number[]>();
  let images = new Map<string, { account: string; bytes: number }>();
  let articles = new Map<string, SimPost>();
  let nextArticle = 20_000_000 + (randomBytes(2).readUInt16BE(0) % 10_000) * 1000;

  /** The signed caller's account, or the contract's error. */
  const verify = (req: SimRequest, sim: Simulator): SimAccount | SimResponse => {
    const h = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const appKey = h(SIGN_HEADERS.appKey);
    const ts = h(SIGN_HEADERS.timestamp);
    const nonce = h(SIGN_HEADERS.nonce);
    const signature = h(SIGN_HEADERS.signature);
    const account = appKey ? sim.accounts.find((a) => a.credentials.appKey === appKey) : undefined;
    if (!account) return envelope(Codes.unknownAppKey, 'unknown app key', undefined, 401);
    if (!ts || !/^\d{9,11}$/.test(ts) || Math.abs(sim.now() - Number(ts) * 1000) > TIMESTAMP_TOLERANCE_MS) {
      return envelope(Codes.timestampExpired, 'timestamp expired or invalid (allowed skew 300 s)', undefined, 401);
    }
    if (!nonce || !/^[A-Za-z0-9]{16,64}$/.test(nonce))
      return envelope(Codes.signatureMismatch, 'missing or malformed nonce', undefined, 401);
    if (!signature) return envelope(Codes.signatureMismatch, 'missing signature', undefined, 401);
    const expected = sign(
      account.credentials.appSecret,
      stringToSign({ method: req.method, path: req.path, query: req.query, appKey: appKey!, timestamp: ts, nonce, body: req.rawBody }),
    );
    if (!signaturesEqual(expected, signature.toLowerCase())) return envelope(Codes.signatureMismatch, 'signature mismatch', undefined, 401);
    // Nonces are remembered for as long as their timestamp is acceptable; older ones fail the window anyway.
    for (const [n, at] of nonces) if (at < sim.now() - 2 * TIMESTAMP_TOLERANCE_MS) nonces.delete(n);
    if (nonces.has(`${appKey}:${nonce}`)) return envelope(Codes.nonceReplayed, 'nonce already used', undefined, 401);
    nonces.set(`${appKey}:${nonce}`, sim.now());
    const recent = (calls.get(account.id) ?? []).filter((t) => t > sim.now() - MINUTE);
    if (recent.length >= perMinute) {
      const retry = Math.max(1, Math.ceil((recent[0] + MINUTE - sim.now()) / 1000));
      return { status: 429, headers: { 'retry-after': String(retry) }, json: { code: Codes.rateLimited, message: 'too many requests' } };
    }
    recent.push(sim.now());
    calls.set(account.id, recent);
    return account;
  };
  const failed = (x: SimAccount | SimResponse): x is SimResponse => !('credentials' in x);

  const publishNow = (post: SimPost, sim: Simulator) => {
    const e = post.extra;
    e.status = 'published';
    e.publishedAt = sim.now();
    const d = new Date(sim.now());
    e.url = `https://static.nfapp.southcn.com/content/${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(e.articleId)}.html`;
    post.metrics.views += 1 + (Number(e.articleId) % 97);
  };

  /** Moves a pending article through review once its time has come. */
  const reviewed = (post: SimPost, sim: Simulator): SimPost => {
    const e = post.extra;
    if (e.status === 'pending' && sim.now() >= (e.submittedAt as number) + reviewMs) {
      const word = rejectWords.find((w) => post.title.includes(w) || post.text.includes(w));
      if (word) {
        e.status = 'rejected';
        e.reason = `内容含有敏感词“${word}”`;
      } else {
        publishNow(post, sim);
      }
    }
    return post;
  };

  const view = (post: SimPost) => ({
    // A number on the wire, as many CMS contracts send ids; clients should not assume either type.
    article_id: Number(post.extra.articleId),
    status: post.extra.status,
    reason: post.extra.reason,
    url: post.extra.url,
    client_request_id: post.idempotencyMarker,
    // Contract extensions for listing.
    title: post.title,
    summary: post.extra.summary,
    published_at: typeof post.extra.publishedAt === 'number' ? Math.floor(post.extra.publishedAt / 1000) : undefined,
  });

  const own = (req: SimRequest, sim: Simulator, account: SimAccount): SimPost | SimResponse => {
    const post = articles.get(req.params.id);
    if (!post || post.account !== account.id) return envelope(Codes.notFound, 'article not found');
    return reviewed(post, sim);
  };
  const isPost = (x: SimPost | SimResponse): x is SimPost => 'extra' in x && 'account' in x;

  const sameUrl = (a: unknown, b: string) => {
    try {
      const strip = (x: string) => {
        const u = new URL(x);
        u.hash = '';
        return u.href;
      };
      return typeof a === 'string' && strip(a) === strip(b);
    } catch {
      return false;
    }
  };

  const sim = createSimulator({
    platform: 'nanfang',
    // An article entered in the platform's own backend: no client_request_id, published at once.
    nativePost: (input, s) => {
      const articleId = String(nextArticle++);
      const post = s.createPost({
        account: input.account.id,
        title: input.title ?? [...input.text].slice(0, 30).join(''),
        text: `<p>${input.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`,
        extra: {
          articleId,
          status: 'pending',
          submittedAt: s.now(),
          summary: [...input.text].slice(0, 120).join(''),
          source: input.account.name,
          sourceType: input.link ? 'reprint' : 'original',
          sourceUrl: input.link,
          category: 'news',
        },
      });
      publishNow(post, s);
      articles.set(articleId, post);
      return post;
    },
    postUrl: (p) => (typeof p.extra.url === 'string' ? p.extra.url : undefined),
    createAccount: (account) => ({ appKey: `nf${account.id}`, appSecret: randomBytes(24).toString('base64url') }),
    tokenFrom: (req) => {
      const v = req.headers[SIGN_HEADERS.appKey];
      return Array.isArray(v) ? v[0] : v;
    },
    faultResponses: {
      rate_limit: (_req, s) => ({
        status: 429,
        headers: { 'retry-after': String(s.faults.retryAfterSec ?? 1) },
        json: { code: Codes.rateLimited, message: 'too many requests' },
      }),
      server_error: () => envelope(Codes.internal, 'internal error', undefined, 500),
      token_expired: () => envelope(Codes.credentialsRevoked, 'credentials disabled', undefined, 401),
    },
    routes: [
      {
        method: 'GET',
        path: '/v1/account',
        handler: (req, s) => {
          const a = verify(req, s);
          if (failed(a)) return a;
          return ok({ account_id: a.id, name: a.name, verified_subject: a.subject, followers: 500 + (Number(a.id) % 5000) });
        },
      },
      {
        method: 'POST',
        path: '/v1/images',
        handler: (req, s) => {
          const a = verify(req, s);
          if (failed(a)) return a;
          const data = typeof req.body.data === 'string' ? req.body.data : '';
          if (!data || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return invalid('data', 'data must be base64');
          const bytes = Buffer.from(data, 'base64');
          const kind = sniff(bytes);
          if (!kind) return envelope(Codes.imageFormat, 'only JPEG and PNG are accepted');
          if (typeof req.body.content_type === 'string' && req.body.content_type !== `image/${kind}`) {
            return invalid('content_type', `content_type ${req.body.content_type} does not match the image (${kind})`);
          }
          if (bytes.length > COVER_MAX_BYTES) return envelope(Codes.imageTooLarge, `image larger than ${COVER_MAX_BYTES} bytes`);
          const id = s.newId('img');
          images.set(id, { account: a.id, bytes: bytes.length });
          return ok({ image_id: id, url: `https://img.nfapp.southcn.com/${id}.${kind === 'jpeg' ? 'jpg' : 'png'}` });
        },
      },
      {
        method: 'POST',
        path: '/v1/articles',
        handler: (req, s) => {
          const a = verify(req, s);
          if (failed(a)) return a;
          const b = req.body;
          const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : undefined);
          const crid = str(f.clientRequestId);
          if (!crid || !/^[A-Za-z0-9_-]{8,64}$/.test(crid))
            return invalid(f.clientRequestId, `${f.clientRequestId} must be 8–64 of [A-Za-z0-9_-]`);
          // Idempotent on client_request_id: a repeated submit returns the article the first one created.
          const existing = s.posts.find((p) => p.account === a.id && p.idempotencyMarker === crid);
          if (existing) return ok({ ...view(reviewed(existing, s)), duplicate: true });
          const title = str(f.title)?.trim() ?? '';
          if (!title) return invalid(f.title, `${f.title} is required`);
          if (countWith('codePoints', title) > TITLE_MAX)
            return envelope(Codes.titleTooLong, `title longer than ${TITLE_MAX}`, { field: f.title });
          const summary = str(f.summary) ?? '';
          if (countWith('codePoints', summary) > SUMMARY_MAX) return invalid(f.summary, `${f.summary} longer than ${SUMMARY_MAX}`);
          const content = str(f.content) ?? '';
          if (!content.replace(/<[^>]*>/g, '').trim()) return invalid(f.content, `${f.content} is required`);
          if (countWith('codePoints', content) > CONTENT_MAX)
            return envelope(Codes.contentTooLong, `content longer than ${CONTENT_MAX}`, { field: f.content });
          const source = str(f.source)?.trim();
          if (!source) return invalid(f.source, `${f.source} is required`);
          const sourceType = str(f.sourceType);
          if (sourceType !== 'original' && sourceType !== 'reprint')
            return invalid(f.sourceType, `${f.sourceType} must be original or reprint`);
          const category = str(f.category);
          if (!category || !categories.has(category)) return invalid(f.category, `unknown ${f.category} ${category ?? ''}`);
          const cover = str(f.cover);
          if (cover !== undefined && images.get(cover)?.account !== a.id) return invalid(f.cover, `unknown ${f.cover}`);
          const articleId = String(nextArticle++);
          const post = s.createPost({
            account: a.id,
            title,
            text: content,
            idempotencyMarker: crid,
            extra: { articleId, status: 'pending', submittedAt: s.now(), summary, source, sourceType, category, cover },
          });
          articles.set(articleId, post);
          return ok(view(post));
        },
      },
      {
        method: 'GET',
        path: '/v1/articles',
        handler: (req, s) => {
          const a = verify(req, s);
          if (failed(a)) return a;
          const crid = req.query.client_request_id;
          if (crid) {
            const items = s.posts.filter((p) => p.account === a.id && p.idempotencyMarker === crid).map((p) => view(reviewed(p, s)));
            return ok({ items });
          }
          const mine = s.posts.filter((p) => p.account === a.id && p.extra.articleId !== undefined).map((p) => reviewed(p, s));
          if (req.query.url !== undefined) {
            // Lookup by public address: this key's articles only.
            return ok({ items: mine.filter((p) => !p.deleted && sameUrl(p.extra.url, req.query.url)).map(view) });
          }
          if (!s.takeDailyQuota(a.id, 'articles/list', listPerDay)) {
            return {
              status: 429,
              headers: { 'retry-after': String(Math.ceil(s.untilQuotaReset() / 1000)) },
              json: { code: Codes.rateLimited, message: 'daily list quota used up' },
            };
          }
          const limit = Number(req.query.limit ?? 20);
          const offset = Number(req.query.cursor || 0);
          const since = req.query.since === undefined ? 0 : Number(req.query.since);
          if (!Number.isInteger(limit) || limit < 1 || limit > 50) return invalid('limit', 'limit must be 1–50');
          if (!Number.isInteger(offset) || offset < 0) return invalid('cursor', 'bad cursor');
          if (!Number.isFinite(since)) return invalid('since', 'since must be unix seconds');
          // Published articles, newest first, including those entered in the platform's backend.
          const published = mine
            .filter((p) => !p.deleted && p.extra.status === 'published' && (p.extra.publishedAt as number) >= since * 1000)
            .sort((x, y) => (y.extra.publishedAt as number) - (x.extra.publishedAt as number));
          const page = published.slice(offset, offset + limit);
          const more = offset + page.length < published.length;
          return ok({ items: page.map(view), next_cursor: more ? String(offset + page.length) : null });
        },
      },
      {
        method: 'GET',
        path: '/v1/articles/:id',
        handler: (req, s) => {
          const a = verify(req, s);
          if (failed(a)) return a;
          const p = own(req, s, a);
          return isPost(p) ? ok(view(p)) : p;
        },
      },
      {
        method: 'POST',
        path: '/v1/articles/:id/withdraw',
        handler: (req, s) => {
          const a = verify(req, s);
          if (failed(a)) return a;
          const p = own(req, s, a);
          if (!isPost(p)) return p;
          p.extra.status = 'withdrawn';
          p.deleted = true;
          return ok(view(p));
        },
      },
      {
        method: 'GET',
        path: '/v1/articles/:id/metrics',
        handler: (req, s) => {
          const a = verify(req, s);
          if (failed(a)) return a;
          const p = own(req, s, a);
          if (!isPost(p)) return p;
          return ok({
            read_count: p.metrics.views,
            like_count: p.metrics.likes,
            share_count: p.metrics.shares,
            comment_count: p.comments.length,
            stat_time: Math.floor(s.now() / 1000),
          });
        },
      },
    ],
  });

  const baseReset = sim.reset.bind(sim);
  sim.reset = () => {
    baseReset();
    nonces = new Map();
    calls = new Map();
    images = new Map();
    articles = new Map();
  };
  return sim;
}
