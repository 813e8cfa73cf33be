import {
  ContentInvalidError,
  htmlToText,
  pageSize,
  parsePostUrl,
  type ListedPost,
  type ListPostsParams,
  type PluginContext,
  type PostPage,
} from '@tongfa/plugin-sdk';
import { call } from './api';
import { manifest } from './manifest';
import { encodeRemoteId } from './remote-id';
import { MARKER_PARAM } from './render';

/** One article of a freepublish/batchget item. */
interface BatchNews {
  title?: string;
  digest?: string;
  content?: string;
  content_source_url?: string;
  url?: string;
  article_type?: string;
  is_deleted?: boolean;
}

/** One item of freepublish/batchget: a publication of one or more articles. */
interface BatchItem {
  article_id: string;
  content?: { news_item?: BatchNews[]; create_time?: number; update_time?: number };
  update_time?: number;
}

interface BatchPage {
  total_count: number;
  item_count: number;
  item?: BatchItem[];
}

/** Pages getPostByUrl may read: 5 × 20 = the 100 newest items, 5 % of the account's daily 100 calls. */
export const URL_CHECK_PAGES = manifest.postListing!.maxCallsPerUrlCheck;

/** One freepublish/batchget call: the list API whose quota (100 a day per account) postListing declares. */
export function batchget(ctx: PluginContext, offset: number, count: number): Promise<BatchPage> {
  return call<BatchPage>(ctx, '/cgi-bin/freepublish/batchget', { offset, count, no_content: 0 });
}

/** The 阅读原文 link as the reader sees it: Tongfa's own marker taken out. */
function readMore(link: string | undefined): string | undefined {
  if (!link) return undefined;
  try {
    const u = new URL(link);
    u.searchParams.delete(MARKER_PARAM);
    return u.toString();
  } catch {
    return link;
  }
}

/** The `mid` (msg_data_id), `idx` and `__biz` (the account) of a long-form article URL. */
function articleKey(url: URL): { mid: string; idx: number; biz?: string } | undefined {
  const mid = url.searchParams.get('mid');
  const idx = Number(url.searchParams.get('idx') ?? '1');
  if (!mid || !/^\d{1,20}$/.test(mid) || !Number.isInteger(idx) || idx < 1) return undefined;
  return { mid, idx, biz: url.searchParams.get('__biz') ?? undefined };
}

function parse(url: string | undefined): URL | undefined {
  try {
    return url ? new URL(url) : undefined;
  } catch {
    return undefined;
  }
}

/** The listed posts of one batchget item, one per article that is not deleted. */
function postsOf(item: BatchItem): Array<ListedPost & { key?: { mid: string; idx: number; biz?: string } }> {
  const seconds = Number(item.content?.create_time ?? item.content?.update_time ?? item.update_time ?? 0);
  const out: Array<ListedPost & { key?: { mid: string; idx: number; biz?: string } }> = [];
  (item.content?.news_item ?? []).forEach((n, i) => {
    if (n.is_deleted || !n.url) return;
    const u = parse(n.url);
    const key = u ? articleKey(u) : undefined;
    const link = readMore(n.content_source_url);
    out.push({
      remoteId: encodeRemoteId({ articleId: String(item.article_id), msgDataId: key?.mid, idx: i + 1 }),
      title: n.title,
      text: n.content !== undefined ? htmlToText(n.content) : (n.digest ?? ''),
      url: n.url,
      publishedAt: seconds * 1000,
      kind: n.article_type === 'newspic' ? 'image_text' : 'article',
      ...(link ? { links: [link] } : {}),
      key,
    });
  });
  return out;
}

const strip = ({ key: _key, ...post }: ListedPost & { key?: unknown }): ListedPost => post;

/**
 * The account's free-published articles, newest first, from freepublish/batchget (offset/count 1–20).
 * The cursor is the next offset. 群发 (mass-sent) articles are not in this list [V].
 */
export async function listPosts(ctx: PluginContext, params: ListPostsParams): Promise<PostPage> {
  const offset = Math.max(0, Math.floor(Number(params.cursor ?? 0)) || 0);
  const count = pageSize(params.limit, manifest.postListing!.maxPageSize);
  const page = await batchget(ctx, offset, count);
  const items = page.item ?? [];
  const since = params.since ?? -Infinity;
  const posts = items.flatMap(postsOf).map(strip);
  const kept = posts.filter((p) => p.publishedAt >= since);
  const next = offset + items.length;
  const more = items.length > 0 && next < Number(page.total_count) && kept.length === posts.length;
  return { posts: kept, nextCursor: more ? String(next) : undefined };
}

/**
 * Verifies an article URL against this account's list: WeChat has no lookup by URL, so the plugin reads
 * batchget pages (at most URL_CHECK_PAGES) and matches `mid` and `idx`. An article of another account is
 * recognised on the first page by its `__biz` and costs one call.
 */
export async function getPostByUrl(ctx: PluginContext, input: string): Promise<ListedPost | null> {
  const url = parsePostUrl(input, manifest.postListing!.postUrlHosts);
  if (!url) return null;
  if (/^\/s\/[A-Za-z0-9_-]{6,}\/?$/.test(url.pathname)) {
    const zh = '无法核验公众号文章的短链接：请在电脑上打开文章，复制地址栏中含 __biz、mid 参数的完整链接后提交';
    const en = 'short article links cannot be verified: submit the full link with __biz and mid';
    throw new ContentInvalidError([{ constraint: 'url', message: `${zh} / ${en}` }], { zh, en });
  }
  if (url.pathname !== '/s') return null;
  const want = articleKey(url);
  if (!want) return null;
  const size = manifest.postListing!.maxPageSize;
  for (let p = 0; p < URL_CHECK_PAGES; p++) {
    const page = await batchget(ctx, p * size, size);
    const items = page.item ?? [];
    const posts = items.flatMap(postsOf);
    const hit = posts.find((x) => x.key?.mid === want.mid && x.key.idx === want.idx && (!want.biz || !x.key.biz || x.key.biz === want.biz));
    if (hit) return strip(hit);
    // Every article of an account carries its __biz: another account's article is known at once.
    const bizes = new Set(posts.map((x) => x.key?.biz).filter(Boolean));
    if (p === 0 && want.biz && bizes.size > 0 && !bizes.has(want.biz)) return null;
    if (items.length === 0 || (p + 1) * size >= Number(page.total_count)) return null;
  }
  return null;
}
