import { hostAllowed } from './manifest';

/** The longest URL getPostByUrl takes seriously; longer input is not a post address. */
export const MAX_POST_URL_LENGTH = 2048;

/**
 * Parses what a person submitted as a post's address, for getPostByUrl: an absolute http(s) URL on one
 * of `postUrlHosts` (the manifest's `postListing.postUrlHosts`), without user info, at most 2,048
 * characters. Anything else gives undefined, which getPostByUrl turns into null without calling the
 * platform: a foreign host or a typo costs no quota.
 */
export function parsePostUrl(input: unknown, postUrlHosts: readonly string[]): URL | undefined {
  if (typeof input !== 'string') return undefined;
  const text = input.trim();
  if (!text || text.length > MAX_POST_URL_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password) return undefined;
  return hostAllowed(url.hostname, postUrlHosts) ? url : undefined;
}

/** The page size to ask the platform for: `limit` when given, capped at the platform's `maxPageSize`. */
export function pageSize(limit: number | undefined, maxPageSize: number): number {
  const n = Math.floor(Number(limit));
  return Number.isFinite(n) && n >= 1 ? Math.min(n, maxPageSize) : maxPageSize;
}
