import { noteTableWrite } from './list-totals';
import { EntityManager, EntityMetadata, EntitySubscriberInterface, InsertEvent, QueryRunner, UpdateEvent } from 'typeorm';

/**
 * Scope lives in the data: a row that belongs to a unit carries a copy of the unit's materialized
 * path in a column named `unitPath` (beside `unitId`), so a scoped list is one index range. A copy
 * is only safe while every copy is rewritten when a unit moves (机构改革) and no writer stores a
 * stale one. This file is the one place that knows which columns are copies:
 *
 * - every `unitPath` column is a copy: `rewriteUnitPaths` rewrites it in the move's transaction,
 *   and `UnitPathSubscriber` derives it from `unitId` on every insert and update;
 * - a path-like column that is not a copy must be named in UNIT_PATH_NOT_COPIED with the reason.
 *
 * `unit-paths.spec.ts` fails when an entity gains a path-like column that is neither.
 *
 * Copies are kept (rather than joining the unit on every read) because the big scoped lists —
 * a province's users, accounts, manuscripts, publications — page through one index range on
 * (unitPath, …); a join would read the subtree's units and look each row up. Moves are rare
 * (机构改革) and rewrite a subtree's rows once. Only the audit log joins, since it is never rewritten.
 */
export const UNIT_PATH_COLUMN = 'unitPath';

/** Path-like columns the move does not rewrite as copies (`table.column` → why). */
export const UNIT_PATH_NOT_COPIED: Readonly<Record<string, string>> = {
  'unit.path': 'the tree itself: the move rewrites it first, under the subtree lock',
  'audit_entry.unitPath':
    'hash-chained and append-only, so the path at the time stays as recorded; scoped reads join the unit through audit_entry.unitId instead',
  'api_key.scopes': 'capabilities such as qa:query, not unit paths; the key’s scope is api_key.unitPath',
  'qa_category.pathName': 'the category’s names from the root of the category tree (社会保障 / 养老保险), not a unit path',
  'notification.dedupeKey': 'the event’s key (kind and object ids) that makes a notification once per user, not a unit path',
  'notification_delivery.dedupeKey': 'the event’s key and the channel id, so an event reaches a bot once; not a unit path',
};

/** Copies whose table has no unitId to derive them from; their writers copy the path inside the transaction that reads it. */
export const UNIT_PATH_WITHOUT_UNIT_ID: Readonly<Record<string, string>> = {
  account_approval: 'written with its account, from the same unit row; only the decision columns change later',
  notification_delivery: 'copied from its channel’s unitPath in the transaction that queues it; the move rewrites both by prefix',
};

/** The tables holding a copy of a unit path, as `{ table, column }`. */
export function unitPathCopies(metadatas: readonly EntityMetadata[]): { table: string; column: string; target: EntityMetadata }[] {
  const out: { table: string; column: string; target: EntityMetadata }[] = [];
  for (const md of metadatas) {
    const col = md.findColumnWithPropertyName(UNIT_PATH_COLUMN);
    if (!col || `${md.tableName}.${col.databaseName}` in UNIT_PATH_NOT_COPIED) continue;
    out.push({ table: md.tableName, column: col.databaseName, target: md });
  }
  return out;
}

/** A path built from generated ids: nothing else is ever written by the rewrite. */
const PATH = /^\/(?:[0-9A-Za-z-]+\/)+$/;

function isMysql(ds: { options: { type: string } }): boolean {
  return ds.options.type === 'mysql' || ds.options.type === 'mariadb';
}

/**
 * Rewrites every copy of the paths under `oldPrefix` to lie under `newPrefix` (the unit table
 * itself is the caller's: it moves the subtree and its depths). Run it in the move's transaction.
 * Returns the rows rewritten per table.
 */
export async function rewriteUnitPaths(m: EntityManager, oldPrefix: string, newPrefix: string): Promise<Record<string, number>> {
  if (!PATH.test(oldPrefix) || !PATH.test(newPrefix)) throw new Error('unit paths must be made of ids');
  const runner = m.queryRunner;
  if (!runner?.isTransactionActive) throw new Error('rewriteUnitPaths runs inside the move’s transaction');
  const mysql = isMysql(m.connection);
  const q = (s: string) => (mysql ? `\`${s}\`` : `"${s}"`);
  const affected: Record<string, number> = {};
  for (const { table, column, target } of unitPathCopies(m.connection.entityMetadatas)) {
    const splice = mysql ? `CONCAT(?, SUBSTRING(${q(column)}, ?))` : `? || SUBSTR(${q(column)}, ?)`;
    // Raw SQL: the copy is data, not a change of the record, so no listener re-derives each row and
    // updatedAt keeps its value (MySQL's ON UPDATE would bump it unless it is assigned).
    const keep = target.updateDateColumn ? `, ${q(target.updateDateColumn.databaseName)} = ${q(target.updateDateColumn.databaseName)}` : '';
    const sql = `UPDATE ${q(table)} SET ${q(column)} = ${splice}${keep} WHERE ${q(column)} LIKE ?`;
    const res = await runner.query(sql, [newPrefix, oldPrefix.length + 1, `${oldPrefix}%`], true);
    affected[table] = res.affected ?? 0;
    noteTableWrite(table, runner); // raw SQL: ListTotalsSubscriber does not see it
  }
  return affected;
}

/**
 * Reads a unit's current path. On MySQL/MariaDB the read takes a shared lock on the unit row until
 * the caller's transaction ends, so a move (which locks its subtree's rows for update) either
 * waits for the writer or has already committed the new path the writer then reads.
 */
export async function lockedUnitPath(runner: Pick<QueryRunner, 'query' | 'connection'>, unitId: string): Promise<string | null> {
  const mysql = isMysql(runner.connection);
  const rows: { path: string }[] = await runner.query(
    mysql ? 'SELECT `path` FROM `unit` WHERE `id` = ? LOCK IN SHARE MODE' : 'SELECT "path" FROM "unit" WHERE "id" = ?',
    [unitId],
  );
  return rows[0]?.path ?? null;
}

/**
 * Keeps every `unitPath` copy equal to its unit's path when it is written. Writers often hold a
 * path read earlier (the caller's actor, a parent record loaded before a move committed); saving
 * that stale copy would put the row back under the old parent, where the old supervisor sees it.
 * Deriving it here from `unitId`, under the share lock above, closes that for every table at once.
 */
export class UnitPathSubscriber implements EntitySubscriberInterface {
  async beforeInsert(event: InsertEvent<Record<string, unknown>>): Promise<void> {
    await this.derive(event.metadata, event.entity, event.queryRunner);
  }

  async beforeUpdate(event: UpdateEvent<Record<string, unknown>>): Promise<void> {
    if (event.entity) await this.derive(event.metadata, event.entity as Record<string, unknown>, event.queryRunner);
  }

  private async derive(md: EntityMetadata, row: Record<string, unknown> | undefined, runner: QueryRunner): Promise<void> {
    if (!row || `${md.tableName}.${UNIT_PATH_COLUMN}` in UNIT_PATH_NOT_COPIED) return;
    if (!md.findColumnWithPropertyName(UNIT_PATH_COLUMN) || !md.findColumnWithPropertyName('unitId')) return;
    // Only when the write names the unit: a partial update of other columns leaves the copy alone.
    const unitId = row.unitId;
    if (typeof unitId !== 'string') return;
    const path = await lockedUnitPath(runner, unitId);
    if (path) row[UNIT_PATH_COLUMN] = path;
  }
}
