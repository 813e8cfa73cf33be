import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Role } from '@tongfa/identity';
import { startTestHub, TestHub } from '../support/test-hub';
import { PASSWORD, World } from '../support/world';
import { checkPage, ensureConsoleBuilt, launchChromium, listen, PHONE, signIn } from '../support/browser';

const UI_TIMEOUT = 20_000;

/**
 * The texts a person reads when something is refused, in the browser: Chinese first with local
 * (Beijing) time, the English only under the EN switch; reviewer levels by name, never L1/L2/L3.
 */
describe('console: error texts and labels as people read them (sqlite)', () => {
  let hub: TestHub;
  let world: World;
  let base = '';
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const axeReport: string[] = [];

  before(async () => {
    ensureConsoleBuilt();
    hub = await startTestHub('sqlite');
    world = await World.build(hub.app);
    await world.user('et.locked', Role.Editor, 'countyA1');
    await world.user('et.admin', Role.UnitAdmin, 'countyA1');
    await world.user('et.r2', Role.Reviewer, 'countyA1', { level: 2 });
    base = await listen(hub);
    browser = await launchChromium();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await hub?.close();
    console.log(`axe (serious/critical per page):\n  ${axeReport.join('\n  ')}`);
  });

  const loginPage = async (viewport?: { width: number; height: number }): Promise<Page> => {
    const ctx = await browser.newContext({ locale: 'zh-CN', viewport: viewport ?? { width: 1440, height: 900 } });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    await page.goto(`${base}/`);
    await page.getByLabel('用户名').waitFor();
    return page;
  };
  const attempt = async (page: Page, user: string, password: string, names = { user: '用户名', password: '密码', go: /登\s*录/ }) => {
    await page.getByLabel(names.user).fill(user);
    await page.getByLabel(names.password).fill(password);
    // One attempt at a time: each waits for the hub's answer before the next.
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login') && r.request().method() === 'POST'),
      page.getByRole('button', { name: names.go }).click(),
    ]);
  };

  it('says when a locked account may sign in again in Beijing time, in Chinese, and in English only under EN', async () => {
    const page = await loginPage(PHONE);
    const alert = page.getByRole('alert');
    for (let i = 1; i <= 4; i++) {
      await attempt(page, 'et.locked', `Wrong#Pass${i}x`);
      await alert.filter({ hasText: '用户名或密码错误' }).waitFor();
    }
    await attempt(page, 'et.locked', 'Wrong#Pass5x');
    await alert.filter({ hasText: '账号已锁定' }).waitFor();
    const zh = await alert.innerText();
    assert.match(zh, /账号已锁定，请于 \d{4}-\d\d-\d\d \d\d:\d\d（北京时间）后重试/);
    assert.doesNotMatch(zh, /T\d\d:|\dZ\b|[A-Za-z]{4,}/, `no UTC time and no English half: ${zh}`);
    await checkPage(page, 'login-locked-390', axeReport);

    await page.getByText('EN', { exact: true }).click();
    await attempt(page, 'et.locked', PASSWORD, { user: 'Username', password: 'Password', go: /^Sign in$/ });
    await alert.filter({ hasText: /locked until/ }).waitFor();
    const en = await alert.innerText();
    assert.match(en, /locked until \d{4}-\d\d-\d\d \d\d:\d\d \(Beijing time\)/);
    assert.doesNotMatch(en, /[\u3400-\u9fff]/, `no Chinese half under EN: ${en}`);
  });

  it('names reviewer levels (复审), not L2, in the users list', async () => {
    const page = await signIn(browser, base, 'et.admin', PASSWORD, contexts, { timeoutMs: UI_TIMEOUT });
    await page.goto(`${base}/admin/users`);
    const row = page.locator('.ant-table tbody tr', { hasText: 'et.r2' });
    await row.waitFor();
    assert.match(await row.innerText(), /复审/);
    assert.doesNotMatch(await page.locator('.ant-table').innerText(), /\bL[123]\b/);
  });
});
