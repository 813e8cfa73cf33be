// The workbench's first requests, declared once: Workbench.tsx's lists use the same filters, and
// the boot script starts them as soon as the session is known, before React has rendered anything.
import { prefetch } from '../api/client';
import type { Me } from '../api/types';
import { prefetchPaged } from '../lib/paged-path';

export const DRAFTS = { mine: true, status: 'draft' } as const;
export const MINE = { mine: true } as const;
export const ALL = {} as const;
export const PAGE = 5;
/** MyAssignments' first page (components/MyAssignments.tsx asks the same). */
export const ASSIGNMENTS_PAGE = 5;

/** Nothing for a session that must first change its password or enrol a second factor. */
export function prefetchWorkbench(me: Me): void {
  if (me.mustChangePassword || me.restriction) return;
  const has = (role: string) => me.roles.some((r) => r.role === role);
  if (has('editor')) {
    prefetchPaged('/manuscripts', DRAFTS, PAGE);
    prefetchPaged('/manuscripts', MINE, PAGE);
  }
  if (has('editor') || has('supervisor') || has('reviewer')) prefetchPaged('/publications', ALL, PAGE);
  if (has('reviewer')) prefetch('/reviews/pending');
  if (has('editor') || has('unit_admin')) prefetchPaged('/assignments', {}, ASSIGNMENTS_PAGE);
}
