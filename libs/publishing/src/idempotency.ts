import { createHash } from 'node:crypto';
import { Publication } from './entities';
import { PublishingError, PublishingException } from './publishing.exception';

/** What an Idempotency-Key was first used for: the operation, the resource it acted on and the request body. */
export interface IdempotentRequest {
  kind: 'publication' | 'correction';
  /** The manuscript a publication publishes, or the publication a correction corrects. */
  resourceId: string;
  body: unknown;
}

/**
 * SHA-256 over a canonical rendering of the request (keys sorted, dates as ISO strings), so the
 * same request sent again hashes the same whatever the client's key order.
 */
export function requestHash(req: IdempotentRequest): string {
  return createHash('sha256')
    .update(canonical([req.kind, req.resourceId, req.body]))
    .digest('hex');
}

function canonical(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * A key is the caller's (unique per createdBy): it answers with the original only for the same
 * operation on the same resource with the same body; anything else is a 409, never the original
 * publication (which could belong to another manuscript) and never a second one.
 */
export function assertSameRequest(existing: Publication, req: IdempotentRequest, hash: string): void {
  const resource = req.kind === 'correction' ? existing.correctionOf : existing.correctionOf ? null : existing.manuscriptId;
  // Rows from before the hash was kept are matched on the resource alone.
  if (resource !== req.resourceId || (existing.requestHash !== null && existing.requestHash !== hash)) {
    throw new PublishingException(PublishingError.IdempotencyKeyReused);
  }
}
