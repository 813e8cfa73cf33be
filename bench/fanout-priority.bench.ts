import 'reflect-metadata';
import { SETTLED_STATES } from './support/publication-progress';
import { performance } from 'node:perf_hooks';
import { In, Not } from 'typeorm';
import { ActorLoader, Role } from '@tongfa/identity';
import { PublicationAttempt, PublicationsService, PublicationTarget } from '@tongfa/publishing';
import { startTestHub } from '../test/support/test-hub';
import { login, UnitKey, World } from '../test/support/world';
import { pollUntil } from '../test/support/poll';
import { startSandboxWorld } from '../test/support/sandbox-accounts';
import { seedSandboxAccounts } from '../test/support/bulk-accounts';
import { startTestRedis } from '../test/support/redis-server';
import { approvedManuscript, spawnWorker, uploadCover, WorkerProcess } from '../test/support/publish-kit';

/**
 * Emergencies first during a province-scale fan-out (issue #16): while one county's publication to
 * 10,000 accounts drains through two worker processes (30 ms per platform call), another county
 * makes a 突发事件 release to its few accounts and a third county an ordinary one, 20 times, a
 * trial every half second. Printed: how long after the request each release's first platform call
 * started (p50, p99, max over the trials), beside how long it would have waited in arrival order
 * (the fan-out targets still queued at that moment, at the fan-out's own rate).
 */
const ACCOUNTS = Number(process.env.FANOUT_ACCOUNTS ?? 10_000);
const WORKERS = Number(process.env.FANOUT_WORKERS ?? 2);
const TRIALS = 20;
const TRIAL_EVERY_MS = 500;
const LATENCY_MS = 30;
const CONCURRENCY = Number(process.env.TONGFA_PUBLISH_CONCURRENCY ?? 32);
const SETTLED = SETTLED_STATES;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

async function main(): Promise<void> {
  const redis = await startTestRedis();
  const hub = await startTestHub(
    'mysql',
    { REDIS_URL: redis.url, TONGFA_SANDBOX_RATE_LIMITS: 'off', TONGFA_PUBLISH_CONCURRENCY: String(CONCURRENCY) },
    { consumeJobs: false },
  );
  const sw = await startSandboxWorld(hub);
  const workers: WorkerProcess[] = [];
  try {
    const world = await World.build(hub.app);
    const unit = async (key: UnitKey, prefix: string, perPlatform: number, category: 'policy' | 'emergency', releases: number) => {
      const tokens: string[] = [];
      for (const [u, role, level] of [
        [`${prefix}.editor`, Role.Editor, 0],
        [`${prefix}.r1`, Role.Reviewer, 1],
        [`${prefix}.r2`, Role.Reviewer, 2],
        [`${prefix}.r3`, Role.Reviewer, 3],
        [`${prefix}.admin`, Role.UnitAdmin, 0],
      ] as const) {
        await world.user(u, role, key, { level: level || undefined });
        tokens.push(await login(hub.http, u));
      }
      const actors = hub.app.get(ActorLoader);
      const admin = await actors.forUser(world.users.get(`${prefix}.admin`)!.id);
      const accounts = await seedSandboxAccounts(hub.app, sw.sandbox, {
        unitId: world.units[key].id,
        unitPath: world.units[key].path,
        createdBy: admin.userId,
        perPlatform,
        platforms: sw.platforms,
        namePrefix: `${prefix}发布`,
      });
      const cover = await uploadCover(hub, tokens[0]!);
      const manuscripts: string[] = [];
      for (let i = 0; i < releases; i++) {
        const title = category === 'emergency' ? `关于暴雨红色预警的紧急通知（第${i + 1}号）` : `便民服务举措解读第${i + 1}期`;
        manuscripts.push(
          await approvedManuscript(hub, { editor: tokens[0]!, reviewers: tokens.slice(1, 4) }, { title, category, coverMediaId: cover }),
        );
      }
      return { accountIds: accounts.map((a) => a.id), manuscripts, editor: await actors.forUser(world.users.get(`${prefix}.editor`)!.id) };
    };
    const seedStart = performance.now();
    const large = await unit('countyA1', 'pf.a1', Math.ceil(ACCOUNTS / sw.platforms.length), 'policy', 1);
    const emergency = await unit('countyA2', 'pf.a2', 2, 'emergency', TRIALS);
    const small = await unit('countyB1', 'pf.b1', 2, 'policy', TRIALS);
    console.log(
      `seeded ${large.accountIds.length + 2 * emergency.accountIds.length} accounts and ${2 * TRIALS + 1} approved manuscripts in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );
    for (const p of sw.platforms) await sw.sim.setFaults(p, { rate: 0, kinds: [], latencyMs: LATENCY_MS });
    for (let i = 0; i < WORKERS; i++) workers.push(spawnWorker(hub));
    await Promise.all(workers.map((w) => w.ready(120_000)));

    const publications = hub.app.get(PublicationsService);
    const targets = hub.ds.getRepository(PublicationTarget);
    const t0 = performance.now();
    const { view: fanout } = await publications.create(large.editor, large.manuscripts[0]!, {
      accountIds: large.accountIds.slice(0, ACCOUNTS),
    });
    const total = fanout.targets.length;
    const settledOfFanout = () => targets.count({ where: { publicationId: fanout.id, state: In(SETTLED) } });
    // Trials start once the fan-out runs at full speed.
    await pollUntil(async () => (await settledOfFanout()) >= Math.min(1000, total / 10), {
      timeoutMs: 120_000,
      intervalMs: 100,
      what: 'fan-out under way',
    });
    const rampS = (performance.now() - t0) / 1000;
    const rampSettled = await settledOfFanout();

    const firstCall = async (publicationId: string): Promise<Date> => {
      let first: Date | null = null;
      await pollUntil(
        async () => {
          const a = await hub.ds
            .getRepository(PublicationAttempt)
            .createQueryBuilder('a')
            .innerJoin(PublicationTarget, 't', 't.id = a.targetId')
            .select('MIN(a.startedAt)', 'first')
            .where('t.publicationId = :publicationId', { publicationId })
            .getRawOne<{ first: Date | string | null }>();
          first = a?.first ? new Date(a.first) : null;
          return first !== null;
        },
        { timeoutMs: 120_000, intervalMs: 20, what: `first platform call of ${publicationId}` },
      );
      return first!;
    };
    const trial = async (i: number) => {
      await new Promise((r) => setTimeout(r, i * TRIAL_EVERY_MS));
      const queuedAhead = await targets.count({ where: { publicationId: fanout.id, state: Not(In(SETTLED)) } });
      const asked = Date.now();
      const [e, n] = await Promise.all([
        publications.create(emergency.editor, emergency.manuscripts[i]!, { accountIds: emergency.accountIds }),
        publications.create(small.editor, small.manuscripts[i]!, { accountIds: small.accountIds }),
      ]);
      const [ef, nf] = await Promise.all([firstCall(e.view.id), firstCall(n.view.id)]);
      return { emergencyMs: ef.getTime() - asked, normalMs: nf.getTime() - asked, queuedAhead };
    };
    const results = await Promise.all(Array.from({ length: TRIALS }, (_, i) => trial(i)));
    const leftAtEnd = total - (await settledOfFanout());
    await pollUntil(async () => (await settledOfFanout()) >= total, { timeoutMs: 300_000, intervalMs: 200, what: 'fan-out settled' });
    const fanoutS = (performance.now() - t0) / 1000;
    const rate = (total - rampSettled) / (fanoutS - rampS);
    const em = results.map((r) => r.emergencyMs);
    const nm = results.map((r) => r.normalMs);
    const fifo = results.map((r) => (r.queuedAhead / rate) * 1000);
    const f = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(
      [
        ``,
        `priority during a fan-out of ${total} targets (${WORKERS} workers, concurrency ${CONCURRENCY} each, ${LATENCY_MS} ms per platform call; fan-out done after ${fanoutS.toFixed(1)} s, ${rate.toFixed(0)} targets/s)`,
        `  ${TRIALS} trials, one every ${TRIAL_EVERY_MS} ms; the fan-out still had ${leftAtEnd} targets to go after the last one`,
        `  突发事件 release (another county, ${emergency.accountIds.length} accounts): first platform call after   p50 ${f(pct(em, 50))}   p99 ${f(pct(em, 99))}   max ${f(Math.max(...em))}   (target < 2 s)`,
        `  ordinary release (a third county, ${small.accountIds.length} accounts): first platform call after   p50 ${f(pct(nm, 50))}   p99 ${f(pct(nm, 99))}   max ${f(Math.max(...nm))}   (target < 10 s)`,
        `  baseline, arrival order: behind the fan-out targets still queued    p50 ${f(pct(fifo, 50))}   p99 ${f(pct(fifo, 99))}`,
      ].join('\n'),
    );
  } finally {
    for (const w of workers) await w.kill('SIGKILL');
    await sw.close();
    await hub.close();
    await redis.stop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
