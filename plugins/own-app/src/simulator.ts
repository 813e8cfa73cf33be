import { createHash, randomBytes } from 'node:crypto';
import {
  createSimulator,
  type SimAccount,
  type SimPost,
  type SimRequest,
  type SimResponse,
  type Simulator,
} from '@tongfa/plugin-sdk/testing';
import { HEADER_DELIVERY, HEADER_SIGNATURE, HEADER_TIMESTAMP, TIMESTAMP_TOLERANCE_SEC, verifySignature } from './signature';

/** Options of the own-app simulator (a typical unit CMS implementing the Tongfa receiver contract). */
export interface OwnAppSimulatorOptions {
  /** Largest request body the receiver accepts (default 64 MB). */
  maxBodyBytes?: number;
  /** List calls per receiver per day before 429 (default 100, what the plugin declares). */
  listPerDay?: number;
  /** A receiver that never implemented the list call (answers 404 to GET E/items). */
  noList?: boolean;
}

const LIMITS = { title: 200, body: 200_000, summary: 500, images: 30, imageBytes: 5_000_000 };
const MAGIC: Record<string, (b: Buffer) => boolean> = {
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

const codePoints = (s: string) => [...s].length;
const err = (status: number, error: string, message: string, extra: Record<string, unknown> = {}): SimResponse => ({
  status,
  json: { error, message, ...extra },
});
const header = (req: SimRequest, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Plays the unit's CMS: checks the signature and the timestamp window on every request, dedupes pushes
 * on the delivery id, validates the document as the README's contract says, and answers `{id, url}`.
 */
export function createOwnAppSimulator(options: OwnAppSimulatorOptions = {}): Simulator {
  const maxBody = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const listPerDay = options.listPerDay ?? 100;

  /** Authenticates a request for the CMS of `:account`; returns the account or an error response. */
  function authenticate(req: SimRequest, sim: Simulator): SimAccount | SimResponse {
    const account = sim.accounts.find((a) => a.id === req.params.account);
    if (!account) return err(404, 'not_found', 'no such receiver');
    const ts = header(req, HEADER_TIMESTAMP);
    if (!ts || !/^\d{9,11}$/.test(ts)) return err(401, 'invalid_signature', 'missing or malformed X-Tongfa-Timestamp');
    const prefix = `/${sim.platform}`;
    const query = new URLSearchParams(req.query).toString();
    const ok = verifySignature(
      account.credentials.secret,
      {
        timestamp: ts,
        method: req.method,
        path: `${prefix}${req.path}${query ? `?${query}` : ''}`,
        deliveryId: header(req, HEADER_DELIVERY) ?? '',
        body: req.rawBody.toString('utf8'),
      },
      header(req, HEADER_SIGNATURE),
    );
    if (!ok) return err(401, 'invalid_signature', 'signature mismatch');
    // Checked after the signature, so an attacker cannot learn the receiver's clock from unsigned probes.
    if (Math.abs(Math.floor(sim.now() / 1000) - Number(ts)) > TIMESTAMP_TOLERANCE_SEC) {
      return err(401, 'stale_timestamp', `timestamp outside ±${TIMESTAMP_TOLERANCE_SEC}s`);
    }
    return account;
  }

  const itemUrl = (accountId: string, id: string) => `https://www.unit${accountId}.gov.cn/content/${id}.html`;
  const view = (account: SimAccount, id: string, deleted: boolean) => ({ id, url: itemUrl(account.id, id), deleted });
  const listView = (p: SimPost) => ({
    id: p.id,
    url: itemUrl(p.account, p.id),
    title: p.title,
    text: p.text,
    publishedAt: p.createdAt,
  });
  const sameUrl = (a: string, b: string) => {
    try {
      const x = new URL(a);
      const y = new URL(b);
      x.hash = '';
      y.hash = '';
      return x.href === y.href;
    } catch {
      return false;
    }
  };

  function validate(doc: Record<string, unknown>, delivery: string): Array<{ field: string; message: string }> {
    const v: Array<{ field: string; message: string }> = [];
    const str = (k: string) => (typeof doc[k] === 'string' ? (doc[k] as string) : undefined);
    if (doc.schema !== 'tongfa.publish.v1') v.push({ field: 'schema', message: 'schema must be tongfa.publish.v1' });
    if (doc.deliveryId !== delivery) v.push({ field: 'deliveryId', message: 'deliveryId must equal X-Tongfa-Delivery' });
    const title = str('title');
    if (!title || !title.trim()) v.push({ field: 'title.min', message: '标题不能为空' });
    else if (codePoints(title) > LIMITS.title) v.push({ field: 'title.max', message: `标题超过 ${LIMITS.title} 字` });
    const html = str('contentHtml');
    if (!html) v.push({ field: 'body.min', message: '正文不能为空' });
    else if (codePoints(html) > LIMITS.body) v.push({ field: 'body.max', message: `正文超过 ${LIMITS.body} 字` });
    const summary = str('summary') ?? '';
    if (codePoints(summary) > LIMITS.summary) v.push({ field: 'summary.max', message: `摘要超过 ${LIMITS.summary} 字` });
    for (const k of ['manuscriptId', 'versionId', 'category']) if (!str(k)) v.push({ field: k, message: `${k} required` });
    const images = Array.isArray(doc.images) ? (doc.images as unknown[]) : null;
    if (!images) v.push({ field: 'images', message: 'images must be an array' });
    else if (images.length > LIMITS.images) v.push({ field: 'images.maxCount', message: `最多 ${LIMITS.images} 张图片` });
    const check = (img: unknown, field: string) => {
      const o = (img ?? {}) as Record<string, unknown>;
      const type = typeof o.contentType === 'string' ? o.contentType : '';
      const data = typeof o.data === 'string' ? Buffer.from(o.data, 'base64') : Buffer.alloc(0);
      if (!Object.hasOwn(MAGIC, type)) v.push({ field: `${field}.formats`, message: `unsupported contentType ${type}` });
      else if (!MAGIC[type](data)) v.push({ field: `${field}.formats`, message: `data is not ${type}` });
      if (data.length > LIMITS.imageBytes) v.push({ field: `${field}.maxBytes`, message: 'image too large' });
    };
    (images ?? []).forEach((img, i) => check(img, `images[${i}]`));
    if (doc.cover !== null && doc.cover !== undefined) check(doc.cover, 'cover');
    return v;
  }

  const base = '/cms/:account/tongfa';
  return createSimulator({
    platform: 'own-app',
    postUrl: (p) => itemUrl(p.account, p.id),
    createAccount: (account) => ({
      endpoint: `/own-app/cms/${account.id}/tongfa`,
      secret: randomBytes(32).toString('hex'),
    }),
    faultResponses: {
      rate_limit: (_req, sim) => ({
        status: 429,
        headers: { 'retry-after': String(sim.faults.retryAfterSec ?? 1) },
        json: { error: 'rate_limited', message: 'too many requests' },
      }),
      server_error: () => err(503, 'unavailable', 'CMS is restarting'),
      // The receiver rotated or lost its copy of the secret: signatures stop matching.
      token_expired: () => err(401, 'invalid_signature', 'signature mismatch'),
    },
    routes: [
      {
        method: 'GET',
        path: `${base}/profile`,
        // A connection test, like a token endpoint: never faulted, so a refresh can tell a bad secret.
        auth: true,
        handler: (req, sim) => {
          const a = authenticate(req, sim);
          if (!('credentials' in a)) return a;
          return { json: { id: `unit-${a.id}`, name: a.name, verifiedSubject: a.subject } };
        },
      },
      {
        method: 'POST',
        path: base,
        handler: (req, sim) => {
          const a = authenticate(req, sim);
          if (!('credentials' in a)) return a;
          if (req.rawBody.length > maxBody) return err(413, 'payload_too_large', `body over ${maxBody} bytes`);
          if (!String(req.headers['content-type'] ?? '').includes('application/json')) {
            return err(400, 'invalid_payload', 'content-type must be application/json');
          }
          const delivery = header(req, HEADER_DELIVERY);
          if (!delivery || delivery.length > 200) return err(400, 'invalid_payload', 'X-Tongfa-Delivery required (≤200 chars)');
          const digest = createHash('sha256').update(req.rawBody).digest('hex');
          const seen = sim.posts.find((p) => p.account === a.id && p.idempotencyMarker === delivery);
          if (seen) {
            // The same delivery again (a retry after a lost answer): same item, nothing new.
            if (seen.extra.digest !== digest) return err(409, 'delivery_conflict', 'this delivery id was used for another document');
            return { status: 200, json: view(a, seen.id, seen.deleted) };
          }
          const violations = validate(req.body, delivery);
          if (violations.length) return err(422, 'invalid_payload', violations.map((x) => x.message).join('; '), { violations });
          const doc = req.body as Record<string, string>;
          const post = sim.createPost({
            account: a.id,
            title: doc.title,
            text: doc.contentText ?? doc.contentHtml,
            idempotencyMarker: delivery,
            extra: { digest, images: (req.body.images as unknown[]).length, hasCover: !!req.body.cover, category: doc.category },
          });
          return { status: 201, json: view(a, post.id, false) };
        },
      },
      {
        method: 'GET',
        path: `${base}/deliveries/:delivery`,
        handler: (req, sim) => {
          const a = authenticate(req, sim);
          if (!('credentials' in a)) return a;
          const p = sim.posts.find((x) => x.account === a.id && x.idempotencyMarker === req.params.delivery);
          return p ? { json: view(a, p.id, p.deleted) } : err(404, 'not_found', 'no item for this delivery');
        },
      },
      {
        method: 'GET',
        path: `${base}/items`,
        handler: (req, sim) => {
          const a = authenticate(req, sim);
          if (!('credentials' in a)) return a;
          if (options.noList) return err(404, 'not_found', 'no such route');
          // Everything the unit's CMS holds, newest first, whoever published it.
          const mine = sim.posts.filter((p) => p.account === a.id && !p.deleted).reverse();
          if (req.query.url !== undefined)
            return { json: { items: mine.filter((p) => sameUrl(itemUrl(a.id, p.id), req.query.url)).map(listView) } };
          if (!sim.takeDailyQuota(a.id, 'items', listPerDay)) {
            return {
              status: 429,
              headers: { 'retry-after': String(Math.ceil(sim.untilQuotaReset() / 1000)) },
              json: { error: 'rate_limited', message: 'daily list quota used up' },
            };
          }
          const limit = Number(req.query.limit ?? 20);
          const offset = Number(req.query.cursor || 0);
          const since = req.query.since === undefined ? 0 : Number(req.query.since);
          if (!Number.isInteger(limit) || limit < 1 || limit > 50 || !Number.isInteger(offset) || offset < 0 || !Number.isFinite(since)) {
            return err(400, 'invalid_query', 'limit 1–50, cursor an offset, since unix seconds');
          }
          const fresh = mine.filter((p) => Date.parse(p.createdAt) >= since * 1000);
          const page = fresh.slice(offset, offset + limit);
          const more = offset + page.length < fresh.length;
          return { json: { items: page.map(listView), nextCursor: more ? String(offset + page.length) : null } };
        },
      },
      {
        method: 'GET',
        path: `${base}/items/:id`,
        handler: (req, sim) => {
          const a = authenticate(req, sim);
          if (!('credentials' in a)) return a;
          const p = sim.findPost(req.params.id);
          return p && p.account === a.id ? { json: view(a, p.id, p.deleted) } : err(404, 'not_found', 'no such item');
        },
      },
      {
        method: 'DELETE',
        path: `${base}/items/:id`,
        handler: (req, sim) => {
          const a = authenticate(req, sim);
          if (!('credentials' in a)) return a;
          const p = sim.findPost(req.params.id);
          if (!p || p.account !== a.id) return err(404, 'not_found', 'no such item');
          p.deleted = true;
          return { status: 204 };
        },
      },
    ],
  });
}
