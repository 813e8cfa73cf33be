import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { localDate, newId } from '@tongfa/core';
import { AlertsService, DutyAlertKind, DutyAlertSeverity } from '@tongfa/alerts';
import { DutyEscalationService } from '@tongfa/duty';
import { startTestHub, TestHub } from './support/test-hub';
import { login, UnitKey, World } from './support/world';

const DAY = 86_400_000;
const MIN = 60_000;
/** An instant of the local date `day` at `hhmm` Beijing time. */
const bj = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/**
 * 值班值守 (issue #15) through HTTP on both drivers: schedules edited only by a unit admin at or
 * above the unit, on-call resolution with overrides and gaps, alerts routed to the person on call
 * and escalated step by step on a clock the test moves, the duty log, and the abuses refused.
 */
for (const driver of testDrivers()) {
  describe(`duty (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    const id = (who: string) => world.users.get(who)!.id;
    const unit = (k: UnitKey) => world.units[k].id;
    let today = '';

    const raise = async (key: UnitKey, kind = DutyAlertKind.InboxOverdue) => {
      const u = world.units[key];
      const a = await hub.app.get(AlertsService).raise({
        kind,
        severity: DutyAlertSeverity.Warning,
        unitId: u.id,
        unitPath: u.path,
        title: { zh: '群众留言超时未回复', en: 'Citizen message unanswered' },
        message: { zh: '请督办。', en: 'Please follow up.' },
        link: { type: 'inbox_thread', id: newId() },
        dedupeKey: `duty_e2e:${newId()}`,
      });
      assert.ok(a);
      return a;
    };
    const toldAbout = async (alertId: string): Promise<string[]> =>
      (
        (await hub.ds.query(`SELECT userId FROM notification WHERE resourceType = 'duty_alert' AND resourceId = ? ORDER BY createdAt`, [
          alertId,
        ])) as {
          userId: string;
        }[]
      ).map((r) => r.userId);
    const sweep = () => hub.app.get(DutyEscalationService).sweep();
    // Moving the clock past an access token's life signs everyone in again.
    const advance = async (ms: number) => {
      hub.clock.advance(ms);
      for (const u of t.keys()) t.set(u, await login(hub.http, u));
    };

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      for (const [u, role, k] of [
        ['d.adminA1', Role.UnitAdmin, 'countyA1'],
        ['d.adminA2', Role.UnitAdmin, 'countyA2'],
        ['d.adminCity', Role.UnitAdmin, 'cityA'],
        ['d.off1', Role.DutyOfficer, 'countyA1'],
        ['d.off2', Role.DutyOfficer, 'countyA1'],
        ['d.offA2', Role.DutyOfficer, 'countyA2'],
        ['d.offB', Role.DutyOfficer, 'countyB1'],
        ['d.cityOff', Role.DutyOfficer, 'cityA'],
        ['d.supA', Role.Supervisor, 'cityA'],
        ['d.editor', Role.Editor, 'countyA1'],
      ] as const) {
        await world.user(u, role, k);
        t.set(u, await login(hub.http, u));
      }
      today = localDate(hub.clock.now());
    });
    after(() => hub.close());

    const layer = (userIds: string[], extra: Record<string, unknown> = {}) => ({
      name: '日班',
      userIds,
      rotation: 'daily',
      handoff: '09:00',
      startDate: addDays(today, -7),
      ...extra,
    });

    /** The county's schedule of the first test: two officers in turn, then the city, then the supervisor. */
    const countySchedule = () => ({
      layers: [layer([id('d.off1'), id('d.off2')])],
      policy: {
        steps: [
          { afterMinutes: 0, notify: { kind: 'on_call' } },
          { afterMinutes: 10, notify: { kind: 'parent_on_call' } },
          { afterMinutes: 5, notify: { kind: 'user', userId: id('d.supA') } },
        ],
        repeat: 0,
      },
    });

    it('lets the unit admin save a schedule, audited, and answers who is on call and why', async () => {
      const res = await hub.http
        .put(`/api/v1/duty/units/${unit('countyA1')}/schedule`)
        .set(as('d.adminA1'))
        .send(countySchedule());
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.layers[0].days, 'all');
      const audits = await hub.ds.query(`SELECT action FROM audit_entry WHERE targetId = ? AND action = 'duty.schedule.update'`, [
        unit('countyA1'),
      ]);
      assert.equal(audits.length, 1);

      // Seven days before today started with off1, so on local day d (from 09:00) it is off1 when d - start is even.
      const at = (day: string, hhmm: string) =>
        hub.http
          .get(`/api/v1/duty/units/${unit('countyA1')}/on-call`)
          .set(as('d.off1'))
          .query({ at: bj(day, hhmm).toISOString() });
      const first = await at(addDays(today, -7), '10:00');
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.user.id, id('d.off1'));
      assert.equal(first.body.source.kind, 'layer');
      assert.equal(first.body.source.layer, 1);
      assert.equal((await at(addDays(today, -6), '08:59')).body.user.id, id('d.off1'), 'before the 09:00 handoff');
      assert.equal((await at(addDays(today, -6), '09:00')).body.user.id, id('d.off2'), 'at the handoff');
      const before = await at(addDays(today, -8), '10:00');
      assert.equal(before.body.user, null);
      assert.equal(before.body.source.kind, 'gap');
      assert.deepEqual(
        before.body.fallback.map((p: { id: string }) => p.id).sort(),
        [id('d.off1'), id('d.off2')].sort(),
        'a gap falls back to the unit’s duty officers',
      );
    });

    it('refuses a schedule edit by a sibling unit’s admin (not found) and by a duty officer (forbidden)', async () => {
      const body = { layers: [layer([id('d.offA2')])] };
      const sibling = await hub.http
        .put(`/api/v1/duty/units/${unit('countyA1')}/schedule`)
        .set(as('d.adminA2'))
        .send(body);
      assert.equal(sibling.status, 404, JSON.stringify(sibling.body));
      const officer = await hub.http
        .put(`/api/v1/duty/units/${unit('countyA1')}/schedule`)
        .set(as('d.off1'))
        .send({ layers: [] });
      assert.equal(officer.status, 403, JSON.stringify(officer.body));
      const upward = await hub.http
        .put(`/api/v1/duty/units/${unit('cityA')}/schedule`)
        .set(as('d.adminA1'))
        .send({ layers: [] });
      assert.equal(upward.status, 404, 'a county admin cannot edit the city above');
      const read = await hub.http.get(`/api/v1/duty/units/${unit('countyA1')}/on-call`).set(as('d.adminA2'));
      assert.equal(read.status, 404, 'a sibling cannot read who is on duty');
      const schedule = await hub.http.get(`/api/v1/duty/units/${unit('countyA1')}/schedule`).set(as('d.adminA1'));
      assert.deepEqual(schedule.body.layers[0].userIds, [id('d.off1'), id('d.off2')], 'unchanged');
    });

    it('refuses to put on duty someone of another unit, of a sibling, or without a duty role, naming the field', async () => {
      for (const who of ['d.offB', 'd.offA2', 'd.editor']) {
        const res = await hub.http
          .put(`/api/v1/duty/units/${unit('countyA1')}/schedule`)
          .set(as('d.adminA1'))
          .send({ layers: [layer([id('d.off1'), id(who)])] });
        assert.equal(res.status, 400, `${who}: ${JSON.stringify(res.body)}`);
        // Named as the editor sees it, not by its request path; the path stays in details for programs.
        assert.match(res.body.message, /^值班人员（第 1 层值班人第 2 位）必须是在岗用户/);
        assert.doesNotMatch(res.body.message, /layers|userIds|\[/);
        assert.deepEqual(
          res.body.details.map((d: { field: string }) => d.field),
          ['layers.0.userIds.1'],
        );
      }
      const en = await hub.http
        .put(`/api/v1/duty/units/${unit('countyA1')}/schedule`)
        .set(as('d.adminA1'))
        .set('Accept-Language', 'en')
        .send({ layers: [layer([id('d.off1')]), layer([id('d.off2'), id('d.off1'), id('d.offB')])] });
      assert.equal(en.status, 400);
      assert.match(en.body.message, /^The person on duty \(layer 2, person 3\) must be an active user/);
      assert.doesNotMatch(en.body.message + en.body.details[0].message, /[\u4e00-\u9fff]|layers|userIds/);
      const override = await hub.http
        .post(`/api/v1/duty/units/${unit('countyA1')}/overrides`)
        .set(as('d.adminA1'))
        .send({
          userId: id('d.offB'),
          startsAt: hub.clock.now().toISOString(),
          endsAt: new Date(hub.clock.now().getTime() + DAY).toISOString(),
        });
      assert.equal(override.status, 400);
      assert.match(override.body.message, /^值班人员（替班人员）必须是/);
      const policy = await hub.http
        .put(`/api/v1/duty/units/${unit('countyA1')}/schedule`)
        .set(as('d.adminA1'))
        .send({
          layers: [layer([id('d.off1')])],
          policy: { steps: [{ afterMinutes: 0, notify: { kind: 'user', userId: id('d.offB') } }], repeat: 0 },
        });
      assert.equal(policy.status, 400);
      assert.match(policy.body.message, /^值班人员（升级第 1 步通知人员）必须是/);
      const bad = await hub.http
        .put(`/api/v1/duty/units/${unit('countyA1')}/schedule`)
        .set(as('d.adminA1'))
        .send({ layers: [layer([id('d.off1')], { handoff: '25:00' })] });
      assert.equal(bad.status, 400);
      assert.match(bad.body.message, /第 1 层交接时间/);
      assert.deepEqual(bad.body.details, [{ field: 'layers.0.handoff', code: 'matches', message: '交接时间须为 HH:MM' }]);
      const badEn = await hub.http
        .put(`/api/v1/duty/units/${unit('countyA1')}/schedule`)
        .set(as('d.adminA1'))
        .set('Accept-Language', 'en')
        .send({ layers: [layer([id('d.off1')]), layer([], { handoff: '25:00' })] });
      assert.equal(badEn.status, 400);
      assert.match(badEn.body.message, /layer 2, handoff/);
      assert.match(badEn.body.message, /layer 2, people/);
      assert.doesNotMatch(badEn.body.message, /[\u4e00-\u9fff]/);
    });

    it('offers as candidates exactly the people the API accepts: duty roles at the unit or above, never a sibling’s', async () => {
      type C = { id: string; role: string; unitId: string };
      const list = async (who: string, key: UnitKey) => hub.http.get(`/api/v1/duty/units/${unit(key)}/candidates`).set(as(who));
      const county = await list('d.adminA1', 'countyA1');
      assert.equal(county.status, 200, JSON.stringify(county.body));
      const ids = (county.body as C[]).map((c) => c.id);
      // The county's own officers first (nearest), then those above it: the city's officer and supervisor.
      assert.deepEqual(ids.slice(0, 2).sort(), [id('d.off1'), id('d.off2')].sort());
      assert.deepEqual(ids.slice(2).sort(), [id('d.cityOff'), id('d.supA')].sort());
      assert.equal((county.body as C[]).find((c) => c.id === id('d.supA'))!.unitId, unit('cityA'));
      for (const who of ['d.offA2', 'd.offB', 'd.editor', 'd.adminA1']) assert.ok(!ids.includes(id(who)), `${who} is not offered`);
      // The city's admin editing the county gets the same list: not the city's other county's officer.
      const fromCity = await list('d.adminCity', 'countyA1');
      assert.deepEqual((fromCity.body as C[]).map((c) => c.id).sort(), [...ids].sort());
      assert.ok(!(fromCity.body as C[]).some((c) => c.id === id('d.offA2')));
      // Every candidate is accepted by the API, above the unit included.
      const ok = await hub.http
        .put(`/api/v1/duty/units/${unit('countyA1')}/schedule`)
        .set(as('d.adminA1'))
        .send({ layers: [layer(ids)] });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      // Who could abuse it: a sibling county's admin learns nothing of the county's people, a duty officer cannot list them.
      assert.equal((await list('d.adminA2', 'countyA1')).status, 404);
      assert.equal((await list('d.off1', 'countyA1')).status, 403);
      assert.equal((await list('d.adminA1', 'cityA')).status, 404, 'a county admin cannot list the city above');
      const restore = await hub.http
        .put(`/api/v1/duty/units/${unit('countyA1')}/schedule`)
        .set(as('d.adminA1'))
        .send(countySchedule());
      assert.equal(restore.status, 200);
    });

    it('lets a unit admin above the unit edit it, and lets an override win over the layers', async () => {
      const res = await hub.http
        .put(`/api/v1/duty/units/${unit('cityA')}/schedule`)
        .set(as('d.adminCity'))
        .send({ layers: [layer([id('d.cityOff')])] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const now = hub.clock.now();
      const who = (await hub.http.get(`/api/v1/duty/units/${unit('countyA1')}/on-call`).set(as('d.adminA1'))).body;
      const other = who.user.id === id('d.off1') ? 'd.off2' : 'd.off1';
      const o = await hub.http
        .post(`/api/v1/duty/units/${unit('countyA1')}/overrides`)
        .set(as('d.adminCity'))
        .send({
          userId: id(other),
          startsAt: new Date(now.getTime() - MIN).toISOString(),
          endsAt: new Date(now.getTime() + 2 * 3_600_000).toISOString(),
          note: '换班',
        });
      assert.equal(o.status, 201, JSON.stringify(o.body));
      const during = (await hub.http.get(`/api/v1/duty/units/${unit('countyA1')}/on-call`).set(as('d.adminA1'))).body;
      assert.equal(during.user.id, id(other));
      assert.deepEqual(during.source, { kind: 'override', overrideId: o.body.id });
      const later = await hub.http
        .get(`/api/v1/duty/units/${unit('countyA1')}/on-call`)
        .set(as('d.adminA1'))
        .query({ at: new Date(now.getTime() + 3 * 3_600_000).toISOString() });
      assert.equal(later.body.source.kind, 'layer');
      // A sibling's admin may not remove it; the unit's admin may, audited.
      assert.equal((await hub.http.delete(`/api/v1/duty/overrides/${o.body.id}`).set(as('d.adminA2'))).status, 404);
      assert.equal((await hub.http.delete(`/api/v1/duty/overrides/${o.body.id}`).set(as('d.off1'))).status, 403);
      const del = await hub.http.delete(`/api/v1/duty/overrides/${o.body.id}`).set(as('d.adminA1'));
      assert.equal(del.status, 200, JSON.stringify(del.body));
      const audits = await hub.ds
        .query(`SELECT action FROM audit_entry WHERE targetId = ? ORDER BY seq`, [o.body.id])
        .catch(() => hub.ds.query(`SELECT action FROM audit_entry WHERE targetId = ?`, [o.body.id]));
      assert.deepEqual(audits.map((a: { action: string }) => a.action).sort(), ['duty.override.create', 'duty.override.delete']);
      const back = (await hub.http.get(`/api/v1/duty/units/${unit('countyA1')}/on-call`).set(as('d.adminA1'))).body;
      assert.equal(back.user.id, who.user.id);
    });

    it('routes an alert to the one person on call, escalates it on time while unacknowledged, then stops', async () => {
      const onCall = (await hub.http.get(`/api/v1/duty/units/${unit('countyA1')}/on-call`).set(as('d.adminA1'))).body.user.id as string;
      const mine = await hub.http.get('/api/v1/duty/now').set(as('d.off1'));
      assert.equal(mine.status, 200, JSON.stringify(mine.body));
      assert.equal(mine.body.unitId, unit('countyA1'));
      assert.equal(mine.body.user.id, onCall, 'GET /duty/now answers for the caller’s own unit');
      const offDuty = onCall === id('d.off1') ? id('d.off2') : id('d.off1');
      const a = await raise('countyA1');
      assert.deepEqual(await toldAbout(a.id), [onCall], 'only the officer on call, not every duty officer');
      assert.ok(!(await toldAbout(a.id)).includes(offDuty));

      await advance(9 * MIN);
      await sweep();
      assert.deepEqual(await toldAbout(a.id), [onCall], 'nothing before the step is due');
      await advance(MIN + 1000);
      await sweep();
      assert.deepEqual(await toldAbout(a.id), [onCall, id('d.cityOff')], 'step 2: the parent unit’s on-call officer');
      await sweep();
      assert.equal((await toldAbout(a.id)).length, 2, 'a second sweep tells no one twice');
      await advance(5 * MIN + 1000);
      await sweep();
      assert.deepEqual(await toldAbout(a.id), [onCall, id('d.cityOff'), id('d.supA')], 'step 3: the named supervisor');
      await advance(60 * MIN);
      await sweep();
      assert.equal((await toldAbout(a.id)).length, 3, 'repeat 0: exhausted after one pass');
      const [page] = await hub.ds.query(`SELECT state FROM duty_page WHERE alertId = ?`, [a.id]);
      assert.equal(page.state, 'exhausted');
    });

    it('stops escalating once the officer on call acknowledges; a sibling’s officer cannot acknowledge it', async () => {
      const a = await raise('countyA1', DutyAlertKind.PublishFailed);
      const [first] = await toldAbout(a.id);
      const who = first === id('d.off1') ? 'd.off1' : 'd.off2';
      const sibling = await hub.http.post(`/api/v1/alerts/${a.id}/ack`).set(as('d.offA2'));
      assert.equal(sibling.status, 404, 'a sibling county’s officer cannot acknowledge it');
      const other = await hub.http.post(`/api/v1/alerts/${a.id}/ack`).set(as('d.offB'));
      assert.equal(other.status, 404);
      const ack = await hub.http.post(`/api/v1/alerts/${a.id}/ack`).set(as(who));
      assert.equal(ack.status, 200, JSON.stringify(ack.body));
      await advance(30 * MIN);
      await sweep();
      assert.deepEqual(await toldAbout(a.id), [first], 'acknowledged: the parent unit is not told');
      const [page] = await hub.ds.query(`SELECT state FROM duty_page WHERE alertId = ?`, [a.id]);
      assert.equal(page.state, 'stopped');
      const res = await hub.http.post(`/api/v1/alerts/${a.id}/resolve`).set(as(who));
      assert.equal(res.status, 200);
    });

    it('keeps telling every duty officer over a unit that has no schedule anywhere above it', async () => {
      const a = await raise('countyB1');
      assert.deepEqual(await toldAbout(a.id), [id('d.offB')]);
      const [notice] = await hub.ds.query(`SELECT reason FROM duty_notice WHERE alertId = ?`, [a.id]);
      assert.equal(notice.reason, 'unscheduled');
    });

    it('reports a gap and tells the unit’s duty officers instead', async () => {
      const res = await hub.http
        .put(`/api/v1/duty/units/${unit('countyA2')}/schedule`)
        .set(as('d.adminA2'))
        .send({ layers: [layer([id('d.offA2')], { startDate: addDays(today, 30) })] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const now = (await hub.http.get(`/api/v1/duty/units/${unit('countyA2')}/on-call`).set(as('d.adminA2'))).body;
      assert.equal(now.user, null);
      assert.equal(now.source.kind, 'gap');
      assert.deepEqual(
        now.fallback.map((p: { id: string }) => p.id),
        [id('d.offA2')],
      );
      const a = await raise('countyA2');
      assert.deepEqual(await toldAbout(a.id), [id('d.offA2')]);
      const [notice] = await hub.ds.query(`SELECT reason FROM duty_notice WHERE alertId = ?`, [a.id]);
      assert.equal(notice.reason, 'gap');
    });

    it('repeats the policy the set number of times, each step once', async () => {
      const res = await hub.http
        .put(`/api/v1/duty/units/${unit('countyA2')}/schedule`)
        .set(as('d.adminA2'))
        .send({
          layers: [layer([id('d.offA2')])],
          policy: {
            steps: [
              { afterMinutes: 0, notify: { kind: 'on_call' } },
              { afterMinutes: 5, notify: { kind: 'on_call' } },
            ],
            repeat: 1,
          },
        });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const a = await raise('countyA2');
      assert.equal((await toldAbout(a.id)).length, 1);
      for (let i = 0; i < 5; i++) {
        await advance(5 * MIN + 1000);
        await sweep();
      }
      const told = await toldAbout(a.id);
      assert.equal(told.length, 4, 'two steps, two passes');
      assert.ok(told.every((u) => u === id('d.offA2')));
      const rows = await hub.ds.query(
        `SELECT step, ${driver === 'mysql' ? '`round`' : '"round"'} AS r FROM duty_notice WHERE alertId = ? ORDER BY notifiedAt`,
        [a.id],
      );
      assert.deepEqual(
        rows.map((x: { step: number; r: number }) => `${x.r}.${x.step}`),
        ['0.0', '0.1', '1.0', '1.1'],
      );
    });

    it('lists the caller’s units with who is on call a page at a time, in tree order, and nothing outside the subtree', async () => {
      type Item = { unit: { id: string; depth: number }; onCall: { unitId: string; user: { id: string } | null } };
      const page = (who: string, q: Record<string, unknown>) => hub.http.get('/api/v1/duty/units').set(as(who)).query(q);
      const first = await page('d.supA', { page: 1, pageSize: 3 });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.total, 4, 'the city, its two counties and its department');
      assert.equal(first.body.items.length, 3);
      assert.deepEqual(first.body.items[0].unit, { id: unit('cityA'), name: world.units.cityA.name, level: 'city', depth: 0 });
      const second = await page('d.supA', { page: 2, pageSize: 3 });
      assert.equal(second.body.items.length, 1);
      const all = [...first.body.items, ...second.body.items] as Item[];
      assert.deepEqual(all.map((i) => i.unit.id).sort(), [unit('cityA'), unit('countyA1'), unit('countyA2'), unit('deptA')].sort());
      assert.ok(all.slice(1).every((i) => i.unit.depth === 1));
      // Each row's on-call person is the one GET /duty/units/:id/on-call names.
      const a1 = all.find((i) => i.unit.id === unit('countyA1'))!;
      const single = await hub.http.get(`/api/v1/duty/units/${unit('countyA1')}/on-call`).set(as('d.supA'));
      assert.equal(a1.onCall.user?.id, single.body.user.id);
      // A county's admin and officer see their county only; an editor has no duty to read.
      const county = await page('d.adminA2', {});
      assert.deepEqual(
        (county.body.items as Item[]).map((i) => [i.unit.id, i.unit.depth]),
        [[unit('countyA2'), 0]],
      );
      assert.equal(county.body.total, 1);
      assert.equal((await page('d.offB', {})).body.items[0].unit.id, unit('countyB1'));
      const editor = await page('d.editor', {});
      assert.deepEqual(editor.body, { items: [], total: 0 });
      const big = await page('d.supA', { pageSize: 51 });
      assert.equal(big.status, 400);
      assert.match(big.body.message, /每页条数/);
    });

    it('exports the duty log as JSON and xlsx, scoped to the caller’s subtree', async () => {
      const from = bj(addDays(today, -1), '00:00').toISOString();
      const to = new Date(hub.clock.now().getTime() + DAY).toISOString();
      const res = await hub.http
        .get(`/api/v1/duty/units/${unit('countyA1')}/log`)
        .set(as('d.supA'))
        .query({ from, to });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok(res.body.shifts.length >= 2);
      assert.ok(res.body.shifts.every((s: { userId: string }) => [id('d.off1'), id('d.off2')].includes(s.userId)));
      assert.equal(res.body.alerts.length, 2, 'the two alerts routed through this unit’s schedule');
      const escalated = res.body.alerts.find((a: { notified: unknown[] }) => a.notified.length === 3);
      assert.ok(escalated, 'the escalated alert with its three people');
      assert.deepEqual(
        escalated.notified.map((n: { reason: string }) => n.reason),
        ['layer', 'layer', 'user'],
      );
      const acked = res.body.alerts.find((a: { acknowledgedBy: string | null }) => a.acknowledgedBy);
      assert.ok(acked && acked.resolvedBy === acked.acknowledgedBy);

      const xlsx = await hub.http
        .get(`/api/v1/duty/units/${unit('countyA1')}/log`)
        .set(as('d.adminA1'))
        .query({ from, to, format: 'xlsx' })
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      assert.equal(xlsx.status, 200);
      assert.match(String(xlsx.headers['content-type']), /spreadsheetml/);
      const wb = new ExcelJS.Workbook();
      const buf = xlsx.body as Buffer;
      await wb.xlsx.load(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
      const shifts = wb.getWorksheet('值班记录')!;
      assert.equal(shifts.rowCount, res.body.shifts.length + 1);
      const alerts = wb.getWorksheet('值班提醒')!;
      assert.equal(alerts.rowCount, 3);
      assert.match(String(alerts.getRow(2).getCell(4).value ?? '') + String(alerts.getRow(3).getCell(4).value ?? ''), /d\.off/);

      assert.equal(
        (
          await hub.http
            .get(`/api/v1/duty/units/${unit('countyA1')}/log`)
            .set(as('d.adminA2'))
            .query({ from, to })
        ).status,
        404,
      );
      assert.equal(
        (
          await hub.http
            .get(`/api/v1/duty/units/${unit('countyA1')}/log`)
            .set(as('d.editor'))
            .query({ from, to })
        ).status,
        404,
      );
      const long = await hub.http
        .get(`/api/v1/duty/units/${unit('countyA1')}/log`)
        .set(as('d.adminA1'))
        .query({ from, to: new Date(Date.parse(from) + 200 * DAY).toISOString() });
      assert.equal(long.status, 400);
    });
  });
}
