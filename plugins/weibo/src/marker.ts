import { createHash } from 'node:crypto';

/**
 * Weibo keeps no client message id, so the idempotency key travels as a query parameter of the status's
 * link: the link is part of the status text, Weibo stores it (shortened to t.cn, expandable through
 * short_url/expand) and nobody reading the weibo sees it. A hash keeps it short: 140 汉字 are scarce.
 */
export const MARKER_PARAM = 'tfk';
const MARKER_HEX = 16;

/** Same length as a real marker, so render reserves exactly the room publish needs. */
export const MARKER_PLACEHOLDER = `${MARKER_PARAM}=${'0'.repeat(MARKER_HEX)}`;

/** The marker value for an idempotency key (64 bits of SHA-256: collisions within one account are negligible). */
export function markerValue(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, MARKER_HEX);
}

/** The link with the marker appended to its query string. */
export function markedLink(link: string, idempotencyKey: string): string {
  return `${link}${link.includes('?') ? '&' : '?'}${MARKER_PARAM}=${markerValue(idempotencyKey)}`;
}

/** Puts the marker into the last occurrence of `link` in `text`. */
export function withMarker(text: string, link: string, idempotencyKey: string): string {
  const at = text.lastIndexOf(link);
  if (!link || at < 0) return text;
  return text.slice(0, at) + markedLink(link, idempotencyKey) + text.slice(at + link.length);
}

/** Whether a URL (or any text containing one) carries the marker of `idempotencyKey`. */
export function hasMarker(text: string, idempotencyKey: string): boolean {
  return new RegExp(`[?&]${MARKER_PARAM}=${markerValue(idempotencyKey)}(?![0-9a-f])`).test(text);
}
