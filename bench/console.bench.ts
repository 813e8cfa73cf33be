import 'reflect-metadata';
import { Role } from '@tongfa/identity';
import { startTestHub } from '../test/support/test-hub';
import { World } from '../test/support/world';
import { ensureConsoleBuilt, launchChromium, listen } from '../test/support/browser';

/**
 * First load of the workbench in Chromium against the hub on loopback: a fresh browser context
 * (empty cache) per run, signed in as an editor, timed from navigation to the workbench's
 * drafts table rendered with its data. Also reports what the browser downloaded.
 */

const RUNS = 10;

async function main(): Promise<void> {
  ensureConsoleBuilt();
  const hub = await startTestHub('sqlite');
  const world = await World.build(hub.app);
  await world.user('bench.editor', Role.Editor, 'countyA1');
  const refresh = (await hub.http.post('/api/v1/auth/login').send({ username: 'bench.editor', password: 'World#Pass2026' })).body;
  const base = await listen(hub);
  const browser = await launchChromium();
  const times: number[] = [];
  let jsBytes = 0;
  let requests = 0;
  try {
    for (let i = 0; i < RUNS + 1; i++) {
      const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
      // The session the sign-in page would have stored (sessionStorage), set before any script runs.
      const tokens = JSON.stringify({ accessToken: refresh.accessToken, refreshToken: refresh.refreshToken });
      await ctx.addInitScript(`sessionStorage.setItem('tongfa.tokens', ${JSON.stringify(tokens)})`);
      const page = await ctx.newPage();
      let bytes = 0;
      let n = 0;
      page.on('response', (r) => {
        n++;
        if (r.url().endsWith('.js'))
          void r.body().then(
            (b) => (bytes += b.length),
            () => undefined,
          );
      });
      const t0 = performance.now();
      await page.goto(`${base}/`);
      await page.getByTestId('my-drafts').locator('.ant-empty, tbody tr').first().waitFor({ timeout: 30_000 });
      const ms = performance.now() - t0;
      await page.waitForLoadState('networkidle');
      if (i > 0) times.push(ms); // the first run warms the hub's process, not the browser
      if (i === RUNS) {
        jsBytes = bytes;
        requests = n;
      }
      await ctx.close();
    }
  } finally {
    await browser.close();
    await hub.close();
  }
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(0);
  console.log(
    `console first load (workbench, cold cache, loopback): median ${p(0.5)} ms, p90 ${p(0.9)} ms, min ${times[0].toFixed(0)} ms over ${RUNS} runs; ` +
      `${requests} requests, ${(jsBytes / 1024).toFixed(0)} KB of JavaScript (uncompressed)`,
  );
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
