import { Category, Rule, Severity } from '../finding';

/** What a lexicon entry is. */
export enum LexiconKind {
  /** 禁用词: never publishable. */
  Forbidden = 'forbidden',
  /** 敏感词: needs a reviewer's eye. */
  Sensitive = 'sensitive',
  /** 广告用语 (广告法 absolute terms, calls to buy). */
  Ad = 'ad',
  /** 密级标志 and internal-only markers. */
  Secrecy = 'secrecy',
  /** 错别字 → correction. */
  Typo = 'typo',
  /**
   * 规范表述: with a replacement, a non-standard wording and the standard one; without a
   * replacement, a formulation whose items (separated by 、or ，) have a fixed order.
   */
  StandardPhrase = 'standard_phrase',
  /** A leader's name; replacement holds the current title(s), several separated by |. */
  LeaderTitle = 'leader_title',
  /** 稿源单位: a unit reprints may come from. */
  SourceUnit = 'source_unit',
  /** A host links may point to (its subdomains included). */
  HostAllowlist = 'host_allowlist',
}

export const LEXICON_KINDS = Object.values(LexiconKind);

/** How each kind reports when its entry names no severity. */
export const KIND_DEFAULTS: Record<LexiconKind, { rule: Rule; category: Category; severity: Severity }> = {
  [LexiconKind.Forbidden]: { rule: 'forbidden_word', category: 'political', severity: 'block' },
  [LexiconKind.Sensitive]: { rule: 'sensitive_word', category: 'political', severity: 'warn' },
  [LexiconKind.Ad]: { rule: 'ad_word', category: 'advertising', severity: 'warn' },
  [LexiconKind.Secrecy]: { rule: 'secrecy_marker', category: 'secrecy', severity: 'block' },
  [LexiconKind.Typo]: { rule: 'typo', category: 'text', severity: 'warn' },
  [LexiconKind.StandardPhrase]: { rule: 'nonstandard_phrase', category: 'policy', severity: 'warn' },
  [LexiconKind.LeaderTitle]: { rule: 'leader_title', category: 'political', severity: 'block' },
  [LexiconKind.SourceUnit]: { rule: 'source_unit', category: 'source', severity: 'block' },
  [LexiconKind.HostAllowlist]: { rule: 'external_link', category: 'advertising', severity: 'block' },
};

/** The separators of a fixed-order formulation's items. */
export const ORDER_SEPARATOR = /[、，,]/;

/** A lexicon entry as the engine sees it (persisted as LexiconEntry). */
export interface LexiconTerm {
  kind: LexiconKind;
  term: string;
  replacement?: string | null;
  severity?: Severity | null;
  note?: string | null;
}
