import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Account } from '@tongfa/accounts';
import { Clock } from '@tongfa/core';
import { pathInScope, whereInScope } from '@tongfa/database';
import { Actor, Permission, Unit } from '@tongfa/identity';
import { InboxThread } from './entities';
import { InboxError, InboxException } from './inbox.exception';

const DAY = 86_400_000;

export interface MetricsQuery {
  unitId?: string;
  /** Threads whose first item arrived in [from, to). Default: the last 30 days. */
  from?: Date;
  to?: Date;
  /** "Unanswered older than N days" (default 3). */
  olderThanDays?: number;
}

export interface InteractionMetrics {
  threads: number;
  answered: number;
  /** answered / threads; null without threads. */
  responseRate: number | null;
  /** Median working minutes to the first answer, of the answered threads. */
  medianFirstResponseMinutes: number | null;
  /** Share of threads answered by their first-response deadline (of all threads in the period). */
  withinSlaRate: number | null;
  /** Open threads (any period) whose first item is older than `olderThanDays`. */
  unansweredOlder: number;
}

export interface MetricsView {
  from: Date;
  to: Date;
  olderThanDays: number;
  total: InteractionMetrics;
  accounts: (InteractionMetrics & { accountId: string; accountName: string | null; platform: string; unitId: string })[];
  units: (InteractionMetrics & { unitId: string })[];
}

type Row = Pick<
  InboxThread,
  'accountId' | 'platform' | 'unitId' | 'state' | 'firstIncomingAt' | 'firstResponseMinutes' | 'respondedInTime'
>;

export function median(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The metrics of a set of threads: `inPeriod` for rates, `open` for the unanswered backlog. */
export function summarize(inPeriod: readonly Row[], openOld: readonly Row[]): InteractionMetrics {
  const answered = inPeriod.filter((r) => r.firstResponseMinutes !== null);
  const n = inPeriod.length;
  return {
    threads: n,
    answered: answered.length,
    responseRate: n ? answered.length / n : null,
    medianFirstResponseMinutes: median(answered.map((r) => r.firstResponseMinutes!)),
    withinSlaRate: n ? inPeriod.filter((r) => r.respondedInTime === true).length / n : null,
    unansweredOlder: openOld.length,
  };
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
  return m;
}

/**
 * Interaction metrics per account and unit: the inputs the monitoring rules use for the 不互动
 * veto. Counted from the threads of the period in the caller's subtree.
 */
@Injectable()
export class InboxMetricsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  async metrics(actor: Actor, q: MetricsQuery): Promise<MetricsView> {
    const scope = actor.scope(Permission.InboxRead);
    const now = this.clock.now();
    const to = q.to ?? now;
    const from = q.from ?? new Date(to.getTime() - 30 * DAY);
    const olderThanDays = q.olderThanDays ?? 3;
    let under: string | null = null;
    if (q.unitId) {
      const unit = await this.ds.getRepository(Unit).findOneBy({ id: q.unitId });
      if (!unit || !pathInScope(unit.path, scope)) throw new InboxException(InboxError.UnitNotFound);
      under = unit.path;
    }
    const base = () => {
      const qb = this.ds
        .getRepository(InboxThread)
        .createQueryBuilder('t')
        .select(['t.accountId', 't.platform', 't.unitId', 't.state', 't.firstIncomingAt', 't.firstResponseMinutes', 't.respondedInTime']);
      whereInScope(qb, 't.unitPath', scope);
      if (under) qb.andWhere('t.unitPath LIKE :under', { under: `${under}%` });
      return qb;
    };
    const inPeriod = await base().andWhere('t.firstIncomingAt >= :from AND t.firstIncomingAt < :to', { from, to }).getMany();
    const openOld = await base()
      .andWhere("t.state IN ('new', 'assigned') AND t.firstIncomingAt < :old", { old: new Date(now.getTime() - olderThanDays * DAY) })
      .getMany();
    const byAccount = groupBy(inPeriod, (r) => r.accountId);
    const oldByAccount = groupBy(openOld, (r) => r.accountId);
    const accountIds = [...new Set([...byAccount.keys(), ...oldByAccount.keys()])].sort();
    const names = accountIds.length
      ? new Map(
          (await this.ds.getRepository(Account).find({ where: { id: In(accountIds) }, select: { id: true, name: true } })).map((a) => [
            a.id,
            a.name,
          ]),
        )
      : new Map<string, string>();
    const byUnit = groupBy(inPeriod, (r) => r.unitId);
    const oldByUnit = groupBy(openOld, (r) => r.unitId);
    const unitIds = [...new Set([...byUnit.keys(), ...oldByUnit.keys()])].sort();
    return {
      from,
      to,
      olderThanDays,
      total: summarize(inPeriod, openOld),
      accounts: accountIds.map((id) => {
        const any = (byAccount.get(id) ?? oldByAccount.get(id))![0]!;
        return {
          accountId: id,
          accountName: names.get(id) ?? null,
          platform: any.platform,
          unitId: any.unitId,
          ...summarize(byAccount.get(id) ?? [], oldByAccount.get(id) ?? []),
        };
      }),
      units: unitIds.map((id) => ({ unitId: id, ...summarize(byUnit.get(id) ?? [], oldByUnit.get(id) ?? []) })),
    };
  }
}
