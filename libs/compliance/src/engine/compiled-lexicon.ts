import { Category, Rule, Severity } from '../finding';
import { KIND_DEFAULTS, LexiconKind, LexiconTerm, ORDER_SEPARATOR } from '../lexicon/lexicon-kind';
import { MappedText, normalizeTerm } from '../text/normalize';
import { AutomatonData, automatonBuffers, buildAutomaton, walkAutomaton } from './automaton';

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
 * A lexicon version prepared for checking, as plain data: the automaton's typed arrays, each
 * keyword's patterns as JSON lines (read only when the keyword is found) and the lookup lists.
 * Built off the event loop (a worker thread, see lexicon-compiler.ts) and transferred to the main
 * thread, where CompiledLexicon.fromPrepared wraps it without walking the entries again.
 */
export interface PreparedLexicon {
  version: number;
  size: number;
  automaton: AutomatonData;
  /** Patterns of keyword k: patternStart[k] .. patternStart[k + 1] - 1. */
  patternStart: Int32Array;
  /** Pattern p's JSON is patternText.slice(patternOffset[p], patternOffset[p + 1] - 1). */
  patternText: string;
  patternOffset: Int32Array;
  /** Every known leader title, normalised, longest first. */
  titles: string[];
  hosts: string[];
  sourceUnits: string[];
}

/** Prepares a lexicon version (pure: the worker thread runs it, so does CompiledLexicon.compile). */
export function prepareLexicon(version: number, terms: readonly LexiconTerm[]): PreparedLexicon {
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
  const keywords = [...patterns.keys()];
  const patternStart = new Int32Array(keywords.length + 1);
  const lines: string[] = [];
  const offsets: number[] = [0];
  let at = 0;
  keywords.forEach((kw, k) => {
    patternStart[k] = lines.length;
    for (const p of patterns.get(kw)!) {
      const line = `${JSON.stringify(p)}\n`;
      lines.push(line);
      at += line.length;
      offsets.push(at);
    }
  });
  patternStart[keywords.length] = lines.length;
  return {
    version,
    size: terms.length,
    automaton: buildAutomaton(keywords),
    patternStart,
    patternText: lines.join(''),
    patternOffset: Int32Array.from(offsets),
    titles: [...titles].sort((a, b) => b.length - a.length),
    hosts,
    sourceUnits: [...sourceUnits],
  };
}

/** The buffers of a prepared lexicon, for postMessage's transfer list. */
export function preparedBuffers(p: PreparedLexicon): ArrayBuffer[] {
  return [...automatonBuffers(p.automaton), p.patternStart.buffer as ArrayBuffer, p.patternOffset.buffer as ArrayBuffer];
}

/**
 * One published lexicon version compiled for checking: a single Aho–Corasick automaton over the
 * normalised form of every word-like entry (forbidden, sensitive, ad, secrecy, typo, standard
 * phrase and wrong orders of fixed formulations, leader names), plus the lists checked by
 * lookup (source units, link hosts, titles). Immutable; built once per version.
 */
export class CompiledLexicon {
  readonly version: number;
  readonly size: number;
  /** Every known leader title, normalised, longest first. */
  readonly titles: string[];
  readonly hosts: string[];
  private readonly sourceUnits: Set<string>;
  /** Patterns parsed so far (a check meets few of the lexicon's keywords). */
  private readonly parsed: (Pattern | undefined)[] = [];

  private constructor(private readonly prepared: PreparedLexicon) {
    this.version = prepared.version;
    this.size = prepared.size;
    this.titles = prepared.titles;
    this.hosts = prepared.hosts;
    this.sourceUnits = new Set(prepared.sourceUnits);
  }

  /** Compiles on the calling thread (tests, small lexicons); LexiconCompiler does it in a worker. */
  static compile(version: number, terms: readonly LexiconTerm[]): CompiledLexicon {
    return new CompiledLexicon(prepareLexicon(version, terms));
  }

  static fromPrepared(prepared: PreparedLexicon): CompiledLexicon {
    return new CompiledLexicon(prepared);
  }

  private pattern(p: number): Pattern {
    let pattern = this.parsed[p];
    if (!pattern) {
      const { patternText, patternOffset } = this.prepared;
      pattern = this.parsed[p] = JSON.parse(patternText.slice(patternOffset[p], patternOffset[p + 1] - 1)) as Pattern;
    }
    return pattern;
  }

  /** Every occurrence of every keyword in a normalised text (overlaps included). */
  scan(m: MappedText): PatternMatch[] {
    const { automaton, patternStart } = this.prepared;
    if (patternStart.length <= 1 || !m.text) return [];
    const out: PatternMatch[] = [];
    walkAutomaton(automaton, m.text, (k, begin, end) => {
      for (let p = patternStart[k]; p < patternStart[k + 1]; p++) {
        const pattern = this.pattern(p);
        if (pattern.around && m.text.startsWith(pattern.around.text, begin - pattern.around.offset)) continue;
        out.push({ begin, end, pattern });
      }
    });
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
