import { AhoCorasick } from '@monyone/aho-corasick/fast';
import { Category, Rule, Severity } from '../finding';
import { KIND_DEFAULTS, LexiconKind, LexiconTerm, ORDER_SEPARATOR } from '../lexicon/lexicon-kind';
import { MappedText, normalizeTerm } from '../text/normalize';

/** What a keyword of the automaton stands for. */
export interface Pattern {
  kind: LexiconKind;
  rule: Rule;
  category: Category;
  severity: Severity;
  /** The entry's term as the province wrote it. */
  term: string;
  suggestion?: string;
  /** For a replacement that contains the term (十八大 → 党的十八大): the normalised replacement and the term's offset in it. */
  around?: { text: string; offset: number };
  /** leader_title: the name's current titles, normalised. */
  titles?: string[];
}

export interface PatternMatch {
  /** Span in the normalised text. */
  begin: number;
  end: number;
  pattern: Pattern;
}

/** Beyond this many items a fixed order is guarded by its adjacent swaps and reversal, not every permutation. */
const MAX_PERMUTED_ITEMS = 6;

/**
 * One published lexicon version compiled for checking: a single Aho–Corasick automaton over the
 * normalised form of every word-like entry (forbidden, sensitive, ad, secrecy, typo, standard
 * phrase and wrong orders of fixed formulations, leader names), plus the lists checked by
 * lookup (source units, link hosts, titles). Immutable; built once per version.
 */
export class CompiledLexicon {
  private constructor(
    readonly version: number,
    private readonly automaton: AhoCorasick,
    private readonly patterns: Map<string, Pattern[]>,
    /** Every known leader title, normalised, longest first. */
    readonly titles: string[],
    readonly hosts: string[],
    private readonly sourceUnits: Set<string>,
    readonly size: number,
  ) {}

  static compile(version: number, terms: readonly LexiconTerm[]): CompiledLexicon {
    const patterns = new Map<string, Pattern[]>();
    const titles = new Set<string>();
    const hosts: string[] = [];
    const sourceUnits = new Set<string>();
    const add = (keyword: string, p: Pattern) => {
      if (!keyword) return;
      const list = patterns.get(keyword);
      if (list) list.push(p);
      else patterns.set(keyword, [p]);
    };
    for (const t of terms) {
      const d = KIND_DEFAULTS[t.kind];
      const base = { kind: t.kind, rule: d.rule, category: d.category, severity: t.severity ?? d.severity, term: t.term };
      const norm = normalizeTerm(t.term);
      switch (t.kind) {
        case LexiconKind.SourceUnit:
          if (norm) sourceUnits.add(norm);
          break;
        case LexiconKind.HostAllowlist: {
          const host = t.term
            .trim()
            .toLowerCase()
            .replace(/^\*?\./, '');
          if (host) hosts.push(host);
          break;
        }
        case LexiconKind.LeaderTitle: {
          const own = (t.replacement ?? '').split('|').map(normalizeTerm).filter(Boolean);
          for (const title of own) titles.add(title);
          // A wrong title is a serious expression error (严重表述错误): always blocks.
          add(norm, { ...base, severity: 'block', titles: own, suggestion: t.replacement?.split('|')[0] });
          break;
        }
        case LexiconKind.StandardPhrase:
          if (!t.replacement && ORDER_SEPARATOR.test(t.term)) {
            const items = t.term
              .split(ORDER_SEPARATOR)
              .map((s) => s.trim())
              .filter(Boolean);
            for (const wrong of wrongOrders(items.map(normalizeTerm), norm)) {
              add(wrong, { ...base, rule: 'phrase_order', category: 'political', severity: 'block', suggestion: t.term });
            }
          } else {
            add(norm, { ...base, suggestion: t.replacement ?? undefined, around: around(norm, t.replacement) });
          }
          break;
        case LexiconKind.Typo:
          add(norm, { ...base, suggestion: t.replacement ?? undefined, around: around(norm, t.replacement) });
          break;
        default:
          add(norm, base);
      }
    }
    const automaton = new AhoCorasick([...patterns.keys()]);
    const byLength = [...titles].sort((a, b) => b.length - a.length);
    return new CompiledLexicon(version, automaton, patterns, byLength, hosts, sourceUnits, terms.length);
  }

  /** Every occurrence of every keyword in a normalised text (overlaps included). */
  scan(m: MappedText): PatternMatch[] {
    if (this.patterns.size === 0 || !m.text) return [];
    const out: PatternMatch[] = [];
    for (const hit of this.automaton.matchInText(m.text)) {
      for (const pattern of this.patterns.get(hit.keyword) ?? []) {
        if (pattern.around && m.text.startsWith(pattern.around.text, hit.begin - pattern.around.offset)) continue;
        out.push({ begin: hit.begin, end: hit.end, pattern });
      }
    }
    return out;
  }

  isSourceUnit(name: string): boolean {
    return this.sourceUnits.has(normalizeTerm(name));
  }

  hostAllowed(host: string): boolean {
    const h = host.toLowerCase().replace(/\.$/, '');
    return this.hosts.some((a) => h === a || h.endsWith(`.${a}`));
  }
}

function around(norm: string, replacement: string | null | undefined): Pattern['around'] {
  if (!replacement) return undefined;
  const rep = normalizeTerm(replacement);
  const offset = rep.indexOf(norm);
  return offset >= 0 && rep !== norm ? { text: rep, offset } : undefined;
}

/** The orders of `items` other than the right one, as normalised keywords. */
export function wrongOrders(items: string[], right: string): string[] {
  const out = new Set<string>();
  if (items.length < 2) return [];
  if (items.length <= MAX_PERMUTED_ITEMS) {
    const permute = (rest: string[], acc: string) => {
      if (rest.length === 0) out.add(acc);
      rest.forEach((it, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], acc + it));
    };
    permute(items, '');
  } else {
    for (let i = 0; i + 1 < items.length; i++) {
      const s = [...items];
      [s[i], s[i + 1]] = [s[i + 1], s[i]];
      out.add(s.join(''));
    }
    out.add([...items].reverse().join(''));
  }
  out.delete(right);
  return [...out];
}
