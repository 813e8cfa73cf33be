import { DataSource } from 'typeorm';
import { newId } from '@tongfa/core';
import { Argon2PasswordHasher, makeCreditCode, Role } from '@tongfa/identity';
import { insertMany } from './bench-db';

export interface BenchUnit {
  id: string;
  path: string;
  depth: number;
  level: string;
  parentId: string | null;
}

/** A unit tree built in memory (`add(level, parent)`), written in one multi-row insert by `insert`. */
export function unitTree(): { units: BenchUnit[]; add: (level: string, parent: BenchUnit | null) => BenchUnit } {
  const units: BenchUnit[] = [];
  const add = (level: string, parent: BenchUnit | null) => {
    const id = newId();
    const u = { id, level, parentId: parent?.id ?? null, path: `${parent?.path ?? '/'}${id}/`, depth: parent ? parent.depth + 1 : 0 };
    units.push(u);
    return u;
  };
  return { units, add };
}

/** Writes the units, named 基准单位<i>, with credit codes from `creditBase` on (distinct per bench). */
export async function insertUnits(ds: DataSource, units: BenchUnit[], creditBase: number): Promise<void> {
  await insertMany(
    ds,
    'unit',
    ['id', 'name', 'level', 'parentId', 'path', 'depth', 'creditCode', 'regionCode'],
    units.map((u, i) => [u.id, `基准单位${i}`, u.level, u.parentId, u.path, u.depth, makeCreditCode('440100', creditBase + i), '440100']),
  );
}

/** An active supervisor at `unit` with `password`, as a sign-in would find them; returns the user's id. */
export async function insertSupervisor(
  ds: DataSource,
  unit: BenchUnit,
  username: string,
  displayName: string,
  password: string,
): Promise<string> {
  return insertUserWithRole(ds, unit, username, displayName, password, Role.Supervisor);
}

/** An active user holding `role` at `unit` with `password`; returns the user's id. */
export async function insertUserWithRole(
  ds: DataSource,
  unit: BenchUnit,
  username: string,
  displayName: string,
  password: string,
  role: Role,
): Promise<string> {
  const hash = await new Argon2PasswordHasher().hash(password);
  const id = newId();
  await insertMany(
    ds,
    'user',
    ['id', 'username', 'displayName', 'unitId', 'unitPath', 'status', 'passwordHash', 'mustChangePassword', 'passwordChangedAt'],
    [[id, username, displayName, unit.id, unit.path, 'active', hash, 0, new Date()]],
  );
  await insertMany(
    ds,
    'role_assignment',
    ['id', 'userId', 'role', 'unitId', 'unitPath', 'level'],
    [[newId(), id, role, unit.id, unit.path, null]],
  );
  return id;
}
