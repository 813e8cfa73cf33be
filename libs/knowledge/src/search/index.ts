export * from './types';
export { DEFAULT_SYNONYMS } from './default-synonyms';
export { QaSearchIndex, NO_MATCH_THRESHOLD, SUGGESTION_FLOOR, DEFAULT_SCORING, decide, type QaScoring } from './qa-search-index';
export { QaAnalyzer, SynonymRewriter, foldQaText, pinyinKey } from './qa-text';
