import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Multi-row INSERTs of plain rows in chunks (1,000 rows of ~25 columns stay under SQLite's 32,766
 * parameters), one round trip per chunk, values converted by the
 * driver exactly as TypeORM would store them (dates, JSON, booleans). Entity listeners are NOT run:
 * callers write `unitPath` copies they read inside the same transaction (see lockedPaths), which
 * is what the UnitPathSubscriber would otherwise do one row at a time.
 */
export async function bulkInsert<T extends ObjectLiteral>(
  m: EntityManager,
  target: EntityTarget<T>,
  rows: Partial<T>[],
  chunk = 1000,
): Promise<void> {
  if (!rows.length) return;
  const md = m.connection.getMetadata(target);
  const columns = md.columns;
  const driver = m.connection.driver;
  const q = (s: string) => driver.escape(s);
  const one = `(${columns.map(() => '?').join(',')})`;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const params: unknown[] = [];
    for (const row of part) {
      for (const c of columns) {
        const v = (row as Record<string, unknown>)[c.propertyName];
        params.push(driver.preparePersistentValue(v === undefined ? (c.default ?? null) : v, c));
      }
    }
    await m.query(
      `INSERT INTO ${q(md.tableName)} (${columns.map((c) => q(c.databaseName)).join(',')}) VALUES ${part.map(() => one).join(',')}`,
      params,
    );
  }
}

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
