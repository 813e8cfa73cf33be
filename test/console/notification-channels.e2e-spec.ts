import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import { Role } from '@tongfa/identity';
import { newId } from '@tongfa/core';
import { AlertsService, DutyAlertKind, DutyAlertSeverity } from '@tongfa/alerts';
import { PluginRegistry } from '@tongfa/plugins';
import { BotChannelsService } from '@tongfa/notifications';
import { startSandbox, type RunningSandbox } from '../../apps/sandbox/src/sandbox';
import { startTestHub, TestHub } from '../support/test-hub';
import { login, PASSWORD, World } from '../support/world';
import { pollUntil } from '../support/poll';
import { checkPage, ensureConsoleBuilt, launchChromium, listen, PHONE, reloadKeeps, signIn } from '../support/browser';

interface BotMessage {
  provider: string;
  title: string | null;
  content: string;
}

/**
 * The unit admin's 政务微信 / 钉钉 bots page (issue #12) in Chromium against a real hub (SQLite)
 * whose DingTalk endpoint is the sandbox's bot simulator: add a signed DingTalk robot from its
 * webhook address, see a notification arrive in the simulated group, edit, delete; desktop and
 * 390 px, axe on each; an editor sees no actions and the API refuses them.
 */
describe('console: notification bots of a unit', () => {
  let sandbox: RunningSandbox;
  let hub: TestHub;
  let world: World;
  let base = '';
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const axeReport: string[] = [];
  let robot: { accessToken: string; secret: string };

  before(async () => {
    ensureConsoleBuilt();
    sandbox = await startSandbox(new PluginRegistry({ builtinDir: null }));
    hub = await startTestHub('sqlite', {
      TONGFA_WECOM_BOT_URL: `${sandbox.url}/_bots/wecom`,
      TONGFA_DINGTALK_BOT_URL: `${sandbox.url}/_bots/dingtalk`,
    });
    world = await World.build(hub.app);
    for (const [u, role, unit] of [
      ['nc.admin', Role.UnitAdmin, 'countyA1'],
      ['nc.ed', Role.Editor, 'countyA1'],
      ['nc.duty', Role.DutyOfficer, 'countyA1'],
    ] as const) {
      await world.user(u, role, unit);
    }
    robot = await fetch(`${sandbox.url}/_sandbox/bots/dingtalk/robots`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sign: true }),
    }).then((r) => r.json() as Promise<{ accessToken: string; secret: string }>);
    base = await listen(hub);
    browser = await launchChromium();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await hub?.close();
    await sandbox?.close();
    console.log(`axe (serious/critical per page):\n  ${axeReport.join('\n  ')}`);
  });

  const messages = async () => (await (await fetch(`${sandbox.url}/_sandbox/bots/messages`)).json()) as BotMessage[];
  const NAME = '一县新媒体值班钉钉群';

  it('lets the unit admin add a signed DingTalk robot from its webhook address, with errors in Chinese at the field', async () => {
    const page = await signIn(browser, base, 'nc.admin', PASSWORD, contexts);
    await page.getByRole('menuitem', { name: /通知机器人/ }).click();
    await page.waitForURL(`${base}/admin/notification-channels`);
    await page.getByRole('heading', { level: 1, name: '通知机器人' }).waitFor();
    await page.getByText('还没有通知机器人').first().waitFor();
    await checkPage(page, 'notification-channels-empty', axeReport);

    await page.getByTestId('channel-add').click();
    const dialog = page.getByRole('dialog', { name: '添加通知机器人' });
    await dialog.waitFor();
    await dialog.getByLabel('钉钉自定义机器人').check();
    await dialog.getByLabel('名称', { exact: true }).fill(NAME);
    // A WeCom-style address is not a DingTalk one; a signing secret without SEC is refused.
    await dialog.getByLabel('Webhook 地址').fill('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdefgh1234');
    await dialog.getByLabel('加签密钥（可选）').fill('not-a-secret');
    await dialog.getByLabel('值班提醒').uncheck();
    await dialog.getByLabel('发布异常').uncheck();
    await page.getByTestId('channel-save').click();
    await dialog.getByText('Webhook 地址不正确：应含 access_token=…（8–128 位字母、数字）').waitFor();
    await dialog.getByText('加签密钥应以 SEC 开头，后接字母或数字').waitFor();
    await dialog.getByText('请至少选择一类通知').waitFor();
    await checkPage(page, 'notification-channels-errors', axeReport);

    await dialog.getByLabel('Webhook 地址').fill(`https://oapi.dingtalk.com/robot/send?access_token=${robot.accessToken}`);
    await dialog.getByLabel('加签密钥（可选）').fill(robot.secret);
    // Duty alerts only: a publish failure also tells its author (publish_failed), a second message.
    await dialog.getByLabel('值班提醒').check();
    await page.getByTestId('channel-save').click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.locator(`[data-channel="${NAME}"]`);
    await row.waitFor();
    assert.equal(await row.getByTestId('secret-hint').innerText(), `••••${robot.accessToken.slice(-4)}`);
    await row.getByText('钉钉（加签）').waitFor();
    const html = await page.content();
    for (const secret of [robot.accessToken, robot.secret]) assert.ok(!html.includes(secret), 'no secret on the page');
    const rows = (await hub.ds.query(`SELECT provider, signed, kinds FROM notification_channel WHERE name = ?`, [NAME])) as {
      provider: string;
      signed: number | boolean;
    }[];
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.provider, 'dingtalk');
    assert.ok(rows[0]!.signed);
  });

  it('delivers a unit notification to the simulated DingTalk group and shows it as the last delivery', async () => {
    const title = `发布异常：一县防汛通知 ${newId().slice(0, 6)}`;
    await hub.app.get(AlertsService).raise({
      kind: DutyAlertKind.PublishFailed,
      severity: DutyAlertSeverity.Warning,
      unitId: world.units.countyA1.id,
      unitPath: world.units.countyA1.path,
      title: { zh: title, en: title },
      message: { zh: `${title}：请尽快处理。`, en: 'Please deal with it.' },
      link: { type: 'account', id: newId() },
      dedupeKey: `nc-test:${title}`,
    });
    await hub.app.get(BotChannelsService).handleDeliverySweep();
    const got = await pollUntil(
      async () => {
        const m = (await messages()).filter((x) => x.provider === 'dingtalk' && x.content.includes(title));
        return m.length ? m : undefined;
      },
      { what: 'the DingTalk group received the notification' },
    );
    assert.equal(got!.length, 1, 'delivered once');

    const page = await signIn(browser, base, 'nc.admin', PASSWORD, contexts);
    await page.goto(`${base}/admin/notification-channels`);
    const row = page.locator(`[data-channel="${NAME}"]`);
    await reloadKeeps(page, () => row.getByTestId('last-delivery').getByText('已送达').waitFor());
    await row.getByText(title).waitFor();
    await checkPage(page, 'notification-channels', axeReport);
  });

  it('edits the bot keeping its secret, then deletes it after confirmation, at 390 px', async () => {
    const page = await signIn(browser, base, 'nc.admin', PASSWORD, contexts, { viewport: PHONE });
    await page.goto(`${base}/admin/notification-channels`);
    const row = page.locator(`[data-channel="${NAME}"]`);
    await row.waitFor();
    const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    assert.ok(width <= PHONE.width, `the page is ${width} px wide at 390 px`);
    await checkPage(page, 'notification-channels-390', axeReport);

    await row.getByRole('button', { name: /修\s*改/ }).click();
    const dialog = page.getByRole('dialog', { name: '修改通知机器人' });
    await dialog.waitFor();
    await dialog.getByLabel('名称', { exact: true }).fill('一县值班钉钉群');
    await dialog.getByLabel('联动任务').check();
    await checkPage(page, 'notification-channels-edit-390', axeReport);
    await page.getByTestId('channel-save').click();
    await dialog.waitFor({ state: 'hidden' });
    const renamed = page.locator('[data-channel="一县值班钉钉群"]');
    await renamed.getByText('联动任务').waitFor();
    assert.equal(await renamed.getByTestId('secret-hint').innerText(), `••••${robot.accessToken.slice(-4)}`, 'secret kept');
    const kept = (await hub.ds.query(`SELECT signed FROM notification_channel WHERE name = ?`, ['一县值班钉钉群'])) as {
      signed: unknown;
    }[];
    assert.ok(kept[0]?.signed, 'still signed');

    await renamed.getByRole('button', { name: /删\s*除/ }).click();
    const confirm = page.getByRole('dialog').filter({ hasText: '删除机器人“一县值班钉钉群”？' });
    await confirm.waitFor();
    await checkPage(page, 'notification-channels-delete-390', axeReport);
    await confirm.getByRole('button', { name: /删\s*除/ }).click();
    await renamed.waitFor({ state: 'detached' });
    await page.getByText('还没有通知机器人').first().waitFor();
    assert.equal((await hub.ds.query(`SELECT id FROM notification_channel`)).length, 0);
    const audits = (await hub.ds.query(`SELECT action FROM audit_entry WHERE action LIKE 'notification.channel.%' ORDER BY seq`)) as {
      action: string;
    }[];
    assert.deepEqual(
      audits.map((a) => a.action),
      ['notification.channel.create', 'notification.channel.update', 'notification.channel.delete'],
    );
  });

  it('shows an editor no actions and no menu entry, and the API refuses them', async () => {
    const page = await signIn(browser, base, 'nc.ed', PASSWORD, contexts);
    assert.equal(await page.getByRole('menuitem', { name: /通知机器人/ }).count(), 0);
    await page.goto(`${base}/admin/notification-channels`);
    await page.getByTestId('channels-not-admin').waitFor();
    assert.equal(await page.getByTestId('channel-add').count(), 0);
    assert.equal(await page.getByRole('button', { name: /修改|删除/ }).count(), 0);
    await checkPage(page, 'notification-channels-editor', axeReport);

    const token = await login(hub.http, 'nc.ed');
    const auth = { Authorization: `Bearer ${token}` };
    const unit = world.units.countyA1.id;
    assert.equal((await hub.http.get(`/api/v1/units/${unit}/notification-channels`).set(auth)).status, 403);
    const add = await hub.http
      .post(`/api/v1/units/${unit}/notification-channels`)
      .set(auth)
      .send({ provider: 'dingtalk', name: 'x', kinds: ['alert'], accessToken: robot.accessToken });
    assert.equal(add.status, 403);
  });

  it('names a malformed secret in Chinese at the field from the API too', async () => {
    const token = await login(hub.http, 'nc.admin');
    const res = await hub.http
      .post(`/api/v1/units/${world.units.countyA1.id}/notification-channels`)
      .set({ Authorization: `Bearer ${token}` })
      .send({ provider: 'dingtalk', name: 'x', kinds: ['alert'], accessToken: 'short', signSecret: 'nope' });
    assert.equal(res.status, 400, res.text);
    const details = res.body.details as { field: string; message: string }[];
    const of = (f: string) => details.find((d) => d.field === f)?.message ?? '';
    assert.match(of('accessToken'), /access_token 格式不正确/);
    assert.match(of('signSecret'), /加签密钥应以 SEC 开头/);
    assert.ok(!/[A-Za-z]{6,} is malformed|must start/.test(JSON.stringify(res.body)), `no English half: ${res.text}`);
  });
});
