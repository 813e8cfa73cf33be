import type { RuleSet } from './rule';

/**
 * Liaoning adds no rule of its own to the national set but checks more often and more widely:
 * at least half of the accounts every month.
 */
export const LIAONING_RULES: RuleSet = {
  id: 'liaoning',
  version: '2026.1',
  jurisdiction: { zh: '辽宁省', en: 'Liaoning' },
  regionPrefix: '21',
  basis: {
    zh: '辽宁省政务新媒体监督检查要求（每月抽查不少于 50%）',
    en: 'Liaoning’s new-media supervision rules (at least 50% checked monthly)',
  },
  rules: [],
  spotCheck: { minRatio: 0.5, cadence: 'month' },
};
