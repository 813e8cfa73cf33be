import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ActorLoader, Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { Dispatcher, Publication, PublicationAttempt, PublicationTarget, PublicationWorker } from '@tongfa/publishing';
import { PluginHost } from '@tongfa/plugins';
import { createHub } from '../apps/hub/src/bootstrap';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { pollUntil } from './support/poll';
import { startSandboxWorld, SandboxWorld } from './support/sandbox-accounts';
import { approvedManuscript } from './support/publish-kit';

/** A scheduled publication may start this long after its time (the reconciler sweeps every second). */
const MAX_LAG_MS = 1000;

/**
 * Time and repetition: a scheduled publication goes out at its time (not before, at most a second
 * after, even when the process restarts in between), and neither a second delivery of a job nor a
 * second request with the same Idempotency-Key produces a second post.
 */
for (const driver of testDrivers()) {
  describe(`scheduled and repeated publishing (${driver})`, () => {
    let hub: TestHub;
    let app: INestApplication;
    let world: World;
    let sw: SandboxWorld;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    let accountId = '';
    let simAccountId = '';
    const http = () => request(app.getHttpServer());
    const ds = () => app.get(DataSource);
    const tokens = () => ({ editor: t.get('ps.editor')!, reviewers: ['ps.r1', 'ps.r2', 'ps.r3'].map((r) => t.get(r)!) });
    const posts = async () => (await sw.sim.posts('own-app', simAccountId)).filter((p) => !p.deleted);

    before(async () => {
      hub = await startTestHub(driver);
      app = hub.app;
      world = await World.build(hub.app);
      for (const [u, role, unit, level] of [
        ['ps.editor', Role.Editor, 'countyA1', 0],
        ['ps.admin', Role.UnitAdmin, 'countyA1', 0],
        ['ps.sup', Role.Supervisor, 'cityA', 0],
        ['ps.r1', Role.Reviewer, 'countyA1', 1],
        ['ps.r2', Role.Reviewer, 'countyA1', 2],
        ['ps.r3', Role.Reviewer, 'countyA1', 3],
      ] as const) {
        await world.user(u, role, unit, { level: level || undefined });
        t.set(u, await login(hub.http, u));
      }
      sw = await startSandboxWorld(hub);
      const actors = hub.app.get(ActorLoader);
      const admin = await actors.forUser(world.users.get('ps.admin')!.id);
      const sup = await actors.forUser(world.users.get('ps.sup')!.id);
      const c = await sw.connect(admin, sup, world.units.countyA1.id, 'own-app', '甲市一县发布');
      accountId = c.account.id;
      simAccountId = c.simAccountId;
    });
    after(async () => {
      await sw?.close();
      // The hub may have been replaced by a restarted one: close that, then drop the database.
      if (app !== hub.app) {
        await app.close();
        await hub.db.drop();
      } else await hub.close();
    });

    const publish = async (manuscriptId: string, body: Record<string, unknown>, key?: string) => {
      const req = http().post(`/api/v1/manuscripts/${manuscriptId}/publications`).set(as('ps.editor'));
      if (key) req.set('Idempotency-Key', key);
      return req.send({ accountIds: [accountId], ...body });
    };

    it('publishes a scheduled publication at its time, not before, within a second after', async () => {
      const ms = await approvedManuscript({ http: http() }, tokens(), { title: '甲市一县定时发布测试' });
      const scheduledAt = new Date(hub.clock.now().getTime() + 3000);
      const res = await publish(ms, { scheduledAt: scheduledAt.toISOString() });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.status, 'scheduled');
      const target = await pollUntil<PublicationTarget | false>(
        async () => {
          const row = await ds().getRepository(PublicationTarget).findOneBy({ publicationId: res.body.id });
          return row?.state === 'published' ? row : false;
        },
        { timeoutMs: 15_000, intervalMs: 20, what: 'the scheduled target published' },
      );
      if (!target) throw new Error('unreachable');
      const attempt = (
        await ds()
          .getRepository(PublicationAttempt)
          .find({ where: { targetId: target.id, kind: 'publish' } })
      )[0]!;
      const startLag = attempt.startedAt.getTime() - scheduledAt.getTime();
      const call = attempt.finishedAt!.getTime() - attempt.startedAt.getTime();
      const lag = target.publishedAt!.getTime() - scheduledAt.getTime();
      console.log(`  · ${driver}: started ${startLag} ms after its time, platform call ${call} ms, published ${lag} ms after`);
      assert.ok(startLag >= 0, `started ${-startLag} ms early`);
      assert.ok(lag <= MAX_LAG_MS + call, `published ${lag} ms after its time (call ${call} ms)`);
      assert.equal((await posts()).length, 1);
    });

    it('keeps the time across a restart between scheduling and the due time', async () => {
      const before = (await posts()).length;
      const ms = await approvedManuscript({ http: http() }, tokens(), { title: '甲市一县重启后定时发布测试' });
      const scheduledAt = new Date(hub.clock.now().getTime() + 4000);
      const res = await publish(ms, { scheduledAt: scheduledAt.toISOString() });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      // The process that scheduled it stops (Bull keeps the delayed job in Redis; the embedded
      // queue keeps its row) and a new one starts on the same database before the due time.
      await app.close();
      app = await createHub(hub.config, { clock: hub.clock, consumeJobs: true, quiet: true });
      await app.init();
      app.get(PluginHost).allowSandboxOrigin(sw.sandbox.url);
      assert.ok(hub.clock.now().getTime() < scheduledAt.getTime(), 'restarted before the due time');
      assert.equal((await ds().getRepository(PublicationTarget).findOneByOrFail({ publicationId: res.body.id })).state, 'pending');
      const target = await pollUntil<PublicationTarget | false>(
        async () => {
          const row = await ds().getRepository(PublicationTarget).findOneBy({ publicationId: res.body.id });
          return row?.state === 'published' ? row : false;
        },
        { timeoutMs: 15_000, intervalMs: 20, what: 'published after the restart' },
      );
      if (!target) throw new Error('unreachable');
      const attempt = (
        await ds()
          .getRepository(PublicationAttempt)
          .find({ where: { targetId: target.id, kind: 'publish' } })
      )[0]!;
      const call = attempt.finishedAt!.getTime() - attempt.startedAt.getTime();
      const lag = target.publishedAt!.getTime() - scheduledAt.getTime();
      console.log(`  · ${driver} after a restart: published ${lag} ms after its time (platform call ${call} ms)`);
      assert.ok(attempt.startedAt.getTime() >= scheduledAt.getTime(), 'not before its time');
      assert.ok(lag <= MAX_LAG_MS + call, `published ${lag} ms after its time`);
      assert.equal((await posts()).length, before + 1);
    });

    it('does nothing on a second delivery of a publish job, concurrent or late', async () => {
      const before = (await posts()).length;
      const ms = await approvedManuscript({ http: http() }, tokens(), { title: '甲市一县重复投递测试' });
      const scheduledAt = new Date(hub.clock.now().getTime() + 60_000);
      const res = await publish(ms, { scheduledAt: scheduledAt.toISOString() });
      assert.equal(res.status, 201);
      const target = await ds().getRepository(PublicationTarget).findOneByOrFail({ publicationId: res.body.id });
      // Another worker holds it: a delivery now must leave it alone.
      await ds()
        .getRepository(PublicationTarget)
        .update(
          { id: target.id },
          { nextAttemptAt: hub.clock.now(), state: 'publishing', claimedBy: 'w-other', claimedUntil: new Date(Date.now() + 60_000) },
        );
      const worker = app.get(PublicationWorker);
      await worker.handlePublish({ targetId: target.id });
      assert.equal(
        await ds()
          .getRepository(PublicationAttempt)
          .count({ where: { targetId: target.id } }),
        0,
        'no attempt on a claimed target',
      );
      // Released and due: two deliveries at once, as Bull's at-least-once may hand out.
      await ds().getRepository(PublicationTarget).update({ id: target.id }, { state: 'queued', claimedBy: null, claimedUntil: null });
      await Promise.all([worker.handlePublish({ targetId: target.id }), worker.handlePublish({ targetId: target.id })]);
      const done = await ds().getRepository(PublicationTarget).findOneByOrFail({ id: target.id });
      assert.equal(done.state, 'published');
      // Late duplicates: the same target enqueued twice more after it is done.
      const dispatcher = app.get(Dispatcher);
      await dispatcher.enqueue('publication.publish', target.id, null);
      await dispatcher.enqueue('publication.publish', target.id, null);
      await worker.handlePublish({ targetId: target.id });
      const after = await ds().getRepository(PublicationTarget).findOneByOrFail({ id: target.id });
      assert.equal(after.state, 'published');
      assert.equal(after.claimedBy, null);
      assert.equal(
        await ds()
          .getRepository(PublicationAttempt)
          .count({ where: { targetId: target.id, kind: 'publish' } }),
        1,
        'one platform call',
      );
      assert.equal((await posts()).length, before + 1, 'one post on the platform');
    });

    it('returns one publication to concurrent requests with the same Idempotency-Key', async () => {
      const before = (await posts()).length;
      const ms = await approvedManuscript({ http: http() }, tokens(), { title: '甲市一县幂等键测试' });
      const key = `same-key-${ms}`;
      const all = await Promise.all(Array.from({ length: 6 }, () => publish(ms, {}, key)));
      assert.deepEqual(
        all.map((r) => r.status).sort(),
        [200, 200, 200, 200, 200, 201],
        JSON.stringify(all.map((r) => [r.status, r.body.code])),
      );
      assert.equal(new Set(all.map((r) => r.body.id)).size, 1, 'every answer names the same publication');
      assert.equal(
        await ds()
          .getRepository(Publication)
          .count({ where: { manuscriptId: ms } }),
        1,
      );
      await pollUntil(async () => (await posts()).length === before + 1, { timeoutMs: 15_000, what: 'the one post' });
      assert.equal(
        await ds()
          .getRepository(PublicationTarget)
          .count({ where: { publicationId: all[0]!.body.id } }),
        1,
      );
    });
  });
}
