import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CommonError, CommonException } from '@tongfa/core';
import { pathInScope } from '@tongfa/database';
import { Actor, Permission, UnitLevel } from '@tongfa/identity';
import { AccountConnection, AccountStatus } from './entities';
import { AccountError, AccountException } from './accounts.exception';
import { PlatformCatalog, PlatformInfo } from './platform-catalog';

/**
 * One account in a grid cell, as a tuple in the order of MATRIX_COLUMNS: a province's grid has
 * ten thousand of them, and naming every field in every cell doubled the response.
 */
export type MatrixCell = [
  accountId: string,
  name: string,
  status: AccountStatus,
  connection: AccountConnection,
  namingConsistent: boolean | null,
  lastPostAt: string | null,
];

export const MATRIX_COLUMNS = ['accountId', 'name', 'status', 'connection', 'namingConsistent', 'lastPostAt'] as const;

export interface MatrixRow {
  unitId: string;
  name: string;
  level: UnitLevel;
  parentId: string | null;
  depth: number;
  /**
   * Per platform id, the unit's accounts there (one, or more by approved exception). A platform
   * where the unit has no account is absent, which keeps a province's grid small on the wire.
   */
  cells: Record<string, MatrixCell[]>;
}

export interface MatrixView {
  platforms: PlatformInfo[];
  /** The meaning of each position of a cell tuple. */
  columns: typeof MATRIX_COLUMNS;
  rows: MatrixRow[];
  totals: { units: number; accounts: number; inconsistent: number; unitsWithout: Record<string, number> };
}

/**
 * The matrix grid: every unit of a subtree × every platform. Two index-range reads (units by
 * path, accounts by unit path) and a join in memory; raw rows, no entity hydration, because a
 * province has thousands of units and the grid must answer in well under 100 ms.
 */
@Injectable()
export class MatrixService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly platforms: PlatformCatalog,
  ) {}

  async grid(actor: Actor, unitId?: string): Promise<MatrixView> {
    const scope = actor.scope(Permission.AccountRead);
    if (scope.length === 0) throw new CommonException(CommonError.Forbidden);
    let prefixes = scope;
    if (unitId) {
      const rows = await this.ds.query('SELECT path FROM unit WHERE id = ?', [unitId]);
      const path = (rows as { path: string }[])[0]?.path;
      if (!path || !pathInScope(path, scope)) throw new AccountException(AccountError.UnitNotFound);
      prefixes = [path];
    }
    const like = prefixes.map(() => 'path LIKE ?').join(' OR ');
    const units = (await this.ds.query(
      `SELECT id, name, level, parentId, depth FROM unit WHERE ${like} ORDER BY path`,
      prefixes.map((p) => `${p}%`),
    )) as { id: string; name: string; level: UnitLevel; parentId: string | null; depth: number | string }[];
    const accounts = (await this.ds.query(
      `SELECT id, unitId, platform, name, status, connection, CASE WHEN namingIssues IS NULL THEN NULL WHEN namingIssues = '[]' THEN 1 ELSE 0 END AS naming, lastPostAt FROM account
       WHERE (${prefixes.map(() => 'unitPath LIKE ?').join(' OR ')}) AND status NOT IN ('rejected', 'cancelled')`,
      prefixes.map((p) => `${p}%`),
    )) as {
      id: string;
      unitId: string;
      platform: string;
      name: string;
      status: AccountStatus;
      connection: AccountConnection;
      naming: number | string | null;
      lastPostAt: Date | string | null;
    }[];
    const platforms = this.platforms.list();
    const known = new Set(platforms.map((p) => p.id));
    for (const a of accounts) {
      if (!known.has(a.platform)) {
        known.add(a.platform);
        platforms.push({ id: a.platform, name: { zh: a.platform, en: a.platform } });
      }
    }
    const byUnit = new Map<string, MatrixRow>();
    const rows: MatrixRow[] = units.map((u) => {
      const row: MatrixRow = { unitId: u.id, name: u.name, level: u.level, parentId: u.parentId, depth: Number(u.depth), cells: {} };
      byUnit.set(u.id, row);
      return row;
    });
    let inconsistent = 0;
    const covered = new Map<string, number>(platforms.map((p) => [p.id, 0]));
    for (const a of accounts) {
      const row = byUnit.get(a.unitId);
      if (!row) continue;
      const consistent = a.naming === null ? null : Number(a.naming) === 1;
      if (consistent === false) inconsistent++;
      const cell = (row.cells[a.platform] ??= []);
      if (cell.length === 0) covered.set(a.platform, (covered.get(a.platform) ?? 0) + 1);
      cell.push([a.id, a.name, a.status, a.connection, consistent, a.lastPostAt ? fromDbDate(a.lastPostAt).toISOString() : null]);
    }
    const unitsWithout: Record<string, number> = {};
    for (const p of platforms) unitsWithout[p.id] = rows.length - (covered.get(p.id) ?? 0);
    return {
      platforms,
      columns: MATRIX_COLUMNS,
      rows,
      totals: { units: rows.length, accounts: accounts.length, inconsistent, unitsWithout },
    };
  }
}

/** Raw SQLite datetimes come back as UTC text without a zone; MySQL's as Date objects. */
function fromDbDate(v: Date | string): Date {
  if (v instanceof Date) return v;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
}
