import { EntityManager } from 'typeorm';

export { bulkInsert } from '@tongfa/database';

/**
 * Current paths of units, read in the caller's transaction; on MySQL/MariaDB under a shared lock
 * (as lockedUnitPath does for one unit), so a concurrent unit move either waits for this
 * transaction or has committed the paths read here.
 */
export async function lockedPaths(m: EntityManager, unitIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!unitIds.length) return out;
  const mysql = m.connection.options.type === 'mysql' || m.connection.options.type === 'mariadb';
  const marks = unitIds.map(() => '?').join(',');
  const rows: { id: string; path: string }[] = await m.query(
    mysql
      ? `SELECT \`id\`, \`path\` FROM \`unit\` WHERE \`id\` IN (${marks}) LOCK IN SHARE MODE`
      : `SELECT "id", "path" FROM "unit" WHERE "id" IN (${marks})`,
    unitIds,
  );
  for (const r of rows) out.set(r.id, r.path);
  return out;
}

/** A datetime from a raw (non-entity) read: MySQL gives a Date, SQLite the stored UTC text without a zone. */
export function rawDate(v: string | Date): Date {
  if (v instanceof Date) return v;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
}
