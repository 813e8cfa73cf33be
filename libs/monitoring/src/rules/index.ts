import { GUANGDONG_RULES } from './guangdong';
import { NATIONAL_RULES } from './national';
import { LIAONING_RULES } from './liaoning';
import type { RuleSet } from './rule';

export * from './rule';
export * from './national';
export * from './guangdong';
export * from './liaoning';

/** Every rule set Tongfa knows; the national one applies everywhere, a province's by region code. */
export const RULE_SETS: readonly RuleSet[] = [NATIONAL_RULES, GUANGDONG_RULES, LIAONING_RULES];

/** The rule sets that apply to an account whose province root has this region code. */
export function ruleSetsFor(regionCode: string | null): RuleSet[] {
  return RULE_SETS.filter((s) => s.regionPrefix === '' || (regionCode ?? '').startsWith(s.regionPrefix));
}

/** The spot-check duty of a province with this region code: the most specific set that states one. */
export function spotCheckDutyFor(regionCode: string | null): { ruleSet: RuleSet; minRatio: number; cadence: 'quarter' | 'month' } {
  const set = ruleSetsFor(regionCode)
    .filter((s) => s.spotCheck)
    .sort((a, b) => b.regionPrefix.length - a.regionPrefix.length)[0]!;
  return { ruleSet: set, ...set.spotCheck! };
}
