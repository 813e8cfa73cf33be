// Who is signed in, asked before anything else: the boot script (src/boot.ts) calls beginSession()
// while the libraries are still loading; SessionProvider's first check takes this answer.
import { api, hasTokens } from '../api/client';
import type { Me } from '../api/types';

let first: Promise<Me | null> | null = null;

/** Starts GET /auth/me once (null without stored tokens); later calls return the same promise. */
export function beginSession(): Promise<Me | null> | null {
  if (!first && hasTokens()) first = api<Me>('/auth/me').catch(() => null);
  return first;
}

/** The early answer, once: a later check (after signing in again) must ask the hub anew. */
export function takeEarlySession(): Promise<Me | null> | null {
  const early = first;
  first = null;
  return early;
}
