import { GUANGDONG_RULES } from './guangdong';
import { NATIONAL_RULES } from './national';
import type { RuleSet } from './rule';

export * from './rule';
export * from './national';
export * from './guangdong';

/** Every rule set Tongfa knows; the national one applies everywhere, a province's by region code. */
export const RULE_SETS: readonly RuleSet[] = [NATIONAL_RULES, GUANGDONG_RULES];

/** The rule sets that apply to an account whose province root has this region code. */
export function ruleSetsFor(regionCode: string | null): RuleSet[] {
  return RULE_SETS.filter((s) => s.regionPrefix === '' || (regionCode ?? '').startsWith(s.regionPrefix));
}
