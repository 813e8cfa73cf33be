import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * INSERT … ON DUPLICATE KEY UPDATE (MariaDB) / ON CONFLICT DO UPDATE (SQLite) in chunks: 300 rows of
 * at most 16 columns stay under SQLite's 32,766 parameters. The rows carry their account's own unit
 * path copy, read in the caller's transaction (a unit move rewrites both in its own), so the path
 * subscriber's per-row lookup is skipped.
 */
export async function upsertRows<T extends ObjectLiteral>(
  m: EntityManager,
  target: EntityTarget<T>,
  rows: T[],
  update: (keyof T & string)[],
  keys: (keyof T & string)[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 300) {
    await m
      .createQueryBuilder()
      .insert()
      .into(target)
      .values(rows.slice(i, i + 300) as never)
      .orUpdate(update, keys)
      .callListeners(false)
      .execute();
  }
}
