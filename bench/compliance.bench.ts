import { createServer, get } from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  CompiledLexicon,
  compileInWorker,
  findPersonalNumbers,
  htmlToPlain,
  LexiconKind,
  LexiconTerm,
  normalize,
  packTerms,
  prepareLexicon,
  runCheck,
} from '@tongfa/compliance';

/**
 * The compliance check of a 20,000-character body against a 50,000-entry lexicon (random CJK
 * terms), beside the naive approach measured in the same run: String.prototype.includes of every
 * entry over the body's plain text (which, unlike the check, defeats no evasion and gives no
 * positions). Then where a check's time goes (phase by phase), and the main thread's
 * responsiveness while a 50,000-entry lexicon compiles: a timer due every 10 ms and a GET of a
 * tiny HTTP route every 10 ms (both on the bench's own event loop, each timed from when it was due), with no compilation, with the
 * compilation in a worker thread (as the registry does it) and with the compilation on the main
 * thread (as it was: the old blocking figure). Runs alone with `node dist/bench/compliance.bench.js`
 * or through `npm run bench`.
 */

const ENTRIES = 50_000;
const BODY_CHARS = 20_000;
/** Runs of the check (and of each phase): enough warm-up for the JIT, enough runs for a steady p50. */
const WARMUP = 50;
const RUNS = 200;
/** Runs of the naive baseline (half a second each). */
const NAIVE_RUNS = 20;

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

interface Stats {
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))];
  return {
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted[sorted.length - 1],
  };
}

function measure(fn: () => number, runs = RUNS): Stats & { found: number } {
  let found = 0;
  for (let i = 0; i < Math.min(WARMUP, runs); i++) found = fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    found = fn();
    samples.push(performance.now() - t);
  }
  return { ...stats(samples), found };
}

/**
 * Probes the event loop while `work` runs (and at least `minMs`): a timer due every 10 ms (its
 * lateness) and a GET /health/live of a local HTTP server every 10 ms (its round trip).
 */
async function probe(work: () => Promise<unknown>, minMs: number): Promise<{ timer: Stats; http: Stats; workMs: number }> {
  const server = createServer((_req, res) => res.end('{"status":"ok"}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const lateness: number[] = [];
  const roundTrips: number[] = [];
  let running = true;
  let due = performance.now() + 10;
  const timer = setInterval(() => {
    const now = performance.now();
    lateness.push(Math.max(0, now - due));
    due = now + 10;
  }, 10);
  // Each request is due 10 ms after the previous one was due and timed from when it was due, so
  // requests that would have arrived while the loop was blocked count with the wait they saw.
  const http = (async () => {
    let dueAt = performance.now();
    while (running) {
      const wait = dueAt - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await new Promise<void>((resolve, reject) =>
        get({ host: '127.0.0.1', port, path: '/health/live', agent: false }, (res) => {
          res.resume();
          res.on('end', resolve);
        }).on('error', reject),
      );
      roundTrips.push(performance.now() - dueAt);
      dueAt += 10;
    }
  })();
  const started = performance.now();
  await new Promise((r) => setTimeout(r, 50));
  await work();
  const workMs = performance.now() - started - 50;
  // At least 100 ms more, so that a timer held back by blocking work still fires and is counted.
  const left = Math.max(100, minMs - (performance.now() - started));
  await new Promise((r) => setTimeout(r, left));
  running = false;
  clearInterval(timer);
  await http;
  server.close();
  return { timer: stats(lateness), http: stats(roundTrips), workMs };
}

async function main(): Promise<void> {
  // The probes first, the worker's before anything else has filled the heap (a collection of the
  // bench's own garbage would show as a stall that is not the compile's), the blocking one last.
  const idle = await probe(async () => undefined, 2000);
  let lexicon: CompiledLexicon | null = null;
  const inWorker = await probe(async () => (lexicon = await compileInWorker(1, terms)), 0);
  const blocking = await probe(async () => CompiledLexicon.compile(2, terms), 0);
  const compileMs = blocking.workMs;
  let t = 0;

  const check = measure(() => {
    const r = runCheck(lexicon!, { title: '基准测试', bodyHtml: body });
    return r.blocking.length + r.warnings.length;
  });
  t = performance.now();
  const plain = htmlToPlain(body).plain.text;
  const extractMs = performance.now() - t;
  const includes = measure(() => {
    let n = 0;
    for (const e of terms) if (plain.includes(e.term)) n++;
    return n;
  }, NAIVE_RUNS);
  // Where a check's time goes: each phase of runCheck on its own.
  const norm = normalize(plain);
  const phases: [string, Stats][] = [
    ['html → plain text (htmlToPlain)', measure(() => htmlToPlain(body).plain.text.length)],
    ['normalisation (fold, drop fillers)', measure(() => normalize(plain).text.length)],
    ['automaton walk + patterns (scan)', measure(() => lexicon!.scan(norm).length)],
    ['personal numbers (normalise + scan)', measure(() => findPersonalNumbers(plain, new Date()).length)],
  ];

  const f = (ms: number) => ms.toFixed(2).padStart(9);
  const lines = [
    `compliance check: body ${plainLength} characters (${body.length} of HTML), lexicon ${ENTRIES} entries, ${RUNS} runs after ${WARMUP} warm-up (the naive baseline ${NAIVE_RUNS})`,
    `  lexicon compile on the main thread (once per version, as it was): ${compileMs.toFixed(0)} ms`,
    `                                      p50 ms   mean ms    p99 ms   findings`,
    `  runCheck (Aho–Corasick, full)    ${f(check.p50)} ${f(check.mean)} ${f(check.p99)}   ${check.found}   (target p50 < 5 ms)`,
    `  String.includes × ${ENTRIES}       ${f(includes.p50)} ${f(includes.mean)} ${f(includes.p99)}   ${includes.found} (plain text given, ${extractMs.toFixed(1)} ms to extract)`,
    `  ratio (includes / check, p50): ${(includes.p50 / check.p50).toFixed(1)}×`,
    `  phases of the check (each alone):`,
    ...phases.map(([name, s]) => `    ${name.padEnd(38)} p50 ${f(s.p50)}   mean ${f(s.mean)}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  // Main-thread cost of handing a prepared lexicon over: packing the terms for the worker, and
  // wrapping the transferred result (measured here on a prepared copy).
  t = performance.now();
  await packTerms(terms);
  const packMs = performance.now() - t;
  const prepared = prepareLexicon(2, terms);
  t = performance.now();
  CompiledLexicon.fromPrepared(prepared);
  const wrapMs = performance.now() - t;

  const workerCheck = runCheck(lexicon!, { title: '基准测试', bodyHtml: body });
  const inPlaceCheck = runCheck(CompiledLexicon.compile(3, terms), { title: '基准测试', bodyHtml: body });
  const row = (name: string, p: { timer: Stats; http: Stats; workMs: number }, work: string) =>
    `  ${name.padEnd(30)} ${f(p.timer.p99)} ${f(p.timer.max)}   ${f(p.http.p50)} ${f(p.http.p99)} ${f(p.http.max)}   ${work}`;
  const out = [
    `main thread while a ${ENTRIES}-entry lexicon compiles (probes every 10 ms; target: health p99 < 50 ms)`,
    `                                  timer lateness ms         GET /health/live ms (from when due)`,
    `                                        p99       max         p50       p99       max`,
    row('no compilation', idle, ''),
    row(
      'compile in a worker thread',
      inWorker,
      `compile ${inWorker.workMs.toFixed(0)} ms wall; ${workerCheck.blocking.length + workerCheck.warnings.length} findings with it (${inPlaceCheck.blocking.length + inPlaceCheck.warnings.length} compiled in place)`,
    ),
    row('compile on the main thread', blocking, `compile ${blocking.workMs.toFixed(0)} ms (the old way: the loop is blocked throughout)`),
    `  main-thread share of the worker compile: pack terms ${packMs.toFixed(1)} ms wall (in slices of 5,000, yielding between), wrap the transferred automaton ${wrapMs.toFixed(2)} ms`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

void main();
