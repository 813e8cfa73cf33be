import type { Message } from '@tongfa/core';
import type { RuleStateValue } from '../entities';
import type { InteractionFact } from '../interaction-facts';
import type { ExpressionFact } from '../expression-findings';

/** What the rules know of one account when they are evaluated; gathered by the evaluation service. */
export interface AccountFacts {
  now: Date;
  account: {
    id: string;
    name: string;
    platform: string;
    unitId: string;
    status: string;
    openedAt: Date | null;
    createdAt: Date;
    /** The accounts context's naming check: null when not yet checked. */
    namingIssues: string[] | null;
    exceptionReason: string | null;
  };
  activity: {
    lastPostAt: Date | null;
    lastPostUrl: string | null;
    lastPostSource: string | null;
    /** Posts per local day (`YYYY-MM-DD` → count), both sources, at least the last 14 days. */
    postsByDay: Record<string, number>;
  };
  /** Filings (备案) of the account that are overdue (not filed past due) or were filed late. */
  filings: { overdue: { id: string; kind: string; dueAt: Date }[]; late: { id: string; kind: string; dueAt: Date; filedAt: Date }[] };
  /** Other active accounts of the same unit on the same platform. */
  samePlatformSiblings: { id: string; name: string }[];
  interaction: InteractionFact;
  expression: ExpressionFact;
}

export interface RuleOutcome {
  state: RuleStateValue;
  /** The warning step reached (e.g. the day of silence); null when the rule has no steps. */
  step: number | null;
  /** The facts that decided the outcome, stored with the state for the supervisor to check. */
  evidence: Record<string, unknown>;
}

/** One inspection rule: pure, so the same facts always give the same outcome. */
export interface Rule {
  /** Stable id across versions, e.g. `national.no-update`. */
  id: string;
  kind: 'veto' | 'province' | 'hygiene';
  title: Message;
  /** What the rule checks and why, in the inspection's words. */
  description: Message;
  evaluate(facts: AccountFacts): RuleOutcome;
}

/** A versioned set of rules of one jurisdiction; a change of any rule's logic bumps the version. */
export interface RuleSet {
  id: string;
  version: string;
  jurisdiction: Message;
  /** Administrative division code prefix the set applies to (`''` = the whole country). */
  regionPrefix: string;
  /** The document the rules come from. */
  basis: Message;
  rules: Rule[];
  /**
   * The jurisdiction's spot-check duty (抽查): the least share of its accounts a supervisor must check
   * per period. The most specific set that states one decides (a province's over the national).
   */
  spotCheck?: { minRatio: number; cadence: 'quarter' | 'month' };
}

export const RISK_RANK: Record<RuleStateValue, number> = { ok: 0, unknown: 1, warning: 2, breach: 3 };
