import { ApiError } from '../api/client';
import type { Text } from './notifications';

// 抽查、整改、排名 pages: shapes of the supervision API and their labels.

export interface Stratum {
  key: string;
  platform: string;
  level: string;
  size: number;
  drawn: number;
}

export interface Round {
  id: string;
  rootUnitId: string;
  rootUnitName: string;
  period: string;
  ratio: number;
  minRatio: number;
  ruleSet: string;
  ruleSetVersion: string;
  seed: string;
  algorithm: string;
  population: number;
  sampled: number;
  strata: Stratum[];
  requirements: string;
  createdAt: string;
}

export interface Finding {
  id: string;
  item: string;
  itemTitle: Text;
  result: 'pass' | 'fail' | 'pending';
  source: 'monitoring' | 'checker';
  note: string;
  evidence: Record<string, unknown>;
  decidedAt: string;
}

export interface Sample {
  accountId: string;
  accountName: string;
  platform: string;
  unitId: string;
  unitName: string;
  unitLevel: string;
  stratum: string;
  snapshot: { state: string; mediaId: string | null; takenAt: string | null; pageUrl: string | null; error: string | null };
  findings: Finding[];
}

export interface RoundDetail extends Round {
  checklist: { id: string; kind: string; title: Text; deadlineDays: number }[];
  derivation: { algorithm: string; description: string; seed: string; ratio: number; verified: boolean };
  /** One page of the drawn accounts (the API pages them: a province's round holds thousands). */
  sample: { items: Sample[]; total: number };
}

export type RectificationState = 'open' | 'answered' | 'closed' | 'escalated';

export interface Rectification {
  id: string;
  roundId: string;
  period: string | null;
  accountId: string;
  accountName: string | null;
  platform: string | null;
  unitId: string;
  unitName: string | null;
  item: string;
  problem: string;
  state: RectificationState;
  deadline: string;
  overdue: boolean;
  daysLate: number;
  answeredLate: boolean;
  response: { text: string; urls: string[]; mediaIds: string[]; respondedAt: string } | null;
  reviewedAt: string | null;
  reviewNote: string | null;
  reopened: number;
  createdAt: string;
}

export interface RankingRow {
  level: string;
  rank: number;
  accountId: string;
  accountName: string;
  platform: string;
  unitId: string;
  unitName: string;
  score: number;
  parts: Record<string, unknown>;
  inputs: Record<string, unknown>;
}

export interface Ranking {
  formulaVersion: string;
  period: 'week' | 'month';
  from: string;
  to: string;
  items: RankingRow[];
  total: number;
}

export const RECTIFICATION_STATE: Record<RectificationState, Text & { color: string }> = {
  open: { zh: '待整改', en: 'Open', color: 'orange' },
  answered: { zh: '已回复待复核', en: 'Answered', color: 'blue' },
  closed: { zh: '已销号', en: 'Closed', color: 'green' },
  escalated: { zh: '已上报', en: 'Escalated', color: 'red' },
};

export const FINDING_RESULT: Record<Finding['result'], Text & { color: string }> = {
  pass: { zh: '合格', en: 'Pass', color: 'green' },
  fail: { zh: '不合格', en: 'Fail', color: 'red' },
  pending: { zh: '待检查', en: 'Pending', color: 'default' },
};

export const RANK_INPUT: Record<string, Text> = {
  days: { zh: '天数', en: 'Days' },
  activeDays: { zh: '有更新天数', en: 'Active days' },
  posts: { zh: '发文数', en: 'Posts' },
  longestSilence: { zh: '最长未更新', en: 'Longest silence' },
  reads: { zh: '阅读', en: 'Reads' },
  engagements: { zh: '互动', en: 'Engagements' },
  vetoBreaches: { zh: '否决项', en: 'Veto breaches' },
  activity: { zh: '活跃度', en: 'Activity' },
  volume: { zh: '发文量', en: 'Volume' },
  timeliness: { zh: '及时性', en: 'Timeliness' },
  interaction: { zh: '互动', en: 'Interaction' },
  penalty: { zh: '扣分', en: 'Penalty' },
};

/** An API error with each field's own message after it (the summary alone may name a field only by its generic label). */
export function problemText(e: unknown): string {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : String(e);
  const own = e.details.map((d) => d.message).filter((m) => m && !e.message.includes(m));
  return own.length ? `${e.message}：${own.join('；')}` : e.message;
}
