import { isWorkday as statutoryWorkday } from 'chinese-days';
import holidayData from 'chinese-days/dist/chinese-days.json';

/**
 * Working time as government offices keep it (工作时间): statutory holidays and adjusted workdays
 * (调休) from the State Council's yearly notice, as published in the `chinese-days` package, and a
 * unit's office hours with a lunch break. SLA clocks of the inbox (and supervision's deadlines) run
 * only inside it.
 *
 * Beyond the last year the package's data covers (the last notice published, usually each
 * November for the following year), a day is a workday exactly when it is Monday to Friday: no
 * holiday is known yet and none is guessed — unless the operator has entered the notice
 * (TONGFA_HOLIDAYS_FILE, `useSupplementaryCalendar`). `holidayDataCoversUntil()` tells the
 * operator which year is the last known, so a gap shows up before the calendar year turns.
 *
 * Mainland China keeps UTC+8 all year (no daylight saving since 1991), so local days are computed
 * with a fixed offset rather than a time-zone database.
 */
const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;
const MIN_MS = 60_000;
/** A search for working time never looks further than this (a misconfigured unit with no hours). */
const MAX_DAYS = 3 * 366;

/** One stretch of office hours inside a day, as local `HH:MM`. */
export interface WorkingPeriod {
  start: string;
  end: string;
}

/** Office hours of a unit: the periods of a workday, in order, not overlapping. */
export interface WorkingHours {
  periods: WorkingPeriod[];
}

/** 09:00–12:00 and 13:30–18:00 Beijing time, the usual hours of an office in China. */
export const DEFAULT_WORKING_HOURS: WorkingHours = {
  periods: [
    { start: '09:00', end: '12:00' },
    { start: '13:30', end: '18:00' },
  ],
};

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

function minutesOf(hhmm: string): number {
  if (!HHMM.test(hhmm)) throw new RangeError(`not a time of day (HH:MM): ${hhmm}`);
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** The periods as minute offsets from local midnight; throws on bad, empty, unordered or overlapping periods. */
export function parseWorkingHours(hours: WorkingHours): [number, number][] {
  const out = hours.periods.map((p) => [minutesOf(p.start), minutesOf(p.end)] as [number, number]);
  if (out.length === 0) throw new RangeError('working hours need at least one period');
  let last = -1;
  for (const [s, e] of out) {
    if (e <= s || s < last) throw new RangeError('working periods must be ordered, non-empty and not overlapping');
    last = e;
  }
  return out;
}

let coveredYear: number | null = null;

/**
 * The State Council's notice for years the package does not know yet (or corrects), as the
 * operator enters it: per year, the dates off (放假) and the weekend dates worked (调休上班).
 */
export type SupplementaryCalendar = Record<string, { holidays: string[]; workdays: string[] }>;

/** Years the operator's calendar gives, and each listed date's answer (workday or not). */
let supplement: { years: Set<number>; days: Map<string, boolean> } = { years: new Set(), days: new Map() };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `YYYY-MM-DD` names a day of the calendar (not 02-30 or 13-01). */
function sameDay(date: string): boolean {
  const t = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(date);
}

/**
 * Checks and takes the operator's calendar (TONGFA_HOLIDAYS_FILE); replaces any taken before. A
 * year it names is decided by it alone: a listed holiday is off, a listed workday is worked, any
 * other day is a workday exactly when it is Monday to Friday. Throws a RangeError naming the
 * first wrong entry.
 */
export function useSupplementaryCalendar(calendar: SupplementaryCalendar): void {
  const years = new Set<number>();
  const days = new Map<string, boolean>();
  for (const [year, entry] of Object.entries(calendar)) {
    if (!/^\d{4}$/.test(year)) throw new RangeError(`holiday calendar: "${year}" is not a year`);
    if (!entry || !Array.isArray(entry.holidays) || !Array.isArray(entry.workdays)) {
      throw new RangeError(`holiday calendar: ${year} needs "holidays" and "workdays" lists of dates`);
    }
    for (const [list, off] of [
      [entry.holidays, true],
      [entry.workdays, false],
    ] as const) {
      for (const date of list) {
        const valid = typeof date === 'string' && DATE.test(date) && sameDay(date);
        if (!valid || date.slice(0, 4) !== year) throw new RangeError(`holiday calendar: ${String(date)} is not a date of ${year}`);
        if (days.has(date)) throw new RangeError(`holiday calendar: ${date} is listed twice`);
        days.set(date, !off);
      }
    }
    years.add(Number(year));
  }
  supplement = { years, days };
  coveredYear = null;
  dayCache.clear();
}

/** The last year for which statutory holidays are known (the package's last notice, or the operator's calendar). */
export function holidayDataCoversUntil(): number {
  if (coveredYear === null) {
    const days = [...Object.keys(holidayData.holidays), ...Object.keys(holidayData.workdays)];
    coveredYear = Math.max(...days.map((d) => Number(d.slice(0, 4))), ...supplement.years);
  }
  return coveredYear;
}

const dayCache = new Map<string, boolean>();

/** The local date (`YYYY-MM-DD`, Beijing time) of an instant. */
export function localDate(t: number | Date): string {
  return new Date(+t + OFFSET_MS).toISOString().slice(0, 10);
}

/** Whether a local date (`YYYY-MM-DD`) is a workday: statutory calendar while known, Monday–Friday after. */
export function isWorkday(date: string): boolean {
  let v = dayCache.get(date);
  if (v === undefined) {
    const year = Number(date.slice(0, 4));
    if (supplement.years.has(year)) {
      const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
      v = supplement.days.get(date) ?? (dow !== 0 && dow !== 6);
    } else if (year > holidayDataCoversUntil()) {
      const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
      v = dow !== 0 && dow !== 6;
    } else {
      v = statutoryWorkday(date);
    }
    dayCache.set(date, v);
  }
  return v;
}

/** Working intervals [start, end) in ms of the local day starting at `dayStart` (UTC ms of local midnight). */
function intervals(dayStart: number, periods: [number, number][]): [number, number][] {
  if (!isWorkday(localDate(dayStart))) return [];
  return periods.map(([s, e]) => [dayStart + s * MIN_MS, dayStart + e * MIN_MS]);
}

function localMidnight(t: number): number {
  return Math.floor((t + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS;
}

/**
 * The instant `minutes` working minutes after `from`. Outside office hours the clock waits for the
 * next period; `minutes = 0` gives `from` itself when it is inside a period, else the next start.
 */
export function addWorkingMinutes(from: Date, minutes: number, hours: WorkingHours = DEFAULT_WORKING_HOURS): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError('minutes must be a non-negative number');
  const periods = parseWorkingHours(hours);
  let left = minutes * MIN_MS;
  const t0 = from.getTime();
  let day = localMidnight(t0);
  for (let i = 0; i < MAX_DAYS; i++, day += DAY_MS) {
    for (const [s, e] of intervals(day, periods)) {
      const start = Math.max(s, t0);
      if (start >= e) continue;
      if (start + left <= e) return new Date(start + left);
      left -= e - start;
    }
  }
  throw new RangeError('no working time found within three years');
}

/** Working minutes between two instants (0 when `to` is not after `from`); fractional minutes kept. */
export function workingMinutesBetween(from: Date, to: Date, hours: WorkingHours = DEFAULT_WORKING_HOURS): number {
  const periods = parseWorkingHours(hours);
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  let total = 0;
  for (let day = localMidnight(a); day < b; day += DAY_MS) {
    for (const [s, e] of intervals(day, periods)) {
      const lo = Math.max(s, a);
      const hi = Math.min(e, b);
      if (hi > lo) total += hi - lo;
    }
  }
  return total / MIN_MS;
}
