import { EntityManager, In } from 'typeorm';
import { Role, RoleAssignment, User, UserStatus } from '@tongfa/identity';

/** The unit's own path and every ancestor's: `/a/b/c/` → `/a/`, `/a/b/`, `/a/b/c/`. */
export function pathsCovering(unitPath: string): string[] {
  const ids = unitPath.split('/').filter(Boolean);
  return ids.map((_, i) => `/${ids.slice(0, i + 1).join('/')}/`);
}

export interface RecipientGrant {
  userId: string;
  role: Role;
  unitPath: string;
  level: number | null;
}

/**
 * Active users holding one of `roles` over the unit at `unitPath` (at the unit or an ancestor):
 * the only people a notification about that unit may go to. `nearest` keeps, per role, only the
 * grants at the closest unit that has any (a county's task goes to the county's editors, not to
 * every editor of the city above, unless the county has none).
 */
export async function grantsOver(
  m: EntityManager,
  unitPath: string,
  roles: readonly Role[],
  opts: { nearest?: boolean } = {},
): Promise<RecipientGrant[]> {
  if (!roles.length) return [];
  const rows = await m
    .getRepository(RoleAssignment)
    .createQueryBuilder('g')
    .innerJoin(User, 'u', 'u.id = g.userId AND u.status = :active', { active: UserStatus.Active })
    .select(['g.userId AS userId', 'g.role AS role', 'g.unitPath AS unitPath', 'g.level AS level'])
    .where({ role: In([...roles]), unitPath: In(pathsCovering(unitPath)) })
    .getRawMany<{ userId: string; role: Role; unitPath: string; level: number | string | null }>();
  const grants = rows.map((r) => ({ ...r, level: r.level === null ? null : Number(r.level) }));
  if (!opts.nearest) return grants;
  const deepest = new Map<Role, number>();
  for (const g of grants) deepest.set(g.role, Math.max(deepest.get(g.role) ?? 0, g.unitPath.length));
  return grants.filter((g) => g.unitPath.length === deepest.get(g.role));
}

/** Of `userIds`, those who still hold some role over the unit at `unitPath`. */
export async function stillInScope(m: EntityManager, unitPath: string, userIds: readonly string[]): Promise<string[]> {
  if (!userIds.length) return [];
  const grants = await grantsOver(m, unitPath, Object.values(Role));
  const ok = new Set(grants.map((g) => g.userId));
  return [...new Set(userIds)].filter((id) => ok.has(id));
}
