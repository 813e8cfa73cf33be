import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatLocalTime } from './local-time';

describe('formatLocalTime', () => {
  it('shows Beijing time, 24-hour, with the zone named, never UTC', () => {
    const d = new Date('2026-12-06T20:31:45Z');
    assert.equal(formatLocalTime(d), '2026-12-07 04:31（北京时间）');
    assert.equal(formatLocalTime(d, 'en'), '2026-12-07 04:31 (Beijing time)');
  });

  it('writes midnight as 00, not 24', () => {
    assert.equal(formatLocalTime(new Date('2026-12-06T16:00:00Z')), '2026-12-07 00:00（北京时间）');
  });
});
