import { ErrorDetail, ownValue } from '@tongfa/core';
import { SEVERITIES, Severity } from '../finding';
import { normalizeTerm } from '../text/normalize';
import { LexiconKind, LexiconTerm } from './lexicon-kind';

const SEVERITY_ALIASES: Record<string, Severity> = {
  block: 'block',
  warn: 'warn',
  阻断: 'block',
  拦截: 'block',
  提示: 'warn',
  警告: 'warn',
};

export interface ParsedList {
  terms: LexiconTerm[];
  errors: (ErrorDetail & { line: number })[];
}

/**
 * Parses a plain list: one term a line, optionally `term<TAB>replacement<TAB>severity`. Blank
 * lines and lines starting with # are skipped; a BOM and CRLF line ends are accepted (lists come
 * from Windows desktops). Within the list the last line of a term wins.
 */
export function parseLexiconList(kind: LexiconKind, text: string): ParsedList {
  const errors: ParsedList['errors'] = [];
  const byTerm = new Map<string, LexiconTerm>();
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = i + 1;
      if (!raw.trim() || raw.trimStart().startsWith('#')) return;
      const [termRaw = '', replacementRaw = '', severityRaw = '', ...rest] = raw.split('\t');
      const term = termRaw.trim();
      const replacement = replacementRaw.trim() || null;
      const sev = severityRaw.trim().toLowerCase();
      const err = (message: string) => errors.push({ line, field: `line ${line}`, message });
      if (rest.some((r) => r.trim())) return err('多于三列 / more than three columns');
      if (term.length > 200) return err('词条超过 200 字 / term longer than 200 characters');
      if (replacement && replacement.length > 500) return err('替换/建议超过 500 字 / replacement longer than 500 characters');
      if (!normalizeTerm(term) && kind !== LexiconKind.HostAllowlist) return err('词条为空或只有符号 / empty term');
      if (kind === LexiconKind.HostAllowlist && !/^(\*\.)?[a-z0-9.-]+\.[a-z]{2,}$/i.test(term))
        return err(`不是域名“${term.slice(0, 50)}” / not a host name`);
      if (kind === LexiconKind.LeaderTitle && !replacement)
        return err('领导职务名录须在第二列填写现职务 / a leader needs the current title in column 2');
      if (kind === LexiconKind.Typo && !replacement) return err('错别字须在第二列填写正确写法 / a typo needs its correction in column 2');
      const severity = sev ? ownValue(SEVERITY_ALIASES, sev) : null;
      if (severity === undefined) return err(`级别应为 ${SEVERITIES.join('/')} / severity must be block or warn`);
      byTerm.set(`${normalizeTerm(term)}\u0000${term.toLowerCase()}`, {
        kind,
        term,
        replacement,
        severity,
      });
    });
  return { terms: [...byTerm.values()], errors };
}
