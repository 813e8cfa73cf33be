import { MAX_POST_URL_LENGTH, POST_KINDS, type ListedPost, type ListPostsParams, type PostKind, type PostPage } from '@tongfa/plugin-sdk';

// Bounds on what a plugin hands back: a third-party plugin's answer is input, like a request body.
const MAX_TEXT = 20_000;
const MAX_TITLE = 1_000;
const MAX_ID = 512;
const MAX_LINKS = 20;
const MAX_POSTS = 500;

const httpUrl = (v: unknown): v is string => {
  if (typeof v !== 'string' || v.length > MAX_POST_URL_LENGTH) return false;
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
};

/** The request a poller may pass, clamped to what the plugin declares. */
export function listParams(params: ListPostsParams, maxPageSize: number): ListPostsParams {
  const out: ListPostsParams = {};
  if (typeof params.since === 'number' && Number.isFinite(params.since) && params.since >= 0) out.since = Math.floor(params.since);
  if (typeof params.cursor === 'string' && params.cursor && params.cursor.length <= MAX_POST_URL_LENGTH) out.cursor = params.cursor;
  const limit = Math.floor(Number(params.limit));
  if (Number.isFinite(limit) && limit >= 1) out.limit = Math.min(limit, maxPageSize);
  return out;
}

/** A listed post made safe to store and show, or undefined when it lacks what a post must have. */
export function cleanPost(v: unknown): ListedPost | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const p = v as Record<string, unknown>;
  if (typeof p.remoteId !== 'string' || !p.remoteId || p.remoteId.length > MAX_ID) return undefined;
  if (!httpUrl(p.url)) return undefined;
  if (typeof p.publishedAt !== 'number' || !Number.isFinite(p.publishedAt) || p.publishedAt <= 0) return undefined;
  const out: ListedPost = {
    remoteId: p.remoteId,
    text: typeof p.text === 'string' ? p.text.slice(0, MAX_TEXT) : '',
    url: p.url,
    publishedAt: Math.floor(p.publishedAt),
  };
  if (typeof p.title === 'string' && p.title) out.title = p.title.slice(0, MAX_TITLE);
  if ((POST_KINDS as readonly string[]).includes(p.kind as string)) out.kind = p.kind as PostKind;
  if (Array.isArray(p.links)) {
    const links = p.links.filter(httpUrl).slice(0, MAX_LINKS);
    if (links.length) out.links = links;
  }
  if (typeof p.repostOf === 'string' && p.repostOf && p.repostOf.length <= MAX_ID) out.repostOf = p.repostOf;
  return out;
}

/** A page made safe: malformed posts dropped (and counted, for a log line), an odd cursor ignored. */
export function cleanPage(v: unknown): { page: PostPage; dropped: number } | undefined {
  if (!v || typeof v !== 'object' || !Array.isArray((v as { posts?: unknown }).posts)) return undefined;
  const raw = (v as { posts: unknown[] }).posts.slice(0, MAX_POSTS);
  const posts = raw.map(cleanPost).filter((p): p is ListedPost => p !== undefined);
  const cursor = (v as { nextCursor?: unknown }).nextCursor;
  const page: PostPage = { posts };
  if (typeof cursor === 'string' && cursor && cursor.length <= MAX_POST_URL_LENGTH) page.nextCursor = cursor;
  return { page, dropped: raw.length - posts.length };
}
