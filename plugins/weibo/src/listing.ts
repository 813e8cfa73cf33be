import { pageSize, parsePostUrl, type ListedPost, type ListPostsParams, type PluginContext, type PostPage } from '@tongfa/plugin-sdk';
import { token, url, weibo } from './api';
import { manifest } from './manifest';
import { mblogIdToMid } from './mblog-id';

/** The fields of a status the listing reads. `id` is a JSON number beyond 2^53: never used. */
export interface TimelineStatus {
  idstr?: string;
  mid?: string;
  id?: number;
  text?: string;
  created_at?: string;
  deleted?: string | number;
  user?: { idstr?: string; id?: number };
  retweeted_status?: { idstr?: string; mid?: string; id?: number };
  /** The card of a 头条文章 or link [I: seen in Weibo's status JSON; not in the open API docs]. */
  page_info?: { type?: string; object_id?: string; page_url?: string; page_title?: string };
}

/** Pages getPostByUrl may read to find a 头条文章 by its page id (3 × 100 weibos). */
export const ARTICLE_SCAN_PAGES = manifest.postListing!.maxCallsPerUrlCheck;

const idOf = (s: { idstr?: string; mid?: string; id?: number }): string => s.idstr ?? s.mid ?? String(s.id ?? '');
export const statusUrl = (id: string) => `https://m.weibo.cn/status/${id}`;
const SHORT_OR_LONG_URL = /https?:\/\/[^\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+/g;

export function listedOf(s: TimelineStatus): ListedPost {
  const id = idOf(s);
  const text = s.text ?? '';
  const article = s.page_info?.type === 'article';
  const links = [...(text.match(SHORT_OR_LONG_URL) ?? []), ...(s.page_info?.page_url ? [s.page_info.page_url] : [])];
  const repost = s.retweeted_status ? idOf(s.retweeted_status) : '';
  return {
    remoteId: id,
    ...(article && s.page_info?.page_title ? { title: s.page_info.page_title } : {}),
    text,
    url: statusUrl(id),
    publishedAt: Date.parse(s.created_at ?? ''),
    kind: article ? 'article' : 'short_post',
    ...(links.length ? { links } : {}),
    ...(repost ? { repostOf: repost } : {}),
  };
}

/** One call of statuses/user_timeline: the account's own weibos, newest first (own only since 2013 [S]). */
async function timeline(ctx: PluginContext, count: number, maxId?: string): Promise<TimelineStatus[]> {
  const tl = await weibo<{ statuses?: TimelineStatus[] }>(ctx, {
    method: 'GET',
    url: url(ctx, '/2/statuses/user_timeline.json'),
    query: { access_token: token(ctx), count, trim_user: 1, ...(maxId ? { max_id: maxId } : {}) },
  });
  return (tl.statuses ?? []).filter((s) => !s.deleted && idOf(s));
}

/**
 * The account's weibos, newest first, paged by `max_id` (the cursor is the last id minus one, since
 * Weibo's max_id is inclusive), so posts arriving meanwhile do not shift the pages.
 */
export async function listPosts(ctx: PluginContext, params: ListPostsParams): Promise<PostPage> {
  const count = pageSize(params.limit, manifest.postListing!.maxPageSize);
  const maxId = params.cursor && /^\d{1,20}$/.test(params.cursor) ? params.cursor : undefined;
  const statuses = await timeline(ctx, count, maxId);
  const since = params.since ?? -Infinity;
  const posts = statuses.map(listedOf);
  const kept = posts.filter((p) => p.publishedAt >= since);
  const last = statuses.at(-1);
  const more = statuses.length >= count && kept.length === posts.length && last !== undefined;
  return { posts: kept, nextCursor: more ? (BigInt(idOf(last)) - 1n).toString() : undefined };
}

/** The account's uid: stored at connection, else asked of get_token_info. */
async function ownUid(ctx: PluginContext): Promise<string> {
  if (ctx.credentials.uid) return ctx.credentials.uid;
  const info = await weibo<{ uid: string | number }>(ctx, {
    method: 'POST',
    url: url(ctx, '/oauth2/get_token_info'),
    form: { access_token: token(ctx) },
  });
  return String(info.uid);
}

type Target = { mid: string; uid?: string } | { articleId: string };

/** What a weibo address names: a status (by mid or mblogid, maybe with its author's uid) or a 头条文章. */
function targetOf(u: URL): Target | undefined {
  const segs = u.pathname.split('/').filter(Boolean);
  const mid = (s: string | undefined) => (s && /^\d{10,20}$/.test(s) ? s : s ? mblogIdToMid(s) : undefined);
  if (segs[0] === 'ttarticle' && u.searchParams.get('id')) return { articleId: u.searchParams.get('id')! };
  if (u.hostname === 'card.weibo.com' && segs[0] === 'article') {
    const i = segs.indexOf('id');
    return i >= 0 && segs[i + 1] ? { articleId: segs[i + 1] } : undefined;
  }
  if (segs.length === 2 && (segs[0] === 'status' || segs[0] === 'detail')) {
    const m = mid(segs[1]);
    return m ? { mid: m } : undefined;
  }
  if (segs.length === 2 && /^\d{5,20}$/.test(segs[0])) {
    const m = mid(segs[1]);
    return m ? { mid: m, uid: segs[0] } : undefined;
  }
  return undefined;
}

/**
 * Verifies a weibo address: `m.weibo.cn/status/<mid>`, `m.weibo.cn/detail/<mid>`, `weibo.com/<uid>/<mblogid>`
 * (one statuses/show call, then the author's uid is compared), or a 头条文章 page (`weibo.com/ttarticle/p/show?id=`,
 * `card.weibo.com/article/m/show/id/`), found among the newest weibos by its card's page id [I].
 */
export async function getPostByUrl(ctx: PluginContext, input: string): Promise<ListedPost | null> {
  const u = parsePostUrl(input, manifest.postListing!.postUrlHosts);
  const target = u ? targetOf(u) : undefined;
  if (!target) return null;
  const uid = await ownUid(ctx);
  if ('articleId' in target) {
    let maxId: string | undefined;
    for (let p = 0; p < ARTICLE_SCAN_PAGES; p++) {
      const statuses = await timeline(ctx, manifest.postListing!.maxPageSize, maxId);
      const hit = statuses.find((s) => s.page_info?.type === 'article' && s.page_info.object_id === target.articleId);
      if (hit) return listedOf(hit);
      const last = statuses.at(-1);
      if (statuses.length < manifest.postListing!.maxPageSize || !last) return null;
      maxId = (BigInt(idOf(last)) - 1n).toString();
    }
    return null;
  }
  // Another account's address gives itself away by its uid: no call needed.
  if (target.uid && target.uid !== uid) return null;
  let s: TimelineStatus;
  try {
    s = await weibo<TimelineStatus>(ctx, {
      method: 'GET',
      url: url(ctx, '/2/statuses/show.json'),
      query: { access_token: token(ctx), id: target.mid },
    });
  } catch (e) {
    // 20101: no such weibo (deleted, or never existed).
    if ((e as { platformCode?: unknown }).platformCode === 20101) return null;
    throw e;
  }
  const author = s.user?.idstr ?? (s.user?.id !== undefined ? String(s.user.id) : undefined);
  if (s.deleted || author !== uid) return null;
  return listedOf(s);
}
