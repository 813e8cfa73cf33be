import { Injectable } from '@nestjs/common';
import { EntityManager, In, IsNull, LessThan } from 'typeorm';
import { AlertsService, DutyAlertKind, DutyAlertSeverity } from '@tongfa/alerts';
import { Account, AccountStatus, Filing } from '@tongfa/accounts';
import { Unit } from '@tongfa/identity';
import { formatLocalTime } from '@tongfa/core';
import { RuleState, RuleStateValue } from './entities';
import { InteractionFacts } from './interaction-facts';
import { ExpressionFindings } from './expression-findings';
import { upsertRows } from './upsert';
import { AccountFacts, RISK_RANK, Rule, RuleOutcome, RuleSet, ruleSetsFor } from './rules';

/** Accounts the inspection counts: opened and running. */
export const MONITORED_STATUSES = [AccountStatus.Opened, AccountStatus.Active];

/** The days of citizens' messages the 不互动 veto looks back over. */
export const INTERACTION_WINDOW_DAYS = 30;

/** What the roll-up measured of one account, handed to the rules. */
export interface MeasuredActivity {
  lastPostAt: Date | null;
  lastPostUrl: string | null;
  lastPostSource: string | null;
  postsByDay: Record<string, number>;
}

export interface Evaluated {
  worst: RuleStateValue;
  rank: number;
}

const parentPath = (path: string) => path.replace(/[^/]+\/$/, '');
const parentId = (path: string) => path.split('/').filter(Boolean).slice(-2, -1)[0] ?? null;
const rootId = (path: string) => path.split('/').filter(Boolean)[0]!;

/**
 * Runs the rule sets that apply to each account over the facts the roll-up gathered, stores each
 * outcome with its evidence, and raises a duty alert on each new warning step or breach.
 */
@Injectable()
export class RuleEvaluationService {
  constructor(
    private readonly alerts: AlertsService,
    private readonly interaction: InteractionFacts,
    private readonly expression: ExpressionFindings,
  ) {}

  /** Evaluates a batch in the caller's transaction; returns the worst state per account. */
  async evaluate(
    m: EntityManager,
    accounts: Account[],
    activity: Map<string, MeasuredActivity>,
    now: Date,
  ): Promise<Map<string, Evaluated>> {
    const ids = accounts.map((a) => a.id);
    const out = new Map<string, Evaluated>();
    if (!ids.length) return out;
    // The facts of the whole batch in a few queries, not per account.
    const [filings, siblings, roots, interaction, expression, previous] = await Promise.all([
      m.find(Filing, {
        where: [
          { accountId: In(ids), filedAt: IsNull(), dueAt: LessThan(now) },
          { accountId: In(ids), late: true },
        ],
        select: { id: true, accountId: true, kind: true, dueAt: true, filedAt: true },
      }),
      m.find(Account, {
        where: { unitId: In([...new Set(accounts.map((a) => a.unitId))]), status: In(MONITORED_STATUSES) },
        select: { id: true, unitId: true, platform: true, name: true },
      }),
      m.find(Unit, { where: { id: In([...new Set(accounts.map((a) => rootId(a.unitPath)))]) }, select: { id: true, regionCode: true } }),
      this.interaction.forAccounts(ids, INTERACTION_WINDOW_DAYS, now),
      this.expression.forAccounts(ids),
      m.find(RuleState, { where: { accountId: In(ids) } }),
    ]);
    const region = new Map(roots.map((u) => [u.id, u.regionCode]));
    const group = <T>(rows: T[], key: (r: T) => string) => {
      const out = new Map<string, T[]>();
      for (const r of rows) (out.get(key(r)) ?? out.set(key(r), []).get(key(r))!).push(r);
      return out;
    };
    const filingsOf = group(filings, (f) => f.accountId);
    const siblingsOf = group(siblings, (s) => `${s.unitId}\u0000${s.platform}`);
    const before = new Map(previous.map((s) => [`${s.accountId}\u0000${s.ruleId}`, s]));
    const rows: RuleState[] = [];
    for (const a of accounts) {
      const act = activity.get(a.id) ?? { lastPostAt: null, lastPostUrl: null, lastPostSource: null, postsByDay: {} };
      const facts: AccountFacts = {
        now,
        account: {
          id: a.id,
          name: a.name,
          platform: a.platform,
          unitId: a.unitId,
          status: a.status,
          openedAt: a.openedAt,
          createdAt: a.createdAt,
          namingIssues: a.namingIssues,
          exceptionReason: a.exceptionReason,
        },
        activity: act,
        filings: {
          overdue: (filingsOf.get(a.id) ?? []).filter((f) => !f.filedAt),
          late: (filingsOf.get(a.id) ?? []).filter((f) => f.filedAt).map((f) => ({ ...f, filedAt: f.filedAt! })),
        },
        samePlatformSiblings: (siblingsOf.get(`${a.unitId}\u0000${a.platform}`) ?? [])
          .filter((s) => s.id !== a.id)
          .map((s) => ({ id: s.id, name: s.name })),
        interaction: interaction.get(a.id) ?? { known: false },
        expression: expression.get(a.id) ?? { checked: false },
      };
      let worst: RuleStateValue = 'ok';
      for (const set of ruleSetsFor(region.get(rootId(a.unitPath)) ?? null)) {
        for (const rule of set.rules) {
          const outcome = rule.evaluate(facts);
          const prev = before.get(`${a.id}\u0000${rule.id}`);
          const changed = !prev || prev.state !== outcome.state || prev.step !== outcome.step;
          const row = m.create(RuleState, {
            accountId: a.id,
            ruleId: rule.id,
            unitId: a.unitId,
            unitPath: a.unitPath,
            state: outcome.state,
            step: outcome.step,
            since: changed ? now : prev.since,
            evidence: outcome.evidence,
            ruleSet: set.id,
            ruleSetVersion: set.version,
            evaluatedAt: now,
          });
          rows.push(row);
          if (RISK_RANK[outcome.state] > RISK_RANK[worst]) worst = outcome.state;
          if (changed && (outcome.state === 'warning' || outcome.state === 'breach')) await this.raise(m, a, set, rule, outcome, row.since);
        }
      }
      out.set(a.id, { worst, rank: RISK_RANK[worst] });
    }
    await upsertRows(
      m,
      RuleState,
      rows,
      ['unitId', 'unitPath', 'state', 'step', 'since', 'evidence', 'ruleSet', 'ruleSetVersion', 'evaluatedAt'],
      ['accountId', 'ruleId'],
    );
    // A rule dropped from every applicable set leaves no stale state behind.
    const current = new Set(rows.map((r) => `${r.accountId}\u0000${r.ruleId}`));
    const stale = previous.filter((s) => !current.has(`${s.accountId}\u0000${s.ruleId}`));
    for (const s of stale) await m.delete(RuleState, { accountId: s.accountId, ruleId: s.ruleId });
    return out;
  }

  /**
   * One alert per account, rule, step and episode: the episode is where the silence was counted from
   * (a new post starts a new one) or, for other rules, when the state began, so a late or repeated
   * sweep raises nothing twice. Warnings go to the unit; a breach to the unit and its supervising unit.
   */
  private async raise(m: EntityManager, a: Account, set: RuleSet, rule: Rule, o: RuleOutcome, since: Date): Promise<void> {
    const episode = typeof o.evidence.countedFrom === 'string' ? Date.parse(o.evidence.countedFrom) : since.getTime();
    const key = `monitoring:${rule.id}:${a.id}:${episode}:${o.state}:${o.step ?? ''}`;
    const breach = o.state === 'breach';
    const silent = rule.id === 'national.no-update' && typeof o.evidence.silentDays === 'number' ? o.evidence.silentDays : null;
    const detail =
      silent !== null
        ? {
            zh: `已连续 ${silent} 天未更新（最近发布：${o.evidence.lastPostAt ? formatLocalTime(new Date(String(o.evidence.lastPostAt))) : '无'}）。`,
            en: `No post for ${silent} days (last post: ${o.evidence.lastPostAt ? formatLocalTime(new Date(String(o.evidence.lastPostAt)), 'en') : 'none'}).`,
          }
        : { zh: rule.description.zh, en: rule.description.en };
    const base = {
      kind: breach ? DutyAlertKind.MonitoringBreach : DutyAlertKind.MonitoringWarning,
      severity: breach ? DutyAlertSeverity.Critical : DutyAlertSeverity.Warning,
      title: {
        zh: `${breach ? '监测不合格' : '监测预警'}：${a.name}（${rule.title.zh}）`,
        en: `${breach ? 'Inspection breach' : 'Inspection warning'}: ${a.name} (${rule.title.en})`,
      },
      message: {
        zh: `账号“${a.name}”${detail.zh} 规则：${set.jurisdiction.zh} ${set.version}。`,
        en: `Account "${a.name}": ${detail.en} Rule set: ${set.jurisdiction.en} ${set.version}.`,
      },
      link: { type: 'account', id: a.id },
    };
    await this.alerts.raise({ ...base, unitId: a.unitId, unitPath: a.unitPath, dedupeKey: key }, m);
    const supervisor = parentId(a.unitPath);
    if (breach && supervisor) {
      await this.alerts.raise({ ...base, unitId: supervisor, unitPath: parentPath(a.unitPath), dedupeKey: `${key}:sup` }, m);
    }
  }
}

/** Rule ids of every set, for validating a filter. */
export function knownRuleIds(sets: readonly RuleSet[]): string[] {
  return sets.flatMap((s) => s.rules.map((r) => r.id));
}
