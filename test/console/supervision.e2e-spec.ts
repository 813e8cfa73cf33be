import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Account, AccountsService } from '@tongfa/accounts';
import { ActorLoader, Role } from '@tongfa/identity';
import { ActivityDay, ActivityRollupService, addDays, localDay, weekOf } from '@tongfa/monitoring';
import { startTestHub, TestHub } from '../support/test-hub';
import { PASSWORD, World } from '../support/world';
import { pollUntil } from '../support/poll';
import {
  assertFitsPhone,
  checkPage,
  ensureConsoleBuilt,
  launchChromium,
  listen,
  PHONE,
  pickTreeNode,
  reloadKeeps,
  signIn,
} from '../support/browser';

const DAY = 86_400_000;

/**
 * 监测 in the console (issue #15): the supervisor's dashboard with the accounts at risk first and
 * grouped by rule, its filters, and an account's activity page with the evidence of each rule, in
 * Chromium against a real hub (SQLite) whose clock the test moves: one account silent 14 days (veto),
 * one silent 10 days (warning), one posting. Desktop and 390 px, axe, reload, and who sees what.
 */
describe('console: supervision dashboard and account activity', () => {
  let hub: TestHub;
  let world: World;
  let base = '';
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const axeReport: string[] = [];
  const ids: Record<'silent' | 'quiet' | 'busy', string> = { silent: '', quiet: '', busy: '' };
  let busyWeek = '';

  before(async () => {
    ensureConsoleBuilt();
    hub = await startTestHub('sqlite');
    world = await World.build(hub.app);
    for (const [u, role, unit] of [
      ['sv.sup', Role.Supervisor, 'cityA'],
      ['sv.admA1', Role.UnitAdmin, 'countyA1'],
      ['sv.admA2', Role.UnitAdmin, 'countyA2'],
      ['sv.supB', Role.Supervisor, 'cityB'],
      ['sv.ed', Role.Editor, 'countyA1'],
    ] as const) {
      await world.user(u, role, unit);
    }
    const actors = hub.app.get(ActorLoader);
    const actor = (u: string) => actors.forUser(world.users.get(u)!.id);
    const accounts = hub.app.get(AccountsService);
    const open = async (admin: string, unit: 'countyA1' | 'countyA2', platform: string, name: string) => {
      const { account } = await accounts.create(await actor(admin), { unitId: world.units[unit].id, platform, name });
      await accounts.decide(await actor('sv.sup'), account.id, 'approve', null);
      return account.id;
    };
    ids.silent = await open('sv.admA1', 'countyA1', 'weibo', '甲市一县发布');
    ids.busy = await open('sv.admA1', 'countyA1', 'wechat', '甲市一县微信');
    // Filed on time: nothing is wrong with it that the roll-up can know.
    await accounts.file(await actor('sv.admA1'), ids.busy, undefined, '甲网信备〔2026〕7号');
    hub.clock.advance(4 * DAY);
    ids.quiet = await open('sv.admA2', 'countyA2', 'douyin', '甲市二县抖音');
    hub.clock.advance(10 * DAY);
    // The busy account posted yesterday (its own record says so, which the roll-up starts from), and
    // its last weeks hold the posts the chart shows: the roll-up's own rows, filled in after
    // it ran so its recount of recent days does not replace them.
    const now = hub.clock.now();
    await hub.ds.getRepository(Account).update({ id: ids.busy }, { lastPostAt: new Date(now.getTime() - DAY) });
    await hub.app.get(ActivityRollupService).handleActivitySweep();
    const busyUnit = world.units.countyA1;
    const today = localDay(now);
    busyWeek = weekOf(addDays(today, -7));
    for (const [day, n] of [
      [addDays(busyWeek, 1), 3],
      [addDays(busyWeek, 2), 2],
      [addDays(today, -14), 1],
    ] as const) {
      await hub.ds.getRepository(ActivityDay).save({
        accountId: ids.busy,
        day,
        days: 1,
        unitId: busyUnit.id,
        unitPath: busyUnit.path,
        platform: 'wechat',
        postsTongfa: n,
        postsNative: 0,
        lastPostAt: null,
        lastPostUrl: null,
        lastPostSource: null,
        followers: day === addDays(busyWeek, 2) ? 1234 : null,
        reads: day === addDays(busyWeek, 2) ? 5678 : null,
        likes: null,
        comments: null,
      });
    }
    base = await listen(hub);
    browser = await launchChromium();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await hub?.close();
    console.log(`axe (serious/critical per page):\n  ${axeReport.join('\n  ')}`);
  });

  const rows = (page: Page) => page.getByTestId('monitoring-row');
  const rowNames = async (page: Page) => (await rows(page).locator('a').allInnerTexts()).map((s) => s.trim());

  it('lists the supervisor’s accounts at risk first, grouped by rule, and filters them', async () => {
    const page = await signIn(browser, base, 'sv.sup', PASSWORD, contexts);
    await page.getByRole('menuitem', { name: /账号监测/ }).click();
    await page.getByRole('heading', { level: 1, name: '账号监测' }).waitFor();
    await pollUntil(async () => (await rows(page).count()) === 3, { what: 'three accounts listed' });
    // Veto first, then the warning, then the account that posts.
    assert.deepEqual(await rowNames(page), ['甲市一县发布', '甲市二县抖音', '甲市一县微信']);
    assert.equal(await rows(page).first().getAttribute('data-state'), 'breach');
    await rows(page).first().getByText('超过两周未更新').waitFor();
    await rows(page).nth(1).getByText('超过两周未更新（第 10 天）').waitFor();
    const group = page.locator('[data-testid="rule-group"][data-rule="national.no-update"]');
    await group.getByText('单项否决').waitFor();
    await group.getByTestId('group-breach').getByText('不合格 1').waitFor();
    await group.getByTestId('group-warning').getByText('预警 1').waitFor();
    await checkPage(page, 'monitoring', axeReport);

    // The group opens its accounts: the warning alone.
    await group.getByTestId('group-warning').click();
    await pollUntil(async () => JSON.stringify(await rowNames(page)) === JSON.stringify(['甲市二县抖音']), { what: 'warning group only' });
    await page.getByTestId('filter-rule').locator('.ant-select-clear').click({ force: true });
    await page.getByTestId('filter-state').locator('.ant-select-clear').click({ force: true });
    await pollUntil(async () => (await rows(page).count()) === 3, { what: 'filters cleared' });
    // The unit filter narrows to a county's subtree.
    await pickTreeNode(page, 'filter-unit', '甲市一县政府办公室');
    await pollUntil(async () => JSON.stringify(await rowNames(page)) === JSON.stringify(['甲市一县发布', '甲市一县微信']), {
      what: 'county A1 only',
    });
    await page.getByTestId('filter-platform').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '微信' }).first().click();
    await pollUntil(async () => JSON.stringify(await rowNames(page)) === JSON.stringify(['甲市一县微信']), { what: 'WeChat only' });
    await reloadKeeps(page, () => page.getByRole('heading', { level: 1, name: '账号监测' }).waitFor());
  });

  it('shows an account’s last post, weekly posts, rule evidence and metrics', async () => {
    const page = await signIn(browser, base, 'sv.sup', PASSWORD, contexts);
    await page.goto(`${base}/monitoring`);
    await rows(page).first().getByRole('link', { name: '甲市一县发布' }).click();
    await page.waitForURL(`${base}/monitoring/accounts/${ids.silent}`);
    await page.getByRole('heading', { level: 1, name: '甲市一县发布' }).waitFor();
    const veto = page.locator('[data-testid="rule-state"][data-rule="national.no-update"]');
    assert.equal(await veto.getAttribute('data-state'), 'breach');
    // The evidence that decided it, in words: 14 days counted from the opening.
    await veto.getByText('未更新天数').waitFor();
    await veto.getByText('14', { exact: true }).waitFor();
    await veto.getByText('起算时间').waitFor();
    assert.equal(await page.getByTestId('silent-days').innerText(), '14 天');
    await page.getByTestId('metrics').getByText('该平台暂未提供指标数据').waitFor();
    await checkPage(page, 'monitoring-account', axeReport);

    await page.goto(`${base}/monitoring/accounts/${ids.busy}`);
    await page.getByRole('heading', { level: 1, name: '甲市一县微信' }).waitFor();
    const bars = page.getByTestId('week-bar');
    assert.equal(await bars.count(), 12);
    const week = page.locator(`[data-testid="week-bar"][data-week="${busyWeek}"]`);
    assert.equal(await week.getAttribute('data-posts'), '5');
    await week.getByText('5 篇（统发 5）').waitFor();
    await page.getByTestId('metrics').getByText('1,234').waitFor();
    await page.getByTestId('metrics').getByText('5,678').waitFor();
    assert.equal(await page.locator('[data-testid="rule-state"][data-rule="national.no-update"]').getAttribute('data-state'), 'ok');
    assert.equal(await page.locator('[data-testid="rule-state"][data-rule="hygiene.filing"]').getAttribute('data-state'), 'ok');
    // No veto breached (naming or interaction may still warn or be unknown).
    assert.notEqual(await page.getByTestId('worst-state').innerText(), '不合格');
    await reloadKeeps(page, () => page.getByRole('heading', { level: 1, name: '甲市一县微信' }).waitFor());
    await checkPage(page, 'monitoring-account-busy', axeReport);
  });

  it('fits 390 px on both pages', async () => {
    const phone = await signIn(browser, base, 'sv.sup', PASSWORD, contexts, { viewport: PHONE });
    await phone.goto(`${base}/monitoring`);
    await pollUntil(async () => (await rows(phone).count()) === 3, { what: 'rows at 390 px' });
    await checkPage(phone, 'monitoring-390', axeReport);
    await assertFitsPhone(phone, base, '/monitoring', (p) => p.getByTestId('monitoring-row').first().waitFor(), 'monitoring');
    const phone2 = await signIn(browser, base, 'sv.sup', PASSWORD, contexts, { viewport: PHONE });
    await phone2.goto(`${base}/monitoring/accounts/${ids.busy}`);
    await phone2.getByTestId('week-bars').waitFor();
    await checkPage(phone2, 'monitoring-account-390', axeReport);
    await assertFitsPhone(
      phone2,
      base,
      `/monitoring/accounts/${ids.silent}`,
      (p) => p.getByTestId('rule-states').waitFor(),
      'monitoring-account',
    );
  });

  it('shows a sibling county’s admin only their own account, and refuses the other county’s page in Chinese', async () => {
    const page = await signIn(browser, base, 'sv.admA2', PASSWORD, contexts);
    await page.getByRole('menuitem', { name: /账号监测/ }).click();
    await pollUntil(async () => JSON.stringify(await rowNames(page)) === JSON.stringify(['甲市二县抖音']), { what: 'own county only' });
    await page.goto(`${base}/monitoring/accounts/${ids.silent}`);
    await page.getByText('账号不存在、未纳入监测或不在您的管辖范围内').waitFor();
    assert.equal(await page.getByText('甲市一县发布').count(), 0);
    // Another city's supervisor sees an empty list.
    const other = await signIn(browser, base, 'sv.supB', PASSWORD, contexts);
    await other.goto(`${base}/monitoring`);
    await other.getByText('没有符合条件的账号').waitFor();
    await other.getByText('没有不合格或预警的账号').waitFor();
    // An editor has no monitoring: no menu entry, and the page says so in Chinese.
    const editor = await signIn(browser, base, 'sv.ed', PASSWORD, contexts);
    assert.equal(await editor.getByRole('menuitem', { name: /账号监测/ }).count(), 0);
    await editor.goto(`${base}/monitoring`);
    await editor.getByText('无权查看账号监测').first().waitFor();
  });
});
