import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ActorLoader, Role } from '@tongfa/identity';
import { AccountConnectionsService } from '@tongfa/plugins';
import { Publication, PublicationPlan } from '@tongfa/publishing';
import { startTestHub, TestHub } from '../support/test-hub';
import { login, PASSWORD, World } from '../support/world';
import { startSandboxWorld, SandboxWorld } from '../support/sandbox-accounts';
import { approvedManuscript } from '../support/publish-kit';
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

const UI_TIMEOUT = 20_000;
const DAY = 24 * 3600_000;
const PUBLISHED = '甲市一县冬季供暖保障措施';
const FAILED = '甲市一县重试演示稿件';
const SCHEDULED = '甲市一县元旦假期安排';
const PLANNED = '甲市一县春节值班安排';

/** The Beijing day of an instant, as the calendar keys its cells. */
const bjDay = (t: number) => new Date(t + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * After publishing, in Chromium: the publication list and its filters, a retry of the platform a
 * sandbox fault stopped, a retract of one platform while the other stays, and the calendar, where
 * a scheduled publication is dragged to another day and a published one is refused with the
 * hub's Chinese reason. Screenshots and axe at desktop and 390 px.
 */
describe('console: publications, per-platform actions and the calendar in Chromium (sqlite + sandbox)', () => {
  let hub: TestHub;
  let world: World;
  let sw: SandboxWorld;
  let base = '';
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const axeReport: string[] = [];
  let ownApp: { id: string; sim: string; credentials: Record<string, string> };
  let weiboSim = '';
  let publishedId = '';
  let failedId = '';
  let scheduledId = '';
  let plannedMs = '';
  let scheduledAt = 0;
  let editorToken = '';
  let reviewerTokens: string[] = [];

  const as = async (username: string, viewport?: { width: number; height: number }) =>
    signIn(browser, base, username, PASSWORD, contexts, { viewport, timeoutMs: UI_TIMEOUT });
  const posts = async (platform: string, sim: string, title: string) =>
    (await sw.sim.posts(platform, sim)).filter((p) => !p.deleted && JSON.stringify(p).includes(title));

  before(async () => {
    ensureConsoleBuilt();
    hub = await startTestHub('sqlite');
    world = await World.build(hub.app);
    for (const [u, role, unit, level] of [
      ['bp.ed', Role.Editor, 'countyA1', 0],
      ['bp.r1', Role.Reviewer, 'countyA1', 1],
      ['bp.r2', Role.Reviewer, 'countyA1', 2],
      ['bp.r3', Role.Reviewer, 'countyA1', 3],
      ['bp.admin', Role.UnitAdmin, 'countyA1', 0],
      ['bp.sup', Role.Supervisor, 'cityA', 0],
    ] as const) {
      await world.user(u, role, unit, { level: level || undefined });
    }
    const actors = hub.app.get(ActorLoader);
    const admin = await actors.forUser(world.users.get('bp.admin')!.id);
    const sup = await actors.forUser(world.users.get('bp.sup')!.id);
    sw = await startSandboxWorld(hub);
    const a = await sw.connect(admin, sup, world.units.countyA1.id, 'own-app', '甲市一县发布');
    ownApp = { id: a.account.id, sim: a.simAccountId, credentials: a.credentials };
    const w = await sw.connect(admin, sup, world.units.countyA1.id, 'weibo', '甲市一县微博');
    weiboSim = w.simAccountId;
    const editor = await login(hub.http, 'bp.ed');
    const reviewers = [await login(hub.http, 'bp.r1'), await login(hub.http, 'bp.r2'), await login(hub.http, 'bp.r3')];
    const auth = { Authorization: `Bearer ${editor}` };
    editorToken = editor;
    reviewerTokens = reviewers;
    const publish = async (title: string, accountIds: string[], extra: Record<string, unknown> = {}) => {
      const ms = await approvedManuscript(hub, { editor, reviewers }, { title });
      const res = await hub.http
        .post(`/api/v1/manuscripts/${ms}/publications`)
        .set(auth)
        .send({ accountIds, ...extra });
      assert.equal(res.status, 201, res.text);
      return res.body.id as string;
    };
    const status = async (id: string) => (await hub.http.get(`/api/v1/publications/${id}`).set(auth)).body;

    publishedId = await publish(PUBLISHED, [ownApp.id, w.account.id]);
    await pollUntil(async () => (await status(publishedId)).status === 'published', { timeoutMs: 30_000, what: 'published' });
    // A sandbox fault: the app's receiver answers "token expired" to everything; the target stops.
    await sw.sim.setFaults('own-app', { rate: 1, kinds: ['token_expired'] });
    failedId = await publish(FAILED, [ownApp.id]);
    await pollUntil(async () => (await status(failedId)).targets[0].state === 'needs_reauth', { timeoutMs: 30_000, what: 'needs_reauth' });
    await sw.sim.setFaults('own-app', { rate: 0, kinds: [] });
    // The unit admin re-authorises the account; the editor retries in the browser.
    await hub.app.get(AccountConnectionsService).connectInternally(ownApp.id, ownApp.credentials);
    scheduledAt = hub.clock.now().getTime() + DAY;
    scheduledId = await publish(SCHEDULED, [ownApp.id], { scheduledAt: new Date(scheduledAt).toISOString() });
    const draft = await hub.http
      .post('/api/v1/manuscripts')
      .set(auth)
      .send({ title: PLANNED, summary: '', body: '<p>春节期间值班安排。</p>', category: 'news', source: { type: 'original' } });
    assert.equal(draft.status, 201, draft.text);
    plannedMs = draft.body.id;
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

  const rows = (page: Page) => page.getByTestId('publications').locator('tbody tr.ant-table-row');
  const titles = async (page: Page) => (await rows(page).allInnerTexts()).map((r) => r.split('\t')[0]!.trim());

  it('lists publications and filters them by platform, failed platforms, title and unit', async () => {
    const page = await as('bp.ed');
    await page.getByRole('menuitem', { name: /发布记录/ }).click();
    await page.getByRole('heading', { level: 1, name: '发布记录' }).waitFor();
    await rows(page).nth(2).waitFor();
    assert.equal(await rows(page).count(), 3);
    await checkPage(page, 'publications', axeReport);

    await page.getByTestId('filter-platform').click();
    await page.locator('.ant-select-item-option', { hasText: '微博' }).click();
    await pollUntil(async () => (await rows(page).count()) === 1, { timeoutMs: UI_TIMEOUT, what: 'only the weibo publication' });
    assert.deepEqual(await titles(page), [PUBLISHED]);
    await page.getByTestId('filter-platform').locator('.ant-select-clear').click({ force: true });
    await pollUntil(async () => (await rows(page).count()) === 3, { timeoutMs: UI_TIMEOUT, what: 'all again' });

    await page.getByRole('searchbox', { name: '按标题搜索' }).fill('元旦');
    await page.getByRole('searchbox', { name: '按标题搜索' }).press('Enter');
    await pollUntil(async () => (await rows(page).count()) === 1, { timeoutMs: UI_TIMEOUT, what: 'the title match' });
    assert.deepEqual(await titles(page), [SCHEDULED]);
    await page.getByRole('searchbox', { name: '按标题搜索' }).fill('');
    await page.getByRole('searchbox', { name: '按标题搜索' }).press('Enter');

    await page.getByTestId('filter-failed').click();
    await pollUntil(async () => (await rows(page).count()) === 0, {
      timeoutMs: UI_TIMEOUT,
      what: 'none failed (needs_reauth is not failed)',
    });
    await page.getByTestId('filter-failed').click();
    await pollUntil(async () => (await rows(page).count()) === 3, { timeoutMs: UI_TIMEOUT, what: 'all again' });

    // Dates are Beijing days: tomorrow onwards holds nothing made today.
    await page.getByTestId('filter-from').fill(bjDay(Date.now() + DAY));
    await pollUntil(async () => (await rows(page).count()) === 0, { timeoutMs: UI_TIMEOUT, what: 'nothing from tomorrow' });
    await page.getByTestId('filter-from').fill('');
    await pollUntil(async () => (await rows(page).count()) === 3, { timeoutMs: UI_TIMEOUT, what: 'all again' });
    await reloadKeeps(page, () => page.getByRole('heading', { level: 1, name: '发布记录' }).waitFor());
    await page.context().close();

    // The city supervisor narrows the city's list to the county in the unit tree.
    const sup = await as('bp.sup');
    await sup.goto(`${base}/publications`);
    await rows(sup).nth(2).waitFor();
    await pickTreeNode(sup, 'filter-unit', '甲市二县政府办公室');
    await pollUntil(async () => (await rows(sup).count()) === 0, {
      timeoutMs: UI_TIMEOUT,
      what: 'the other county has none',
    }).catch(async (e) => {
      throw new Error(`${e}; the page says: ${await sup.getByTestId('publications').innerText()}`);
    });
    await sup.context().close();

    await assertFitsPhone(
      await as('bp.ed', PHONE),
      base,
      '/publications',
      async (p) => {
        await rows(p).nth(2).waitFor();
      },
      'publications',
    );
  });

  it('retries the platform a sandbox fault stopped, once, from the publication page', async () => {
    const page = await as('bp.ed');
    await page.goto(`${base}/publications/${failedId}`);
    const row = page.locator('tr[data-platform="own-app"]');
    await page.locator('tr[data-platform="own-app"][data-state="needs_reauth"]').waitFor();
    await checkPage(page, 'publication-needs-reauth', axeReport);
    await row.getByRole('button', { name: /重试/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('稿件将按审核通过的版本重新排队发布').waitFor();
    await dialog.getByRole('button', { name: /重\s*试/ }).click();
    await page.locator('tr[data-platform="own-app"][data-state="published"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('publication-status').filter({ hasText: '已发布' }).waitFor();
    assert.equal((await posts('own-app', ownApp.sim, FAILED)).length, 1, 'one post after the retry');
    assert.equal(await row.getByRole('button', { name: /重试/ }).count(), 0, 'a published platform offers no retry');
    await checkPage(page, 'publication-retried', axeReport);
    await page.context().close();
  });

  it('retracts one platform and keeps the other', async () => {
    const page = await as('bp.ed');
    await page.goto(`${base}/publications/${publishedId}`);
    const weibo = page.locator('tr[data-platform="weibo"]');
    await page.locator('tr[data-platform="weibo"][data-state="published"]').waitFor();
    await weibo.getByRole('button', { name: /撤回/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('只撤回这一个平台').waitFor();
    await checkPage(page, 'publication-retract-one', axeReport);
    await dialog.getByRole('button', { name: /确认撤回/ }).click();
    // Without a reason the form says so in Chinese.
    await dialog.getByText('请填写撤回原因').waitFor();
    await dialog.getByLabel('撤回原因').fill('微博配图有误，先行撤回');
    await dialog.getByRole('button', { name: /确认撤回/ }).click();
    await page.locator('tr[data-platform="weibo"][data-state="retracted"]').waitFor({ timeout: 30_000 });
    await page.locator('tr[data-platform="own-app"][data-state="published"]').waitFor();
    await page.getByTestId('publication-status').filter({ hasText: '部分发布' }).waitFor();
    assert.equal((await posts('weibo', weiboSim, PUBLISHED)).length, 0, 'gone from weibo');
    assert.equal((await posts('own-app', ownApp.sim, PUBLISHED)).length, 1, 'still on the app');
    await checkPage(page, 'publication-partly-retracted', axeReport);
    await page.context().close();

    await assertFitsPhone(
      await as('bp.ed', PHONE),
      base,
      `/publications/${publishedId}`,
      async (p) => {
        await p.locator('tr[data-platform="weibo"][data-state="retracted"]').waitFor();
      },
      'publication-view',
    );
  });

  it('publishes a correction from the publication page once the new version is approved, and says why not before', async () => {
    const auth = { Authorization: `Bearer ${editorToken}` };
    const manuscriptId = (await hub.http.get(`/api/v1/publications/${publishedId}`).set(auth)).body.manuscriptId as string;
    const page = await as('bp.ed');
    await page.goto(`${base}/publications/${publishedId}`);
    await page.locator('tr[data-platform="own-app"][data-state="published"]').waitFor();
    const dialog = page.getByRole('dialog').filter({ hasText: '更正原因' });
    const open = async () => {
      // A refused correction closes its dialog with an animation; its button (still named 发布更正) must be gone first.
      await dialog.waitFor({ state: 'hidden' });
      await page.getByRole('button', { name: /发布更正/ }).click();
      await dialog.getByLabel('更正原因').fill('供暖时间有误，已重新审核');
      await dialog.getByRole('button', { name: /发布更正/ }).click();
    };
    // No newer approved version yet: the hub's reason, in Chinese, on the page.
    await open();
    await page.getByRole('alert').filter({ hasText: '先审后发' }).waitFor();

    const CORRECTED = '甲市一县冬季供暖保障措施（更正）';
    const edit = await hub.http
      .patch(`/api/v1/manuscripts/${manuscriptId}`)
      .set(auth)
      .send({ title: CORRECTED, body: '<p>供暖时间自11月15日起。为进一步优化政务服务，县政府出台便民举措。</p>' });
    assert.equal(edit.status, 200, edit.text);
    assert.equal((await hub.http.post(`/api/v1/manuscripts/${manuscriptId}/submit`).set(auth)).status, 200);
    for (const r of reviewerTokens) {
      const rv = await hub.http
        .post(`/api/v1/manuscripts/${manuscriptId}/reviews`)
        .set({ Authorization: `Bearer ${r}` })
        .send({ decision: 'approve' });
      assert.equal(rv.status, 200, rv.text);
    }
    await open();
    await page.waitForURL((u) => /\/publications\/[0-9a-f-]{36}$/.test(u.pathname) && !u.pathname.endsWith(publishedId));
    await page.getByText('更正自').waitFor();
    assert.equal(await page.getByRole('alert').filter({ hasText: '先审后发' }).count(), 0, 'the refusal of the last page does not follow');
    await page.locator('tr[data-platform="own-app"][data-state="published"]').waitFor({ timeout: 30_000 });
    assert.equal((await posts('own-app', ownApp.sim, CORRECTED)).length, 1, 'the corrected post is out');
    assert.equal(
      (await posts('own-app', ownApp.sim, PUBLISHED)).filter((p) => !JSON.stringify(p).includes('更正')).length,
      0,
      'the old post is gone',
    );
    await checkPage(page, 'publication-correction', axeReport);
    await page.context().close();
  });

  it('shows plans and publications on the calendar; a drag moves a scheduled one and a published one is refused', async () => {
    // The editor sets the planned time beside the editor (Beijing time).
    const ed = await as('bp.ed');
    await ed.goto(`${base}/manuscripts/${plannedMs}/edit`);
    const plannedDay = bjDay(Date.now() + 2 * DAY);
    await ed.getByTestId('planned-at').fill(`${plannedDay}T09:30`);
    await ed.getByTestId('save-planned-at').click();
    await ed.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    const plan = await hub.ds.getRepository(PublicationPlan).findOneByOrFail({ manuscriptId: plannedMs });
    assert.equal(plan.plannedAt.toISOString(), new Date(`${plannedDay}T09:30:00+08:00`).toISOString(), 'saved as Beijing time');

    await ed.getByRole('menuitem', { name: /发布日历/ }).click();
    await ed.getByRole('heading', { level: 1, name: '发布日历' }).waitFor();
    const from = bjDay(scheduledAt);
    const to = bjDay(scheduledAt + DAY);
    const dayCell = (key: string) => ed.locator(`[data-testid="cal-day"][data-day="${key}"]`);
    // Month view of this month; the days may lie in the next one.
    for (let i = 0; i < 2 && (await dayCell(to).count()) === 0; i++) await ed.getByRole('button', { name: '下一页' }).click();
    const item = ed.locator(`[data-testid="cal-item"][data-id="${scheduledId}"]`);
    await dayCell(from).locator(`[data-id="${scheduledId}"]`).waitFor();
    assert.equal(await item.getAttribute('data-movable'), 'yes');
    await checkPage(ed, 'calendar-month', axeReport);

    await item.dragTo(dayCell(to));
    await dayCell(to).locator(`[data-id="${scheduledId}"]`).waitFor();
    const moved = await hub.ds.getRepository(Publication).findOneByOrFail({ id: scheduledId });
    // The calendar keeps the time of day to the minute (Beijing is UTC+8, so minutes line up with UTC's).
    assert.equal(moved.scheduledAt!.getTime(), Math.floor(scheduledAt / 60_000) * 60_000 + DAY, 'one day later, the same time of day');

    // A published item does not move: the hub's reason is shown.
    for (let i = 0; i < 2 && (await dayCell(bjDay(Date.now())).count()) === 0; i++)
      await ed.getByRole('button', { name: '上一页' }).click();
    const published = ed.locator(`[data-testid="cal-item"][data-id="${publishedId}"]`);
    await published.waitFor();
    assert.equal(await published.getAttribute('data-movable'), 'no');
    const tomorrow = dayCell(bjDay(Date.now() + DAY));
    if ((await tomorrow.count()) > 0) {
      await published.dragTo(tomorrow);
      await ed.getByRole('alert').filter({ hasText: '不能调整发布时间：已开始发布或已发布' }).waitFor();
    }

    // Week view (of this week) shows the same items by day.
    await ed.getByRole('button', { name: /今\s*天/ }).click();
    await ed.getByText('周', { exact: true }).click();
    await ed.locator('[data-testid="cal-grid"][data-mode="week"]').waitFor();
    await ed.locator(`[data-testid="cal-item"][data-id="${publishedId}"]`).waitFor();
    await checkPage(ed, 'calendar-week', axeReport);
    await reloadKeeps(ed, () => ed.getByRole('heading', { level: 1, name: '发布日历' }).waitFor());
    await ed.context().close();

    await assertFitsPhone(
      await as('bp.ed', PHONE),
      base,
      '/calendar',
      async (p) => {
        await p.getByTestId('cal-agenda').locator(`[data-id="${publishedId}"]`).waitFor();
      },
      'calendar',
    );
  });
});
