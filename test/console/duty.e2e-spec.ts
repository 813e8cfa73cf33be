import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { makeCreditCode, Role, UnitLevel, UnitsService, User, UserStatus } from '@tongfa/identity';
import { localDate, newId } from '@tongfa/core';
import { AlertsService, DutyAlertKind, DutyAlertSeverity } from '@tongfa/alerts';
import { DutyOverride } from '@tongfa/duty';
import { startTestHub, TestHub } from '../support/test-hub';
import { login, PASSWORD, World } from '../support/world';
import { pollUntil } from '../support/poll';
import { assertFitsPhone, checkPage, ensureConsoleBuilt, launchChromium, listen, PHONE, reloadKeeps, signIn } from '../support/browser';

const DAY = 86_400_000;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/**
 * 值班 in the console (issue #15): the on-duty view, the schedule editor (unit admins) and its
 * read-only form (duty officers), overrides in Beijing time, the 14-day preview with gaps in red,
 * the duty log with its xlsx, and what a sibling county's admin cannot reach. Chromium against a
 * real hub (SQLite); desktop and 390 px, axe, reload.
 */
describe('console: duty view, schedule editor and duty log', () => {
  let hub: TestHub;
  let world: World;
  let base = '';
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const axeReport: string[] = [];
  let county = '';
  let today = '';

  before(async () => {
    ensureConsoleBuilt();
    hub = await startTestHub('sqlite');
    world = await World.build(hub.app);
    for (const [u, role, unit] of [
      ['dt.admA1', Role.UnitAdmin, 'countyA1'],
      ['dt.admA2', Role.UnitAdmin, 'countyA2'],
      ['dt.off1', Role.DutyOfficer, 'countyA1'],
      ['dt.off2', Role.DutyOfficer, 'countyA1'],
      ['dt.offA2', Role.DutyOfficer, 'countyA2'],
      ['dt.cityOff', Role.DutyOfficer, 'cityA'],
      ['dt.gone', Role.DutyOfficer, 'countyA1'],
    ] as const) {
      await world.user(u, role, unit);
    }
    county = world.units.countyA1.id;
    // Enough offices under the county that the on-duty view needs a second page.
    const units = hub.app.get(UnitsService);
    for (let i = 1; i <= 21; i++)
      await units.create(null, {
        name: `甲市一县第${String(i).padStart(2, '0')}办事处`,
        level: UnitLevel.Department,
        parentId: county,
        creditCode: makeCreditCode('980121', 30_000_000 + i),
        regionCode: '980121',
      });
    today = localDate(hub.clock.now().getTime());
    // Workdays only, so the rest days of the next two weeks are gaps the preview must show.
    const admin = await login(hub.http, 'dt.admA1');
    const put = await hub.http
      .put(`/api/v1/duty/units/${county}/schedule`)
      .set({ Authorization: `Bearer ${admin}` })
      .send({
        layers: [
          {
            name: '工作日值班',
            userIds: [world.users.get('dt.off1')!.id, world.users.get('dt.off2')!.id],
            rotation: 'daily',
            handoff: '09:00',
            startDate: addDays(today, -3),
            days: 'workdays',
          },
        ],
      });
    assert.equal(put.status, 200, put.text);
    await hub.app.get(AlertsService).raise({
      kind: DutyAlertKind.InboxOverdue,
      severity: DutyAlertSeverity.Warning,
      unitId: county,
      unitPath: world.units.countyA1.path,
      title: { zh: '群众留言超时未回复：一县供暖', en: 'Citizen message unanswered' },
      message: { zh: '请督办。', en: 'Please follow up.' },
      link: { type: 'inbox_thread', id: newId() },
      dedupeKey: `console-duty:${newId()}`,
    });
    base = await listen(hub);
    browser = await launchChromium();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await hub?.close();
    console.log(`axe (serious/critical per page):\n  ${axeReport.join('\n  ')}`);
  });

  const unitRow = (page: Page, unitId: string) => page.locator(`[data-testid="duty-unit"][data-unit="${unitId}"]`);

  it('shows the duty officer who is on call for the county, the next handoff and the open alerts', async () => {
    const page = await signIn(browser, base, 'dt.off1', PASSWORD, contexts);
    await page.getByRole('menuitem', { name: /值班值守/ }).click();
    await page.getByRole('heading', { level: 1, name: '值班值守' }).waitFor();
    const row = unitRow(page, county);
    await row.waitFor();
    // On a workday someone of the layer is on call, on a rest day the county has a gap: either
    // way the view must say which, and name the next change.
    await pollUntil(async () => (await row.getByTestId('on-call-name').count()) + (await row.getByTestId('gap').count()) === 1, {
      what: 'on-call person or gap shown',
    });
    if ((await row.getAttribute('data-gap')) === 'false') assert.match(await row.getByTestId('on-call-name').innerText(), /^dt\.off[12]$/);
    else await row.getByText('值班空档').waitFor();
    await row.getByTestId('next-handoff').waitFor();
    await page.getByTestId('open-alert').filter({ hasText: '群众留言超时未回复：一县供暖' }).waitFor();
    await checkPage(page, 'duty', axeReport);
    await reloadKeeps(page, () => unitRow(page, county).waitFor());

    // A duty officer reads the schedule but cannot edit it.
    await row.getByRole('link', { name: '值班表' }).click();
    await page.waitForURL(`${base}/duty/schedule/${county}`);
    await page.getByTestId('read-only').waitFor();
    assert.equal(await page.getByTestId('save-schedule').count(), 0);
    assert.equal(await page.getByTestId('add-override').count(), 0);
    await page
      .getByTestId('layer-text')
      .getByText(/工作日值班 · dt\.off1 → dt\.off2 · 每天轮换/)
      .waitFor();
    // Two weeks always hold a weekend: the preview shows its gap in red words.
    const gaps = page.locator('[data-testid="preview-shift"][data-gap="true"]');
    await gaps.first().waitFor();
    await gaps.first().getByText('空档（无人值班）').waitFor();
    const bg = await gaps
      .first()
      .locator('td')
      .first()
      .evaluate(
        (td) =>
          (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(td).backgroundColor,
      );
    assert.equal(bg, 'rgb(255, 241, 240)');
    await checkPage(page, 'duty-schedule-readonly', axeReport);
  });

  it('lets the county’s admin add an override in Beijing time, refuses a bad range and an empty layer in Chinese, and saves a handoff', async () => {
    // A third officer was put on the layer and has since left (account disabled): saving must say who.
    const admin = { Authorization: `Bearer ${await login(hub.http, 'dt.admA1')}` };
    const current = (await hub.http.get(`/api/v1/duty/units/${county}/schedule`).set(admin)).body;
    const gone = world.users.get('dt.gone')!.id;
    const layers = [{ ...current.layers[0], userIds: [...current.layers[0].userIds, gone] }];
    assert.equal((await hub.http.put(`/api/v1/duty/units/${county}/schedule`).set(admin).send({ layers })).status, 200);
    await hub.ds.getRepository(User).update({ id: gone }, { status: UserStatus.Disabled });

    const page = await signIn(browser, base, 'dt.admA1', PASSWORD, contexts);
    await page.goto(`${base}/duty/schedule/${county}`);
    await page.getByTestId('save-schedule').waitFor();
    const tomorrow = addDays(today, 1);
    // The picker offers whom the API accepts: the county's officers and the city's above it, with
    // their unit; not the sibling county's officer, not the one who left.
    await page.getByTestId('override-user').click();
    const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option:not(.ant-select-item-option-disabled)');
    await options.filter({ hasText: 'dt.cityOff（甲市政府办公室）' }).waitFor();
    const offered = await options.allInnerTexts();
    assert.ok(
      offered.some((o) => o.startsWith('dt.off1（甲市一县政府办公室）')),
      offered.join(', '),
    );
    assert.ok(!offered.some((o) => /dt\.offA2|dt\.gone|dt\.adm/.test(o)), offered.join(', '));
    // The one who left is still shown where named, marked and not choosable.
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option-disabled', { hasText: 'dt.gone（不可值班）' }).waitFor();
    await page.keyboard.press('Escape');
    // The end before the start: the API's reason, in Chinese, naming the field.
    const pick = async (name: string) => {
      await page.getByTestId('override-user').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: name }).click();
    };
    await pick('dt.off2');
    await page.getByTestId('override-start').fill(`${tomorrow}T12:00`);
    await page.getByTestId('override-end').fill(`${tomorrow}T10:00`);
    await page.getByTestId('add-override').click();
    await page
      .getByTestId('override-error')
      .getByText(/时间范围无效.*替班时间/)
      .waitFor();
    await page.getByTestId('override-end').fill(`${tomorrow}T14:00`);
    await page.getByTestId('add-override').click();
    await page.getByTestId('overrides').getByText(`${tomorrow} 12:00`).waitFor();
    // Stored as the Beijing instant: 12:00 in Beijing is 04:00 UTC.
    const rows = await hub.ds.getRepository(DutyOverride).find({ where: { unitId: county } });
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.startsAt.toISOString(), `${tomorrow}T04:00:00.000Z`);
    assert.equal(rows[0]!.endsAt.toISOString(), `${tomorrow}T06:00:00.000Z`);
    assert.equal(rows[0]!.userId, world.users.get('dt.off2')!.id);
    // The preview is recomputed by the API: the override holds its two hours.
    await page.locator('[data-testid="preview-shift"]', { hasText: '替班' }).getByText(`${tomorrow} 12:00`).waitFor();

    // A layer without people: refused, the reason in Chinese with the layer named, not its path.
    await page.getByTestId('add-layer').click();
    await page.getByTestId('save-schedule').click();
    await page
      .getByTestId('save-error')
      .getByText('第 2 层：值班人员至少一人')
      .waitFor()
      .catch(async (e) => {
        throw new Error(`${e}; the page says: ${await page.locator('body').innerText()}`);
      });
    assert.doesNotMatch(await page.getByTestId('save-error').innerText(), /layers|userIds/);
    await page.getByRole('button', { name: '删除第 2 层' }).click();
    await page.getByTestId('layer-handoff').fill('08:30');
    // The officer who left: named by layer and position, in Chinese, then in English under EN.
    await page.getByTestId('save-schedule').click();
    await page.getByTestId('save-error').getByText('值班人员（第 1 层值班人第 3 位）必须是在岗用户', { exact: false }).waitFor();
    assert.doesNotMatch(await page.getByTestId('save-error').innerText(), /layers|userIds|\[|[A-Za-z]{4,}/);
    await page.getByText('EN', { exact: true }).click();
    await page.getByTestId('save-schedule').click();
    await page
      .getByTestId('save-error')
      .getByText('The person on duty (layer 1, person 3) must be an active user', { exact: false })
      .waitFor();
    assert.doesNotMatch(await page.getByTestId('save-error').innerText(), /[\u3400-\u9fff]|layers|userIds/);
    await page.getByTestId('add-layer').click();
    await page.getByTestId('save-schedule').click();
    await page.getByTestId('save-error').getByText('Layer 2: at least one person').waitFor();
    await page.getByRole('button', { name: 'Remove layer 2' }).click();
    await page.getByText('中文', { exact: true }).click();
    // Back at work: the same schedule saves.
    await hub.ds.getRepository(User).update({ id: gone }, { status: UserStatus.Active });
    await page.getByTestId('save-schedule').click();
    await pollUntil(
      async () => {
        const s = await hub.http
          .get(`/api/v1/duty/units/${county}/schedule`)
          .set({ Authorization: `Bearer ${await login(hub.http, 'dt.admA1')}` });
        return s.body.layers.length === 1 && s.body.layers[0].handoff === '08:30';
      },
      { what: 'handoff saved' },
    );
    await checkPage(page, 'duty-schedule', axeReport);
    await reloadKeeps(page, () => page.getByTestId('save-schedule').waitFor());
    assert.equal(await page.getByTestId('layer-handoff').inputValue(), '08:30');
  });

  it('shows the duty log and downloads it as xlsx', async () => {
    const page = await signIn(browser, base, 'dt.off2', PASSWORD, contexts);
    await page.goto(`${base}/duty/log/${county}`);
    await page.getByRole('heading', { level: 1, name: '值班日志：甲市一县政府办公室' }).waitFor();
    await page.getByTestId('log-shift').first().waitFor();
    await page.getByTestId('log-alert').filter({ hasText: '群众留言超时未回复：一县供暖' }).waitFor();
    await checkPage(page, 'duty-log', axeReport);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('log-xlsx').click()]);
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    const file = await download.path();
    assert.equal(readFileSync(file).subarray(0, 2).toString(), 'PK');
    // A range the API refuses comes back in Chinese.
    await page.getByTestId('log-from').fill(addDays(today, -200));
    await page
      .getByTestId('log-error')
      .getByText(/时间范围无效.*日志时间/)
      .waitFor();
    await reloadKeeps(page, () => page.getByTestId('log-shift').first().waitFor());
  });

  it('pages through the county and its 21 offices, 20 units a page, the county first', async () => {
    const page = await signIn(browser, base, 'dt.off1', PASSWORD, contexts);
    await page.goto(`${base}/duty`);
    await unitRow(page, county).waitFor();
    const rows = page.getByTestId('duty-unit');
    await pollUntil(async () => (await rows.count()) === 20, { what: 'a first page of 20 units', timeoutMs: 30_000 });
    assert.equal(await rows.first().getAttribute('data-unit'), county);
    await page.getByText('共 22 个单位').waitFor();
    await page.locator('.ant-pagination-item-2').click();
    await pollUntil(async () => (await rows.count()) === 2, { what: 'the second page', timeoutMs: 30_000 });
    assert.equal(await unitRow(page, county).count(), 0);
    await rows
      .first()
      .getByText(/甲市一县第\d\d办事处/)
      .waitFor();
    // An office without its own schedule follows the county's.
    await rows.first().getByText('沿用上级单位值班表').waitFor();
  });

  it('fits 390 px', async () => {
    for (const [path, ready, name] of [
      ['/duty', (p: Page) => p.getByTestId('duty-unit').first().waitFor(), 'duty'],
      [`/duty/schedule/${county}`, (p: Page) => p.getByTestId('save-schedule').waitFor(), 'duty-schedule'],
      [`/duty/log/${county}`, (p: Page) => p.getByTestId('log-shift').first().waitFor(), 'duty-log'],
    ] as const) {
      const phone = await signIn(browser, base, 'dt.admA1', PASSWORD, contexts, { viewport: PHONE });
      await phone.goto(`${base}${path}`);
      await ready(phone);
      await checkPage(phone, `${name}-390`, axeReport);
      await assertFitsPhone(phone, base, path, ready, name);
    }
  });

  it('gives a sibling county’s admin their own county only, and the other county’s schedule not at all', async () => {
    const page = await signIn(browser, base, 'dt.admA2', PASSWORD, contexts);
    await page.goto(`${base}/duty`);
    await unitRow(page, world.units.countyA2.id).waitFor();
    assert.equal(await unitRow(page, county).count(), 0);
    await page.goto(`${base}/duty/schedule/${county}`);
    await page.getByText('单位不存在或不在您的管辖范围内').waitFor();
    assert.equal(await page.getByTestId('save-schedule').count(), 0);
    await page.goto(`${base}/duty/log/${county}`);
    await page.getByTestId('log-error').getByText('单位不存在或不在您的管辖范围内').waitFor();
    assert.equal(await page.getByTestId('log-shift').count(), 0);
  });
});
