import { localDay, localDaysBetween } from '../local-day';
import type { Rule, RuleOutcome, RuleSet } from './rule';

/** Silence of 14 calendar days is a veto; the unit is warned on these days before it. */
export const SILENCE_BREACH_DAYS = 14;
export const SILENCE_WARNING_DAYS = [7, 10, 13] as const;

/** Where the silence is counted from: the last post, or the opening of an account that never posted. */
export function silenceStart(lastPostAt: Date | null, account: { openedAt: Date | null; createdAt: Date }): Date {
  return lastPostAt ?? account.openedAt ?? account.createdAt;
}

const noUpdate: Rule = {
  id: 'national.no-update',
  kind: 'veto',
  title: { zh: '超过两周未更新', en: 'No update for two weeks' },
  description: {
    zh: `连续 ${SILENCE_BREACH_DAYS} 天（北京时间自然日）无新发布即单项否决；第 ${SILENCE_WARNING_DAYS.join('、')} 天分别预警。通过统发发布与在平台上直接发布均计入。`,
    en: `No post for ${SILENCE_BREACH_DAYS} calendar days (Beijing time) is a veto; warnings on days ${SILENCE_WARNING_DAYS.join(', ')}. Posts through Tongfa and posts made directly on the platform both count.`,
  },
  evaluate(f): RuleOutcome {
    const from = silenceStart(f.activity.lastPostAt, f.account);
    const silentDays = localDaysBetween(from, f.now);
    const evidence = {
      silentDays,
      countedFrom: from.toISOString(),
      lastPostAt: f.activity.lastPostAt?.toISOString() ?? null,
      lastPostUrl: f.activity.lastPostUrl,
      lastPostSource: f.activity.lastPostSource,
      asOf: localDay(f.now),
    };
    if (silentDays >= SILENCE_BREACH_DAYS) return { state: 'breach', step: SILENCE_BREACH_DAYS, evidence };
    const step = [...SILENCE_WARNING_DAYS].reverse().find((d) => silentDays >= d);
    return step ? { state: 'warning', step, evidence } : { state: 'ok', step: null, evidence };
  },
};

const noInteraction: Rule = {
  id: 'national.no-interaction',
  kind: 'veto',
  title: { zh: '无有效互动', en: 'No effective interaction' },
  description: {
    zh: '开设留言、评论等互动功能但长期不回应网民诉求即单项否决。数据来自互动（留言）模块：近 30 天已到答复时限的群众留言一条未回复为不合格，有超过首次响应时限仍未回复的留言为预警；未接入互动模块时状态为“未知”。',
    en: 'Offering comments or messages but not answering the public is a veto. Measured by the inbox: citizens\' messages of the last 30 days due for an answer and none answered is a breach; any message left past its first-response deadline is a warning; "unknown" where the inbox is not connected.',
  },
  evaluate(f): RuleOutcome {
    const i = f.interaction;
    if (!i.known) return { state: 'unknown', step: null, evidence: { reason: 'interaction not measured yet' } };
    const evidence = { ...i };
    if (i.received > 0 && i.answered === 0) return { state: 'breach', step: null, evidence };
    if (i.unansweredOverdue > 0) return { state: 'warning', step: null, evidence };
    return { state: 'ok', step: null, evidence };
  },
};

const expressionErrors: Rule = {
  id: 'national.expression-errors',
  kind: 'veto',
  title: { zh: '严重表述错误', en: 'Serious expression errors' },
  description: {
    zh: '发布内容存在严重表述错误即单项否决。由抽查核实的问题认定；未经抽查时状态为“未知”。',
    en: 'A serious expression error in a post is a veto. Decided by findings confirmed in spot checks; "unknown" until the account is checked.',
  },
  evaluate(f): RuleOutcome {
    const e = f.expression;
    if (!e.checked) return { state: 'unknown', step: null, evidence: { reason: 'not spot-checked yet' } };
    const evidence = {
      checkedAt: e.checkedAt.toISOString(),
      findings: e.findings.map((x) => ({ ...x, foundAt: x.foundAt.toISOString() })),
    };
    return { state: e.findings.length ? 'breach' : 'ok', step: null, evidence };
  },
};

const filing: Rule = {
  id: 'hygiene.filing',
  kind: 'hygiene',
  title: { zh: '未备案或备案逾期', en: 'Not filed or filed late' },
  description: {
    zh: '开设、变更、暂停、注销须在生效后 3 日内向主管单位备案：逾期未备案为不合格，逾期补备案为预警。',
    en: 'Opening, changes, suspension and closure must be filed with the supervisor within 3 days: not filed past the due date fails, filed late warns.',
  },
  evaluate(f): RuleOutcome {
    const evidence = {
      overdue: f.filings.overdue.map((x) => ({ id: x.id, kind: x.kind, dueAt: x.dueAt.toISOString() })),
      late: f.filings.late.map((x) => ({ id: x.id, kind: x.kind, dueAt: x.dueAt.toISOString(), filedAt: x.filedAt.toISOString() })),
    };
    if (evidence.overdue.length) return { state: 'breach', step: null, evidence };
    if (evidence.late.length) return { state: 'warning', step: null, evidence };
    return { state: 'ok', step: null, evidence };
  },
};

const duplicate: Rule = {
  id: 'hygiene.duplicate-account',
  kind: 'hygiene',
  title: { zh: '同一平台重复开设账号', en: 'Two accounts of one unit on one platform' },
  description: {
    zh: '同一单位在同一平台原则上只开设一个账号（一号一平台）；多开的账号列出主管单位批准的理由，供检查核实。',
    en: 'A unit runs one account per platform; a second active one is flagged with the reason the supervisor accepted, for the inspection to check.',
  },
  evaluate(f): RuleOutcome {
    const evidence = { others: f.samePlatformSiblings, exceptionReason: f.account.exceptionReason };
    return { state: f.samePlatformSiblings.length ? 'warning' : 'ok', step: null, evidence };
  },
};

const naming: Rule = {
  id: 'hygiene.naming',
  kind: 'hygiene',
  title: { zh: '名称与主体不一致', en: 'Name inconsistent with the subject' },
  description: {
    zh: '账号名称、认证主体应与开设单位一致（账号管理中的命名检查）；尚未核对时为“未知”。',
    en: 'The account’s name and verified subject must match the unit (the accounts context’s naming check); "unknown" until checked.',
  },
  evaluate(f): RuleOutcome {
    const issues = f.account.namingIssues;
    if (issues === null) return { state: 'unknown', step: null, evidence: { reason: 'naming not checked yet' } };
    return { state: issues.length ? 'warning' : 'ok', step: null, evidence: { issues } };
  },
};

/** 全国政府网站与政务新媒体检查指标（单项否决）and the account hygiene every jurisdiction checks. */
export const NATIONAL_RULES: RuleSet = {
  id: 'national',
  version: '2026.1',
  jurisdiction: { zh: '全国', en: 'National' },
  regionPrefix: '',
  basis: {
    zh: '国务院办公厅《政府网站与政务新媒体检查指标》单项否决项；政务新媒体开设、备案管理要求',
    en: 'The State Council General Office’s inspection indicators for government websites and new media (veto items); account opening and filing rules',
  },
  rules: [noUpdate, noInteraction, expressionErrors, filing, duplicate, naming],
  // 国办发〔2018〕123号: supervisors spot-check at least 30% of their accounts each quarter.
  spotCheck: { minRatio: 0.3, cadence: 'quarter' },
};
