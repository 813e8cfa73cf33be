import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import express from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Browser } from 'playwright-core';
import { Role } from '@tongfa/identity';
import { serveConsole } from '../apps/hub/src/console/console-static';
import { startTestHub } from '../test/support/test-hub';
import { World } from '../test/support/world';
import { ensureConsoleBuilt, launchChromium, listen } from '../test/support/browser';

/**
 * First load of the workbench in Chromium against the hub on loopback: a fresh browser context
 * (empty cache) per run, signed in as an editor, timed in the page from the start of the navigation
 * (performance.now() = 0) to the moment the workbench's drafts card shows its data (a row or the
 * empty text; a MutationObserver notes it as the DOM changes). The same load as the test driver
 * saw it (from before page.goto to its wait ending, with the driver's own round trips) is printed
 * beside it. Two consoles, interleaved run by run in the same process so
 * both meet the same machine load: the baseline, the console as built from TONGFA_BENCH_BASELINE
 * (a git revision, by default the last one before the first-load work, built once into the temp
 * folder; or the path of a built console), and the current build. Both are served the same way
 * (precompressed, by the hub's own static middleware; the baseline's API calls go to the same hub).
 * The machine's load average is printed with the figures: on a loaded machine every figure grows,
 * compare the two columns of one run, not figures of different runs.
 */

/** The last revision before the first-load work (issue #12): what "today's figures" were measured on. */
const DEFAULT_BASELINE = '5916193';
const RUNS = 10;
const TARGET_MS = 800;
const JS_BUDGET = 0.5 * 1024 * 1024;
/** The drafts card's data: a row or the empty text, of the antd builds (baseline) and of today's plain card. */
const SHOWN = '.ant-empty, tbody tr, .ant-list-empty-text, .ant-list-item, .tf-list-item, .tf-empty';
/** What the baseline measured when it was recorded, for a run without one (no git history). */
const TODAY = 'recorded before the first-load work: median ~2.0 s on a loaded machine, 44 requests, 36 JS files, 371 KB gzipped';
const ROOT = resolve(__dirname, '../..');
const DIST = join(ROOT, 'apps/console/dist');

interface Load {
  /** From navigation start to the drafts shown, in the page's clock. */
  ms: number;
  /** The same, as the test driver saw it. */
  driverMs: number;
  /**
   * CPU time Chromium's renderer processes spent during the load, in ms: unlike the wall clock it
   * hardly grows with the machine's load (a loaded machine makes the page wait for a core, not work more).
   */
  cpuMs: number;
  requests: number;
  /** Bytes of JavaScript as they came over the wire (compressed when compressed). */
  jsWire: number;
  /** The JavaScript files the route needed, by path below dist. */
  jsFiles: string[];
  encodings: Set<string>;
}

/** CPU seconds, as ms, of all renderer processes so far (DevTools' SystemInfo domain). */
async function rendererCpu(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; cpuTime: number }[] };
    return info.processInfo.filter((p) => p.type === 'renderer').reduce((n, p) => n + p.cpuTime * 1000, 0);
  } finally {
    await cdp.detach();
  }
}

async function firstLoad(browser: Browser, base: string, tokens: string): Promise<Load> {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  try {
    // The session the sign-in page would have stored (sessionStorage), set before any script runs.
    await ctx.addInitScript(`sessionStorage.setItem('tongfa.tokens', ${JSON.stringify(tokens)})`);
    await ctx.addInitScript(`new MutationObserver((_, o) => {
      if (document.querySelector('[data-testid=my-drafts] :is(${SHOWN})')) { window.__tfShown = performance.now(); o.disconnect(); }
    }).observe(document, { childList: true, subtree: true })`);
    const page = await ctx.newPage();
    const jsFiles: string[] = [];
    const encodings = new Set<string>();
    const sized: Promise<number>[] = [];
    let requests = 0;
    page.on('requestfinished', (req) => {
      requests++;
      const url = new URL(req.url());
      if (!url.pathname.endsWith('.js')) return;
      jsFiles.push(url.pathname.slice(1));
      sized.push(
        req.response().then(async (r) => {
          encodings.add((await r?.headerValue('content-encoding')) ?? 'identity');
          return (await req.sizes()).responseBodySize;
        }),
      );
    });
    const cpu0 = await rendererCpu(browser);
    const t0 = performance.now();
    await page.goto(`${base}/`, { waitUntil: 'commit' });
    await page.getByTestId('my-drafts').locator(SHOWN).first().waitFor({ timeout: 30_000 });
    const driverMs = performance.now() - t0;
    const ms = (await page.evaluate('window.__tfShown')) as number;
    const cpuMs = (await rendererCpu(browser)) - cpu0;
    await page.waitForLoadState('networkidle');
    const jsWire = (await Promise.all(sized)).reduce((a, b) => a + b, 0);
    return { ms, driverMs, cpuMs, requests, jsWire, jsFiles, encodings };
  } finally {
    await ctx.close();
  }
}

function summary(label: string, loads: Load[]): { median: number; line: string } {
  const times = loads.map((l) => l.ms).sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
  const last = loads[loads.length - 1];
  const cpu = loads.map((l) => l.cpuMs).sort((a, b) => a - b)[Math.floor(loads.length / 2)];
  const driver = loads.map((l) => l.driverMs).sort((a, b) => a - b)[Math.floor(loads.length / 2)];
  return {
    median,
    line:
      `${label.padEnd(12)} median ${median.toFixed(0)} ms, p90 ${p(0.9).toFixed(0)} ms, min ${times[0].toFixed(0)} ms over ${loads.length} runs ` +
      `(renderer CPU ${cpu.toFixed(0)} ms; as the test driver saw it ${driver.toFixed(0)} ms); ` +
      `${last.requests} requests, ${(last.jsWire / 1024).toFixed(0)} KB of JavaScript on the wire (${[...last.encodings].join(', ')})`,
  };
}

/** Gzipped size (level 9) of the JavaScript files a load needed, from the build they came from. */
function firstRouteJs(dist: string, load: Load): { files: number; gz: number } {
  const files = [...new Set(load.jsFiles)];
  return { files: files.length, gz: files.reduce((n, f) => n + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0) };
}

/**
 * The baseline console's dist folder: TONGFA_BENCH_BASELINE as a built folder, or a git revision
 * whose apps/console is built once into the temp folder (with this checkout's node_modules).
 * Null when there is nothing to build it from (no git history, as in an image).
 */
function baselineDist(): { dist: string; label: string } | null {
  const spec = process.env.TONGFA_BENCH_BASELINE ?? DEFAULT_BASELINE;
  if (existsSync(join(spec, 'index.html'))) return { dist: resolve(spec), label: spec };
  const rev = spawnSync('git', ['rev-parse', '--short', `${spec}^{commit}`], { cwd: ROOT, encoding: 'utf8' });
  if (rev.status !== 0) return null;
  const sha = rev.stdout.trim();
  const src = join(tmpdir(), `tongfa-console-${sha}`);
  const dist = join(src, 'apps/console/dist');
  if (existsSync(join(dist, 'index.html'))) return { dist, label: sha };
  rmSync(src, { recursive: true, force: true });
  mkdirSync(src, { recursive: true });
  const tar = spawnSync('sh', ['-c', `git archive ${sha} apps/console scripts/build-console.mjs package-lock.json | tar -x -C ${src}`], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (tar.status !== 0) return null;
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));
  const built = spawnSync(process.execPath, [join(src, 'scripts/build-console.mjs'), '--force'], { cwd: src, stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`baseline console (${sha}) did not build`);
  return { dist, label: sha };
}

/** Serves a console build on its own loopback port through the hub's static middleware; /api goes to the hub. */
async function serveBaseline(dist: string, hubBase: string): Promise<{ base: string; server: Server }> {
  const app = express();
  const hub = new URL(hubBase);
  app.use('/api', (req, res) => {
    const up = httpRequest({ host: hub.hostname, port: hub.port, method: req.method, path: req.originalUrl, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  serveConsole(app as unknown as NestExpressApplication, dist);
  const server = await new Promise<Server>((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  ensureConsoleBuilt();
  // A build from before precompression: the script adds the variants without rebuilding.
  if (!existsSync(join(DIST, 'index.html.br'))) {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build-console.mjs')], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('console build failed');
  }
  const baseline = baselineDist();
  const hub = await startTestHub('sqlite');
  const world = await World.build(hub.app);
  await world.user('bench.editor', Role.Editor, 'countyA1');
  const login = (await hub.http.post('/api/v1/auth/login').send({ username: 'bench.editor', password: 'World#Pass2026' })).body;
  const tokens = JSON.stringify({ accessToken: login.accessToken, refreshToken: login.refreshToken });
  const base = await listen(hub);
  const other = baseline ? await serveBaseline(baseline.dist, base) : null;
  const browser = await launchChromium();
  const before: Load[] = [];
  const after: Load[] = [];
  const loadBefore = load();
  try {
    // The first pair warms the hub's process (its first queries, the file cache), not the browser.
    for (let i = 0; i < RUNS + 1; i++) {
      const a = other ? await firstLoad(browser, other.base, tokens) : null;
      const b = await firstLoad(browser, base, tokens);
      if (i === 0) continue;
      if (a) before.push(a);
      after.push(b);
    }
  } finally {
    await browser.close();
    await new Promise((ok) => (other ? other.server.close(ok) : ok(undefined)));
    await hub.close();
  }
  const now = summary('current:', after);
  const js = firstRouteJs(DIST, after[after.length - 1]);
  console.log(
    `console first load (workbench, cold cache, loopback), load average ${loadBefore} before, ${load()} after, ${cpus().length} CPUs:`,
  );
  if (baseline && before.length) {
    const then = summary(`baseline ${baseline.label}:`.slice(0, 20), before);
    const jsThen = firstRouteJs(baseline.dist, before[before.length - 1]);
    console.log(`  ${then.line}`);
    console.log(`  ${now.line}`);
    console.log(
      `  median ${now.median.toFixed(0)} ms against ${then.median.toFixed(0)} ms for the baseline (target < ${TARGET_MS} ms): ${now.median < TARGET_MS ? 'met' : 'MISSED'}`,
    );
    console.log(
      `  first route JavaScript: ${js.files} files, ${(js.gz / 1024).toFixed(0)} KB gzipped against ${jsThen.files} files, ${(jsThen.gz / 1024).toFixed(0)} KB ` +
        `(budget ${(JS_BUDGET / 1024).toFixed(0)} KB): ${js.gz < JS_BUDGET ? 'met' : 'MISSED'}`,
    );
  } else {
    console.log(`  ${now.line}`);
    console.log(`  (no baseline build: ${TODAY})`);
    console.log(`  median ${now.median.toFixed(0)} ms (target < ${TARGET_MS} ms): ${now.median < TARGET_MS ? 'met' : 'MISSED'}`);
    console.log(
      `  first route JavaScript: ${js.files} files, ${(js.gz / 1024).toFixed(0)} KB gzipped (budget ${(JS_BUDGET / 1024).toFixed(0)} KB): ${js.gz < JS_BUDGET ? 'met' : 'MISSED'}`,
    );
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
