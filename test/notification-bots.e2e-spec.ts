import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { newId } from '@tongfa/core';
import { AlertsService, DutyAlertKind, DutyAlertSeverity } from '@tongfa/alerts';
import { PluginRegistry } from '@tongfa/plugins';
import { BotChannelsService, DELIVERY_BACKOFF_MS, dingTalkSign } from '@tongfa/notifications';
import { startSandbox, type RunningSandbox } from '../apps/sandbox/src/sandbox';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { pollUntil } from './support/poll';

interface BotMessage {
  provider: string;
  hook: string;
  msgtype: string;
  title: string | null;
  content: string;
}

/**
 * Unit bots (issue #12): a unit admin configures a 政务微信 or 钉钉 group per unit; the unit's
 * notifications of the chosen kinds are delivered by the sweep to the sandbox's bot simulators
 * over HTTP (real signature and key checks), with retries and permanent failures as the real
 * services answer. Secrets are write-only.
 */
for (const driver of testDrivers()) {
  describe(`notification bots (${driver})`, () => {
    let sandbox: RunningSandbox;
    let hub: TestHub;
    let world: World;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    let wecomKey = '';
    let robot: { accessToken: string; secret: string };
    let wecomId = '';
    let dingId = '';

    before(async () => {
      // The bot simulators alone: no platform plugins are needed here.
      sandbox = await startSandbox(new PluginRegistry({ builtinDir: null }));
      hub = await startTestHub(driver, {
        TONGFA_WECOM_BOT_URL: `${sandbox.url}/_bots/wecom`,
        TONGFA_DINGTALK_BOT_URL: `${sandbox.url}/_bots/dingtalk`,
      });
      world = await World.build(hub.app);
      for (const [u, role, unit] of [
        ['bt.admin', Role.UnitAdmin, 'countyA1'],
        ['bt.adminB', Role.UnitAdmin, 'countyB1'],
        ['bt.editor', Role.Editor, 'countyA1'],
        ['bt.duty', Role.DutyOfficer, 'countyA1'],
      ] as const) {
        await world.user(u, role, unit);
        t.set(u, await login(hub.http, u));
      }
      wecomKey = ((await (await fetch(`${sandbox.url}/_sandbox/bots/wecom/hooks`, { method: 'POST' })).json()) as { key: string }).key;
      robot = await fetch(`${sandbox.url}/_sandbox/bots/dingtalk/robots`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sign: true }),
      }).then((r) => r.json() as Promise<{ accessToken: string; secret: string }>);
    });
    after(async () => {
      await hub?.close();
      await sandbox?.close();
    });

    const messages = async () => (await (await fetch(`${sandbox.url}/_sandbox/bots/messages`)).json()) as BotMessage[];
    const sweep = () => hub.app.get(BotChannelsService).handleDeliverySweep();
    const raise = async (title: string, kind = DutyAlertKind.PublishFailed) => {
      const id = newId();
      await hub.app.get(AlertsService).raise({
        kind,
        severity: DutyAlertSeverity.Warning,
        unitId: world.units.countyA1.id,
        unitPath: world.units.countyA1.path,
        title: { zh: title, en: title },
        message: { zh: `${title}：请尽快处理。`, en: 'Please deal with it.' },
        link: { type: 'account', id },
        dedupeKey: `bot-test:${id}`,
      });
    };

    it('signs like 钉钉 documents it (HMAC-SHA256 of timestamp and secret, base64)', () => {
      // Expected value computed outside Node: python3 hmac.new(b'SECabc', b'1577808000000\nSECabc', sha256), base64.
      assert.equal(dingTalkSign(1577808000000, 'SECabc'), 'd8MiemiW5bT/XT2zgWrhyRQdANlJ4zkTa39rkwaldRU=');
    });

    it('lets a unit admin add both bots; the secrets are never returned', async () => {
      const wecom = await hub.http
        .post(`/api/v1/units/${world.units.countyA1.id}/notification-channels`)
        .set(as('bt.admin'))
        .send({ provider: 'wecom', name: '一县值班群', kinds: ['publish_failed', 'needs_reauth'], key: wecomKey });
      assert.equal(wecom.status, 201, wecom.text);
      wecomId = wecom.body.id;
      assert.equal(wecom.body.secretHint, `••••${wecomKey.slice(-4)}`);
      assert.ok(!wecom.text.includes(wecomKey), 'the key is not in the response');
      const ding = await hub.http
        .post(`/api/v1/units/${world.units.countyA1.id}/notification-channels`)
        .set(as('bt.admin'))
        .send({
          provider: 'dingtalk',
          name: '一县新媒体钉钉群',
          kinds: ['publish_failed'],
          accessToken: robot.accessToken,
          signSecret: robot.secret,
        });
      assert.equal(ding.status, 201, ding.text);
      dingId = ding.body.id;
      assert.equal(ding.body.signed, true);
      const list = await hub.http.get(`/api/v1/units/${world.units.countyA1.id}/notification-channels`).set(as('bt.admin'));
      assert.equal(list.status, 200);
      assert.equal(list.body.length, 2);
      for (const secret of [wecomKey, robot.accessToken, robot.secret]) assert.ok(!list.text.includes(secret));
      const stored = JSON.stringify(await hub.ds.query('SELECT * FROM notification_channel'));
      for (const secret of [wecomKey, robot.accessToken, robot.secret]) assert.ok(!stored.includes(secret), 'stored sealed');
      const audits = await hub.ds.query(`SELECT action, after FROM audit_entry WHERE action = 'notification.channel.create'`);
      assert.equal(audits.length, 2);
      assert.ok(!JSON.stringify(audits).includes(wecomKey));
    });

    it('refuses other units’ admins, non-admins and a missing key, naming the field', async () => {
      const other = await hub.http
        .post(`/api/v1/units/${world.units.countyA1.id}/notification-channels`)
        .set(as('bt.adminB'))
        .send({ provider: 'wecom', name: 'x', kinds: ['alert'], key: wecomKey });
      assert.equal(other.status, 404);
      const editor = await hub.http
        .post(`/api/v1/units/${world.units.countyA1.id}/notification-channels`)
        .set(as('bt.editor'))
        .send({ provider: 'wecom', name: 'x', kinds: ['alert'], key: wecomKey });
      assert.equal(editor.status, 403);
      assert.equal((await hub.http.get(`/api/v1/units/${world.units.countyA1.id}/notification-channels`).set(as('bt.editor'))).status, 403);
      assert.equal(
        (await hub.http.patch(`/api/v1/notification-channels/${wecomId}`).set(as('bt.adminB')).send({ enabled: false })).status,
        404,
      );
      const missing = await hub.http
        .post(`/api/v1/units/${world.units.countyA1.id}/notification-channels`)
        .set(as('bt.admin'))
        .send({ provider: 'wecom', name: 'x', kinds: ['alert'] });
      assert.equal(missing.status, 400);
      assert.match(JSON.stringify(missing.body), /key/);
      const badKind = await hub.http
        .post(`/api/v1/units/${world.units.countyA1.id}/notification-channels`)
        .set(as('bt.admin'))
        .send({ provider: 'wecom', name: 'x', kinds: ['everything'], key: wecomKey });
      assert.equal(badKind.status, 400);
      assert.match(JSON.stringify(badKind.body), /kinds/);
    });

    // The hub's own recurring sweep may run between these steps too; so the tests look at what the
    // groups received and at the rows, not at which sweep did the work.
    const states = async (title: string) =>
      (await hub.ds.query(`SELECT state, attempts, lastError FROM notification_delivery WHERE title = ? ORDER BY lastError`, [title])) as {
        state: string;
        attempts: number;
        lastError: string | null;
      }[];
    const received = async (text: string) => (await messages()).filter((m) => m.content.includes(text));

    it('delivers a unit’s notification of a chosen kind to both groups, once, signed for 钉钉', async () => {
      await raise('发布异常：一县防汛通知');
      await sweep();
      const got = (await pollUntil(
        async () => {
          const m = await received('发布异常：一县防汛通知');
          return m.length === 2 ? m : undefined;
        },
        { what: 'both groups received it' },
      ))!;
      assert.deepEqual(got.map((m) => m.provider).sort(), ['dingtalk', 'wecom']);
      assert.equal(got.find((m) => m.provider === 'wecom')!.msgtype, 'markdown');
      assert.equal(got.find((m) => m.provider === 'dingtalk')!.title, '发布异常：一县防汛通知');
      assert.deepEqual(
        (await states('发布异常：一县防汛通知')).map((r) => r.state),
        ['sent', 'sent'],
      );
      // A kind the groups did not choose (campaign tasks) makes no delivery; another sweep sends nothing twice.
      await raise('联动任务即将截止：测试', DutyAlertKind.CampaignReminder);
      await sweep();
      assert.deepEqual(await states('联动任务即将截止：测试'), []);
      assert.equal((await received('发布异常：一县防汛通知')).length, 2);
    });

    it('retries a busy bot with backoff, then sends', async () => {
      await fetch(`${sandbox.url}/_sandbox/bots/faults`, { method: 'PUT', body: JSON.stringify({ busy: 2 }) });
      await raise('发布异常：重试测试');
      await sweep();
      const rows = await states('发布异常：重试测试');
      assert.equal(rows.length, 2);
      for (const r of rows) {
        assert.equal(r.state, 'pending');
        assert.equal(Number(r.attempts), 1);
        assert.match(r.lastError ?? '', /^-1: system busy/);
      }
      // Not due again before the backoff has passed.
      await sweep();
      assert.deepEqual(await received('重试测试'), []);
      hub.clock.advance(DELIVERY_BACKOFF_MS[0]! + 1000);
      await sweep();
      await pollUntil(async () => (await received('重试测试')).length === 2, { what: 'sent after the backoff' });
      assert.deepEqual(
        (await states('发布异常：重试测试')).map((r) => [r.state, Number(r.attempts)]),
        [
          ['sent', 2],
          ['sent', 2],
        ],
      );
    });

    it('fails for good on the platforms’ own permanent errors: 93000 for a bad WeCom key, 310000 for a bad 钉钉 signature', async () => {
      const wrongKey = await hub.http
        .patch(`/api/v1/notification-channels/${wecomId}`)
        .set(as('bt.admin'))
        .send({ key: '00000000-0000-0000-0000-000000000000' });
      assert.equal(wrongKey.status, 200, wrongKey.text);
      assert.equal(wrongKey.body.secretHint, '••••0000');
      const wrongSign = await hub.http
        .patch(`/api/v1/notification-channels/${dingId}`)
        .set(as('bt.admin'))
        .send({ accessToken: robot.accessToken, signSecret: 'SECnotthesecret000' });
      assert.equal(wrongSign.status, 200, wrongSign.text);
      await raise('发布异常：错误密钥测试');
      await sweep();
      const rows = (await pollUntil(
        async () => {
          const r = await states('发布异常：错误密钥测试');
          return r.length === 2 && r.every((x) => x.state === 'failed') ? r : undefined;
        },
        { what: 'both failed' },
      ))!;
      assert.match(rows[0]!.lastError!, /^310000: sign not match/);
      assert.match(rows[1]!.lastError!, /^93000: invalid webhook url/);
      assert.deepEqual(await received('错误密钥测试'), []);
      const view = await hub.http.get(`/api/v1/units/${world.units.countyA1.id}/notification-channels`).set(as('bt.admin'));
      const wecom = view.body.find((c: { id: string }) => c.id === wecomId);
      assert.equal(wecom.recent[0].state, 'failed');
      assert.ok(!view.text.includes(robot.secret) && !view.text.includes('SECnotthesecret000'));
    });

    it('removes a bot; its pending messages go with it', async () => {
      const del = await hub.http.delete(`/api/v1/notification-channels/${dingId}`).set(as('bt.admin'));
      assert.equal(del.status, 200);
      const list = await hub.http.get(`/api/v1/units/${world.units.countyA1.id}/notification-channels`).set(as('bt.admin'));
      assert.deepEqual(
        list.body.map((c: { id: string }) => c.id),
        [wecomId],
      );
      const audits = await hub.ds.query(`SELECT targetId FROM audit_entry WHERE action = 'notification.channel.delete'`);
      assert.deepEqual(
        audits.map((a: { targetId: string }) => a.targetId),
        [dingId],
      );
    });
  });
}
