// Times on the publication pages and the calendar are Beijing time (UTC+8, no daylight saving),
// whatever the browser's own zone: a day on the calendar is a day in Beijing.

const OFFSET_MS = 8 * 3600_000;
export const DAY_MS = 24 * 3600_000;

/** The Beijing calendar fields of an instant. */
export function bjParts(d: Date): { y: number; m: number; d: number; hh: number; mm: number; dow: number } {
  const s = new Date(d.getTime() + OFFSET_MS);
  return {
    y: s.getUTCFullYear(),
    m: s.getUTCMonth(),
    d: s.getUTCDate(),
    hh: s.getUTCHours(),
    mm: s.getUTCMinutes(),
    // Monday 0 … Sunday 6
    dow: (s.getUTCDay() + 6) % 7,
  };
}

/** The instant of a Beijing wall-clock time (month 0-based; days and months may overflow, like Date.UTC). */
export function bjTime(y: number, m: number, d: number, hh = 0, mm = 0): Date {
  return new Date(Date.UTC(y, m, d, hh, mm) - OFFSET_MS);
}

export function bjStartOfDay(d: Date): Date {
  const p = bjParts(d);
  return bjTime(p.y, p.m, p.d);
}

/** Monday 00:00 (Beijing) of the week holding `d`. */
export function bjStartOfWeek(d: Date): Date {
  const p = bjParts(d);
  return bjTime(p.y, p.m, p.d - p.dow);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-12-10` of the Beijing day. */
export function bjDayKey(d: Date): string {
  const p = bjParts(d);
  return `${p.y}-${pad(p.m + 1)}-${pad(p.d)}`;
}

/** `2026-12-10 09:00` Beijing time; '—' for none. */
export function bjFormat(v: string | Date | null | undefined): string {
  if (!v) return '—';
  const p = bjParts(new Date(v));
  return `${p.y}-${pad(p.m + 1)}-${pad(p.d)} ${pad(p.hh)}:${pad(p.mm)}`;
}

export function bjClock(v: string | Date): string {
  const p = bjParts(new Date(v));
  return `${pad(p.hh)}:${pad(p.mm)}`;
}

/** The value of an `<input type="datetime-local">` showing the instant in Beijing time. */
export function toBjInput(v: string | Date | null | undefined): string {
  if (!v) return '';
  const p = bjParts(new Date(v));
  return `${p.y}-${pad(p.m + 1)}-${pad(p.d)}T${pad(p.hh)}:${pad(p.mm)}`;
}

/** An `<input type="datetime-local">` value read as Beijing time; null when empty or malformed. */
export function fromBjInput(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(s);
  if (!m) return null;
  return bjTime(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
}

/** An `<input type="date">` value as the start of that Beijing day; null when empty. */
export function fromBjDate(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m ? bjTime(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
}
