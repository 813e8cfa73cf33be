import 'reflect-metadata';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DataSource, EntityMetadata } from 'typeorm';
import { ALL_ENTITIES } from './entities';
import { UNIT_PATH_COLUMN, UNIT_PATH_NOT_COPIED, UNIT_PATH_WITHOUT_UNIT_ID, unitPathCopies } from './unit-paths';

/** A column that could hold a unit path or a scope: by name, or by the one-byte charset paths use. */
function pathLike(md: EntityMetadata): string[] {
  return md.columns
    .filter((c) => /path|scope/i.test(c.propertyName) || /path|scope/i.test(c.databaseName) || c.charset === 'ascii')
    .map((c) => `${md.tableName}.${c.databaseName}`);
}

/**
 * The new-table checklist, enforced: a table that copies a unit path must be rewritten when a unit
 * moves (机构改革), or the old supervisor keeps seeing the moved unit's rows through it.
 */
describe('unit path copies', () => {
  const ds = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: ALL_ENTITIES });
  before(() => ds.initialize());
  after(() => ds.destroy());

  it('every path-like column is a unitPath copy the move rewrites, or is named with the reason it is not', () => {
    const copies = new Set(unitPathCopies(ds.entityMetadatas).map((c) => `${c.table}.${c.column}`));
    const unhandled = ds.entityMetadatas
      .flatMap(pathLike)
      .filter((col) => !copies.has(col) && !(col in UNIT_PATH_NOT_COPIED))
      .sort();
    assert.deepEqual(
      unhandled,
      [],
      `name the column "${UNIT_PATH_COLUMN}" (beside unitId) so a move rewrites it, or add it to UNIT_PATH_NOT_COPIED with the reason and scope its reads by joining the unit`,
    );
  });

  it('every copy can be derived from the unit it belongs to', () => {
    const orphans = unitPathCopies(ds.entityMetadatas)
      .filter((c) => !c.target.findColumnWithPropertyName('unitId') && !(c.table in UNIT_PATH_WITHOUT_UNIT_ID))
      .map((c) => c.table);
    assert.deepEqual(
      orphans,
      [],
      'give the table a unitId column, or say in UNIT_PATH_WITHOUT_UNIT_ID how its writers keep the copy fresh',
    );
  });

  it('names only columns that exist, so a stale exemption cannot hide a new one', () => {
    const columns = new Set(ds.entityMetadatas.flatMap((md) => md.columns.map((c) => `${md.tableName}.${c.databaseName}`)));
    const tables = new Set(ds.entityMetadatas.map((md) => md.tableName));
    assert.deepEqual(
      Object.keys(UNIT_PATH_NOT_COPIED).filter((c) => !columns.has(c)),
      [],
    );
    assert.deepEqual(
      Object.keys(UNIT_PATH_WITHOUT_UNIT_ID).filter((t) => !tables.has(t)),
      [],
    );
  });

  it('covers the tables that hold a copy today', () => {
    const tables = unitPathCopies(ds.entityMetadatas)
      .map((c) => c.table)
      .sort();
    for (const t of [
      'account',
      'account_alert',
      'account_approval',
      'api_key',
      'campaign',
      'campaign_assignment',
      'campaign_relay',
      'campaign_trust',
      'duty_alert',
      'filing',
      'manuscript',
      'media',
      'monitoring_account',
      'monitoring_activity_day',
      'monitoring_rule_state',
      'publication',
      'review_chain',
      'role_assignment',
      'user',
    ]) {
      assert.ok(tables.includes(t), `${t} is rewritten by a move`);
    }
    assert.ok(!tables.includes('audit_entry'), 'the audit log is never rewritten');
  });
});
