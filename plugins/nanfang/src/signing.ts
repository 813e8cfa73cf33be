import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The request headers that carry the signature. */
export const SIGN_HEADERS = {
  appKey: 'x-app-key',
  timestamp: 'x-timestamp',
  nonce: 'x-nonce',
  signature: 'x-signature',
} as const;

/** How far a request timestamp may be from the platform's clock. */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

// RFC 3986 encoding, so both sides encode the canonical query the same way whatever their URL library does.
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Query parameters sorted by name, `k=v` joined by `&`. */
export function canonicalQuery(query: Record<string, string>): string {
  return Object.keys(query)
    .sort()
    .map((k) => `${rfc3986(k)}=${rfc3986(query[k])}`)
    .join('&');
}

/**
 * The string both sides sign: method, the path below the API base URL, the canonical query, app key,
 * timestamp (unix seconds), nonce and the SHA-256 of the raw body, one per line.
 */
export function stringToSign(p: {
  method: string;
  path: string;
  query: Record<string, string>;
  appKey: string;
  timestamp: string;
  nonce: string;
  body: Uint8Array | string;
}): string {
  const bodyHash = createHash('sha256').update(p.body).digest('hex');
  return [p.method.toUpperCase(), p.path, canonicalQuery(p.query), p.appKey, p.timestamp, p.nonce, bodyHash].join('\n');
}

/** Lower-case hex HMAC-SHA256 of the string to sign. */
export function sign(secret: string, toSign: string): string {
  return createHmac('sha256', secret).update(toSign, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex signatures. */
export function signaturesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
