import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { pinyin } from 'pinyin-pro';
import { Converter } from 'opencc-js';
import type { SynonymGroup } from './types';

/**
 * The one text pipeline of the Q&A search, applied identically to entries and queries so both
 * sides meet in the same form:
 *   fold (NFKC full→half width, lower case, traditional→simplified with OpenCC's phrase tables)
 *   → drop punctuation → synonym rewrite to the canonical term (to a fixpoint)
 *   → jieba search-mode words + character bigrams → pinyin keys of the bigrams (homophone typos:
 *   公基金 meets 公积金 through "gongji", "jijin").
 */

let jieba: Jieba | null = null;
function segmenter(): Jieba {
  // Loading the dictionary takes ~90 ms; once per process, on first use.
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

export function isCjk(code: number): boolean {
  return (code >= 0x3400 && code <= 0x9fff) || (code >= 0xf900 && code <= 0xfaff);
}

function isWordChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || isCjk(c) || /\p{L}|\p{N}/u.test(ch);
}

let toSimplified: ((s: string) => string) | null = null;
const changesAlone = new Map<string, boolean>();
/**
 * Traditional → simplified at phrase level (OpenCC's Taiwan tables also take mainland
 * traditional text). Run only when some character would change on its own: most text is already
 * simplified and the converter is the slowest step of indexing.
 */
function simplify(text: string): string {
  toSimplified ??= Converter({ from: 'tw', to: 'cn' });
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x3400) continue;
    let changes = changesAlone.get(ch);
    if (changes === undefined) {
      // 么 is simplified already; OpenCC's Taiwan table alone turns it into 幺 (phrases keep it).
      changes = ch !== '么' && toSimplified(ch) !== ch;
      changesAlone.set(ch, changes);
    }
    if (changes) return toSimplified(text);
  }
  return text;
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** The value of a Chinese numeral below 10,000 (八十 80, 五十五 55, 十二 12, 一百零五 105, 一千五 1500), or null. */
function cnNumber(s: string): number | null {
  let total = 0;
  let digit: number | null = null;
  let lastUnit = 0;
  let zero = false;
  for (const ch of s) {
    const d = CN_DIGITS[ch];
    if (d !== undefined) {
      if (d === 0) zero = true;
      digit = d;
      continue;
    }
    const unit = ch === '十' ? 10 : ch === '百' ? 100 : ch === '千' ? 1000 : 0;
    if (!unit) return null;
    total += (digit ?? (unit === 10 ? 1 : 0)) * unit;
    digit = null;
    lastUnit = unit;
    zero = false;
  }
  // A last digit straight after 百 or 千 counts in the next unit down: 一千五 1500, 两百五 250 (一百零五 105).
  if (digit !== null && lastUnit >= 100 && !zero) return total + (digit * lastUnit) / 10;
  return total + (digit ?? 0);
}

/**
 * Chinese numerals that are quantities to Arabic digits, so 满八十岁 meets 满80岁: a run with 十, 百
 * or 千 in it (五十五, 十二), or one digit before 岁/周岁 (七岁). Lone digits elsewhere (一楼, 一网通办,
 * 统一) are words, not quantities, and stay.
 */
function arabicNumerals(text: string): string {
  return text.replace(/[零〇一二两三四五六七八九十百千]+(?=(周?岁)?)/g, (run, age: string | undefined, offset: number) => {
    const quantity = /[十百千]/.test(run) || (run.length === 1 && age !== undefined);
    if (!quantity) return run;
    // Not inside a word such as 十分, 百姓 or 千万.
    const next = text[offset + run.length] ?? '';
    if (next && '分姓万'.includes(next)) return run;
    const n = cnNumber(run);
    return n === null ? run : String(n);
  });
}

/**
 * A-not-A questions read as the verb alone: 能不能 → 能, 是不是 → 是, 可不可以 → 可以, 需不需要 → 需要,
 * 有没有 → 有, 交没交 → 交. Left whole the segmenter cuts 能不能报 into 能/不能/报 and 不能, a word
 * hardly any question holds, weighs as the query's rarest and most specific word.
 */
function notQuestions(text: string): string {
  return text.replace(/(\p{Script=Han})[不没]\1/gu, '$1');
}

/**
 * Folded text: NFKC (full-width letters and digits to half width), lower case, simplified, every
 * run of non-letters and non-digits collapsed to one space.
 */
export function foldQaText(text: string): string {
  const folded = notQuestions(arabicNumerals(simplify(text.normalize('NFKC').toLowerCase())));
  let out = '';
  let space = true;
  for (const ch of folded) {
    if (isWordChar(ch)) {
      out += ch;
      space = false;
    } else if (!space) {
      out += ' ';
      space = true;
    }
  }
  return out.trimEnd();
}

/**
 * Function words and politeness that citizens wrap questions in. Dropped from word tokens and
 * from bigrams equal to them; they would otherwise match every entry.
 */
const STOPWORDS = new Set(
  (
    '的 了 吗 呢 吧 啊 呀 哦 嘛 么 着 过 和 与 及 或 也 都 就 还 又 再 很 太 我 你 您 他 她 它 我们 你们 他们 自己 ' +
    '这 那 这个 那个 这些 那些 这样 那样 是 在 有 没 没有 不 要 想 会 能 可 可以 可不可以 能不能 是不是 有没有 ' +
    '请问 请 问 问一下 一下 咨询 你好 您好 谢谢 麻烦 打扰 老师 同志 领导 工作人员 ' +
    '怎么 怎么样 怎样 如何 什么 啥 哪 哪里 哪儿 哪个 多少 几 为什么 为啥 吗 呢 现在 目前 已经 但是 因为 所以 如果 ' +
    '一个 个 上 下 里 中 给 让 被 把 对 向 从 到 去 来 说 听说 知道 一 二 三 ' +
    // Colloquial wrapping and question-type words: how, which, "I'd like to ask", "don't know".
    '怎么办 怎么弄 怎么搞 怎么整 怎么个 咋 咋办 咋弄 咋整 咋样 怎么回事 哪些 哪家 啥样 什么样 ' +
    '好 不知道 想知道 想问 想问一下 我想问一下 问问 请教 请教一下 帮忙 帮我 看看 一直 之前 然后 还是 就是 其实 ' +
    '应该 可能 到底 究竟 这种 那种 情况 需要 得 呗 啦 哈 嗯 喔 噢'
  ).split(' '),
);

export function isStopword(token: string): boolean {
  return STOPWORDS.has(token);
}

const pinyinCache = new Map<string, string>();
/** Toneless pinyin of one character, '' when it has none. Per character (cached): a key, not a reading. */
export function pinyinOf(ch: string): string {
  let p = pinyinCache.get(ch);
  if (p === undefined) {
    const r = pinyin(ch, { toneType: 'none', type: 'array' })[0] ?? '';
    p = r && r !== ch && /^[a-zü]+$/.test(r) ? r : '';
    pinyinCache.set(ch, p);
  }
  return p;
}

/** The homophone key of a two-character CJK token ('~' + pinyin), or null. */
export function pinyinKey(bigram: string): string | null {
  if (bigram.length !== 2) return null;
  const a = pinyinOf(bigram[0]);
  const b = pinyinOf(bigram[1]);
  return a && b ? `~${a}${b}` : null;
}

/**
 * Rewrites every synonym term to its group's canonical term, longest match first, repeated until
 * nothing changes (社保卡 → 社会保险卡 → 社会保障卡), so the result does not depend on which
 * synonym the writer chose.
 */
export class SynonymRewriter {
  private readonly byFirst = new Map<string, { term: string; canonical: string }[]>();

  constructor(groups: SynonymGroup[]) {
    for (const g of groups) {
      const terms = g.terms.map((t) => foldQaText(t).replace(/ /g, '')).filter((t) => t.length >= 2);
      if (terms.length < 2) continue;
      const canonical = terms[0];
      for (const term of terms) {
        const list = this.byFirst.get(term[0]) ?? [];
        if (!list.some((x) => x.term === term)) list.push({ term, canonical });
        this.byFirst.set(term[0], list);
      }
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.term.length - a.term.length);
  }

  rewrite(folded: string): string {
    let text = folded;
    for (let pass = 0; pass < 4; pass++) {
      const next = this.rewriteOnce(text);
      if (next === text) return next;
      text = next;
    }
    return text;
  }

  private rewriteOnce(text: string): string {
    // Slices between hits, not a character at a time: most text has few synonyms in it.
    let out = '';
    let last = 0;
    for (let i = 0; i < text.length;) {
      const hit = this.byFirst.get(text[i])?.find((x) => text.startsWith(x.term, i));
      if (!hit) {
        i++;
        continue;
      }
      out += text.slice(last, i) + hit.canonical;
      i += hit.term.length;
      last = i;
    }
    return last === 0 ? text : out + text.slice(last);
  }
}

export interface QaTokens {
  /** Jieba search-mode words (stopwords dropped): the terms indexed and searched. */
  words: string[];
  /** Character bigrams of every CJK run (stopwords dropped), not repeating a word. */
  bigrams: string[];
  /** Homophone keys of the bigrams (none for answers). */
  pinyin: string[];
  /** Jieba precise-mode words in order, stopwords dropped: the units coverage is counted in. */
  units: string[];
  /** Single CJK characters (not stopwords): let a one-character unit be covered. */
  chars: string[];
}

export type QaTextRole = 'question' | 'answer' | 'query';

/** Tokenizes Q&A text. The answer role keeps only words of two characters or more (long text, low weight). */
export class QaAnalyzer {
  private rewriter: SynonymRewriter;
  /**
   * Toneless pinyin of the words the library's questions, keywords and synonym table use → the
   * word (shenfenzheng → 身份证, weizhang → 违章): a query typed in pinyin, whole words, reads as
   * the characters. Only the library's own words, so a pinyin query means something the library
   * can answer or stays as it was.
   */
  private readonly pinyinWords = new Map<string, string>();
  /**
   * Toneless pinyin of the library's two-character words → the word, or null when two words share
   * the reading (then neither is guessed): 低宝, which the segmenter leaves as 低/宝, reads as 低保.
   */
  private readonly pairWords = new Map<string, string | null>();
  /** Pinyin of a character of those words → the character, or null when two share the reading. */
  private readonly syllables = new Map<string, string | null>();

  constructor(synonyms: SynonymGroup[]) {
    this.rewriter = new SynonymRewriter(synonyms);
    this.learnSynonyms(synonyms);
  }

  setSynonyms(synonyms: SynonymGroup[]): void {
    this.rewriter = new SynonymRewriter(synonyms);
    this.learnSynonyms(synonyms);
  }

  private learnSynonyms(groups: SynonymGroup[]): void {
    for (const g of groups) for (const t of g.terms) this.learnPinyin(foldQaText(t).replace(/ /g, ''));
  }

  private learnPinyin(word: string): void {
    if (word.length < 2 || word.length > 6) return;
    let key = '';
    for (const ch of word) {
      const p = isCjk(ch.charCodeAt(0)) ? pinyinOf(ch) : '';
      if (!p) return;
      key += p;
    }
    for (const ch of word) {
      const p = pinyinOf(ch);
      const known = this.syllables.get(p);
      if (known === undefined) this.syllables.set(p, ch);
      else if (known !== null && known !== ch) this.syllables.set(p, null);
    }
    if (!this.pinyinWords.has(key)) this.pinyinWords.set(key, word);
    if (word.length === 2) {
      const known = this.pairWords.get(key);
      if (known === undefined) this.pairWords.set(key, word);
      else if (known !== null && known !== word) this.pairWords.set(key, null);
    }
  }

  /**
   * A homophone typo of a two-character word (低宝, 抵鸭, 被案) is no word to the segmenter: it
   * leaves two single characters. When the pair reads like exactly one two-character word of the
   * library (not both characters stop-words), the query reads as that word.
   */
  private repairHomophones(norm: string): string {
    if (this.pairWords.size === 0 || !norm) return norm;
    const units = segmenter().cut(norm, false);
    let changed = false;
    for (let i = 0; i + 1 < units.length; i++) {
      const [a, b] = [units[i], units[i + 1]];
      if (a.length !== 1 || b.length !== 1 || (STOPWORDS.has(a) && STOPWORDS.has(b))) continue;
      const [pa, pb] = [isCjk(a.charCodeAt(0)) ? pinyinOf(a) : '', isCjk(b.charCodeAt(0)) ? pinyinOf(b) : ''];
      if (!pa || !pb) continue;
      const word = this.pairWords.get(pa + pb);
      if (!word || word === a + b) continue;
      units[i] = word;
      units[i + 1] = '';
      changed = true;
      i++;
    }
    return changed ? this.rewriter.rewrite(units.join('')) : norm;
  }

  /** Whole pinyin words of a folded query replaced by the library's word with that reading. */
  private fromPinyin(folded: string): string {
    if (this.pinyinWords.size === 0 || !/[a-z]{4}/.test(folded)) return folded;
    const out = folded.replace(/[a-z]{4,}/g, (run) => this.pinyinWords.get(run) ?? this.pinyinRun(run) ?? run);
    return out === folded ? folded : this.rewriter.rewrite(out);
  }

  /**
   * A pinyin run that is no single word of the library (shebaoka, hukouqianyi) read left to right
   * as the longest library words, a leftover syllable as the one library character with that
   * reading: at least one word, every letter used, or null.
   */
  private pinyinRun(run: string): string | null {
    let out = '';
    let words = 0;
    for (let i = 0; i < run.length;) {
      let next = 0;
      for (let j = Math.min(run.length, i + 24); j >= i + 4 && !next; j--) {
        const w = this.pinyinWords.get(run.slice(i, j));
        if (w) [out, next, words] = [out + w, j, words + 1];
      }
      for (let j = Math.min(run.length, i + 6); j > i && !next; j--) {
        const ch = this.syllables.get(run.slice(i, j));
        if (ch) [out, next] = [out + ch, j];
      }
      if (!next) return null;
      i = next;
    }
    return words > 0 ? out : null;
  }

  /** Folded and synonym-rewritten text (the form gaps are clustered by). */
  normalize(text: string): string {
    return this.rewriter.rewrite(foldQaText(text));
  }

  analyze(text: string, role: QaTextRole): QaTokens {
    const norm = role === 'query' ? this.repairHomophones(this.fromPinyin(this.normalize(text))) : this.normalize(text);
    const keep = (w: string) => w !== ' ' && w.trim() !== '' && !STOPWORDS.has(w);
    const words = new Set<string>();
    const units: string[] = [];
    if (norm) {
      for (const w of segmenter().cutForSearch(norm, true)) if (keep(w) && (role !== 'answer' || w.length > 1)) words.add(w);
      if (role === 'question') for (const w of words) this.learnPinyin(w);
      // Units from the dictionary only (no HMM): HMM glues unknown pairs (卡掉) into words no entry
      // holds, which then weigh as the rarest word of the question.
      if (role !== 'answer') for (const w of segmenter().cut(norm, false)) if (keep(w)) units.push(w);
    }
    const bigrams = new Set<string>();
    const pinyin = new Set<string>();
    const chars = new Set<string>();
    // An answer is indexed by its words only: its bigrams would be a few hundred strings per entry
    // made and dropped at every build.
    if (role === 'answer') return { words: [...words], bigrams: [], pinyin: [], units, chars: [] };
    for (let i = 0; i < norm.length; i++) {
      if (!isCjk(norm.charCodeAt(i))) continue;
      if (!STOPWORDS.has(norm[i])) chars.add(norm[i]);
      if (i + 1 >= norm.length || !isCjk(norm.charCodeAt(i + 1))) continue;
      const bg = norm.slice(i, i + 2);
      if (STOPWORDS.has(bg)) continue;
      if (!words.has(bg)) bigrams.add(bg);
      const key = pinyinKey(bg);
      if (key) pinyin.add(key);
    }
    return { words: [...words], bigrams: [...bigrams], pinyin: [...pinyin], units, chars: [...chars] };
  }
}
