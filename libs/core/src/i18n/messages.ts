/** A user-facing text in Chinese first, with English available. */
export interface Message {
  zh: string;
  en: string;
}

export type Lang = 'zh' | 'en';

/** Picks the language from an Accept-Language header; Chinese unless English is preferred. */
export function pickLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}
