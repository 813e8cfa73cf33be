import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CommonError, CommonException } from '@tongfa/core';
import { pathInScope } from '@tongfa/database';
import { Actor, Permission, UnitLevel } from '@tongfa/identity';
import { AccountConnection, AccountStatus } from './entities';
import { AccountError, AccountException } from './accounts.exception';
import { PlatformCatalog, PlatformInfo } from './platform-catalog';

export interface MatrixCell {
  accountId: string;
  name: string;
  status: AccountStatus;
  connection: AccountConnection;
  namingConsistent: boolean | null;
  lastPostAt: string | null;
}

export interface MatrixRow {
  unitId: string;
  name: string;
  level: UnitLevel;
  parentId: string | null;
  depth: number;
  /** Per platform id: the unit's accounts there (none, one, or more by approved exception). */
  cells: Record<string, MatrixCell[]>;
}

export interface MatrixView {
  platforms: PlatformInfo[];
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
      `SELECT id, name, level, parentId, depth, path FROM unit WHERE ${like} ORDER BY path`,
      prefixes.map((p) => `${p}%`),
    )) as { id: string; name: string; level: UnitLevel; parentId: string | null; depth: number | string; path: string }[];
    const accounts = (await this.ds.query(
      `SELECT id, unitId, platform, name, status, connection, namingIssues, lastPostAt FROM account
       WHERE (${prefixes.map(() => 'unitPath LIKE ?').join(' OR ')}) AND status NOT IN ('rejected', 'cancelled')`,
      prefixes.map((p) => `${p}%`),
    )) as {
      id: string;
      unitId: string;
      platform: string;
      name: string;
      status: AccountStatus;
      connection: AccountConnection;
      namingIssues: string | null;
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
      for (const p of platforms) row.cells[p.id] = [];
      byUnit.set(u.id, row);
      return row;
    });
    let inconsistent = 0;
    for (const a of accounts) {
      const row = byUnit.get(a.unitId);
      if (!row) continue;
      const consistent = a.namingIssues === null ? null : a.namingIssues === '[]';
      if (consistent === false) inconsistent++;
      row.cells[a.platform]!.push({
        accountId: a.id,
        name: a.name,
        status: a.status,
        connection: a.connection,
        namingConsistent: consistent,
        lastPostAt: a.lastPostAt ? fromDbDate(a.lastPostAt).toISOString() : null,
      });
    }
    const unitsWithout: Record<string, number> = {};
    for (const p of platforms) unitsWithout[p.id] = rows.filter((r) => r.cells[p.id]!.length === 0).length;
    return { platforms, rows, totals: { units: rows.length, accounts: accounts.length, inconsistent, unitsWithout } };
  }
}

/** Raw SQLite datetimes come back as UTC text without a zone; MySQL's as Date objects. */
function fromDbDate(v: Date | string): Date {
  if (v instanceof Date) return v;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
}
