import {
  ContentInvalidError,
  pageSize,
  parsePostUrl,
  type ListedPost,
  type ListPostsParams,
  type PluginContext,
  type PostPage,
} from '@tongfa/plugin-sdk';
import { unwrap, userAuth } from '@tongfa/douyin-openapi';

/** A `video_list` item as far as the listing reads it. */
interface ListItem {
  item_id: string;
  title?: string;
  create_time?: number;
  video_status?: number;
  media_type?: number;
  share_url?: string;
}

interface ListPage {
  list?: ListItem[];
  cursor?: number | string;
  has_more?: boolean;
}

/** What the listing needs from the plugin: where the API is, its page size, and how to map errors. */
export interface ListingDeps {
  base: (ctx: PluginContext) => string;
  mapOpts: (ctx: PluginContext) => Parameters<typeof unwrap>[1];
  maxPageSize: number;
  postUrlHosts: readonly string[];
  /** Pages getPostByUrl reads at most. */
  urlCheckPages: number;
}

const API = '/api/douyin/v1/video';

/** One call of `video_list/` (cursor paging, first cursor 0). */
async function videoList(ctx: PluginContext, deps: ListingDeps, cursor: string, count: number): Promise<ListPage> {
  const auth = userAuth(ctx);
  const res = await ctx.http.request({
    method: 'GET',
    url: `${deps.base(ctx)}${API}/video_list/`,
    headers: auth.headers,
    query: { ...auth.query, cursor, count },
  });
  return unwrap<ListPage>(res, deps.mapOpts(ctx));
}

// video_status 1 published, 5 public; 2 (not suitable for public) and 4 (in review) are not visible.
const visible = (v: ListItem) => v.video_status === 1 || v.video_status === 5;

function listed(v: ListItem): ListedPost {
  return {
    remoteId: String(v.item_id),
    // Douyin's `title` is the post's caption: both what a reader sees first and all the text there is.
    ...(v.title ? { title: v.title } : {}),
    text: v.title ?? '',
    url: v.share_url ?? '',
    publishedAt: Number(v.create_time ?? 0) * 1000,
    kind: v.media_type === 2 ? 'image_text' : 'video',
  };
}

/** The account's public posts, newest first; the cursor is Douyin's own. */
export async function listPosts(ctx: PluginContext, deps: ListingDeps, params: ListPostsParams): Promise<PostPage> {
  const cursor = params.cursor && /^\d{1,20}$/.test(params.cursor) ? params.cursor : '0';
  const page = await videoList(ctx, deps, cursor, pageSize(params.limit, deps.maxPageSize));
  const items = page.list ?? [];
  const since = params.since ?? -Infinity;
  // Posts in review keep their place in time: an older one still ends the walk back to `since`.
  const reachedOld = items.some((v) => Number(v.create_time ?? 0) * 1000 < since);
  const posts = items
    .filter((v) => visible(v) && v.share_url)
    .map(listed)
    .filter((p) => p.publishedAt >= since);
  const more = page.has_more === true && !reachedOld && page.cursor !== undefined;
  return { posts, nextCursor: more ? String(page.cursor) : undefined };
}

/** The id a Douyin address names: `/video/<id>`, `/note/<id>`, `/share/video/<id>/`, or `?modal_id=<id>`. */
function idOf(u: URL): string | undefined {
  const m = /^\/(?:share\/)?(?:video|note)\/([A-Za-z0-9@._=+-]{1,200})\/?$/.exec(u.pathname);
  return m?.[1] ?? u.searchParams.get('modal_id') ?? undefined;
}

const idOfShareUrl = (url: string | undefined): string | undefined => {
  try {
    return url ? idOf(new URL(url)) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Verifies a Douyin address against this account's list: the open platform has no lookup by public
 * id, so the plugin pages through `video_list/` (at most `urlCheckPages`) comparing the item id and the
 * id in each `share_url`. Whether the open platform's item ids equal the ids of public addresses is [I];
 * `share_url` is what the list gives, so addresses copied from it always match.
 */
export async function getPostByUrl(ctx: PluginContext, deps: ListingDeps, input: string): Promise<ListedPost | null> {
  const u = parsePostUrl(input, deps.postUrlHosts);
  if (!u) return null;
  if (u.hostname === 'v.douyin.com') {
    const zh = '无法核验抖音短链接：请在抖音网页版打开作品，复制地址栏中 douyin.com/video/… 的完整链接后提交';
    const en = 'Douyin short links cannot be verified: open the post on douyin.com and submit the full douyin.com/video/… address';
    throw new ContentInvalidError([{ constraint: 'url', message: `${zh} / ${en}` }], { zh, en });
  }
  const id = idOf(u);
  if (!id) return null;
  let cursor = '0';
  for (let p = 0; p < deps.urlCheckPages; p++) {
    const page = await videoList(ctx, deps, cursor, deps.maxPageSize);
    const hit = (page.list ?? []).find((v) => String(v.item_id) === id || idOfShareUrl(v.share_url) === id);
    if (hit) return visible(hit) && hit.share_url ? listed(hit) : null;
    if (!page.has_more || page.cursor === undefined) return null;
    cursor = String(page.cursor);
  }
  return null;
}
