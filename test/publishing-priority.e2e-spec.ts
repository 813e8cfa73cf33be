import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { In } from 'typeorm';
import { ActorLoader, Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { JobQueue } from '@tongfa/jobs';
import { laneOfRank, Publication, PublicationAttempt, PublicationTarget, ROUND_SIZE } from '@tongfa/publishing';
import { startTestHub, TestHub } from './support/test-hub';
import { login, UnitKey, World } from './support/world';
import { pollUntil } from './support/poll';
import { startSandboxWorld, SandboxWorld } from './support/sandbox-accounts';
import { seedSandboxAccounts } from './support/bulk-accounts';
import { approvedManuscript, spawnWorker, WorkerProcess } from './support/publish-kit';

const SETTLED = ['published', 'failed', 'unconfirmed', 'needs_reauth'];
/** Accounts per platform of the unit making the large fan-out (several rounds of ROUND_SIZE). */
const LARGE_PER_PLATFORM = 28;

/**
 * Emergencies first, and fairness between units (issue #16): everything is queued while no worker
 * runs — a county's fan-out to ~84 accounts, then another county's 突发事件 release to a few, then a
 * third county's ordinary release to a few — and one worker process starts. The emergency release's
 * platform calls start first, the small ordinary release's within the large one's first round;
 * in plain arrival order both would wait behind all of the large one. Bull (MariaDB) and the embedded job rows
 * (SQLite) order the same way.
 */
for (const driver of testDrivers()) {
  describe(`publishing priority and fairness (${driver}, ${driver === 'mysql' ? 'Bull' : 'embedded jobs'})`, () => {
    let hub: TestHub;
    let world: World;
    let sw: SandboxWorld;
    let worker: WorkerProcess | undefined;
    const pubs: Record<'large' | 'emergency' | 'small', string> = { large: '', emergency: '', small: '' };
    let concurrency = 1;
    let emergencyEditor = '';

    before(async () => {
      hub = await startTestHub(driver, { TONGFA_SANDBOX_RATE_LIMITS: 'off' }, { consumeJobs: false });
      world = await World.build(hub.app);
      sw = await startSandboxWorld(hub);
      const release = async (
        unit: UnitKey,
        prefix: string,
        perPlatform: number,
        category: 'policy' | 'emergency',
      ): Promise<{ ms: string; accountIds: string[]; editor: string }> => {
        const tokens: string[] = [];
        for (const [u, role, level] of [
          [`${prefix}.editor`, Role.Editor, 0],
          [`${prefix}.r1`, Role.Reviewer, 1],
          [`${prefix}.r2`, Role.Reviewer, 2],
          [`${prefix}.r3`, Role.Reviewer, 3],
          [`${prefix}.admin`, Role.UnitAdmin, 0],
        ] as const) {
          await world.user(u, role, unit, { level: level || undefined });
          tokens.push(await login(hub.http, u));
        }
        const admin = await hub.app.get(ActorLoader).forUser(world.users.get(`${prefix}.admin`)!.id);
        const accounts = await seedSandboxAccounts(hub.app, sw.sandbox, {
          unitId: world.units[unit].id,
          unitPath: world.units[unit].path,
          createdBy: admin.userId,
          perPlatform,
          platforms: sw.platforms,
          namePrefix: `${prefix}发布`,
        });
        const ms = await approvedManuscript(
          hub,
          { editor: tokens[0]!, reviewers: tokens.slice(1, 4) },
          { title: category === 'emergency' ? '关于暴雨红色预警的紧急通知' : `${prefix}便民服务举措解读`, category },
        );
        return { ms, accountIds: accounts.map((a) => a.id), editor: tokens[0]! };
      };
      const large = await release('countyA1', 'pr.a1', LARGE_PER_PLATFORM, 'policy');
      const emergency = await release('countyA2', 'pr.a2', 1, 'emergency');
      const small = await release('countyB1', 'pr.b1', 1, 'policy');
      emergencyEditor = emergency.editor;
      for (const [key, r] of [
        ['large', large],
        ['emergency', emergency],
        ['small', small],
      ] as const) {
        const res = await hub.http
          .post(`/api/v1/manuscripts/${r.ms}/publications`)
          .set({ Authorization: `Bearer ${r.editor}` })
          .send({ accountIds: r.accountIds });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        pubs[key] = res.body.id as string;
      }
      // Bull sums a queue's processors: publish (1 here) and poll, retract, edit (4 each) may run at once
      // (the rounds and their status checks, 2 each, wait on the worker's one in-flight slot by rank).
      concurrency = hub.app.get(JobQueue).kind === 'bull' ? 13 : 1;
      worker = spawnWorker(hub, { TONGFA_PUBLISH_CONCURRENCY: '1' });
      await worker.ready();
    });

    after(async () => {
      await worker?.kill('SIGKILL');
      await sw?.close();
      await hub?.close();
    });

    it('derives the priority from the category and ranks the targets in rounds', async () => {
      const rows = await hub.ds.getRepository(Publication).find({ where: { id: In(Object.values(pubs)) } });
      const priority = (id: string) => rows.find((p) => p.id === id)!.priority;
      assert.deepEqual([priority(pubs.large), priority(pubs.emergency), priority(pubs.small)], ['normal', 'emergency', 'normal']);
      // The token from before the worker started: a login now would write beside the worker's
      // writes to the same SQLite file.
      const res = await hub.http.get(`/api/v1/publications/${pubs.emergency}`).set({ Authorization: `Bearer ${emergencyEditor}` });
      assert.equal(res.body.priority, 'emergency', `GET /publications/:id ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      const targets = await hub.ds
        .getRepository(PublicationTarget)
        .find({ where: { publicationId: In(Object.values(pubs)) }, select: { id: true, publicationId: true, priority: true } });
      const ranks = (id: string) => targets.filter((t) => t.publicationId === id).map((t) => t.priority);
      assert.ok(
        ranks(pubs.emergency).every((r) => laneOfRank(r) === 'emergency'),
        `emergency ranks ${ranks(pubs.emergency).join(',')}`,
      );
      assert.ok(
        ranks(pubs.large).every((r) => laneOfRank(r) === 'normal'),
        `large ranks ${ranks(pubs.large).join(',')}`,
      );
      // The large fan-out spans several rounds; the small release is all in the first.
      assert.ok(new Set(ranks(pubs.large)).size >= 3, `ranks ${[...new Set(ranks(pubs.large))].join(',')}`);
      assert.equal(Math.max(...ranks(pubs.small)), Math.min(...ranks(pubs.large)), `small ranks ${ranks(pubs.small).join(',')}`);
    });

    it('starts the emergency release first and the small release within the large one’s first round', async () => {
      const ids = Object.values(pubs);
      const total = await hub.ds.getRepository(PublicationTarget).count({ where: { publicationId: In(ids) } });
      await pollUntil(
        async () =>
          (await hub.ds.getRepository(PublicationTarget).count({ where: { publicationId: In(ids), state: In(SETTLED) } })) >= total,
        { timeoutMs: 120_000, intervalMs: 200, what: `every target settled; worker: ${worker?.output().slice(-1500)}` },
      );
      const order = await hub.ds
        .getRepository(PublicationAttempt)
        .createQueryBuilder('a')
        .innerJoin(PublicationTarget, 't', 't.id = a.targetId')
        .select('t.publicationId', 'publicationId')
        .where('t.publicationId IN (:...ids)', { ids })
        .andWhere("a.kind = 'publish'")
        .orderBy('a.startedAt', 'ASC')
        .getRawMany<{ publicationId: string }>();
      const positions = (id: string) => order.flatMap((o, i) => (o.publicationId === id ? [i] : []));
      const emergency = positions(pubs.emergency);
      const small = positions(pubs.small);
      const large = positions(pubs.large);
      const count = (id: string) => hub.ds.getRepository(PublicationTarget).count({ where: { publicationId: id } });
      // One publish attempt per target (no faults): the accounts a platform cannot take were left out at creation.
      assert.equal(emergency.length, await count(pubs.emergency));
      assert.equal(small.length, await count(pubs.small));
      assert.ok(emergency.length >= 2 && small.length >= 2, `${emergency.length} emergency, ${small.length} small`);
      assert.ok(large.length >= ROUND_SIZE * 3, `${large.length} large targets`);
      // In arrival order the emergency would start after every large target; here it starts in the
      // first batch the worker takes, and the small release right after the large one's first round.
      assert.ok(Math.max(...emergency) < emergency.length + concurrency, `emergency at ${emergency.join(',')}`);
      assert.ok(
        Math.max(...small) < emergency.length + ROUND_SIZE + small.length + concurrency,
        `small at ${small.join(',')}; large ${large.length} targets`,
      );
      assert.ok(Math.max(...small) < Math.max(...large) - ROUND_SIZE, `small at ${small.join(',')}`);
    });
  });
}
