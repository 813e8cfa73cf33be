import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { noteTableWrite } from './list-totals';

/**
 * Multi-row INSERTs of plain rows in chunks (1,000 rows of ~25 columns stay under SQLite's 32,766
 * parameters), one round trip per chunk, values converted by the
 * driver exactly as TypeORM would store them (dates, JSON, booleans). Entity listeners are NOT run:
 * callers write `unitPath` copies they read inside the same transaction (e.g. the campaigns' lockedPaths),
 * which is what the UnitPathSubscriber would otherwise do one row at a time; the list totals are told here
 * (noteTableWrite), as ListTotalsSubscriber would be.
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
    noteTableWrite(md.tableName, m.queryRunner);
  }
}
