import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ActorLoader, Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { newId } from '@tongfa/core';
import { Account, AccountConnection, AccountsService } from '@tongfa/accounts';
import { AccountReauthService } from '@tongfa/plugins';
import { BullJobQueue, JobQueue } from '@tongfa/jobs';
import { ReviewEscalation } from '@tongfa/manuscripts';
import { Publication, PublicationTarget, PublicationWorker } from '@tongfa/publishing';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { pollUntil } from './support/poll';

const MINUTE = 60_000;

const emergency = (title: string) => ({
  title,
  summary: '突发事件信息发布',
  body: `<p>${title}。请广大市民注意出行安全，相关部门正在全力处置。</p>`,
  category: 'emergency',
  source: { type: 'original' },
});

interface AlertBody {
  id: string;
  kind: string;
  status: string;
  unitId: string;
  link: { type: string; id: string };
  title: { zh: string; en: string };
  acknowledgedBy: string | null;
}

/**
 * Emergency review deadlines (issue "manuscript pipeline"): an emergency step not decided within
 * its limit escalates to the next level and alerts the duty officers over the unit; a failed
 * publish alerts them too. Time moves with the hub's clock; on Bull the delayed job is promoted
 * instead of waiting out its real-time delay.
 */
for (const driver of testDrivers()) {
  describe(`emergency review escalation and duty alerts (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      for (const [u, role, unit, level] of [
        ['es.editor', Role.Editor, 'countyA1', 0],
        ['es.r1', Role.Reviewer, 'countyA1', 1],
        ['es.r2', Role.Reviewer, 'countyA1', 2],
        ['es.r2b', Role.Reviewer, 'countyA1', 2],
        ['es.r3', Role.Reviewer, 'cityA', 3],
        ['es.duty', Role.DutyOfficer, 'countyA1', 0],
        ['es.dutyCity', Role.DutyOfficer, 'cityA', 0],
        ['es.dutyB', Role.DutyOfficer, 'countyB1', 0],
        ['es.admin', Role.UnitAdmin, 'countyA1', 0],
        ['es.sup', Role.Supervisor, 'cityA', 0],
      ] as const) {
        await world.user(u, role, unit, { level: level || undefined });
        t.set(u, await login(hub.http, u));
      }
    });
    after(() => hub.close());

    async function submitEmergency(title: string): Promise<{ id: string; versionId: string }> {
      const res = await hub.http.post('/api/v1/manuscripts').set(as('es.editor')).send(emergency(title));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const sub = await hub.http.post(`/api/v1/manuscripts/${res.body.id}/submit`).set(as('es.editor'));
      assert.equal(sub.status, 200, JSON.stringify(sub.body));
      assert.equal(sub.body.chain.parallel, true);
      assert.deepEqual(
        sub.body.chain.steps.map((s: { limitMinutes: number }) => s.limitMinutes),
        [30, 30, 30],
      );
      return { id: res.body.id, versionId: res.body.version.id };
    }
    const review = (who: string, id: string) =>
      hub.http.post(`/api/v1/manuscripts/${id}/reviews`).set(as(who)).send({ decision: 'approve' });
    const manuscript = async (id: string) => (await hub.http.get(`/api/v1/manuscripts/${id}`).set(as('es.editor'))).body;
    const alerts = async (who: string, query: Record<string, string> = {}) => {
      const res = await hub.http.get('/api/v1/alerts').set(as(who)).query(query);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body as { items: AlertBody[]; total: number };
    };

    /** Lets the deadlines pass: the embedded queue runs due jobs by the hub's clock; Bull's delays are real time, so promote them. */
    async function passDeadlines(minutes: number): Promise<void> {
      hub.clock.advance(minutes * MINUTE);
      const queue = hub.app.get(JobQueue);
      if (queue instanceof BullJobQueue) {
        for (const job of await queue.queues.get('reviews')!.getDelayed()) await job.promote();
      }
      // Access tokens are short-lived on the same clock.
      for (const u of t.keys()) t.set(u, await login(hub.http, u));
    }

    it('schedules one delayed escalation per emergency step at submission', async () => {
      const ms = await submitEmergency('某路段临时交通管制');
      const queue = hub.app.get(JobQueue);
      if (queue instanceof BullJobQueue) {
        const delayed = (await queue.queues.get('reviews')!.getDelayed()).filter((j) => j.data.manuscriptId === ms.id);
        assert.deepEqual(delayed.map((j) => j.data.step).sort(), [0, 1, 2]);
        for (const j of delayed) assert.ok(Math.abs(j.opts.delay! - 30 * MINUTE) < 5000, `delay ${j.opts.delay}`);
      } else {
        const rows = await hub.ds.query(`SELECT payload FROM job_record WHERE name = 'review.escalate'`);
        const steps = rows
          .map((r: { payload: string }) => JSON.parse(r.payload))
          .filter((p: { manuscriptId: string }) => p.manuscriptId === ms.id);
        assert.deepEqual(steps.map((p: { step: number }) => p.step).sort(), [0, 1, 2]);
      }
      // Approve everything in time so this manuscript never escalates.
      for (const r of ['es.r1', 'es.r2', 'es.r3']) assert.equal((await review(r, ms.id)).status, 200);
      assert.equal((await manuscript(ms.id)).status, 'approved');
    });

    it('does nothing when the job fires before the limit', async () => {
      const ms = await submitEmergency('早到的升级任务');
      const outcome = await hub.app.get(ReviewEscalation).handleEscalate({ manuscriptId: ms.id, versionId: ms.versionId, step: 0 });
      assert.equal(outcome, 'not_due');
      assert.deepEqual((await manuscript(ms.id)).escalatedSteps, []);
      for (const r of ['es.r1', 'es.r2', 'es.r3']) assert.equal((await review(r, ms.id)).status, 200);
    });

    let escalatedId = '';
    let escalatedVersion = '';
    it('escalates the level-1 step not acted on within its limit, and only that step', async () => {
      const ms = await submitEmergency('暴雨红色预警信息发布');
      escalatedId = ms.id;
      escalatedVersion = ms.versionId;
      // Levels 2 and 3 decide in time; level 1 does not.
      assert.equal((await review('es.r2', ms.id)).status, 200);
      assert.equal((await review('es.r3', ms.id)).status, 200);
      const early = await review('es.r2b', ms.id);
      assert.equal(early.status, 403, 'before the deadline a second level-2 reviewer may not take the level-1 step');

      await passDeadlines(31);
      const escalated = await pollUntil(
        async () => {
          const m = await manuscript(ms.id);
          return m.escalatedSteps?.length ? m : null;
        },
        { timeoutMs: 15_000, what: 'step escalated' },
      );
      assert.deepEqual(escalated.escalatedSteps, [0], 'steps approved in time do not escalate');
      assert.equal(escalated.status, 'in_review');

      const audit = await hub.ds.query(`SELECT * FROM audit_entry WHERE action = 'review.escalate' AND targetId = ?`, [ms.id]);
      assert.equal(audit.length, 1);
    });

    it('shows the escalated step to a level-2 reviewer, who then approves it', async () => {
      const pending = await hub.http.get('/api/v1/reviews/pending').set(as('es.r2b'));
      const item = pending.body.items.find((p: { manuscriptId: string }) => p.manuscriptId === escalatedId);
      assert.ok(item, 'the escalated step waits for the next level up');
      assert.equal(item.escalated, true);
      assert.equal(item.level, 1);
      const res = await review('es.r2b', escalatedId);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, 'approved');
    });

    it('fires late or twice without a second alert or audit record', async () => {
      const escalation = hub.app.get(ReviewEscalation);
      for (let i = 0; i < 2; i++) {
        assert.equal(await escalation.handleEscalate({ manuscriptId: escalatedId, versionId: escalatedVersion, step: 0 }), 'nothing');
      }
      assert.equal(await escalation.handleSweep(), 0);
      const mine = (await alerts('es.duty')).items.filter((a) => a.link.id === escalatedId);
      assert.equal(mine.length, 1);
      const audit = await hub.ds.query(`SELECT * FROM audit_entry WHERE action = 'review.escalate' AND targetId = ?`, [escalatedId]);
      assert.equal(audit.length, 1);
    });

    it('alerts the duty officers over the unit only, and lets one acknowledge it', async () => {
      const open = await alerts('es.duty', { status: 'open', kind: 'review_escalated' });
      assert.equal(open.total, 1, JSON.stringify(open.items));
      const alert = open.items[0]!;
      assert.deepEqual(alert.link, { type: 'manuscript', id: escalatedId });
      assert.equal(alert.unitId, world.units.countyA1.id);
      assert.match(alert.title.zh, /紧急稿件审核超时/);
      assert.equal((await alerts('es.dutyCity', { kind: 'review_escalated' })).total, 1, 'the city duty officer sees its subtree');
      assert.equal((await alerts('es.dutyB')).total, 0, 'another county’s duty officer sees nothing');
      assert.equal((await hub.http.get('/api/v1/alerts').set(as('es.editor'))).status, 403);
      assert.equal((await hub.http.post(`/api/v1/alerts/${alert.id}/ack`).set(as('es.dutyB'))).status, 404);

      const ack = await hub.http.post(`/api/v1/alerts/${alert.id}/ack`).set(as('es.duty'));
      assert.equal(ack.status, 200, JSON.stringify(ack.body));
      assert.equal(ack.body.status, 'acknowledged');
      assert.equal(ack.body.acknowledgedBy, world.users.get('es.duty')!.id);
      const again = await hub.http.post(`/api/v1/alerts/${alert.id}/ack`).set(as('es.dutyCity'));
      assert.equal(again.status, 200);
      assert.equal(again.body.acknowledgedBy, world.users.get('es.duty')!.id, 'the first acknowledgement stands');
      assert.equal((await alerts('es.duty', { status: 'open', kind: 'review_escalated' })).total, 0);
      assert.equal((await alerts('es.duty', { status: 'acknowledged' })).items[0]!.id, alert.id);
      const audit = await hub.ds.query(`SELECT * FROM audit_entry WHERE action = 'alert.ack' AND targetId = ?`, [alert.id]);
      assert.equal(audit.length, 1);
    });

    it('raises a publish_failed alert when a target fails, for the unit’s duty officers', async () => {
      const actors = hub.app.get(ActorLoader);
      const accounts = hub.app.get(AccountsService);
      // An approved account never connected: its publish cannot authenticate.
      const { account } = await accounts.create(await actors.forUser(world.users.get('es.admin')!.id), {
        unitId: world.units.countyA1.id,
        platform: 'weibo',
        name: '甲市一县发布',
      });
      await accounts.decide(await actors.forUser(world.users.get('es.sup')!.id), account.id, 'approve', null);
      const pub = hub.ds.getRepository(Publication).create({
        id: newId(),
        manuscriptId: escalatedId,
        versionId: escalatedVersion,
        unitId: world.units.countyA1.id,
        unitPath: world.units.countyA1.path,
        createdBy: world.users.get('es.editor')!.id,
        idempotencyKey: newId(),
        status: 'publishing',
        scheduledAt: null,
      });
      await hub.ds.getRepository(Publication).insert(pub);
      const targetId = newId();
      await hub.ds.getRepository(PublicationTarget).insert({
        id: targetId,
        publicationId: pub.id,
        accountId: account.id,
        platform: 'weibo',
        state: 'queued',
        rendition: { payload: { text: '暴雨红色预警' }, fields: {}, assets: [], warnings: [], violations: [] },
        nextAttemptAt: null,
      });
      await hub.app.get(PublicationWorker).handlePublish({ targetId });
      const target = await hub.ds.getRepository(PublicationTarget).findOneByOrFail({ id: targetId });
      assert.ok(['failed', 'needs_reauth', 'unconfirmed'].includes(target.state), `target ended ${target.state}: ${target.lastError}`);

      const seen = await alerts('es.duty', { kind: 'publish_failed', status: 'open' });
      assert.equal(seen.total, 1, JSON.stringify(seen.items));
      assert.deepEqual(seen.items[0]!.link, { type: 'publication', id: pub.id });
      assert.equal((await alerts('es.dutyB', { kind: 'publish_failed' })).total, 0);
    });

    it('raises an account_needs_reauth alert once when a connected account’s authorization dies', async () => {
      const actors = hub.app.get(ActorLoader);
      const { account } = await hub.app.get(AccountsService).create(await actors.forUser(world.users.get('es.admin')!.id), {
        unitId: world.units.countyA1.id,
        platform: 'wechat',
        name: '甲市一县发布',
      });
      await hub.ds.getRepository(Account).update({ id: account.id }, { connection: AccountConnection.Connected });
      const reauth = hub.app.get(AccountReauthService);
      assert.equal(await reauth.markNeedsReauth(account.id, 'invalid refresh token'), true);
      assert.equal(await reauth.markNeedsReauth(account.id, 'invalid refresh token'), false);
      const seen = await alerts('es.duty', { kind: 'account_needs_reauth' });
      assert.equal(seen.total, 1);
      assert.deepEqual(seen.items[0]!.link, { type: 'account', id: account.id });
      assert.equal((await alerts('es.dutyB', { kind: 'account_needs_reauth' })).total, 0);
    });
  });
}
