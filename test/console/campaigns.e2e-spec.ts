import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ActorLoader, makeCreditCode, Role, Unit, UnitLevel, UnitsService } from '@tongfa/identity';
import { LexiconKind, LexiconService } from '@tongfa/compliance';
import { startTestHub, TestHub } from '../support/test-hub';
import { login, PASSWORD, World } from '../support/world';
import { startSandboxWorld, SandboxWorld } from '../support/sandbox-accounts';
import { approvedManuscript } from '../support/publish-kit';
import { pollUntil } from '../support/poll';
import { assertFitsPhone, checkPage, ensureConsoleBuilt, launchChromium, listen, PHONE, reloadKeeps, signIn } from '../support/browser';

const UI_TIMEOUT = 20_000;
const PLATFORMS = ['own-app', 'nanfang'] as const;
const SOURCE_TITLE = '甲市关于做好冬季安全生产工作的通知解读';
const CAMPAIGN_TITLE = '转发甲市冬季安全生产解读';

/**
 * Joint posting (矩阵联动) in a real browser: the city supervisor issues a campaign from the form
 * (units picked in the tree, platforms, a deadline preset) and watches it live; a county editor
 * finds the task on the workbench, accepts it and follows the reprint through review to
 * published; the other county asks for an exemption, which the supervisor approves inline; the
 * report downloads as an xlsx with the expected rows. Every new page: axe, reload, 390 px.
 */
describe('console: joint posting campaigns in Chromium (sqlite + sandbox)', () => {
  let hub: TestHub;
  let world: World;
  let sw: SandboxWorld;
  let base = '';
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const axeReport: string[] = [];
  let sourceId = '';
  let campaignId = '';
  const assignmentIds: string[] = [];
  /** A department under county one: the dashboard's tree rolls it into the county and expands to it. */
  let countyDept: Unit;

  const as = (username: string, viewport?: { width: number; height: number }): Promise<Page> =>
    signIn(browser, base, username, PASSWORD, contexts, { viewport, timeoutMs: UI_TIMEOUT });
  const check = (page: Page, name: string) => checkPage(page, `campaigns-${name}`, axeReport);

  const reloads = reloadKeeps;
  const fitsPhone = async (username: string, path: string, ready: (p: Page) => Promise<void>, name: string) =>
    assertFitsPhone(await as(username, PHONE), base, path, ready, `campaigns-${name}`);

  before(async () => {
    ensureConsoleBuilt();
    hub = await startTestHub('sqlite');
    world = await World.build(hub.app);
    countyDept = await hub.app.get(UnitsService).create(null, {
      name: '甲市一县教育局',
      level: UnitLevel.Department,
      parentId: world.units.countyA1.id,
      creditCode: makeCreditCode('980121', 20_000_901),
      regionCode: '980121',
    });
    for (const [u, role, unit, level] of [
      ['k.sup', Role.Supervisor, 'cityA', 0],
      ['k.cityed', Role.Editor, 'cityA', 0],
      ['k.cr1', Role.Reviewer, 'cityA', 1],
      ['k.cr2', Role.Reviewer, 'cityA', 2],
      ['k.cr3', Role.Reviewer, 'cityA', 3],
      ['k.ed', Role.Editor, 'countyA1', 0],
      ['k.admin', Role.UnitAdmin, 'countyA1', 0],
      ['k.r1', Role.Reviewer, 'countyA1', 1],
      ['k.r2', Role.Reviewer, 'countyA1', 2],
      ['k.admin2', Role.UnitAdmin, 'countyA2', 0],
      ['k.op', Role.PlatformOperator, 'province', 0],
    ] as const) {
      await world.user(u, role, unit, { level: level || undefined });
    }
    const actors = hub.app.get(ActorLoader);
    // The issuing city office is a designated source (稿源单位): the counties' reprints pass the check.
    const lexicon = hub.app.get(LexiconService);
    const { version } = await lexicon.import(
      await actors.forUser(world.users.get('k.op')!.id),
      { kind: LexiconKind.SourceUnit },
      '甲市政府办公室\n',
    );
    await lexicon.publish(await actors.forUser(world.users.get('k.op')!.id), version.id);
    sw = await startSandboxWorld(hub);
    const sup = await actors.forUser(world.users.get('k.sup')!.id);
    const admin1 = await actors.forUser(world.users.get('k.admin')!.id);
    const admin2 = await actors.forUser(world.users.get('k.admin2')!.id);
    for (const p of PLATFORMS) await sw.connect(admin1, sup, world.units.countyA1.id, p, '甲市一县发布');
    // County two has only one of the two platforms: its other assignment shows the gap.
    await sw.connect(admin2, sup, world.units.countyA2.id, 'own-app', '甲市二县发布');
    const token = (u: string) => login(hub.http, u);
    sourceId = await approvedManuscript(
      hub,
      { editor: await token('k.cityed'), reviewers: [await token('k.cr1'), await token('k.cr2'), await token('k.cr3')] },
      { title: SOURCE_TITLE },
    );
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

  it('supervisor: issues a campaign from the form, picking units in the tree, platforms and a deadline', async () => {
    const page = await as('k.sup');
    await page.getByRole('menuitem', { name: /联动任务/ }).click();
    await page.waitForURL(`${base}/campaigns`);
    await page.getByText('还没有发起过联动任务').waitFor();
    await check(page, 'list-empty');

    await page.getByRole('button', { name: '发起联动' }).click();
    await page.waitForURL(`${base}/campaigns/new`);
    await page.getByLabel('任务标题').fill(CAMPAIGN_TITLE);
    await page.getByLabel('转发要求').fill('请于今日内在本单位账号转发，标题不得改动。');

    // Submitting empty-handed names each missing field in Chinese, at the field.
    await page.getByRole('button', { name: /下发联动任务/ }).click();
    await page.getByText('请选择要转发的内容').waitFor();
    await page.getByText('请至少勾选一个单位').waitFor();
    await page.getByText('请至少选择一个平台').waitFor();

    await page.getByLabel('选择稿件').click();
    await page.locator('.ant-select-item-option', { hasText: SOURCE_TITLE }).click();

    // Targets by level that match no unit: the hub's Chinese reason lands on the levels field.
    await page.getByText('按层级（如全部县区、全部部门）').click();
    await page.getByLabel('起始单位').click();
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '甲市一县政府办公室' }).click();
    await page.getByRole('group', { name: '其下的层级' }).getByRole('checkbox', { name: '县级' }).uncheck();
    await page.getByRole('group', { name: '其下的层级' }).getByRole('checkbox', { name: '乡镇' }).check();
    for (const name of ['本单位客户端', '南方号']) await page.getByTestId('platforms').getByRole('checkbox', { name }).check();
    await page.getByRole('button', { name: /下发联动任务/ }).click();
    const levelsError = page.locator('.ant-form-item-has-error', { has: page.getByRole('group', { name: '其下的层级' }) });
    await levelsError.getByText('没有符合条件的目标单位').waitFor();
    await page.getByText('从单位树中勾选').click();
    await page.getByLabel('勾选单位').click();
    const tree = page.locator('.ant-select-tree');
    for (const unit of ['甲市一县政府办公室', '甲市二县政府办公室', '甲市一县教育局']) {
      await tree.locator('.ant-select-tree-treenode', { hasText: unit }).locator('.ant-select-tree-checkbox').click();
    }
    await page.keyboard.press('Escape');

    await page.getByText('24 小时内', { exact: true }).click();
    await check(page, 'form-filled');

    await page.getByRole('button', { name: /下发联动任务/ }).click();
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/).catch(async (e) => {
      throw new Error(`${e}; the page says: ${await page.locator('[role=alert], .ant-form-item-explain-error').allInnerTexts()}`);
    });
    campaignId = /\/campaigns\/([0-9a-f-]{36})$/.exec(page.url())![1];

    // Three units × two platforms; county two has no Nanfang account, the department none at all.
    const counts = page.getByTestId('state-counts');
    await counts.locator('[data-state=pending]').getByText('3').waitFor();
    await counts.locator('[data-state=not_applicable]').getByText('3').waitFor();
    const units = page.getByTestId('unit-tree');
    const county = units.locator(`tr[data-unit="${world.units.countyA1.id}"]`);
    await county.waitFor();
    await units.locator(`tr[data-unit="${world.units.countyA2.id}"]`).waitFor();
    // The county's figure includes its department; expanding it loads the department's own row.
    assert.equal(await units.locator(`tr[data-unit="${countyDept.id}"]`).count(), 0);
    await county.getByRole('button', { name: /展开|Expand/ }).click();
    await units.locator(`tr[data-unit="${countyDept.id}"]`).getByText('甲市一县教育局').waitFor();
    await page.getByTestId('overdue').getByText('目前没有逾期单位').waitFor();
    assert.equal(await page.getByRole('link', { name: SOURCE_TITLE }).getAttribute('href'), `/manuscripts/${sourceId}`);
    await check(page, 'dashboard-new');
    await reloads(page, () => page.getByTestId('unit-tree').locator(`tr[data-unit="${world.units.countyA1.id}"]`).waitFor());

    await page.goto(`${base}/campaigns`);
    await page.getByTestId('campaigns').getByRole('link', { name: CAMPAIGN_TITLE }).waitFor();
    await check(page, 'list');
    await reloads(page, () => page.getByTestId('campaigns').getByRole('link', { name: CAMPAIGN_TITLE }).waitFor());
  });

  it('county editor: finds the task on the workbench, accepts it and follows the reprint to published', async () => {
    assert.ok(campaignId, 'the campaign was issued');
    const page = await as('k.ed');
    const mine = page.getByTestId('my-assignments');
    await mine.getByRole('link', { name: CAMPAIGN_TITLE }).first().waitFor();
    assert.equal(await mine.locator('[data-assignment]').count(), PLATFORMS.length);
    assert.match(await mine.innerText(), /还剩 23 小时/);
    for (const row of await mine.locator('[data-assignment]').all()) assignmentIds.push((await row.getAttribute('data-assignment'))!);
    await check(page, 'workbench-editor');

    await mine.getByRole('link', { name: CAMPAIGN_TITLE }).first().click();
    await page.waitForURL(/\/assignments\/[0-9a-f-]{36}$/);
    await page.getByTestId('assignment-state').filter({ hasText: '待接收' }).waitFor();
    await check(page, 'assignment-pending');
    await reloads(page, () => page.getByTestId('assignment-state').filter({ hasText: '待接收' }).waitFor());
    const assignmentUrl = page.url();

    await page.getByRole('button', { name: /接\s*收/ }).click();
    await page.waitForURL(/\/manuscripts\/[0-9a-f-]{36}(\/edit)?$/);
    const reprintId = /\/manuscripts\/([0-9a-f-]{36})/.exec(page.url())![1];

    // The other platform's assignment, reached from this one and accepted there, joins the same reprint.
    const other = assignmentIds.find((a) => !assignmentUrl.endsWith(a))!;
    await page.goto(assignmentUrl);
    await page.locator(`[data-sibling="${other}"] a`).click();
    await page.waitForURL(`${base}/assignments/${other}`);
    await page.getByRole('button', { name: /接\s*收/ }).click();
    await page.waitForURL(new RegExp(`/manuscripts/${reprintId}(/edit)?$`));
    if (page.url().endsWith('/edit')) {
      await check(page, 'reprint-editor');
      await page.getByRole('button', { name: /送\s*审/ }).click();
      await page.waitForURL(new RegExp(`/manuscripts/${reprintId}$`));
    }
    await page.getByTestId('manuscript-status').filter({ hasText: '审核中' }).waitFor();

    // The county's own chain (two steps for reprints), decided through the API.
    for (const r of ['k.r1', 'k.r2']) {
      const res = await hub.http
        .post(`/api/v1/manuscripts/${reprintId}/reviews`)
        .set({ Authorization: `Bearer ${await login(hub.http, r)}` })
        .send({ decision: 'approve' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }

    // The final approval publishes to the assigned accounts; both assignments turn done.
    await page.goto(assignmentUrl);
    await pollUntil(
      async () => {
        await page.reload();
        await page.getByTestId('assignment-state').waitFor();
        return (await page.getByTestId('assignment-state').innerText()).includes('已完成');
      },
      { timeoutMs: 60_000, intervalMs: 1000, what: 'assignment done' },
    );
    assert.match((await page.getByTestId('completion-url').getAttribute('href')) ?? '', /^https?:\/\//);
    await check(page, 'assignment-done');
    await page.getByRole('link', { name: '查看发布进度' }).click();
    await page.getByTestId('publication-status').filter({ hasText: '已发布' }).waitFor();
  });

  it('county two: a foreign link is refused with the reason at the field; asks for an exemption, which reaches the open dashboard by polling and is approved inline', async () => {
    // The supervisor's dashboard is open before the request exists: it must arrive by polling.
    const sup = await as('k.sup');
    await sup.goto(`${base}/campaigns/${campaignId}`);
    await sup.getByTestId('state-counts').waitFor();
    const urlsSeen: string[] = [];
    sup.on('request', (r) => r.url().includes(`/api/v1/campaigns/${campaignId}/dashboard`) && urlsSeen.push(r.url()));

    const page = await as('k.admin2');
    const mine = page.getByTestId('my-assignments');
    await mine.locator('[data-assignment][data-state=pending]').getByRole('link', { name: CAMPAIGN_TITLE }).click();
    // A link that is not this account's post is refused, and the reason stands under the field.
    await page.getByLabel('转发文章链接').fill('https://www.example.gov.cn/art/2026/12/6/not-ours.html');
    await page.getByRole('button', { name: '提交链接' }).click();
    const refused = page.locator('.ant-form-item-has-error', { has: page.getByLabel('转发文章链接') });
    await refused
      .locator('.ant-form-item-explain-error')
      .filter({ hasText: /本账号/ })
      .waitFor()
      .catch(async (e) => {
        throw new Error(`${e}; the page says: ${await page.locator('main').innerText()}`);
      });
    await page.getByTestId('assignment-state').filter({ hasText: '待接收' }).waitFor();
    await check(page, 'assignment-evidence-refused');

    await page.getByLabel('豁免理由').fill('本县客户端正在迁移，暂停发布');
    await page.getByRole('button', { name: '提交豁免申请' }).click();
    await page.getByTestId('exemption-status').filter({ hasText: '豁免待审批' }).waitFor();
    await check(page, 'assignment-exemption-requested');

    const ex = sup.getByTestId('exemptions');
    await ex.getByText('本县客户端正在迁移，暂停发布').waitFor({ timeout: 30_000 });
    assert.ok(urlsSeen.length >= 1, 'the dashboard asked again without a reload');
    await check(sup, 'dashboard-exemption');
    await ex.getByLabel(/豁免申请的意见/).fill('同意，迁移完成后补发');
    await ex.getByRole('button', { name: '批准豁免' }).click();
    await sup.getByTestId('state-counts').locator('[data-state=exempted]').getByText('1').waitFor();
    assert.equal(await sup.getByTestId('exemptions').count(), 0, 'no request left to decide');
  });

  it('supervisor: the dashboard shows the roll-up, reads in English, and the report downloads as an xlsx with the expected rows', async () => {
    const page = await as('k.sup');
    await page.goto(`${base}/campaigns/${campaignId}`);
    const counts = page.getByTestId('state-counts');
    // Some simulators take a while to report published; the page polls every 10 s meanwhile.
    await counts.locator('[data-state=done]').getByText('2').waitFor({ timeout: 60_000 });
    // Rolled up: county one carries both its platforms.
    const row = page.getByTestId('unit-tree').locator(`tr[data-unit="${world.units.countyA1.id}"]`);
    assert.equal(await row.getByTestId('completion').getAttribute('data-done'), '2');
    await page.getByTestId('completion-chart').waitFor();
    await check(page, 'dashboard-done');

    // Under the language switch the same page reads in English.
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('menuitem', { name: 'Campaigns' }).waitFor();
    await counts.locator('[data-state=done]').getByText('Done', { exact: true }).waitFor();
    await page.getByTestId('overdue').getByText('No unit is overdue').waitFor();
    await check(page, 'dashboard-english');
    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('menuitem', { name: '联动任务' }).waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-report').click()]);
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    const file = await download.path();
    const bytes = readFileSync(file);
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an xlsx is a zip');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    assert.equal(wb.worksheets.length, 2, wb.worksheets.map((w) => w.name).join(','));
    const detail = wb.worksheets[1];
    const rows: string[] = [];
    detail.eachRow((r, n) => n > 1 && rows.push((r.values as unknown[]).slice(1).map(String).join('|')));
    assert.equal(rows.length, 6, rows.join('\n'));
    for (const unit of ['甲市一县政府办公室', '甲市二县政府办公室', '甲市一县教育局']) {
      assert.equal(rows.filter((r) => r.includes(unit)).length, 2, `${unit} has one row per platform`);
    }
    // County one carried both platforms through Tongfa: its rows link the posts.
    assert.equal(rows.filter((r) => r.includes('甲市一县政府办公室') && /https?:\/\//.test(r)).length, 2, rows.join('\n'));

    // The issuer takes the relays back through the existing retraction path, with a reason.
    const relays = page.getByTestId('relays');
    assert.equal(await relays.locator('[data-status=published]').count(), 2);
    await relays.getByRole('button', { name: /撤回转发/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('将撤回 2 条转发').waitFor();
    await dialog.getByLabel('撤回原因').fill('原稿数据需更正，转发一并撤回');
    await check(page, 'retract-dialog');
    await dialog.getByRole('button', { name: /确认撤回/ }).click();
    await relays.locator('[data-status=retracted]').nth(1).waitFor({ timeout: 60_000 });
    assert.equal(await relays.getByRole('button', { name: /撤回转发/ }).count(), 0, 'nothing left to retract');
  });

  it('unit admin: the trust rule says what it means before it is turned off and on again', async () => {
    // Assignments do not name the issuer's id, so the rule is first set through the API; the page
    // lists it, and it stays listed once turned off.
    const put = await hub.http
      .put(`/api/v1/units/${world.units.countyA1.id}/campaign-trust/${world.units.cityA.id}`)
      .set({ Authorization: `Bearer ${await login(hub.http, 'k.admin')}` });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const page = await as('k.admin');
    await page.getByRole('menuitem', { name: /联动免审设置/ }).click();
    const issuer = page.getByTestId('trust-rules').locator(`[data-issuer="${world.units.cityA.id}"]`);
    await issuer.getByText(/已开启免审/).waitFor();
    await check(page, 'trust-settings');
    const dialog = page.getByRole('dialog');

    await issuer.getByRole('switch').click();
    await dialog.getByText(/恢复走本单位审核流程/).waitFor();
    await dialog.getByRole('button', { name: '确认关闭' }).click();
    await issuer.getByText('走本单位审核流程').waitFor();
    assert.equal(await issuer.getByRole('switch').getAttribute('aria-checked'), 'false');

    await issuer.getByRole('switch').click();
    await dialog.getByText(/不经本单位审核直接发布/).waitFor();
    await check(page, 'trust-confirm');
    await dialog.getByRole('button', { name: '确认开启' }).click();
    await issuer.getByText(/已开启免审/).waitFor();
    assert.equal(await issuer.getByRole('switch').getAttribute('aria-checked'), 'true');
    await reloads(page, () =>
      page
        .getByTestId('trust-rules')
        .getByText(/已开启免审/)
        .waitFor(),
    );
  });

  it('every new page fits a 390 px phone without sideways scrolling', async () => {
    assert.ok(assignmentIds.length > 0);
    await fitsPhone('k.sup', '/campaigns', (p) => p.getByTestId('campaigns').getByRole('link', { name: CAMPAIGN_TITLE }).waitFor(), 'list');
    await fitsPhone('k.sup', '/campaigns/new', (p) => p.getByLabel('任务标题').waitFor(), 'form');
    await fitsPhone(
      'k.sup',
      `/campaigns/${campaignId}`,
      (p) => p.getByTestId('unit-tree').locator('tr[data-unit]').first().waitFor(),
      'dashboard',
    );
    await fitsPhone('k.ed', '/', (p) => p.getByTestId('my-assignments').locator('[data-assignment]').first().waitFor(), 'workbench');
    await fitsPhone('k.ed', `/assignments/${assignmentIds[0]}`, (p) => p.getByTestId('assignment-state').waitFor(), 'assignment');
    await fitsPhone('k.admin', '/admin/campaign-trust', (p) => p.getByTestId('trust-rules').waitFor(), 'trust');
  });
});
