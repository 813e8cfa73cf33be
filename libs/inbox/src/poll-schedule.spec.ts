import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nextLocalMidnight, nextPollAt, pollsPerPost } from './poll-schedule';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const P = Date.UTC(2026, 11, 7, 1, 0, 0);

describe('comment poll schedule', () => {
  it('polls every 15 minutes for the first two hours, on the post’s phase', () => {
    assert.equal(nextPollAt(P, P), P + 15 * MIN);
    assert.equal(nextPollAt(P, P + 16 * MIN), P + 30 * MIN);
    assert.equal(nextPollAt(P, P + 105 * MIN), P + 2 * HOUR);
  });

  it('then hourly to 24 hours, then every 4 hours to day 7', () => {
    assert.equal(nextPollAt(P, P + 2 * HOUR), P + 3 * HOUR);
    assert.equal(nextPollAt(P, P + 23 * HOUR + 1), P + DAY);
    assert.equal(nextPollAt(P, P + DAY), P + DAY + 4 * HOUR);
    assert.equal(nextPollAt(P, P + 7 * DAY - 1), P + 7 * DAY);
  });

  it('stops after day 7', () => {
    assert.equal(nextPollAt(P, P + 7 * DAY), null);
    assert.equal(nextPollAt(P, P + 30 * DAY), null);
  });

  it('a post costs 8 + 22 + 36 polls over its life', () => {
    assert.equal(pollsPerPost(), 8 + 22 + 36);
  });

  it('a post in the future is polled 15 minutes after it appears', () => {
    assert.equal(nextPollAt(P, P - HOUR), P + 15 * MIN);
  });

  it('the quota day turns at midnight Beijing time (16:00 UTC)', () => {
    assert.equal(nextLocalMidnight(Date.UTC(2026, 11, 7, 15, 59)), Date.UTC(2026, 11, 7, 16, 0));
    assert.equal(nextLocalMidnight(Date.UTC(2026, 11, 7, 16, 0)), Date.UTC(2026, 11, 8, 16, 0));
  });
});
