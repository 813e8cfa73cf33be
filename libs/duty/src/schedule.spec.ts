import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DutyLayer, DutyOverrideSpan, dutySegments, layerShift, resolveOnCall } from './schedule';

/** An instant given in Beijing time (UTC+8), e.g. bj('2025-09-29 09:00'). */
const bj = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);

const daily: DutyLayer = {
  name: '日班',
  userIds: ['a', 'b', 'c'],
  rotation: 'daily',
  handoff: '09:00',
  startDate: '2025-09-29',
  days: 'all',
};

describe('duty schedule resolution', () => {
  it('hands a daily rotation over at 09:00 Beijing time, in order, wrapping around', () => {
    assert.equal(resolveOnCall([daily], [], bj('2025-09-29 09:00')).userId, 'a');
    assert.equal(resolveOnCall([daily], [], bj('2025-09-30 08:59')).userId, 'a', 'the night stays with the shift that began at 09:00');
    assert.equal(resolveOnCall([daily], [], bj('2025-09-30 09:00')).userId, 'b');
    assert.equal(resolveOnCall([daily], [], bj('2025-10-01 23:30')).userId, 'c');
    assert.equal(resolveOnCall([daily], [], bj('2025-10-02 09:00')).userId, 'a');
    // 09:00 in Beijing is 01:00 UTC: the handoff is on local time, every day 24 hours apart (no DST).
    const s = layerShift(daily, bj('2025-10-05 12:00'))!;
    assert.equal(s.start.toISOString(), '2025-10-05T01:00:00.000Z');
    assert.equal(s.end.getTime() - s.start.getTime(), 86_400_000);
  });

  it('covers nobody before the first shift, and reports it as a gap', () => {
    const r = resolveOnCall([daily], [], bj('2025-09-29 08:59'));
    assert.equal(r.userId, null);
    assert.deepEqual(r.source, { kind: 'gap' });
  });

  it('rotates a weekly layer on the handoff weekday', () => {
    const weekly: DutyLayer = { ...daily, rotation: 'weekly', userIds: ['x', 'y'], handoff: '08:30' };
    assert.equal(resolveOnCall([weekly], [], bj('2025-10-06 08:29')).userId, 'x');
    assert.equal(resolveOnCall([weekly], [], bj('2025-10-06 08:30')).userId, 'y');
    assert.equal(resolveOnCall([weekly], [], bj('2025-10-13 08:30')).userId, 'x');
  });

  it('lets a higher layer win and falls back to the lower one where it covers nothing', () => {
    // A workday layer above an all-days layer: on a holiday only the lower layer answers.
    const workdays: DutyLayer = {
      name: '工作日',
      userIds: ['w'],
      rotation: 'daily',
      handoff: '09:00',
      startDate: '2025-09-01',
      days: 'workdays',
    };
    const layers = [daily, workdays];
    const mon = resolveOnCall(layers, [], bj('2025-09-29 10:00'));
    assert.equal(mon.userId, 'w');
    assert.equal(mon.source.kind === 'layer' && mon.source.layer, 2);
    // 国庆: 1–8 October 2025 are statutory holidays, so the workday layer skips them.
    const holiday = resolveOnCall(layers, [], bj('2025-10-03 10:00'));
    assert.equal(holiday.source.kind === 'layer' && holiday.source.layer, 1);
    assert.equal(holiday.userId, 'b', 'day 5 of the three-person rotation');
  });

  it('keeps an adjusted workday (调休 Saturday) in a workday layer and skips an ordinary weekend', () => {
    const workdays: DutyLayer = {
      name: '工作日',
      userIds: ['w'],
      rotation: 'daily',
      handoff: '09:00',
      startDate: '2025-09-01',
      days: 'workdays',
    };
    const rest: DutyLayer = {
      name: '节假日',
      userIds: ['r'],
      rotation: 'daily',
      handoff: '09:00',
      startDate: '2025-09-01',
      days: 'restdays',
    };
    const layers = [rest, workdays];
    assert.equal(resolveOnCall(layers, [], bj('2025-10-11 10:00')).userId, 'w', 'Saturday 11 October 2025 is a working day');
    assert.equal(resolveOnCall(layers, [], bj('2025-10-12 10:00')).userId, 'r', 'Sunday 12 October is not');
    assert.equal(resolveOnCall(layers, [], bj('2025-10-01 10:00')).userId, 'r', 'National Day');
    // The duty day runs handoff to handoff: 08:00 on the 1st still belongs to the workday of 30 September.
    assert.equal(resolveOnCall(layers, [], bj('2025-10-01 08:00')).userId, 'w');
    assert.equal(resolveOnCall(layers, [], bj('2025-10-09 09:00')).userId, 'w', 'back to work on 9 October');
  });

  it('lets an override win over every layer for its range only, the latest made winning an overlap', () => {
    const o1: DutyOverrideSpan = {
      id: 'o1',
      userId: 'z',
      startsAt: bj('2025-09-30 12:00'),
      endsAt: bj('2025-09-30 18:00'),
      createdAt: bj('2025-09-01 00:00'),
    };
    const o2: DutyOverrideSpan = {
      id: 'o2',
      userId: 'q',
      startsAt: bj('2025-09-30 17:00'),
      endsAt: bj('2025-09-30 20:00'),
      createdAt: bj('2025-09-02 00:00'),
    };
    assert.equal(resolveOnCall([daily], [o1, o2], bj('2025-09-30 11:59')).userId, 'b');
    const r = resolveOnCall([daily], [o1, o2], bj('2025-09-30 12:00'));
    assert.equal(r.userId, 'z');
    assert.deepEqual(r.source, { kind: 'override', overrideId: 'o1' });
    assert.equal(resolveOnCall([daily], [o1, o2], bj('2025-09-30 17:30')).userId, 'q');
    assert.equal(resolveOnCall([daily], [o1, o2], bj('2025-09-30 20:00')).userId, 'b', 'the end is exclusive');
    // An override fills a gap too.
    assert.equal(resolveOnCall([], [o1], bj('2025-09-30 13:00')).userId, 'z');
  });

  it('gives exactly one answer at every minute of a fortnight', () => {
    const workdays: DutyLayer = {
      name: '工作日',
      userIds: ['w1', 'w2'],
      rotation: 'weekly',
      handoff: '08:30',
      startDate: '2025-09-22',
      days: 'workdays',
    };
    const from = bj('2025-09-27 00:00').getTime();
    for (let t = from, i = 0; i < 14 * 24 * 4; i++, t += 15 * 60_000) {
      const r = resolveOnCall([daily, workdays], [], new Date(t));
      assert.ok(typeof r.userId === 'string' || r.source.kind === 'gap');
      if (t >= bj('2025-09-29 09:00').getTime()) assert.ok(r.userId, `someone at ${new Date(t).toISOString()}`);
    }
  });

  it('lists the shifts of a range with overrides cut in, merged per shift', () => {
    const o: DutyOverrideSpan = {
      id: 'o',
      userId: 'z',
      startsAt: bj('2025-09-30 12:00'),
      endsAt: bj('2025-09-30 18:00'),
      createdAt: bj('2025-09-01 00:00'),
    };
    const segs = dutySegments([daily], [o], bj('2025-09-29 00:00'), bj('2025-10-01 09:00'));
    assert.deepEqual(
      segs.map((s) => [s.userId, s.from.toISOString(), s.to.toISOString()]),
      [
        [null, '2025-09-28T16:00:00.000Z', '2025-09-29T01:00:00.000Z'],
        ['a', '2025-09-29T01:00:00.000Z', '2025-09-30T01:00:00.000Z'],
        ['b', '2025-09-30T01:00:00.000Z', '2025-09-30T04:00:00.000Z'],
        ['z', '2025-09-30T04:00:00.000Z', '2025-09-30T10:00:00.000Z'],
        ['b', '2025-09-30T10:00:00.000Z', '2025-10-01T01:00:00.000Z'],
      ],
    );
  });
});
