import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dailyPollBudget, pollDemand, pollStretch } from './poll-budget';
import { nextLocalMidnight, nextPollAt } from './poll-schedule';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Beijing midnight, 2026-12-07. */
const T0 = Date.UTC(2026, 11, 6, 16, 0, 0);
const beijingDay = (t: number) => Math.floor((t + 8 * HOUR) / DAY);

const weibo = {
  commentQuota: 30,
  rateLimits: { perApp: { tokens: 10_000, intervalMs: HOUR }, perAccount: { tokens: 30, intervalMs: HOUR } },
};

/**
 * The poll sweep in miniature, on a clock the test moves a minute at a time: each due post is polled
 * (one call) if the day's counter allows, its next time from the schedule stretched to the account's
 * budget over the posts it watches; a spent budget defers the poll to Beijing midnight, as PollingService does.
 */
function simulate(postTimes: number[], budget: number, days: number) {
  const posts = postTimes.map((at) => ({ at, due: null as number | null, polls: [] as number[] }));
  const perDay = new Map<number, number>();
  let deferred = 0;
  for (let now = T0; now < T0 + days * DAY; now += MIN) {
    for (const p of posts) if (p.at <= now && p.due === null && p.polls.length === 0) p.due = nextPollAt(p.at, p.at);
    const watched = posts.filter((p) => p.due !== null).map((p) => p.at);
    for (const p of posts) {
      if (p.due === null || p.due > now) continue;
      const day = beijingDay(now);
      if ((perDay.get(day) ?? 0) >= budget) {
        deferred++;
        p.due = nextLocalMidnight(now);
        continue;
      }
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
      p.polls.push(now);
      p.due = nextPollAt(p.at, now, pollStretch(watched, now, budget - perDay.get(day)!));
    }
  }
  return { perDay, deferred, posts };
}

describe('comment poll budget', () => {
  it('takes half of the smaller of the comment quota and the per-account rate, and a share of the app among its accounts', () => {
    assert.equal(dailyPollBudget({ ...weibo, accountsOnApp: 1 }), 15);
    // 10,000 an hour for the app is 120,000 a day for polling: 12 each among 10,000 accounts.
    assert.equal(dailyPollBudget({ ...weibo, accountsOnApp: 10_000 }), 12);
    assert.equal(dailyPollBudget({ ...weibo, accountsOnApp: 10_000_000 }), 1, 'never zero');
  });

  it('leaves the schedule alone when it fits, and stretches it only as far as needed when it does not', () => {
    // Posted at Beijing midnight: the rest of its quota day is its first 24 hours (8 + 21 polls before the 24th hour).
    const one = [T0];
    const midnight = T0 + DAY;
    assert.equal(pollDemand(one, T0, midnight), 8 + 21);
    assert.equal(pollStretch(one, T0, 29), 1);
    const f = pollStretch(one, T0, 10);
    assert.ok(f > 1);
    assert.ok(pollDemand(one, T0, midnight, f) <= 10);
    assert.ok(pollDemand(one, T0, midnight, f - 0.25) > 10, 'the smallest quarter-step stretch');
    assert.equal(pollStretch(one, T0, 0) >= 96, true, 'nothing left today: the next poll is tomorrow');
    // A stretched schedule still stops after day 7 and never polls before the plain one would.
    assert.equal(nextPollAt(T0, T0 + 7 * DAY, 3), null);
    assert.equal(nextPollAt(T0, T0, 3), T0 + 45 * MIN);
  });

  it('a Weibo account posting five times a day never spends more than its budget on any day, and every post is read on its first day', () => {
    const budget = dailyPollBudget({ ...weibo, accountsOnApp: 1 });
    const times: number[] = [];
    for (let d = 0; d < 10; d++) for (const h of [1, 3, 5, 8, 11]) times.push(T0 + d * DAY + h * HOUR); // 09:00 … 19:00 Beijing
    const { perDay, deferred, posts } = simulate(times, budget, 12);
    assert.ok(Math.max(...perDay.values()) <= budget, JSON.stringify([...perDay]));
    // Stretching spreads the calls over the day: the counter (the hard cap) stops few of them.
    const calls = [...perDay.values()].reduce((a, b) => a + b, 0);
    assert.ok(deferred < calls / 2, `deferred ${deferred} of ${calls}`);
    // Each post is read on its first day, most within the hour (a post that arrives after the day's budget is spent waits for midnight).
    for (const p of posts) assert.ok(p.polls.length >= 1 && p.polls[0]! - p.at <= DAY, 'each post is read on its first day');
    const soon = posts.filter((p) => p.polls[0]! - p.at <= HOUR).length;
    assert.ok(soon >= posts.length / 2, `${soon} of ${posts.length} read within the hour`);
    // Without stretching the same posts would want 66 polls each.
    assert.ok(posts.reduce((n, p) => n + p.polls.length, 0) < (times.length * 66) / 5);
  });

  it('an account whose budget covers its posts keeps the full schedule', () => {
    const { posts, deferred } = simulate([T0 + HOUR, T0 + 5 * HOUR], 250, 8);
    assert.equal(deferred, 0);
    assert.deepEqual(
      posts.map((p) => p.polls.length),
      [66, 66],
    );
  });
});
