import { Message } from '@tongfa/core';

export type Severity = 'block' | 'warn';
export const SEVERITIES = ['block', 'warn'] as const;

/** The five checks (五关) and the concerns they break into. */
export type Category = 'political' | 'legal' | 'policy' | 'secrecy' | 'text' | 'privacy' | 'advertising' | 'source' | 'image';

export type Field = 'title' | 'summary' | 'body' | 'source' | 'image';

/** Every rule the checker applies; a finding's id is derived from its rule and matched value. */
export type Rule =
  | 'forbidden_word'
  | 'sensitive_word'
  | 'ad_word'
  | 'secrecy_marker'
  | 'typo'
  | 'nonstandard_phrase'
  | 'phrase_order'
  | 'leader_title'
  | 'resident_id'
  | 'mobile_number'
  | 'bank_card'
  | 'external_link'
  | 'source_unit'
  | 'image_metadata'
  | 'image_format'
  | 'image_bytes'
  | 'image_dimensions';

export interface Finding {
  /** Stable fingerprint: the same rule and normalised value give the same id in every check. */
  id: string;
  rule: Rule;
  category: Category;
  severity: Severity;
  field: Field;
  /**
   * Span in the field's text, UTF-16 offsets, end exclusive. For the body, the plain text that
   * htmlToPlain() derives; for an image, the image's index (end = index + 1).
   */
  start: number;
  end: number;
  /** Span in the body's HTML string (body findings only). */
  htmlStart?: number;
  htmlEnd?: number;
  /** The text as written (the original characters of the span). */
  text: string;
  message: Message;
  suggestion?: string;
  /** A personal-data finding a reviewer marked as intended: reported, but it does not block. */
  acknowledged?: boolean;
  /** The platform whose limit an image breaks. */
  platform?: string;
}

export interface CheckResult {
  ok: boolean;
  blocking: Finding[];
  warnings: Finding[];
  /** The published lexicon version the check used. */
  lexiconVersion: number;
}

/** What 送审 (submission) makes of a check: the one rule the editor's button and the API share. */
export interface SubmitRule {
  /** Nothing must be fixed first: the manuscript may go to review. */
  allowed: boolean;
  /** Finding ids the editor must fix before submitting (lexicon, source, wording). */
  mustFix: string[];
  /** Personal data: submitting is allowed, the reviewer decides whether it is intended (确认有意公开). */
  forReviewer: string[];
}

/**
 * 送审 rule: blocking findings stop a submission, except personal data (the reviewer decides) and
 * image findings (each platform's rendition fits or refuses the image when it publishes).
 */
export function submitRule(result: Pick<CheckResult, 'blocking'>): SubmitRule {
  const mustFix = result.blocking.filter((f) => f.category !== 'privacy' && f.field !== 'image').map((f) => f.id);
  const forReviewer = result.blocking.filter((f) => f.category === 'privacy').map((f) => f.id);
  return { allowed: mustFix.length === 0, mustFix, forReviewer };
}

/**
 * cyrb53-style 64-bit string hash, hex. A fingerprint, not a secret: it only needs to be stable
 * across processes and releases and to make collisions between different values unlikely.
 */
export function fingerprint(rule: string, value: string): string {
  const s = `${rule}\u0000${value}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${rule}:${(h2 >>> 0).toString(16).padStart(8, '0')}${(h1 >>> 0).toString(16).padStart(8, '0')}`;
}
