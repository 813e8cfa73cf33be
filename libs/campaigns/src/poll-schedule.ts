/**
 * When to read an account's post list again (detection of reposts made outside Tongfa). Each
 * platform's list quota is small (WeChat: 100 calls a day per account, shared with every other
 * system holding the account), so polling follows a back-off schedule around each open
 * assignment instead of a fixed minute timer:
 *
 * - T+30 min and T+2 h after the campaign starts (most units repost early);
 * - then every 4 h until the deadline, plus deadline−1 h and the deadline itself;
 * - after the deadline (overdue, a late repost still counts as done_late): every 6 h.
 *
 * Two calls are never closer than `minGapMs`, derived from the daily quota: at most
 * CAMPAIGN_QUOTA_SHARE of it may go to campaigns, however many campaigns are open on the account
 * (one call answers all of them, since every open assignment is matched against the same page).
 */
export const CAMPAIGN_QUOTA_SHARE = 0.25;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export interface OpenWindow {
  /** Campaign start (ms). */
  startAt: number;
  deadline: number;
}

export function minGapMs(dailyCallsPerAccount: number): number {
  const calls = Math.max(1, Math.floor(dailyCallsPerAccount * CAMPAIGN_QUOTA_SHARE));
  return Math.ceil(DAY / calls);
}

/** The schedule's points of one window after `after` (ms), the first of them; null when none is left. */
function nextPoint(w: OpenWindow, after: number): number {
  const points = [w.startAt + 30 * MIN, w.startAt + 2 * HOUR];
  for (let t = w.startAt + 6 * HOUR; t < w.deadline - HOUR; t += 4 * HOUR) points.push(t);
  points.push(w.deadline - HOUR, w.deadline);
  const next = points.filter((p) => p > w.startAt && p > after).sort((a, b) => a - b)[0];
  if (next !== undefined) return next;
  // Overdue: every 6 h after the deadline, on the deadline's phase.
  const k = Math.floor((after - w.deadline) / (6 * HOUR)) + 1;
  return w.deadline + k * 6 * HOUR;
}

/**
 * The next poll of an account with these open windows, given when it was last polled (or null)
 * and `now`. Never earlier than `lastPolledAt + minGap`, never in the past.
 */
export function nextPollAt(windows: OpenWindow[], lastPolledAt: number | null, now: number, dailyCallsPerAccount: number): number | null {
  if (windows.length === 0) return null;
  const after = Math.max(lastPolledAt ?? -Infinity, now - 1);
  const earliest = Math.min(...windows.map((w) => nextPoint(w, after)));
  const floor = lastPolledAt === null ? now : lastPolledAt + minGapMs(dailyCallsPerAccount);
  return Math.max(earliest, floor);
}

/** Default reminder offsets (minutes before the deadline) for a campaign of this length. */
export function defaultReminders(durationMs: number): number[] {
  if (durationMs >= 12 * HOUR) return [240, 60];
  if (durationMs >= 3 * HOUR) return [120, 30];
  if (durationMs >= HOUR) return [30, 10];
  return [10];
}
