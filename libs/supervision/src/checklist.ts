import type { Message } from '@tongfa/core';
import { ruleSetsFor, RuleStateValue } from '@tongfa/monitoring';
import type { FindingResult } from './entities';

export interface ChecklistItem {
  /** The monitoring rule id the item checks (`national.no-update`, `guangdong.weekly-update`, …). */
  id: string;
  kind: 'veto' | 'province';
  title: Message;
  /** Days the unit has to put a failure right unless the checker sets another deadline. */
  deadlineDays: number;
}

/**
 * Default rectification time per item: a serious expression error is corrected at once (3 days), a
 * silent account must post within a week, the rest get the usual 15 days (整改期限).
 */
const DEADLINE_DAYS: Record<string, number> = {
  'national.expression-errors': 3,
  'national.no-update': 7,
  'national.no-interaction': 15,
};
export const DEFAULT_DEADLINE_DAYS = 15;

/** The checklist of an account under a province with this region code: the national veto items, then the province's. */
export function checklistFor(regionCode: string | null): ChecklistItem[] {
  return ruleSetsFor(regionCode).flatMap((s) =>
    s.rules
      .filter((r) => r.kind === 'veto' || r.kind === 'province')
      .map((r) => ({
        id: r.id,
        kind: r.kind as 'veto' | 'province',
        title: r.title,
        deadlineDays: DEADLINE_DAYS[r.id] ?? DEFAULT_DEADLINE_DAYS,
      })),
  );
}

/** Monitoring's state proposes the result: a breach fails, ok and warnings pass, unknown waits for the checker. */
export function proposedResult(state: RuleStateValue | undefined): FindingResult {
  if (state === 'breach') return 'fail';
  if (state === 'ok' || state === 'warning') return 'pass';
  return 'pending';
}
