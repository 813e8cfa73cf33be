import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, DataSource, In } from 'typeorm';
import { Clock, PageQuery, pageOffset } from '@tongfa/core';
import { pathInScope, whereInScope } from '@tongfa/database';
import { Account } from '@tongfa/accounts';
import { Actor, Permission, Unit } from '@tongfa/identity';
import { ActivityDay, addDays, localDay, MONITORED_STATUSES, RULE_SETS, RuleState, weekOf } from '@tongfa/monitoring';
import { RANKING_FORMULA_VERSION, RankingDay, RankingInputs, rankingInputs, RankingParts, rankingScore } from './ranking';
import { SupervisionError, SupervisionException } from './supervision.exception';

export interface RankingQuery extends PageQuery {
  period: 'week' | 'month';
  at?: Date;
  level?: string;
  unitId?: string;
}

export interface RankingRow {
  level: string;
  /** 1 = best within the level. */
  rank: number;
  accountId: string;
  accountName: string;
  platform: string;
  unitId: string;
  unitName: string;
  score: number;
  parts: RankingParts;
  inputs: RankingInputs;
}

export interface RankingView {
  formulaVersion: string;
  period: 'week' | 'month';
  from: string;
  to: string;
  /** Accounts ranked per level: level by level (province → department), best first inside each. */
  items: RankingRow[];
  total: number;
}

const LEVEL_ORDER = ['province', 'city', 'county', 'township', 'department'];
const VETO_RULES = RULE_SETS.flatMap((s) => s.rules.filter((r) => r.kind === 'veto').map((r) => r.id));
const CHUNK = 500;

/** The days a ranking covers: the ISO week or calendar month of `at` (Beijing time), up to `at`'s day. */
export function rankingDays(period: 'week' | 'month', at: Date): string[] {
  const today = localDay(at);
  const first = period === 'week' ? weekOf(today) : `${today.slice(0, 8)}01`;
  const days: string[] = [];
  for (let d = first; d <= today; d = addDays(d, 1)) days.push(d);
  return days;
}

/** 周榜/月榜: accounts of the caller's subtree ranked per unit level by the versioned formula, inputs beside each score. */
@Injectable()
export class RankingsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  async rank(actor: Actor, q: RankingQuery): Promise<RankingView> {
    const scope = actor.scope(Permission.MonitoringRead);
    if (!scope.length) throw new SupervisionException(SupervisionError.NotPermitted);
    let paths = scope;
    if (q.unitId) {
      const unit = await this.ds.getRepository(Unit).findOne({ where: { id: q.unitId }, select: { id: true, path: true } });
      if (!unit || !pathInScope(unit.path, scope)) throw new SupervisionException(SupervisionError.RankingUnitNotFound);
      paths = [unit.path];
    }
    const days = rankingDays(q.period, q.at ?? this.clock.now());
    const qb = this.ds
      .getRepository(Account)
      .createQueryBuilder('a')
      .innerJoin(Unit, 'u', 'u.id = a.unitId')
      .select(['a.id AS id', 'a.name AS name', 'a.platform AS platform', 'a.unitId AS unitId', 'u.name AS unitName', 'u.level AS level'])
      .where('a.status IN (:...statuses)', { statuses: MONITORED_STATUSES });
    whereInScope(qb, 'a.unitPath', paths);
    if (q.level) qb.andWhere('u.level = :level', { level: q.level });
    const accounts = await qb.getRawMany<{ id: string; name: string; platform: string; unitId: string; unitName: string; level: string }>();
    const rows: RankingRow[] = [];
    for (let i = 0; i < accounts.length; i += CHUNK) {
      const chunk = accounts.slice(i, i + CHUNK);
      const ids = chunk.map((a) => a.id);
      const [activity, breaches] = await Promise.all([
        this.ds.getRepository(ActivityDay).find({
          where: { accountId: In(ids), day: Between(days[0]!, days[days.length - 1]!) },
          select: { accountId: true, day: true, postsTongfa: true, postsNative: true, reads: true, likes: true, comments: true },
        }),
        this.ds.getRepository(RuleState).find({
          where: { accountId: In(ids), ruleId: In(VETO_RULES), state: 'breach' },
          select: { accountId: true, ruleId: true },
        }),
      ]);
      const daysOf = new Map<string, RankingDay[]>();
      for (const r of activity) {
        (daysOf.get(r.accountId) ?? daysOf.set(r.accountId, []).get(r.accountId)!).push({
          day: r.day,
          posts: r.postsTongfa + r.postsNative,
          reads: r.reads,
          likes: r.likes,
          comments: r.comments,
        });
      }
      const vetoOf = new Map<string, string[]>();
      for (const b of breaches) (vetoOf.get(b.accountId) ?? vetoOf.set(b.accountId, []).get(b.accountId)!).push(b.ruleId);
      for (const a of chunk) {
        const inputs = rankingInputs(days, daysOf.get(a.id) ?? [], vetoOf.get(a.id) ?? []);
        const { score, parts } = rankingScore(inputs);
        rows.push({
          level: a.level,
          rank: 0,
          accountId: a.id,
          accountName: a.name,
          platform: a.platform,
          unitId: a.unitId,
          unitName: a.unitName,
          score,
          parts,
          inputs,
        });
      }
    }
    const lv = (l: string) => (LEVEL_ORDER.includes(l) ? LEVEL_ORDER.indexOf(l) : LEVEL_ORDER.length);
    rows.sort((x, y) => lv(x.level) - lv(y.level) || y.score - x.score || (x.accountId < y.accountId ? -1 : 1));
    let prevLevel = '';
    let rank = 0;
    for (const r of rows) {
      rank = r.level === prevLevel ? rank + 1 : 1;
      prevLevel = r.level;
      r.rank = rank;
    }
    const { skip, take } = pageOffset(q);
    return {
      formulaVersion: RANKING_FORMULA_VERSION,
      period: q.period,
      from: days[0]!,
      to: days[days.length - 1]!,
      items: rows.slice(skip, skip + take),
      total: rows.length,
    };
  }
}
