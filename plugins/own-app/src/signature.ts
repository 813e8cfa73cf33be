import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header names of the Tongfa push contract (see README). */
export const HEADER_SIGNATURE = 'x-tongfa-signature';
export const HEADER_TIMESTAMP = 'x-tongfa-timestamp';
export const HEADER_DELIVERY = 'x-tongfa-delivery';

/** How far a request's timestamp may be from the receiver's clock, in seconds. */
export const TIMESTAMP_TOLERANCE_SEC = 300;

/** The parts of one request that the signature covers. */
export interface SignedParts {
  /** Unix seconds, as sent in X-Tongfa-Timestamp. */
  timestamp: string;
  method: string;
  /** Path and query exactly as sent, e.g. `/api/tongfa/items/42`. */
  path: string;
  /** X-Tongfa-Delivery, or '' when the request carries none. */
  deliveryId: string;
  /** The raw body bytes as UTF-8 text ('' for GET and DELETE). */
  body: string;
}

/**
 * The string that is signed: five lines joined by "\n". Method and path are covered so a captured
 * signed GET can never be replayed as a DELETE within the timestamp window; the body comes last so
 * newlines inside it cannot be confused with the separators.
 */
export function signingString(p: SignedParts): string {
  return [p.timestamp, p.method.toUpperCase(), p.path, p.deliveryId, p.body].join('\n');
}

/** `v1=<hex HMAC-SHA256(secret, signingString)>`. */
export function sign(secret: string, p: SignedParts): string {
  return `v1=${createHmac('sha256', secret).update(signingString(p), 'utf8').digest('hex')}`;
}

/** Constant-time check of an X-Tongfa-Signature header, which may list several comma-separated signatures. */
export function verifySignature(secret: string, p: SignedParts, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(sign(secret, p), 'utf8');
  return header
    .split(',')
    .map((s) => Buffer.from(s.trim(), 'utf8'))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}
