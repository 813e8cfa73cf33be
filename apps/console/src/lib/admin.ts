// Helpers shared by the account and team administration pages.
import type { Lang } from './i18n';

/** Beijing time, the way people at a unit read a deadline: `2026-12-07 04:31`. */
export function beijingTime(s: string | Date | null | undefined): string {
  if (!s) return '—';
  const d = typeof s === 'string' ? new Date(s) : s;
  if (Number.isNaN(d.getTime())) return '—';
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/**
 * A temporary password an administrator hands over: 14 characters from all four classes (the
 * hub's rule asks for three of four and at least 10), without look-alikes (0/O, 1/l/I).
 */
export function temporaryPassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '#%+=?@*'];
  const all = sets.join('');
  const pick = (set: string) => {
    const r = new Uint32Array(1);
    crypto.getRandomValues(r);
    return set[r[0]! % set.length]!;
  };
  const chars = [...sets.map(pick), ...Array.from({ length: 10 }, () => pick(all))];
  // Fisher–Yates with crypto randomness, so the classes do not sit at fixed places.
  for (let i = chars.length - 1; i > 0; i--) {
    const r = new Uint32Array(1);
    crypto.getRandomValues(r);
    const j = r[0]! % (i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** The kind of input a plugin setting needs, read from its default and its name/label. */
export type SettingKind = 'boolean' | 'number' | 'url' | 'json' | 'text';

export function settingKind(s: { name: string; label: { zh: string; en: string }; default?: unknown }): SettingKind {
  if (typeof s.default === 'boolean') return 'boolean';
  if (typeof s.default === 'number') return 'number';
  if (/json/i.test(s.label.en) || /JSON/.test(s.label.zh)) return 'json';
  if (/url$/i.test(s.name)) return 'url';
  return 'text';
}

/** The label's head, before its first parenthesis: short enough for a validation message. */
export function shortLabel(label: { zh: string; en: string }, lang: Lang): string {
  const l = label[lang];
  const cut = lang === 'zh' ? l.split(/[（(]/)[0]! : l.split(/\s[(]/)[0]!;
  return (cut.trim() || l).slice(0, 40);
}

/** The hub sends `中文 / English` in field details; the console shows the half of the current language. */
export function oneLanguage(message: string, lang: Lang): string {
  const i = message.indexOf(' / ');
  if (i < 0) return message;
  return lang === 'zh' ? message.slice(0, i) : message.slice(i + 3);
}

/** Roles a caller with `has` may hand out (the hub decides; this only narrows the choices offered). */
export function grantableRoles(has: (role: string) => boolean): string[] {
  if (has('security_admin') || has('platform_operator'))
    return ['platform_operator', 'security_admin', 'auditor', 'supervisor', 'unit_admin', 'editor', 'reviewer', 'duty_officer'];
  if (has('unit_admin')) return ['editor', 'reviewer', 'duty_officer'];
  return [];
}
