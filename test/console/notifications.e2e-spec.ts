import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import { Role } from '@tongfa/identity';
import { newId } from '@tongfa/core';
import { AlertsService, DutyAlertKind, DutyAlertSeverity } from '@tongfa/alerts';
import { startTestHub, TestHub } from '../support/test-hub';
import { login, PASSWORD, World } from '../support/world';
import { pollUntil } from '../support/poll';
import { checkPage, ensureConsoleBuilt, launchChromium, listen, PHONE, reloadKeeps, signIn } from '../support/browser';

/**
 * The bell, the notifications page and the duty officers' alerts page (issue #12), in Chromium
 * against a real hub (SQLite, embedded jobs): desktop and 390 px, axe on each.
 */
describe('console: notifications bell, notifications page and duty alerts', () => {
  let hub: TestHub;
  let world: World;
  let base = '';
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const axeReport: string[] = [];
  let manuscriptId = '';

  before(async () => {
    ensureConsoleBuilt();
    hub = await startTestHub('sqlite');
    world = await World.build(hub.app);
    for (const [u, role, unit, level] of [
      ['bn.ed', Role.Editor, 'countyA1', 0],
      ['bn.r1', Role.Reviewer, 'countyA1', 1],
      ['bn.r2', Role.Reviewer, 'countyA1', 2],
      ['bn.duty', Role.DutyOfficer, 'countyA1', 0],
    ] as const) {
      await world.user(u, role, unit, { level: level || undefined });
    }
    const editor = await login(hub.http, 'bn.ed');
    const ms = await hub.http
      .post('/api/v1/manuscripts')
      .set({ Authorization: `Bearer ${editor}` })
      .send({
        title: '一县冬季供暖保障工作部署',
        summary: '',
        body: '<p>县政府召开冬季供暖保障工作会议，部署各项工作。</p>',
        category: 'news',
        source: { type: 'original' },
      });
    assert.equal(ms.status, 201, ms.text);
    manuscriptId = ms.body.id;
    const sub = await hub.http.post(`/api/v1/manuscripts/${manuscriptId}/submit`).set({ Authorization: `Bearer ${editor}` });
    assert.equal(sub.status, 200, sub.text);
    const alerts = hub.app.get(AlertsService);
    for (const [title, kind, severity] of [
      ['发布异常：一县防汛通知', DutyAlertKind.PublishFailed, DutyAlertSeverity.Warning],
      ['账号授权失效：一县发布微博', DutyAlertKind.AccountNeedsReauth, DutyAlertSeverity.Critical],
    ] as const) {
      const id = newId();
      await alerts.raise({
        kind,
        severity,
        unitId: world.units.countyA1.id,
        unitPath: world.units.countyA1.path,
        title: { zh: title, en: title },
        message: { zh: `${title}，请尽快处理。`, en: 'Please deal with it.' },
        link: { type: 'account', id },
        dedupeKey: `console-test:${id}`,
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

  it('shows the reviewer an unread count on the bell, lists the notification and opens the review from it', async () => {
    const page = await signIn(browser, base, 'bn.r1', PASSWORD, contexts);
    const bell = page.getByTestId('notification-bell');
    await bell.waitFor();
    await pollUntil(async () => (await bell.getAttribute('aria-label')) === '通知（1 条未读）', { what: 'bell shows 1 unread' });
    await bell.click();
    await page.getByRole('heading', { level: 1, name: '通知' }).waitFor();
    const item = page.getByTestId('notification-item').filter({ hasText: '待您审核：一县冬季供暖保障工作部署' });
    await item.waitFor();
    assert.equal(await item.getAttribute('data-read'), 'false');
    await checkPage(page, 'notifications', axeReport);
    await reloadKeeps(page, () => item.waitFor());
    await item.getByRole('button', { name: /查看/ }).click();
    await page.waitForURL(`${base}/manuscripts/${manuscriptId}/review`);
    await pollUntil(async () => (await bell.getAttribute('aria-label')) === '通知', { what: 'bell cleared after reading' });
  });

  it('reads at 390 px and marks everything read', async () => {
    // Return the manuscript so the editor has a notification too.
    const r1 = await login(hub.http, 'bn.r1');
    const rej = await hub.http
      .post(`/api/v1/manuscripts/${manuscriptId}/reviews`)
      .set({ Authorization: `Bearer ${r1}` })
      .send({ decision: 'reject', comment: '请补充供暖时间' });
    assert.equal(rej.status, 200, rej.text);
    const page = await signIn(browser, base, 'bn.ed', PASSWORD, contexts, { viewport: PHONE });
    await page.goto(`${base}/notifications`);
    const item = page.getByTestId('notification-item').filter({ hasText: '稿件被退回：一县冬季供暖保障工作部署' });
    await item.waitFor();
    await item.getByText('审核意见：请补充供暖时间').waitFor();
    const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    assert.ok(width <= PHONE.width, `notifications page is ${width} px wide at 390 px`);
    await checkPage(page, 'notifications-390', axeReport);
    await page.getByTestId('read-all').click();
    await page.getByText('没有未读通知').waitFor();
    await page.locator('.ant-segmented-item').filter({ hasText: '全部' }).click();
    await item.waitFor();
    assert.equal(await item.getAttribute('data-read'), 'true');
  });

  it('lets the duty officer acknowledge and resolve alerts, on desktop and at 390 px', async () => {
    const page = await signIn(browser, base, 'bn.duty', PASSWORD, contexts);
    await page.getByRole('menuitem', { name: /值班提醒/ }).click();
    await page.getByRole('heading', { level: 1, name: '值班提醒' }).waitFor();
    const failed = page.getByTestId('alert-item').filter({ hasText: '发布异常：一县防汛通知' });
    await failed.waitFor();
    await checkPage(page, 'alerts', axeReport);
    await failed.getByRole('button', { name: /确\s*认/ }).click();
    // Acknowledged alerts leave the open list.
    await failed.waitFor({ state: 'detached' });
    await page.locator('.ant-segmented-item').filter({ hasText: '已确认' }).click();
    await failed.waitFor();
    assert.equal(await failed.getAttribute('data-status'), 'acknowledged');
    await failed.getByRole('button', { name: /处置完毕/ }).click();
    await failed.waitFor({ state: 'detached' });
    const status = await hub.ds.query(`SELECT resolvedBy FROM duty_alert WHERE titleZh = ?`, ['发布异常：一县防汛通知']);
    assert.equal(status[0].resolvedBy, world.users.get('bn.duty')!.id);

    const phone = await signIn(browser, base, 'bn.duty', PASSWORD, contexts, { viewport: PHONE });
    await phone.goto(`${base}/alerts`);
    const reauth = phone.getByTestId('alert-item').filter({ hasText: '账号授权失效：一县发布微博' });
    await reauth.waitFor();
    const width = (await phone.evaluate('document.documentElement.scrollWidth')) as number;
    assert.ok(width <= PHONE.width, `alerts page is ${width} px wide at 390 px`);
    await checkPage(phone, 'alerts-390', axeReport);
    await reauth.getByRole('button', { name: /处置完毕/ }).click();
    await reauth.waitFor({ state: 'detached' });
  });
});
