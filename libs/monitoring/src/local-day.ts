import { LOCAL_TIME_ZONE } from '@tongfa/core';

const DAY = new Intl.DateTimeFormat('en-CA', { timeZone: LOCAL_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const DAY_MS = 86_400_000;
/** Beijing time has no daylight saving: its midnight is 16:00 UTC of the day before. */
const OFFSET_MS = 8 * 3_600_000;

/** The calendar day (`YYYY-MM-DD`) a time falls on in Asia/Shanghai. */
export function localDay(t: Date | number): string {
  return DAY.format(typeof t === 'number' ? new Date(t) : t);
}

/** The instant the local day `YYYY-MM-DD` begins. */
export function localDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - OFFSET_MS);
}

/** Whole calendar days from `from` to `to` as people in Beijing count them (same day = 0). */
export function localDaysBetween(from: Date, to: Date): number {
  return Math.round((localDayStart(localDay(to)).getTime() - localDayStart(localDay(from)).getTime()) / DAY_MS);
}

/** The Monday (`YYYY-MM-DD`) of the local day's ISO week. */
export function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}
