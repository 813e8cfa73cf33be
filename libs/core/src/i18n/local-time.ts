import type { Lang } from './messages';

/** The time zone people read times in: all of mainland China keeps Beijing time. */
export const LOCAL_TIME_ZONE = 'Asia/Shanghai';

const FORMAT = new Intl.DateTimeFormat('en-CA', {
  timeZone: LOCAL_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * A time as a person reads it in a message: `2026-12-07 04:31（北京时间）`, or `2026-12-07 04:31
 * (Beijing time)` in English. Never a UTC ISO string in user-facing text.
 */
export function formatLocalTime(d: Date, lang: Lang = 'zh'): string {
  const p = Object.fromEntries(FORMAT.formatToParts(d).map((x) => [x.type, x.value]));
  const text = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
  return lang === 'en' ? `${text} (Beijing time)` : `${text}（北京时间）`;
}
