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
