import { Parser } from 'htmlparser2';
import type { CounterName } from './manifest';

/** Options for counters that treat some text specially. */
export interface CountOptions {
  /** `weibo` only: every http(s) URL counts as this many units, whatever its length. */
  urlLength?: number;
}

/** A character counter: how many units `text` takes on a platform. */
export type Counter = (text: string, options?: CountOptions) => number;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Splits text into grapheme clusters (what a reader sees as one character). */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export function utf16(text: string): number {
  return text.length;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export function graphemeCount(text: string): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

// Characters a Weibo-style counter treats as half width: Latin-1 (ASCII, accents, NBSP) and the
// half-width katakana / half-width symbol blocks of U+FF61–U+FFDC and U+FFE8–U+FFEE.
function isHalfWidth(cp: number): boolean {
  return cp < 0x100 || (cp >= 0xff61 && cp <= 0xffdc) || (cp >= 0xffe8 && cp <= 0xffee);
}

// A URL ends at whitespace or at the first full-width character, which is how Weibo's composer links it.
const urlPattern = /https?:\/\/[^\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+/g;

/**
 * Weibo's count: a full-width character (CJK, full-width punctuation, emoji) counts 1, two half-width
 * characters count 1, rounded up: `ceil(halfwidth / 2) + fullwidth`. Counted per code point, so an emoji
 * made of several code points counts several units, as Weibo's composer does.
 * With `urlLength`, each URL counts that many units instead of its own length.
 */
export function weibo(text: string, options: CountOptions = {}): number {
  let rest = text;
  let urlUnits = 0;
  if (options.urlLength !== undefined) {
    const urls = text.match(urlPattern) ?? [];
    urlUnits = urls.length * options.urlLength;
    rest = text.replace(urlPattern, '');
  }
  let half = 0;
  let full = 0;
  for (const ch of rest) {
    if (isHalfWidth(ch.codePointAt(0)!)) half++;
    else full++;
  }
  return Math.ceil(half / 2) + full + urlUnits;
}

/** The counters by manifest name. */
export const counters: Readonly<Record<CounterName, Counter>> = Object.freeze({
  codePoints,
  utf16,
  utf8Bytes,
  graphemes: graphemeCount,
  weibo,
});

/** Counts `text` with the named counter, e.g. `countWith(manifest.constraints.title.counter, title)`. */
export function countWith(counter: CounterName, text: string, options?: CountOptions): number {
  const fn = counters[counter];
  if (!fn) throw new Error(`未知计数方式 / unknown counter "${String(counter)}"`);
  return fn(text, options);
}

/**
 * Shortens `text` so that `counter(result) <= max`, appending `ellipsis` when it cut anything.
 * Cuts only between grapheme clusters, so it never splits a surrogate pair, a combining sequence,
 * a flag or a ZWJ emoji. If even the ellipsis does not fit, cuts without it.
 */
export function truncate(
  text: string,
  max: number,
  counter: CounterName | Counter = 'codePoints',
  ellipsis = '…',
  options?: CountOptions,
): string {
  const count: (s: string) => number = typeof counter === 'function' ? (s) => counter(s, options) : (s) => countWith(counter, s, options);
  if (count(text) <= max) return text;
  if (max <= 0) return '';
  const suffix = count(ellipsis) <= max ? ellipsis : '';
  // Binary search over code points (cheap), then back off to a grapheme boundary found by
  // segmenting only a small window around the cut: Intl.Segmenter is slow per grapheme, and a
  // long article must not be segmented whole to cut a 140-character post.
  const cps = Array.from(text);
  const prefixCp = (k: number) => cps.slice(0, k).join('');
  let lo = 0;
  let hi = cps.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (count(prefixCp(mid) + suffix) <= max) lo = mid;
    else hi = mid - 1;
  }
  const windowStart = Math.max(0, lo - 32);
  const windowText = cps.slice(windowStart, Math.min(cps.length, lo + 32)).join('');
  let cut = windowStart;
  let offset = 0;
  for (const g of segmenter.segment(windowText)) {
    const len = Array.from(g.segment).length;
    if (windowStart + offset + len > lo) break;
    offset += len;
    cut = windowStart + offset;
  }
  // Trailing whitespace before an ellipsis looks like a mistake in Chinese and English alike.
  const head = suffix ? prefixCp(cut).replace(/\s+$/u, '') : prefixCp(cut);
  return head + suffix;
}

/** Options for htmlToText. */
export interface HtmlToTextOptions {
  /** Separator between paragraphs (`p`, headings, lists, tables, blockquote). Defaults to `\n\n`. */
  paragraphSeparator?: string;
  /** Text to put before each list item. Defaults to none. */
  listItemPrefix?: string;
}

const paragraphTags = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'table', 'blockquote', 'pre', 'figure', 'hr', 'dl']);
const lineTags = new Set([
  'div',
  'li',
  'tr',
  'section',
  'article',
  'header',
  'footer',
  'aside',
  'nav',
  'main',
  'figcaption',
  'dd',
  'dt',
  'address',
  'caption',
  'details',
  'summary',
]);
const cellTags = new Set(['td', 'th']);
const skippedTags = new Set(['script', 'style', 'head', 'title', 'noscript', 'template', 'iframe', 'object', 'svg', 'math']);

/**
 * Converts manuscript HTML to plain text: block elements become line breaks, `<br>` a line break,
 * table cells are separated by a tab, entities are decoded, scripts and styles dropped, and runs of
 * whitespace collapsed outside `<pre>`. Uses htmlparser2 (a tolerant streaming parser with a complete
 * entity table), because regexes get nested, unclosed and commented markup wrong.
 */
export function htmlToText(html: string, options: HtmlToTextOptions = {}): string {
  const paraSep = options.paragraphSeparator ?? '\n\n';
  const chunks: string[] = [];
  let skipDepth = 0;
  let preDepth = 0;
  // Pending break: 0 none, 1 line, 2 paragraph. Breaks are merged so nested blocks do not stack blank lines.
  let pendingBreak = 0;
  let atStart = true;

  const requestBreak = (level: number) => {
    if (!atStart) pendingBreak = Math.max(pendingBreak, level);
  };
  const emit = (text: string) => {
    if (!text) return;
    if (pendingBreak) {
      chunks.push(pendingBreak === 2 ? paraSep : '\n');
      pendingBreak = 0;
    }
    chunks.push(text);
    atStart = false;
  };

  const parser = new Parser(
    {
      onopentag(name) {
        if (skippedTags.has(name)) {
          skipDepth++;
          return;
        }
        if (skipDepth) return;
        if (name === 'pre') preDepth++;
        if (paragraphTags.has(name)) requestBreak(2);
        else if (lineTags.has(name)) requestBreak(1);
        else if (name === 'br') {
          // A <br> is content: two in a row make an empty line even at the very start of a block.
          if (pendingBreak) {
            chunks.push(pendingBreak === 2 ? paraSep : '\n');
            pendingBreak = 0;
          }
          chunks.push('\n');
          atStart = false;
        } else if (cellTags.has(name)) {
          const last = chunks[chunks.length - 1];
          if (last !== undefined && !last.endsWith('\n') && !pendingBreak) chunks.push('\t');
        }
        if (name === 'li' && options.listItemPrefix) emit(options.listItemPrefix);
      },
      ontext(raw) {
        if (skipDepth) return;
        if (preDepth) {
          emit(raw);
          return;
        }
        const collapsed = raw.replace(/[ \t\n\r\f]+/g, ' ');
        const last = chunks[chunks.length - 1] ?? '';
        // Drop a leading space at a line start or after another space, as a browser does.
        const text =
          pendingBreak || atStart || last.endsWith(' ') || last.endsWith('\n') || last.endsWith('\t')
            ? collapsed.replace(/^ /, '')
            : collapsed;
        emit(text);
      },
      onclosetag(name) {
        if (skippedTags.has(name)) {
          skipDepth = Math.max(0, skipDepth - 1);
          return;
        }
        if (skipDepth) return;
        if (name === 'pre') preDepth = Math.max(0, preDepth - 1);
        if (paragraphTags.has(name)) requestBreak(2);
        else if (lineTags.has(name)) requestBreak(1);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  // Spaces left at line ends by collapsed inline whitespace; NBSP becomes a plain space for counting.
  return chunks
    .join('')
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n[ ]+/g, '\n')
    .trim();
}
