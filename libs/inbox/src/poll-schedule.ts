/**
 * When to read a post's comments again. Citizens comment on a post mostly in its first hours, and
 * each platform's comment-list quota is per account and day (WeChat: comment/list within the
 * account's API quota), so polling decays with the post's age:
 *
 * - every 15 min for the first 2 h;
 * - hourly up to 24 h;
 * - every 4 h up to day 7;
 * - then never (the row stops: nextDueAt null).
 *
 * Points sit on the post's own phase (posted + k × step), so a late sweep does not shift later
 * polls. Past the day's budget the poll waits for the next Beijing midnight (quota reset).
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export const POLL_STAGES: readonly { until: number; every: number }[] = [
  { until: 2 * HOUR, every: 15 * MIN },
  { until: DAY, every: HOUR },
  { until: 7 * DAY, every: 4 * HOUR },
];

/**
 * The first schedule point strictly after `now` for a post published at `postedAt`; null once past day 7.
 * `stretch` (≥ 1) multiplies every interval when the account's posts together would cost more calls than
 * its daily budget (poll-budget.ts). Unstretched, the stage bounds are schedule points; stretched, a step
 * may cross a bound (the next step takes the later stage's interval), so a stretch never adds polls.
 */
export function nextPollAt(postedAt: number, now: number, stretch = 1): number | null {
  const age = Math.max(0, now - postedAt);
  const f = Math.max(1, stretch);
  const end = POLL_STAGES[POLL_STAGES.length - 1]!.until;
  if (f === 1) {
    let from = 0;
    for (const { until, every } of POLL_STAGES) {
      if (age < until) return postedAt + from + (Math.floor((age - from) / every) + 1) * every;
      from = until;
    }
    return null;
  }
  let t = 0;
  while (t <= age) {
    const stage = POLL_STAGES.find((s) => t < s.until);
    if (!stage) return null;
    t += stage.every * f;
  }
  return t <= end ? postedAt + t : null;
}

/** How many polls the schedule makes over a post's life (for the bench beside the quotas). */
export function pollsPerPost(): number {
  let n = 0;
  let t: number | null = 0;
  while ((t = nextPollAt(0, t)) !== null) n++;
  return n;
}

/** The next Beijing midnight after `now` (ms): when the platforms' daily quotas reset. */
export function nextLocalMidnight(now: number): number {
  const offset = 8 * HOUR;
  return Math.floor((now + offset) / DAY) * DAY + DAY - offset;
}
