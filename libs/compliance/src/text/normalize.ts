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
  const n = original.length;
  // Hot path (a check folds every character of a manuscript): output in typed arrays sized for
  // the usual case (one unit out per unit in), BMP characters folded through flat tables by code.
  const out = new MappedBuilder(n + 16);
  for (let i = 0; i < n;) {
    const c = original.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < n && (original.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const end = i + (pair ? 2 : 1);
    if (!pair) {
      let f = BMP_UNIT[c];
      if (f === 0) {
        const folded = (BMP_FOLD[c] ??= foldChar(original[i]));
        f = BMP_UNIT[c] = folded.length === 1 ? folded.charCodeAt(0) + 1 : -1;
      }
      if (f > 0) {
        if (keep || !bmpFiller(f - 1)) out.push(f - 1, i, end);
        i = end;
        continue;
      }
    }
    const folded = pair ? foldChar(original.slice(i, end)) : BMP_FOLD[c]!;
    if (folded.length === 1) {
      if (keep || !bmpFiller(folded.charCodeAt(0))) out.push(folded.charCodeAt(0), i, end);
    } else {
      for (const ch of folded) {
        if (!keep && isFiller(ch)) continue;
        for (let k = 0; k < ch.length; k++) out.push(ch.charCodeAt(k), i, end);
      }
    }
    i = end;
  }
  return out.done();
}

/**
 * Builds a MappedText unit by unit in growable typed arrays. The working arrays are a scratch
 * set shared by the builders that do not overlap (every caller builds synchronously), so a check
 * allocates only its results: one buffer per MappedText for both offset arrays. Fresh large
 * buffers on every check would grow V8's external memory and bring full collections of the heap.
 */
export class MappedBuilder {
  units: Uint16Array;
  starts: Int32Array;
  ends: Int32Array;
  length = 0;
  private readonly shared: boolean;

  constructor(capacity: number) {
    this.shared = !scratchInUse;
    if (this.shared) {
      scratchInUse = true;
      if (scratch.units.length < capacity)
        scratch = { units: new Uint16Array(capacity), starts: new Int32Array(capacity), ends: new Int32Array(capacity) };
      ({ units: this.units, starts: this.starts, ends: this.ends } = scratch);
    } else {
      this.units = new Uint16Array(capacity);
      this.starts = new Int32Array(capacity);
      this.ends = new Int32Array(capacity);
    }
  }

  push(unit: number, start: number, end: number): void {
    if (this.length === this.units.length) this.grow();
    this.units[this.length] = unit;
    this.starts[this.length] = start;
    this.ends[this.length++] = end;
  }

  private grow(): void {
    const cap = this.units.length * 2 + 16;
    const units = new Uint16Array(cap);
    const starts = new Int32Array(cap);
    const ends = new Int32Array(cap);
    units.set(this.units);
    starts.set(this.starts);
    ends.set(this.ends);
    this.units = units;
    this.starts = starts;
    this.ends = ends;
    if (this.shared) scratch = { units, starts, ends };
  }

  done(): MappedText {
    const units = this.units.subarray(0, this.length);
    // The native decoder is the fast way to a string, but it replaces lone surrogates, which
    // fromCharCode keeps as they are (a text may hold them; offsets must stay one unit per unit).
    let text: string;
    if (!hasSurrogate(units)) text = UTF16.decode(units);
    else {
      const parts: string[] = [];
      for (let k = 0; k < units.length; k += 8192) {
        parts.push(String.fromCharCode.apply(null, units.subarray(k, Math.min(units.length, k + 8192)) as unknown as number[]));
      }
      text = parts.join('');
    }
    const n = this.length;
    const offsets = new Int32Array(n * 2);
    offsets.set(this.starts.subarray(0, n));
    offsets.set(this.ends.subarray(0, n), n);
    if (this.shared) scratchInUse = false;
    return { text, starts: offsets.subarray(0, n), ends: offsets.subarray(n) };
  }
}

let scratch = { units: new Uint16Array(0), starts: new Int32Array(0), ends: new Int32Array(0) };
let scratchInUse = false;

const UTF16 = new TextDecoder('utf-16le', { ignoreBOM: true });

function hasSurrogate(units: Uint16Array): boolean {
  for (let k = 0; k < units.length; k++) if ((units[k] & 0xf800) === 0xd800) return true;
  return false;
}

const BMP_FOLD: (string | undefined)[] = new Array<string | undefined>(0x10000);
/** A BMP unit's fold when it is one unit: 0 not yet known, -1 longer, else the folded unit + 1. */
const BMP_UNIT = new Int32Array(0x10000);
/** 0 not yet known, 1 filler, 2 not a filler. */
const BMP_FILLER = new Uint8Array(0x10000);
function bmpFiller(code: number): boolean {
  let f = BMP_FILLER[code];
  if (f === 0) BMP_FILLER[code] = f = isFiller(String.fromCharCode(code)) ? 1 : 2;
  return f === 1;
}

/** The matching form of a lexicon term (no offsets needed). */
export function normalizeTerm(term: string): string {
  return normalize(term).text;
}
