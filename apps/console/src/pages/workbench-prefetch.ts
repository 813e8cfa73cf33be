// The workbench's first requests, declared once: Workbench.tsx's lists use the same filters, and
// the inline boot script (src/boot.ts) starts them as soon as the session is known, before the
// libraries have even downloaded. Pure: no React, no API client.
import type { Me } from '../api/types';
import { pagePath } from '../lib/paged-path';

export const DRAFTS = { mine: true, status: 'draft' } as const;
export const MINE = { mine: true } as const;
export const ALL = {} as const;
export const PAGE = 5;
/** MyAssignments' first page (components/MyAssignments.tsx asks the same). */
export const ASSIGNMENTS_PAGE = 5;

/** The API paths the workbench asks first for this person; none for a session that must first change its password or enrol a second factor. */
export function workbenchPaths(me: Pick<Me, 'roles' | 'mustChangePassword' | 'restriction'>): string[] {
  if (me.mustChangePassword || me.restriction) return [];
  const has = (role: string) => me.roles.some((r) => r.role === role);
  const first = (path: string, filters: Record<string, string | boolean> = {}, size = PAGE) => pagePath(path, filters, 1, size, undefined);
  return [
    ...(has('editor') ? [first('/manuscripts', DRAFTS), first('/manuscripts', MINE)] : []),
    ...(has('editor') || has('supervisor') || has('reviewer') ? [first('/publications', ALL)] : []),
    ...(has('reviewer') ? ['/reviews/pending'] : []),
    ...(has('editor') || has('unit_admin') ? [first('/assignments', {}, ASSIGNMENTS_PAGE)] : []),
  ];
}
