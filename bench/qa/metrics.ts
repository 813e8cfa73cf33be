import { performance } from 'node:perf_hooks';
import { maskPersonalData, QaSearchHit, QaSearchIndex } from '@tongfa/knowledge';
import { EvalQuery, EvalSet, ScopeOracle } from './eval-set';

/**
 * Scoring of a search over the evaluation set: what the citizen is offered (items, above the
 * no-match threshold) and what is merely suggested below it.
 */

export interface QueryOutcome {
  query: EvalQuery;
  items: QaSearchHit[];
  suggestions: QaSearchHit[];
  ms: number;
  /** Hits the asking unit must never see (out of its ancestry, invalid, or overridden). */
  outOfScope: string[];
}

export interface SplitReport {
  queries: number;
  answerable: number;
  recall1: number;
  /** Expected entry among the first five offered answers. */
  recall5: number;
  /** Expected entry among the first five of answers then suggestions (the "did you mean" list). */
  recall5WithSuggestions: number;
  noAnswer: number;
  noAnswerUnanswered: number;
  scopeCorrect: number;
  /** Queries whose answers and suggestions name one entry twice (one entry taking several of the five slots). */
  duplicateSlots: number;
  p50: number;
  p95: number;
  /** recall@1 per tag (for no-answer: the share left unanswered). */
  byTag: Map<string, { n: number; ok: number }>;
  failures: QueryOutcome[];
}

export type Searcher = (q: EvalQuery, unitPath: string) => { items: QaSearchHit[]; suggestions: QaSearchHit[] };

/**
 * How GET /qa/search asks the index (QaSearchService): personal numbers masked first, the
 * masked text searched. `personalNumbers: 'drop'` removes them instead of labelling them, to show
 * what the label costs.
 */
export function indexSearcher(index: QaSearchIndex, asOf: Date, personalNumbers: 'label' | 'drop' = 'label'): Searcher {
  return (q, unitPath) => {
    const masked = maskPersonalData(q.text, asOf);
    const text = personalNumbers === 'drop' ? masked.replace(/\[(手机号|身份证号|银行卡号)\]/g, ' ') : masked;
    return index.search(text, { unitPath, now: asOf, limit: 5 });
  };
}

export function runQueries(set: EvalSet, oracle: ScopeOracle, search: Searcher, queries: EvalQuery[]): QueryOutcome[] {
  const paths = new Map(set.units.map((u) => [u.id, u.path]));
  return queries.map((query) => {
    const unitPath = paths.get(query.unitId)!;
    const t = performance.now();
    const r = search(query, unitPath);
    const ms = performance.now() - t;
    const outOfScope = [...r.items, ...r.suggestions].map((h) => h.entryId).filter((id) => !oracle.visible(id, unitPath, set.asOf));
    return { query, items: r.items, suggestions: r.suggestions, ms, outOfScope };
  });
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function isCorrect(o: QueryOutcome): boolean {
  return o.query.expected === null ? o.items.length === 0 : o.items[0]?.entryId === o.query.expected;
}

export function report(outcomes: QueryOutcome[]): SplitReport {
  const answerable = outcomes.filter((o) => o.query.expected !== null);
  const unanswerable = outcomes.filter((o) => o.query.expected === null);
  const inTop5 = (hits: QaSearchHit[], id: string | null) => hits.slice(0, 5).some((h) => h.entryId === id);
  const byTag = new Map<string, { n: number; ok: number }>();
  for (const o of outcomes) {
    for (const tag of o.query.tags) {
      const t = byTag.get(tag) ?? { n: 0, ok: 0 };
      t.n++;
      if (isCorrect(o)) t.ok++;
      byTag.set(tag, t);
    }
  }
  const ms = outcomes.map((o) => o.ms);
  return {
    queries: outcomes.length,
    answerable: answerable.length,
    recall1: answerable.filter(isCorrect).length / answerable.length,
    recall5: answerable.filter((o) => inTop5(o.items, o.query.expected)).length / answerable.length,
    recall5WithSuggestions: answerable.filter((o) => inTop5([...o.items, ...o.suggestions], o.query.expected)).length / answerable.length,
    noAnswer: unanswerable.length,
    noAnswerUnanswered: unanswerable.filter(isCorrect).length / unanswerable.length,
    scopeCorrect: outcomes.filter((o) => o.outOfScope.length === 0).length / outcomes.length,
    duplicateSlots: outcomes.filter((o) => {
      const ids = [...o.items, ...o.suggestions].map((h) => h.entryId);
      return new Set(ids).size !== ids.length;
    }).length,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    byTag,
    failures: outcomes.filter((o) => !isCorrect(o) || o.outOfScope.length > 0),
  };
}

/**
 * The naive way, for comparison: every visible entry's questions scanned with String.includes
 * for each character bigram of the query; the entry sharing most bigrams wins (no threshold:
 * anything sharing at least a third of the query's bigrams is offered).
 */
export function naiveScan(
  docs: { entryId: string; text: string; unitPath: string }[],
  visible: (entryId: string, unitPath: string) => boolean,
): Searcher {
  return (q, unitPath) => {
    const text = q.text.replace(/[\s\p{P}\p{S}]/gu, '');
    const grams = new Set<string>();
    for (let i = 0; i + 1 < text.length; i++) grams.add(text.slice(i, i + 2));
    const hits: QaSearchHit[] = [];
    for (const d of docs) {
      if (!unitPath.startsWith(d.unitPath)) continue;
      let n = 0;
      for (const g of grams) if (d.text.includes(g)) n++;
      if (n > 0 && visible(d.entryId, unitPath)) hits.push({ entryId: d.entryId, score: n / grams.size, matchedQuestion: '' });
    }
    hits.sort((a, b) => b.score - a.score);
    const top = hits.slice(0, 5);
    return { items: top.filter((h) => h.score >= 1 / 3), suggestions: top.filter((h) => h.score < 1 / 3) };
  };
}

/**
 * What the outcomes would be with another no-match threshold (between SUGGESTION_FLOOR and 1),
 * under the core's decision model (`decide`): answers and suggestions form one ranked list; the
 * best hit at or above `threshold` answers the query and the whole list is offered, otherwise
 * nothing is.
 */
export function withThreshold(outcomes: QueryOutcome[], threshold: number): QueryOutcome[] {
  return outcomes.map((o) => {
    const all = [...o.items, ...o.suggestions];
    const answered = all.length > 0 && all[0].score >= threshold;
    return { ...o, items: answered ? all : [], suggestions: answered ? [] : all };
  });
}
