import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { newId } from '@tongfa/core';
import { AlertsService, DutyAlertKind, DutyAlertSeverity } from '@tongfa/alerts';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';

/**
 * 值班提醒 for supervisors (issue #12): a supervisor reads and acknowledges the alerts of their
 * subtree, and nothing of a sibling subtree. Alerts raised through the real AlertsService, both drivers.
 */
for (const driver of testDrivers()) {
  describe(`supervisor alerts (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    const ids = { a1: '', b1: '' };

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      for (const [u, role, unit] of [
        ['sa.supA', Role.Supervisor, 'cityA'],
        ['sa.supB', Role.Supervisor, 'cityB'],
        ['sa.supA2', Role.Supervisor, 'countyA2'],
        ['sa.editor', Role.Editor, 'countyA1'],
      ] as const) {
        await world.user(u, role, unit);
        t.set(u, await login(hub.http, u));
      }
      const alerts = hub.app.get(AlertsService);
      for (const key of ['countyA1', 'countyB1'] as const) {
        const unit = world.units[key];
        const accountId = newId();
        const raised = await alerts.raise({
          kind: DutyAlertKind.AccountNeedsReauth,
          severity: DutyAlertSeverity.Warning,
          unitId: unit.id,
          unitPath: unit.path,
          title: { zh: `账号授权失效：${key}`, en: 'Account needs reconnecting' },
          message: { zh: '请单位管理员重新连接。', en: 'A unit admin must reconnect it.' },
          link: { type: 'account', id: accountId },
          dedupeKey: `sa_reauth:${accountId}`,
        });
        assert.ok(raised);
        ids[key === 'countyA1' ? 'a1' : 'b1'] = raised.id;
      }
    });
    after(() => hub.close());

    const listIds = async (who: string) => {
      const res = await hub.http.get('/api/v1/alerts').set(as(who));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return (res.body.items as { id: string }[]).map((a) => a.id);
    };

    it('shows a supervisor the alerts of their subtree and none of a sibling subtree', async () => {
      const a = await listIds('sa.supA');
      assert.ok(a.includes(ids.a1), 'cityA supervisor sees countyA1');
      assert.ok(!a.includes(ids.b1), 'cityA supervisor does not see countyB1');
      const b = await listIds('sa.supB');
      assert.ok(b.includes(ids.b1));
      assert.ok(!b.includes(ids.a1));
      // A supervisor of the sibling county under the same city sees neither.
      const a2 = await listIds('sa.supA2');
      assert.ok(!a2.includes(ids.a1) && !a2.includes(ids.b1));
    });

    it('refuses the alert list to an editor', async () => {
      const res = await hub.http.get('/api/v1/alerts').set(as('sa.editor'));
      assert.equal(res.status, 403);
    });

    it('refuses acknowledging a sibling subtree’s alert as not found, and leaves it open', async () => {
      for (const who of ['sa.supB', 'sa.supA2']) {
        const res = await hub.http.post(`/api/v1/alerts/${ids.a1}/ack`).set(as(who));
        assert.equal(res.status, 404, `${who}: ${JSON.stringify(res.body)}`);
      }
      const res = await hub.http.get('/api/v1/alerts').set(as('sa.supA')).query({ status: 'open' });
      assert.ok(
        (res.body.items as { id: string }[]).some((a) => a.id === ids.a1),
        'still open',
      );
    });

    it('lets the supervisor acknowledge an alert of their subtree once, audited', async () => {
      const ok = await hub.http.post(`/api/v1/alerts/${ids.a1}/ack`).set(as('sa.supA'));
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.status, 'acknowledged');
      assert.equal(ok.body.acknowledgedBy, world.users.get('sa.supA')!.id);
      const again = await hub.http.post(`/api/v1/alerts/${ids.a1}/ack`).set(as('sa.supA'));
      assert.equal(again.status, 200);
      assert.equal(again.body.acknowledgedAt, ok.body.acknowledgedAt);
      const audits = await hub.ds.query(`SELECT action FROM audit_entry WHERE targetId = ? AND action = 'alert.ack'`, [ids.a1]);
      assert.equal(audits.length, 1);
      const b = await hub.http.get('/api/v1/alerts').set(as('sa.supB')).query({ status: 'open' });
      assert.ok(
        (b.body.items as { id: string }[]).some((a) => a.id === ids.b1),
        'the other subtree’s alert is untouched',
      );
    });
  });
}
