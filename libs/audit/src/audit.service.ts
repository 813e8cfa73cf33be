import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { Brackets, DataSource, EntityManager, LessThan } from 'typeorm';
import { Clock, Page, PageQuery, pageOffset } from '@tongfa/core';
import { applyOrder, containsPattern, fetchPage, LIKE_ESCAPE, listOrder } from '@tongfa/database';
import { AuditEntry, AuditHead, AuditResult } from './entities';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRecordInput {
  actorId?: string | null;
  actorName?: string | null;
  unitId?: string | null;
  unitPath?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  result?: AuditResult;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  ip?: string | null;
  requestId?: string | null;
}

export interface AuditProblem {
  seq: number;
  problem: 'edited' | 'deleted' | 'chain_broken' | 'head_mismatch';
  message: string;
}

export interface AuditVerifyReport {
  ok: boolean;
  checked: number;
  firstSeq: number | null;
  lastSeq: number | null;
  problems: AuditProblem[];
}

export interface AuditListQuery extends PageQuery {
  action?: string;
  actorId?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  /** A person's search: entries matching any of these (actions by label, actor name, named targets). */
  anyOf?: { actions: string[]; actorName: string; targetIds: string[] };
}

/** The unit a materialized path ends in (`/root/city/county/` → county): entries are scoped by it. */
export function unitIdOfPath(path: string | null | undefined): string | null {
  return path?.split('/').filter(Boolean).pop() ?? null;
}

/** Field names that must never be written into the log, whatever a caller passes. */
const SECRET_KEYS = /pass(word)?|secret|token|otp|recovery|credential|private|key$/i;

/** Strips secret-looking fields from a before/after summary, recursively. */
export function redactSummary(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactSummary);
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redactSummary(x);
    return out;
  }
  return v;
}

/** The hash of an entry: SHA-256 over the previous hash and a canonical rendering of every field. */
export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  const canonical = JSON.stringify([
    e.seq,
    e.at.toISOString(),
    e.actorId,
    e.actorName,
    e.unitId,
    e.unitPath,
    e.action,
    e.targetType,
    e.targetId,
    e.result,
    canonicalJson(e.before),
    canonicalJson(e.after),
    e.ip,
    e.requestId,
  ]);
  return createHash('sha256').update(e.prevHash).update('\n').update(canonical).digest('hex');
}

function canonicalJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object' && !(v instanceof Date)) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v instanceof Date ? v.toISOString() : v);
}

/**
 * The append-only, hash-chained audit log (留痕). Appends are serialised on the single head row
 * (SELECT … FOR UPDATE on MySQL; SQLite has one writer), so sequence numbers have no gaps and
 * every entry chains to the one before it.
 */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  async record(input: AuditRecordInput, manager?: EntityManager): Promise<AuditEntry> {
    const run = (m: EntityManager) => this.append(m, input);
    return manager ? run(manager) : this.ds.transaction(run);
  }

  private async append(m: EntityManager, input: AuditRecordInput): Promise<AuditEntry> {
    const unitId = input.unitId ?? unitIdOfPath(input.unitPath);
    // The path the unit had at the time, for the record (scoped reads join the unit's current one).
    const unitPath =
      input.unitPath ??
      (unitId ? ((await m.query('SELECT path FROM unit WHERE id = ?', [unitId])) as { path: string }[])[0]?.path : undefined) ??
      null;
    const head = await this.lockHead(m);
    const partial: Omit<AuditEntry, 'hash'> = {
      seq: head.lastSeq + 1,
      at: this.clock.now(),
      actorId: input.actorId ?? null,
      actorName: input.actorName ?? null,
      unitId,
      unitPath,
      action: input.action,
      targetType: input.targetType ?? null,
      targetId: input.targetId ?? null,
      result: input.result ?? 'success',
      before: (redactSummary(input.before ?? null) as Record<string, unknown> | null) ?? null,
      after: (redactSummary(input.after ?? null) as Record<string, unknown> | null) ?? null,
      ip: input.ip?.slice(0, 64) ?? null,
      requestId: input.requestId?.slice(0, 64) ?? null,
      prevHash: head.lastHash,
    };
    // Round-trip through JSON so the hash is computed over exactly what the database returns.
    partial.before = partial.before ? JSON.parse(JSON.stringify(partial.before)) : null;
    partial.after = partial.after ? JSON.parse(JSON.stringify(partial.after)) : null;
    const entry = m.create(AuditEntry, { ...partial, hash: entryHash(partial) });
    await m.insert(AuditEntry, entry as never);
    await m.update(AuditHead, { id: 1 }, { lastSeq: entry.seq, lastHash: entry.hash });
    return entry;
  }

  private async lockHead(m: EntityManager): Promise<AuditHead> {
    const mysql = m.connection.options.type === 'mysql' || m.connection.options.type === 'mariadb';
    const find = () =>
      mysql
        ? m.getRepository(AuditHead).createQueryBuilder('h').setLock('pessimistic_write').where('h.id = 1').getOne()
        : m.getRepository(AuditHead).findOne({ where: { id: 1 } });
    let head = await find();
    if (!head) {
      // First append ever: create the head; a concurrent first append hits the primary key and retries the read.
      try {
        await m.insert(AuditHead, { id: 1, lastSeq: 0, lastHash: GENESIS_HASH, anchorSeq: 0, anchorHash: GENESIS_HASH });
      } catch {
        /* created concurrently */
      }
      head = await find();
    }
    return head!;
  }

  /**
   * Entries within `scopePaths`; null is the whole log, including entries that belong to no unit
   * (sign-ins of unknown usernames, refresh-token reuse, failed single sign-on): only an auditor of
   * the whole tree may see those, since no lower unit can be told they are its own.
   */
  async list(scopePaths: string[] | null, q: AuditListQuery): Promise<Page<AuditEntry>> {
    const qb = this.ds.getRepository(AuditEntry).createQueryBuilder('a');
    // Scoped by where the entry's unit is now, not by the path recorded with it: entries are
    // hash-chained and never rewritten, and a unit that moves (机构改革) takes its history along,
    // out of sight of its old supervisors. Entries from before unitId was always filled fall back
    // to their recorded path. The join is one row per entry (unit.id is the key).
    if (scopePaths?.length === 0) qb.andWhere('1 = 0');
    else if (scopePaths) {
      qb.leftJoin('unit', 'scope_u', 'scope_u.id = a.unitId');
      qb.andWhere(
        new Brackets((w) =>
          scopePaths.forEach((p, i) =>
            w.orWhere(`(scope_u.path LIKE :sp${i} OR (a.unitId IS NULL AND a.unitPath LIKE :sp${i}))`, { [`sp${i}`]: `${p}%` }),
          ),
        ),
      );
    }
    if (q.action) qb.andWhere('a.action = :action', { action: q.action });
    if (q.actorId) qb.andWhere('a.actorId = :actorId', { actorId: q.actorId });
    if (q.targetId) qb.andWhere('a.targetId = :targetId', { targetId: q.targetId });
    if (q.from) qb.andWhere('a.at >= :from', { from: q.from });
    if (q.to) qb.andWhere('a.at < :to', { to: q.to });
    if (q.anyOf) {
      const { actions, actorName, targetIds } = q.anyOf;
      qb.andWhere(
        new Brackets((w) => {
          w.where(`a.actorName LIKE :actorLike ${LIKE_ESCAPE}`, { actorLike: containsPattern(actorName) });
          if (actions.length) w.orWhere('a.action IN (:...anyActions)', { anyActions: actions });
          if (targetIds.length) w.orWhere('a.targetId IN (:...anyTargets)', { anyTargets: targetIds });
        }),
      );
    }
    const { skip, take } = pageOffset(q);
    const order = listOrder(q.sort, { seq: 'a.seq', at: 'a.at', action: 'a.action', result: 'a.result' }, [['a.seq', 'DESC']], 'a.seq');
    const [items, total, next] = await fetchPage(applyOrder(qb, order), skip, take, {
      totalOf: ['audit_entry', 'unit'],
      keyset: { order, after: q.after, sorted: !!q.sort },
    });
    return { items, total, next };
  }

  /** Walks the chain from the anchor and names every entry that was edited or deleted. */
  async verify(): Promise<AuditVerifyReport> {
    const head = await this.ds.getRepository(AuditHead).findOne({ where: { id: 1 } });
    const problems: AuditProblem[] = [];
    let expectedSeq = (head?.anchorSeq ?? 0) + 1;
    let prevHash = head?.anchorHash ?? GENESIS_HASH;
    let checked = 0;
    let firstSeq: number | null = null;
    let lastSeq: number | null = null;
    const batch = 1000;
    let after = head?.anchorSeq ?? 0;
    for (;;) {
      const rows = await this.ds
        .getRepository(AuditEntry)
        .createQueryBuilder('a')
        .where('a.seq > :after', { after })
        .orderBy('a.seq', 'ASC')
        .take(batch)
        .getMany();
      if (rows.length === 0) break;
      for (const e of rows) {
        firstSeq ??= e.seq;
        if (e.seq !== expectedSeq) {
          problems.push({
            seq: expectedSeq,
            problem: 'deleted',
            message: `第 ${expectedSeq}–${e.seq - 1} 条记录被删除 / entries ${expectedSeq}–${e.seq - 1} were deleted`,
          });
        }
        const { hash, ...rest } = e;
        if (entryHash(rest) !== hash) {
          problems.push({ seq: e.seq, problem: 'edited', message: `第 ${e.seq} 条记录内容被篡改 / entry ${e.seq} was edited` });
        } else if (e.prevHash !== prevHash && e.seq === expectedSeq) {
          problems.push({
            seq: e.seq,
            problem: 'chain_broken',
            message: `第 ${e.seq} 条记录的前序哈希不符 / entry ${e.seq} does not chain to its predecessor`,
          });
        }
        prevHash = hash;
        expectedSeq = e.seq + 1;
        lastSeq = e.seq;
        checked++;
      }
      after = rows[rows.length - 1]!.seq;
    }
    if (head && head.lastSeq !== (lastSeq ?? head.anchorSeq)) {
      problems.push({
        seq: head.lastSeq,
        problem: lastSeq !== null && lastSeq > head.lastSeq ? 'head_mismatch' : 'deleted',
        message: `最新的记录（至第 ${head.lastSeq} 条）缺失 / the newest entries up to ${head.lastSeq} are missing`,
      });
    } else if (head && lastSeq !== null && head.lastHash !== prevHash) {
      problems.push({
        seq: lastSeq,
        problem: 'edited',
        message: `第 ${lastSeq} 条记录与链头不符 / entry ${lastSeq} does not match the chain head`,
      });
    }
    return { ok: problems.length === 0, checked, firstSeq, lastSeq, problems };
  }

  /**
   * Retention: deletes entries older than `days` and moves the anchor past them, so the chain
   * still verifies from the first kept entry. The purge itself is recorded.
   */
  async purge(days: number): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - days * 86_400_000);
    return this.ds.transaction(async (m) => {
      const head = await this.lockHead(m);
      const last = await m.getRepository(AuditEntry).findOne({ where: { at: LessThan(cutoff) }, order: { seq: 'DESC' } });
      if (!last) return 0;
      const res = await m.createQueryBuilder().delete().from(AuditEntry).where('seq <= :seq', { seq: last.seq }).execute();
      await m.update(AuditHead, { id: 1 }, { anchorSeq: last.seq, anchorHash: last.hash });
      head.anchorSeq = last.seq;
      await this.append(m, {
        action: 'audit.purge',
        targetType: 'audit',
        after: { purgedThroughSeq: last.seq, cutoff: cutoff.toISOString(), retentionDays: days, deleted: res.affected ?? 0 },
      });
      return res.affected ?? 0;
    });
  }
}
