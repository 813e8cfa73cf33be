import { createHash, randomBytes } from 'node:crypto';
import {
  createSimulator,
  type NativePostInput,
  type SimAccount,
  type SimMessage,
  type SimPost,
  type SimRequest,
  type SimResponse,
  type SimRoute,
  type Simulator,
} from '@tongfa/plugin-sdk/testing';

/** Knobs of the WeChat simulator; every default is the real platform's number. */
export interface WechatSimulatorOptions {
  /** Lifetime of an access token (default 7200 s). */
  tokenTtlSec?: number;
  /** How long a token stays valid after a forced refresh replaced it (default 5 min). */
  supersededGraceMs?: number;
  /** Time from freepublish/submit to publish_status 0 (default 0: published at once). */
  publishDelayMs?: number;
  /**
   * Daily call quota per AppID and API path (45009). Defaults: stable_token 2000, freepublish/batchget
   * (the published list) 100, others `defaultDailyQuota`.
   */
  dailyQuota?: Record<string, number>;
  defaultDailyQuota?: number;
  /** Per-minute quota per AppID and API path (45011). Defaults: 10,000 each. */
  minuteQuota?: Record<string, number>;
  defaultMinuteQuota?: number;
  /** force_refresh=true calls allowed per AppID per day (default 20). */
  forceRefreshPerDay?: number;
  /** Words that make the platform review reject a publish (publish_status 4). */
  rejectWords?: string[];
  /** The hub's callback token every simulated account is configured with (default `tongfa-sandbox-callback`). */
  callbackToken?: string;
}

interface Article {
  title: string;
  author: string;
  digest: string;
  content: string;
  content_source_url: string;
  thumb_media_id: string;
  thumb_url: string;
  need_open_comment: number;
  only_fans_can_comment: number;
}

interface Draft {
  mediaId: string;
  appid: string;
  article: Article;
  updateTime: number;
  seq: number;
}

interface Job {
  publishId: number;
  appid: string;
  articleId: string;
  msgDataId: number;
  article: Article;
  url: string;
  submittedAt: number;
  readyAt: number;
  /** publish_status once ready: 0 success, 2 original check failed, 3 failed, 4 review rejected. */
  outcome: number;
  /** 5 deleted or 6 banned after success. */
  after?: number;
  postId?: string;
  seq: number;
}

/** Test and sandbox controls beyond the harness's generic inspection API. */
export interface WechatControl {
  /** Every call from this AppID now fails with 40164 naming `ip` as the caller. */
  blockIp(appid: string, ip?: string): void;
  unblockIp(appid: string): void;
  /** Without the comment privilege, comment calls answer 88000. */
  setCommentPermission(appid: string, allowed: boolean): void;
  /** The next submit of this AppID ends in this publish_status (2, 3 or 4). */
  failNextPublish(appid: string, status: 2 | 3 | 4): void;
  /** The platform bans a published article (publish_status 6). */
  banArticle(articleId: string): void;
  drafts(appid?: string): Array<{ mediaId: string; appid: string; article: Article }>;
  jobs(appid?: string): Array<{ publishId: number; articleId: string; msgDataId: number; status: number; article: Article }>;
  /** Permanent materials of an AppID. */
  materials(appid: string): string[];
  /** Calls counted against today's quota for an AppID and path. */
  quotaUsed(appid: string, path: string): number;
}

export type WechatSimulator = Simulator & { wechat: WechatControl };

const BEIJING = 8 * 3600_000;
const beijingDay = (ms: number) => new Date(ms + BEIJING).toISOString().slice(0, 10);
const MB = 1024 * 1024;

const rid = () => `rid: ${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`;
const wx = (errcode: number, errmsg: string): SimResponse => ({ json: { errcode, errmsg: `${errmsg} ${rid()}` } });
const ok = (extra: Record<string, unknown> = {}): SimResponse => ({ json: { errcode: 0, errmsg: 'ok', ...extra } });

function imageType(data: Buffer): 'jpeg' | 'png' | 'gif' | 'bmp' | undefined {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (data.length >= 6 && /^GIF8[79]a$/.test(data.subarray(0, 6).toString('latin1'))) return 'gif';
  if (data.length >= 2 && data[0] === 0x42 && data[1] === 0x4d) return 'bmp';
  return undefined;
}

const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? undefined : String(v));
const plain = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/**
 * A simulator of the WeChat Official Account API (api.weixin.qq.com) as far as Tongfa uses it:
 * stable_token, uploadimg, add_material, draft/*, freepublish/*, comment/*, datacube/getarticlesummary,
 * get_api_domain_ip and clear_quota. Same paths, methods, field names, limits, errcodes (HTTP 200 with
 * errcode) and asynchronous publish as the real platform; publish_id alternates between string and
 * number like the real answers do.
 */
export function createWechatSimulator(options: WechatSimulatorOptions = {}): WechatSimulator {
  const tokenTtlMs = (options.tokenTtlSec ?? 7200) * 1000;
  const graceMs = options.supersededGraceMs ?? 5 * 60_000;
  const publishDelayMs = options.publishDelayMs ?? 0;
  const dailyQuota: Record<string, number> = {
    '/cgi-bin/stable_token': 2000,
    '/cgi-bin/freepublish/batchget': 100,
    ...options.dailyQuota,
  };
  const minuteQuota: Record<string, number> = { ...options.minuteQuota };
  const rejectWords = options.rejectWords ?? ['审核不通过测试'];
  const callbackToken = options.callbackToken ?? 'tongfa-sandbox-callback';
  // Stable numeric MsgIds for the simulator's messages: a retried push carries the same one.
  let msgIds = new Map<string, string>();
  let nextMsgId = 24_000_000_000_000_000n;

  let tokens = new Map<string, { appid: string; supersededAt?: number }>();
  let currentToken = new Map<string, string>();
  let daily = new Map<string, { day: string; n: number }>();
  let minute = new Map<string, { minute: number; n: number }>();
  let blocked = new Map<string, string>();
  let noComment = new Set<string>();
  let nextOutcome = new Map<string, number>();
  let materials = new Map<string, { appid: string; url: string }>();
  let inlineUrls = new Set<string>();
  let drafts = new Map<string, Draft>();
  let jobs = new Map<number, Job>();
  let clears = new Map<string, { month: string; n: number }>();
  const expiry = new Map<string, number>();
  let seq = 0;
  let publishSeq = 2_247_483_650;
  let msgSeq = 2_650_000_000;

  const accountOf = (sim: Simulator, appid: string) => sim.accounts.find((a) => a.credentials.appid === appid);
  const statusOf = (sim: Simulator, job: Job) => job.after ?? (sim.now() < job.readyAt ? 1 : job.outcome);

  function countQuota(sim: Simulator, appid: string, path: string): SimResponse | undefined {
    const now = sim.now();
    const key = `${appid} ${path}`;
    const day = beijingDay(now);
    const d = daily.get(key);
    const dn = d && d.day === day ? d.n : 0;
    if (dn >= (dailyQuota[path] ?? options.defaultDailyQuota ?? 100_000)) return wx(45009, 'reach max api daily quota limit');
    const m = Math.floor(now / 60_000);
    const mm = minute.get(key);
    const mn = mm && mm.minute === m ? mm.n : 0;
    if (mn >= (minuteQuota[path] ?? options.defaultMinuteQuota ?? 10_000))
      return wx(45011, 'api minute-quota reach limit mustslower retry next minute');
    daily.set(key, { day, n: dn + 1 });
    minute.set(key, { minute: m, n: mn + 1 });
    return undefined;
  }

  /** The long-form article URL: `__biz` names the account, `mid` is the msg_data_id, `idx` the article. */
  function articleUrl(account: SimAccount, publishId: number, msgDataId: number): string {
    const biz = Buffer.from(account.id).toString('base64');
    const sn = createHash('md5').update(`${publishId}`).digest('hex');
    return `https://mp.weixin.qq.com/s?__biz=${encodeURIComponent(biz)}&mid=${msgDataId}&idx=1&sn=${sn}&chksm=${sn.slice(0, 8)}#rd`;
  }

  const ipError = (ip: string) => wx(40164, `invalid ip ${ip} ipv6 ::ffff:${ip}, not in whitelist`);

  /** Checks the access token, whitelist and quota the way every API call is checked. */
  function authed(
    handler: (req: SimRequest, sim: Simulator, account: SimAccount) => SimResponse | Promise<SimResponse>,
  ): SimRoute['handler'] {
    return (req, sim) => {
      const token = req.query.access_token;
      if (!token) return wx(41001, 'access_token missing');
      if (!/^tk_[0-9a-f]{32}$/.test(token)) return wx(40014, 'invalid access_token');
      const meta = tokens.get(token);
      if (!meta) return wx(40001, 'invalid credential, access_token is invalid or not latest');
      if (meta.supersededAt !== undefined && sim.now() > meta.supersededAt + graceMs) {
        return wx(40001, 'invalid credential, access_token is invalid or not latest');
      }
      const account = sim.tokenAccount(token);
      if (!account) return wx(42001, 'access_token expired');
      const ip = blocked.get(meta.appid);
      if (ip) return ipError(ip);
      const quota = countQuota(sim, meta.appid, req.path);
      if (quota) return quota;
      return handler(req, sim, account);
    };
  }

  const route = (
    method: SimRoute['method'],
    path: string,
    handler: (req: SimRequest, sim: Simulator, account: SimAccount) => SimResponse | Promise<SimResponse>,
    commits?: boolean,
  ): SimRoute => ({ method, path, handler: authed(handler), commits });

  const appidOf = (account: SimAccount) => account.credentials.appid;
  const mmbiz = (kind: string, fmt: string) =>
    `http://mmbiz.qpic.cn/mmbiz_${kind}/${randomBytes(24).toString('base64url')}/0?wx_fmt=${fmt}`;

  function newsItem(a: Article, extra: Record<string, unknown>, noContent: boolean) {
    const item: Record<string, unknown> = { ...a, ...extra };
    if (noContent) delete item.content;
    return item;
  }

  function validateArticle(raw: unknown, appid: string): { article: Article } | { error: SimResponse } {
    if (!raw || typeof raw !== 'object') return { error: wx(44003, 'empty news data') };
    const a = raw as Record<string, unknown>;
    for (const f of ['title', 'author', 'digest', 'content', 'content_source_url', 'thumb_media_id']) {
      if (a[f] !== undefined && typeof a[f] !== 'string') return { error: wx(47001, `data format error: ${f}`) };
    }
    for (const f of ['need_open_comment', 'only_fans_can_comment']) {
      if (a[f] !== undefined && a[f] !== 0 && a[f] !== 1) return { error: wx(47001, `data format error: ${f}`) };
    }
    if (a.article_type !== undefined && a.article_type !== 'news' && a.article_type !== 'newspic') {
      return { error: wx(47001, 'data format error: article_type') };
    }
    const title = str(a.title) ?? '';
    const author = str(a.author) ?? '';
    const digest = str(a.digest) ?? '';
    let content = str(a.content) ?? '';
    const source = str(a.content_source_url) ?? '';
    if (!title.trim()) return { error: wx(44003, 'empty news data: title') };
    if (!content.trim()) return { error: wx(44003, 'empty news data: content') };
    if (title.length > 32) return { error: wx(45003, 'title size out of limit') };
    if (author.length > 16) return { error: wx(45110, 'author size out of limit') };
    if (digest.length > 128) return { error: wx(45004, 'description size out of limit') };
    // The 20,000 characters include the HTML tags.
    if (content.length >= 20_000 || Buffer.byteLength(content, 'utf8') >= MB) return { error: wx(45002, 'content size out of limit') };
    if (Buffer.byteLength(source, 'utf8') > 1024) return { error: wx(45005, 'url size out of limit') };
    if (source && !/^https?:\/\//i.test(source)) return { error: wx(47001, 'data format error: content_source_url') };
    for (const m of content.matchAll(/<a\b[^>]*\bhref\s*=\s*["']?([^"'\s>]+)/gi)) {
      let host = '';
      try {
        host = new URL(m[1].replace(/&amp;/g, '&')).hostname;
      } catch {
        // unparsable hrefs are refused like foreign ones
      }
      if (host !== 'mp.weixin.qq.com') return { error: wx(45166, 'invalid content hint: hyperlink') };
    }
    const thumb = str(a.thumb_media_id);
    const mat = thumb ? materials.get(thumb) : undefined;
    if ((a.article_type ?? 'news') === 'news' && (!mat || mat.appid !== appid)) return { error: wx(40007, 'invalid media_id') };
    // Scripts are stripped and images that did not come from uploadimg are filtered, silently.
    content = content.replace(/<script\b[\s\S]*?<\/script\s*>/gi, '').replace(/<img\b[^>]*>/gi, (tag) => {
      const src = /\bsrc\s*=\s*["']([^"']*)["']/i.exec(tag)?.[1]?.replace(/&amp;/g, '&');
      return src && inlineUrls.has(src) ? tag : '';
    });
    return {
      article: {
        title,
        author,
        digest: digest || plain(content).replace(/\s+/g, ' ').trim().slice(0, 54),
        content,
        content_source_url: source,
        thumb_media_id: thumb ?? '',
        thumb_url: mat?.url ?? '',
        need_open_comment: a.need_open_comment === 1 ? 1 : 0,
        only_fans_can_comment: a.only_fans_can_comment === 1 ? 1 : 0,
      },
    };
  }

  function pageArgs(body: Record<string, unknown>): { offset: number; count: number; noContent: boolean } | undefined {
    const offset = Number(body.offset ?? 0);
    const count = Number(body.count);
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(count) || count < 1 || count > 20) return undefined;
    return { offset, count, noContent: Number(body.no_content ?? 0) === 1 };
  }

  const findJob = (appid: string, publishId: unknown) => {
    const id = Number(publishId);
    const job = Number.isSafeInteger(id) ? jobs.get(id) : undefined;
    return job && job.appid === appid ? job : undefined;
  };
  const jobByArticle = (appid: string, articleId: unknown) =>
    [...jobs.values()].find((j) => j.appid === appid && j.articleId === str(articleId));
  const jobByMsg = (appid: string, msgDataId: unknown) =>
    [...jobs.values()].find((j) => j.appid === appid && j.msgDataId === Number(msgDataId) && j.postId);

  function commentTarget(sim: Simulator, account: SimAccount, body: Record<string, unknown>) {
    if (noComment.has(appidOf(account))) return { error: wx(88000, 'without comment privilege') };
    const job = jobByMsg(appidOf(account), body.msg_data_id);
    const post = job?.postId ? sim.findPost(job.postId) : undefined;
    if (!job || !post || statusOf(sim, job) !== 0) return { error: wx(88001, 'msg_data is not exists') };
    if (body.index !== undefined && Number(body.index) !== 0) return { error: wx(88001, 'msg_data is not exists: index') };
    return { job, post };
  }

  const routes: SimRoute[] = [
    {
      method: 'POST',
      path: '/cgi-bin/stable_token',
      auth: true,
      handler: (req, sim) => {
        const { grant_type, appid, secret, force_refresh } = req.body as Record<string, unknown>;
        if (grant_type !== 'client_credential') return wx(40002, 'invalid grant_type');
        const account = typeof appid === 'string' ? accountOf(sim, appid) : undefined;
        if (!account) return wx(40013, 'invalid appid');
        if (secret !== account.credentials.secret) return wx(40125, 'invalid appsecret');
        const ip = blocked.get(appid as string);
        if (ip) return ipError(ip);
        const quota = countQuota(sim, appid as string, req.path);
        if (quota) return quota;
        const current = currentToken.get(appid as string);
        const force = force_refresh === true;
        if (force) {
          const q = countQuota(sim, appid as string, '/cgi-bin/stable_token#force_refresh');
          if (q) return q;
        }
        const meta = current ? tokens.get(current) : undefined;
        if (!force && current && meta && meta.supersededAt === undefined && sim.tokenAccount(current)) {
          // Normal mode hands out the same token while it is valid, with its remaining lifetime.
          const remaining = Math.max(1, Math.floor((expiry.get(current)! - sim.now()) / 1000));
          return { json: { access_token: current, expires_in: remaining } };
        }
        if (current && meta) meta.supersededAt = sim.now();
        const { token, expiresAt } = sim.issueToken(account.id, tokenTtlMs);
        tokens.set(token, { appid: appid as string });
        expiry.set(token, expiresAt);
        currentToken.set(appid as string, token);
        return { json: { access_token: token, expires_in: Math.floor(tokenTtlMs / 1000) } };
      },
    },
    route('GET', '/cgi-bin/get_api_domain_ip', () => ({
      json: { ip_list: ['101.226.103.0/25', '101.226.233.128/25', '58.247.206.128/25'] },
    })),
    route('POST', '/cgi-bin/clear_quota', (req, sim, account) => {
      if (req.body.appid !== appidOf(account)) return wx(40013, 'invalid appid');
      const month = beijingDay(sim.now()).slice(0, 7);
      const c = clears.get(appidOf(account));
      const n = c && c.month === month ? c.n : 0;
      if (n >= 10) return wx(48006, 'forbid to clear quota because of reaching the limit');
      clears.set(appidOf(account), { month, n: n + 1 });
      for (const k of [...daily.keys()]) if (k.startsWith(`${appidOf(account)} `)) daily.delete(k);
      return ok();
    }),
    route('POST', '/cgi-bin/media/uploadimg', (req) => {
      const file = req.files.media;
      if (!file) return wx(41005, 'media data missing');
      const type = imageType(file.data);
      if (type !== 'jpeg' && type !== 'png') return wx(40005, 'invalid file type');
      if (file.data.length >= MB) return wx(40009, 'invalid image size');
      const url = mmbiz(type === 'png' ? 'png' : 'jpg', type);
      inlineUrls.add(url);
      return ok({ url });
    }),
    route('POST', '/cgi-bin/material/add_material', (req, _sim, account) => {
      const kind = req.query.type;
      if (kind !== 'image' && kind !== 'thumb') return wx(40004, 'invalid media type');
      const file = req.files.media;
      if (!file) return wx(41005, 'media data missing');
      const type = imageType(file.data);
      if (kind === 'image' && !type) return wx(40005, 'invalid file type');
      if (kind === 'thumb' && type !== 'jpeg') return wx(40005, 'invalid file type');
      if (file.data.length > (kind === 'image' ? 10 * MB : 64 * 1024)) return wx(40009, 'invalid image size');
      const mediaId = randomBytes(32).toString('base64url');
      const url = mmbiz(type === 'png' ? 'png' : 'jpg', type ?? 'jpeg');
      materials.set(mediaId, { appid: appidOf(account), url });
      return { json: { media_id: mediaId, url, item: [] } };
    }),
    route('POST', '/cgi-bin/draft/add', (req, sim, account) => {
      const articles = req.body.articles;
      if (Object.keys(req.body).length === 0) return wx(44002, 'empty post data');
      if (!Array.isArray(articles) || articles.length === 0) return wx(44003, 'empty news data');
      if (articles.length > 8) return wx(45008, 'article size out of limit');
      const checked = articles.map((a) => validateArticle(a, appidOf(account)));
      const bad = checked.find((c): c is { error: SimResponse } => 'error' in c);
      if (bad) return bad.error;
      if (articles.length !== 1) return wx(47001, 'data format error: the simulator keeps single-article drafts');
      const mediaId = randomBytes(32).toString('base64url');
      drafts.set(mediaId, {
        mediaId,
        appid: appidOf(account),
        article: (checked[0] as { article: Article }).article,
        updateTime: Math.floor(sim.now() / 1000),
        seq: ++seq,
      });
      return { json: { media_id: mediaId } };
    }),
    route(
      'POST',
      '/cgi-bin/draft/get',
      (req, _sim, account) => {
        const d = drafts.get(str(req.body.media_id) ?? '');
        if (!d || d.appid !== appidOf(account)) return wx(40007, 'invalid media_id');
        return {
          json: {
            news_item: [newsItem(d.article, { url: `https://mp.weixin.qq.com/s?__biz=draft&tempkey=${d.mediaId.slice(0, 12)}` }, false)],
          },
        };
      },
      false,
    ),
    route(
      'POST',
      '/cgi-bin/draft/batchget',
      (req, _sim, account) => {
        const page = pageArgs(req.body);
        if (!page) return wx(40035, 'invalid args');
        const mine = [...drafts.values()].filter((d) => d.appid === appidOf(account)).sort((a, b) => b.seq - a.seq);
        const item = mine.slice(page.offset, page.offset + page.count).map((d) => ({
          media_id: d.mediaId,
          content: { news_item: [newsItem(d.article, {}, page.noContent)] },
          update_time: d.updateTime,
        }));
        return { json: { total_count: mine.length, item_count: item.length, item } };
      },
      false,
    ),
    route('POST', '/cgi-bin/draft/delete', (req, _sim, account) => {
      const d = drafts.get(str(req.body.media_id) ?? '');
      if (!d || d.appid !== appidOf(account)) return wx(40007, 'invalid media_id');
      drafts.delete(d.mediaId);
      return ok();
    }),
    route('POST', '/cgi-bin/freepublish/submit', (req, sim, account) => {
      const mediaId = str(req.body.media_id);
      if (!mediaId) return wx(44002, 'empty post data');
      const d = drafts.get(mediaId);
      if (!d || d.appid !== appidOf(account)) return wx(40007, 'invalid media_id');
      // A submitted draft leaves the draft box.
      drafts.delete(mediaId);
      const appid = appidOf(account);
      const text = `${d.article.title}\n${d.article.content}`;
      const outcome = nextOutcome.get(appid) ?? (rejectWords.some((w) => text.includes(w)) ? 4 : 0);
      nextOutcome.delete(appid);
      const publishId = ++publishSeq;
      const msgDataId = ++msgSeq;
      const url = articleUrl(account, publishId, msgDataId);
      const job: Job = {
        publishId,
        appid,
        articleId: `Ar${randomBytes(15).toString('base64url')}`,
        msgDataId,
        article: d.article,
        url,
        submittedAt: sim.now(),
        readyAt: sim.now() + publishDelayMs,
        outcome,
        seq: ++seq,
      };
      if (outcome === 0) {
        const post: SimPost = sim.createPost({
          account: account.id,
          title: d.article.title,
          text: d.article.content,
          idempotencyMarker: d.article.content_source_url || undefined,
          extra: { publish_id: publishId, article_id: job.articleId, msg_data_id: msgDataId, url },
        });
        job.postId = post.id;
      }
      jobs.set(publishId, job);
      // The documents show a string, callbacks and some answers a number.
      return ok({ publish_id: publishId % 2 === 0 ? String(publishId) : publishId, msg_data_id: msgDataId });
    }),
    route(
      'POST',
      '/cgi-bin/freepublish/get',
      (req, sim, account) => {
        const job = findJob(appidOf(account), req.body.publish_id);
        if (!job) return wx(53502, 'Publish ID 无效');
        const status = statusOf(sim, job);
        const out: Record<string, unknown> = { publish_id: String(job.publishId), publish_status: status, fail_idx: [] };
        if (status === 0 || status === 5 || status === 6) {
          out.article_id = job.articleId;
          out.article_detail = { count: 1, item: [{ idx: 1, article_url: job.url }] };
        }
        if (status === 2 || status === 4) out.fail_idx = [1];
        return ok(out);
      },
      false,
    ),
    route(
      'POST',
      '/cgi-bin/freepublish/batchget',
      (req, sim, account) => {
        const page = pageArgs(req.body);
        if (!page) return wx(40035, 'invalid args');
        const mine = [...jobs.values()].filter((j) => j.appid === appidOf(account) && statusOf(sim, j) === 0).sort((a, b) => b.seq - a.seq);
        const item = mine.slice(page.offset, page.offset + page.count).map((j) => ({
          article_id: j.articleId,
          content: {
            news_item: [newsItem(j.article, { url: j.url, is_deleted: false }, page.noContent)],
            create_time: Math.floor(j.readyAt / 1000),
            update_time: Math.floor(j.readyAt / 1000),
          },
          update_time: Math.floor(j.readyAt / 1000),
        }));
        return { json: { total_count: mine.length, item_count: item.length, item } };
      },
      false,
    ),
    route(
      'POST',
      '/cgi-bin/freepublish/getarticle',
      (req, sim, account) => {
        const job = jobByArticle(appidOf(account), req.body.article_id);
        if (!job || !job.postId || statusOf(sim, job) === 1) return wx(53600, 'Article ID 无效');
        return { json: { news_item: [newsItem(job.article, { url: job.url, is_deleted: statusOf(sim, job) !== 0 }, false)] } };
      },
      false,
    ),
    route('POST', '/cgi-bin/freepublish/delete', (req, sim, account) => {
      const job = jobByArticle(appidOf(account), req.body.article_id);
      const index = req.body.index === undefined ? 0 : Number(req.body.index);
      if (!job || !job.postId || statusOf(sim, job) !== 0) return wx(53600, 'Article ID 无效');
      if (index !== 0 && index !== 1) return wx(40035, 'invalid args: index');
      job.after = 5;
      const post = sim.findPost(job.postId);
      if (post) post.deleted = true;
      return ok();
    }),
    route(
      'POST',
      '/cgi-bin/comment/list',
      (req, sim, account) => {
        const t = commentTarget(sim, account, req.body);
        if ('error' in t) return t.error!;
        const begin = Number(req.body.begin ?? 0);
        const count = Number(req.body.count);
        const type = Number(req.body.type ?? 0);
        if (!Number.isInteger(begin) || begin < 0 || !Number.isInteger(count) || count < 1 || count >= 50 || ![0, 1, 2].includes(type)) {
          return wx(40035, 'invalid args');
        }
        // No comment is elected (精选) in the simulator, so type 2 lists none. Newest first; deleted ones gone.
        const all = type === 2 ? [] : t.post.comments.filter((c) => !c.deleted && !c.fromAccount).reverse();
        const comment = all.slice(begin, begin + count).map((c) => ({
          user_comment_id: t.post.comments.indexOf(c) + 1,
          openid: `o${createHash('md5').update(c.author).digest('base64url').slice(0, 27)}`,
          create_time: Math.floor(Date.parse(c.createdAt) / 1000),
          content: c.text,
          comment_type: 0,
          ...(c.reply ? { reply: { content: c.reply.text, create_time: Math.floor(Date.parse(c.reply.createdAt) / 1000) } } : {}),
        }));
        return ok({ total: all.length, comment });
      },
      false,
    ),
    route('POST', '/cgi-bin/comment/reply/add', (req, sim, account) => {
      const t = commentTarget(sim, account, req.body);
      if ('error' in t) return t.error!;
      const c = t.post.comments[Number(req.body.user_comment_id) - 1];
      if (!c || c.deleted) return wx(88003, 'comment is not exists');
      const content = str(req.body.content);
      if (!content?.trim()) return wx(44002, 'empty post data');
      c.reply = { id: `r${req.body.user_comment_id}`, text: content, createdAt: new Date(sim.now()).toISOString() };
      sim.recordReply({
        kind: 'comment',
        account: account.id,
        postId: t.post.id,
        commentId: String(req.body.user_comment_id),
        text: content,
      });
      return ok();
    }),
    route('POST', '/cgi-bin/comment/delete', (req, sim, account) => {
      const t = commentTarget(sim, account, req.body);
      if ('error' in t) return t.error!;
      const c = t.post.comments[Number(req.body.user_comment_id) - 1];
      if (!c || c.deleted) return wx(88003, 'comment is not exists');
      c.deleted = true;
      t.post.metrics.comments = t.post.comments.filter((x) => !x.deleted).length;
      return ok();
    }),
    route('POST', '/cgi-bin/message/custom/send', (req, sim, account) => {
      const touser = str(req.body.touser) ?? '';
      if (str(req.body.msgtype) !== 'text') return wx(40008, 'invalid message type');
      const content = str((req.body.text as { content?: unknown } | undefined)?.content);
      if (!content?.trim()) return wx(44002, 'empty post data');
      if (sim.lastMessageAt(account.id, touser) === undefined) return wx(40003, 'invalid openid');
      if (!sim.replyWindowOpen(account.id, touser, 48)) return wx(45015, 'response out of time limit or subscription is canceled');
      // At most 20 replies before the citizen writes again.
      const since = sim.lastMessageAt(account.id, touser)!;
      const sent = sim.replies.filter(
        (r) => r.kind === 'message' && r.account === account.id && r.conversationId === touser && Date.parse(r.createdAt) >= since,
      ).length;
      if (sent >= 20) return wx(45047, 'out of response count limit');
      sim.recordReply({ kind: 'message', account: account.id, conversationId: touser, text: content });
      return ok();
    }),
    route(
      'POST',
      '/datacube/getarticlesummary',
      (req, sim, account) => {
        const begin = str(req.body.begin_date) ?? '';
        const end = str(req.body.end_date) ?? '';
        const valid = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`));
        const today = beijingDay(sim.now());
        // Span of one day, end at most yesterday, nothing before 2014-12-01.
        if (!valid(begin) || !valid(end) || begin !== end || end >= today || begin < '2014-12-01') return wx(61500, 'date format error');
        const hour = new Date(sim.now() + BEIJING).getUTCHours();
        const yesterday = beijingDay(sim.now() - 86_400_000);
        // Yesterday's figures are generated at 08:00 Beijing time.
        if (end === yesterday && hour < 8) return wx(61503, 'data not ready, please try later');
        const list = [...jobs.values()]
          .filter((j) => j.appid === appidOf(account) && j.postId && j.after === undefined && beijingDay(j.readyAt) <= end)
          .map((j) => {
            const m = sim.findPost(j.postId!)!.metrics;
            return {
              ref_date: end,
              msgid: `${j.msgDataId}_1`,
              title: j.article.title,
              int_page_read_user: m.views,
              int_page_read_count: m.views,
              ori_page_read_user: 0,
              ori_page_read_count: 0,
              share_user: m.shares,
              share_count: m.shares,
              add_to_fav_user: m.likes,
              add_to_fav_count: m.likes,
            };
          });
        return { json: { list } };
      },
      false,
    ),
  ];

  const escapeHtml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

  /** An article published from the 公众号 backend (发表), not through the API: listed like any other. */
  function nativeArticle(input: NativePostInput, sim: Simulator): SimPost {
    const account = input.account;
    const appid = appidOf(account);
    const title = (input.title ?? input.text).slice(0, 32) || '无标题';
    const content = input.text
      .split(/\n+/)
      .map((line) => `<p>${escapeHtml(line)}</p>`)
      .join('');
    const article: Article = {
      title,
      author: '',
      digest: plain(content).replace(/\s+/g, ' ').trim().slice(0, 54),
      content,
      content_source_url: input.link ?? '',
      thumb_media_id: '',
      thumb_url: '',
      need_open_comment: 0,
      only_fans_can_comment: 0,
    };
    const publishId = ++publishSeq;
    const msgDataId = ++msgSeq;
    const url = articleUrl(account, publishId, msgDataId);
    const job: Job = {
      publishId,
      appid,
      articleId: `Ar${randomBytes(15).toString('base64url')}`,
      msgDataId,
      article,
      url,
      submittedAt: sim.now(),
      readyAt: sim.now(),
      outcome: 0,
      seq: ++seq,
    };
    const post = sim.createPost({
      account: account.id,
      title,
      text: content,
      extra: { publish_id: publishId, article_id: job.articleId, msg_data_id: msgDataId, url },
    });
    job.postId = post.id;
    jobs.set(publishId, job);
    return post;
  }

  const sim = createSimulator({
    platform: 'wechat',
    nativePost: nativeArticle,
    postUrl: (p) => (typeof p.extra.url === 'string' ? p.extra.url : undefined),
    createAccount: (account) => ({
      appid: `wx${createHash('sha256')
        .update(`${account.id}:${account.name}:${randomBytes(4).toString('hex')}`)
        .digest('hex')
        .slice(0, 16)}`,
      secret: randomBytes(16).toString('hex'),
      accountName: account.name,
      originalId: `gh_${randomBytes(6).toString('hex')}`,
      callbackToken,
    }),
    webhook: {
      push: (m, account, s) => {
        let msgId = msgIds.get(m.id);
        if (!msgId) msgIds.set(m.id, (msgId = String(nextMsgId++)));
        return {
          method: 'POST',
          query: signedQuery(s, { openid: m.from }),
          headers: { 'content-type': 'text/xml' },
          body: messageXml(m, account, msgId),
        };
      },
      challenge: (s) => {
        const echostr = randomBytes(9).toString('hex');
        return { push: { method: 'GET', query: signedQuery(s, { echostr }), headers: {}, body: '' }, expect: echostr };
      },
      // WeChat retries a push not answered within 5 s, 3 tries; any HTTP 200 counts as received.
      tries: 3,
      timeoutMs: 5000,
      accepted: (status) => status === 200,
    },
    tokenFrom: (req) => req.query.access_token,
    faultResponses: {
      rate_limit: () => wx(45011, 'api minute-quota reach limit mustslower retry next minute'),
      server_error: () => wx(-1, 'system error'),
      token_expired: () => wx(42001, 'access_token expired'),
    },
    routes,
  }) as WechatSimulator;

  function signedQuery(s: Simulator, extra: Record<string, string>): Record<string, string> {
    const timestamp = String(Math.floor(s.now() / 1000));
    const nonce = String(randomBytes(4).readUInt32BE());
    const signature = createHash('sha1').update([callbackToken, timestamp, nonce].sort().join('')).digest('hex');
    return { signature, timestamp, nonce, ...extra };
  }

  const cdata = (t: string) => `<![CDATA[${t.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

  /** The XML WeChat pushes for a citizen's message (plain-text mode). */
  function messageXml(m: SimMessage, account: SimAccount, msgId: string): string {
    const head =
      `<ToUserName>${cdata(account.credentials.originalId)}</ToUserName><FromUserName>${cdata(m.from)}</FromUserName>` +
      `<CreateTime>${Math.floor(Date.parse(m.createdAt) / 1000)}</CreateTime>`;
    const media = `<MediaId>${cdata(`media_${msgId}`)}</MediaId>`;
    const body =
      m.kind === 'text'
        ? `<MsgType>${cdata('text')}</MsgType><Content>${cdata(m.text)}</Content><MsgId>${msgId}</MsgId>`
        : m.kind === 'image'
          ? `<MsgType>${cdata('image')}</MsgType><PicUrl>${cdata('http://mmbiz.qpic.cn/sim.jpg')}</PicUrl>${media}<MsgId>${msgId}</MsgId>`
          : m.kind === 'voice'
            ? `<MsgType>${cdata('voice')}</MsgType>${media}<Format>${cdata('amr')}</Format>${m.text ? `<Recognition>${cdata(m.text)}</Recognition>` : ''}<MsgId>${msgId}</MsgId>`
            : m.kind === 'video'
              ? `<MsgType>${cdata('video')}</MsgType>${media}<ThumbMediaId>${cdata('thumb')}</ThumbMediaId><MsgId>${msgId}</MsgId>`
              : `<MsgType>${cdata('event')}</MsgType><Event>${cdata(m.text || 'subscribe')}</Event>`;
    return `<xml>${head}${body}</xml>`;
  }

  const baseReset = sim.reset.bind(sim);
  sim.reset = () => {
    baseReset();
    msgIds = new Map();
    tokens = new Map();
    currentToken = new Map();
    daily = new Map();
    minute = new Map();
    blocked = new Map();
    noComment = new Set();
    nextOutcome = new Map();
    materials = new Map();
    inlineUrls = new Set();
    drafts = new Map();
    jobs = new Map();
    clears = new Map();
    expiry.clear();
  };

  sim.wechat = {
    blockIp: (appid, ip = '203.0.113.7') => void blocked.set(appid, ip),
    unblockIp: (appid) => void blocked.delete(appid),
    setCommentPermission: (appid, allowed) => void (allowed ? noComment.delete(appid) : noComment.add(appid)),
    failNextPublish: (appid, status) => void nextOutcome.set(appid, status),
    banArticle(articleId) {
      const job = [...jobs.values()].find((j) => j.articleId === articleId);
      if (!job) return;
      job.after = 6;
      const post = job.postId ? sim.findPost(job.postId) : undefined;
      if (post) post.deleted = true;
    },
    drafts: (appid) =>
      [...drafts.values()]
        .filter((d) => !appid || d.appid === appid)
        .map((d) => ({ mediaId: d.mediaId, appid: d.appid, article: d.article })),
    jobs: (appid) =>
      [...jobs.values()]
        .filter((j) => !appid || j.appid === appid)
        .map((j) => ({
          publishId: j.publishId,
          articleId: j.articleId,
          msgDataId: j.msgDataId,
          status: statusOf(sim, j),
          article: j.article,
        })),
    materials: (appid) => [...materials.entries()].filter(([, m]) => m.appid === appid).map(([id]) => id),
    quotaUsed: (appid, path) => {
      const d = daily.get(`${appid} ${path}`);
      return d && d.day === beijingDay(sim.now()) ? d.n : 0;
    },
  };
  return sim;
}
