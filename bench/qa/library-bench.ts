import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { QaSearchIndex } from '@tongfa/knowledge';
import { availableParallelism, loadavg } from 'node:os';
import { EvalSet, querySplit, ScopeOracle, toIndexDocs } from './eval-set';
import { generateLibrary, seededRandom } from './generated-library';
import { indexSearcher, percentile, report, runQueries } from './metrics';

const SEED = 0x0a11b2c3;
/** The naive scan takes a second or more a search at 100k: a sample of queries is enough. */
const BASELINE_QUERIES = 40;
const FRESH_ADDS = 200;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function memory(): { heap: number; rss: number } {
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed / 2 ** 20, rss: m.rss / 2 ** 20 };
}

/**
 * The generated library at `size` entries: index build time and memory, latency of every
 * evaluation query asked from a random generated unit, the cost of adding a freshly published
 * entry, and a naive substring scan over the same questions measured in the same run. The
 * evaluation entries are indexed with it (under their own root) and the test split asked again:
 * the generated entries are out of those units' scope, so any change in quality comes from the
 * large library itself (term statistics, candidate depth).
 *
 * Latency is printed as wall time and as this process's CPU time per search: on a shared machine
 * the load average (printed) inflates wall time, CPU time much less.
 */
export function runLibraryBench(set: EvalSet, size: number, targetP95: number): void {
  const t0 = performance.now();
  const lib = generateLibrary(size, SEED, set.asOf);
  const genMs = performance.now() - t0;
  const before = memory();
  const evalDocs = toIndexDocs(set);
  const index = new QaSearchIndex();
  const t1 = performance.now();
  // CPU time too: on a shared machine the wall time of a minute-long build mostly measures the load.
  const c1 = process.cpuUsage();
  index.replaceAll([...lib.docs, ...evalDocs]);
  const buildMs = performance.now() - t1;
  const buildCpu = process.cpuUsage(c1);
  const after = memory();

  const rand = seededRandom(SEED ^ 0x5555);
  const asks = set.queries.map((q) => ({ text: q.text, unitPath: lib.unitPaths[Math.floor(rand() * lib.unitPaths.length)] }));
  for (const a of asks.slice(0, 50)) index.search(a.text, { unitPath: a.unitPath, now: set.asOf });
  const times: number[] = [];
  const cpu: number[] = [];
  let answered = 0;
  for (const a of asks) {
    const c = process.cpuUsage();
    const t = performance.now();
    const r = index.search(a.text, { unitPath: a.unitPath, now: set.asOf, limit: 5 });
    times.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
    if (r.items.length) answered++;
  }
  const quality = report(runQueries(set, new ScopeOracle(evalDocs), indexSearcher(index, set.asOf), querySplit(set, 'test')));

  // A newly published entry goes into the live index with add(): what it costs at this size.
  const fresh = generateLibrary(FRESH_ADDS, SEED + 1, set.asOf).docs.map((d) => ({
    ...d,
    entryId: `fresh-${d.entryId}`,
    overridesEntryId: null,
  }));
  const addTimes = fresh.map((d) => {
    const t = performance.now();
    index.add(d);
    return performance.now() - t;
  });

  // Baseline: every visible entry's question and similar questions scanned with String.includes
  // for each bigram of the query (what a first implementation without an index would do).
  const texts = lib.docs.map((d) => ({ path: d.unitPath, text: [d.question, ...d.similarQuestions].join('|') }));
  const baseTimes: number[] = [];
  for (const a of asks.slice(0, BASELINE_QUERIES)) {
    const q = a.text.replace(/[\s\p{P}\p{S}]/gu, '');
    const t = performance.now();
    let best = -1;
    for (const d of texts) {
      if (!a.unitPath.startsWith(d.path)) continue;
      let n = 0;
      for (let i = 0; i + 1 < q.length; i++) if (d.text.includes(q.slice(i, i + 2))) n++;
      if (n > best) best = n;
    }
    baseTimes.push(performance.now() - t);
  }

  const p = (xs: number[], q: number) => percentile(xs, q).toFixed(2);
  const p95 = percentile(times, 95);
  const baseP95 = percentile(baseTimes, 95);
  const c = lib.counts;
  console.log(
    [
      `\nGenerated library: ${size.toLocaleString('en')} entries over ${lib.unitPaths.length} units, plus the ${evalDocs.length} evaluation entries ` +
        `(${c.overrides} overrides, ${c.expired} expired, ${c.future} not yet effective; seed 0x${SEED.toString(16)}, generated in ${genMs.toFixed(0)} ms)`,
      `  index build (replaceAll):        ${(buildMs / 1000).toFixed(1)} s wall, ${((buildCpu.user + buildCpu.system) / 1e6).toFixed(1)} s CPU (load average ${loadavg()[0].toFixed(1)})`,
      `  memory after build:              heapUsed ${after.heap.toFixed(0)} MB (+${(after.heap - before.heap).toFixed(0)} MB for the index), RSS ${after.rss.toFixed(0)} MB (+${(after.rss - before.rss).toFixed(0)} MB)`,
      `  search, ${times.length} evaluation queries from random generated units (limit 5; ${answered} answered):`,
      `    wall p50 ${p(times, 50)} ms   p95 ${p95.toFixed(2)} ms   p99 ${p(times, 99)} ms   max ${Math.max(...times).toFixed(2)} ms   ${p95 < targetP95 ? 'ok' : 'MISS'} (p95 < ${targetP95} ms)`,
      `    CPU  p50 ${p(cpu, 50)} ms   p95 ${p(cpu, 95)} ms   p99 ${p(cpu, 99)} ms   (load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores)`,
      `  evaluation test split asked inside this library: recall@1 ${quality.recall1.toFixed(3)}, recall@5 ${quality.recall5.toFixed(3)} ` +
        `(with 猜你想问 ${quality.recall5WithSuggestions.toFixed(3)}), ` +
        `no-answer unanswered ${quality.noAnswerUnanswered.toFixed(3)}, scope ${quality.scopeCorrect.toFixed(3)}, p95 ${quality.p95.toFixed(2)} ms`,
      `  add() of a newly published entry: p50 ${p(addTimes, 50)} ms   p95 ${p(addTimes, 95)} ms   (${FRESH_ADDS} adds)`,
      `  naive bigram scan (String.includes over ${texts.length.toLocaleString('en')} question sets, ${BASELINE_QUERIES} queries):`,
      `    p50 ${p(baseTimes, 50)} ms   p95 ${baseP95.toFixed(2)} ms   → ratio scan/index at p95: ${(baseP95 / p95).toFixed(2)} (above 1: the index is faster)`,
    ].join('\n'),
  );
}
