import { Manuscript } from './entities';

/** Reviewer levels run 1 (初审) to 3 (终审); an overdue step escalates one level up. */
export const TOP_REVIEW_LEVEL = 3;

/** Steps not yet approved; in a sequential chain only the first of them is open. */
export function openSteps(ms: Manuscript): number[] {
  if (!ms.chain) return [];
  const done = new Set(ms.approvedSteps ?? []);
  const open = ms.chain.steps.map((_, i) => i).filter((i) => !done.has(i));
  return ms.chain.parallel ? open : open.slice(0, 1);
}

/**
 * When an open step runs out of time. Parallel (emergency) steps all open at submission; a
 * sequential chain has one open step, whose deadline was stored as `escalationDueAt` when it opened.
 */
export function stepDue(ms: Manuscript, step: number): Date | null {
  const limit = ms.chain?.steps[step]?.limitMinutes;
  if (!limit || !ms.submittedAt) return null;
  if (ms.chain!.parallel) return new Date(ms.submittedAt.getTime() + limit * 60_000);
  return ms.escalationDueAt;
}

/**
 * The earliest deadline among the open, not yet escalated steps that carry a limit, the steps
 * having opened at `openedAt`; null when nothing is left to escalate. The sweep reads it.
 */
export function nextEscalationDue(ms: Manuscript, openedAt: Date): Date | null {
  const escalated = new Set(ms.escalatedSteps ?? []);
  let due: number | null = null;
  for (const i of openSteps(ms)) {
    const limit = ms.chain!.steps[i]!.limitMinutes;
    if (!limit || escalated.has(i)) continue;
    const t = openedAt.getTime() + limit * 60_000;
    if (due === null || t < due) due = t;
  }
  return due === null ? null : new Date(due);
}

/**
 * Whether a reviewer holding `levels` over the manuscript's unit may decide step `step`. Its own
 * level always may; once escalated, the next level up may too. The top level has none above it:
 * a 终审 reviewer at any ancestor unit already qualifies (grants cover subtrees), so an overdue
 * top step widens nothing and the duty alert is what brings one in.
 */
export function mayDecide(ms: Manuscript, step: number, levels: readonly (number | null)[]): boolean {
  const level = ms.chain!.steps[step]!.level;
  if (levels.includes(level)) return true;
  return (ms.escalatedSteps ?? []).includes(step) && level < TOP_REVIEW_LEVEL && levels.includes(level + 1);
}
