import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { In, IsNull } from 'typeorm';
import { ActorLoader, Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { JobQueue } from '@tongfa/jobs';
import { AppConfig, Clock, newId } from '@tongfa/core';
import { AlertsService } from '@tongfa/alerts';
import { MediaService } from '@tongfa/media';
import { PluginHost } from '@tongfa/plugins';
import {
  AttemptLog,
  CheckpointWriter,
  CorrectionsService,
  Dispatcher,
  PublicationAttempt,
  PublicationsService,
  PublicationTarget,
  PublicationWorker,
  pollBatchJobId,
  Reconciler,
} from '@tongfa/publishing';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { startSandboxWorld, SandboxWorld } from './support/sandbox-accounts';
import { seedSandboxAccounts } from './support/bulk-accounts';
import { approvedManuscript, uploadCover } from './support/publish-kit';

/**
 * A round's status checks (issue #16): posts a platform is still processing after a round are
 * checked by one job for the round, not one job per target; the reconciler sees that job waiting
 * and leaves the rows alone; each check writes one attempt row with its answer. Nothing consumes
 * the queue here: the test runs the worker's handlers itself and reads what they put on the queue.
 */
for (const driver of testDrivers()) {
  describe(`a fan-out round's status checks, checkpoints and attempt rows, grouped (${driver})`, () => {
    let hub: TestHub;
    let sw: SandboxWorld;
    let targetIds: string[] = [];
    let publicationId = '';
    let worker: PublicationWorker;

    before(async () => {
      hub = await startTestHub(driver, { TONGFA_SANDBOX_RATE_LIMITS: 'off' }, { consumeJobs: false });
      const world = await World.build(hub.app);
      const tokens: string[] = [];
      for (const [u, role, level] of [
        ['pp.editor', Role.Editor, 0],
        ['pp.r1', Role.Reviewer, 1],
        ['pp.r2', Role.Reviewer, 2],
        ['pp.r3', Role.Reviewer, 3],
        ['pp.admin', Role.UnitAdmin, 0],
      ] as const) {
        await world.user(u, role, 'countyA1', { level: level || undefined });
        tokens.push(await login(hub.http, u));
      }
      sw = await startSandboxWorld(hub);
      const admin = await hub.app.get(ActorLoader).forUser(world.users.get('pp.admin')!.id);
      // 南方号 reviews an article before it is published: every target polls until the review is done.
      const accounts = await seedSandboxAccounts(hub.app, sw.sandbox, {
        unitId: world.units.countyA1.id,
        unitPath: world.units.countyA1.path,
        createdBy: admin.userId,
        perPlatform: 4,
        platforms: ['nanfang'],
        namePrefix: '甲市一县轮询',
      });
      const cover = await uploadCover(hub, tokens[0]!);
      const ms = await approvedManuscript(
        hub,
        { editor: tokens[0]!, reviewers: tokens.slice(1, 4) },
        { title: '甲市一县冬季防火提示', coverMediaId: cover },
      );
      const res = await hub.http
        .post(`/api/v1/manuscripts/${ms}/publications`)
        .set({ Authorization: `Bearer ${tokens[0]}` })
        .send({ accountIds: accounts.map((a) => a.id) });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      publicationId = res.body.id as string;
      targetIds = (res.body.targets as { id: string }[]).map((t) => t.id);
      assert.equal(targetIds.length, 4);
      // A hub that does not consume jobs has no worker of its own: one built from its parts runs the handlers.
      const get = <T>(t: abstract new (...a: never[]) => T): T => hub.app.get(t as never, { strict: false });
      worker = new PublicationWorker(
        hub.ds,
        get(Clock),
        get(AppConfig),
        get(PluginHost),
        get(MediaService),
        get(PublicationsService),
        get(Dispatcher),
        get(AlertsService),
        get(CorrectionsService),
      );
    });

    after(async () => {
      await sw?.close();
      await hub?.close();
    });

    const targets = () => hub.ds.getRepository(PublicationTarget).find({ where: { id: In(targetIds) } });

    it('puts the round’s checks on the queue as one job, which the reconciler leaves alone while it waits', async () => {
      const queue = hub.app.get(JobQueue);
      const before = (await queue.depth()).publishing ?? 0;
      await worker.handlePublishBatch({ targetIds });
      const rows = await targets();
      assert.deepEqual(
        rows.map((r) => [r.state, r.remoteId !== null, r.claimedBy]),
        rows.map(() => ['publishing', true, null]),
      );
      const dispatched = new Set(rows.map((r) => r.dispatchedAt?.getTime()));
      assert.equal(dispatched.size, 1, 'the checks were dispatched together');
      // One job for the four checks (a job per target before).
      assert.equal((await queue.depth()).publishing, before + 1);
      for (const r of rows) assert.equal(await queue.pending('publication.poll', `publication.poll:${r.id}:${r.dispatches}`), false);
      if (queue.kind === 'bull') return; // Bull holds a delayed job until a consumer's timer moves it; nothing consumes here.

      // Due and dispatched long ago as the reconciler counts: it asks the queue, finds the job, moves nothing.
      const first = rows[0]!;
      assert.equal(await queue.pending('publication.poll-batch', pollBatchJobId(publicationId, first.priority, first.dispatchedAt!)), true);
      hub.clock.advance(30_000);
      await hub.app.get(Reconciler).sweep();
      assert.deepEqual(
        (await targets()).map((r) => [r.dispatches, r.dispatchedAt?.getTime()]),
        rows.map((r) => [r.dispatches, r.dispatchedAt?.getTime()]),
      );
    });

    it('checks them together until the platform has finished, one attempt row per check', async () => {
      // The review has not moved on the simulated clock: the first check finds every post still in it.
      await worker.handlePollBatch({ targetIds });
      assert.deepEqual(
        (await targets()).map((r) => r.state),
        targetIds.map(() => 'publishing'),
      );
      await sw.sim.advanceClock('nanfang', 60_000);
      hub.clock.advance(120_000);
      await worker.handlePollBatch({ targetIds });
      const rows = await targets();
      assert.deepEqual(
        rows.map((r) => r.state),
        rows.map(() => 'published'),
      );
      assert.ok(
        rows.every((r) => r.url),
        'each post has its address',
      );
      const polls = await hub.ds.getRepository(PublicationAttempt).find({ where: { targetId: In(targetIds), kind: 'poll' } });
      assert.equal(polls.length, 2 * targetIds.length, 'two checks per target');
      // Written once with the answer: no check left open, and numbered after the publish attempt.
      assert.ok(polls.every((p) => p.finishedAt && p.outcome && p.number >= 2));
      assert.equal((await sw.sim.posts('nanfang')).filter((p) => !p.deleted).length, targetIds.length);
    });

    it('saves the checkpoints of concurrent publishes together, each only on its own claim', async () => {
      const repo = hub.ds.getRepository(PublicationTarget);
      const tokens = targetIds.map((_, i) => `spec-claim/${i}`);
      for (const [i, id] of targetIds.entries()) await repo.update({ id }, { claimedBy: tokens[i], checkpoint: { before: i } as never });
      try {
        const writer = new CheckpointWriter(hub.ds);
        const states = targetIds.map((_, i) => ({ step: i + 1, mediaId: `m${i}` }));
        // The last save carries a token that is no longer the row's: its claim was lost meanwhile.
        const saved = await Promise.all(targetIds.map((id, i) => writer.save(id, i === 3 ? 'another-worker/9' : tokens[i]!, states[i]!)));
        assert.deepEqual(saved, [true, true, true, false]);
        const byId = new Map((await targets()).map((r) => [r.id, r.checkpoint]));
        assert.deepEqual(
          targetIds.map((id) => byId.get(id)),
          [states[0], states[1], states[2], { before: 3 }],
        );
      } finally {
        await repo.update({ id: In(targetIds) }, { claimedBy: null });
      }
    });

    it('writes attempt rows together: started ones before their calls, then their outcomes', async () => {
      const log = new AttemptLog(hub.ds);
      const rows = [0, 1, 2].map((i) => ({
        id: newId(),
        targetId: targetIds[0]!,
        number: 100 + i,
        kind: 'publish',
        idempotencyKey: targetIds[0]!,
        worker: 'spec',
        startedAt: new Date(),
        finishedAt: null,
        outcome: null,
        error: null,
      }));
      const repo = hub.ds.getRepository(PublicationAttempt);
      try {
        await Promise.all(rows.map((r) => log.write(r)));
        assert.equal(await repo.count({ where: { id: In(rows.map((r) => r.id)), finishedAt: IsNull() } }), 3, 'stored before any outcome');
        // One finished while another is still being started: both in one write.
        const late = { ...rows[2]!, id: newId(), number: 103 };
        await Promise.all([
          log.write({ ...rows[0]!, finishedAt: new Date(), outcome: 'published' }),
          log.write({ ...rows[1]!, finishedAt: new Date(), outcome: 'error', error: '平台繁忙' }),
          log.write(late).then(() => log.write({ ...late, finishedAt: new Date(), outcome: 'published' })),
        ]);
        const back = new Map((await repo.find({ where: { targetId: targetIds[0]!, worker: 'spec' } })).map((a) => [a.number, a]));
        assert.deepEqual(
          [100, 101, 102, 103].map((n) => [back.get(n)?.outcome ?? null, back.get(n)?.error ?? null, !!back.get(n)?.finishedAt]),
          [
            ['published', null, true],
            ['error', '平台繁忙', true],
            [null, null, false],
            ['published', null, true],
          ],
        );
      } finally {
        await repo.delete({ targetId: targetIds[0]!, worker: 'spec' });
      }
    });
  });
}
