import type { Lang } from './i18n';

/** The language the reader chose last time (the EN switch), Chinese unless they chose English. */
export const savedLang = (): Lang => (localStorage.getItem('tongfa.lang') === 'en' ? 'en' : 'zh');
