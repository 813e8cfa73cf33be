import { createContext, useContext } from 'react';

export type Lang = 'zh' | 'en';

export const LangContext = createContext<{ lang: Lang; setLang: (l: Lang) => void }>({ lang: 'zh', setLang: () => undefined });

/** `t('中文', 'English')`: both languages stay beside each other in the page that uses them. */
export function useT(): (zh: string, en: string) => string {
  const { lang } = useContext(LangContext);
  return (zh, en) => (lang === 'zh' ? zh : en);
}

export function useLang(): Lang {
  return useContext(LangContext).lang;
}

export const pick = (b: { zh: string; en: string } | undefined, lang: Lang): string => (b ? b[lang] : '');
