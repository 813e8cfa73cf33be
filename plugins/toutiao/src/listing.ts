// Listing through the article CONTRACT (not an official Toutiao API; see README "Articles").
import { pageSize, parsePostUrl, type ListedPost, type ListPostsParams, type PluginContext, type PostPage } from '@tongfa/plugin-sdk';
import { articleAuth, contractData, contractUrl, CONTRACT_CODES } from './article-contract';

/** An item as the contract's list and status calls return it. */
interface ContractItem {
  pgc_id: string | number;
  status: 'reviewing' | 'published' | 'rejected' | 'deleted';
  url?: string;
  type?: 'article' | 'video';
  title?: string;
  abstract?: string;
  /** Unix seconds. */
  publish_time?: number;
}

export interface ListingDeps {
  retryMs: (ctx: PluginContext) => number;
  maxPageSize: number;
  postUrlHosts: readonly string[];
}

const itemUrl = (id: string) => `https://www.toutiao.com/item/${id}/`;

function listed(a: ContractItem): ListedPost {
  const id = String(a.pgc_id);
  return {
    remoteId: a.type === 'video' ? `video:${id}` : id,
    ...(a.title ? { title: a.title } : {}),
    text: a.abstract ?? '',
    url: a.url ?? itemUrl(id),
    publishedAt: Number(a.publish_time ?? 0) * 1000,
    kind: a.type === 'video' ? 'video' : 'article',
  };
}

/** The account's published items, newest first, from the contract's `articleListPath`. */
export async function listPosts(ctx: PluginContext, deps: ListingDeps, params: ListPostsParams): Promise<PostPage> {
  const res = await ctx.http.request({
    method: 'GET',
    url: contractUrl(ctx, 'articleListPath'),
    query: { cursor: params.cursor ?? '', count: pageSize(params.limit, deps.maxPageSize) },
    headers: articleAuth(ctx),
  });
  const page = contractData<{ items?: ContractItem[]; has_more?: boolean; next_cursor?: string }>(res, deps.retryMs(ctx));
  const items = page.items ?? [];
  const since = params.since ?? -Infinity;
  const reachedOld = items.some((a) => Number(a.publish_time ?? 0) * 1000 < since);
  const posts = items
    .filter((a) => a.status === 'published')
    .map(listed)
    .filter((p) => p.publishedAt >= since);
  const more = page.has_more === true && !!page.next_cursor && !reachedOld;
  return { posts, nextCursor: more ? page.next_cursor : undefined };
}

/** The id in a 头条 address: `/item/<id>/`, `/article/<id>/`, `/group/<id>/`, `/a<digits>/`, `/i<digits>/`. */
function idOf(u: URL): string | undefined {
  const m = /^\/(?:item|article|group)\/([A-Za-z0-9]{1,40})\/?$/.exec(u.pathname) ?? /^\/[ai](\d{6,25})\/?$/.exec(u.pathname);
  return m?.[1];
}

/**
 * Verifies a 头条 address with one status call of the contract: it answers 4004 for an item that is not
 * this account's, so what comes back published is this account's post.
 */
export async function getPostByUrl(ctx: PluginContext, deps: ListingDeps, input: string): Promise<ListedPost | null> {
  const u = parsePostUrl(input, deps.postUrlHosts);
  const id = u ? idOf(u) : undefined;
  if (!id) return null;
  let item: ContractItem;
  try {
    const res = await ctx.http.request({
      method: 'GET',
      url: contractUrl(ctx, 'articleStatusPath'),
      query: { pgc_id: id },
      headers: articleAuth(ctx),
    });
    item = contractData<ContractItem>(res, deps.retryMs(ctx));
  } catch (e) {
    if ((e as { platformCode?: unknown }).platformCode === CONTRACT_CODES.notFound) return null;
    throw e;
  }
  return item.status === 'published' ? listed(item) : null;
}
