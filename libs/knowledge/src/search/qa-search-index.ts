import MiniSearch from 'minisearch';
import { DEFAULT_SYNONYMS } from './default-synonyms';
import { QaAnalyzer, pinyinKey, type QaTokens } from './qa-text';
import type { QaIndexDoc, QaSearchContext, QaSearchHit, QaSearchResult, SynonymGroup } from './types';

/**
 * The "no good match" threshold. A hit's score (0..1) blends how much of the matched question the
 * query covers with how much of the query the entry explains, both weighted by term rarity:
 *   score = questionCoverage^0.6 × queryCoverage^0.4
 * (a query word only the entry's answer holds explains it at 0.3), so a long message with the
 * question buried inside still scores high (the question is covered), while a query sharing only
 * generic words with an entry stays low; ×0.8 for a short query whose rarest word no question or
 * keyword of the entry mentions.
 *
 * Decision model (`decide`): the best hit decides whether the query is answered at all; at or
 * above this threshold it is, and then up to `limit` hits down to SUGGESTION_FLOOR are offered as
 * `items`, best first; below it nothing is offered and the candidates come as `suggestions` only.
 * Threshold and constants chosen on the tune split of bench/qa (second round, 285 queries: recall@1
 * 0.931, recall@5 0.992, no-answer queries unanswered 0.946); the report split is in bench/qa/README.md.
 */
export const NO_MATCH_THRESHOLD = 0.375;
/** Below this a candidate is not even suggested. */
export const SUGGESTION_FLOOR = 0.2;

/**
 * Query terms go to BM25 rarest first, at most this many and while their postings (entries ×
 * fields holding them) stay within the budget: a long rambling message cannot drown the ranking,
 * and a search touches a bounded share of a 100,000-entry index (the p95 < 20 ms target). Terms
 * left out still count in the coverage re-score.
 */
const MAX_QUERY_TERMS = 32;
const POSTING_BUDGET = 6_000;
/** Candidates (by BM25) per partition re-scored by coverage. */
const RERANK_DEPTH = 60;
/** Answer text beyond this is not indexed: the start of an answer carries its subject. */
const ANSWER_INDEX_CHARS = 240;
/** Query-time weights by token kind: whole words count most, homophone keys least. */
const WORD_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.6;
const PINYIN_WEIGHT = 0.3;
/** Credit for a unit met only through its homophone key (a typo). */
const PINYIN_CREDIT = 0.7;
/**
 * A query of at most this many units whose rarest unit the entry does not mention at all scores
 * this much less (chosen on the evaluation set's tune split with the threshold).
 */
const SHORT_QUERY_UNITS = 5;
const RAREST_MISSING_FACTOR = 0.8;
/**
 * A query of more than this many units is a message with the question buried in it: how much of it
 * an entry explains is then counted over the words the library knows at all (its questions,
 * keywords or answers), since the story around the question (工地, 架子, 厨师) is something no
 * entry explains and would otherwise weigh most, being the rarest.
 */
const LONG_QUERY_UNITS = 12;
/** Weight of question coverage against query coverage: score = questionCoverage^e × queryCoverage^(1-e). */
const QUESTION_EXPONENT = 0.6;
/** Credit for a long unit met through all its inner bigrams (scaled by the share met). */
const PARTS_CREDIT = 0.8;
/**
 * Credit for a query unit the entry's answer explains but none of its questions or keywords
 * (行动不便 asked of 养老金认证 whose answer offers home visits to the immobile); counted in how much
 * of the query the entry explains, never in how much of a question the query covers.
 */
const ANSWER_CREDIT = 0.3;

/** The re-score's constants, replaceable for the evaluation's parameter sweep (bench/qa) only. */
export interface QaScoring {
  answerCredit: number;
  rarestMissingFactor: number;
  shortQueryUnits: number;
  questionExponent: number;
  longQueryUnits: number;
}
export const DEFAULT_SCORING: QaScoring = {
  answerCredit: ANSWER_CREDIT,
  rarestMissingFactor: RAREST_MISSING_FACTOR,
  shortQueryUnits: SHORT_QUERY_UNITS,
  questionExponent: QUESTION_EXPONENT,
  longQueryUnits: LONG_QUERY_UNITS,
};

/**
 * Texts cut into coverage units (jieba precise-mode words) with what may stand in for each: the
 * unit itself, its homophone key (two-character units: typed by sound) or its inner bigrams
 * (longer units written in other words). Packed into one Int32Array per entry (a typed array per
 * question would cost more in headers than in data at 100,000 entries); one text at offset o:
 *   [n, ids × n, keys × n, partStart × (n + 1), parts × P, partKeys × P]   (P = partStart[n])
 * ids are term ids (-1 when no entry holds the term), keys homophone key ids or -1, unit i's
 * bigrams are parts[partStart[i] .. partStart[i + 1]) and partKeys their homophone keys (a typo
 * inside a longer word: 居注证 for 居住证).
 */
type PackedUnits = Int32Array;

interface Indexed {
  /** The document without its answer text (the answer lives on as answerTerms). */
  doc: QaIndexDoc;
  from: number;
  until: number;
  /** The standard question then the similar ones, packed one after another. */
  questions: PackedUnits;
  /** Sorted ids of every term and key in the question-like fields (coverage, document frequency). */
  entryTerms: Int32Array;
  /** Sorted ids of the answer's words that the question-like fields do not hold. */
  answerTerms: Int32Array;
}

/**
 * What MiniSearch indexes of an entry: the words and bigrams of its questions and keywords, in one
 * field. MiniSearch keeps a map per term and field in every partition, which was most of the
 * index's memory at 100,000 entries (756 MB): so one field, not one per source; no homophone keys
 * (a query bigram no question holds is looked up by its key in the index-wide `homophones` instead,
 * and the library's bigrams with that reading are searched); and no answer, since an entry whose
 * questions share nothing with the query scores 0 whatever its answer says (the answer counts in
 * the re-score only, as answerTerms).
 */
interface MiniDoc {
  id: string;
  q: string;
}

/** The entries one unit owns: its own MiniSearch and what searching each term in it costs. */
interface Partition {
  mini: MiniSearch<MiniDoc>;
  /** Term id → number of (entry, field) pairs holding it. */
  postings: Map<number, number>;
}

/**
 * The in-process Q&A index: MiniSearch (BM25) over pre-tokenized fields for candidates, then a
 * coverage re-score that gives comparable scores and the threshold.
 *
 * Partitioned by owner unit: a search runs only in the partitions of the asking unit and its
 * ancestors, so an entry outside the unit's ancestry is never even scored (scope by construction,
 * and a county's search touches a small share of a 100,000-entry province). BM25 scores of
 * different partitions are not comparable; only the coverage score (global document frequencies)
 * ranks across them.
 */
export class QaSearchIndex {
  private analyzer: QaAnalyzer;
  private readonly partitions = new Map<string, Partition>();
  private readonly records = new Map<string, Indexed>();
  /** entryId → ids of the entries overriding it. */
  private readonly overriddenBy = new Map<string, Set<string>>();
  private readonly termIds = new Map<string, number>();
  private df: number[] = [];
  /** Homophone key ('~gongji') → the library's bigrams and two-character words with that reading. */
  private readonly homophones = new Map<string, string[]>();

  private readonly scoring: QaScoring;

  constructor(opts: { synonyms?: SynonymGroup[]; scoring?: Partial<QaScoring> } = {}) {
    this.analyzer = new QaAnalyzer(opts.synonyms ?? DEFAULT_SYNONYMS);
    this.scoring = { ...DEFAULT_SCORING, ...opts.scoring };
  }

  get size(): number {
    return this.records.size;
  }

  /** The folded, synonym-rewritten form of a text (gap clustering uses the same form). */
  normalize(text: string): string {
    return this.analyzer.normalize(text);
  }

  /**
   * How alike two questions read, 0..1: the Dice coefficient of their words and character bigrams
   * after the search's own folding and synonyms (社保卡掉了 and 社会保障卡丢失 meet). Used to offer
   * citizens' wordings as similar questions of an entry, not for ranking.
   */
  textSimilarity(a: string, b: string): number {
    const bag = (t: string) => {
      const k = this.analyzer.analyze(t, 'question');
      return new Set([...k.words, ...k.bigrams]);
    };
    const [x, y] = [bag(a), bag(b)];
    if (x.size === 0 || y.size === 0) return 0;
    let common = 0;
    for (const t of x) if (y.has(t)) common++;
    return (2 * common) / (x.size + y.size);
  }

  add(doc: QaIndexDoc): void {
    if (this.records.has(doc.entryId)) this.remove(doc.entryId);
    const mini = this.ingest(doc);
    const part = this.partition(doc.unitPath);
    part.mini.add(mini);
    this.count(part.postings, mini, 1);
  }

  remove(entryId: string): void {
    const rec = this.records.get(entryId);
    if (!rec) return;
    const part = this.partition(rec.doc.unitPath);
    part.mini.discard(entryId);
    this.count(part.postings, this.analyzeDoc(rec.doc).mini, -1);
    if (part.mini.documentCount === 0) this.partitions.delete(rec.doc.unitPath);
    for (const id of rec.entryTerms) this.df[id]--;
    this.records.delete(entryId);
    const target = rec.doc.overridesEntryId;
    if (target) {
      const set = this.overriddenBy.get(target);
      set?.delete(entryId);
      if (set && set.size === 0) this.overriddenBy.delete(target);
    }
  }

  replaceAll(docs: QaIndexDoc[]): void {
    for (const _ of this.rebuild(docs, Infinity));
  }

  /**
   * replaceAll in slices of `chunk` documents, giving the event loop back between slices: a hub
   * building 100,000 entries keeps answering its other routes meanwhile. The same steps in the
   * same order as replaceAll, so the result is the same index.
   */
  async replaceAllInChunks(docs: QaIndexDoc[], chunk = 100): Promise<void> {
    for (const _ of this.rebuild(docs, chunk)) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Rebuilds from `docs`, yielding after every `chunk` documents analysed or added. */
  private *rebuild(docs: QaIndexDoc[], chunk: number): Generator<void> {
    this.records.clear();
    this.overriddenBy.clear();
    this.termIds.clear();
    this.homophones.clear();
    this.partitions.clear();
    this.df = [];
    const byUnit = new Map<string, MiniDoc[]>();
    const seen = new Set<string>();
    let done = 0;
    // The last version of a duplicated id wins, as add() would have it.
    for (let i = docs.length - 1; i >= 0; i--) {
      if (seen.has(docs[i].entryId)) continue;
      seen.add(docs[i].entryId);
      const list = byUnit.get(docs[i].unitPath) ?? [];
      list.push(this.ingest(docs[i]));
      byUnit.set(docs[i].unitPath, list);
      if (++done % chunk === 0) yield;
    }
    for (const [unitPath, minis] of byUnit) {
      const part = this.partition(unitPath);
      for (const m of minis) {
        part.mini.add(m);
        this.count(part.postings, m, 1);
        if (++done % chunk === 0) yield;
      }
    }
  }

  search(q: string, ctx: QaSearchContext): QaSearchResult {
    const limit = Math.min(Math.max(ctx.limit ?? 5, 1), 50);
    const now = (ctx.now ?? new Date()).getTime();
    if (this.records.size === 0 || !q.trim()) return { items: [], suggestions: [] };

    const tokens = this.analyzer.analyze(q, 'query');
    const n = this.records.size;
    const idf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
    const weights = new Map<string, number>();
    // A bigram no question or keyword holds may be a homophone typo (公基金): search the library's
    // bigrams that read the same, at the homophone weight.
    for (const t of [...tokens.bigrams, ...tokens.words]) {
      const id = t.length === 2 ? this.termIds.get(t) : 0;
      if (id !== undefined && (t.length !== 2 || this.df[id] > 0)) continue;
      const key = pinyinKey(t);
      for (const alt of (key && this.homophones.get(key)) || []) if (alt !== t) weights.set(alt, PINYIN_WEIGHT);
    }
    for (const t of tokens.bigrams) weights.set(t, BIGRAM_WEIGHT);
    for (const t of tokens.words) weights.set(t, WORD_WEIGHT);
    const parts = [...this.partitions].filter(([path]) => ctx.unitPath.startsWith(path)).map(([, part]) => part);
    const byRarity = [...weights.keys()]
      .map((t) => {
        const id = this.termIds.get(t);
        return { t, p: id === undefined ? 0 : parts.reduce((sum, part) => sum + (part.postings.get(id) ?? 0), 0) };
      })
      .filter((x) => x.p > 0)
      .sort((a, b) => a.p - b.p);
    const kept: string[] = [];
    let spent = 0;
    for (const { t, p } of byRarity) {
      if (kept.length >= MAX_QUERY_TERMS || (kept.length > 0 && spent + p > POSTING_BUDGET)) break;
      kept.push(t);
      spent += p;
    }
    if (kept.length === 0) return { items: [], suggestions: [] };

    const candidates: { id: string; bm25: number }[] = [];
    for (const part of parts) {
      const raw = part.mini.search(kept.join(' '), {
        tokenize: (s) => s.split(' '),
        processTerm: (t) => t,
        prefix: false,
        fuzzy: false,
        combineWith: 'OR',
        boostTerm: (t) => weights.get(t) ?? 1,
      });
      // Validity is checked walking down the ranking, not as a MiniSearch filter: a filter runs
      // for every matching entry, this only until RERANK_DEPTH current ones are found.
      let top = 0;
      let taken = 0;
      for (const r of raw) {
        if (taken >= RERANK_DEPTH) break;
        if (!this.current(r.id as string, ctx.unitPath, now)) continue;
        top ||= r.score;
        candidates.push({ id: r.id as string, bm25: r.score / top });
        taken++;
      }
    }

    // Everything in the query that may cover a unit of a question.
    const querySet = new Set<number>();
    for (const list of [tokens.words, tokens.bigrams, tokens.chars, tokens.pinyin, tokens.units]) {
      for (const t of list) {
        const id = this.termIds.get(t);
        if (id !== undefined) querySet.add(id);
      }
    }
    const queryUnits = Int32Array.from(this.cutUnits(tokens.units, false));
    // A one-character word no entry holds (掉, 咋) is colloquial filler more often than the subject.
    const rarestEligible = tokens.units.map((u) => u.length > 1 || this.termIds.has(u));
    const idfOf = (id: number) => idf(id >= 0 ? this.df[id] : 0);
    const sc = this.scoring;
    const long = queryUnits[0] > sc.longQueryUnits;
    const explainedIdf = long ? (id: number) => (id >= 0 ? idfOf(id) : 0) : idfOf;

    const scored: (QaSearchHit & { bm25: number })[] = [];
    for (const c of candidates) {
      const rec = this.records.get(c.id)!;
      let best = 0;
      let matched = rec.doc.question;
      const texts = [rec.doc.question, ...rec.doc.similarQuestions.filter((x) => x.trim())];
      for (let o = 0, i = 0; o < rec.questions.length; o = nextUnits(rec.questions, o), i++) {
        const cov = coverage(rec.questions, o, (id) => (querySet.has(id) ? 1 : 0), idfOf);
        if (cov > best) {
          best = cov;
          matched = texts[i];
        }
      }
      const rarest = { heaviest: 1, eligible: rarestEligible, answerOnly: false };
      const explains = (id: number) => (hasSorted(rec.entryTerms, id) ? 1 : hasSorted(rec.answerTerms, id) ? sc.answerCredit : 0);
      const explained = coverage(queryUnits, 0, explains, explainedIdf, rarest);
      let score = Math.pow(best, sc.questionExponent) * Math.pow(explained, 1 - sc.questionExponent);
      // A short question whose most specific word the entry never mentions (密码 in 社保卡密码忘了)
      // asks something else, however much of the rest it shares.
      // Its answer mentioning the word is not enough: the answer to 社保卡补办 may say 密码 in passing.
      if (queryUnits[0] <= sc.shortQueryUnits && (rarest.heaviest === 0 || rarest.answerOnly)) score *= sc.rarestMissingFactor;
      scored.push({ entryId: rec.doc.entryId, score: round(score), matchedQuestion: matched, bm25: c.bm25 });
    }
    scored.sort((a, b) => b.score - a.score || b.bm25 - a.bm25);
    return decide(scored, limit);
  }

  /**
   * Valid at `now` and not replaced by a valid override the asking unit also sees (the most
   * specific valid entry wins; an expired override gives the ancestor's entry back). Scope itself
   * is the choice of partitions.
   */
  private current(entryId: string, unitPath: string, now: number): boolean {
    const rec = this.records.get(entryId);
    if (!rec || rec.from > now || now >= rec.until) return false;
    const overriders = this.overriddenBy.get(entryId);
    if (overriders) {
      for (const o of overriders) {
        const orec = this.records.get(o);
        if (orec && this.applies(orec, unitPath, now)) return false;
      }
    }
    return true;
  }

  private applies(rec: Indexed, unitPath: string, now: number): boolean {
    return unitPath.startsWith(rec.doc.unitPath) && rec.from <= now && now < rec.until;
  }

  private partition(unitPath: string): Partition {
    let part = this.partitions.get(unitPath);
    if (!part) {
      const mini = new MiniSearch<MiniDoc>({
        idField: 'id',
        fields: ['q'],
        tokenize: (s) => (s ? s.split(' ') : []),
        processTerm: (t) => t,
      });
      part = { mini, postings: new Map() };
      this.partitions.set(unitPath, part);
    }
    return part;
  }

  /** Adds `delta` to the postings of every term of a MiniSearch document (all of them interned at ingest). */
  private count(postings: Map<number, number>, mini: MiniDoc, delta: number): void {
    if (mini.q) {
      for (const t of mini.q.split(' ')) {
        const id = this.intern(t);
        const n = (postings.get(id) ?? 0) + delta;
        if (n > 0) postings.set(id, n);
        else postings.delete(id);
      }
    }
  }

  private intern(t: string): number {
    let id = this.termIds.get(t);
    if (id === undefined) {
      id = this.df.length;
      this.termIds.set(t, id);
      this.df.push(0);
    }
    return id;
  }

  /** Coverage units of a text, packed (see PackedUnits); entries intern their terms, queries only look them up. */
  private cutUnits(units: string[], intern: boolean): number[] {
    const look = (t: string) => (intern ? this.intern(t) : (this.termIds.get(t) ?? -1));
    const n = units.length;
    const ids = units.map(look);
    const keys = units.map((u) => {
      const key = pinyinKey(u);
      return key ? look(key) : -1;
    });
    const partStart: number[] = [];
    const parts: number[] = [];
    const partKeys: number[] = [];
    for (const u of units) {
      partStart.push(parts.length);
      if (u.length < 3) continue;
      for (let j = 0; j + 1 < u.length; j++) {
        const bigram = u.slice(j, j + 2);
        const key = pinyinKey(bigram);
        parts.push(look(bigram));
        partKeys.push(key ? look(key) : -1);
      }
    }
    partStart.push(parts.length);
    return [n, ...ids, ...keys, ...partStart, ...parts, ...partKeys];
  }

  /** A document's tokens (pure): per question, per keyword, and MiniSearch's fields. */
  private analyzeDoc(doc: QaIndexDoc): {
    questions: { text: string; tokens: QaTokens }[];
    keywords: QaTokens[];
    answer: string[];
    mini: MiniDoc;
  } {
    const texts = [doc.question, ...doc.similarQuestions.filter((s) => s.trim())];
    const questions = texts.map((text) => ({ text, tokens: this.analyzer.analyze(text, 'question') }));
    const keywords = doc.keywords.map((kw) => this.analyzer.analyze(kw, 'question'));
    const answer = this.analyzer.analyze(doc.answerText.slice(0, ANSWER_INDEX_CHARS), 'answer');
    const q = new Set([...questions, ...keywords.map((tokens) => ({ tokens }))].flatMap((x) => [...x.tokens.words, ...x.tokens.bigrams]));
    return { questions, keywords, answer: answer.words, mini: { id: doc.entryId, q: [...q].join(' ') } };
  }

  /** Tokenizes a document, records it and its document frequencies, returns MiniSearch's view. */
  private ingest(doc: QaIndexDoc): MiniDoc {
    const { questions, keywords, answer, mini } = this.analyzeDoc(doc);
    for (const t of mini.q.split(' ')) {
      const key = t.length === 2 ? pinyinKey(t) : null;
      if (!key) continue;
      const list = this.homophones.get(key);
      if (!list) this.homophones.set(key, [t]);
      else if (!list.includes(t)) list.push(t);
    }
    const all = new Set<number>();
    const note = (list: string[]) => {
      for (const t of list) all.add(this.intern(t));
    };
    const packed: number[] = [];
    for (const { text, tokens } of [...questions, ...keywords.map((tokens) => ({ text: '', tokens }))]) {
      note(tokens.words);
      note(tokens.bigrams);
      note(tokens.chars);
      note(tokens.units);
      note(tokens.pinyin);
      if (!text) continue;
      const u = this.cutUnits(tokens.units, true);
      // Keys and inner bigrams too: the query side's coverage looks them up in entryTerms.
      const n = tokens.units.length;
      for (let i = 1 + n; i < 1 + 2 * n; i++) if (u[i] >= 0) all.add(u[i]);
      for (let i = 2 + 3 * n; i < u.length; i++) if (u[i] >= 0) all.add(u[i]);
      packed.push(...u);
    }
    const entryTerms = Int32Array.from(all).sort();
    for (const id of entryTerms) this.df[id]++;
    const answerTerms = Int32Array.from(new Set(answer.map((t) => this.intern(t)).filter((id) => !all.has(id)))).sort();
    this.records.set(doc.entryId, {
      // The answer text is not kept: its words are in answerTerms, and a changed synonym table means a fresh index.
      doc: { ...doc, answerText: '' },
      from: doc.effectiveFrom ? doc.effectiveFrom.getTime() : -Infinity,
      until: doc.effectiveUntil ? doc.effectiveUntil.getTime() : Infinity,
      questions: Int32Array.from(packed),
      entryTerms,
      answerTerms,
    });
    if (doc.overridesEntryId) {
      const set = this.overriddenBy.get(doc.overridesEntryId) ?? new Set<string>();
      set.add(doc.entryId);
      this.overriddenBy.set(doc.overridesEntryId, set);
    }
    return mini;
  }
}

/**
 * The decision model. The best hit alone decides whether the query is answered at all: at or
 * above NO_MATCH_THRESHOLD it is, and then up to `limit` hits down to SUGGESTION_FLOOR are offered
 * as `items`, best first (a citizen answered with 社保卡补办 may have meant 社保卡挂失, the next
 * one); below it nothing is offered and the same candidates come only as `suggestions`.
 */
export function decide<T extends QaSearchHit>(ranked: T[], limit: number): QaSearchResult {
  const strip = ({ entryId, score, matchedQuestion }: QaSearchHit): QaSearchHit => ({ entryId, score, matchedQuestion });
  const candidates = ranked
    .filter((h) => h.score >= SUGGESTION_FLOOR)
    .slice(0, limit)
    .map(strip);
  const answered = candidates.length > 0 && candidates[0].score >= NO_MATCH_THRESHOLD;
  return answered ? { items: candidates, suggestions: [] } : { items: [], suggestions: candidates };
}

/** Offset of the packed text after the one at `o`. */
function nextUnits(p: PackedUnits, o: number): number {
  const n = p[o];
  return o + 2 + 3 * n + 2 * p[o + 1 + 3 * n];
}

/**
 * The share of a packed text's units (weighted by rarity) that `has` covers: a unit fully when
 * present, partly through its homophone key or its inner bigrams.
 */
function coverage(
  p: PackedUnits,
  o: number,
  has: (id: number) => number,
  idfOf: (id: number) => number,
  out?: { heaviest: number; eligible?: boolean[]; answerOnly?: boolean },
): number {
  const n = p[o];
  const ids = o + 1;
  const keys = ids + n;
  const starts = keys + n;
  const parts = starts + n + 1;
  const partKeys = parts + p[starts + n];
  let total = 0;
  let covered = 0;
  let heaviestW = -1;
  for (let i = 0; i < n; i++) {
    const id = p[ids + i];
    const w = idfOf(id);
    total += w;
    const direct = id >= 0 ? has(id) : 0;
    if (direct === 1) {
      covered += w;
      if (out && (out.eligible?.[i] ?? true) && w > heaviestW) [heaviestW, out.heaviest, out.answerOnly] = [w, 1, false];
      continue;
    }
    const key = p[keys + i];
    let c = Math.max(direct, key >= 0 ? PINYIN_CREDIT * has(key) : 0);
    const from = p[starts + i];
    const to = p[starts + i + 1];
    if (to > from) {
      let met = 0;
      for (let j = from; j < to; j++) {
        const part = p[parts + j] >= 0 ? has(p[parts + j]) : 0;
        met += part === 1 ? 1 : Math.max(part, p[partKeys + j] >= 0 ? PINYIN_CREDIT * has(p[partKeys + j]) : 0);
      }
      c = Math.max(c, (PARTS_CREDIT * met) / (to - from));
    }
    covered += w * c;
    if (out && (out.eligible?.[i] ?? true) && w > heaviestW) {
      [heaviestW, out.heaviest] = [w, c];
      out.answerOnly = direct > 0 && c === direct;
    }
  }
  return total > 0 ? covered / total : 0;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function hasSorted(arr: Int32Array, v: number): boolean {
  let lo = 0;
  let hi = arr.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] === v) return true;
    if (arr[mid] < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
