import { findPersonalNumbers, PersonalNumberKind } from '@tongfa/compliance';

const LABELS: Record<PersonalNumberKind, string> = {
  mobile_number: '[手机号]',
  resident_id: '[身份证号]',
  bank_card: '[银行卡号]',
};

/**
 * The text with every mobile, resident ID and bank card number (the compliance detectors)
 * replaced by a label, so a citizen's question can be stored and logged without them.
 */
export function maskPersonalData(text: string, today: Date): string {
  let out = text;
  // Right to left: earlier spans keep their offsets.
  for (const n of findPersonalNumbers(text, today).sort((a, b) => b.start - a.start)) {
    out = out.slice(0, n.start) + LABELS[n.kind] + out.slice(n.end);
  }
  return out;
}
