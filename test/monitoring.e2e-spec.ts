import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Like } from 'typeorm';
import { AccountsService } from '@tongfa/accounts';
import { DutyAlert, DutyAlertKind } from '@tongfa/alerts';
import { ActorLoader, Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { DutyNotice } from '@tongfa/duty';
import { ActivityDay, ActivityRollupService, MonitoredAccount, RuleState } from '@tongfa/monitoring';
import { Notification } from '@tongfa/notifications';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { startSandboxWorld, SandboxWorld } from './support/sandbox-accounts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Beijing local date and HH:MM of an instant (UTC+8, no daylight saving). */
const beijing = (t: Date) => new Date(t.getTime() + 8 * HOUR).toISOString().slice(0, 16).split('T') as [string, string];

/**
 * 监测 end to end: a county's Weibo account stays silent and the daily roll-up warns its unit on days
 * 7, 10 and 13 and reports the breach on day 14 to the unit and the city above it, each once, each
 * alert told to whoever is on duty that day (a 临时替班 override wins on day 13); a post
 * made natively on the platform (outside Tongfa) is found through the post listing and ends the
 * silence; a sibling city sees none of it; a county's second account on one platform is flagged.
 */
for (const driver of testDrivers()) {
  describe(`account monitoring (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sw: SandboxWorld;
    let quietId = '';
    let quietSim = '';
    const dupIds: string[] = [];

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      await world.user('m.provsup', Role.Supervisor, 'province');
      await world.user('m.sup', Role.Supervisor, 'cityA');
      await world.user('m.supB', Role.Supervisor, 'cityB');
      await world.user('m.admA1', Role.UnitAdmin, 'countyA1');
      await world.user('m.admA2', Role.UnitAdmin, 'countyA2');
      await world.user('m.edA1', Role.Editor, 'countyA1');
      await world.user('m.admCity', Role.UnitAdmin, 'cityA');
      // 值班: two county officers take turns day by day; a third stands in once; the city has its own.
      for (const u of ['m.offA', 'm.offB', 'm.offC']) await world.user(u, Role.DutyOfficer, 'countyA1');
      await world.user('m.cityOff', Role.DutyOfficer, 'cityA');
      const actors = hub.app.get(ActorLoader);
      const actor = (u: string) => actors.forUser(world.users.get(u)!.id);
      sw = await startSandboxWorld(hub);
      const accounts = hub.app.get(AccountsService);
      const quiet = await sw.connect(await actor('m.admA1'), await actor('m.provsup'), world.units.countyA1.id, 'weibo', '甲市一县发布');
      quietId = quiet.account.id;
      quietSim = quiet.simAccountId;
      // Filed on time, so the silence is the only thing wrong with it.
      await accounts.file(await actor('m.admA1'), quietId, undefined, '甲网信备〔2026〕1号');
      for (const [name, reason] of [
        ['甲市二县发布', null],
        ['甲市二县应急发布', '防汛应急信息专用'],
      ] as const) {
        const { account } = await accounts.create(await actor('m.admA2'), {
          unitId: world.units.countyA2.id,
          platform: 'weibo',
          name,
          exceptionReason: reason,
        });
        await accounts.decide(await actor('m.sup'), account.id, 'approve', null);
        dupIds.push(account.id);
      }
    });
    after(async () => {
      await sw?.close();
      await hub?.close();
    });

    const sweep = () => hub.app.get(ActivityRollupService).handleActivitySweep();
    /** Moves the hub's and the simulator's clocks together. */
    async function advance(ms: number): Promise<void> {
      hub.clock.advance(ms);
      await sw.sim.advanceClock('weibo', ms);
    }
    // Sessions expire on the moved clock: sign in for each request.
    const get = async (who: string, url: string) =>
      hub.http.get(`/api/v1${url}`).set({ Authorization: `Bearer ${await login(hub.http, who)}` });
    const silenceAlerts = () =>
      hub.ds
        .getRepository(DutyAlert)
        .find({ where: { dedupeKey: Like(`monitoring:national.no-update:${quietId}:%`) }, order: { createdAt: 'ASC' } });
    const noUpdate = () => hub.ds.getRepository(RuleState).findOneByOrFail({ accountId: quietId, ruleId: 'national.no-update' });
    const told = async (username: string) =>
      hub.ds.getRepository(Notification).find({
        where: { userId: world.users.get(username)!.id, resourceType: 'account', resourceId: quietId, titleZh: Like('%超过两周未更新%') },
      });

    it('warns the unit on days 7, 10 and 13 of silence and reports the breach on day 14 to the unit and its supervisor, each once', async () => {
      const uid = (u: string) => world.users.get(u)!.id;
      const county = world.units.countyA1.id;
      // The daily layer's first shift began six hours ago, so every sweep below (whole days later,
      // give or take the test's own run time) falls in shift n on day n: m.offA on even days, m.offB on odd.
      const [startDate, handoff] = beijing(new Date(hub.clock.now().getTime() - 6 * HOUR));
      const layer = (userIds: string[]) => ({ name: '日班', userIds, rotation: 'daily', handoff, startDate });
      const put = async (admin: string, unitId: string, userIds: string[]) => {
        const r = await hub.http
          .put(`/api/v1/duty/units/${unitId}/schedule`)
          .set({ Authorization: `Bearer ${await login(hub.http, admin)}` })
          .send({ layers: [layer(userIds)] });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      };
      await put('m.admA1', county, [uid('m.offA'), uid('m.offB')]);
      await put('m.admCity', world.units.cityA.id, [uid('m.cityOff')]);

      const first = await sweep();
      assert.ok(first.enrolled >= 3, 'the three opened accounts are enrolled');
      assert.equal((await noUpdate()).state, 'ok');

      const seen: [number, string, number | null, number][] = [];
      let overrideId = '';
      for (const [days, day] of [
        [7, 7],
        [3, 10],
        [3, 13],
        [1, 14],
      ] as const) {
        if (day === 13) {
          // 临时替班: m.offB is scheduled on day 13; the county's admin puts m.offC on for that morning.
          const at = hub.clock.now().getTime() + days * DAY;
          const o = await hub.http
            .post(`/api/v1/duty/units/${county}/overrides`)
            .set({ Authorization: `Bearer ${await login(hub.http, 'm.admA1')}` })
            .send({ userId: uid('m.offC'), startsAt: new Date(at - HOUR), endsAt: new Date(at + 3 * HOUR), note: '临时替班' });
          assert.equal(o.status, 201, JSON.stringify(o.body));
          overrideId = o.body.id;
        }
        await advance(days * DAY);
        await sweep();
        const s = await noUpdate();
        seen.push([day, s.state, s.step, (await silenceAlerts()).length]);
        assert.equal(s.evidence.silentDays, day);
        // The account's state as the supervisor reads it through the API on that day.
        const r = await get('m.sup', `/monitoring/accounts/${quietId}`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.rules.find((x: { ruleId: string }) => x.ruleId === 'national.no-update').state, s.state);
      }
      assert.deepEqual(seen, [
        [7, 'warning', 7, 1],
        [10, 'warning', 10, 2],
        [13, 'warning', 13, 3],
        [14, 'breach', 14, 5],
      ]);
      // A repeated sweep on the same day, and the next day's, raise nothing more.
      await hub.ds.getRepository(MonitoredAccount).update({ accountId: quietId }, { nextRollupAt: hub.clock.now() });
      await sweep();
      await advance(DAY);
      await sweep();
      const alerts = await silenceAlerts();
      assert.equal(alerts.length, 5);
      const of = (kind: DutyAlertKind) =>
        alerts
          .filter((a) => a.kind === kind)
          .map((a) => a.unitId)
          .sort();
      assert.deepEqual(of(DutyAlertKind.MonitoringWarning), [county, county, county]);
      assert.deepEqual(of(DutyAlertKind.MonitoringBreach), [county, world.units.cityA.id].sort());
      assert.match(alerts[0]!.messageZh, /已连续 7 天未更新/);
      // The county's admin and editor hear of each warning and the breach; the city's supervisor of the breach only.
      assert.equal((await told('m.admA1')).length, 4);
      assert.equal((await told('m.edA1')).length, 4);
      const sup = await told('m.sup');
      assert.equal(sup.length, 1);
      assert.match(sup[0]!.titleZh, /监测不合格/);
      assert.equal((await told('m.supB')).length, 0);

      // Each alert went to the one person on duty when it was raised, and only to them: the
      // scheduled officer of the day, the stand-in on day 13, the city's officer for the city's breach.
      const notices = async (alertId: string) =>
        (await hub.ds.getRepository(DutyNotice).find({ where: { alertId } })).map((n) => [n.userId, n.reason]);
      const dutyTold = async (alertId: string) =>
        (await hub.ds.getRepository(Notification).find({ where: { resourceType: 'duty_alert', resourceId: alertId } })).map(
          (n) => n.userId,
        );
      const toldFirst = async (alertId: string) => (await notices(alertId))[0]?.join(' ');
      const expect = (u: string, reason: string) => `${uid(u)} ${reason}`;
      const warnings = alerts.filter((a) => a.kind === DutyAlertKind.MonitoringWarning);
      assert.deepEqual(
        await Promise.all(warnings.map((a) => toldFirst(a.id))),
        [expect('m.offB', 'layer'), expect('m.offA', 'layer'), expect('m.offC', 'override')],
        'day 7 m.offB, day 10 m.offA, day 13 the stand-in m.offC instead of m.offB',
      );
      const breach = (unitId: string) => alerts.find((a) => a.kind === DutyAlertKind.MonitoringBreach && a.unitId === unitId)!;
      assert.equal(await toldFirst(breach(county).id), expect('m.offA', 'layer'), 'day 14: m.offA at the county');
      assert.equal(await toldFirst(breach(world.units.cityA.id).id), expect('m.cityOff', 'layer'), 'day 14: the city’s officer');
      for (const a of alerts) {
        assert.equal((await notices(a.id)).length, 1, 'one person per alert');
        assert.deepEqual(await dutyTold(a.id), [(await notices(a.id))[0]![0]], 'the notification went to that person only');
      }
      const day13 = warnings[2]!;
      assert.match(day13.messageZh, /13 天/);
      assert.deepEqual(await dutyTold(day13.id), [uid('m.offC')]);
      assert.ok(!(await dutyTold(day13.id)).includes(uid('m.offB')), 'the scheduled officer is not told while replaced');
      // The duty API agrees on who was on call at each alert, and why.
      for (const [i, a] of alerts.entries()) {
        const oc = await get('m.sup', `/duty/units/${a.unitId}/on-call?at=${encodeURIComponent(a.createdAt.toISOString())}`);
        assert.equal(oc.status, 200, oc.text);
        assert.equal(oc.body.user.id, (await notices(a.id))[0]![0], `alert ${i}`);
      }
      const oc13 = await get('m.sup', `/duty/units/${county}/on-call?at=${encodeURIComponent(day13.createdAt.toISOString())}`);
      assert.deepEqual(oc13.body.source, { kind: 'override', overrideId });
      // The stand-in sees the day-13 warning among their open alerts and acknowledges it.
      const mine = await get('m.offC', '/alerts?status=open');
      assert.equal(mine.status, 200, mine.text);
      assert.ok(mine.body.items.some((x: { id: string }) => x.id === day13.id));
      const ack = await hub.http.post(`/api/v1/alerts/${day13.id}/ack`).set({ Authorization: `Bearer ${await login(hub.http, 'm.offC')}` });
      assert.equal(ack.status, 200, ack.text);

      const list = await get('m.sup', '/monitoring/accounts');
      assert.equal(list.status, 200, JSON.stringify(list.body));
      assert.equal(list.body.items[0].accountId, quietId, 'the breached account comes first');
      assert.equal(list.body.items[0].worstState, 'breach');
      assert.equal(list.body.items[0].silentDays, 15);
      const rule = list.body.items[0].rules.find((r: { ruleId: string }) => r.ruleId === 'national.no-update');
      assert.equal(rule.ruleSetVersion, '2026.1');
      assert.equal(rule.evidence.lastPostAt, null);
      const veto = await get('m.sup', `/monitoring/accounts?rule=national.no-update&state=breach&unitId=${world.units.countyA1.id}`);
      assert.deepEqual(
        veto.body.items.map((i: { accountId: string }) => i.accountId),
        [quietId],
      );
    });

    it('counts a post made natively on the platform and ends the silence', async () => {
      // Two silent weeks outlived the Weibo token (7 days): the unit's admin authorises the account
      // again through the platform's OAuth page, as in the console.
      const admin = { Authorization: `Bearer ${await login(hub.http, 'm.admA1')}` };
      const start = await hub.http.get(`/api/v1/accounts/${quietId}/connect`).set(admin);
      assert.equal(start.status, 302, start.text);
      const authorize = new URL(start.headers.location!);
      authorize.searchParams.set('uid', quietSim);
      const approved = await fetch(authorize, { redirect: 'manual' });
      const back = new URL(approved.headers.get('location')!);
      const done = await hub.http.get('/api/v1/accounts/oauth/callback').query(Object.fromEntries(back.searchParams)).set(admin);
      assert.equal(done.status, 302, done.text);
      const post = await sw.sim.nativePost('weibo', { account: quietSim, text: '甲市一县召开防汛工作部署会（平台内直接发布）。' });
      await advance(DAY);
      const r = await sweep();
      assert.ok(r.listCalls >= 1);
      const s = await noUpdate();
      assert.equal(s.state, 'ok');
      // The listing names the post by the platform's own address form; its time is the native post's.
      assert.match(String(s.evidence.lastPostUrl), /weibo/);
      assert.ok(Math.abs(Date.parse(String(s.evidence.lastPostAt)) - Date.parse(post.createdAt)) < 1000, 'the native post’s time');
      assert.equal(s.evidence.lastPostSource, 'native');
      const summary = await hub.ds.getRepository(MonitoredAccount).findOneByOrFail({ accountId: quietId });
      assert.equal(summary.lastPostSource, 'native');
      assert.equal(summary.silentDays, 1);
      assert.equal(summary.postsLast7Days, 1);
      const days = await hub.ds.getRepository(ActivityDay).find({ where: { accountId: quietId } });
      assert.equal(
        days.reduce((n, d) => n + d.postsNative, 0),
        1,
      );
      assert.equal(
        days.reduce((n, d) => n + d.postsTongfa, 0),
        0,
      );
    });

    it('gives one account’s weekly posts and rule states to its supervisor, and not to a sibling city', async () => {
      const r = await get('m.sup', `/monitoring/accounts/${quietId}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.name, '甲市一县发布');
      assert.equal(r.body.weeks.length, 12);
      // The native post of the day before sits in one of the last two weeks (the sweep ran a day after it).
      assert.equal(
        r.body.weeks.reduce((n: number, w: { native: number; tongfa: number }) => n + w.native + w.tongfa, 0),
        1,
      );
      assert.ok(r.body.weeks.slice(-2).some((w: { native: number }) => w.native === 1));
      assert.equal(r.body.rules.find((x: { ruleId: string }) => x.ruleId === 'national.no-update').state, 'ok');
      assert.equal(r.body.metrics, null);
      const sibling = await get('m.supB', `/monitoring/accounts/${quietId}`);
      assert.equal(sibling.status, 404);
      assert.equal((await get('m.edA1', `/monitoring/accounts/${quietId}`)).status, 403);
      const bad = await get('m.sup', '/monitoring/accounts/not-a-uuid');
      assert.equal(bad.status, 400);
    });

    it('shows a sibling city nothing, and refuses a unit outside the caller’s subtree', async () => {
      const b = await get('m.supB', '/monitoring/accounts');
      assert.equal(b.status, 200);
      assert.deepEqual(b.body, { items: [], total: 0 });
      const out = await get('m.supB', `/monitoring/accounts?unitId=${world.units.countyA1.id}`);
      assert.equal(out.status, 404);
      const prov = await get('m.provsup', `/monitoring/accounts?unitId=${world.units.countyA1.id}`);
      assert.deepEqual(
        prov.body.items.map((i: { accountId: string }) => i.accountId),
        [quietId],
      );
      const bad = await get('m.sup', '/monitoring/accounts?state=red');
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(bad.body), /state/);
    });

    it('flags two active accounts of one unit on one platform', async () => {
      const r = await get('m.sup', '/monitoring/accounts?rule=hygiene.duplicate-account&state=warning&platform=weibo');
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.items.map((i: { accountId: string }) => i.accountId).sort(), [...dupIds].sort());
      const second = r.body.items.find((i: { accountId: string }) => i.accountId === dupIds[1]);
      const evidence = second.rules.find((x: { ruleId: string }) => x.ruleId === 'hygiene.duplicate-account').evidence;
      assert.equal(evidence.exceptionReason, '防汛应急信息专用');
      assert.deepEqual(
        evidence.others.map((o: { id: string }) => o.id),
        [dupIds[0]],
      );
    });

    it('publishes the rule sets with versions, in Chinese and English', async () => {
      const r = await get('m.sup', '/monitoring/rules');
      assert.equal(r.status, 200);
      const national = r.body.find((s: { id: string }) => s.id === 'national');
      assert.equal(national.version, '2026.1');
      const ids = national.rules.map((x: { id: string }) => x.id);
      for (const id of ['national.no-update', 'national.no-interaction', 'national.expression-errors', 'hygiene.duplicate-account'])
        assert.ok(ids.includes(id), id);
      assert.match(national.rules[0].description.zh, /单项否决/);
      assert.match(national.rules[0].description.en, /veto/);
      assert.ok(r.body.some((s: { id: string; regionPrefix: string }) => s.id === 'guangdong' && s.regionPrefix === '44'));
    });
  });
}
