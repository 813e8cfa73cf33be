import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ActorLoader, Role } from '@tongfa/identity';
import { startTestHub, TestHub } from '../support/test-hub';
import { pollUntil } from '../support/poll';
import { PASSWORD, World } from '../support/world';
import { startSandboxWorld, SandboxWorld } from '../support/sandbox-accounts';
import { checkPage, ensureConsoleBuilt, launchChromium, listen, screenshot, signIn } from '../support/browser';

const BUILT_IN = ['douyin', 'nanfang', 'own-app', 'toutiao', 'wechat', 'weibo'];
const UI_TIMEOUT = 20_000;

/**
 * The core path in a real browser, as four people: an editor writes a manuscript with an image,
 * meets a blocking finding and fixes it, previews every platform and submits; two reviewers
 * approve in order; the editor publishes and watches every target turn published; a supervisor
 * finds the unit's accounts in the matrix. Every page is screenshotted and checked with axe-core.
 */
describe('console: the core path in Chromium (sqlite + sandbox)', () => {
  let hub: TestHub;
  let world: World;
  let sw: SandboxWorld;
  let base = '';
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const platforms: string[] = [];
  let manuscriptId = '';
  const axeReport: string[] = [];

  const as = (username: string): Promise<Page> => signIn(browser, base, username, PASSWORD, contexts, { timeoutMs: UI_TIMEOUT });
  const check = (page: Page, name: string) => checkPage(page, name, axeReport);

  before(async () => {
    ensureConsoleBuilt();
    hub = await startTestHub('sqlite');
    world = await World.build(hub.app);
    for (const [u, role, level] of [
      ['c.editor', Role.Editor, 0],
      ['c.admin', Role.UnitAdmin, 0],
      ['c.r1', Role.Reviewer, 1],
      ['c.r2', Role.Reviewer, 2],
    ] as const) {
      await world.user(u, role, 'countyA1', { level: level || undefined });
    }
    await world.user('c.sup', Role.Supervisor, 'cityA');
    await world.user('c.provsup', Role.Supervisor, 'province');
    await world.user('c.aud', Role.Auditor, 'province');
    await world.user('c.newcomer', Role.Editor, 'countyA1', { temporary: true });
    sw = await startSandboxWorld(hub);
    const actors = hub.app.get(ActorLoader);
    const admin = await actors.forUser(world.users.get('c.admin')!.id);
    const sup = await actors.forUser(world.users.get('c.sup')!.id);
    for (const platform of sw.platforms.filter((p) => BUILT_IN.includes(p))) {
      // A simulator still being finished must not hide the rest of the path: it is reported, not fatal.
      try {
        await sw.connect(admin, sup, world.units.countyA1.id, platform, '甲市一县发布');
        platforms.push(platform);
      } catch (e) {
        console.warn(`console e2e: ${platform} not connected in the sandbox: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    base = await listen(hub);
    browser = await launchChromium();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await sw?.close();
    await hub?.close();
    console.log(`axe (serious/critical per page):\n  ${axeReport.join('\n  ')}`);
  });

  it('serves the console at / with the CSP intact and leaves /api to the API', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${base}/`);
    assert.equal(res?.status(), 200);
    assert.match(res!.headers()['content-security-policy'] ?? '', /script-src 'self'/);
    assert.doesNotMatch(res!.headers()['content-security-policy'] ?? '', /unsafe-eval/);
    await page.getByRole('button', { name: /登\s*录/ }).waitFor();
    await check(page, 'sign-in');
    const api = await page.goto(`${base}/api/v1/nothing-here`);
    assert.equal(api?.status(), 404);
    await page.close();
  });

  it('editor: writes with an image, sees the blocking finding highlighted, fixes it, previews every platform, submits', async () => {
    assert.ok(platforms.length >= 4, `sandbox platforms: ${platforms.join(', ')}`);
    const page = await as('c.editor');
    await check(page, 'workbench-editor');
    await page.getByRole('button', { name: '写稿' }).first().click();
    await page.getByLabel('标题').fill('甲市一县推出十项便民服务举措');
    await page.getByLabel('摘要').fill('即日起推行延时办、预约办等十项举措。');
    const body = page.getByTestId('body-editor');
    await body.click();
    await page.keyboard.type('即日起，县政务服务中心推出十项便民举措。咨询请致电13912345678。');
    await page.keyboard.press('Enter');

    const dir = mkdtempSync(join(tmpdir(), 'tongfa-console-'));
    const photo = join(dir, '政务服务中心.png');
    writeFileSync(
      photo,
      await sharp({ create: { width: 900, height: 600, channels: 3, background: '#3a7bd5' } })
        .png()
        .toBuffer(),
    );
    await page.getByTestId('image-input').setInputFiles(photo);
    await body.locator('img').waitFor();
    // Shown through a blob: URL (the bytes need the bearer token), not the bare API URL.
    await body.locator('img[src^="blob:"]').waitFor();

    const blocking = page.locator('[data-testid=findings] [data-severity=block]');
    await blocking.first().waitFor();
    assert.match(await blocking.first().innerText(), /13912345678/);
    await page.locator('.tf-finding-block').first().waitFor();
    assert.equal(await page.locator('.tf-finding-block').first().innerText(), '13912345678');
    // Personal data does not stop a submission (the reviewer decides): the button says so where it is.
    assert.equal(await page.getByRole('button', { name: /送\s*审/ }).isDisabled(), false);
    await page.getByTestId('submit-hint').filter({ hasText: '含 1 处个人信息：可以送审，由审核人确认是否有意公开' }).waitFor();
    await page.getByTestId('for-reviewer').waitFor();
    assert.match(await blocking.first().innerText(), /待审核人确认/);
    await check(page, 'editor-blocking-finding');

    // Autosaved as version 1 with the finding; the fix becomes version 2, which the reviewers diff.
    await page.getByTestId('save-state').filter({ hasText: '已自动保存' }).waitFor();
    await blocking
      .first()
      .getByRole('button', { name: /定\s*位/ })
      .click();
    // 定位 selects the number in the editor and gives it the focus: what is typed replaces it.
    await page.waitForFunction(`document.activeElement?.getAttribute('data-testid') === 'body-editor'`);
    await page.keyboard.type('12345');
    await page.getByTestId('no-blocking').waitFor();
    assert.equal(await page.locator('.tf-finding-block').count(), 0);
    await page.getByTestId('save-state').filter({ hasText: '已自动保存' }).waitFor();
    manuscriptId = /\/manuscripts\/([0-9a-f-]{36})\/edit/.exec(page.url())![1];
    await check(page, 'editor-fixed');

    await page.getByRole('button', { name: '各平台预览' }).click();
    await page.waitForURL(/\/preview$/);
    const cards = page.locator('[data-testid=previews] .ant-card[data-platform]');
    await cards.first().waitFor();
    assert.equal(await cards.count(), platforms.length);
    const shown: string[] = [];
    for (const c of await cards.all()) shown.push((await c.getAttribute('data-platform'))!);
    shown.sort();
    assert.deepEqual(shown, [...platforms].sort());
    assert.match(await page.getByTestId('previews').innerText(), /十项便民举措/);
    await check(page, 'preview');

    await page.getByRole('button', { name: '返回编辑' }).click();
    await page.getByRole('button', { name: /送\s*审/ }).click();
    await page.waitForURL(new RegExp(`/manuscripts/${manuscriptId}$`));
    await page.getByTestId('manuscript-status').filter({ hasText: '审核中' }).waitFor();
    await page.getByTestId('chain-progress').waitFor();
    await check(page, 'manuscript-in-review');
  });

  for (const [who, step] of [
    ['c.r1', '初审'],
    ['c.r2', '复审'],
  ] as const) {
    it(`${who}: finds it waiting at ${step}, reads the version, the diff and the findings, approves`, async () => {
      const page = await as(who);
      const pending = page.getByTestId('pending-reviews');
      await pending.getByRole('link', { name: '甲市一县推出十项便民服务举措' }).waitFor();
      assert.match(await pending.innerText(), new RegExp(step));
      await check(page, `workbench-${who}`);
      await pending.getByRole('link', { name: '甲市一县推出十项便民服务举措' }).click();
      await page.getByTestId('version-text').waitFor();
      assert.match(await page.getByTestId('version-text').innerText(), /咨询请致电12345/);
      await page.getByRole('tab', { name: /与 v\d+ 对比/ }).click();
      const diff = page.getByTestId('diff');
      await diff.waitFor();
      // 13912345678 → 12345 reads as one number replaced by another (words, not six stray digits).
      assert.deepEqual(await diff.locator('del').allInnerTexts(), ['13912345678']);
      assert.deepEqual(await diff.locator('ins').allInnerTexts(), ['12345']);
      await page.getByTestId('findings').waitFor();
      await check(page, `review-${who}`);
      await page.getByLabel('意见').fill(`${step}同意`);
      await page.getByRole('button', { name: /通\s*过/ }).click();
      await page.waitForURL(`${base}/`);
      await page.getByTestId('pending-reviews').getByText('没有待审稿件').waitFor();
    });
  }

  it('editor: publishes to every account and watches each target turn published', async () => {
    const page = await as('c.editor');
    await page.goto(`${base}/manuscripts/${manuscriptId}`);
    await page.getByTestId('manuscript-status').filter({ hasText: '已通过' }).waitFor();
    await page.getByTestId('publish').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('checkbox').first().waitFor();
    assert.equal(await dialog.getByRole('checkbox', { checked: true }).count(), platforms.length);
    await check(page, 'publish-dialog');
    await dialog.getByRole('button', { name: '确认发布' }).click();
    await page.waitForURL(/\/publications\/[0-9a-f-]{36}$/).catch(async (e) => {
      throw new Error(`${e}; the page says: ${await page.locator('[role=alert]').allInnerTexts()}`);
    });
    const rows = page.locator('[data-testid=targets] tr[data-platform]');
    await rows.first().waitFor();
    assert.equal(await rows.count(), platforms.length);
    // Locators, not page functions: the page's CSP rightly refuses string evaluation.
    const published = page.locator('[data-testid=targets] tr[data-state=published]');
    await published.nth(platforms.length - 1).waitFor({ timeout: 60_000 });
    assert.equal(await published.count(), platforms.length);
    for (const p of platforms) {
      const row = page.locator(`[data-testid=targets] tr[data-platform="${p}"]`);
      assert.match(await row.innerText(), /已发布/);
    }
    await page.getByTestId('publication-status').filter({ hasText: '已发布' }).waitFor();
    await check(page, 'publication-published');
    await page.goto(`${base}/`);
    await page.getByTestId('recent-publications').getByRole('link', { name: '甲市一县推出十项便民服务举措' }).waitFor();
  });

  it('supervisor: sees the unit’s accounts in the matrix and opens one', async () => {
    const page = await as('c.sup');
    await page.getByRole('menuitem', { name: /账号矩阵/ }).click();
    const matrix = page.getByTestId('matrix');
    const row = matrix.locator(`tr:has([data-unit="${world.units.countyA1.id}"])`);
    await row.waitFor();
    await screenshot(page, 'matrix-before-assert');
    assert.equal(await row.locator('[data-account]').count(), platforms.length);
    assert.match(await row.innerText(), /甲市一县发布/);
    await check(page, 'matrix-supervisor');
    // The city opens with the units below it; closing hides them, opening shows them again.
    const city = matrix.locator(`tr:has([data-unit="${world.units.cityA.id}"])`).getByTestId('matrix-open');
    assert.equal(await city.getAttribute('aria-expanded'), 'true');
    await city.click();
    await row.waitFor({ state: 'detached' });
    await city.click();
    await row.waitFor();
    await row.locator('[data-account] a').first().click();
    await page.getByRole('heading', { name: /甲市一县发布/ }).waitFor();
    await check(page, 'account-detail');

    // The province's grid opens on its cities; a city's units are fetched when it is opened.
    const prov = await as('c.provsup');
    await prov.getByRole('menuitem', { name: /账号矩阵/ }).click();
    const grid = prov.getByTestId('matrix');
    const cityRow = grid.locator(`tr:has([data-unit="${world.units.cityA.id}"])`);
    await cityRow.waitFor();
    const county = grid.locator(`tr:has([data-unit="${world.units.countyA1.id}"])`);
    assert.equal(await county.count(), 0, 'the counties wait until their city is opened');
    await cityRow.getByTestId('matrix-open').click();
    await county.waitFor();
    assert.equal(await county.locator('[data-account]').count(), platforms.length);
  });
  it('unit admin: sorts the users list on the server by clicking a column header', async () => {
    const page = await as('c.admin');
    await page.getByRole('menuitem', { name: /用户管理/ }).click();
    const table = page.locator('.ant-table');
    await table.locator('tbody tr').first().waitFor();
    const header = table.getByRole('columnheader', { name: /用户名/ });
    const sorted = (order: string) => page.waitForResponse((r) => r.url().includes('/api/v1/users') && r.url().includes(`sort=${order}`));
    await Promise.all([sorted('username'), header.click()]);
    await Promise.all([sorted('-username'), header.click()]);
    const names = await table.locator('tbody tr td:first-child').allInnerTexts();
    assert.ok(names.length >= 2, names.join(','));
    assert.deepEqual(names, [...names].sort().reverse(), 'descending, as the server sorted it');
    await check(page, 'users-sorted');
  });
  it('unit admin: the units page, and the console in English', async () => {
    const page = await as('c.admin');
    await page.getByRole('menuitem', { name: /单位管理/ }).click();
    await page.locator('.ant-table tbody tr').first().waitFor();
    await check(page, 'units');
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('menuitem', { name: /Workbench/ }).waitFor();
    assert.equal(await page.getByRole('menuitem', { name: /工作台/ }).count(), 0, 'no Chinese menu left');
    await check(page, 'units-english');
  });

  it('auditor: reads the audit log and verifies the chain', async () => {
    const page = await as('c.aud');
    await page.getByRole('menuitem', { name: /审计日志/ }).click();
    await page.locator('.ant-table tbody tr.ant-table-row').first().waitFor();
    await page.getByRole('button', { name: /校验审计链/ }).click();
    await page.getByText(/审计链完整/).waitFor();
    await check(page, 'audit-verified');
    // Rows read as decisions (登录, 创建用户), not codes; a search in Chinese narrows them.
    const actions = await page.locator('.ant-table tbody tr.ant-table-row td:nth-child(4)').allInnerTexts();
    assert.ok(actions.length > 0);
    assert.ok(
      actions.every((a) => !/^(http|auth|user)\./.test(a.trim())),
      actions.join(' | '),
    );
    await page.getByLabel('搜索审计日志').fill('登录');
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/audit?') && r.url().includes('q=')),
      page.getByLabel('搜索审计日志').press('Enter'),
    ]);
    // The answer arrived; the table shows it once React has rendered it: wait for that, not for the network.
    let found: string[] = [];
    await pollUntil(
      async () => {
        found = await page.locator('.ant-table tbody tr.ant-table-row td:nth-child(4)').allInnerTexts();
        return found.length > 0 && found.every((a) => a.includes('登录'));
      },
      { timeoutMs: 10_000, what: 'only sign-in entries listed' },
    ).catch(() => assert.fail(`the search for 登录 lists: ${found.join(' | ')}`));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /导出 Excel/ }).click()]);
    assert.equal(download.suggestedFilename(), '审计日志.xlsx');
    await check(page, 'audit-search');
  });

  it('newcomer with a temporary password: must set a new one before anything else', async () => {
    const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    await page.goto(`${base}/`);
    await page.getByLabel('用户名').fill('c.newcomer');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByLabel('当前密码').waitFor();
    await check(page, 'change-password');
    await page.getByLabel('当前密码').fill(PASSWORD);
    await page.getByLabel('新密码', { exact: true }).fill('Newcomer#Pass2026');
    await page.getByLabel('确认新密码').fill('Newcomer#Pass2026');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByTestId('whoami').waitFor();
    await page.getByRole('menuitem', { name: /工作台/ }).waitFor();
  });
});
