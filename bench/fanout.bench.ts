import 'reflect-metadata';
import { publicationProgress } from './support/publication-progress';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import Bull from 'bull';
import { ActorLoader, Role } from '@tongfa/identity';
import { PublicationsService, PublicationTarget } from '@tongfa/publishing';
import { startTestHub } from '../test/support/test-hub';
import { login, World } from '../test/support/world';
import { pollUntil } from '../test/support/poll';
import { startSandboxWorld } from '../test/support/sandbox-accounts';
import { seedSandboxAccounts } from '../test/support/bulk-accounts';
import { startTestRedis } from '../test/support/redis-server';
import { approvedManuscript, spawnWorker, uploadCover, WorkerProcess } from '../test/support/publish-kit';

/**
 * Fan-out: one approved manuscript to 10,000 accounts across the sandbox platforms (30 ms per
 * platform call, no faults), MariaDB + Bull on a Redis of its own, with 1, 2 and 4 worker
 * processes (one fresh publication per run). Printed beside a bare Bull queue running 10,000
 * no-op jobs at the same concurrency on the same Redis, as the floor the pipeline is compared
 * with; per run the workers' CPU time per target and the SQL statements they sent per target.
 *
 * FANOUT_ACCOUNTS, FANOUT_WORKERS (e.g. "2") and FANOUT_CPU_PROF=<dir> (V8 CPU profiles of the
 * workers, for `node --cpu-prof`-style analysis) narrow a run while profiling.
 */
const ACCOUNTS = Number(process.env.FANOUT_ACCOUNTS ?? 10_000);
const WORKER_COUNTS = (process.env.FANOUT_WORKERS ?? '1,2,4').split(',').map(Number);
const LATENCY_MS = 30;
const CONCURRENCY = Number(process.env.TONGFA_PUBLISH_CONCURRENCY ?? 32);
const DEADLINE_MS = 4 * 60_000;
const TICKS_PER_S = 100; // USER_HZ on Linux

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

/** User + system CPU seconds of a process so far (Linux /proc). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

/** The statements a worker has sent so far (it answers SIGUSR2 with `sql-queries N`). */
async function sqlQueries(w: WorkerProcess): Promise<number> {
  const before = (w.output().match(/sql-queries \d+/g) ?? []).length;
  w.proc.kill('SIGUSR2');
  await pollUntil(() => (w.output().match(/sql-queries \d+/g) ?? []).length > before, {
    timeoutMs: 5000,
    intervalMs: 10,
    what: 'sql count',
  });
  const all = w.output().match(/sql-queries (\d+)/g)!;
  return Number(all[all.length - 1]!.split(' ')[1]);
}

async function main(): Promise<void> {
  const redis = await startTestRedis();
  const hub = await startTestHub(
    'mysql',
    { REDIS_URL: redis.url, TONGFA_SANDBOX_RATE_LIMITS: 'off', TONGFA_PUBLISH_CONCURRENCY: String(CONCURRENCY) },
    { consumeJobs: false },
  );
  const sw = await startSandboxWorld(hub);
  const running: WorkerProcess[] = [];
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
    const reviewers = ['fo.r1', 'fo.r2', 'fo.r3'].map((r) => tokens.get(r)!);
    const cover = await uploadCover(hub, editor);
    for (const p of platforms) await sw.sim.setFaults(p, { rate: 0, kinds: [], latencyMs: LATENCY_MS });
    const editorActor = await hub.app.get(ActorLoader).forUser(world.users.get('fo.editor')!.id);
    const repo = hub.ds.getRepository(PublicationTarget);

    const bare = await bareBull(redis.url, ids.length);
    const bareRate = ids.length / (bare / 1000);
    const lines: string[] = [];
    for (const n of WORKER_COUNTS) {
      const ms = await approvedManuscript(
        hub,
        { editor, reviewers },
        { title: `全省政务新媒体矩阵联动发布测试稿（${n}）`, coverMediaId: cover },
      );
      const env: Record<string, string> = { TONGFA_COUNT_QUERIES: '1' };
      const prof = process.env.FANOUT_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.FANOUT_CPU_PROF}`] : [];
      const workers = Array.from({ length: n }, () => spawnWorker(hub, env, prof));
      running.push(...workers);
      await Promise.all(workers.map((w) => w.ready(120_000)));
      const cpu0 = workers.map((w) => cpuSeconds(w.proc.pid!));
      const sql0 = await Promise.all(workers.map(sqlQueries));

      const t0 = performance.now();
      // The API takes at most 500 accounts per request; a matrix-wide fan-out goes through the same
      // service (one outbox transaction) the way a campaign does.
      const { view } = await hub.app.get(PublicationsService).create(editorActor, ms, { accountIds: ids });
      const accepted = performance.now() - t0;
      let progress = '';
      await pollUntil(
        async () => {
          const now = await publicationProgress(repo, view.id);
          progress = now.line;
          return now.settled >= ids.length;
        },
        { timeoutMs: DEADLINE_MS, intervalMs: 250, what: 'every target settled' },
      ).catch((e: Error) => {
        throw new Error(`${e.message} (${n} workers; ${progress}); a worker's log: ${workers[0]!.output().slice(-2000)}`);
      });
      const last = performance.now() - t0;
      const cpu = workers.reduce((s, w, i) => s + cpuSeconds(w.proc.pid!) - cpu0[i]!, 0);
      const sql = (await Promise.all(workers.map(sqlQueries))).reduce((s, q, i) => s + q - sql0[i]!, 0);
      const states = await repo
        .createQueryBuilder('t')
        .select('t.state', 'state')
        .addSelect('COUNT(*)', 'n')
        .where('t.publicationId = :id', { id: view.id })
        .groupBy('t.state')
        .getRawMany<{ state: string; n: string }>();
      await Promise.all(workers.map((w) => w.kill('SIGTERM')));
      const rate = ids.length / (last / 1000);
      lines.push(
        `  ${n} worker${n > 1 ? 's' : ' '}  outbox ${(accepted / 1000).toFixed(2)} s   last target after ${(last / 1000).toFixed(1).padStart(5)} s` +
          `   ${rate.toFixed(0).padStart(4)} targets/s   ratio bare/pipeline ${(bareRate / rate).toFixed(1).padStart(5)}×` +
          `   worker CPU ${((cpu * 1000) / ids.length).toFixed(2)} ms/target   SQL ${(sql / ids.length).toFixed(1)} statements/target` +
          `   (${states.map((s) => `${s.state} ${s.n}`).join(', ')})`,
      );
      console.log(lines[lines.length - 1]);
    }
    console.log(
      [
        ``,
        `fan-out of one manuscript to ${ids.length} accounts (${platforms.length} platforms, ${LATENCY_MS} ms per platform call, concurrency ${CONCURRENCY} per worker)`,
        `  bare Bull, ${ids.length} no-op jobs   ${bareRate.toFixed(0)} jobs/s   (${(bare / 1000).toFixed(2)} s)`,
        ...lines,
      ].join('\n'),
    );
  } finally {
    for (const w of running) await w.kill('SIGKILL');
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
