import type { Lang } from './i18n';
import type { Text } from './notifications';

// 监测 and 值班 pages: shapes of the monitoring and duty APIs and their labels.

export type RuleStateValue = 'ok' | 'warning' | 'breach' | 'unknown';

export interface RuleStateItem {
  ruleId: string;
  state: RuleStateValue;
  step: number | null;
  since: string;
  evidence: Record<string, unknown>;
  ruleSet: string;
  ruleSetVersion: string;
  evaluatedAt: string;
}

export interface MonitoredAccount {
  accountId: string;
  name: string | null;
  unitId: string;
  unitPath: string;
  platform: string;
  lastPostAt: string | null;
  lastPostUrl: string | null;
  lastPostSource: 'tongfa' | 'native' | null;
  silentDays: number;
  postsLast7Days: number;
  worstState: RuleStateValue;
  rolledUpAt: string | null;
  rules: RuleStateItem[];
}

export interface MonitoredAccountDetail extends MonitoredAccount {
  weeks: { week: string; tongfa: number; native: number }[];
  metrics: { day: string; followers: number | null; reads: number | null; likes: number | null; comments: number | null } | null;
}

export interface RuleInfo {
  id: string;
  kind: 'veto' | 'province' | 'hygiene';
  title: Text;
  description: Text;
}

export interface RuleSetInfo {
  id: string;
  version: string;
  jurisdiction: Text;
  basis: Text;
  rules: RuleInfo[];
}

/** Colours with text that stays readable on antd's light tag backgrounds. */
export const RULE_STATE: Record<RuleStateValue, Text & { color: string }> = {
  breach: { zh: '不合格', en: 'Breach', color: 'red' },
  warning: { zh: '预警', en: 'Warning', color: 'orange' },
  unknown: { zh: '未知', en: 'Unknown', color: 'default' },
  ok: { zh: '正常', en: 'OK', color: 'green' },
};

export const RULE_KIND: Record<RuleInfo['kind'], Text> = {
  veto: { zh: '单项否决', en: 'Veto item' },
  province: { zh: '省级要求', en: 'Province rule' },
  hygiene: { zh: '账号规范', en: 'Account hygiene' },
};

export const POST_SOURCE: Record<string, Text> = {
  tongfa: { zh: '经统发发布', en: 'Through Tongfa' },
  native: { zh: '平台内直接发布', en: 'Directly on the platform' },
};

/** Names of the facts rules record as evidence; others are shown by their key. */
const EVIDENCE_KEY: Record<string, Text> = {
  silentDays: { zh: '未更新天数', en: 'Days without a post' },
  countedFrom: { zh: '起算时间', en: 'Counted from' },
  lastPostAt: { zh: '最近发文时间', en: 'Last post' },
  lastPostUrl: { zh: '最近发文链接', en: 'Last post link' },
  lastPostSource: { zh: '最近发文来源', en: 'Last post source' },
  asOf: { zh: '判定日期', en: 'As of' },
  reason: { zh: '说明', en: 'Note' },
  received: { zh: '收到留言', en: 'Messages received' },
  answered: { zh: '已答复', en: 'Answered' },
  unansweredOverdue: { zh: '超时未答复', en: 'Overdue unanswered' },
  checkedAt: { zh: '抽查时间', en: 'Checked at' },
  findings: { zh: '问题', en: 'Findings' },
  overdue: { zh: '逾期未备案', en: 'Filing overdue' },
  late: { zh: '逾期补备案', en: 'Filed late' },
  others: { zh: '同平台其他账号', en: 'Other accounts on the platform' },
  exceptionReason: { zh: '批准理由', en: 'Approved reason' },
  issues: { zh: '问题', en: 'Issues' },
  postsThisWeek: { zh: '本周发文', en: 'Posts this week' },
  week: { zh: '周', en: 'Week' },
};

const REASON: Record<string, Text> = {
  'interaction not measured yet': { zh: '互动数据尚未接入', en: 'Interaction not measured yet' },
  'not spot-checked yet': { zh: '尚未抽查', en: 'Not spot-checked yet' },
  'naming not checked yet': { zh: '名称尚未核对', en: 'Naming not checked yet' },
};

export function evidenceLabel(key: string, lang: Lang): string {
  return EVIDENCE_KEY[key]?.[lang] ?? key;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** One evidence value as text: times in Beijing time, sources and known reasons named, lists counted. */
export function evidenceText(key: string, v: unknown, lang: Lang, formatTime: (iso: string) => string): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string') {
    if (key === 'lastPostSource') return POST_SOURCE[v]?.[lang] ?? v;
    if (key === 'reason') return REASON[v]?.[lang] ?? v;
    return ISO.test(v) ? formatTime(v) : v;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    if (!v.length) return lang === 'zh' ? '无' : 'none';
    return v.map((x) => (typeof x === 'object' && x ? summarise(x as Record<string, unknown>) : String(x))).join('；');
  }
  return summarise(v as Record<string, unknown>);
}

function summarise(o: Record<string, unknown>): string {
  return Object.entries(o)
    .filter(([, x]) => x !== null && x !== undefined && typeof x !== 'object')
    .map(([k, x]) => `${k}: ${String(x)}`)
    .join(', ');
}

/** The rule's title from the published rule sets, or its id while they load. */
export function ruleTitle(rules: Map<string, RuleInfo>, id: string, lang: Lang): string {
  return rules.get(id)?.title[lang] ?? id;
}

// 值班

export type OnCallSource =
  | { kind: 'override'; overrideId: string }
  | { kind: 'layer'; layer: number; name: string; shiftStart: string; shiftEnd: string }
  | { kind: 'gap' }
  | { kind: 'unscheduled' };

export interface Person {
  id: string;
  displayName: string;
}

export interface OnCallInfo {
  unitId: string;
  scheduleUnitId: string | null;
  at: string;
  user: Person | null;
  source: OnCallSource;
  fallback: Person[];
}

export interface DutyLayerInput {
  name: string;
  userIds: string[];
  rotation: 'daily' | 'weekly';
  handoff: string;
  startDate: string;
  days: 'all' | 'workdays' | 'restdays';
}

export interface EscalationStep {
  afterMinutes: number;
  notify: { kind: 'on_call' | 'parent_on_call' | 'user'; userId?: string };
}

export interface Schedule {
  unitId: string;
  layers: DutyLayerInput[];
  policy: { steps: EscalationStep[]; repeat: number };
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface Override {
  id: string;
  unitId: string;
  userId: string;
  startsAt: string;
  endsAt: string;
  note: string;
  createdBy: string;
  createdAt: string;
}

export interface DutyShift {
  from: string;
  to: string;
  userId: string | null;
  displayName: string | null;
  source: OnCallSource;
}

export interface DutyLog {
  unitId: string;
  unitName: string;
  from: string;
  to: string;
  shifts: DutyShift[];
  alerts: {
    alertId: string;
    kind: string;
    severity: string;
    title: Text;
    createdAt: string;
    notified: { userId: string; displayName: string; at: string; step: number; round: number; reason: string }[];
    acknowledgedAt: string | null;
    acknowledgedByName: string | null;
    resolvedAt: string | null;
    resolvedByName: string | null;
  }[];
}

export const ROTATION: Record<DutyLayerInput['rotation'], Text> = {
  daily: { zh: '每天轮换', en: 'Daily' },
  weekly: { zh: '每周轮换', en: 'Weekly' },
};

export const LAYER_DAYS: Record<DutyLayerInput['days'], Text> = {
  all: { zh: '全部日期', en: 'Every day' },
  workdays: { zh: '仅工作日', en: 'Workdays only' },
  restdays: { zh: '仅休息日', en: 'Rest days only' },
};

export const NOTIFY_KIND: Record<EscalationStep['notify']['kind'], Text> = {
  on_call: { zh: '当班人员', en: 'Person on call' },
  parent_on_call: { zh: '上级单位当班人员', en: 'On call at the unit above' },
  user: { zh: '指定人员', en: 'A named person' },
};

export function sourceText(s: OnCallSource, lang: Lang): string {
  if (s.kind === 'override') return lang === 'zh' ? '替班' : 'Override';
  if (s.kind === 'layer') return s.name;
  if (s.kind === 'gap') return lang === 'zh' ? '空档' : 'Gap';
  return lang === 'zh' ? '未排班' : 'Unscheduled';
}
