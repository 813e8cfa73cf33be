import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { newId, Page, PageQuery, pageOffset, CommonError, CommonException } from '@tongfa/core';
import {
  containsPattern,
  LIKE_ESCAPE,
  whereInScope,
  pathInScope,
  fetchPage,
  listOrder,
  applyOrder,
  rewriteUnitPaths,
} from '@tongfa/database';
import { Unit, UnitLevel } from './entities';
import { Actor } from './actor';
import { Permission } from './roles';
import { IdentityError, IdentityException } from './identity.exception';
import { isValidCreditCode, isValidRegionCode } from './credit-code';

export interface CreateUnitInput {
  name: string;
  level: UnitLevel;
  parentId?: string | null;
  creditCode: string;
  regionCode: string;
}

export interface UpdateUnitInput {
  name?: string;
  creditCode?: string;
  regionCode?: string;
  parentId?: string;
}

export interface UnitListQuery extends PageQuery {
  parentId?: string;
  level?: UnitLevel;
  q?: string;
}

export interface UnitTreeNode {
  id: string;
  name: string;
  level: UnitLevel;
  children: UnitTreeNode[];
}

/** Which levels may sit under which: the administrative hierarchy, departments anywhere. */
const ALLOWED_CHILD: Record<UnitLevel, UnitLevel[]> = {
  // 省直管县: a county may sit directly under its province (Hainan, parts of Hubei, Henan, …).
  [UnitLevel.Province]: [UnitLevel.City, UnitLevel.County, UnitLevel.Department],
  [UnitLevel.City]: [UnitLevel.County, UnitLevel.Department],
  [UnitLevel.County]: [UnitLevel.Township, UnitLevel.Department],
  [UnitLevel.Township]: [UnitLevel.Department],
  [UnitLevel.Department]: [UnitLevel.Department],
};

const LEVEL_ZH: Record<UnitLevel, string> = {
  province: '省',
  city: '市',
  county: '县（区）',
  township: '乡镇（街道）',
  department: '部门',
};

@Injectable()
export class UnitsService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Creates the province root; only possible while no unit exists (bootstrap, demo, tests). */
  async createRoot(input: Omit<CreateUnitInput, 'parentId' | 'level'>): Promise<Unit> {
    return this.ds.transaction(async (m) => {
      if ((await m.count(Unit)) > 0) throw new IdentityException(IdentityError.RootExists);
      this.validateCodes(input.creditCode, input.regionCode);
      const id = newId();
      const unit = m.create(Unit, { ...input, id, level: UnitLevel.Province, parentId: null, path: `/${id}/`, depth: 0 });
      return m.save(unit);
    });
  }

  async root(): Promise<Unit | null> {
    return this.ds.getRepository(Unit).findOne({ where: { depth: 0 } });
  }

  /** Creates a unit under a parent in the actor's scope; a null actor is the system itself (demo, import). */
  async create(actor: Actor | null, input: CreateUnitInput): Promise<Unit> {
    if (!input.parentId) throw new IdentityException(IdentityError.ParentRequired);
    this.validateCodes(input.creditCode, input.regionCode);
    return this.ds.transaction(async (m) => {
      // The parent's row is share-locked first: a concurrent move of the parent's subtree (which
      // locks it for update) either finishes before this reads the parent's path or waits for the
      // new child, which it then moves along.
      await this.lockUnits(m, 'share', 'u.id = :id', { id: input.parentId });
      const parent = actor
        ? await this.findInScope(m, actor, Permission.UnitWrite, input.parentId!)
        : await m.findOne(Unit, { where: { id: input.parentId! } });
      if (!parent) throw new IdentityException(IdentityError.UnitNotFound);
      if (!ALLOWED_CHILD[parent.level].includes(input.level)) {
        throw new IdentityException(IdentityError.LevelNotAllowed, { parent: LEVEL_ZH[parent.level], level: LEVEL_ZH[input.level] });
      }
      await this.assertCreditCodeFree(m, input.creditCode);
      const id = newId();
      const unit = m.create(Unit, {
        id,
        name: input.name,
        level: input.level,
        parentId: parent.id,
        path: `${parent.path}${id}/`,
        depth: parent.depth + 1,
        creditCode: input.creditCode,
        regionCode: input.regionCode,
      });
      return m.save(unit);
    });
  }

  async list(actor: Actor, q: UnitListQuery): Promise<Page<Unit>> {
    const qb = this.ds.getRepository(Unit).createQueryBuilder('u');
    whereInScope(qb, 'u.path', actor.scope(Permission.UnitRead));
    if (q.parentId) qb.andWhere('u.parentId = :parentId', { parentId: q.parentId });
    if (q.level) qb.andWhere('u.level = :level', { level: q.level });
    if (q.q) qb.andWhere(`u.name LIKE :q ${LIKE_ESCAPE}`, { q: containsPattern(q.q) });
    const { skip, take } = pageOffset(q);
    const order = listOrder(
      q.sort,
      { name: 'u.name', level: 'u.level', depth: 'u.depth', regionCode: 'u.regionCode', createdAt: 'u.createdAt' },
      [['u.path', 'ASC']],
      'u.id',
    );
    const [items, total, next] = await fetchPage(applyOrder(qb, order), skip, take, {
      totalOf: ['unit'],
      keyset: { order, after: q.after, sorted: !!q.sort },
    });
    return { items, total, next };
  }

  async get(actor: Actor, id: string, permission = Permission.UnitRead): Promise<Unit> {
    return this.findInScope(this.ds.manager, actor, permission, id);
  }

  async tree(actor: Actor, id: string): Promise<UnitTreeNode> {
    const top = await this.get(actor, id);
    const rows = await this.ds
      .getRepository(Unit)
      .createQueryBuilder('u')
      .where('u.path LIKE :p', { p: `${top.path}%` })
      .orderBy('u.depth', 'ASC')
      .addOrderBy('u.name', 'ASC')
      .getMany();
    const nodes = new Map<string, UnitTreeNode>();
    for (const u of rows) nodes.set(u.id, { id: u.id, name: u.name, level: u.level, children: [] });
    for (const u of rows) if (u.id !== top.id && u.parentId) nodes.get(u.parentId)?.children.push(nodes.get(u.id)!);
    return nodes.get(top.id)!;
  }

  /**
   * Renames or re-codes a unit, or moves it under another parent (机构改革). A move rewrites the
   * materialized path of the whole subtree and every copy of it (see @tongfa/database unit-paths),
   * in one transaction.
   */
  async update(actor: Actor, id: string, input: UpdateUnitInput): Promise<{ before: Unit; after: Unit }> {
    return this.ds.transaction(async (m) => {
      const moving = input.parentId !== undefined;
      // Moves are rare and run one at a time: each locks the root row first, so two moves cannot
      // each pass the cycle check against the other's old paths. Taken before any plain read, so
      // on MySQL this transaction's snapshot already holds the previous move's paths.
      if (moving) await this.lockUnits(m, 'update', 'u.depth = 0');
      const unit = await this.findInScope(m, actor, Permission.UnitWrite, id);
      const before = { ...unit };
      if (input.creditCode !== undefined || input.regionCode !== undefined) {
        this.validateCodes(input.creditCode ?? unit.creditCode, input.regionCode ?? unit.regionCode);
      }
      if (input.creditCode !== undefined && input.creditCode !== unit.creditCode) {
        await this.assertCreditCodeFree(m, input.creditCode);
        unit.creditCode = input.creditCode;
      }
      if (input.name !== undefined) unit.name = input.name;
      if (input.regionCode !== undefined) unit.regionCode = input.regionCode;
      if (moving && input.parentId !== unit.parentId) {
        if (unit.depth === 0)
          throw new IdentityException(IdentityError.LevelNotAllowed, { parent: '任何单位', level: LEVEL_ZH[unit.level] });
        const parent = await this.findInScope(m, actor, Permission.UnitWrite, input.parentId!);
        if (parent.path.startsWith(unit.path)) throw new IdentityException(IdentityError.MoveIntoOwnSubtree);
        if (!ALLOWED_CHILD[parent.level].includes(unit.level)) {
          throw new IdentityException(IdentityError.LevelNotAllowed, { parent: LEVEL_ZH[parent.level], level: LEVEL_ZH[unit.level] });
        }
        // The subtree's rows are locked for update: a unit created under it, or a record copying
        // one of its paths (both share-lock the unit they read), waits for the move and then reads
        // the new path; one that read first has committed, and the rewrite below moves it along.
        await this.lockUnits(m, 'update', 'u.path LIKE :like', { like: `${unit.path}%` });
        const oldPath = unit.path;
        const newPath = `${parent.path}${unit.id}/`;
        await this.rewriteTree(m, oldPath, newPath, parent.depth + 1 - unit.depth);
        await rewriteUnitPaths(m, oldPath, newPath);
        unit.parentId = parent.id;
        unit.path = newPath;
        unit.depth = parent.depth + 1;
      }
      const after = await m.save(unit);
      return { before, after };
    });
  }

  /** Finds a unit the actor may act on with `permission`; otherwise NotFound (existence is not leaked). */
  async findInScope(m: EntityManager, actor: Actor, permission: Permission, id: string): Promise<Unit> {
    const unit = await m.findOne(Unit, { where: { id } });
    if (!unit || !pathInScope(unit.path, actor.scope(permission))) {
      if (unit && actor.canAt(Permission.UnitRead, unit.path)) throw new CommonException(CommonError.Forbidden);
      throw new IdentityException(IdentityError.UnitNotFound);
    }
    return unit;
  }

  private validateCodes(creditCode: string, regionCode: string): void {
    if (!isValidCreditCode(creditCode)) {
      throw new IdentityException(IdentityError.CreditCodeInvalid, {}, [{ field: 'creditCode', message: '统一社会信用代码无效' }]);
    }
    if (!isValidRegionCode(regionCode)) {
      throw new IdentityException(IdentityError.RegionCodeInvalid, {}, [{ field: 'regionCode', message: '行政区划代码无效' }]);
    }
  }

  private async assertCreditCodeFree(m: EntityManager, creditCode: string): Promise<void> {
    if (await m.exists(Unit, { where: { creditCode } })) throw new IdentityException(IdentityError.CreditCodeTaken);
  }

  /** Locks unit rows (MySQL/MariaDB; SQLite has a single writer) until the transaction ends. */
  private async lockUnits(m: EntityManager, mode: 'share' | 'update', where: string, params: Record<string, unknown> = {}): Promise<void> {
    const type = m.connection.options.type;
    if (type !== 'mysql' && type !== 'mariadb') return;
    await m
      .getRepository(Unit)
      .createQueryBuilder('u')
      .select('u.id')
      .where(where, params)
      .setLock(mode === 'share' ? 'pessimistic_read' : 'pessimistic_write')
      .getRawMany();
  }

  /** Moves the units of the subtree themselves: their paths and depths. */
  private async rewriteTree(m: EntityManager, oldPrefix: string, newPrefix: string, depthDelta: number): Promise<void> {
    const mysql = m.connection.options.type === 'mysql' || m.connection.options.type === 'mariadb';
    const expr = mysql ? 'CONCAT(:np, SUBSTRING(path, :cut))' : ':np || SUBSTR(path, :cut)';
    await m
      .createQueryBuilder()
      .update(Unit)
      .set({ path: () => expr, depth: () => `depth + ${Number(depthDelta)}` })
      .where('path LIKE :like')
      .setParameters({ np: newPrefix, cut: oldPrefix.length + 1, like: `${oldPrefix}%` })
      .execute();
  }
}
