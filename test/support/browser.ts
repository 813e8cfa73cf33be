import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestHub } from './test-hub';
import { pollUntil } from './poll';

export const ROOT = resolve(__dirname, '../../..');
export const SHOTS = join(ROOT, 'test-output', 'console');

/** The flags CI's Debian chromium runs with: headless, no sandbox (root in a container), nothing phoning home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumPath(): string {
  const p = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(p)) throw new Error(`chromium not found at ${p}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  return p;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}

/** Builds the console once if no build is there (`npm test` builds it; a filtered run may not have). */
export function ensureConsoleBuilt(): void {
  if (existsSync(join(ROOT, 'apps/console/dist/index.html'))) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build-console.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('console build failed');
}

/** Puts the in-process test hub on a loopback port so a browser can reach it. */
export async function listen(hub: TestHub): Promise<string> {
  await hub.app.listen(0, '127.0.0.1');
  const addr = hub.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${addr.port}`;
}

let shot = 0;
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const file = join(SHOTS, `${String(++shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const axeSource = () => readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * axe-core on the page as it is now, WCAG 2.x A/AA rules. Evaluated through the DevTools
 * protocol, which the page's CSP (no inline scripts) does not govern.
 */
export async function axe(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof window.axe');
  if (loaded === 'undefined') await page.evaluate(axeSource());
  const result = (await page.evaluate(
    `window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`,
  )) as { violations: AxeViolation[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(vs: AxeViolation[]): string {
  return vs.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`).join('\n');
}

/**
 * Signs `username` in through the sign-in page in a fresh context (its own cookies and storage),
 * which is kept in `contexts` for the suite to close. The Chinese locale is the console's default.
 */
export async function signIn(
  browser: Browser,
  base: string,
  username: string,
  password: string,
  contexts: BrowserContext[],
  opts: { viewport?: { width: number; height: number }; timeoutMs?: number } = {},
): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: opts.viewport ?? { width: 1440, height: 900 }, acceptDownloads: true });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(opts.timeoutMs ?? 20_000);
  await page.goto(`${base}/`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  // Attached, not visible: at phone width the header gives the name's place to the controls.
  await page.getByTestId('whoami').waitFor({ state: 'attached' });
  return page;
}

/**
 * Waits for the page's finite CSS/Web animations (a dialog fading in, a button's colour transition)
 * to end, so axe measures colours as they will stay, not a frame half-way through a fade. Endless
 * ones (spinners) are left alone; the wait itself is bounded.
 */
export async function animationsSettled(page: Page, timeoutMs = 3_000): Promise<void> {
  await page.evaluate(
    `Promise.race([
      Promise.all(document.getAnimations()
        .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
        .map((a) => a.finished.catch(() => undefined))),
      new Promise((resolve) => setTimeout(resolve, ${timeoutMs})),
    ])`,
  );
}

/** Screenshot for review, then axe: no serious or critical violation may remain; the count goes to `report`. */
export async function checkPage(page: Page, name: string, report: string[]): Promise<void> {
  await page.waitForLoadState('networkidle');
  await animationsSettled(page);
  await screenshot(page, name);
  const violations = await axe(page);
  report.push(`${name}: ${violations.length} serious/critical`);
  if (violations.length)
    throw new Error(`${name}: ${violations.length} serious/critical axe violations\n${describeViolations(violations)}`);
}

export const PHONE = { width: 390, height: 844 };

/** A deep link survives a reload: the same page comes back, signed in, with `ready` on it. */
export async function reloadKeeps(page: Page, ready: () => Promise<void>): Promise<void> {
  const url = page.url();
  await page.reload();
  await ready().catch(async (e) => {
    throw new Error(`${e}; after the reload the page says: ${await page.locator('body').innerText()}`);
  });
  if (page.url() !== url) throw new Error(`the reload moved from ${url} to ${page.url()}`);
}

/**
 * Opens `path` in `page` (a phone-sized context) and checks the page itself never scrolls sideways
 * at 390 px (tables scroll inside their own box); closes the context afterwards.
 */
export async function assertFitsPhone(
  page: Page,
  base: string,
  path: string,
  ready: (p: Page) => Promise<void>,
  name: string,
): Promise<void> {
  await page.goto(`${base}${path}`);
  await ready(page).catch(async (e) => {
    throw new Error(`${e}; ${path} at 390 px says: ${await page.locator('body').innerText()}`);
  });
  await page.waitForLoadState('networkidle');
  await screenshot(page, `${name}-390`);
  const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
  if (width > PHONE.width) throw new Error(`${name}: the page is ${width} px wide at a ${PHONE.width} px viewport`);
  await page.context().close();
}

/**
 * Picks the unit `title` in the TreeSelect `testId` and waits until the select shows it. Every try
 * starts once the dropdowns' animations are over: a dropdown closing after the previous pick is
 * still visible for a moment, and its node vanishes under the click. A click that is lost (the
 * dropdown was animating) is tried again, at most three times, while the select does not show
 * `title`.
 */
export async function pickTreeNode(page: Page, testId: string, title: string, timeoutMs = 20_000): Promise<void> {
  const select = page.getByTestId(testId);
  const node = page.locator('.ant-select-dropdown:visible .ant-select-tree-title', { hasText: title });
  for (let attempt = 1; ; attempt++) {
    const last = attempt >= 3;
    await animationsSettled(page);
    if (!(await node.isVisible())) await select.click();
    const clicked = await node
      .waitFor({ timeout: last ? timeoutMs : 5_000 })
      .then(() => animationsSettled(page))
      .then(() => node.click({ timeout: last ? timeoutMs : 5_000 }))
      .then(
        () => true,
        (e: unknown) => {
          if (last) throw e;
          return false;
        },
      );
    const shown =
      clicked &&
      (await pollUntil(async () => (await select.innerText()).includes(title), {
        timeoutMs: 5_000,
        what: `${title} selected`,
      }).catch(() => false));
    if (shown) return;
    if (last) throw new Error(`${testId}: ${title} not selected after ${attempt} tries; it shows ${await select.innerText()}`);
  }
}
