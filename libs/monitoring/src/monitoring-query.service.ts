import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, In, MoreThanOrEqual } from 'typeorm';
import { Clock, Message, Page, PageQuery, pageOffset } from '@tongfa/core';
import { fetchPage, pathInScope, whereInScope } from '@tongfa/database';
import { Account } from '@tongfa/accounts';
import { Actor, Permission, Unit } from '@tongfa/identity';
import { ActivityDay, MonitoredAccount, PostSource, RuleState, RuleStateValue } from './entities';
import { addDays, localDay, weekOf } from './local-day';
import { MonitoringError, MonitoringException } from './monitoring.exception';
import { RULE_SETS, RuleSet } from './rules';

export interface MonitoringListQuery extends PageQuery {
  unitId?: string;
  platform?: string;
  /** With `state`: accounts in that state for this rule; alone: accounts with any state for it. */
  rule?: string;
  /** Without `rule`: the account's worst state. */
  state?: RuleStateValue;
}

export interface RuleStateView {
  ruleId: string;
  state: RuleStateValue;
  step: number | null;
  since: Date;
  evidence: Record<string, unknown>;
  ruleSet: string;
  ruleSetVersion: string;
  evaluatedAt: Date;
}

export interface MonitoredAccountView {
  accountId: string;
  name: string | null;
  unitId: string;
  unitPath: string;
  platform: string;
  lastPostAt: Date | null;
  lastPostUrl: string | null;
  lastPostSource: PostSource | null;
  silentDays: number;
  postsLast7Days: number;
  worstState: RuleStateValue;
  rolledUpAt: Date | null;
  rules: RuleStateView[];
}

/** Posts in one ISO week (Monday, Beijing calendar), both sources. */
export interface WeekPosts {
  week: string;
  tongfa: number;
  native: number;
}

/** The latest day the platform gave figures for (null fields: the platform does not give that one). */
export interface MetricsView {
  day: string;
  followers: number | null;
  reads: number | null;
  likes: number | null;
  comments: number | null;
}

export interface MonitoredAccountDetail extends MonitoredAccountView {
  /** The last WEEKS ISO weeks, oldest first, the current (partial) week last. */
  weeks: WeekPosts[];
  metrics: MetricsView | null;
}

/** Weeks of history on the account page: a quarter, the period of a provincial spot check. */
export const ACTIVITY_WEEKS = 12;

export interface RuleSetView {
  id: string;
  version: string;
  jurisdiction: Message;
  regionPrefix: string;
  basis: Message;
  rules: { id: string; kind: string; title: Message; description: Message }[];
  spotCheck: { minRatio: number; cadence: 'quarter' | 'month' } | null;
}

/** Reads of monitoring for the supervisors' dashboard: always within the caller's subtree. */
@Injectable()
export class MonitoringQueryService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The accounts of the caller's subtree, at risk first (breach, warning, unknown, ok; then longest silence). */
  async list(actor: Actor, q: MonitoringListQuery): Promise<Page<MonitoredAccountView>> {
    const scope = actor.scope(Permission.MonitoringRead);
    if (!scope.length) throw new MonitoringException(MonitoringError.NotPermitted);
    const qb = this.ds.getRepository(MonitoredAccount).createQueryBuilder('m');
    whereInScope(qb, 'm.unitPath', scope);
    if (q.unitId) {
      const unit = await this.ds.getRepository(Unit).findOne({ where: { id: q.unitId }, select: { id: true, path: true } });
      if (!unit || !pathInScope(unit.path, scope)) throw new MonitoringException(MonitoringError.UnitNotFound);
      qb.andWhere('m.unitPath LIKE :unitPrefix', { unitPrefix: `${unit.path}%` });
    }
    if (q.platform) qb.andWhere('m.platform = :platform', { platform: q.platform });
    if (q.rule) {
      // A join on the rule's rows (one per account and rule, so no duplicates), which the index
      // (ruleId, state, unitPath) narrows to the subtree's accounts in that state.
      qb.innerJoin(RuleState, 'r', 'r.accountId = m.accountId AND r.ruleId = :rule', { rule: q.rule });
      // The same subtree on the rule row's own path copy, so the index range applies to it too.
      qb.andWhere(new Brackets((w) => scope.forEach((p, i) => w.orWhere(`r.unitPath LIKE :rscope${i}`, { [`rscope${i}`]: `${p}%` }))));
      if (q.state) qb.andWhere('r.state = :state', { state: q.state });
    } else if (q.state) {
      qb.andWhere('m.worstState = :state', { state: q.state });
    }
    qb.orderBy('m.riskRank', 'DESC').addOrderBy('m.silentDays', 'DESC').addOrderBy('m.accountId', 'ASC');
    const { skip, take } = pageOffset(q);
    const [rows, total] = await fetchPage(qb, skip, take);
    if (!rows.length) return { items: [], total };
    const ids = rows.map((r) => r.accountId);
    const [names, states] = await Promise.all([
      this.ds.getRepository(Account).find({ where: { id: In(ids) }, select: { id: true, name: true } }),
      this.ds.getRepository(RuleState).find({ where: { accountId: In(ids) }, order: { ruleId: 'ASC' } }),
    ]);
    const nameOf = new Map(names.map((a) => [a.id, a.name]));
    return {
      total,
      items: rows.map((r) => view(r, nameOf.get(r.accountId) ?? null, states)),
    };
  }

  /**
   * One account of the caller's subtree with its weekly posts and latest metrics; an account
   * outside the subtree is not found (its existence is not revealed).
   */
  async account(actor: Actor, accountId: string): Promise<MonitoredAccountDetail> {
    const scope = actor.scope(Permission.MonitoringRead);
    if (!scope.length) throw new MonitoringException(MonitoringError.NotPermitted);
    const row = await this.ds.getRepository(MonitoredAccount).findOneBy({ accountId });
    if (!row || !pathInScope(row.unitPath, scope)) throw new MonitoringException(MonitoringError.AccountNotFound);
    const thisWeek = weekOf(localDay(this.clock.now()));
    const firstWeek = addDays(thisWeek, -7 * (ACTIVITY_WEEKS - 1));
    const [account, states, days] = await Promise.all([
      this.ds.getRepository(Account).findOne({ where: { id: accountId }, select: { id: true, name: true } }),
      this.ds.getRepository(RuleState).find({ where: { accountId }, order: { ruleId: 'ASC' } }),
      // Folded weeks carry their Monday as `day`, so the same range covers daily and weekly rows.
      this.ds.getRepository(ActivityDay).find({ where: { accountId, day: MoreThanOrEqual(firstWeek) }, order: { day: 'ASC' } }),
    ]);
    const weeks: WeekPosts[] = Array.from({ length: ACTIVITY_WEEKS }, (_, i) => ({
      week: addDays(firstWeek, 7 * i),
      tongfa: 0,
      native: 0,
    }));
    const byWeek = new Map(weeks.map((w) => [w.week, w]));
    for (const d of days) {
      const w = byWeek.get(weekOf(d.day));
      if (!w) continue;
      w.tongfa += d.postsTongfa;
      w.native += d.postsNative;
    }
    const withMetrics = [...days].reverse().find((d) => [d.followers, d.reads, d.likes, d.comments].some((v) => v !== null));
    return {
      ...view(row, account?.name ?? null, states),
      weeks,
      metrics: withMetrics
        ? {
            day: withMetrics.day,
            followers: withMetrics.followers,
            reads: withMetrics.reads,
            likes: withMetrics.likes,
            comments: withMetrics.comments,
          }
        : null,
    };
  }

  /** The rule sets as code, with versions and their documentation in Chinese and English. */
  ruleSets(): RuleSetView[] {
    return RULE_SETS.map((s: RuleSet) => ({
      id: s.id,
      version: s.version,
      jurisdiction: s.jurisdiction,
      regionPrefix: s.regionPrefix,
      basis: s.basis,
      rules: s.rules.map((r) => ({ id: r.id, kind: r.kind, title: r.title, description: r.description })),
      spotCheck: s.spotCheck ?? null,
    }));
  }
}

function view(r: MonitoredAccount, name: string | null, states: RuleState[]): MonitoredAccountView {
  return {
    accountId: r.accountId,
    name,
    unitId: r.unitId,
    unitPath: r.unitPath,
    platform: r.platform,
    lastPostAt: r.lastPostAt,
    lastPostUrl: r.lastPostUrl,
    lastPostSource: r.lastPostSource,
    silentDays: r.silentDays,
    postsLast7Days: r.postsLast7Days,
    worstState: r.worstState,
    rolledUpAt: r.rolledUpAt,
    rules: states
      .filter((s) => s.accountId === r.accountId)
      .map((s) => ({
        ruleId: s.ruleId,
        state: s.state,
        step: s.step,
        since: s.since,
        evidence: s.evidence,
        ruleSet: s.ruleSet,
        ruleSetVersion: s.ruleSetVersion,
        evaluatedAt: s.evaluatedAt,
      })),
  };
}
