import { performance } from 'node:perf_hooks';
import { CompiledLexicon, htmlToPlain, LexiconKind, LexiconTerm, runCheck } from '@tongfa/compliance';

/**
 * The compliance check of a 20,000-character body against a 50,000-entry lexicon (random CJK
 * terms), beside the naive approach measured in the same run: String.prototype.includes of every
 * entry over the body's plain text (which, unlike the check, defeats no evasion and gives no
 * positions). Runs alone with `node dist/bench/compliance.bench.js` or through `npm run bench`.
 */

const ENTRIES = 50_000;
const BODY_CHARS = 20_000;
const WARMUP = 10;
const RUNS = 50;

// A seeded generator keeps the lexicon and body identical from run to run.
let seed = 0x5eed1234;
function rand(): number {
  seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0;
  return ((seed ^ (seed >>> 13)) >>> 0) / 2 ** 32;
}
const cjk = () => String.fromCharCode(0x4e00 + Math.floor(rand() * 6000));
const word = (min: number, max: number) => Array.from({ length: min + Math.floor(rand() * (max - min + 1)) }, cjk).join('');

const KINDS = [LexiconKind.Forbidden, LexiconKind.Sensitive, LexiconKind.Ad, LexiconKind.Secrecy, LexiconKind.Typo];
const terms: LexiconTerm[] = [];
const seen = new Set<string>();
while (terms.length < ENTRIES) {
  const term = word(2, 6);
  if (seen.has(term)) continue;
  seen.add(term);
  const kind = KINDS[terms.length % KINDS.length];
  terms.push({ kind, term, replacement: kind === LexiconKind.Typo ? word(2, 6) : null });
}

// Paragraphs of random text with a lexicon term planted now and then (about 60 in all).
let body = '';
let plainLength = 0;
while (plainLength < BODY_CHARS) {
  let p = '';
  while (p.length < 200) p += rand() < 0.003 ? terms[Math.floor(rand() * terms.length)].term : cjk();
  p += '。';
  body += `<p>${p}</p>\n`;
  plainLength += p.length;
}

function stats(samples: number[]): { mean: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    p99: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)],
  };
}

function measure(fn: () => number): { mean: number; p99: number; found: number } {
  let found = 0;
  for (let i = 0; i < WARMUP; i++) found = fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    found = fn();
    samples.push(performance.now() - t);
  }
  return { ...stats(samples), found };
}

function main(): void {
  let t = performance.now();
  const lexicon = CompiledLexicon.compile(1, terms);
  const compileMs = performance.now() - t;

  const check = measure(() => {
    const r = runCheck(lexicon, { title: '基准测试', bodyHtml: body });
    return r.blocking.length + r.warnings.length;
  });
  t = performance.now();
  const plain = htmlToPlain(body).plain.text;
  const extractMs = performance.now() - t;
  const includes = measure(() => {
    let n = 0;
    for (const e of terms) if (plain.includes(e.term)) n++;
    return n;
  });

  const f = (ms: number) => ms.toFixed(2).padStart(9);
  const lines = [
    `compliance check: body ${plainLength} characters (${body.length} of HTML), lexicon ${ENTRIES} entries, ${RUNS} runs after ${WARMUP} warm-up`,
    `  automaton compile (once per version): ${compileMs.toFixed(0)} ms`,
    `                                  mean ms    p99 ms   findings`,
    `  runCheck (Aho–Corasick, full) ${f(check.mean)} ${f(check.p99)}   ${check.found}`,
    `  String.includes × ${ENTRIES}    ${f(includes.mean)} ${f(includes.p99)}   ${includes.found} (plain text given, ${extractMs.toFixed(1)} ms to extract)`,
    `  ratio (includes / check, mean): ${(includes.mean / check.mean).toFixed(1)}×`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
