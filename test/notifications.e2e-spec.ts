import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { newId } from '@tongfa/core';
import { AlertsService, DutyAlertKind, DutyAlertSeverity } from '@tongfa/alerts';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';

interface NotificationBody {
  id: string;
  kind: string;
  unitId: string;
  title: { zh: string; en: string };
  body: { zh: string; en: string };
  link: { type: string; id: string };
  readAt: string | null;
}

const news = (title: string) => ({
  title,
  summary: '工作动态',
  body: `<p>${title}。本周各部门按计划推进相关工作，进展顺利。</p>`,
  category: 'news',
  source: { type: 'original' },
});

/**
 * 站内通知 (issue #12): who is told what, and nobody outside the unit's scope. Reviews through
 * the API, alerts through the real AlertsService (as the domains raise them), both drivers.
 */
for (const driver of testDrivers()) {
  describe(`notifications (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      for (const [u, role, unit, level] of [
        ['nt.editor', Role.Editor, 'countyA1', 0],
        ['nt.editorB', Role.Editor, 'countyB1', 0],
        ['nt.r1', Role.Reviewer, 'countyA1', 1],
        ['nt.r1city', Role.Reviewer, 'cityA', 1],
        ['nt.r1B', Role.Reviewer, 'countyB1', 1],
        ['nt.r1sibling', Role.Reviewer, 'countyA2', 1],
        ['nt.r2', Role.Reviewer, 'countyA1', 2],
        ['nt.duty', Role.DutyOfficer, 'countyA1', 0],
        ['nt.dutyCity', Role.DutyOfficer, 'cityA', 0],
        ['nt.dutyB', Role.DutyOfficer, 'countyB1', 0],
        ['nt.admin', Role.UnitAdmin, 'countyA1', 0],
        ['nt.adminB', Role.UnitAdmin, 'countyB1', 0],
      ] as const) {
        await world.user(u, role, unit, { level: level || undefined });
        t.set(u, await login(hub.http, u));
      }
    });
    after(() => hub.close());

    const list = async (who: string, query: Record<string, string> = {}) => {
      const res = await hub.http.get('/api/v1/notifications').set(as(who)).query(query);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body as { items: NotificationBody[]; total: number };
    };
    const unread = async (who: string) => {
      const res = await hub.http.get('/api/v1/notifications/unread-count').set(as(who));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.unread as number;
    };
    const about = async (who: string, id: string) => (await list(who)).items.filter((n) => n.link.id === id);
    const submit = async (title: string) => {
      const res = await hub.http.post('/api/v1/manuscripts').set(as('nt.editor')).send(news(title));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const sub = await hub.http.post(`/api/v1/manuscripts/${res.body.id}/submit`).set(as('nt.editor'));
      assert.equal(sub.status, 200, JSON.stringify(sub.body));
      return res.body.id as string;
    };
    const decide = async (who: string, id: string, decision: 'approve' | 'reject', comment?: string) => {
      const res = await hub.http.post(`/api/v1/manuscripts/${id}/reviews`).set(as(who)).send({ decision, comment });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    };

    let firstId = '';
    it('tells the reviewers who may take the first step, at the unit and above, and no one else', async () => {
      firstId = await submit('全县秋季防火工作部署会召开');
      for (const who of ['nt.r1', 'nt.r1city']) {
        const mine = await about(who, firstId);
        assert.equal(mine.length, 1, who);
        assert.equal(mine[0]!.kind, 'review_waiting');
        assert.match(mine[0]!.title.zh, /^待您审核：全县秋季防火工作部署会召开/);
        assert.equal(mine[0]!.readAt, null);
      }
      // Another county's, a sibling county's and a level-2 reviewer (step 2 is not open yet) hear nothing; nor does the author.
      for (const who of ['nt.r1B', 'nt.r1sibling', 'nt.r2', 'nt.editor', 'nt.editorB']) {
        assert.deepEqual(await about(who, firstId), [], who);
      }
      assert.equal(await unread('nt.r1'), 1);
      assert.equal(await unread('nt.r1B'), 0);
    });

    it('opens the next step to its reviewers, then tells the author of the approval', async () => {
      await decide('nt.r1', firstId, 'approve');
      const r2 = await about('nt.r2', firstId);
      assert.deepEqual(
        r2.map((n) => n.kind),
        ['review_waiting'],
      );
      // The one who decided step 1 is not asked again for step 2.
      assert.equal((await about('nt.r1', firstId)).length, 1);
      assert.deepEqual(await about('nt.editor', firstId), []);
      await decide('nt.r2', firstId, 'approve');
      const mine = await about('nt.editor', firstId);
      assert.deepEqual(
        mine.map((n) => n.kind),
        ['approved'],
      );
      assert.match(mine[0]!.body.zh, /已通过全部审核环节/);
    });

    it('tells the author of a return, with the reviewer’s comment', async () => {
      const id = await submit('关于调整办事大厅开放时间的说明');
      await decide('nt.r1city', id, 'reject', '请补充调整的起止日期');
      const mine = await about('nt.editor', id);
      assert.deepEqual(
        mine.map((n) => n.kind),
        ['returned'],
      );
      assert.match(mine[0]!.body.zh, /审核意见：请补充调整的起止日期/);
      assert.match(mine[0]!.body.en, /Comment: 请补充调整的起止日期/);
    });

    it('routes an alert to its specific people and to the duty officers over the unit only', async () => {
      const alerts = hub.app.get(AlertsService);
      const accountId = newId();
      const unit = world.units.countyA1;
      await alerts.raise({
        kind: DutyAlertKind.AccountNeedsReauth,
        severity: DutyAlertSeverity.Warning,
        unitId: unit.id,
        unitPath: unit.path,
        title: { zh: '账号授权失效：一县发布', en: 'Account needs reconnecting' },
        message: { zh: '请单位管理员重新连接。', en: 'A unit admin must reconnect it.' },
        link: { type: 'account', id: accountId },
        dedupeKey: `test_reauth:${accountId}`,
      });
      const admin = await about('nt.admin', accountId);
      assert.deepEqual(
        admin.map((n) => n.kind),
        ['needs_reauth'],
      );
      for (const who of ['nt.duty', 'nt.dutyCity']) {
        const mine = (await list(who)).items.filter((n) => n.kind === 'alert' && n.title.zh === '账号授权失效：一县发布');
        assert.equal(mine.length, 1, who);
        assert.equal(mine[0]!.link.type, 'duty_alert');
      }
      for (const who of ['nt.dutyB', 'nt.adminB', 'nt.editorB']) {
        assert.equal((await list(who)).items.filter((n) => n.title.zh === '账号授权失效：一县发布').length, 0, who);
      }
      // The same occurrence raised again writes nothing more.
      await alerts.raise({
        kind: DutyAlertKind.AccountNeedsReauth,
        severity: DutyAlertSeverity.Warning,
        unitId: unit.id,
        unitPath: unit.path,
        title: { zh: '账号授权失效：一县发布', en: 'Account needs reconnecting' },
        message: { zh: '请单位管理员重新连接。', en: 'A unit admin must reconnect it.' },
        link: { type: 'account', id: accountId },
        dedupeKey: `test_reauth:${accountId}`,
      });
      assert.equal((await about('nt.admin', accountId)).length, 1);
    });

    it('sends campaign reminders to the unit’s editors and overdue escalations to its admin and editors', async () => {
      const alerts = hub.app.get(AlertsService);
      const unit = world.units.countyA1;
      const reminderId = newId();
      await alerts.raise({
        kind: DutyAlertKind.CampaignReminder,
        severity: DutyAlertSeverity.Warning,
        unitId: unit.id,
        unitPath: unit.path,
        title: { zh: '联动任务即将截止：测试', en: 'Campaign due soon' },
        message: { zh: '将于 60 分钟后截止。', en: 'Due in 60 minutes.' },
        link: { type: 'campaign_assignment', id: reminderId },
        dedupeKey: `test_reminder:${reminderId}`,
      });
      assert.deepEqual(
        (await about('nt.editor', reminderId)).map((n) => n.kind),
        ['campaign_task'],
      );
      // The unit's duty officer is a recipient of the task itself, so is told once, not twice.
      assert.deepEqual(
        (await about('nt.duty', reminderId)).map((n) => n.kind),
        ['campaign_task'],
      );
      assert.deepEqual(await about('nt.admin', reminderId), []);
      const overdueId = newId();
      await alerts.raise({
        kind: DutyAlertKind.CampaignOverdue,
        severity: DutyAlertSeverity.Critical,
        unitId: unit.id,
        unitPath: unit.path,
        title: { zh: '联动任务已逾期：测试', en: 'Campaign overdue' },
        message: { zh: '已过截止时间。', en: 'Past its deadline.' },
        link: { type: 'campaign_assignment', id: overdueId },
        dedupeKey: `test_overdue:${overdueId}`,
      });
      for (const who of ['nt.admin', 'nt.editor']) {
        assert.deepEqual(
          (await about(who, overdueId)).map((n) => n.kind),
          ['campaign_task'],
          who,
        );
      }
      assert.deepEqual(await about('nt.editorB', overdueId), []);
      assert.deepEqual(await about('nt.adminB', overdueId), []);
    });

    it('lets each user read and mark only their own notifications', async () => {
      const r1 = (await list('nt.r1')).items;
      assert.ok(r1.length >= 1);
      const theirs = r1[0]!;
      const stolen = await hub.http.post(`/api/v1/notifications/${theirs.id}/read`).set(as('nt.editor'));
      assert.equal(stolen.status, 404, JSON.stringify(stolen.body));
      assert.equal((await list('nt.r1')).items.find((n) => n.id === theirs.id)!.readAt, null);
      const mine = await hub.http.post(`/api/v1/notifications/${theirs.id}/read`).set(as('nt.r1'));
      assert.equal(mine.status, 200, JSON.stringify(mine.body));
      assert.ok(mine.body.readAt);
      assert.equal((await list('nt.r1', { unread: 'true' })).items.filter((n) => n.id === theirs.id).length, 0);

      const before = await unread('nt.editor');
      assert.ok(before >= 3, `editor unread ${before}`);
      const all = await hub.http.post('/api/v1/notifications/read-all').set(as('nt.editor'));
      assert.equal(all.status, 200);
      assert.equal(all.body.marked, before);
      assert.equal(await unread('nt.editor'), 0);
      // The reviewer's own rows were not touched by the editor's read-all.
      assert.ok((await list('nt.r1city', { unread: 'true' })).total >= 1);
    });

    it('refuses bad list parameters naming the field', async () => {
      const res = await hub.http.get('/api/v1/notifications').set(as('nt.r1')).query({ unread: 'maybe' });
      assert.equal(res.status, 400);
      assert.match(JSON.stringify(res.body), /unread/);
      const anon = await hub.http.get('/api/v1/notifications/unread-count');
      assert.equal(anon.status, 401);
    });

    it('resolves alerts for duty officers over the unit only, once, audited', async () => {
      const page = await hub.http.get('/api/v1/alerts').set(as('nt.duty')).query({ status: 'open' });
      assert.equal(page.status, 200);
      const alert = page.body.items.find((a: { title: { zh: string } }) => a.title.zh === '账号授权失效：一县发布');
      assert.ok(alert, 'the reauth alert is open');
      const outsider = await hub.http.post(`/api/v1/alerts/${alert.id}/resolve`).set(as('nt.dutyB'));
      assert.equal(outsider.status, 404);
      const editor = await hub.http.post(`/api/v1/alerts/${alert.id}/resolve`).set(as('nt.editor'));
      assert.ok([403, 404].includes(editor.status), String(editor.status));
      const ok = await hub.http.post(`/api/v1/alerts/${alert.id}/resolve`).set(as('nt.dutyCity'));
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.status, 'resolved');
      assert.equal(ok.body.resolvedBy, world.users.get('nt.dutyCity')!.id);
      assert.equal(ok.body.acknowledgedBy, world.users.get('nt.dutyCity')!.id);
      const again = await hub.http.post(`/api/v1/alerts/${alert.id}/resolve`).set(as('nt.duty'));
      assert.equal(again.status, 200);
      assert.equal(again.body.resolvedBy, world.users.get('nt.dutyCity')!.id);
      const resolved = await hub.http.get('/api/v1/alerts').set(as('nt.duty')).query({ status: 'resolved' });
      assert.ok(resolved.body.items.some((a: { id: string }) => a.id === alert.id));
      const open = await hub.http.get('/api/v1/alerts').set(as('nt.duty')).query({ status: 'open' });
      assert.ok(!open.body.items.some((a: { id: string }) => a.id === alert.id));
      const audits = await hub.ds.query(`SELECT action FROM audit_entry WHERE targetId = ? AND action = 'alert.resolve'`, [alert.id]);
      assert.equal(audits.length, 1);
    });
  });
}
