import { normalize, toOriginal } from './normalize';
import { isBankCard, isMobile, isResidentId } from './validators';

export type PersonalNumberKind = 'resident_id' | 'mobile_number' | 'bank_card';

export interface PersonalNumber {
  kind: PersonalNumberKind;
  /** The number's digits (country code and separators removed). */
  digits: string;
  /** Span in the original text. */
  start: number;
  end: number;
}

/** Digit runs with optional single spaces or hyphens between digits, not touching other Latin letters or digits. */
const NUMBER_RUN = /(?<![0-9A-Za-z])(?:\+?86[ -]?)?\d(?:[ -]?\d){10,18}(?:[ -]?[Xx])?(?![0-9A-Za-z])/g;

/**
 * Resident identity numbers, mobile numbers and bank card numbers in a text, each checked by its
 * own rule (check digit, number range, Luhn), full-width digits included. The compliance check
 * blocks them in manuscripts; the Q&A query log masks them before storing a question.
 */
export function findPersonalNumbers(text: string, today: Date): PersonalNumber[] {
  // Width folded (full-width digits are digits), separators kept so runs stay apart.
  const w = normalize(text, { keepFillers: true });
  const out: PersonalNumber[] = [];
  for (const match of w.text.matchAll(NUMBER_RUN)) {
    let digits = match[0].replace(/[ -]/g, '').toUpperCase();
    if (digits.startsWith('+86')) digits = digits.slice(3);
    else if (digits.startsWith('86') && digits.length === 13) digits = digits.slice(2);
    const kind = isResidentId(digits, today) ? 'resident_id' : isMobile(digits) ? 'mobile_number' : isBankCard(digits) ? 'bank_card' : null;
    if (!kind) continue;
    const { start, end } = toOriginal(w, match.index, match.index + match[0].length);
    out.push({ kind, digits, start, end });
  }
  return out;
}
