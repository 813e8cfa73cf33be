import { addDays, localDay } from '../local-day';
import type { Rule, RuleSet } from './rule';

const weekly: Rule = {
  id: 'guangdong.weekly-update',
  kind: 'province',
  title: { zh: '每周至少更新一次', en: 'At least one post a week' },
  description: {
    zh: '广东省要求政务新媒体每周（最近 7 个自然日）至少更新一次；未达到为不合格。',
    en: 'Guangdong requires at least one post in every week (the last 7 calendar days); none fails.',
  },
  evaluate(f) {
    const today = localDay(f.now);
    const days = Array.from({ length: 7 }, (_, i) => addDays(today, -i));
    const posts = days.reduce((n, d) => n + (f.activity.postsByDay[d] ?? 0), 0);
    const evidence = { from: days[6], to: today, posts };
    return { state: posts > 0 ? 'ok' : 'breach', step: null, evidence };
  },
};

/** An example of a province's additions on top of the national set. */
export const GUANGDONG_RULES: RuleSet = {
  id: 'guangdong',
  version: '2026.1',
  jurisdiction: { zh: '广东省', en: 'Guangdong' },
  regionPrefix: '44',
  basis: { zh: '广东省政务新媒体检查要求（每周更新）', en: 'Guangdong’s new-media inspection requirements (weekly updates)' },
  rules: [weekly],
  spotCheck: { minRatio: 0.3, cadence: 'quarter' },
};
