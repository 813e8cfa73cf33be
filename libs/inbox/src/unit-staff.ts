import { EntityManager, In } from 'typeorm';
import { Role, RoleAssignment, User, UserStatus } from '@tongfa/identity';

/** Who may take a unit's threads: the active holders of these roles at the unit itself, by id. */
export async function unitStaff(
  m: EntityManager,
  unitId: string,
  roles: readonly Role[] = [Role.Editor, Role.UnitAdmin],
): Promise<string[]> {
  const rows = await m
    .getRepository(RoleAssignment)
    .createQueryBuilder('g')
    .innerJoin(User, 'u', 'u.id = g.userId AND u.status = :active', { active: UserStatus.Active })
    .select('DISTINCT g.userId', 'userId')
    .where({ unitId, role: In([...roles]) })
    .getRawMany<{ userId: string }>();
  return rows.map((r) => r.userId).sort();
}

/**
 * The next editor after `last` in a stable order (by id), wrapping round. Two threads arriving
 * at once may read the same cursor and go to the same editor: harmless, the turn moves on.
 */
export function nextInTurn(editors: readonly string[], last: string | null): string | null {
  if (!editors.length) return null;
  if (!last) return editors[0]!;
  return editors.find((id) => id > last) ?? editors[0]!;
}

/**
 * unitStaff for several units in one query: each unit's active holders of `roles` (all of them when
 * a unit has none, an empty list), by id, and among them the holders of `narrow` (e.g. editors only).
 */
export async function staffOfUnits(
  m: EntityManager,
  unitIds: readonly string[],
  narrow: Role,
  roles: readonly Role[] = [Role.Editor, Role.UnitAdmin],
): Promise<Map<string, { staff: string[]; narrow: string[] }>> {
  const out = new Map<string, { staff: string[]; narrow: string[] }>();
  for (const id of unitIds) out.set(id, { staff: [], narrow: [] });
  if (!unitIds.length) return out;
  const rows = await m
    .getRepository(RoleAssignment)
    .createQueryBuilder('g')
    .innerJoin(User, 'u', 'u.id = g.userId AND u.status = :active', { active: UserStatus.Active })
    .select('g.unitId', 'unitId')
    .addSelect('g.userId', 'userId')
    .addSelect('g.role', 'role')
    .where({ unitId: In([...unitIds]), role: In([...new Set([...roles, narrow])]) })
    .getRawMany<{ unitId: string; userId: string; role: Role }>();
  const sets = new Map<string, { staff: Set<string>; narrow: Set<string> }>();
  for (const r of rows) {
    const s = sets.get(r.unitId) ?? sets.set(r.unitId, { staff: new Set(), narrow: new Set() }).get(r.unitId)!;
    if (roles.includes(r.role)) s.staff.add(r.userId);
    if (r.role === narrow) s.narrow.add(r.userId);
  }
  for (const [id, s] of sets) out.set(id, { staff: [...s.staff].sort(), narrow: [...s.narrow].sort() });
  return out;
}
