import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultReminders, minGapMs, nextPollAt } from './poll-schedule';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T = Date.UTC(2026, 11, 7, 0, 0, 0);

/** Every poll of one account from `from` to `until`, following the schedule as the sweep does. */
function walk(windows: { startAt: number; deadline: number }[], until: number, quota: number): number[] {
  const polls: number[] = [];
  let last: number | null = null;
  let next = nextPollAt(windows, null, T, quota);
  while (next !== null && next <= until) {
    polls.push(next);
    last = next;
    next = nextPollAt(windows, last, next, quota);
  }
  return polls;
}

describe('detection poll schedule', () => {
  it('polls a 24-hour WeChat campaign at T+30m, T+2h, every 4 h, deadline−1h and the deadline', () => {
    const polls = walk([{ startAt: T, deadline: T + 24 * HOUR }], T + 24 * HOUR, 100).map((p) => (p - T) / HOUR);
    assert.deepEqual(polls, [0.5, 2, 6, 10, 14, 18, 22, 23, 24]);
  });

  it('stays within a quarter of the daily quota however many campaigns are open', () => {
    const windows = Array.from({ length: 12 }, (_, i) => ({ startAt: T + i * 7 * MIN, deadline: T + 2 * HOUR + i * 13 * MIN }));
    const polls = walk(windows, T + 24 * HOUR, 100);
    assert.ok(polls.length <= 25, `${polls.length} calls`);
    for (let i = 1; i < polls.length; i++) assert.ok(polls[i]! - polls[i - 1]! >= minGapMs(100));
  });

  it('spaces Weibo polls further apart (a smaller list quota)', () => {
    assert.ok(minGapMs(50) > minGapMs(100));
    const polls = walk([{ startAt: T, deadline: T + 24 * HOUR }], T + 48 * HOUR, 50);
    assert.ok(polls.length <= 12 * 2, `${polls.length} calls over 2 days`);
  });

  it('checks a short campaign at its deadline (as soon as the quota gap allows), then every 6 hours while overdue', () => {
    const deadline = T + 2 * HOUR;
    const polls = walk([{ startAt: T, deadline }], T + 20 * HOUR, 100).map((p) => Math.round(((p - deadline) / HOUR) * 100) / 100);
    // 30 min in, deadline−1h pushed back by the 58-minute gap, the deadline likewise, then overdue.
    assert.deepEqual(polls, [-1.5, -0.54, 0.42, 6, 12, 18]);
  });

  it('has nothing to do without open windows', () => {
    assert.equal(nextPollAt([], null, T, 100), null);
  });

  it('reminds short campaigns close to the deadline, long ones earlier', () => {
    assert.deepEqual(defaultReminders(24 * HOUR), [240, 60]);
    assert.deepEqual(defaultReminders(12 * HOUR), [240, 60]);
    assert.deepEqual(defaultReminders(4 * HOUR), [120, 30]);
    assert.deepEqual(defaultReminders(2 * HOUR), [30, 10]);
    assert.deepEqual(defaultReminders(30 * MIN), [10]);
  });
});
