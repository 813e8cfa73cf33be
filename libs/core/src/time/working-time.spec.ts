import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addWorkingMinutes,
  holidayDataCoversUntil,
  isWorkday,
  parseWorkingHours,
  useSupplementaryCalendar,
  workingMinutesBetween,
} from './working-time';

/** A Beijing wall-clock time as an instant. */
const bj = (s: string) => new Date(`${s}+08:00`);
const iso = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('working-time calendar', () => {
  it('counts only office hours inside one workday, skipping the lunch break', () => {
    assert.equal(iso(addWorkingMinutes(bj('2026-11-10T09:00'), 60)), '2026-11-10 10:00');
    assert.equal(iso(addWorkingMinutes(bj('2026-11-10T11:30'), 60)), '2026-11-10 14:00');
    assert.equal(iso(addWorkingMinutes(bj('2026-11-10T12:15'), 30)), '2026-11-10 14:00');
    assert.equal(workingMinutesBetween(bj('2026-11-10T11:00'), bj('2026-11-10T14:00')), 90);
    assert.equal(workingMinutesBetween(bj('2026-11-10T12:00'), bj('2026-11-10T13:30')), 0);
  });

  it('a full workday is 7.5 working hours', () => {
    assert.equal(workingMinutesBetween(bj('2026-11-10T00:00'), bj('2026-11-11T00:00')), 450);
    assert.equal(iso(addWorkingMinutes(bj('2026-11-10T09:00'), 450)), '2026-11-10 18:00');
  });

  it('waits for the next period when started outside office hours', () => {
    assert.equal(iso(addWorkingMinutes(bj('2026-11-10T07:00'), 0)), '2026-11-10 09:00');
    assert.equal(iso(addWorkingMinutes(bj('2026-11-10T20:00'), 30)), '2026-11-11 09:30');
    assert.equal(iso(addWorkingMinutes(bj('2026-11-10T10:17'), 0)), '2026-11-10 10:17');
  });

  it('skips a weekend', () => {
    assert.equal(isWorkday('2026-11-14'), false);
    assert.equal(isWorkday('2026-11-15'), false);
    assert.equal(iso(addWorkingMinutes(bj('2026-11-13T17:00'), 120)), '2026-11-16 10:00');
    assert.equal(workingMinutesBetween(bj('2026-11-13T17:00'), bj('2026-11-16T10:00')), 120);
    assert.equal(workingMinutesBetween(bj('2026-11-14T09:00'), bj('2026-11-15T18:00')), 0);
  });

  it('stops over the National Day golden week (国庆) and the Mid-Autumn holiday', () => {
    for (const d of ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-07']) assert.equal(isWorkday(d), false, d);
    // 中秋 on Friday 25 September 2026 joins the weekend.
    assert.equal(isWorkday('2026-09-25'), false);
    assert.equal(iso(addWorkingMinutes(bj('2026-09-24T17:30'), 60)), '2026-09-28 09:30');
    // Wednesday 30 September 17:00, two working hours: the clock stands still 1–7 October.
    assert.equal(iso(addWorkingMinutes(bj('2026-09-30T17:00'), 120)), '2026-10-08 10:00');
    assert.equal(workingMinutesBetween(bj('2026-09-30T17:00'), bj('2026-10-08T10:00')), 120);
    assert.equal(workingMinutesBetween(bj('2026-10-01T00:00'), bj('2026-10-08T00:00')), 0);
  });

  it('runs on an adjusted Saturday workday (调休) and not on the Sunday after it', () => {
    assert.equal(isWorkday('2026-10-10'), true);
    assert.equal(isWorkday('2026-10-11'), false);
    assert.equal(iso(addWorkingMinutes(bj('2026-10-09T17:00'), 120)), '2026-10-10 10:00');
    assert.equal(iso(addWorkingMinutes(bj('2026-10-10T17:00'), 120)), '2026-10-12 10:00');
    assert.equal(workingMinutesBetween(bj('2026-10-10T00:00'), bj('2026-10-12T00:00')), 450);
  });

  it('honours a unit’s own hours', () => {
    const hours = {
      periods: [
        { start: '08:30', end: '12:00' },
        { start: '14:30', end: '17:30' },
      ],
    };
    assert.equal(iso(addWorkingMinutes(bj('2026-11-10T11:00'), 120, hours)), '2026-11-10 15:30');
    assert.equal(workingMinutesBetween(bj('2026-11-10T00:00'), bj('2026-11-11T00:00'), hours), 390);
  });

  it('inverts: the working minutes from a start to start + N are N', () => {
    const start = bj('2026-09-29T16:40');
    for (const n of [0, 1, 59, 80, 200, 451, 900, 3000]) {
      assert.equal(workingMinutesBetween(start, addWorkingMinutes(start, n)), n, String(n));
    }
  });

  it('past the last published notice, Monday to Friday are workdays and no holiday is assumed', () => {
    const last = holidayDataCoversUntil();
    assert.ok(last >= 2026);
    const y = last + 1;
    // 1 October of the next year: whatever weekday it falls on decides, not the old golden week.
    const d = `${y}-10-01`;
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    assert.equal(isWorkday(d), dow !== 0 && dow !== 6);
  });

  it('rejects malformed or overlapping hours and negative minutes', () => {
    assert.throws(() => parseWorkingHours({ periods: [] }), RangeError);
    assert.throws(() => parseWorkingHours({ periods: [{ start: '9:00', end: '12:00' }] }), RangeError);
    assert.throws(() => parseWorkingHours({ periods: [{ start: '12:00', end: '09:00' }] }), RangeError);
    assert.throws(
      () =>
        parseWorkingHours({
          periods: [
            { start: '09:00', end: '12:00' },
            { start: '11:00', end: '13:00' },
          ],
        }),
      RangeError,
    );
    assert.throws(() => addWorkingMinutes(new Date(), -1), RangeError);
  });

  it('answers 0 when the end is not after the start', () => {
    assert.equal(workingMinutesBetween(bj('2026-11-10T10:00'), bj('2026-11-10T09:00')), 0);
  });
});

describe("the operator's supplementary holiday calendar (TONGFA_HOLIDAYS_FILE)", () => {
  // A year far beyond any notice, so the test never depends on what the package carries.
  const calendar = { '2099': { holidays: ['2099-01-01', '2099-01-05', '2099-01-06'], workdays: ['2099-01-10'] } };

  it('decides the years it names: listed holidays off, a listed weekend worked, other days Monday to Friday', () => {
    assert.equal(isWorkday('2099-01-05'), true, 'a Monday, before the calendar is taken');
    useSupplementaryCalendar(calendar);
    try {
      assert.equal(holidayDataCoversUntil(), 2099);
      assert.equal(isWorkday('2099-01-01'), false, 'a listed Thursday off');
      assert.equal(isWorkday('2099-01-05'), false, 'a listed Monday off');
      assert.equal(isWorkday('2099-01-10'), true, 'a listed Saturday worked (调休)');
      assert.equal(isWorkday('2099-01-03'), false, 'an unlisted Saturday');
      assert.equal(isWorkday('2099-01-07'), true, 'an unlisted Wednesday');
      // The SLA clock skips the listed days: Friday 17:00 + 120 working minutes → Saturday the 10th (worked).
      assert.equal(
        addWorkingMinutes(bj('2099-01-09T17:00'), 120, { periods: [{ start: '09:00', end: '18:00' }] }).getTime(),
        bj('2099-01-10T10:00').getTime(),
      );
    } finally {
      useSupplementaryCalendar({});
    }
    assert.equal(isWorkday('2099-01-05'), true, 'dropped again');
    assert.ok(holidayDataCoversUntil() < 2099);
  });

  it('refuses a wrong entry, naming it, and keeps the calendar it had', () => {
    const bad: [unknown, RegExp][] = [
      [{ '20x9': { holidays: [], workdays: [] } }, /"20x9" is not a year/],
      [{ '2099': { holidays: ['2099-02-30'], workdays: [] } }, /2099-02-30 is not a date of 2099/],
      [{ '2099': { holidays: ['2098-12-31'], workdays: [] } }, /2098-12-31 is not a date of 2099/],
      [{ '2099': { holidays: ['2099-01-10'], workdays: ['2099-01-10'] } }, /2099-01-10 is listed twice/],
      [{ '2099': { holidays: ['2099-01-01'] } }, /needs "holidays" and "workdays"/],
    ];
    for (const [cal, message] of bad) {
      assert.throws(() => useSupplementaryCalendar(cal as never), message);
    }
    assert.equal(isWorkday('2099-01-05'), true);
  });
});
