import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ActorLoader, Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { AuditEntry } from '@tongfa/audit';
import { AccountConnectionsService } from '@tongfa/plugins';
import { Account, AccountConnection } from '@tongfa/accounts';
import { PublicationAttempt, PublicationPlan, PublicationTarget, PublicationWorker } from '@tongfa/publishing';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { pollUntil } from './support/poll';
import { startSandboxWorld, SandboxWorld } from './support/sandbox-accounts';
import { approvedManuscript } from './support/publish-kit';

/**
 * After publishing: the filtered publication list, a retry of one platform through the outbox, a
 * retract of one platform, the manuscript's planned time, the calendar and moving a scheduled
 * publication; each with the refusals that keep them honest (another unit, a reader, a published
 * target, an unconfirmed one without the editor's check, a review already complete).
 */
for (const driver of testDrivers()) {
  describe(`after publishing: list filters, retry, retract one platform, calendar (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sw: SandboxWorld;
    const tok = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${tok.get(who)}` });
    let ownApp: { id: string; sim: string; credentials: Record<string, string> };
    let weibo: { id: string; sim: string };
    let otherAccount = '';
    const reviewers = () => ['pa.r1', 'pa.r2', 'pa.r3'].map((r) => tok.get(r)!);
    const approved = (title: string) => approvedManuscript(hub, { editor: tok.get('pa.ed')!, reviewers: reviewers() }, { title });
    const publish = async (ms: string, accountIds: string[], extra: Record<string, unknown> = {}) => {
      const res = await hub.http
        .post(`/api/v1/manuscripts/${ms}/publications`)
        .set(as('pa.ed'))
        .send({ accountIds, ...extra });
      assert.equal(res.status, 201, res.text);
      return res.body as {
        id: string;
        status: string;
        scheduledAt: string | null;
        targets: { id: string; platform: string; state: string }[];
      };
    };
    const get = async (id: string, who = 'pa.ed') => (await hub.http.get(`/api/v1/publications/${id}`).set(as(who))).body;
    const settled = (id: string, what: string, ok: (p: { status: string; targets: { state: string }[] }) => boolean) =>
      pollUntil(async () => ok(await get(id)), { timeoutMs: 30_000, what });
    const postsTitled = async (platform: string, simAccount: string, title: string) =>
      (await sw.sim.posts(platform, simAccount)).filter((p) => !p.deleted && JSON.stringify(p).includes(title));

    let published = ''; // own-app + weibo, both published
    let scheduled = ''; // own-app, an hour ahead
    const PUBLISHED_TITLE = '甲市一县冬季供暖保障措施';

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      for (const [u, role, unit, level] of [
        ['pa.ed', Role.Editor, 'countyA1', 0],
        ['pa.admin', Role.UnitAdmin, 'countyA1', 0],
        ['pa.sup', Role.Supervisor, 'cityA', 0],
        ['pa.r1', Role.Reviewer, 'countyA1', 1],
        ['pa.r2', Role.Reviewer, 'countyA1', 2],
        ['pa.r3', Role.Reviewer, 'countyA1', 3],
        ['pa.ed2', Role.Editor, 'countyA2', 0],
        ['pa.admin2', Role.UnitAdmin, 'countyA2', 0],
      ] as const) {
        await world.user(u, role, unit, { level: level || undefined });
        tok.set(u, await login(hub.http, u));
      }
      sw = await startSandboxWorld(hub);
      const actors = hub.app.get(ActorLoader);
      const admin = await actors.forUser(world.users.get('pa.admin')!.id);
      const admin2 = await actors.forUser(world.users.get('pa.admin2')!.id);
      const sup = await actors.forUser(world.users.get('pa.sup')!.id);
      const a = await sw.connect(admin, sup, world.units.countyA1.id, 'own-app', '甲市一县发布');
      ownApp = { id: a.account.id, sim: a.simAccountId, credentials: a.credentials };
      const w = await sw.connect(admin, sup, world.units.countyA1.id, 'weibo', '甲市一县发布');
      weibo = { id: w.account.id, sim: w.simAccountId };
      otherAccount = (await sw.connect(admin2, sup, world.units.countyA2.id, 'own-app', '甲市二县发布')).account.id;

      const ms1 = await approved(PUBLISHED_TITLE);
      published = (await publish(ms1, [ownApp.id, weibo.id])).id;
      const ms2 = await approved('甲市一县元旦假期安排');
      scheduled = (await publish(ms2, [ownApp.id], { scheduledAt: new Date(hub.clock.now().getTime() + 3600_000).toISOString() })).id;
      await settled(published, 'both targets published', (p) => p.status === 'published');
      // The list filters on the stored summary, which the worker refreshes just after the targets settle.
      await pollUntil(async () => (await list('pa.ed', { status: 'published' })).includes(published), {
        timeoutMs: 30_000,
        what: 'the stored summary says published',
      });
    });
    after(async () => {
      await sw?.close();
      await hub?.close();
    });

    const list = async (who: string, query: Record<string, string>) => {
      const res = await hub.http.get('/api/v1/publications').query(query).set(as(who));
      assert.equal(res.status, 200, res.text);
      return (res.body.items as { id: string; title: string }[]).map((p) => p.id);
    };

    it('filters the publication list by status, platform, account, unit, dates and title, within the caller’s subtree', async () => {
      assert.deepEqual(await list('pa.ed', { status: 'scheduled' }), [scheduled]);
      assert.deepEqual((await list('pa.ed', { status: 'published,scheduled' })).sort(), [published, scheduled].sort());
      assert.deepEqual(await list('pa.ed', { platform: 'weibo' }), [published]);
      assert.deepEqual(await list('pa.ed', { accountId: weibo.id }), [published]);
      assert.deepEqual(await list('pa.ed', { targetState: 'pending' }), [scheduled]);
      assert.deepEqual(await list('pa.ed', { q: '供暖' }), [published]);
      assert.deepEqual(await list('pa.ed', { q: '%' }), [], 'a wildcard is taken literally');
      const tomorrow = new Date(hub.clock.now().getTime() + 24 * 3600_000).toISOString();
      assert.deepEqual(await list('pa.ed', { from: tomorrow }), []);
      assert.equal((await list('pa.ed', { to: tomorrow })).length, 2);
      // The supervisor of the city sees the county's; narrowing to the other county shows none.
      assert.equal((await list('pa.sup', { unitId: world.units.countyA1.id })).length, 2);
      assert.deepEqual(await list('pa.sup', { unitId: world.units.countyA2.id }), []);
      // Another county's editor learns nothing, even naming the unit.
      assert.deepEqual(await list('pa.ed2', { unitId: world.units.countyA1.id }), []);
      assert.deepEqual(await list('pa.ed2', {}), []);
      const bad = await hub.http.get('/api/v1/publications').query({ status: 'nonsense' }).set(as('pa.ed'));
      assert.equal(bad.status, 400);
    });

    it('retries one target after a sandbox fault, through the outbox, once, and refuses what must not be retried', async () => {
      // Every call to the app's receiver answers "token expired": the target ends needs_reauth.
      await sw.sim.setFaults('own-app', { rate: 1, kinds: ['token_expired'] });
      const title = '甲市一县重试测试稿件';
      const ms = await approved(title);
      const pub = await publish(ms, [ownApp.id]);
      const targetId = pub.targets[0]!.id;
      await settled(pub.id, 'the target stopped for re-authorisation', (p) => p.targets[0]!.state === 'needs_reauth');
      await sw.sim.setFaults('own-app', { rate: 0, kinds: [] });
      const retry = (who: string, body: Record<string, unknown> = {}) =>
        hub.http.post(`/api/v1/publications/${pub.id}/targets/${targetId}/retry`).set(as(who)).send(body);

      // The account itself lost its authorisation: a retry now would stop again at once.
      const early = await retry('pa.ed');
      assert.equal(early.status, 409, early.text);
      assert.equal(early.body.code, 'TARGET_NOT_RETRYABLE');
      assert.match(early.body.message, /授权已失效/);
      // Another county's editor and admin do not learn the publication exists; a reviewer who reads it may not act.
      assert.equal((await retry('pa.ed2')).status, 404);
      assert.equal((await retry('pa.admin2')).status, 404);
      assert.equal((await retry('pa.r1')).status, 403);
      // A target of another publication is not reachable through this one.
      const wrong = await hub.http
        .post(`/api/v1/publications/${pub.id}/targets/${(await get(published)).targets[0].id}/retry`)
        .set(as('pa.ed'))
        .send({});
      assert.equal(wrong.status, 404);
      assert.equal(wrong.body.code, 'PUBLICATION_TARGET_NOT_FOUND');

      // The unit admin re-authorises; two retries at once (a double click) move it once.
      await hub.app.get(AccountConnectionsService).connectInternally(ownApp.id, ownApp.credentials);
      assert.equal((await hub.ds.getRepository(Account).findOneByOrFail({ id: ownApp.id })).connection, AccountConnection.Connected);
      const [r1, r2] = await Promise.all([retry('pa.ed'), retry('pa.admin')]);
      assert.equal(r1.status, 200, r1.text);
      assert.equal(r2.status, 200, r2.text);
      assert.equal([r1.body.changed, r2.body.changed].filter(Boolean).length, 1, 'exactly one of two concurrent retries moved it');
      await settled(pub.id, 'the retried target published', (p) => p.targets[0]!.state === 'published');
      assert.equal((await postsTitled('own-app', ownApp.sim, title)).length, 1, 'one post on the platform');

      // Now it is out: a third retry would post it twice.
      const again = await retry('pa.ed');
      assert.equal(again.status, 409);
      assert.equal(again.body.code, 'TARGET_NOT_RETRYABLE');
      assert.match(again.body.message, /已发布成功/);
      assert.equal((await postsTitled('own-app', ownApp.sim, title)).length, 1);
      const audit = await hub.ds.getRepository(AuditEntry).find({ where: { action: 'publication.target.retry', targetId: pub.id } });
      assert.equal(audit.length, 1, 'the retry that moved the target is recorded, once');
      assert.match(JSON.stringify(audit[0]!.before), /needs_reauth/);
    });

    it('asks for the editor’s check before retrying an unconfirmed target, then retries it', async () => {
      const title = '甲市一县待核实测试稿件';
      const ms = await approved(title);
      const pub = await publish(ms, [ownApp.id], { scheduledAt: new Date(hub.clock.now().getTime() + 3600_000).toISOString() });
      const targetId = pub.targets[0]!.id;
      // The state an ambiguous call leaves when the platform cannot say whether the post exists.
      await hub.ds.getRepository(PublicationTarget).update(
        { id: targetId },
        {
          state: 'unconfirmed',
          mustCheckExisting: true,
          lastErrorKind: 'ambiguous',
          lastError: '无法确认是否已发布',
          nextAttemptAt: null,
        },
      );
      const url = `/api/v1/publications/${pub.id}/targets/${targetId}/retry`;
      const blind = await hub.http.post(url).set(as('pa.ed')).send({});
      assert.equal(blind.status, 409);
      assert.equal(blind.body.code, 'TARGET_UNCONFIRMED_CHECK_FIRST');
      assert.match(blind.body.message, /核实/);
      assert.equal((await hub.ds.getRepository(PublicationTarget).findOneByOrFail({ id: targetId })).state, 'unconfirmed');
      const notBool = await hub.http.post(url).set(as('pa.ed')).send({ confirmNotPublished: 'yes' });
      assert.equal(notBool.status, 400);
      const checked = await hub.http.post(url).set(as('pa.ed')).send({ confirmNotPublished: true });
      assert.equal(checked.status, 200, checked.text);
      assert.equal(checked.body.changed, true);
      await settled(pub.id, 'published after the check', (p) => p.targets[0]!.state === 'published');
      assert.equal((await postsTitled('own-app', ownApp.sim, title)).length, 1);
      const audit = await hub.ds.getRepository(AuditEntry).findOneByOrFail({ action: 'publication.target.retry', targetId: pub.id });
      assert.match(JSON.stringify(audit.after), /confirmedNotPublished/);
    });

    it('asks the platform whether an unanswered publish went out, and asks again at once when that question goes unanswered', async () => {
      const title = '甲市一县核实重问测试稿件';
      const ms = await approved(title);
      const pub = await publish(ms, [weibo.id], { scheduledAt: new Date(hub.clock.now().getTime() + 3600_000).toISOString() });
      const targetId = pub.targets[0]!.id;
      // What a worker that died mid-call leaves: the post may exist, the platform must be asked first.
      await hub.ds
        .getRepository(PublicationTarget)
        .update({ id: targetId }, { mustCheckExisting: true, nextAttemptAt: new Date(hub.clock.now().getTime() - 1000) });
      // Weibo drops the lookup's first call (a 5xx): a read may be asked again, so the check goes on.
      await sw.sim.setFaults('weibo', { rate: 1, kinds: ['server_error'], remaining: 1 });
      try {
        await hub.app.get(PublicationWorker).handlePublish({ targetId });
        await settled(pub.id, 'published after the check', (p) => p.targets[0]!.state === 'published');
        assert.equal((await sw.sim.faults('weibo')).injected, 1, 'one call was dropped');
      } finally {
        await sw.sim.setFaults('weibo', { rate: 0, kinds: [] });
      }
      const attempts = await hub.ds.getRepository(PublicationAttempt).find({ where: { targetId }, order: { startedAt: 'ASC' } });
      assert.deepEqual(
        attempts.map((a) => [a.kind, a.outcome]),
        [
          ['check', 'absent'],
          ['publish', 'published'],
        ],
      );
      assert.equal((await postsTitled('weibo', weibo.sim, title)).length, 1);
    });

    it('retracts one platform and leaves the other live; refuses what is not published', async () => {
      const view = await get(published);
      const w = view.targets.find((t: { platform: string }) => t.platform === 'weibo');
      const o = view.targets.find((t: { platform: string }) => t.platform === 'own-app');
      const retract = (who: string, targetId: string, reason = '微博版本配图有误，先行撤回') =>
        hub.http.post(`/api/v1/publications/${published}/targets/${targetId}/retract`).set(as(who)).send({ reason });
      assert.equal((await retract('pa.ed2', w.id)).status, 404);
      assert.equal((await retract('pa.sup', w.id)).status, 403, 'a supervisor reads but does not retract one platform');
      const noReason = await retract('pa.ed', w.id, '');
      assert.equal(noReason.status, 400);
      assert.match(JSON.stringify(noReason.body), /理由/);
      const res = await retract('pa.ed', w.id);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.changed, true);
      await settled(published, 'weibo retracted', (p) => p.targets.some((t: { state: string }) => t.state === 'retracted'));
      const after = await get(published);
      assert.equal(after.targets.find((t: { id: string }) => t.id === o.id).state, 'published');
      assert.equal(after.status, 'partial');
      assert.equal((await postsTitled('weibo', weibo.sim, PUBLISHED_TITLE)).length, 0, 'gone from weibo');
      assert.equal((await postsTitled('own-app', ownApp.sim, PUBLISHED_TITLE)).length, 1, 'still on the app');
      const twice = await retract('pa.ed', w.id);
      assert.equal(twice.status, 200);
      assert.equal(twice.body.changed, false);
      // A scheduled target has nothing out yet.
      const pending = await hub.http
        .post(`/api/v1/publications/${scheduled}/targets/${(await get(scheduled)).targets[0].id}/retract`)
        .set(as('pa.ed'))
        .send({ reason: '尚未发布的测试' });
      assert.equal(pending.status, 409);
      assert.equal(pending.body.code, 'TARGET_NOT_RETRACTABLE');
      assert.match(pending.body.message, /等待定时发布/);
      const audit = await hub.ds.getRepository(AuditEntry).find({ where: { action: 'publication.target.retract', targetId: published } });
      assert.equal(audit.length, 1);
      assert.match(JSON.stringify(audit[0]!.after), /配图有误/);
    });

    it('plans a manuscript’s time while its review runs, locks it once reviewed, and publishes at it', async () => {
      const create = await hub.http
        .post('/api/v1/manuscripts')
        .set(as('pa.ed'))
        .send({
          title: '甲市一县计划发布测试',
          summary: '',
          body: '<p>甲市一县计划发布测试。为进一步优化政务服务，县政府出台便民举措。</p>',
          category: 'news',
          source: { type: 'original' },
        });
      assert.equal(create.status, 201, create.text);
      const ms = create.body.id as string;
      const plannedAt = new Date(hub.clock.now().getTime() + 2 * 3600_000);
      const plan = (who: string, body: Record<string, unknown>) => hub.http.put(`/api/v1/manuscripts/${ms}/plan`).set(as(who)).send(body);
      assert.equal((await plan('pa.ed2', { plannedAt: plannedAt.toISOString() })).status, 404);
      assert.equal((await plan('pa.r1', { plannedAt: plannedAt.toISOString() })).status, 403);
      const foreign = await plan('pa.ed', { plannedAt: plannedAt.toISOString(), accountIds: [otherAccount] });
      assert.equal(foreign.status, 400);
      const past = await plan('pa.ed', { plannedAt: new Date(hub.clock.now().getTime() - 3600_000).toISOString() });
      assert.equal(past.status, 400);
      assert.equal(past.body.code, 'SCHEDULE_IN_PAST');
      const ok = await plan('pa.ed', { plannedAt: plannedAt.toISOString(), accountIds: [ownApp.id] });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(new Date(ok.body.plannedAt).getTime(), plannedAt.getTime());
      assert.equal(ok.body.movable, true);

      // The calendar shows it as a plan, movable; a later time moves it.
      const from = new Date(hub.clock.now().getTime() - 24 * 3600_000).toISOString();
      const to = new Date(hub.clock.now().getTime() + 7 * 24 * 3600_000).toISOString();
      const cal = async (who: string, q: Record<string, string> = {}) => {
        const res = await hub.http
          .get('/api/v1/calendar')
          .query({ from, to, ...q })
          .set(as(who));
        assert.equal(res.status, 200, res.text);
        return res.body.items as {
          kind: string;
          id: string;
          at: string;
          movable: boolean;
          lockedReason: { zh: string } | null;
          accounts: { id: string }[];
        }[];
      };
      const item = (await cal('pa.ed')).find((i) => i.kind === 'plan' && i.id === ms)!;
      assert.ok(item, 'the plan is on the calendar');
      assert.equal(item.movable, true);
      assert.deepEqual(
        item.accounts.map((a) => a.id),
        [ownApp.id],
      );
      assert.ok(
        (await cal('pa.ed', { accountId: weibo.id })).every((i) => i.id !== ms),
        'another account’s calendar does not show it',
      );
      assert.ok((await cal('pa.sup', { unitId: world.units.countyA1.id })).some((i) => i.id === ms));
      assert.equal((await cal('pa.ed2')).length, 0, 'another county sees nothing');
      const outside = await hub.http.get('/api/v1/calendar').query({ from, to, unitId: world.units.countyA1.id }).set(as('pa.ed2'));
      assert.equal(outside.status, 403);
      const wide = await hub.http
        .get('/api/v1/calendar')
        .query({ from, to: new Date(hub.clock.now().getTime() + 90 * 24 * 3600_000).toISOString() })
        .set(as('pa.ed'));
      assert.equal(wide.status, 400);
      const later = new Date(plannedAt.getTime() + 24 * 3600_000);
      assert.equal((await plan('pa.ed', { plannedAt: later.toISOString() })).status, 200);
      assert.equal(new Date((await cal('pa.ed')).find((i) => i.id === ms)!.at).getTime(), later.getTime());

      // The review completes: the plan is locked, with the reason in Chinese.
      assert.equal((await hub.http.post(`/api/v1/manuscripts/${ms}/submit`).set(as('pa.ed'))).status, 200);
      for (const r of ['pa.r1', 'pa.r2']) {
        const rv = await hub.http.post(`/api/v1/manuscripts/${ms}/reviews`).set(as(r)).send({ decision: 'approve' });
        assert.equal(rv.status, 200, rv.text);
      }
      const locked = await plan('pa.ed', { plannedAt: plannedAt.toISOString() });
      assert.equal(locked.status, 409);
      assert.equal(locked.body.code, 'SCHEDULE_LOCKED');
      assert.match(locked.body.message, /审核已完成/);
      const lockedItem = (await cal('pa.ed')).find((i) => i.id === ms)!;
      assert.equal(lockedItem.movable, false);
      assert.match(lockedItem.lockedReason!.zh, /审核已完成/);

      // Publishing without a time of its own takes the plan's, and uses the plan up.
      const pub = await publish(ms, [ownApp.id]);
      assert.equal(pub.status, 'scheduled');
      assert.equal(new Date(pub.scheduledAt!).getTime(), later.getTime());
      assert.equal(await hub.ds.getRepository(PublicationPlan).countBy({ manuscriptId: ms }), 0);
      const onCal = (await cal('pa.ed')).filter((i) => i.id === ms || i.id === pub.id);
      assert.deepEqual(
        onCal.map((i) => i.kind),
        ['publication'],
      );
      assert.equal(onCal[0]!.movable, true);
    });

    it('moves a scheduled publication that has not started, and refuses one that has', async () => {
      const move = (who: string, id: string, at: Date) =>
        hub.http.put(`/api/v1/publications/${id}/schedule`).set(as(who)).send({ scheduledAt: at.toISOString() });
      const at = new Date(hub.clock.now().getTime() + 5 * 3600_000);
      assert.equal((await move('pa.ed2', scheduled, at)).status, 404);
      assert.equal((await move('pa.r1', scheduled, at)).status, 403);
      assert.equal((await move('pa.ed', scheduled, new Date(hub.clock.now().getTime() - 60_000))).status, 400);
      const res = await move('pa.admin', scheduled, at);
      assert.equal(res.status, 200, res.text);
      assert.equal(new Date(res.body.scheduledAt).getTime(), at.getTime());
      const target = await hub.ds.getRepository(PublicationTarget).findOneByOrFail({ publicationId: scheduled });
      assert.equal(target.state, 'pending');
      assert.equal(target.nextAttemptAt!.getTime(), at.getTime());
      const done = await move('pa.ed', published, at);
      assert.equal(done.status, 409);
      assert.equal(done.body.code, 'SCHEDULE_LOCKED');
      assert.match(done.body.message, /已开始发布或已发布/);
      // Moved to a few seconds from now, it goes out then.
      const soon = new Date(hub.clock.now().getTime() + 2500);
      assert.equal((await move('pa.ed', scheduled, soon)).status, 200);
      await settled(scheduled, 'the moved publication went out', (p) => p.status === 'published');
      const audit = await hub.ds.getRepository(AuditEntry).find({ where: { action: 'publication.schedule', targetId: scheduled } });
      assert.equal(audit.length, 2);
    });
  });
}
