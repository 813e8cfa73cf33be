import { remove as confusableSkeleton } from 'confusables';

/**
 * Name consistency (名称一致) for a unit's accounts. Harmless variants pass: full-width and
 * half-width forms, spaces of any kind, ASCII case. Look-alikes fail and are named as such:
 * names that only become equal after further compatibility folding (Kangxi radicals,
 * compatibility ideographs, circled or styled letters) or whose Unicode confusable skeletons
 * match (Cyrillic "а" for Latin "a"), and names hiding invisible or direction-control characters.
 */
export type NameVerdict = 'same' | 'lookalike' | 'different';

const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\u00AD]/;

/** Folds full-width ASCII and the ideographic space, drops whitespace, lower-cases ASCII. */
export function foldHarmless(name: string): string {
  let out = '';
  for (const ch of name) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xff01 && cp <= 0xff5e) out += String.fromCodePoint(cp - 0xfee0);
    else if (cp === 0x3000) out += ' ';
    else out += ch;
  }
  return out.replace(/\s+/gu, '').toLowerCase();
}

export function hasInvisible(name: string): boolean {
  return INVISIBLE.test(name);
}

export function compareNames(a: string, b: string): NameVerdict {
  if (hasInvisible(a) || hasInvisible(b)) {
    const stripped = (s: string) => foldHarmless(s.replace(new RegExp(INVISIBLE.source, 'gu'), ''));
    return stripped(a) === stripped(b) ? 'lookalike' : 'different';
  }
  const fa = foldHarmless(a);
  const fb = foldHarmless(b);
  if (fa === fb) return 'same';
  const na = fa.normalize('NFKC');
  const nb = fb.normalize('NFKC');
  if (na === nb || confusableSkeleton(na) === confusableSkeleton(nb)) return 'lookalike';
  return 'different';
}

export interface NamingInput {
  /** The unit's name: every account must show it as verified subject. */
  unitName: string;
  /** The one name all of the unit's active accounts carry. */
  expectedName: string;
  /** What the platform reports (the evidence), falling back to what was registered. */
  accountName: string;
  verifiedSubject: string | null;
}

/** The issues of one account, in Chinese first; empty when consistent. */
export function namingIssues(i: NamingInput): string[] {
  const issues: string[] = [];
  const n = compareNames(i.accountName, i.expectedName);
  if (n === 'lookalike')
    issues.push(`账号名称“${i.accountName}”与统一名称“${i.expectedName}”形似而不同（含形近或不可见字符）/ look-alike name`);
  if (n === 'different') issues.push(`账号名称“${i.accountName}”与统一名称“${i.expectedName}”不一致 / name differs`);
  // No subject is no evidence either way (WeChat, Douyin and Toutiao do not report one through
  // their APIs): not an inconsistency; the account shows 认证主体未核验 until someone records it.
  if (i.verifiedSubject) {
    const s = compareNames(i.verifiedSubject, i.unitName);
    if (s === 'lookalike') issues.push(`认证主体“${i.verifiedSubject}”与主办单位“${i.unitName}”形似而不同 / look-alike verified subject`);
    if (s === 'different') issues.push(`认证主体“${i.verifiedSubject}”不是主办单位“${i.unitName}” / verified subject is not the host unit`);
  }
  return issues;
}
