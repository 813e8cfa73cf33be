import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CommonError, CommonException } from '@tongfa/core';
import { listTotal, pathInScope } from '@tongfa/database';
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
   * How many units sit directly below this one (the console offers to open those not yet shown).
   * Not `children`: grid components read that name as nested rows.
   */
  childCount: number;
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
  totals: MatrixTotals;
}

export interface MatrixTotals {
  units: number;
  accounts: number;
  inconsistent: number;
  unitsWithout: Record<string, number>;
}

type UnitRow = {
  id: string;
  name: string;
  level: UnitLevel;
  parentId: string | null;
  depth: number | string;
  childCount?: number | string;
};
type AccountRow = {
  id: string;
  unitId: string;
  platform: string;
  name: string;
  status: AccountStatus;
  connection: AccountConnection;
  naming: number | string | null;
  lastPostAt: Date | string | null;
};

/** A unit's depth from its materialized path (`/<root>/` is 0). */
const depthOfPath = (path: string) => path.split('/').length - 3;

const LIVE = "status NOT IN ('rejected', 'cancelled')";
const NAMING = "CASE WHEN namingIssues IS NULL THEN NULL WHEN namingIssues = '[]' THEN 1 ELSE 0 END";

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

  /**
   * The grid of the caller's scope, or of the subtree of `unitId`. With `levels`, only the top
   * unit(s) and the units down to `levels` below them: a province's first screen is its cities,
   * not its two thousand units (the console opens a row's children with `unitId` and `levels=1`),
   * and the totals, still of the whole subtree, come from grouped counts kept like a list's total
   * (a write in this process shows at once, one by another process within 5 s).
   */
  async grid(actor: Actor, unitId?: string, levels?: number): Promise<MatrixView> {
    const scope = actor.scope(Permission.AccountRead);
    if (scope.length === 0) throw new CommonException(CommonError.Forbidden);
    let prefixes = scope;
    if (unitId) {
      const rows = await this.ds.query('SELECT path FROM unit WHERE id = ?', [unitId]);
      const path = (rows as { path: string }[])[0]?.path;
      if (!path || !pathInScope(path, scope)) throw new AccountException(AccountError.UnitNotFound);
      prefixes = [path];
    }
    const like = prefixes.map((p) => `${p}%`);
    let units: UnitRow[];
    let accounts: AccountRow[];
    let totals: Promise<{ units: number; byPlatform: PlatformCount[] }> | null = null;
    if (levels === undefined) {
      units = await this.ds.query(
        `SELECT id, name, level, parentId, depth FROM unit WHERE ${prefixes.map(() => 'path LIKE ?').join(' OR ')} ORDER BY path`,
        like,
      );
      accounts = await this.ds.query(
        `SELECT id, unitId, platform, name, status, connection, ${NAMING} AS naming, lastPostAt FROM account
         WHERE (${prefixes.map(() => 'unitPath LIKE ?').join(' OR ')}) AND ${LIVE}`,
        like,
      );
    } else {
      totals = this.subtreeTotals(prefixes);
      // Each top down to `levels` below it, and beside it the units one level further counted
      // by parent (one range scan of the subtree by path): the last level's children.
      const bottom = (p: string) => depthOfPath(p) + levels;
      const [rows, deeper] = await Promise.all([
        this.ds.query(
          `SELECT id, name, level, parentId, depth FROM unit
           WHERE ${prefixes.map(() => '(path LIKE ? AND depth <= ?)').join(' OR ')} ORDER BY path`,
          prefixes.flatMap((p, i) => [like[i], bottom(p)]),
        ) as Promise<UnitRow[]>,
        this.ds.query(
          `SELECT parentId, COUNT(*) AS n FROM unit
           WHERE ${prefixes.map(() => '(path LIKE ? AND depth = ?)').join(' OR ')} GROUP BY parentId`,
          prefixes.flatMap((p, i) => [like[i], bottom(p) + 1]),
        ) as Promise<{ parentId: string; n: number | string }[]>,
      ]);
      const counted = new Map(deeper.map((d) => [d.parentId, Number(d.n)]));
      units = rows.map((u) => ({ ...u, childCount: counted.get(u.id) ?? 0 }));
      accounts = units.length
        ? await this.ds.query(
            `SELECT id, unitId, platform, name, status, connection, ${NAMING} AS naming, lastPostAt FROM account
             WHERE unitId IN (${units.map(() => '?').join(', ')}) AND ${LIVE}`,
            units.map((u) => u.id),
          )
        : [];
    }
    const platforms = this.platforms.list();
    const known = new Set(platforms.map((p) => p.id));
    const addPlatform = (id: string) => {
      if (known.has(id)) return;
      known.add(id);
      platforms.push({ id, name: { zh: id, en: id } });
    };
    for (const a of accounts) addPlatform(a.platform);
    const byUnit = new Map<string, MatrixRow>();
    const rows: MatrixRow[] = units.map((u) => {
      const row: MatrixRow = {
        unitId: u.id,
        name: u.name,
        level: u.level,
        parentId: u.parentId,
        depth: Number(u.depth),
        childCount: Number(u.childCount ?? 0),
        cells: {},
      };
      byUnit.set(u.id, row);
      return row;
    });
    // Children among the rows, added to those counted below the last level (a unit has one or the other).
    for (const r of rows) {
      const parent = r.parentId ? byUnit.get(r.parentId) : undefined;
      if (parent) parent.childCount++;
    }
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
    if (totals) {
      const t = await totals;
      for (const p of t.byPlatform) addPlatform(p.platform);
      const unitsWithout: Record<string, number> = {};
      for (const p of platforms) unitsWithout[p.id] = t.units - Number(t.byPlatform.find((x) => x.platform === p.id)?.units ?? 0);
      return {
        platforms,
        columns: MATRIX_COLUMNS,
        rows,
        totals: {
          units: t.units,
          accounts: t.byPlatform.reduce((n, p) => n + Number(p.accounts), 0),
          inconsistent: t.byPlatform.reduce((n, p) => n + Number(p.inconsistent ?? 0), 0),
          unitsWithout,
        },
      };
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

  /** The subtree's unit count and, per platform, its accounts, the units holding one and the inconsistently named. */
  private subtreeTotals(prefixes: readonly string[]): Promise<{ units: number; byPlatform: PlatformCount[] }> {
    const like = prefixes.map((p) => `${p}%`);
    const key = `matrix\u0000${prefixes.join(',')}`;
    return listTotal(['unit', 'account'], key, async () => {
      const [units, byPlatform] = await Promise.all([
        this.ds.query(`SELECT COUNT(*) AS n FROM unit WHERE ${prefixes.map(() => 'path LIKE ?').join(' OR ')}`, like) as Promise<
          { n: number | string }[]
        >,
        this.ds.query(
          `SELECT platform, COUNT(*) AS accounts, COUNT(DISTINCT unitId) AS units,
             SUM(CASE WHEN ${NAMING} = 0 THEN 1 ELSE 0 END) AS inconsistent
           FROM account WHERE (${prefixes.map(() => 'unitPath LIKE ?').join(' OR ')}) AND ${LIVE} GROUP BY platform`,
          like,
        ) as Promise<PlatformCount[]>,
      ]);
      return { units: Number(units[0]?.n ?? 0), byPlatform };
    });
  }
}

type PlatformCount = { platform: string; accounts: number | string; units: number | string; inconsistent: number | string | null };

/** Raw SQLite datetimes come back as UTC text without a zone; MySQL's as Date objects. */
function fromDbDate(v: Date | string): Date {
  if (v instanceof Date) return v;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
}
