import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import Bull from 'bull';
import { In } from 'typeorm';
import { ActorLoader, Role } from '@tongfa/identity';
import { PublicationsService, PublicationTarget } from '@tongfa/publishing';
import { startTestHub } from '../test/support/test-hub';
import { login, World } from '../test/support/world';
import { pollUntil } from '../test/support/poll';
import { startSandboxWorld } from '../test/support/sandbox-accounts';
import { seedSandboxAccounts } from '../test/support/bulk-accounts';
import { startTestRedis } from '../test/support/redis-server';
import { approvedManuscript, spawnWorker, uploadCover } from '../test/support/publish-kit';

/**
 * Fan-out: one approved manuscript to 10,000 accounts across the sandbox platforms (30 ms per
 * platform call, no faults), MariaDB + Bull on a Redis of its own, ONE worker process. Printed
 * beside a bare Bull queue running 10,000 no-op jobs at the same concurrency on the same Redis,
 * as the floor the pipeline is compared with.
 */
const ACCOUNTS = 10_000;
const LATENCY_MS = 30;
const CONCURRENCY = Number(process.env.TONGFA_PUBLISH_CONCURRENCY ?? 32);
const DEADLINE_MS = 4 * 60_000;

async function bareBull(redisUrl: string, n: number): Promise<number> {
  const q = new Bull('bench-bare', redisUrl, { prefix: `bare${Date.now()}` });
  let done = 0;
  let finish!: () => void;
  const all = new Promise<void>((r) => (finish = r));
  void q.process(CONCURRENCY, async () => {
    if (++done === n) finish();
  });
  await q.isReady();
  const t0 = performance.now();
  for (let i = 0; i < n; i += 1000) {
    await q.addBulk(Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({ data: { i: i + k }, opts: { removeOnComplete: true } })));
  }
  await all;
  const ms = performance.now() - t0;
  await q.close();
  return ms;
}

async function main(): Promise<void> {
  const redis = await startTestRedis();
  const hub = await startTestHub(
    'mysql',
    { REDIS_URL: redis.url, TONGFA_SANDBOX_RATE_LIMITS: 'off', TONGFA_PUBLISH_CONCURRENCY: String(CONCURRENCY) },
    { consumeJobs: false },
  );
  const sw = await startSandboxWorld(hub);
  const worker = spawnWorker(hub);
  try {
    const world = await World.build(hub.app);
    const tokens = new Map<string, string>();
    for (const [u, role, level] of [
      ['fo.editor', Role.Editor, 0],
      ['fo.admin', Role.UnitAdmin, 0],
      ['fo.r1', Role.Reviewer, 1],
      ['fo.r2', Role.Reviewer, 2],
      ['fo.r3', Role.Reviewer, 3],
    ] as const) {
      await world.user(u, role, 'countyA1', { level: level || undefined });
      tokens.set(u, await login(hub.http, u));
    }
    const admin = await hub.app.get(ActorLoader).forUser(world.users.get('fo.admin')!.id);
    const skipped: string[] = [];
    const seedStart = performance.now();
    const accounts = await seedSandboxAccounts(hub.app, sw.sandbox, {
      unitId: world.units.countyA1.id,
      unitPath: world.units.countyA1.path,
      createdBy: admin.userId,
      perPlatform: Math.ceil(ACCOUNTS / sw.platforms.length),
      platforms: sw.platforms,
      namePrefix: '压测',
      onSkip: (p, reason) => skipped.push(`${p}: ${reason}`),
    });
    const ids = accounts.slice(0, ACCOUNTS).map((a) => a.id);
    const platforms = [...new Set(accounts.map((a) => a.platform))];
    console.log(
      `seeded ${accounts.length} accounts on ${platforms.join(', ')} in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );
    if (skipped.length) console.log(`left out: ${skipped.join('; ')}`);
    const editor = tokens.get('fo.editor')!;
    const cover = await uploadCover(hub, editor);
    const ms = await approvedManuscript(
      hub,
      { editor, reviewers: ['fo.r1', 'fo.r2', 'fo.r3'].map((r) => tokens.get(r)!) },
      { title: '全省政务新媒体矩阵联动发布测试稿', coverMediaId: cover },
    );
    for (const p of platforms) await sw.sim.setFaults(p, { rate: 0, kinds: [], latencyMs: LATENCY_MS });
    await worker.ready();

    const t0 = performance.now();
    // The API takes at most 500 accounts per request; a matrix-wide fan-out goes through the same
    // service (one outbox transaction) the way a campaign does.
    const editorActor = await hub.app.get(ActorLoader).forUser(world.users.get('fo.editor')!.id);
    const { view } = await hub.app.get(PublicationsService).create(editorActor, ms, { accountIds: ids });
    const pubId = view.id;
    const accepted = performance.now() - t0;
    const repo = hub.ds.getRepository(PublicationTarget);
    await pollUntil(
      async () =>
        (await repo.count({ where: { publicationId: pubId, state: In(['published', 'failed', 'unconfirmed', 'needs_reauth']) } })) >=
        ids.length,
      { timeoutMs: DEADLINE_MS, intervalMs: 250, what: 'every target settled' },
    );
    const last = performance.now() - t0;
    const states = await repo
      .createQueryBuilder('t')
      .select('t.state', 'state')
      .addSelect('COUNT(*)', 'n')
      .where('t.publicationId = :pubId', { pubId })
      .groupBy('t.state')
      .getRawMany<{ state: string; n: string }>();
    const bare = await bareBull(redis.url, ids.length);
    const rate = ids.length / (last / 1000);
    const bareRate = ids.length / (bare / 1000);
    console.log(
      [
        ``,
        `fan-out of one manuscript to ${ids.length} accounts (${platforms.length} platforms, ${LATENCY_MS} ms per platform call, 1 worker, concurrency ${CONCURRENCY})`,
        `  publication created (outbox)       ${(accepted / 1000).toFixed(2)} s`,
        `  last target published after        ${(last / 1000).toFixed(1)} s`,
        `  pipeline                           ${rate.toFixed(0)} targets/s   (${states.map((s) => `${s.state} ${s.n}`).join(', ')})`,
        `  bare Bull, ${ids.length} no-op jobs        ${bareRate.toFixed(0)} jobs/s    (${(bare / 1000).toFixed(2)} s)`,
        `  ratio bare/pipeline                ${(bareRate / rate).toFixed(1)}×`,
      ].join('\n'),
    );
  } finally {
    await worker.kill('SIGKILL');
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
