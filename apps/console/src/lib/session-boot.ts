// Who is signed in, asked before anything else: the inline boot script (src/boot.ts) asked
// GET /auth/me while the libraries were still loading; SessionProvider's first check takes it.
import { takePrefetched } from '../api/client';
import type { Me } from '../api/types';

/** The early answer, once (null when there is none, or it failed): a later check must ask the hub anew. */
export function takeEarlySession(): Promise<Me | null> | null {
  const early = takePrefetched('/auth/me');
  return early && early.then((r) => (r ? (r.json() as Promise<Me>) : null)).catch(() => null);
}
