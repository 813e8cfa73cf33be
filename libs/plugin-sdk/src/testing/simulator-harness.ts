import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** Fault kinds a simulator can inject (see README "Testing"). */
export type FaultKind = 'rate_limit' | 'server_error' | 'slow' | 'token_expired' | 'lost_response';
export const FAULT_KINDS: readonly FaultKind[] = ['rate_limit', 'server_error', 'slow', 'token_expired', 'lost_response'];

/** Fault injection settings, as sent to `PUT /_sandbox/<platform>/faults`. */
export interface FaultConfig {
  /** Probability (0–1) that an eligible request gets a fault. */
  rate: number;
  kinds: FaultKind[];
  /** RNG seed, so a failing run can be replayed. */
  seed?: number;
  /** Inject at most this many faults, then behave normally (unset: unlimited). */
  remaining?: number;
  /** Let this many eligible requests through untouched first (e.g. to lose the response of the 3rd write). */
  after?: number;
  /** Delay of a `slow` response (default 2000 ms). */
  slowMs?: number;
  /** Retry-After of a `rate_limit` response (default 1 s). */
  retryAfterSec?: number;
  /**
   * Added to every platform API call, faulted or not (token endpoints included), like the network
   * and processing time of a real platform; for load tests. Default 0.
   */
  latencyMs?: number;
}

/** A parsed request as a route handler sees it. */
export interface SimRequest {
  method: string;
  /** The path below the platform prefix, e.g. `/cgi-bin/token`. */
  path: string;
  params: Record<string, string>;
  /** The query string's parameters; a repeated one holds its last value (see `queryAll`). */
  query: Record<string, string>;
  /** Every value of every query parameter, in order (since 0.3): `url_short=a&url_short=b` → `{url_short: ['a', 'b']}`. */
  queryAll: Record<string, string[]>;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** JSON body, form fields or multipart text fields, whichever the request carried ({} when none). */
  body: Record<string, unknown>;
  files: Record<string, { filename: string; contentType: string; data: Buffer }>;
  /**
   * Where this simulator was reached, `http://127.0.0.1:3001/<platform>` (since 0.2): build any URL the
   * platform hands out at run time (an upload gateway, a media CDN) from it, so that a sandbox account,
   * which may reach the sandbox origin and nothing else, can follow it.
   */
  baseUrl: string;
}

/** What a route handler returns. */
export interface SimResponse {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string | Buffer;
}

/** One route of a simulated platform API. */
export interface SimRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the platform prefix; `:name` segments become params, e.g. `/posts/:id`. */
  path: string;
  handler(req: SimRequest, sim: Simulator): SimResponse | Promise<SimResponse>;
  /** A token/OAuth endpoint: never gets faults, so a refresh can succeed while the API is failing. */
  auth?: boolean;
  /** Whether the route changes state on the platform (eligible for `lost_response`). Defaults to method !== GET. */
  commits?: boolean;
}

/** A simulated account. */
export interface SimAccount {
  id: string;
  name: string;
  /** The verified subject (认证主体) the platform shows for the account: the organisation behind it. */
  subject: string;
  credentials: Record<string, string>;
  createdAt: string;
}

/** A comment on a simulated post. */
export interface SimComment {
  id: string;
  author: string;
  text: string;
  createdAt: string;
  /** The citizen's stable id on the platform (openid, uid) (since 0.3). */
  authorId?: string;
  /** The comment this one answers, in a comment tree (since 0.3). */
  parentId?: string;
  /** Written by the account itself, e.g. a reply on a platform whose replies are comments (since 0.3). */
  fromAccount?: boolean;
  /** Hidden from the public by the account (since 0.3). */
  hidden?: boolean;
  /** Deleted by the account (since 0.3). */
  deleted?: boolean;
  reply?: { id: string; text: string; createdAt: string };
}

/**
 * A reply the account sent through the platform's API, to a comment or to a private message (since 0.3):
 * `GET /_sandbox/<platform>/replies` lists them so tests assert exactly-once delivery.
 */
export interface SimReply {
  id: string;
  kind: 'comment' | 'message';
  /** The SimAccount id. */
  account: string;
  postId?: string;
  commentId?: string;
  /** The citizen a message went to. */
  conversationId?: string;
  text: string;
  /** What the plugin sent as its idempotency key, where the platform keeps one. */
  idempotencyKey?: string;
  createdAt: string;
}

/** Kinds of citizen message a simulator produces. */
export type SimMessageKind = 'text' | 'image' | 'voice' | 'video' | 'event';

/** One try of a webhook push to the hub. */
export interface WebhookDelivery {
  attempt: number;
  at: string;
  /** The hub's HTTP status; absent when it timed out or the connection failed. */
  status?: number;
  body?: string;
  error?: string;
  /** How long the hub took (real time). */
  ms: number;
}

/** A private message a citizen sent to a simulated account (since 0.3). */
export interface SimMessage {
  id: string;
  /** The SimAccount id. */
  account: string;
  /** The citizen's id on the platform (openid). */
  from: string;
  author?: string;
  kind: SimMessageKind;
  text: string;
  /** Simulated clock. */
  createdAt: string;
  /** Every try to push it to the hub, in order. */
  deliveries: WebhookDelivery[];
}

/** A signed webhook request as the platform would send it; the harness sends it to the hub's URL. */
export interface WebhookPush {
  method: 'GET' | 'POST';
  /** Added to the hub's URL (signature, timestamp, nonce, …). */
  query?: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

/** Where and how a simulator pushes citizens' messages (`PUT /_sandbox/<platform>/webhook`). */
export interface WebhookTarget {
  url: string;
  /** Tries per message (default: the platform's, e.g. WeChat 3). */
  tries?: number;
  /** Per-try timeout in ms (default: the platform's, e.g. WeChat 5000). */
  timeoutMs?: number;
}

/** How a platform pushes messages: its format, signature and retry policy (since 0.3). */
export interface SimWebhookDefinition {
  /** The signed request for one message. */
  push(message: SimMessage, account: SimAccount, sim: Simulator): WebhookPush;
  /** The verification handshake the platform makes when a URL is configured, and the answer it expects. */
  challenge?(sim: Simulator): { push: WebhookPush; expect: string };
  /** Tries per message (default 3). */
  tries?: number;
  /** Per-try timeout (default 5000 ms). */
  timeoutMs?: number;
  /** Whether the hub's answer counts as received (default: HTTP 2xx). */
  accepted?(status: number, body: string): boolean;
}

/** A post as the simulator keeps it; `GET /_sandbox/<platform>/posts` lists these. */
export interface SimPost {
  id: string;
  /** The SimAccount id. */
  account: string;
  title: string;
  text: string;
  /** What the plugin sent as its idempotency marker, if anything. */
  idempotencyMarker?: string;
  createdAt: string;
  deleted: boolean;
  comments: SimComment[];
  metrics: { views: number; likes: number; shares: number; comments: number };
  /** Anything else the platform stores (status, media ids, …). */
  extra: Record<string, unknown>;
  /** Made in the platform's own app (`POST /_sandbox/<platform>/native-posts`), not through its API. */
  native?: boolean;
}

/** A post made as if in the platform's own app, outside Tongfa (`POST /_sandbox/<platform>/native-posts`). */
export interface NativePostInput {
  account: SimAccount;
  /** Defaults to the start of the text where the platform requires a title. */
  title?: string;
  text: string;
  /** A link the post carries (WeChat 阅读原文, a link in a weibo's text, …), e.g. the original it relays. */
  link?: string;
  /** The platform id of a post this one reposts, where the platform has reposts (Weibo 转发). */
  repostOf?: string;
}

/** A platform simulator's definition: its routes, how accounts get credentials, and its fault shapes. */
export interface SimulatorDefinition {
  /** The plugin id; the API is served under `/<platform>/…`. */
  platform: string;
  routes: SimRoute[];
  /** Creates a simulated account's credentials (the fields of the plugin's credential schema). */
  createAccount(account: { id: string; name: string }, sim: Simulator): Record<string, string>;
  /** Platform-shaped fault responses (default: HTTP 429 / 500 / 401 with a JSON error). */
  faultResponses?: Partial<Record<'rate_limit' | 'server_error' | 'token_expired', (req: SimRequest, sim: Simulator) => SimResponse>>;
  /** Where the request carries its access token, so a `token_expired` fault really expires that token. */
  tokenFrom?(req: SimRequest): string | undefined;
  /**
   * Endpoint names of the plugin manifest mapped to a path below `/<platform>`, when the platform has
   * several base URLs. Default: every endpoint maps to `/<platform>`.
   */
  endpoints?: Record<string, string>;
  /**
   * Creates a post as if made in the platform's own app, in whatever state the platform's list API reads
   * (a WeChat publish job, a weibo with its mid, …), published at once. Default: `createPost` with the
   * input, marked native; enough for simulators whose routes read `sim.posts` directly.
   */
  nativePost?(input: NativePostInput, sim: Simulator): SimPost;
  /** The public address of a post, shown by the inspection API (`url`) so tests can submit it as evidence. */
  postUrl?(post: SimPost, sim: Simulator): string | undefined;
  /** How the platform pushes private messages to a webhook; absent when it has none (since 0.3). */
  webhook?: SimWebhookDefinition;
}

/** The running state of one simulated platform, shared by its route handlers. */
export interface Simulator {
  readonly platform: string;
  readonly definition: SimulatorDefinition;
  readonly accounts: SimAccount[];
  readonly posts: SimPost[];
  readonly faults: Readonly<FaultConfig> & { injected: number };
  /** Platform API requests being handled right now (a `slow` one counts until it finishes). */
  readonly inflight: number;
  /** Requests to committing (non-auth) routes handled so far, faulted or not. */
  readonly commits: number;
  /** The simulated clock (ms); starts at the real time and only moves forward via advanceClock. */
  now(): number;
  advanceClock(ms: number): void;
  /** `subject` defaults to the name, as for an account verified under its own name. */
  createAccount(name: string, subject?: string): SimAccount;
  /** Issues an access token for an account, valid `ttlMs` on the simulated clock. */
  issueToken(accountId: string, ttlMs: number): { token: string; expiresAt: number };
  /**
   * Extends a still-valid token to `ttlMs` from now and returns it; undefined when it is unknown,
   * revoked or expired (platforms that renew the same token on refresh, such as Douyin).
   */
  renewToken(token: string, ttlMs: number): { token: string; expiresAt: number } | undefined;
  /** The account a token belongs to, or undefined when unknown, revoked or expired. */
  tokenAccount(token: string | undefined): SimAccount | undefined;
  revokeToken(token: string): void;
  createPost(p: { account: string; title: string; text: string; idempotencyMarker?: string; extra?: Record<string, unknown> }): SimPost;
  findPost(id: string): SimPost | undefined;
  /** A citizen's comment (or the account's own, `fromAccount`); `parentId` answers another comment of the post. */
  addComment(
    postId: string,
    c: { author?: string; authorId?: string; text: string; parentId?: string; fromAccount?: boolean },
  ): SimComment | undefined;
  /** Replies the accounts sent through the API, oldest first (since 0.3). */
  readonly replies: SimReply[];
  /** Records a reply the platform accepted (route handlers call it), so the inspection API shows it. */
  recordReply(r: Omit<SimReply, 'id' | 'createdAt'> & { id?: string }): SimReply;
  /** Citizens' private messages, oldest first (since 0.3). */
  readonly messages: SimMessage[];
  /** A citizen writes to an account; push it to the hub with `deliverWebhook`. */
  addMessage(m: { account: string; from: string; author?: string; kind?: SimMessageKind; text: string }): SimMessage;
  /** When (simulated ms) citizen `from` last wrote to the account, or undefined when never. */
  lastMessageAt(account: string, from: string): number | undefined;
  /** Whether the account may still answer citizen `from`: they wrote within the last `hours` (simulated clock). */
  replyWindowOpen(account: string, from: string, hours: number): boolean;
  /** Where messages are pushed (set through `PUT /_sandbox/<platform>/webhook`). */
  webhookTarget: WebhookTarget | undefined;
  /** Creates a post as if made in the platform's own app (the definition's `nativePost`, or a plain post). */
  createNativePost(input: NativePostInput): SimPost;
  /**
   * Counts one call of `api` by an account against a daily quota of `limit` calls; false (and nothing
   * counted) once the day's calls are spent. Days are Beijing calendar days on the simulated clock, when
   * the Chinese platforms reset their quotas.
   */
  takeDailyQuota(accountId: string, api: string, limit: number): boolean;
  /** Calls of `api` an account made today (Beijing time, simulated clock). */
  dailyQuotaUsed(accountId: string, api: string): number;
  /** Milliseconds from the simulated now to the next Beijing midnight, when daily quotas reset. */
  untilQuotaReset(): number;
  setFaults(config: FaultConfig): void;
  /** The endpoint map to give a plugin context for a sandbox server at `baseUrl`. */
  endpointsFor(baseUrl: string, names: readonly string[]): Record<string, string>;
  /** A new unique id (for posts, media, …). */
  newId(prefix?: string): string;
  reset(): void;
}

// mulberry32: tiny, seedable and good enough to spread faults; not for cryptography.
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const beijingDay = (ms: number) => Math.floor((ms + BEIJING_OFFSET_MS) / DAY_MS);

/** Creates a simulator's state from its definition. Mount it with startSimulators or createSandboxHandler. */
export function createSimulator(definition: SimulatorDefinition): Simulator {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.platform)) throw new Error(`bad platform id "${definition.platform}"`);
  let accounts: SimAccount[] = [];
  let posts: SimPost[] = [];
  let tokens = new Map<string, { accountId: string; expiresAt: number; revoked: boolean }>();
  let clockOffset = 0;
  let seq = 0;
  let faults: FaultConfig & { injected: number } = { rate: 0, kinds: [], injected: 0 };
  let rng = seededRandom(1);
  let inflight = 0;
  let commits = 0;
  let quotas = new Map<string, { day: number; n: number }>();
  let replies: SimReply[] = [];
  let messages: SimMessage[] = [];

  const sim: Simulator = {
    platform: definition.platform,
    definition,
    get accounts() {
      return accounts;
    },
    get posts() {
      return posts;
    },
    get faults() {
      return faults;
    },
    get inflight() {
      return inflight;
    },
    get commits() {
      return commits;
    },
    now: () => Date.now() + clockOffset,
    advanceClock(ms) {
      clockOffset += Math.max(0, ms);
    },
    newId(prefix = '') {
      seq++;
      return `${prefix}${Date.now().toString(36)}${seq.toString(36)}${randomBytes(3).toString('hex')}`;
    },
    createAccount(name, subject) {
      const id = String(10_000_000 + accounts.length + 1 + Math.floor(Math.random() * 1000) * 100_000);
      const base = { id, name };
      const account: SimAccount = {
        ...base,
        subject: subject ?? name,
        credentials: definition.createAccount(base, sim),
        createdAt: new Date(sim.now()).toISOString(),
      };
      accounts.push(account);
      return account;
    },
    issueToken(accountId, ttlMs) {
      const token = `tk_${randomBytes(16).toString('hex')}`;
      const expiresAt = sim.now() + ttlMs;
      tokens.set(token, { accountId, expiresAt, revoked: false });
      return { token, expiresAt };
    },
    renewToken(token, ttlMs) {
      const t = tokens.get(token);
      if (!t || t.revoked || t.expiresAt <= sim.now()) return undefined;
      t.expiresAt = sim.now() + ttlMs;
      return { token, expiresAt: t.expiresAt };
    },
    tokenAccount(token) {
      if (!token) return undefined;
      const t = tokens.get(token);
      if (!t || t.revoked || t.expiresAt <= sim.now()) return undefined;
      return accounts.find((a) => a.id === t.accountId);
    },
    revokeToken(token) {
      const t = tokens.get(token);
      if (t) t.revoked = true;
    },
    createPost(p) {
      const post: SimPost = {
        id: sim.newId(),
        account: p.account,
        title: p.title,
        text: p.text,
        idempotencyMarker: p.idempotencyMarker,
        createdAt: new Date(sim.now()).toISOString(),
        deleted: false,
        comments: [],
        metrics: { views: 0, likes: 0, shares: 0, comments: 0 },
        extra: p.extra ?? {},
      };
      posts.push(post);
      return post;
    },
    findPost(id) {
      return posts.find((p) => p.id === id);
    },
    addComment(postId, c) {
      const post = sim.findPost(postId);
      if (!post) return undefined;
      if (c.parentId !== undefined && !post.comments.some((x) => x.id === c.parentId)) return undefined;
      const comment: SimComment = {
        id: sim.newId('c'),
        author: c.author ?? '网友',
        text: c.text,
        createdAt: new Date(sim.now()).toISOString(),
        ...(c.authorId ? { authorId: c.authorId } : {}),
        ...(c.parentId ? { parentId: c.parentId } : {}),
        ...(c.fromAccount ? { fromAccount: true } : {}),
      };
      post.comments.push(comment);
      post.metrics.comments = post.comments.length;
      return comment;
    },
    get replies() {
      return replies;
    },
    recordReply(r) {
      const reply: SimReply = { ...r, id: r.id ?? sim.newId('r'), createdAt: new Date(sim.now()).toISOString() };
      replies.push(reply);
      return reply;
    },
    get messages() {
      return messages;
    },
    addMessage(m) {
      const message: SimMessage = {
        id: sim.newId('m'),
        account: m.account,
        from: m.from,
        ...(m.author ? { author: m.author } : {}),
        kind: m.kind ?? 'text',
        text: m.text,
        createdAt: new Date(sim.now()).toISOString(),
        deliveries: [],
      };
      messages.push(message);
      return message;
    },
    lastMessageAt(account, from) {
      let last: number | undefined;
      for (const m of messages) if (m.account === account && m.from === from) last = Date.parse(m.createdAt);
      return last;
    },
    replyWindowOpen(account, from, hours) {
      const last = sim.lastMessageAt(account, from);
      return last !== undefined && sim.now() - last <= hours * 3_600_000;
    },
    webhookTarget: undefined,
    createNativePost(input) {
      const post = definition.nativePost
        ? definition.nativePost(input, sim)
        : sim.createPost({
            account: input.account.id,
            title: input.title ?? '',
            text: input.text,
            extra: { ...(input.link ? { link: input.link } : {}), ...(input.repostOf ? { repostOf: input.repostOf } : {}) },
          });
      post.native = true;
      return post;
    },
    takeDailyQuota(accountId, api, limit) {
      const key = `${accountId}\u0000${api}`;
      const day = beijingDay(sim.now());
      const q = quotas.get(key);
      const used = q && q.day === day ? q.n : 0;
      if (used >= limit) return false;
      quotas.set(key, { day, n: used + 1 });
      return true;
    },
    dailyQuotaUsed(accountId, api) {
      const q = quotas.get(`${accountId}\u0000${api}`);
      return q && q.day === beijingDay(sim.now()) ? q.n : 0;
    },
    untilQuotaReset() {
      return (beijingDay(sim.now()) + 1) * DAY_MS - BEIJING_OFFSET_MS - sim.now();
    },
    setFaults(config) {
      const kinds = config.kinds.filter((k) => FAULT_KINDS.includes(k));
      faults = { ...config, kinds, rate: Math.min(1, Math.max(0, config.rate)), injected: 0 };
      rng = seededRandom(config.seed ?? 1);
    },
    endpointsFor(baseUrl, names) {
      const root = `${baseUrl.replace(/\/$/, '')}/${definition.platform}`;
      return Object.fromEntries(names.map((n) => [n, root + (definition.endpoints?.[n] ?? '')]));
    },
    reset() {
      accounts = [];
      posts = [];
      tokens = new Map();
      clockOffset = 0;
      faults = { rate: 0, kinds: [], injected: 0 };
      quotas = new Map();
      replies = [];
      messages = [];
      sim.webhookTarget = undefined;
    },
  };
  inflightCounters.set(sim, (d) => {
    inflight += d;
  });
  faultPickers.set(sim, (route) => {
    if (!route.auth && isCommitting(route)) commits++;
    if (route.auth || faults.rate <= 0 || faults.kinds.length === 0) return undefined;
    if (faults.remaining !== undefined && faults.remaining <= 0) return undefined;
    const committing = isCommitting(route);
    const eligible = faults.kinds.filter((k) => k !== 'lost_response' || committing);
    if (eligible.length === 0) return undefined;
    if (faults.after !== undefined && faults.after > 0) {
      faults.after--;
      return undefined;
    }
    if (rng() >= faults.rate) return undefined;
    const kind = eligible[Math.floor(rng() * eligible.length)];
    faults.injected++;
    if (faults.remaining !== undefined) faults.remaining--;
    return kind;
  });
  return sim;
}

function isCommitting(route: SimRoute): boolean {
  return route.commits ?? route.method !== 'GET';
}

// Kept off the public Simulator interface: only the request handler decides on faults and counts requests.
const faultPickers = new WeakMap<Simulator, (route: SimRoute) => FaultKind | undefined>();
const inflightCounters = new WeakMap<Simulator, (delta: number) => void>();

function pickFault(sim: Simulator, route: SimRoute): FaultKind | undefined {
  return faultPickers.get(sim)?.(route);
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const ps = pattern.split('/').filter(Boolean);
  const xs = path.split('/').filter(Boolean);
  if (ps.length !== xs.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < ps.length; i++) {
    if (ps[i].startsWith(':')) params[ps[i].slice(1)] = decodeURIComponent(xs[i]);
    else if (ps[i] !== xs[i]) return undefined;
  }
  return params;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function parseBody(raw: Buffer, contentType: string | undefined): Promise<Pick<SimRequest, 'body' | 'files'>> {
  const ct = (contentType ?? '').toLowerCase();
  if (raw.length === 0) return { body: {}, files: {} };
  if (ct.includes('application/json')) {
    const v: unknown = JSON.parse(raw.toString('utf8'));
    return { body: v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v }, files: {} };
  }
  if (ct.includes('application/x-www-form-urlencoded')) {
    return { body: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))), files: {} };
  }
  if (ct.includes('multipart/form-data')) {
    // The WHATWG Request parses multipart bodies, so the harness needs no multipart dependency.
    const fd = await new Request('http://sandbox.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType! },
      body: raw,
    }).formData();
    const body: Record<string, unknown> = {};
    const files: SimRequest['files'] = {};
    for (const [k, v] of fd.entries()) {
      if (typeof v === 'string') body[k] = v;
      else files[k] = { filename: v.name, contentType: v.type, data: Buffer.from(await v.arrayBuffer()) };
    }
    return { body, files };
  }
  return { body: {}, files: {} };
}

function send(res: ServerResponse, r: SimResponse): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = { ...r.headers };
  let payload: string | Buffer = '';
  if (r.json !== undefined) {
    payload = JSON.stringify(r.json);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  } else if (r.body !== undefined) {
    payload = r.body;
  }
  res.writeHead(r.status ?? 200, headers);
  res.end(payload);
}

const escapeHtml = (t: string) =>
  t.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * `GET /_sandbox/<platform>/view?url=<the post's public url>`: a page showing a simulated post the
 * way a reader would open it, so a demo's "view the post" link leads somewhere. Marked as a
 * simulation; every text escaped; no script.
 */
function viewPost(sim: Simulator, url: string): SimResponse {
  const post = url ? sim.posts.find((p) => sim.definition.postUrl?.(p, sim) === url) : undefined;
  const page = (status: number, title: string, inner: string): SimResponse => ({
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'x-content-type-options': 'nosniff',
    },
    body:
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<title>${escapeHtml(title)}</title><style>body{font:16px/1.7 system-ui,sans-serif;max-width:680px;margin:0 auto;padding:16px;color:#1f1f1f}` +
      `.sim{background:#fff7e6;border:1px solid #ffd591;padding:8px 12px;border-radius:6px;font-size:14px}h1{font-size:22px}` +
      `.meta{color:#595959;font-size:14px}.gone{color:#cf1322}</style></head><body>` +
      `<p class="sim" role="note">统发沙箱模拟的 ${escapeHtml(sim.platform)} 帖子，并非真实平台页面 / a simulated post of the Tongfa sandbox, not the real platform</p>${inner}</body></html>`,
  });
  if (!post)
    return page(
      404,
      '帖子不存在',
      '<h1>帖子不存在 / no such post</h1><p class="meta">模拟平台重启后帖子不会保留 / simulated posts do not survive a restart</p>',
    );
  const account = sim.accounts.find((a) => a.id === post.account);
  const text = escapeHtml(post.text).replace(/\n/g, '<br>');
  return page(
    200,
    post.title || post.text.slice(0, 30),
    (post.title ? `<h1>${escapeHtml(post.title)}</h1>` : '') +
      `<p class="meta">${escapeHtml(account?.name ?? post.account)} · ${escapeHtml(post.createdAt)}${post.native ? ' · 平台内发布 / posted in the app' : ''}</p>` +
      (post.deleted ? '<p class="gone">此帖已删除 / this post was deleted</p>' : `<article>${text}</article>`) +
      `<p class="meta">阅读 ${post.metrics.views} · 点赞 ${post.metrics.likes} · 评论 ${post.comments.length}</p>`,
  );
}

/**
 * `GET /_sandbox/<platform>/page?account=<id>`: the account's public page as a reader finds it (its
 * name, verified subject and posts with their times, newest first), for spot checks to photograph.
 * Marked as a simulation; every text escaped; no script.
 */
function accountPage(sim: Simulator, accountId: string): SimResponse {
  const account = sim.accounts.find((a) => a.id === accountId);
  const page = (status: number, title: string, inner: string): SimResponse => ({
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'x-content-type-options': 'nosniff',
    },
    body:
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<title>${escapeHtml(title)}</title><style>body{font:16px/1.7 "Noto Sans CJK SC",system-ui,sans-serif;max-width:680px;margin:0 auto;padding:16px;color:#1f1f1f}` +
      `.sim{background:#fff7e6;border:1px solid #ffd591;padding:8px 12px;border-radius:6px;font-size:14px}h1{font-size:22px;margin-bottom:0}` +
      `.meta{color:#595959;font-size:14px}li{margin:8px 0}.gone{color:#cf1322}</style></head><body>` +
      `<p class="sim" role="note">统发沙箱模拟的 ${escapeHtml(sim.platform)} 账号主页，并非真实平台页面 / a simulated account page of the Tongfa sandbox</p>${inner}</body></html>`,
  });
  if (!account) return page(404, '账号不存在', '<h1>账号不存在 / no such account</h1>');
  const posts = sim.posts
    .filter((p) => p.account === account.id && !p.deleted)
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  const items = posts.length
    ? `<ol>${posts
        .map(
          (p) =>
            `<li><time datetime="${escapeHtml(p.createdAt)}">${escapeHtml(p.createdAt)}</time> · ${escapeHtml(p.title || p.text.slice(0, 60))}${
              p.native ? ' <span class="meta">（平台内发布）</span>' : ''
            }</li>`,
        )
        .join('')}</ol>`
    : '<p class="gone">暂无发布 / no posts yet</p>';
  return page(
    200,
    account.name,
    `<h1>${escapeHtml(account.name)}</h1><p class="meta">认证主体 / verified subject：${escapeHtml(account.subject)} · 发布 ${posts.length} 条</p>` +
      `<h2>全部发布 / posts</h2>${items}`,
  );
}

function publicPost(p: SimPost, sim: Simulator) {
  return {
    id: p.id,
    account: p.account,
    title: p.title,
    text: p.text,
    idempotencyMarker: p.idempotencyMarker ?? null,
    createdAt: p.createdAt,
    deleted: p.deleted,
    native: p.native === true,
    url: sim.definition.postUrl?.(p, sim) ?? null,
    comments: p.comments,
    metrics: p.metrics,
  };
}

/** Options of createSandboxHandler. */
export interface SandboxHandlerOptions {
  /** Aborted on shutdown, to cut `slow` delays short. */
  signal?: AbortSignal;
}

/**
 * An http request listener serving several simulators: each platform's API under `/<platform>/…` and the
 * inspection API under `/_sandbox/<platform>/…`. Usable with node:http directly or as express middleware
 * (unknown paths call `next()` when given).
 */
export function createSandboxHandler(simulators: Simulator[], options: SandboxHandlerOptions = {}) {
  const byPlatform = new Map<string, Simulator>();
  for (const s of simulators) {
    if (byPlatform.has(s.platform)) throw new Error(`two simulators for platform "${s.platform}"`);
    byPlatform.set(s.platform, s);
  }
  // Every delayed answer (latency, a slow fault) listens on the signal until it is sent: as many
  // listeners as requests in flight, each removed when its answer goes, not a leak.
  if (options.signal) setMaxListeners(0, options.signal);

  return async function handle(req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
      const segments = url.pathname.split('/').filter(Boolean);
      const isInspection = segments[0] === '_sandbox';
      const sim = byPlatform.get(isInspection ? (segments[1] ?? '') : (segments[0] ?? ''));
      if (!sim) {
        if (next) return next();
        return send(res, { status: 404, json: { error: 'not_found', message: `no simulator for ${url.pathname}` } });
      }
      const raw = await readBody(req);
      let parsed: Pick<SimRequest, 'body' | 'files'>;
      try {
        parsed = await parseBody(raw, req.headers['content-type']);
      } catch {
        return send(res, { status: 400, json: { error: 'bad_request', message: 'unparseable body' } });
      }
      const query = Object.fromEntries(url.searchParams);

      if (isInspection) {
        // The sandbox's own origin as the caller reached it: what `endpoints` answers with.
        const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
        return send(res, await inspect(sim, req.method ?? 'GET', segments.slice(2), parsed.body, query, origin, options.signal));
      }

      const path = '/' + segments.slice(1).join('/');
      let params: Record<string, string> | undefined;
      const route = sim.definition.routes.find((r) => r.method === req.method && (params = matchPath(r.path, path)) !== undefined);
      if (!route) return send(res, { status: 404, json: { error: 'not_found', message: `${req.method} ${path}` } });
      const simReq: SimRequest = {
        method: req.method!,
        path,
        params: params!,
        query,
        queryAll: queryAllOf(url.searchParams),
        headers: req.headers,
        rawBody: raw,
        ...parsed,
        baseUrl: `http://${req.headers.host ?? '127.0.0.1'}/${sim.platform}`,
      };

      const fault = pickFault(sim, route);
      const count = inflightCounters.get(sim)!;
      count(1);
      try {
        if (sim.faults.latencyMs) await delay(sim.faults.latencyMs, undefined, { signal: options.signal }).catch(() => undefined);
        await respond(res, sim, route, simReq, fault, options.signal);
      } finally {
        count(-1);
      }
    } catch (e) {
      if (!res.headersSent) send(res, { status: 500, json: { error: 'simulator_error', message: (e as Error).message } });
    }
  };
}

async function respond(
  res: ServerResponse,
  sim: Simulator,
  route: SimRoute,
  simReq: SimRequest,
  fault: FaultKind | undefined,
  signal?: AbortSignal,
): Promise<void> {
  if (fault === 'rate_limit') {
    const f = sim.definition.faultResponses?.rate_limit;
    return send(
      res,
      f
        ? f(simReq, sim)
        : { status: 429, headers: { 'retry-after': String(sim.faults.retryAfterSec ?? 1) }, json: { error: 'rate_limited' } },
    );
  }
  if (fault === 'server_error') {
    const f = sim.definition.faultResponses?.server_error;
    return send(res, f ? f(simReq, sim) : { status: 500, json: { error: 'internal_error' } });
  }
  if (fault === 'token_expired') {
    const token = sim.definition.tokenFrom?.(simReq);
    if (token) sim.revokeToken(token);
    const f = sim.definition.faultResponses?.token_expired;
    return send(res, f ? f(simReq, sim) : { status: 401, json: { error: 'token_expired' } });
  }
  if (fault === 'slow') {
    // A slow platform still does the work; a client that gave up does not undo it.
    await delay(sim.faults.slowMs ?? 2000, undefined, { signal }).catch(() => undefined);
  }
  const out = await route.handler(simReq, sim);
  if (fault === 'lost_response') {
    // The platform committed; the response never arrives.
    res.socket?.destroy();
    return;
  }
  send(res, out);
}

/**
 * Pushes one message to the hub as the platform would: the definition's signed request, tried up to
 * `tries` times, each try given `timeoutMs` (real time) before it counts as lost, until the hub's answer
 * counts as received. Records every try on the message and returns them (since 0.3).
 */
export async function deliverWebhook(
  sim: Simulator,
  message: SimMessage,
  target: WebhookTarget,
  signal?: AbortSignal,
): Promise<WebhookDelivery[]> {
  const def = sim.definition.webhook;
  if (!def) throw new Error(`${sim.platform} has no message webhook`);
  const account = sim.accounts.find((a) => a.id === message.account);
  if (!account) throw new Error(`no account ${message.account}`);
  const tries = target.tries ?? def.tries ?? 3;
  const timeoutMs = target.timeoutMs ?? def.timeoutMs ?? 5000;
  const done: WebhookDelivery[] = [];
  for (let attempt = 1; attempt <= tries; attempt++) {
    // Each try is signed afresh (a new timestamp and nonce), as the platforms do.
    const d = await sendPush(def.push(message, account, sim), target.url, timeoutMs, attempt, sim, signal);
    message.deliveries.push(d);
    done.push(d);
    if (d.status !== undefined && (def.accepted ?? ((st: number) => st >= 200 && st < 300))(d.status, d.body ?? '')) break;
    if (signal?.aborted) break;
  }
  return done;
}

async function sendPush(
  push: WebhookPush,
  url: string,
  timeoutMs: number,
  attempt: number,
  sim: Simulator,
  signal?: AbortSignal,
): Promise<WebhookDelivery> {
  const u = new URL(url);
  for (const [k, v] of Object.entries(push.query ?? {})) u.searchParams.set(k, v);
  const started = Date.now();
  const at = new Date(sim.now()).toISOString();
  try {
    const res = await fetch(u, {
      method: push.method,
      headers: push.headers,
      body: push.method === 'GET' ? undefined : push.body,
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
    });
    const body = await res.text();
    return { attempt, at, status: res.status, body: body.slice(0, 2000), ms: Date.now() - started };
  } catch (e) {
    const name = (e as Error).name;
    return { attempt, at, error: name === 'TimeoutError' ? 'timeout' : String((e as Error).message), ms: Date.now() - started };
  }
}

const MESSAGE_KINDS: readonly SimMessageKind[] = ['text', 'image', 'voice', 'video', 'event'];

function webhookTargetFrom(body: Record<string, unknown>): WebhookTarget | string {
  const url = typeof body.url === 'string' ? body.url : '';
  if (!/^https?:\/\//.test(url)) return 'url (http or https) is required';
  const num = (k: string) =>
    typeof body[k] === 'number' && Number.isInteger(body[k]) && (body[k] as number) > 0 ? (body[k] as number) : undefined;
  for (const k of ['tries', 'timeoutMs']) if (body[k] !== undefined && num(k) === undefined) return `${k} must be a positive integer`;
  return { url, tries: num('tries'), timeoutMs: num('timeoutMs') };
}

async function inspect(
  sim: Simulator,
  method: string,
  rest: string[],
  body: Record<string, unknown>,
  query: Record<string, string>,
  origin: string,
  signal?: AbortSignal,
): Promise<SimResponse> {
  const [what, id, sub] = rest;
  // The endpoint map a hub stores on an account it points at this simulator (`?names=api,upload`).
  if (what === 'endpoints' && method === 'GET' && !id) {
    const names = (query.names ?? '').split(',').filter((n) => /^[A-Za-z][\w-]{0,39}$/.test(n));
    return { json: sim.endpointsFor(origin, names) };
  }
  if (what === 'view' && method === 'GET' && !id) return viewPost(sim, query.url ?? '');
  if (what === 'page' && method === 'GET' && !id) return accountPage(sim, query.account ?? '');
  if (what === 'posts' && method === 'GET' && !id) {
    const list = sim.posts.filter((p) => !query.account || p.account === query.account).map((p) => publicPost(p, sim));
    return { json: list };
  }
  if (what === 'native-posts' && method === 'POST' && !id) {
    const account = sim.accounts.find((a) => a.id === String(body.account ?? ''));
    if (!account) return { status: 404, json: { error: 'not_found', message: 'no such account' } };
    const text = body.text;
    const opt = (k: string) => (typeof body[k] === 'string' && body[k] ? (body[k] as string) : undefined);
    if (typeof text !== 'string') return { status: 400, json: { error: 'bad_request', message: 'text (a string) is required' } };
    // `url` is accepted as the carried link too: the platform, not the caller, decides a post's address.
    const post = sim.createNativePost({ account, title: opt('title'), text, link: opt('link') ?? opt('url'), repostOf: opt('repostOf') });
    return { status: 201, json: publicPost(post, sim) };
  }
  if (what === 'posts' && id && sub === 'comments' && method === 'POST') {
    if (typeof body.text !== 'string') return { status: 400, json: { error: 'text required' } };
    const str = (k: string) => (typeof body[k] === 'string' && body[k] ? (body[k] as string) : undefined);
    if (!sim.findPost(id)) return { status: 404, json: { error: 'no such post' } };
    const c = sim.addComment(id, {
      text: body.text,
      author: str('author'),
      authorId: str('authorId'),
      parentId: str('parentId'),
      fromAccount: body.fromAccount === true,
    });
    return c ? { status: 201, json: c } : { status: 404, json: { error: 'no such parent comment on this post' } };
  }
  if (what === 'replies' && method === 'GET' && !id) {
    return {
      json: sim.replies.filter((r) => (!query.account || r.account === query.account) && (!query.kind || r.kind === query.kind)),
    };
  }
  if (what === 'webhook' && !id && method === 'PUT') {
    const t = webhookTargetFrom(body);
    if (typeof t === 'string') return { status: 400, json: { error: 'bad_request', message: t } };
    sim.webhookTarget = t;
    return { json: t };
  }
  if (what === 'webhook' && !id && method === 'GET') return { json: sim.webhookTarget ?? null };
  if (what === 'webhook' && id === 'challenge' && method === 'POST') {
    // The handshake the platform makes when a URL is configured: the hub must echo what it expects.
    const def = sim.definition.webhook;
    if (!def?.challenge) return { status: 404, json: { error: 'not_found', message: `${sim.platform} makes no handshake` } };
    const t = body.url !== undefined ? webhookTargetFrom(body) : sim.webhookTarget;
    if (!t || typeof t === 'string') return { status: 400, json: { error: 'bad_request', message: t ?? 'no webhook url' } };
    const { push, expect } = def.challenge(sim);
    const d = await sendPush(push, t.url, t.timeoutMs ?? def.timeoutMs ?? 5000, 1, sim, signal);
    return { json: { ok: d.status === 200 && (d.body ?? '').trim() === expect, expected: expect, delivery: d } };
  }
  if (what === 'messages' && method === 'GET' && !id) {
    return { json: sim.messages.filter((m) => !query.account || m.account === query.account) };
  }
  if (what === 'messages' && method === 'POST' && !id) {
    if (!sim.definition.webhook) return { status: 404, json: { error: 'not_found', message: `${sim.platform} pushes no messages` } };
    const account = sim.accounts.find((a) => a.id === String(body.account ?? ''));
    if (!account) return { status: 404, json: { error: 'not_found', message: 'no such account' } };
    const kind = (body.kind ?? 'text') as SimMessageKind;
    if (!MESSAGE_KINDS.includes(kind)) return { status: 400, json: { error: 'bad_request', message: `kind ⊆ ${MESSAGE_KINDS.join('|')}` } };
    if (typeof body.text !== 'string' && kind === 'text')
      return { status: 400, json: { error: 'bad_request', message: 'text (a string) is required' } };
    const from = typeof body.from === 'string' && body.from ? body.from : `o${sim.newId()}`;
    const message = sim.addMessage({
      account: account.id,
      from,
      author: typeof body.author === 'string' ? body.author : undefined,
      kind,
      text: typeof body.text === 'string' ? body.text : '',
    });
    // `deliver: false` only records it (a test then fetches the signed push and sends it itself).
    let target: WebhookTarget | string | undefined = body.url !== undefined ? webhookTargetFrom(body) : sim.webhookTarget;
    if (typeof target === 'string') return { status: 400, json: { error: 'bad_request', message: target } };
    if (body.deliver === false) target = undefined;
    const deliveries = target ? await deliverWebhook(sim, message, target, signal) : [];
    return { status: 201, json: { ...message, deliveries } };
  }
  if (what === 'messages' && id && method === 'GET' && sub === 'push') {
    // The signed request the platform would send for this message, for tests that send it themselves.
    const m = sim.messages.find((x) => x.id === id);
    const account = m && sim.accounts.find((a) => a.id === m.account);
    if (!m || !account || !sim.definition.webhook) return { status: 404, json: { error: 'not_found' } };
    return { json: sim.definition.webhook.push(m, account, sim) };
  }
  if (what === 'messages' && id && method === 'POST' && sub === 'redeliver') {
    // The platform pushes the same message again (a retry after a lost answer): same message id.
    const m = sim.messages.find((x) => x.id === id);
    const t = body.url !== undefined ? webhookTargetFrom(body) : sim.webhookTarget;
    if (!m) return { status: 404, json: { error: 'not_found' } };
    if (!t || typeof t === 'string') return { status: 400, json: { error: 'bad_request', message: t ?? 'no webhook url' } };
    return { json: await deliverWebhook(sim, m, t, signal) };
  }
  if (what === 'accounts' && method === 'POST') {
    const name = typeof body.name === 'string' && body.name ? body.name : `测试账号${sim.accounts.length + 1}`;
    if (body.subject !== undefined && (typeof body.subject !== 'string' || !body.subject.trim() || body.subject.length > 100)) {
      return { status: 400, json: { error: 'subject must be a non-empty string of at most 100 characters' } };
    }
    const a = sim.createAccount(name, body.subject as string | undefined);
    return { status: 201, json: { id: a.id, name: a.name, subject: a.subject, credentials: a.credentials } };
  }
  if (what === 'accounts' && method === 'GET') {
    return { json: sim.accounts.map((a) => ({ id: a.id, name: a.name, subject: a.subject, createdAt: a.createdAt })) };
  }
  if (what === 'faults' && method === 'PUT') {
    const rate = Number(body.rate ?? 0);
    const kinds = Array.isArray(body.kinds) ? (body.kinds as unknown[]).map(String) : [];
    const unknown = kinds.filter((k) => !FAULT_KINDS.includes(k as FaultKind));
    if (!Number.isFinite(rate) || rate < 0 || rate > 1 || unknown.length) {
      return {
        status: 400,
        json: {
          error: 'bad_request',
          message: `rate must be 0..1, kinds ⊆ ${FAULT_KINDS.join('|')}${unknown.length ? `; unknown: ${unknown.join(',')}` : ''}`,
        },
      };
    }
    const opt = (k: string) => (typeof body[k] === 'number' ? (body[k] as number) : undefined);
    sim.setFaults({
      rate,
      kinds: kinds as FaultKind[],
      seed: opt('seed'),
      remaining: opt('remaining'),
      after: opt('after'),
      slowMs: opt('slowMs'),
      retryAfterSec: opt('retryAfterSec'),
      latencyMs: opt('latencyMs'),
    });
    return { json: sim.faults };
  }
  if (what === 'faults' && method === 'GET') return { json: sim.faults };
  if (what === 'status' && method === 'GET') {
    return {
      json: {
        inflight: sim.inflight,
        commits: sim.commits,
        injected: sim.faults.injected,
        posts: sim.posts.length,
        accounts: sim.accounts.length,
        replies: sim.replies.length,
        messages: sim.messages.length,
      },
    };
  }
  if (what === 'clock' && method === 'POST') {
    sim.advanceClock(Number(body.advanceMs ?? 0));
    return { json: { now: sim.now() } };
  }
  if (what === 'reset' && method === 'POST') {
    sim.reset();
    return { status: 204 };
  }
  return { status: 404, json: { error: 'not_found', message: `/_sandbox/${sim.platform}/${rest.join('/')}` } };
}

/** A running sandbox server. */
export interface RunningSimulators {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  server: Server;
  simulators: Simulator[];
  /** The simulator of a platform (throws when absent). */
  get(platform: string): Simulator;
  close(): Promise<void>;
}

/**
 * Serves simulators on one HTTP server. `port: 0` picks a free port (for a plugin's own tests);
 * apps/sandbox passes every plugin's simulator and its fixed port.
 */
export async function startSimulators(simulators: Simulator[], options: { port?: number; host?: string } = {}): Promise<RunningSimulators> {
  const shutdown = new AbortController();
  const handler = createSandboxHandler(simulators, { signal: shutdown.signal });
  const server = createServer((req, res) => void handler(req, res));
  // Clients (undici) keep connections alive between a test's calls; a property test can leave one idle
  // for longer than Node's 5 s default, and the server closing it just as the next call goes out gives
  // the client an ECONNRESET. Idle connections live a minute instead.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    server,
    simulators,
    get(platform) {
      const s = simulators.find((x) => x.platform === platform);
      if (!s) throw new Error(`no simulator for ${platform}`);
      return s;
    },
    close: () =>
      new Promise<void>((resolve) => {
        shutdown.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Every value of every parameter of a query string, in order. */
function queryAllOf(params: URLSearchParams): Record<string, string[]> {
  const all: Record<string, string[]> = {};
  for (const [k, v] of params) (all[k] ??= []).push(v);
  return all;
}
