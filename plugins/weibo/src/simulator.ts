import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { countWith } from '@tongfa/plugin-sdk';
import {
  createSimulator,
  type NativePostInput,
  type SimAccount,
  type SimPost,
  type SimRequest,
  type SimResponse,
  type Simulator,
} from '@tongfa/plugin-sdk/testing';
import { MARKER_PARAM } from './marker';
import { midToMblogId } from './mblog-id';

/** Options of the Weibo simulator. */
export interface WeiboSimulatorOptions {
  /**
   * Issue refresh tokens, as Weibo does only for apps authorised through its official mobile SDK.
   * Default false: a web app, whose expired token can only be replaced by a person reconnecting.
   */
  refreshTokens?: boolean;
  /** Access token lifetime (default 7 days, an ordinary app's third-party users). */
  tokenTtlMs?: number;
  /** The app's 安全域名: a shared status must link under it (default `gov.cn`, subdomains included). */
  safeDomain?: string;
  /**
   * The app's registered callback (授权回调页). Default: any loopback URL whose path ends in
   * `/accounts/oauth/callback` (the hub's route), so a hub on any local port can connect sandbox accounts.
   */
  callbackUrls?: string[];
  /** Publishes per user per app per hour (default 30). */
  postsPerHour?: number;
  /** Whether accounts may publish 头条文章 (政务/媒体/机构 accounts with that permission; default true). */
  articlePermission?: boolean;
  /** statuses/user_timeline calls per user per day before 10023 (default 50, what the plugin declares). */
  timelinePerDay?: number;
  /**
   * comments/to_me calls per user per day before 10023 (default 30, what the plugin declares for the
   * comment APIs). comments/show is not counted here (the reply fault suite pages through it freely).
   */
  commentsToMePerDay?: number;
}

const HOUR = 3_600_000;
const INT64 = '__weibo_int64__:';

/** A JSON number beyond 2^53, as Weibo sends `id`: clients that parse it as a double get it wrong. */
const int64 = (digits: string) => `${INT64}${digits}`;

function weiboJson(value: unknown, status = 200): SimResponse {
  const text = JSON.stringify(value).replace(new RegExp(`"${INT64}(\\d+)"`, 'g'), '$1');
  return { status, headers: { 'content-type': 'application/json;charset=UTF-8' }, body: text };
}

function fail(req: SimRequest, code: number, error: string, status = 400): SimResponse {
  return weiboJson({ request: req.path, error_code: code, error }, status);
}

// Weibo's created_at: "Wed Oct 24 23:49:17 +0800 2012", in Beijing time.
function weiboDate(ms: number): string {
  const d = new Date(ms + 8 * HOUR);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0800 ${d.getUTCFullYear()}`;
}

// Links end at whitespace or a full-width character, as Weibo links them.
const URL_IN_TEXT = /https?:\/\/[^\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+/g;

function sniffImage(data: Buffer): 'jpeg' | 'png' | 'gif' | undefined {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (data.length >= 6 && /^GIF8[79]a$/.test(data.subarray(0, 6).toString('latin1'))) return 'gif';
  return undefined;
}

/**
 * A simulator of the Sina Weibo open API (api.weibo.com): OAuth2 (authorize, access_token, get_token_info,
 * revokeoauth2), statuses/share with its rules (140 Weibo units, a link under the safe domain, no #topic#,
 * `rip`, pic JPEG/GIF/PNG < 5 MB, repeated text refused, 30 posts per user per hour), links shortened to
 * t.cn and expandable, 头条文章, timeline, destroy, comments and replies, Weibo's error envelope and codes,
 * and `id` sent as a JSON number beyond 2^53 as the real API does.
 */
export function createWeiboSimulator(options: WeiboSimulatorOptions = {}): Simulator {
  const appKey = String(1_000_000_000 + (randomBytes(4).readUInt32BE(0) % 1_000_000_000));
  const appSecret = randomBytes(16).toString('hex');
  const ttl = options.tokenTtlMs ?? 7 * 24 * HOUR;
  const safeDomain = (options.safeDomain ?? 'gov.cn').toLowerCase();
  const perHour = options.postsPerHour ?? 30;
  const articlePermission = options.articlePermission ?? true;
  const timelinePerDay = options.timelinePerDay ?? 50;
  const toMePerDay = options.commentsToMePerDay ?? 30;
  const TIMELINE = 'statuses/user_timeline';
  const TO_ME = 'comments/to_me';

  let tokens = new Map<string, { accountId: string; createAt: number; expiresAt: number; revoked?: boolean }>();
  let codes = new Map<string, { accountId: string; redirectUri: string; expiresAt: number; used: boolean }>();
  let refresh = new Map<string, string>();
  let shortUrls = new Map<string, string>();
  let byMid = new Map<string, SimPost>();
  let commentIds = new Map<string, string>(); // harness comment id → Weibo cid
  // Real ids are 16-digit numbers near 2^53 and the docs' own example shows `id` and `idstr` disagreeing;
  // starting above 2^53 makes any client that reads `id` as a double fail here rather than in production.
  let nextId = 9_100_000_000_000_000n + BigInt(randomBytes(3).readUIntBE(0, 3)) * 1000n;
  const newMid = () => (nextId += BigInt(1 + (randomBytes(1)[0] % 7))).toString();

  const registered = (uri: string | undefined): boolean => {
    if (!uri) return false;
    if (options.callbackUrls) return options.callbackUrls.includes(uri);
    try {
      const u = new URL(uri);
      return ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && u.pathname.endsWith('/accounts/oauth/callback');
    } catch {
      return false;
    }
  };

  const issue = (sim: Simulator, accountId: string) => {
    const t = sim.issueToken(accountId, ttl);
    tokens.set(t.token, { accountId, createAt: sim.now(), expiresAt: t.expiresAt });
    const out: Record<string, string> = {
      access_token: t.token,
      expires_in: String(Math.round(ttl / 1000)),
      remind_in: String(Math.round(ttl / 1000)),
      uid: accountId,
    };
    if (options.refreshTokens) {
      const rt = `rt_${randomBytes(16).toString('hex')}`;
      refresh.set(rt, accountId);
      out.refresh_token = rt;
    }
    return out;
  };

  const tokenOf = (req: SimRequest): string | undefined => {
    const q = req.query.access_token ?? (typeof req.body.access_token === 'string' ? req.body.access_token : undefined);
    return q ?? /^OAuth2 (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
  };

  /** The caller's account, or Weibo's auth error. */
  const authed = (req: SimRequest, sim: Simulator): SimAccount | SimResponse => {
    const t = tokenOf(req);
    if (!t) return fail(req, 21301, 'auth faild!', 401);
    const account = sim.tokenAccount(t);
    if (account) return account;
    const rec = tokens.get(t);
    if (rec?.revoked) return fail(req, 21319, 'Accessor was revoked!', 401);
    if (rec && rec.expiresAt <= sim.now()) return fail(req, 21327, 'expired_token', 401);
    return fail(req, 21332, 'invalid_access_token', 401);
  };
  const isResponse = (x: SimAccount | SimResponse): x is SimResponse => !('credentials' in x);

  const user = (a: SimAccount) => ({
    id: Number(a.id),
    idstr: a.id,
    screen_name: a.name,
    name: a.name,
    profile_image_url: `https://tvax1.sinaimg.cn/crop.0.0.180.180.50/${a.id}.jpg`,
    avatar_large: `https://tvax1.sinaimg.cn/crop.0.0.180.180.180/${a.id}.jpg`,
    followers_count: 1000 + (Number(a.id) % 9000),
    verified: true,
    verified_type: 1,
    verified_reason: `${a.subject}官方微博`,
  });

  const statusView = (p: SimPost, sim: Simulator, trimUser = false): Record<string, unknown> => {
    const mid = String(p.extra.mid);
    const owner = sim.accounts.find((a) => a.id === p.account);
    const article = p.extra.article as { objectId: string } | undefined;
    const repostOf = typeof p.extra.repostOf === 'string' ? p.extra.repostOf : undefined;
    const original = repostOf ? byMid.get(repostOf) : undefined;
    return {
      created_at: weiboDate(Date.parse(p.createdAt)),
      id: int64(mid),
      mid,
      idstr: mid,
      text: p.text,
      source: '<a href="https://tongfa.invalid" rel="nofollow">统发</a>',
      favorited: false,
      truncated: false,
      in_reply_to_status_id: '',
      in_reply_to_user_id: '',
      in_reply_to_screen_name: '',
      ...(p.extra.pic
        ? {
            thumbnail_pic: `http://ww2.sinaimg.cn/thumbnail/${mid}.jpg`,
            bmiddle_pic: `http://ww2.sinaimg.cn/bmiddle/${mid}.jpg`,
            original_pic: `http://ww2.sinaimg.cn/large/${mid}.jpg`,
          }
        : {}),
      geo: null,
      user: trimUser || !owner ? undefined : user(owner),
      uid: trimUser ? p.account : undefined,
      reposts_count: p.metrics.shares,
      comments_count: p.comments.length,
      attitudes_count: p.metrics.likes,
      // A 头条文章's weibo carries the article as a card [I: the shape of Weibo's status JSON].
      ...(article
        ? {
            page_info: {
              type: 'article',
              object_id: article.objectId,
              page_url: articleUrl(article.objectId),
              page_title: p.title,
            },
          }
        : {}),
      ...(repostOf
        ? {
            retweeted_status:
              original && !original.deleted ? statusView(original, sim, true) : { idstr: repostOf, mid: repostOf, deleted: '1' },
          }
        : {}),
    };
  };
  const articleUrl = (objectId: string) => `https://weibo.com/ttarticle/p/show?id=${encodeURIComponent(objectId)}`;

  /** A weibo posted in the app: any links, no rip, kept like a shared status. */
  const nativeWeibo = (input: NativePostInput, sim: Simulator): SimPost => {
    const full = input.link ? `${input.text} ${input.link}` : input.text;
    const short = shorten(full);
    const mid = newMid();
    const post = sim.createPost({
      account: input.account.id,
      title: '',
      text: short.text,
      extra: { mid, longText: full, links: short.links, ...(input.repostOf ? { repostOf: input.repostOf } : {}) },
    });
    byMid.set(mid, post);
    return post;
  };

  /** Web addresses as people copy them: weibo.com/<uid>/<mblogid> for app posts, m.weibo.cn for API ones. */
  const postUrl = (p: SimPost): string | undefined => {
    const mid = typeof p.extra.mid === 'string' ? p.extra.mid : undefined;
    if (!mid) return undefined;
    const article = p.extra.article as { objectId: string } | undefined;
    if (article) return articleUrl(article.objectId);
    return p.native ? `https://weibo.com/${p.account}/${midToMblogId(mid)}` : `https://m.weibo.cn/status/${mid}`;
  };

  const recentPosts = (sim: Simulator, accountId: string) =>
    sim.posts.filter((p) => p.account === accountId && Date.parse(p.createdAt) > sim.now() - HOUR);

  /** Replaces each link by a t.cn short link, as Weibo stores statuses; returns the text and the links. */
  const shorten = (text: string): { text: string; links: string[] } => {
    const links: string[] = [];
    const out = text.replace(URL_IN_TEXT, (long) => {
      links.push(long);
      const code = randomBytes(5).toString('base64url').replace(/[-_]/g, 'A').slice(0, 7);
      shortUrls.set(`http://t.cn/${code}`, long);
      return `http://t.cn/${code}`;
    });
    return { text: out, links };
  };

  const markerIn = (links: string[]): string | undefined => {
    for (const l of links) {
      try {
        const v = new URL(l).searchParams.get(MARKER_PARAM);
        if (v) return v;
      } catch {
        // not a URL Weibo would link
      }
    }
    return undefined;
  };

  const ownPost = (req: SimRequest, sim: Simulator, account: SimAccount, id: unknown): SimPost | SimResponse => {
    const post = typeof id === 'string' ? byMid.get(id) : undefined;
    if (!post || post.deleted) return fail(req, 20101, 'Target weibo does not exist!');
    if (post.account !== account.id) return fail(req, 20102, 'Not your own weibo!', 403);
    return post;
  };
  const isPost = (x: SimPost | SimResponse): x is SimPost => 'account' in x && 'extra' in x;

  const cidOf = (commentId: string) => {
    let cid = commentIds.get(commentId);
    if (!cid) {
      cid = newMid();
      commentIds.set(commentId, cid);
    }
    return cid;
  };

  /**
   * Gives every comment not yet seen its cid, oldest first, so cids grow with creation time as Weibo's
   * ids do (since_id and max_id compare them). Called before any comment list is built.
   */
  const numberComments = (s: Simulator) => {
    const fresh = s.posts
      .flatMap((p) => p.comments)
      .filter((c) => !commentIds.has(c.id))
      .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    for (const c of fresh) cidOf(c.id);
  };

  /** A citizen's comment as Weibo's comment object. */
  const commentView = (post: SimPost, c: SimPost['comments'][number], status: unknown) => {
    const cid = cidOf(c.id);
    const parent = c.parentId ? post.comments.find((x) => x.id === c.parentId) : undefined;
    const uid = String(2_000_000_000 + (Number(cid.slice(-6)) % 1_000_000));
    return {
      created_at: weiboDate(Date.parse(c.createdAt)),
      id: int64(cid),
      idstr: cid,
      mid: cid,
      text: c.text,
      source: '<a href="https://weibo.com" rel="nofollow">微博 weibo.com</a>',
      user: { id: Number(uid), idstr: uid, screen_name: c.author },
      status,
      // A comment answering another comment (楼中楼) points at it.
      ...(parent ? { reply_comment: { id: int64(cidOf(parent.id)), idstr: cidOf(parent.id), text: parent.text } } : {}),
    };
  };

  const sim = createSimulator({
    platform: 'weibo',
    tokenFrom: tokenOf,
    nativePost: nativeWeibo,
    postUrl,
    createAccount: (account, s) => ({ client_id: appKey, client_secret: appSecret, ...issue(s, account.id) }),
    faultResponses: {
      rate_limit: (req) => fail(req, 10023, 'User requests out of rate limit!', 403),
      server_error: (req) => fail(req, 10001, 'System error', 500),
      token_expired: (req) => fail(req, 21327, 'expired_token', 401),
    },
    routes: [
      {
        method: 'GET',
        path: '/oauth2/authorize',
        auth: true,
        handler: (req, s) => {
          if (req.query.client_id !== appKey) return fail(req, 21324, 'invalid_client');
          if (req.query.response_type !== 'code') return fail(req, 21329, 'unsupported_response_type');
          if (!registered(req.query.redirect_uri)) return fail(req, 21322, 'redirect_uri_mismatch');
          // The sandbox has no login page: it authorises the account named by `sandbox_account` (the SDK's
          // convention) or `uid`, else the newest one.
          const named = req.query.sandbox_account ?? req.query.uid;
          const account = named ? s.accounts.find((a) => a.id === named) : s.accounts[s.accounts.length - 1];
          if (!account) return fail(req, 21330, 'access_denied');
          const code = randomBytes(16).toString('hex');
          codes.set(code, { accountId: account.id, redirectUri: req.query.redirect_uri, expiresAt: s.now() + 10 * 60_000, used: false });
          const to = new URL(req.query.redirect_uri);
          to.searchParams.set('code', code);
          if (req.query.state !== undefined) to.searchParams.set('state', req.query.state);
          return { status: 302, headers: { location: to.toString() }, body: '' };
        },
      },
      {
        method: 'POST',
        path: '/oauth2/access_token',
        auth: true,
        handler: (req, s) => {
          const b = req.body as Record<string, string | undefined>;
          if (b.client_id !== appKey || b.client_secret !== appSecret) return fail(req, 21324, 'invalid_client');
          if (b.grant_type === 'authorization_code') {
            const c = b.code ? codes.get(b.code) : undefined;
            if (!c || c.used || c.expiresAt <= s.now()) return fail(req, 21325, 'invalid_grant');
            if (!registered(b.redirect_uri) || b.redirect_uri !== c.redirectUri) return fail(req, 21322, 'redirect_uri_mismatch');
            c.used = true;
            return weiboJson(issue(s, c.accountId));
          }
          if (b.grant_type === 'refresh_token' && options.refreshTokens) {
            const accountId = b.refresh_token ? refresh.get(b.refresh_token) : undefined;
            if (!accountId) return fail(req, 21325, 'invalid_grant');
            refresh.delete(b.refresh_token!);
            return weiboJson(issue(s, accountId));
          }
          return fail(req, 21328, 'unsupported_grant_type');
        },
      },
      {
        method: 'POST',
        path: '/oauth2/get_token_info',
        auth: true,
        handler: (req, s) => {
          const t = typeof req.body.access_token === 'string' ? req.body.access_token : undefined;
          const rec = t ? tokens.get(t) : undefined;
          const a = authed(req, s);
          if (isResponse(a) || !rec) return isResponse(a) ? a : fail(req, 21332, 'invalid_access_token', 401);
          return weiboJson({
            uid: Number(a.id),
            appkey: appKey,
            scope: '',
            create_at: Math.floor(rec.createAt / 1000),
            expire_in: Math.max(0, Math.floor((rec.expiresAt - s.now()) / 1000)),
          });
        },
      },
      {
        method: 'GET',
        path: '/oauth2/revokeoauth2',
        auth: true,
        handler: (req, s) => {
          const a = authed(req, s);
          if (isResponse(a)) return a;
          const t = tokenOf(req)!;
          s.revokeToken(t);
          tokens.get(t)!.revoked = true;
          return weiboJson({ result: 'true' });
        },
      },
      {
        method: 'GET',
        path: '/2/users/show.json',
        handler: (req, s) => {
          const a = authed(req, s);
          if (isResponse(a)) return a;
          if (!req.query.uid && !req.query.screen_name) return fail(req, 10016, 'Miss required parameter (uid) , see doc for more info.');
          const target = s.accounts.find((x) => x.id === req.query.uid || x.name === req.query.screen_name);
          if (!target) return fail(req, 20003, 'User does not exists!');
          return weiboJson(user(target));
        },
      },
      {
        method: 'GET',
        path: '/2/account/rate_limit_status.json',
        handler: (req, s) => {
          const a = authed(req, s);
          if (isResponse(a)) return a;
          const recent = recentPosts(s, a.id);
          // Limited: when the oldest post of the hour leaves the window, or the day's timeline calls reset.
          // Otherwise the fault's own retry hint.
          const reset =
            recent.length >= perHour
              ? Math.ceil((Date.parse(recent[0].createdAt) + HOUR - s.now()) / 1000)
              : s.dailyQuotaUsed(a.id, TIMELINE) >= timelinePerDay
                ? Math.ceil(s.untilQuotaReset() / 1000)
                : (s.faults.retryAfterSec ?? 1);
          return weiboJson({
            ip_limit: 10_000,
            limit_time_unit: 'HOURS',
            remaining_ip_hits: 10_000,
            remaining_user_hits: Math.max(0, perHour - recent.length),
            reset_time: weiboDate(s.now() + reset * 1000),
            reset_time_in_seconds: reset,
            user_limit: perHour,
          });
        },
      },
      {
        method: 'POST',
        path: '/2/statuses/share.json',
        handler: (req, s) => {
          const a = authed(req, s);
          if (isResponse(a)) return a;
          const status = typeof req.body.status === 'string' ? req.body.status : undefined;
          const rip = typeof req.body.rip === 'string' ? req.body.rip : undefined;
          if (status === undefined) return fail(req, 10016, 'Miss required parameter (status) , see doc for more info.');
          if (!rip) return fail(req, 10016, 'Miss required parameter (rip) , see doc for more info.');
          if (!isIP(rip))
            return fail(req, 10017, `Parameter (rip)'s value invalid, expect (ip) , but get (${rip}) , see doc for more info.`);
          if (!status.trim()) return fail(req, 20008, 'Content is null!');
          if (countWith('weibo', status) > 140) return fail(req, 20012, 'Text too long, please input text less than 140 characters!');
          const links = status.match(URL_IN_TEXT) ?? [];
          if (/#[^#\s][^#]*#/.test(status.replace(URL_IN_TEXT, ' ')))
            return fail(req, 10017, "Parameter (status)'s value invalid, expect (text without #topic#) , see doc for more info.");
          const safe = links.some((l) => {
            try {
              const h = new URL(l).hostname.toLowerCase();
              return h === safeDomain || h.endsWith(`.${safeDomain}`);
            } catch {
              return false;
            }
          });
          if (!safe) return fail(req, 20018, 'Contain illegal website!');
          const pic = req.files.pic;
          if (pic) {
            if (!sniffImage(pic.data)) return fail(req, 20005, 'Unsupported image type, only suport JPG, GIF, PNG!');
            if (pic.data.length >= 5 * 1024 * 1024) return fail(req, 20006, 'Image size too large.');
          }
          const recent = recentPosts(s, a.id);
          if (recent.length >= perHour) return fail(req, 10024, 'User requests for (statuses/share) out of rate limit!', 403);
          if (s.posts.some((p) => p.account === a.id && !p.deleted && p.extra.longText === status))
            return fail(req, 20019, 'Repeat content!');
          const short = shorten(status);
          const mid = newMid();
          const post = s.createPost({
            account: a.id,
            title: '',
            text: short.text,
            idempotencyMarker: markerIn(short.links),
            extra: { mid, longText: status, links: short.links, pic: pic ? pic.data.length : undefined, rip },
          });
          byMid.set(mid, post);
          return weiboJson(statusView(post, s));
        },
      },
      {
        method: 'POST',
        path: '/proxy/article/publish.json',
        handler: (req, s) => {
          const a = authed(req, s);
          if (isResponse(a)) return a;
          const bad = (msg: string) => weiboJson({ code: 10008, msg, data: {} });
          if (!articlePermission) return fail(req, 10014, 'Insufficient app permissions!', 403);
          const b = req.body as Record<string, unknown>;
          const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
          const title = str('title');
          if (!title.trim() || countWith('codePoints', title) > 32) return bad('title is required and at most 32 characters');
          let content: string;
          try {
            content = decodeURIComponent(str('content'));
          } catch {
            return bad('content must be rawurlencoded');
          }
          if (!content.trim() || countWith('codePoints', content) > 90_000) return bad('content is required and at most 90000 characters');
          const text = str('text');
          if (countWith('weibo', text) > 1900) return bad('text is at most 1900 characters');
          // `cover` and `text` are marked required (是) in the parameter table of open.weibo.com/wiki/Toutiao/api
          // (revision 16377, 2022-11-29): Weibo refuses an article without either.
          if (!text.trim()) return bad('text is required');
          const cover = str('cover');
          if (!cover) return bad('cover is required');
          if (!/^https?:\/\//.test(cover)) return bad('cover must be an image URL');
          if (!str('rip') || !isIP(str('rip'))) return bad('rip is required');
          if (recentPosts(s, a.id).length >= perHour) return weiboJson({ code: 11001, msg: '发布过于频繁', data: {} });
          const short = shorten(text || title);
          const mid = newMid();
          const objectId = `1022:${newMid()}`;
          const post = s.createPost({
            account: a.id,
            title,
            text: short.text,
            idempotencyMarker: markerIn(short.links),
            extra: { mid, longText: text, links: short.links, article: { objectId, content, summary: str('summary'), cover } },
          });
          byMid.set(mid, post);
          return weiboJson({
            code: '100000',
            msg: 'success',
            data: { object_id: objectId, url: `https://weibo.com/ttarticle/p/show?id=${encodeURIComponent(objectId)}`, mid },
          });
        },
      },
      {
        method: 'GET',
        path: '/2/statuses/show.json',
        handler: (req, s) => {
          const a = authed(req, s);
          if (isResponse(a)) return a;
          const post = req.query.id ? byMid.get(req.query.id) : undefined;
          if (!post || post.deleted) return fail(req, 20101, 'Target weibo does not exist!');
          return weiboJson(statusView(post, s));
        },
      },
      {
        method: 'GET',
        path: '/2/statuses/user_timeline.json',
        handler: (req, s) => {
          const a = authed(req, s);
          if (isResponse(a)) return a;
          if (!s.takeDailyQuota(a.id, TIMELINE, timelinePerDay)) return fail(req, 10023, 'User requests out of rate limit!', 403);
          const count = Math.min(100, Math.max(1, Number(req.query.count ?? 20) || 20));
          const page = Math.max(1, Number(req.query.page ?? 1) || 1);
          const bound = (v: string | undefined) => (v && /^\d{1,20}$/.test(v) && v !== '0' ? BigInt(v) : undefined);
          const sinceId = bound(req.query.since_id);
          const maxId = bound(req.query.max_id);
          // Since 2013 the timeline returns only the authorised user's own weibos, newest first.
          // since_id is exclusive, max_id inclusive.
          const own = s.posts
            .filter((p) => p.account === a.id && !p.deleted)
            .filter((p) => {
              const mid = BigInt(String(p.extra.mid));
              return (sinceId === undefined || mid > sinceId) && (maxId === undefined || mid <= maxId);
            })
            .reverse();
          const items = own.slice((page - 1) * count, page * count);
          return weiboJson({
            statuses: items.map((p) => statusView(p, s, req.query.trim_user === '1')),
            total_number: own.length,
            previous_cursor: 0,
            next_cursor: 0,
          });
        },
      },
      {
        method: 'GET',
        path: '/2/short_url/expand.json',
        handler: (req, s) => {
          const a = authed(req, s);
          if (isResponse(a)) return a;
          // Up to 20 links per call, repeated as url_short=a&url_short=b.
          const shorts = req.queryAll.url_short ?? [];
          if (!shorts.length) return fail(req, 10016, 'Miss required parameter (url_short) , see doc for more info.');
          if (shorts.length > 20) return fail(req, 10017, "Parameter (url_short)'s value invalid, expect (url_short count <= 20)");
          return weiboJson({
            urls: shorts.map((short) => {
              const long = shortUrls.get(short);
              return { url_short: short, url_long: long ?? '', type: 0, result: long !== undefined };
            }),
          });
        },
      },
      {
        method: 'POST',
        path: '/2/statuses/destroy.json',
        handler: (req, s) => {
          const a = authed(req, s);
          if (isResponse(a)) return a;
          const post = ownPost(req, s, a, req.body.id);
          if (!isPost(post)) return post;
          post.deleted = true;
          return weiboJson(statusView(post, s));
        },
      },
      {
        method: 'GET',
        path: '/2/comments/show.json',
        handler: (req, s) => {
          const a = authed(req, s);
          if (isResponse(a)) return a;
          const post = req.query.id ? byMid.get(req.query.id) : undefined;
          if (!post || post.deleted) return fail(req, 20101, 'Target weibo does not exist!');
          const owner = s.accounts.find((x) => x.id === post.account)!;
          numberComments(s);
          const all: Array<{ at: number; view: unknown }> = [];
          for (const c of post.comments) {
            if (c.deleted) continue;
            const cid = cidOf(c.id);
            const view = commentView(post, c, { id: int64(String(post.extra.mid)), idstr: String(post.extra.mid) });
            all.push({ at: Date.parse(c.createdAt), view });
            if (c.reply) {
              const rid = cidOf(c.reply.id);
              all.push({
                at: Date.parse(c.reply.createdAt),
                view: {
                  created_at: weiboDate(Date.parse(c.reply.createdAt)),
                  id: int64(rid),
                  idstr: rid,
                  mid: rid,
                  text: c.reply.text,
                  user: user(owner),
                  status: view.status,
                  reply_comment: { id: int64(cid), idstr: cid, text: c.text },
                },
              });
            }
          }
          // Newest first (a stable sort keeps a comment before its reply made in the same second).
          const sorted = all
            .map((x, i) => ({ ...x, i }))
            .sort((x, y) => y.at - x.at || y.i - x.i)
            .map((x) => x.view);
          const count = Math.min(200, Math.max(1, Number(req.query.count ?? 50) || 50));
          const page = Math.max(1, Number(req.query.page ?? 1) || 1);
          return weiboJson({
            comments: sorted.slice((page - 1) * count, page * count),
            total_number: sorted.length,
            previous_cursor: 0,
            next_cursor: 0,
          });
        },
      },
      {
        // comments/to_me (我收到的评论): citizens' comments on all the caller's weibos, newest first, each
        // with the weibo it is on. since_id is exclusive, max_id inclusive; count 1–200 (default 50), page;
        // filter_by_author 0 all / 1 people the account follows / 2 strangers (the sandbox follows nobody).
        // The account's own replies are not comments it received (they are in comments/by_me) [I].
        method: 'GET',
        path: '/2/comments/to_me.json',
        handler: (req, s) => {
          const a = authed(req, s);
          if (isResponse(a)) return a;
          const bound = (name: string): bigint | undefined | SimResponse => {
            const v = req.query[name];
            if (v === undefined || v === '' || v === '0') return undefined;
            if (!/^\d{1,20}$/.test(v))
              return fail(req, 10017, `Parameter (${name})'s value invalid, expect (int64) , but get (${v}) , see doc for more info.`);
            return BigInt(v);
          };
          const sinceId = bound('since_id');
          const maxId = bound('max_id');
          if (typeof sinceId === 'object') return sinceId;
          if (typeof maxId === 'object') return maxId;
          const count = Number(req.query.count ?? 50);
          const page = Number(req.query.page ?? 1);
          if (!Number.isInteger(count) || count < 1 || count > 200)
            return fail(
              req,
              10017,
              `Parameter (count)'s value invalid, expect (1~200) , but get (${req.query.count}) , see doc for more info.`,
            );
          if (!Number.isInteger(page) || page < 1)
            return fail(
              req,
              10017,
              `Parameter (page)'s value invalid, expect (int) , but get (${req.query.page}) , see doc for more info.`,
            );
          const byAuthor = req.query.filter_by_author ?? '0';
          if (!['0', '1', '2'].includes(byAuthor))
            return fail(
              req,
              10017,
              `Parameter (filter_by_author)'s value invalid, expect (0,1,2) , but get (${byAuthor}) , see doc for more info.`,
            );
          if (!s.takeDailyQuota(a.id, TO_ME, toMePerDay)) return fail(req, 10023, 'User requests out of rate limit!', 403);
          numberComments(s);
          const received: Array<{ cid: bigint; view: unknown }> = [];
          if (byAuthor !== '1') {
            for (const post of s.posts) {
              if (post.account !== a.id || post.deleted || typeof post.extra.mid !== 'string') continue;
              const status = statusView(post, s, true);
              for (const c of post.comments) {
                if (c.deleted || c.fromAccount) continue;
                const cid = BigInt(cidOf(c.id));
                if ((sinceId !== undefined && cid <= sinceId) || (maxId !== undefined && cid > maxId)) continue;
                received.push({ cid, view: commentView(post, c, status) });
              }
            }
          }
          received.sort((x, y) => (y.cid > x.cid ? 1 : y.cid < x.cid ? -1 : 0));
          return weiboJson({
            comments: received.slice((page - 1) * count, page * count).map((x) => x.view),
            hasvisible: false,
            previous_cursor: 0,
            next_cursor: 0,
            total_number: received.length,
          });
        },
      },
      {
        // comments/destroy: the account deletes a comment on one of its own weibos (the biz variant's
        // documented rule; the v1 page allowed only the user's own comments) [I for the v2 path].
        method: 'POST',
        path: '/2/comments/destroy.json',
        handler: (req, s) => {
          const a = authed(req, s);
          if (isResponse(a)) return a;
          const cid = typeof req.body.cid === 'string' ? req.body.cid : '';
          if (!cid) return fail(req, 10016, 'Miss required parameter (cid) , see doc for more info.');
          let found: { post: SimPost; comment: SimPost['comments'][number] } | undefined;
          for (const post of byMid.values()) {
            const comment = post.comments.find((c) => commentIds.get(c.id) === cid);
            if (comment) found = { post, comment };
          }
          if (!found || found.comment.deleted) return fail(req, 20201, 'Target weibo comment does not exist!');
          if (found.post.deleted) return fail(req, 20101, 'Target weibo does not exist!');
          if (found.post.account !== a.id) return fail(req, 20102, 'Not your own weibo!', 403);
          found.comment.deleted = true;
          found.post.metrics.comments = found.post.comments.filter((c) => !c.deleted).length;
          return weiboJson({
            created_at: weiboDate(Date.parse(found.comment.createdAt)),
            id: int64(cid),
            idstr: cid,
            mid: cid,
            text: found.comment.text,
            status: { id: int64(String(found.post.extra.mid)), idstr: String(found.post.extra.mid) },
          });
        },
      },
      {
        method: 'POST',
        path: '/2/comments/reply.json',
        handler: (req, s) => {
          const a = authed(req, s);
          if (isResponse(a)) return a;
          const b = req.body as Record<string, unknown>;
          const text = typeof b.comment === 'string' ? b.comment : '';
          if (!b.cid || !b.id) return fail(req, 10016, 'Miss required parameter (cid, id) , see doc for more info.');
          if (typeof b.rip !== 'string' || !isIP(b.rip)) return fail(req, 10016, 'Miss required parameter (rip) , see doc for more info.');
          if (!text.trim()) return fail(req, 20008, 'Content is null!');
          if (countWith('weibo', text) > 140) return fail(req, 20012, 'Text too long, please input text less than 140 characters!');
          const post = typeof b.id === 'string' ? byMid.get(b.id) : undefined;
          if (!post || post.deleted) return fail(req, 20101, 'Target weibo does not exist!');
          const comment = post.comments.find((c) => commentIds.get(c.id) === b.cid);
          if (!comment || comment.deleted) return fail(req, 20201, 'Target weibo comment does not exist!');
          const rid = s.newId('r');
          comment.reply = { id: rid, text, createdAt: new Date(s.now()).toISOString() };
          s.recordReply({ id: rid, kind: 'comment', account: a.id, postId: post.id, commentId: String(b.cid), text });
          const cid = cidOf(rid);
          return weiboJson({
            created_at: weiboDate(s.now()),
            id: int64(cid),
            idstr: cid,
            mid: cid,
            text,
            user: user(a),
            reply_comment: { id: int64(String(b.cid)), idstr: String(b.cid), text: comment.text },
          });
        },
      },
    ],
  });

  const baseReset = sim.reset.bind(sim);
  sim.reset = () => {
    baseReset();
    tokens = new Map();
    codes = new Map();
    refresh = new Map();
    shortUrls = new Map();
    byMid = new Map();
    commentIds = new Map();
  };
  return sim;
}
