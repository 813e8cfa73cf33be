import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from '@tongfa/identity';

/** What one HTTP request carries through the call stack: its id, client and caller. */
export interface RequestContext {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  actor: Actor | null;
  /** Set once a domain audit record was written, so the request-level record is not duplicated. */
  audited: boolean;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentRequest(): RequestContext | undefined {
  return requestContext.getStore();
}
