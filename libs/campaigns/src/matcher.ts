/**
 * Recognises a unit's own repost (转载) of a campaign's release among its account's posts, when it
 * was made outside Tongfa. The evidence, strongest first:
 *
 * 1. a link: the post is, links to (阅读原文), or reposts the original post;
 * 2. the text: character bigrams of the normalised texts (NFKC, lower case, no spaces or
 *    punctuation), compared by the overlap coefficient |A∩B| / min(|A|,|B|), so a repost that
 *    adds a lead or that the platform shortened still scores high;
 * 3. the title, by bigram Jaccard, which alone is never enough (two items of one day's
 *    meeting can share most of a title).
 *
 * Thresholds (chosen on the unit tests' true and false cases, documented here):
 * - text overlap ≥ 0.6 over at least MIN_BIGRAMS bigrams on the shorter side → match, unless both
 *   sides have titles that share almost nothing (< 0.2): a long common boilerplate paragraph
 *   under a different title is another post;
 * - title Jaccard ≥ 0.8 and text overlap ≥ 0.3 → match (a lightly rewritten body under the same title);
 * - posts older than the campaign are never its relays.
 */
export interface MatchSource {
  title: string;
  /** Plain text of the released body. */
  text: string;
  /** The original's address and the platform ids of its posts, when the source was published. */
  urls: string[];
  remoteIds: string[];
  /** When the campaign started (ms): an older post cannot be its relay. */
  notBefore: number;
}

export interface MatchCandidate {
  title?: string;
  text: string;
  url: string;
  links?: string[];
  repostOf?: string;
  publishedAt: number;
}

export interface MatchResult {
  match: boolean;
  reason: 'link' | 'text' | 'title_text' | 'too_old' | 'different';
  textOverlap: number;
  titleSimilarity: number;
}

export const TEXT_OVERLAP_MATCH = 0.6;
export const TITLE_MATCH = 0.8;
export const TEXT_OVERLAP_WITH_TITLE = 0.3;
export const DIFFERENT_TITLE = 0.2;
export const MIN_BIGRAMS = 12;
/** Clocks of platforms and Tongfa differ a little: a post a minute "before" the campaign may be its relay. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** NFKC, lower case, letters and digits only (Chinese punctuation and spaces carry no identity). */
export function normalizeText(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

export function bigrams(s: string): Set<string> {
  const chars = [...normalizeText(s)];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return out;
}

function intersection(a: Set<string>, b: Set<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let n = 0;
  for (const x of small) if (large.has(x)) n++;
  return n;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  const i = intersection(a, b);
  return i / (a.size + b.size - i);
}

export function overlap(a: Set<string>, b: Set<string>): number {
  const min = Math.min(a.size, b.size);
  return min ? intersection(a, b) / min : 0;
}

/** Addresses compared without scheme, `www.`, fragment and trailing slash. */
export function normalizeUrl(u: string): string {
  try {
    const url = new URL(u.trim());
    url.hash = '';
    const host = url.hostname.replace(/^www\./, '');
    return `${host}${url.pathname.replace(/\/+$/, '')}${url.search}`.toLowerCase();
  } catch {
    return u.trim().toLowerCase();
  }
}

/** Bigram sets of a source, computed once per sweep rather than per post. */
export interface PreparedSource extends MatchSource {
  titleGrams: Set<string>;
  textGrams: Set<string>;
  urlKeys: Set<string>;
}

export function prepareSource(s: MatchSource): PreparedSource {
  return {
    ...s,
    titleGrams: bigrams(s.title),
    textGrams: bigrams(`${s.title}${s.text}`),
    urlKeys: new Set(s.urls.map(normalizeUrl)),
  };
}

export function matchPost(source: PreparedSource, post: MatchCandidate): MatchResult {
  const postText = bigrams(`${post.title ?? ''}${post.text}`);
  const textOverlap = Math.min(source.textGrams.size, postText.size) >= MIN_BIGRAMS ? overlap(source.textGrams, postText) : 0;
  const titleSimilarity = post.title ? jaccard(source.titleGrams, bigrams(post.title)) : 0;
  const result = (match: boolean, reason: MatchResult['reason']): MatchResult => ({ match, reason, textOverlap, titleSimilarity });
  if (post.publishedAt < source.notBefore - CLOCK_SKEW_MS) return result(false, 'too_old');
  const links = [post.url, ...(post.links ?? [])].map(normalizeUrl);
  if (links.some((l) => source.urlKeys.has(l)) || (post.repostOf && source.remoteIds.includes(post.repostOf))) return result(true, 'link');
  const titled = !!post.title && source.titleGrams.size > 0;
  if (textOverlap >= TEXT_OVERLAP_MATCH && !(titled && titleSimilarity < DIFFERENT_TITLE)) return result(true, 'text');
  if (titleSimilarity >= TITLE_MATCH && textOverlap >= TEXT_OVERLAP_WITH_TITLE) return result(true, 'title_text');
  return result(false, 'different');
}
