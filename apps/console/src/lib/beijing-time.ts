const FORMAT = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** A time as people in the units read it: Beijing time, whatever the browser's zone. */
export function formatLocalTime(iso: string | null | undefined, lang: 'zh' | 'en' = 'zh'): string {
  if (!iso) return '—';
  const p = Object.fromEntries(FORMAT.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  const text = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
  return lang === 'en' ? `${text} (Beijing)` : text;
}
