import {
  AmbiguousError,
  AuthExpiredError,
  ContentInvalidError,
  countWith,
  definePlugin,
  errorKind,
  PermanentError,
  type AssetRequest,
  type AuthContext,
  type CredentialUpdate,
  type MultipartPart,
  type Plugin,
  type PluginContext,
  type PostComment,
  type PublishResult,
} from '@tongfa/plugin-sdk';
import { token, url, weibo } from './api';
import { getPostByUrl, listPosts } from './listing';
import { manifest, STATUS_MAX } from './manifest';
import { hasMarker, withMarker } from './marker';
import { renderWeibo, type WeiboPayload } from './render';
import { settingsOf } from './settings';
import { checkSettings } from './settings-check';

/** The fields of a Weibo status object the plugin reads. `id` is a JSON number beyond 2^53: never use it. */
interface WeiboStatus {
  id?: number;
  idstr?: string;
  mid?: string;
  text?: string;
  created_at?: string;
  deleted?: string | number;
  user?: { idstr?: string; id?: number };
}

interface WeiboComment {
  idstr?: string;
  id?: number;
  text: string;
  created_at: string;
  user?: { idstr?: string; id?: number; screen_name?: string };
  reply_comment?: { idstr?: string; id?: number };
  /** The weibo commented on (comments/to_me names it; comments/show is asked for one). */
  status?: { idstr?: string; mid?: string; id?: number };
}

interface TokenResponse {
  access_token: string;
  /** A string ("7200") in the current docs, a number in the older ones. */
  expires_in?: string | number;
  uid?: string | number;
  refresh_token?: string;
}

const COMMENTS_PAGE = 50;
/** Pages of comments findReply reads before it gives up as unsure. */
const REPLY_SCAN_PAGES = 5;

/** One page of a weibo's comments (comments/show), newest first. */
function commentPage(ctx: PluginContext, remoteId: string, page: number, count: number) {
  return weibo<{ comments?: WeiboComment[]; total_number?: number }>(ctx, {
    method: 'GET',
    url: url(ctx, '/2/comments/show.json'),
    query: { access_token: token(ctx), id: remoteId, count, page },
  });
}
const TIMELINE_PAGE = 100;
/** A Weibo id (digits, beyond 2^53: compared as BigInt, never as a double). */
const WEIBO_ID = /^\d{1,20}$/;

const idOf = (s: { idstr?: string; mid?: string; id?: number }): string => s.idstr ?? s.mid ?? String(s.id ?? '');
const statusUrl = (id: string) => `https://m.weibo.cn/status/${id}`;

// Weibo's tokens report their lifetime in seconds, as a string or a number.
function expiresAt(ctx: { clock: { now(): number } }, expiresIn: string | number | undefined): number | undefined {
  const s = Number(expiresIn);
  return Number.isFinite(s) && s > 0 ? ctx.clock.now() + s * 1000 : undefined;
}

function tokenUpdate(ctx: AuthContext, t: TokenResponse): CredentialUpdate {
  if (!t.access_token) throw new PermanentError({ zh: '微博未返回 access_token', en: 'Weibo returned no access_token' });
  const credentials: Record<string, string> = { access_token: t.access_token };
  if (t.uid !== undefined) credentials.uid = String(t.uid);
  if (t.refresh_token) credentials.refresh_token = t.refresh_token;
  return { credentials, expiresAt: expiresAt(ctx, t.expires_in) };
}

function rip(ctx: PluginContext): string {
  const r = settingsOf(ctx.settings).rip;
  if (!r) {
    throw new PermanentError({
      zh: '微博要求上报操作用户真实 IP：请在插件设置中配置 rip',
      en: 'Weibo requires the real user IP: set the rip setting of the weibo plugin',
    });
  }
  return r;
}

// PHP's rawurlencode, which the 头条文章 API asks for: encodeURIComponent plus !'()*.
function rawurlencode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

async function uidOf(ctx: PluginContext): Promise<string> {
  if (ctx.credentials.uid) return ctx.credentials.uid;
  const info = await weibo<{ uid: string | number }>(ctx, {
    method: 'POST',
    url: url(ctx, '/oauth2/get_token_info'),
    form: { access_token: token(ctx) },
  });
  return String(info.uid);
}

async function publishShare(
  ctx: PluginContext,
  p: Extract<WeiboPayload, { kind: 'share' }>,
  assets: AssetRequest[],
): Promise<PublishResult> {
  const status = withMarker(p.status, p.link, ctx.idempotencyKey);
  const fields = { access_token: token(ctx), status, rip: rip(ctx) };
  const asset = p.picKey ? assets.find((a) => a.key === p.picKey) : undefined;
  let posted: WeiboStatus;
  if (asset) {
    // share.json takes the picture in the same request: one committing call, nothing to checkpoint.
    const img = await ctx.images.fit(asset.ref, asset.spec);
    const multipart: MultipartPart[] = [
      ...Object.entries(fields).map(([name, value]) => ({ name, value })),
      { name: 'pic', filename: `pic.${img.format === 'jpeg' ? 'jpg' : img.format}`, contentType: `image/${img.format}`, data: img.bytes },
    ];
    posted = await weibo<WeiboStatus>(ctx, { method: 'POST', url: url(ctx, '/2/statuses/share.json'), multipart });
  } else {
    posted = await weibo<WeiboStatus>(ctx, { method: 'POST', url: url(ctx, '/2/statuses/share.json'), form: fields });
  }
  const id = idOf(posted);
  return { remoteId: id, url: statusUrl(id), status: 'published' };
}

async function publishArticle(ctx: PluginContext, p: Extract<WeiboPayload, { kind: 'article' }>): Promise<PublishResult> {
  const res = await weibo<{ code: string | number; data: { object_id: string; url: string; mid: string | number } }>(ctx, {
    method: 'POST',
    url: url(ctx, '/proxy/article/publish.json'),
    form: {
      access_token: token(ctx),
      title: p.title,
      content: rawurlencode(p.content),
      cover: p.cover,
      summary: p.summary,
      text: withMarker(p.text, p.link, ctx.idempotencyKey),
      rip: rip(ctx),
    },
  });
  return { remoteId: String(res.data.mid), url: res.data.url, status: 'published' };
}

/** short_url/expand takes at most 20 links per call (`url_short=a&url_short=b`). */
const EXPAND_BATCH = 20;

/** The long URLs behind t.cn links, looked up 20 to a call; a link Weibo does not know is absent. */
async function expandAll(ctx: PluginContext, shorts: readonly string[]): Promise<Map<string, string>> {
  const longs = new Map<string, string>();
  const unique = [...new Set(shorts)];
  for (let i = 0; i < unique.length; i += EXPAND_BATCH) {
    const batch = unique.slice(i, i + EXPAND_BATCH);
    const r = await weibo<{ urls?: Array<{ url_short: string; url_long: string; result?: boolean | string }> }>(ctx, {
      method: 'GET',
      url: url(ctx, '/2/short_url/expand.json'),
      query: { access_token: token(ctx), url_short: batch },
    });
    for (const u of r.urls ?? []) if (u.url_long && String(u.result) !== 'false') longs.set(u.url_short, u.url_long);
  }
  return longs;
}

// verified_reason reads "某市公安局官方微博"; the subject is the organisation before the account suffix [I].
function verifiedSubject(reason: string): string {
  return reason.trim().replace(/(官方微博|官方账号|官方帐号|官微)$/, '') || reason.trim();
}

const SHORT_URL = /https?:\/\/t\.cn\/[A-Za-z0-9]+/g;

export const weiboPlugin: Plugin<WeiboPayload> = definePlugin<WeiboPayload>({
  manifest,

  authorizeUrl(ctx, { state, redirectUri }) {
    const q = new URLSearchParams({ client_id: ctx.credentials.client_id, redirect_uri: redirectUri, response_type: 'code', state });
    return `${url(ctx, '/oauth2/authorize')}?${q.toString()}`;
  },

  async exchangeCode(ctx, { code, redirectUri }) {
    // redirect_uri must equal the app's registered callback (授权回调页), or Weibo answers 21322.
    const t = await weibo<TokenResponse>(ctx, {
      method: 'POST',
      url: url(ctx, '/oauth2/access_token'),
      form: {
        client_id: ctx.credentials.client_id,
        client_secret: ctx.credentials.client_secret,
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
      },
    });
    return tokenUpdate(ctx, t);
  },

  /**
   * Web apps get no refresh token: the token is checked with get_token_info and its expiry reported;
   * an expired or revoked token throws AuthExpiredError, so the host marks the account needs_reauth and a
   * person reconnects it. Apps authorised through the official mobile SDK hold a refresh_token (30 days)
   * and are refreshed with it [S].
   */
  async refreshCredentials(ctx) {
    if (ctx.credentials.refresh_token) {
      const t = await weibo<TokenResponse>(ctx, {
        method: 'POST',
        url: url(ctx, '/oauth2/access_token'),
        form: {
          client_id: ctx.credentials.client_id,
          client_secret: ctx.credentials.client_secret,
          grant_type: 'refresh_token',
          refresh_token: ctx.credentials.refresh_token,
        },
      });
      return tokenUpdate(ctx, t);
    }
    const info = await weibo<{ uid?: string | number; expire_in?: string | number }>(ctx, {
      method: 'POST',
      url: url(ctx, '/oauth2/get_token_info'),
      form: { access_token: token(ctx) },
    });
    const at = expiresAt(ctx, info.expire_in);
    if (at === undefined) {
      throw new AuthExpiredError({ zh: '微博授权已过期，请重新授权', en: 'the Weibo token has expired; reconnect the account' });
    }
    return { credentials: info.uid !== undefined ? { uid: String(info.uid) } : {}, expiresAt: at };
  },

  async getProfile(ctx) {
    const uid = await uidOf(ctx);
    const u = await weibo<{
      idstr?: string;
      id?: number;
      screen_name: string;
      verified?: boolean;
      verified_reason?: string;
      avatar_large?: string;
      profile_image_url?: string;
      followers_count?: number | string;
    }>(ctx, { method: 'GET', url: url(ctx, '/2/users/show.json'), query: { access_token: token(ctx), uid } });
    return {
      platformAccountId: u.idstr ?? uid,
      name: u.screen_name,
      // The verified subject is stated in verified_reason (e.g. "某市公安局官方微博"); unverified accounts have none.
      verifiedSubject: u.verified && u.verified_reason ? verifiedSubject(u.verified_reason) : undefined,
      avatarUrl: u.avatar_large ?? u.profile_image_url,
      followers: u.followers_count === undefined ? undefined : Number(u.followers_count),
    };
  },

  render: renderWeibo,
  checkSettings,

  async publish(ctx, rendition) {
    const p = rendition.payload;
    // An earlier attempt of this target got as far as sending: look before posting again, since the
    // 头条文章 API has no repeated-text check and a lost response there would otherwise post twice.
    if ((ctx.lastCheckpoint as { sending?: boolean } | undefined)?.sending) {
      const found = await weiboPlugin.findExisting(ctx, ctx.idempotencyKey);
      if (found) return found;
    }
    await ctx.checkpoint({ sending: true });
    try {
      if (p.kind === 'article') return await publishArticle(ctx, p);
      return await publishShare(ctx, p, rendition.assets);
    } catch (e) {
      // Weibo refuses a repeated text (20019/20111): after a lost response that is our own post.
      const code = (e as { platformCode?: unknown }).platformCode;
      if (errorKind(e) === 'content_invalid' && (code === 20019 || code === 20111)) {
        const found = await weiboPlugin.findExisting(ctx, ctx.idempotencyKey);
        if (found) return found;
      }
      throw e;
    }
  },

  // Weibo publishes synchronously; the status tells whether the post is still there.
  async publishStatus(ctx, remoteId) {
    try {
      const s = await weibo<WeiboStatus>(ctx, {
        method: 'GET',
        url: url(ctx, '/2/statuses/show.json'),
        query: { access_token: token(ctx), id: remoteId },
      });
      return s.deleted ? { status: 'deleted' } : { status: 'published', url: statusUrl(idOf(s)) };
    } catch (e) {
      if ((e as { platformCode?: unknown }).platformCode === 20101) return { status: 'deleted' };
      throw e;
    }
  },

  /**
   * Looks through the account's recent weibos for the marker in the link's query string. Weibo stores
   * links shortened to t.cn, so each short link is expanded (short_url/expand) until the marker shows up.
   * [I] the marker surviving t.cn and expand is inferred from the documented behaviour, not verified.
   */
  async findExisting(ctx, idempotencyKey) {
    const scan = settingsOf(ctx.settings).findExistingScan;
    let seen = 0;
    for (let page = 1; seen < scan; page++) {
      const count = Math.min(TIMELINE_PAGE, scan - seen);
      const tl = await weibo<{ statuses?: WeiboStatus[]; total_number?: number }>(ctx, {
        method: 'GET',
        url: url(ctx, '/2/statuses/user_timeline.json'),
        query: { access_token: token(ctx), count, page, trim_user: 1 },
      });
      const statuses = tl.statuses ?? [];
      const direct = statuses.find((s) => hasMarker(s.text ?? '', idempotencyKey));
      if (direct) return { remoteId: idOf(direct), url: statusUrl(idOf(direct)), status: 'published' };
      // The page's short links in one or two calls: a lookup of many calls fails more often than it
      // answers on a platform that drops one call in five.
      const shorts = statuses.map((s) => (s.text ?? '').match(SHORT_URL) ?? []);
      const longs = await expandAll(ctx, shorts.flat());
      const hit = statuses.find((_, i) => shorts[i]!.some((short) => hasMarker(longs.get(short) ?? '', idempotencyKey)));
      if (hit) return { remoteId: idOf(hit), url: statusUrl(idOf(hit)), status: 'published' };
      seen += statuses.length;
      if (statuses.length < count) break;
    }
    return null;
  },

  async retract(ctx, remoteId) {
    try {
      await weibo(ctx, { method: 'POST', url: url(ctx, '/2/statuses/destroy.json'), form: { access_token: token(ctx), id: remoteId } });
    } catch (e) {
      // 20101: the weibo no longer exists, which is what retracting wants.
      if ((e as { platformCode?: unknown }).platformCode === 20101) return;
      throw e;
    }
  },

  listPosts,
  getPostByUrl,

  async fetchComments(ctx, remoteId, params) {
    const page = Math.max(1, Number(params?.cursor ?? 1) || 1);
    const count = Math.max(1, Math.min(COMMENTS_PAGE, params?.limit ?? COMMENTS_PAGE));
    const r = await commentPage(ctx, remoteId, page, count);
    const uid = ctx.credentials.uid;
    const all = r.comments ?? [];
    const ours = (c: WeiboComment) => !!uid && (c.user?.idstr ?? String(c.user?.id)) === uid;
    // Our replies are comments of the account itself with reply_comment pointing at the one answered.
    const replies = new Map<string, WeiboComment>();
    for (const c of all) if (ours(c) && c.reply_comment) replies.set(idOf(c.reply_comment), c);
    const since = params?.since;
    let older = false;
    const items: PostComment[] = [];
    for (const c of all) {
      const createdAt = Date.parse(c.created_at);
      if (since !== undefined && createdAt < since) {
        older = true;
        continue;
      }
      if (ours(c) && c.reply_comment) continue;
      const rep = replies.get(idOf(c));
      items.push({
        id: idOf(c),
        postRemoteId: remoteId,
        // A citizen answering another comment (楼中楼) keeps the tree.
        ...(c.reply_comment ? { parentId: idOf(c.reply_comment) } : {}),
        text: c.text,
        author: c.user?.screen_name ?? '',
        ...(c.user ? { authorId: c.user.idstr ?? String(c.user.id) } : {}),
        createdAt,
        ...(ours(c) ? { fromAccount: true } : {}),
        reply: rep ? { id: idOf(rep), text: rep.text, createdAt: Date.parse(rep.created_at) } : undefined,
      });
    }
    const more = !older && all.length > 0 && page * count < Number(r.total_number ?? 0);
    return { items, nextCursor: more ? String(page + 1) : undefined };
  },

  /**
   * comments/to_me: the comments on all the account's weibos, newest first. `after` is the newest
   * comment id of an earlier read (since_id, exclusive); pages go down by max_id (inclusive) from just
   * below the previous page's oldest id, so a comment arriving meanwhile never shifts a page. Our own
   * replies, if the list shows them, come as `fromAccount` items under the comment they answer.
   */
  async fetchAccountComments(ctx, params) {
    const count = Math.max(1, Math.min(COMMENTS_PAGE, params?.limit ?? COMMENTS_PAGE));
    const after = params?.after && WEIBO_ID.test(params.after) ? params.after : undefined;
    const below = params?.cursor && WEIBO_ID.test(params.cursor) ? params.cursor : undefined;
    const r = await weibo<{ comments?: WeiboComment[]; total_number?: number }>(ctx, {
      method: 'GET',
      url: url(ctx, '/2/comments/to_me.json'),
      query: {
        access_token: token(ctx),
        count,
        ...(after ? { since_id: after } : {}),
        ...(below ? { max_id: below } : {}),
      },
    });
    const all = r.comments ?? [];
    const uid = ctx.credentials.uid;
    const since = params?.since;
    let older = false;
    const items: Array<PostComment & { postRemoteId: string }> = [];
    for (const c of all) {
      const createdAt = Date.parse(c.created_at);
      if (since !== undefined && createdAt < since) {
        older = true;
        continue;
      }
      const post = c.status ? idOf(c.status) : '';
      if (!post) continue;
      const authorId = c.user ? (c.user.idstr ?? String(c.user.id)) : undefined;
      items.push({
        id: idOf(c),
        postRemoteId: post,
        ...(c.reply_comment ? { parentId: idOf(c.reply_comment) } : {}),
        text: c.text,
        author: c.user?.screen_name ?? '',
        ...(authorId ? { authorId } : {}),
        createdAt,
        ...(uid && authorId === uid ? { fromAccount: true } : {}),
      });
    }
    const ids = all.map((c) => idOf(c)).filter((id) => WEIBO_ID.test(id));
    const oldest = ids.reduce<bigint | null>((m, id) => (m === null || BigInt(id) < m ? BigInt(id) : m), null);
    const newest = ids.reduce<bigint | null>((m, id) => (m === null || BigInt(id) > m ? BigInt(id) : m), null);
    const more = !older && all.length >= count && oldest !== null && oldest > 1n;
    return {
      items,
      nextCursor: more ? String(oldest - 1n) : undefined,
      // The mark of a read is its first page's newest id; later pages only go further down.
      mark: !below && newest !== null ? String(newest) : undefined,
    };
  },

  async findReply(ctx, remoteId, commentId) {
    // Weibo keeps no key of ours: the reply is the account's comment answering this one.
    const uid = ctx.credentials.uid ?? (await uidOf(ctx));
    for (let page = 1; page <= REPLY_SCAN_PAGES; page++) {
      const r = await commentPage(ctx, remoteId, page, COMMENTS_PAGE);
      const all = r.comments ?? [];
      const found = all.find(
        (c) => c.reply_comment && idOf(c.reply_comment) === commentId && (c.user?.idstr ?? String(c.user?.id)) === uid,
      );
      if (found) return { id: idOf(found) };
      if (all.length === 0 || page * COMMENTS_PAGE >= Number(r.total_number ?? 0)) return null;
    }
    throw new AmbiguousError({ zh: '评论过多，无法确认回复是否已发出', en: `no reply to ${commentId} within the scanned pages` });
  },

  async deleteComment(ctx, remoteId, commentId) {
    try {
      await weibo(ctx, { method: 'POST', url: url(ctx, '/2/comments/destroy.json'), form: { access_token: token(ctx), cid: commentId } });
    } catch (e) {
      // 20201: the comment no longer exists, which is what deleting wants (deleting twice succeeds).
      if ((e as { platformCode?: unknown }).platformCode === 20201) return;
      throw e;
    }
  },

  async reply(ctx, remoteId, commentId, text) {
    const n = countWith('weibo', text);
    if (n > STATUS_MAX || n === 0) {
      throw new ContentInvalidError([
        {
          constraint: n === 0 ? 'body.min' : 'body.max',
          message: `回复须为 1–${STATUS_MAX} 字（当前 ${n}）/ a reply must be 1–${STATUS_MAX} units (is ${n})`,
          limit: n === 0 ? 1 : STATUS_MAX,
          actual: n,
        },
      ]);
    }
    const c = await weibo<WeiboComment>(ctx, {
      method: 'POST',
      url: url(ctx, '/2/comments/reply.json'),
      form: { access_token: token(ctx), cid: commentId, id: remoteId, comment: text, without_mention: 1, rip: rip(ctx) },
    });
    return { id: idOf(c) };
  },
});

/** Revokes the account's authorization (oauth2/revokeoauth2), e.g. when a unit disconnects it. */
export async function revokeAccess(ctx: PluginContext): Promise<void> {
  const r = await weibo<{ result?: string | boolean }>(ctx, {
    method: 'GET',
    url: url(ctx, '/oauth2/revokeoauth2'),
    query: { access_token: token(ctx) },
  });
  if (String(r.result) !== 'true') throw new PermanentError({ zh: '微博未确认撤销授权', en: 'Weibo did not confirm the revocation' });
}
