import type { AssignmentCounts } from '../api/types';

/**
 * Share of the assignments a unit can still carry that are carried: units without an account on
 * the platform and exempted units are left out of the denominator, as the report counts them.
 */
export function completion(c: AssignmentCounts): { done: number; due: number; percent: number } {
  const done = c.done + c.done_late;
  const due = c.total - c.not_applicable - c.exempted;
  return { done, due, percent: due > 0 ? Math.round((done / due) * 100) : 0 };
}

/** Open work: what a unit still has to do. */
export const OPEN_STATES = ['pending', 'accepted', 'overdue'] as const;

/** "还剩 3 小时 20 分" / "已逾期 45 分钟": deadline relative to now, in the reader's language. */
export function countdown(deadline: string, now: number, lang: 'zh' | 'en'): { text: string; late: boolean; urgent: boolean } {
  // Floor: a deadline 24 h away reads 23 h 59 min a moment later, never "1 day" rounded up.
  const diff = Math.floor((new Date(deadline).getTime() - now) / 60_000);
  const late = diff < 0;
  const m = Math.abs(diff);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const min = m % 60;
  const zh = [d ? `${d} 天` : '', h ? `${h} 小时` : '', d ? '' : `${min} 分钟`].filter(Boolean).join(' ');
  const en = [d ? `${d} d` : '', h ? `${h} h` : '', d ? '' : `${min} min`].filter(Boolean).join(' ');
  const text = lang === 'zh' ? (late ? `已逾期 ${zh}` : `还剩 ${zh}`) : late ? `${en} overdue` : `${en} left`;
  return { text, late, urgent: !late && diff <= 120 };
}

export const when = (s: string | null | undefined): string => (s ? new Date(s).toLocaleString('zh-CN', { hour12: false }) : '—');
