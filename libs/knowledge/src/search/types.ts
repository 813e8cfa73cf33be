/**
 * One searchable Q&A entry (答问) as the in-process index sees it: its live published version and
 * where it applies. The index never holds drafts.
 */
export interface QaIndexDoc {
  entryId: string;
  /** Owner unit. */
  unitId: string;
  /** The owner unit's materialized path ('/root/city/'), as in units.path. */
  unitPath: string;
  /** The ancestor unit's entry this one replaces inside the owner's subtree. */
  overridesEntryId?: string | null;
  question: string;
  similarQuestions: string[];
  keywords: string[];
  /** Plain text of the answer (weighted lower than the questions). */
  answerText: string;
  category?: string;
  effectiveFrom?: Date | null;
  /** Exclusive: the entry stops being valid at this instant. */
  effectiveUntil?: Date | null;
}

/** A synonym or abbreviation group; the first term is canonical. */
export interface SynonymGroup {
  terms: string[];
}

export interface QaSearchHit {
  entryId: string;
  /** 0..1, comparable across queries; see NO_MATCH_THRESHOLD. */
  score: number;
  /** The standard or similar question of the entry that matched best. */
  matchedQuestion: string;
}

export interface QaSearchResult {
  /**
   * The answers offered, best first: empty unless the best hit reaches NO_MATCH_THRESHOLD (the
   * query is answered); then up to `limit` hits down to SUGGESTION_FLOOR.
   */
  items: QaSearchHit[];
  /** When the query is not answered: its candidates (below the threshold), "did you mean", never given as answers. */
  suggestions: QaSearchHit[];
}

export type QaChannel = 'newMedia' | 'web' | 'hotline';

export interface QaSearchContext {
  /** The asking unit's materialized path: only entries owned by it or an ancestor are visible. */
  unitPath: string;
  channel?: QaChannel;
  /** Maximum items (or suggestions); default 5, at most 50. */
  limit?: number;
  /** Validity instant; default the current time. */
  now?: Date;
}
