import { Converter } from 'opencc-js';

/**
 * A string derived from an original one, with, for every UTF-16 unit of `text`, the span of the
 * original it came from: unit i came from original[starts[i], ends[i]). A match [b, e) in `text`
 * covers original[starts[b], ends[e - 1]).
 */
export interface MappedText {
  text: string;
  starts: Int32Array;
  ends: Int32Array;
}

/** Maps a half-open span of a MappedText back to the original's offsets. */
export function toOriginal(m: MappedText, begin: number, end: number): { start: number; end: number } {
  if (end <= begin) {
    const at = begin < m.starts.length ? m.starts[begin] : m.ends.length ? m.ends[m.ends.length - 1] : 0;
    return { start: at, end: at };
  }
  return { start: m.starts[begin], end: m.ends[end - 1] };
}

// Traditional → simplified per character. Character-level (not OpenCC's phrase level) keeps the
// text's length, and the same function is applied to lexicon terms and to text, so a term matches
// whichever script either side was written in.
let t2s: ((s: string) => string)[] | null = null;
function toSimplified(ch: string): string {
  t2s ??= [Converter({ from: 't', to: 'cn' }), Converter({ from: 'hk', to: 'cn' }), Converter({ from: 'tw', to: 'cn' })];
  for (const convert of t2s) {
    const out = convert(ch);
    if (out !== ch) return out;
  }
  return ch;
}

const foldCache = new Map<string, string>();

/**
 * Folds one code point: NFKC (full-width Latin and digits to half width, compatibility forms to
 * their base), lower case, traditional to simplified. Cached: text repeats few distinct characters.
 */
export function foldChar(ch: string): string {
  let out = foldCache.get(ch);
  if (out !== undefined) return out;
  out = ch.normalize('NFKC').toLowerCase();
  if (/[\u2e80-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]/u.test(out)) out = Array.from(out, toSimplified).join('');
  if (foldCache.size < 100_000) foldCache.set(ch, out);
  return out;
}

/** Characters an evader inserts between the characters of a word: spaces, punctuation, symbols, invisibles. */
const FILLER = /^[\p{White_Space}\p{P}\p{S}\p{Cf}\p{Cc}\p{M}\p{Z}]$/u;
const fillerCache = new Map<string, boolean>();
export function isFiller(ch: string): boolean {
  let f = fillerCache.get(ch);
  if (f === undefined) {
    f = FILLER.test(ch);
    fillerCache.set(ch, f);
  }
  return f;
}

/**
 * The matching form of a text: every code point folded (see foldChar) and filler characters
 * dropped, so "法 轮", "法*轮", "法輪" and "ＦＡ" written as "fa" all meet the lexicon's form.
 * With `keepFillers` nothing is dropped (used where separators carry meaning, e.g. numbers).
 */
export function normalize(original: string, opts: { keepFillers?: boolean } = {}): MappedText {
  const keep = opts.keepFillers === true;
  const out: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const n = original.length;
  for (let i = 0; i < n;) {
    const c = original.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < n && (original.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const end = i + (pair ? 2 : 1);
    // Hot path (a check folds every character of a manuscript): BMP characters are looked up by
    // code in flat tables rather than by string in a Map.
    const folded = pair ? foldChar(original.slice(i, end)) : (BMP_FOLD[c] ??= foldChar(original[i]));
    if (folded.length === 1) {
      if (keep || !bmpFiller(folded.charCodeAt(0), folded)) {
        out.push(folded);
        starts.push(i);
        ends.push(end);
      }
    } else {
      for (const ch of folded) {
        if (!keep && isFiller(ch)) continue;
        for (let k = 0; k < ch.length; k++) {
          out.push(ch[k]);
          starts.push(i);
          ends.push(end);
        }
      }
    }
    i = end;
  }
  return { text: out.join(''), starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

const BMP_FOLD: (string | undefined)[] = new Array<string | undefined>(0x10000);
/** 0 not yet known, 1 filler, 2 not a filler. */
const BMP_FILLER = new Uint8Array(0x10000);
function bmpFiller(code: number, ch: string): boolean {
  let f = BMP_FILLER[code];
  if (f === 0) BMP_FILLER[code] = f = isFiller(ch) ? 1 : 2;
  return f === 1;
}

/** The matching form of a lexicon term (no offsets needed). */
export function normalizeTerm(term: string): string {
  return normalize(term).text;
}
