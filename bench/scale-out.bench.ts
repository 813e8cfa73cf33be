import 'reflect-metadata';
import { publicationProgress } from './support/publication-progress';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { newId } from '@tongfa/core';
import { ActorLoader, Role } from '@tongfa/identity';
import { PluginHost } from '@tongfa/plugins';
import { PublicationsService, PublicationTarget } from '@tongfa/publishing';
import { startTestHub } from '../test/support/test-hub';
import { login, World } from '../test/support/world';
import { pollUntil } from '../test/support/poll';
import { startSandboxWorld } from '../test/support/sandbox-accounts';
import { seedSandboxAccounts } from '../test/support/bulk-accounts';
import { startTestRedis } from '../test/support/redis-server';
import { spawnHub, type HubProcess } from '../test/support/hub-process';
import { approvedManuscript, spawnWorker, uploadCover, type WorkerProcess } from '../test/support/publish-kit';
import { insertMany, percentile } from './support/bench-db';
import { insertUnits, unitTree } from './support/bench-units';

/**
 * Scale-out: two hub processes and two worker processes (the built apps, dist/apps/hub/src/main.js
 * and dist/apps/worker/src/main.js) on one MariaDB database and one Redis. A province supervisor
 * works in the console — the workbench's list, /publications, /manuscripts, /matrix, alternately
 * through both hubs, from a process of its own with a few requests in flight — first on the idle
 * system (the baseline), then while one manuscript fans out to 10,000 sandbox accounts (30 ms per
 * platform call) and a city issues a 矩阵联动 campaign to 2,000 units through the API. Printed: the
 * console's p50/p99 idle and under load (and per path), the fan-out's completion time and targets/s,
 * the campaign's creation time.
 *
 * The bench process itself only seeds (through an in-process hub that serves no console request),
 * hosts the platform simulators, creates the 10,000-target publication through the same service a
 * campaign relay uses (the API takes 500 accounts per request) and watches the database.
 * SCALE_ACCOUNTS narrows the fan-out while trying the bench.
 */
const ACCOUNTS = Number(process.env.SCALE_ACCOUNTS ?? 10_000);
const CAMPAIGN_UNITS = 2000;
const PLATFORMS = ['weibo', 'wechat', 'douyin', 'toutiao', 'nanfang', 'own-app'];
const LATENCY_MS = 30;
const CONCURRENCY = 32;
const CONSOLE_IN_FLIGHT = 4;
const IDLE_MS = 15_000;
const FANOUT_DEADLINE_MS = 200_000;

interface ConsoleStats {
  n: number;
  errors: number;
  firstError?: string;
  all: number[];
  byPath: Record<string, number[]>;
}

/** The console user's side, in a child process: requests in flight until told to stop. */
function consoleChild(): void {
  const urls = process.env.SCALE_HUBS!.split(',');
  const token = process.env.SCALE_TOKEN!;
  const paths = JSON.parse(process.env.SCALE_PATHS!) as string[];
  let stop = false;
  process.on('message', async (m: { cmd: 'run' | 'stop'; ms?: number }) => {
    if (m.cmd === 'stop') {
      stop = true;
      return;
    }
    stop = false;
    const stats: ConsoleStats = { n: 0, errors: 0, all: [], byPath: {} };
    const until = m.ms ? performance.now() + m.ms : Infinity;
    let next = 0;
    const user = async () => {
      while (!stop && performance.now() < until) {
        const i = next++;
        const path = paths[i % paths.length]!;
        // Alternate the hubs per round of paths, so each path goes through both.
        const url = urls[Math.floor(i / paths.length) % urls.length]!;
        const t0 = performance.now();
        try {
          const res = await fetch(`${url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
          const body = await res.text();
          const ms = performance.now() - t0;
          if (res.status !== 200) {
            stats.errors++;
            stats.firstError ??= `${path} → ${res.status} ${body.slice(0, 200)}`;
            continue;
          }
          stats.n++;
          stats.all.push(ms);
          (stats.byPath[path] ??= []).push(ms);
        } catch (e) {
          stats.errors++;
          stats.firstError ??= `${path} → ${(e as Error).message}`;
        }
      }
    };
    await Promise.all(Array.from({ length: CONSOLE_IN_FLIGHT }, user));
    process.send!(stats);
  });
  process.send!({ ready: true });
}

function consoleRun(child: ChildProcess, ms?: number): { done: Promise<ConsoleStats>; stop: () => void } {
  const done = new Promise<ConsoleStats>((ok) => {
    const on = (m: ConsoleStats | { ready: true }) => {
      if ('ready' in m) return;
      child.off('message', on);
      ok(m);
    };
    child.on('message', on);
  });
  child.send({ cmd: 'run', ms });
  return { done, stop: () => child.send({ cmd: 'stop' }) };
}

function summary(s: ConsoleStats): string {
  const all = [...s.all].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1);
  return `${s.n} calls, ${s.errors} errors, p50 ${f(percentile(all, 50))} ms, p99 ${f(percentile(all, 99))} ms`;
}

async function main(): Promise<void> {
  const started = performance.now();
  const redis = await startTestRedis();
  const queuePrefix = `so${randomBytes(4).toString('hex')}`;
  const hub = await startTestHub(
    'mysql',
    {
      REDIS_URL: redis.url,
      TONGFA_QUEUE_PREFIX: queuePrefix,
      TONGFA_SANDBOX_RATE_LIMITS: 'off',
      TONGFA_PUBLISH_CONCURRENCY: String(CONCURRENCY),
    },
    { consumeJobs: false },
  );
  const sw = await startSandboxWorld(hub);
  const hubs: HubProcess[] = [];
  const workers: WorkerProcess[] = [];
  let consoleProc: ChildProcess | undefined;
  // Children, simulators, the database and Redis go whether the bench ends, fails or is interrupted.
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      consoleProc?.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.kill('SIGKILL')));
      await Promise.all(hubs.map((h) => h.stop()));
      await sw.close();
      await hub.close();
      await redis.stop();
    })());
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void cleanup().finally(() => process.exit(130)));
  try {
    const world = await World.build(hub.app);
    const tokens = new Map<string, string>();
    for (const [u, role, unit, level] of [
      ['so.sup', Role.Supervisor, 'province', 0],
      ['so.editor', Role.Editor, 'countyA1', 0],
      ['so.admin', Role.UnitAdmin, 'countyA1', 0],
      ['so.r1', Role.Reviewer, 'countyA1', 1],
      ['so.r2', Role.Reviewer, 'countyA1', 2],
      ['so.r3', Role.Reviewer, 'countyA1', 3],
      ['so.csup', Role.Supervisor, 'cityA', 0],
      ['so.ceditor', Role.Editor, 'cityA', 0],
      ['so.cr1', Role.Reviewer, 'cityA', 1],
      ['so.cr2', Role.Reviewer, 'cityA', 2],
      ['so.cr3', Role.Reviewer, 'cityA', 3],
    ] as const) {
      await world.user(u, role, unit, { level: level || undefined });
      tokens.set(u, await login(hub.http, u));
    }

    // The fan-out's accounts: connected sandbox accounts of one county.
    const admin = await hub.app.get(ActorLoader).forUser(world.users.get('so.admin')!.id);
    const seed0 = performance.now();
    const seeded = await seedSandboxAccounts(hub.app, sw.sandbox, {
      unitId: world.units.countyA1.id,
      unitPath: world.units.countyA1.path,
      createdBy: admin.userId,
      perPlatform: Math.ceil(ACCOUNTS / sw.platforms.length),
      platforms: sw.platforms,
      namePrefix: '扩容',
    });
    const ids = seeded.slice(0, ACCOUNTS).map((a) => a.id);
    // The campaign's units: 200 counties under the city, the rest under them, each with an account on
    // every platform (not connected: the campaign's assignments are what is measured, not their posts).
    const tree = unitTree();
    const c = world.units.cityA;
    const city = { id: c.id, path: c.path, depth: c.depth, level: 'city', parentId: world.units.province.id };
    const counties = Array.from({ length: 200 }, () => tree.add('county', city));
    for (let i = 200; i < CAMPAIGN_UNITS; i++) tree.add(i % 2 ? 'township' : 'department', counties[i % 200]!);
    await insertUnits(hub.ds, tree.units, 60_000_000);
    await insertMany(
      hub.ds,
      'account',
      ['id', 'unitId', 'unitPath', 'platform', 'name', 'status', 'connection', 'createdBy'],
      tree.units.flatMap((u, i) => PLATFORMS.map((p) => [newId(), u.id, u.path, p, `扩容联动${i}${p}`, 'active', 'connected', 'bench'])),
    );
    await hub.ds.query('ANALYZE TABLE `unit`, `account`');
    console.log(
      `seeded ${ids.length} sandbox accounts and ${tree.units.length} campaign units × ${PLATFORMS.length} accounts in ${((performance.now() - seed0) / 1000).toFixed(1)} s`,
    );

    const editor = tokens.get('so.editor')!;
    const cover = await uploadCover(hub, editor);
    const fanoutManuscript = await approvedManuscript(
      hub,
      { editor, reviewers: ['so.r1', 'so.r2', 'so.r3'].map((u) => tokens.get(u)!) },
      { title: '全省政务新媒体矩阵扩容压测稿件', coverMediaId: cover },
    );
    const campaignSource = await approvedManuscript(
      hub,
      { editor: tokens.get('so.ceditor')!, reviewers: ['so.cr1', 'so.cr2', 'so.cr3'].map((u) => tokens.get(u)!) },
      { title: '扩容联动源稿件' },
    );
    for (const p of sw.platforms) await sw.sim.setFaults(p, { rate: 0, kinds: [], latencyMs: LATENCY_MS });

    // Two hubs and two workers, as `npm start` / `npm run start:worker` start them, on the same database and Redis.
    const e = hub.config.env;
    const sandboxUrl = hub.app.get(PluginHost).allowedSandboxOrigins[0]!;
    const shared = {
      NODE_ENV: 'test',
      DATABASE_URL: e.DATABASE_URL,
      REDIS_URL: redis.url,
      TONGFA_QUEUE_PREFIX: queuePrefix,
      TONGFA_SECRET_KEY: e.TONGFA_SECRET_KEY!,
      TONGFA_MEDIA_DIR: resolve(e.TONGFA_MEDIA_DIR),
      TONGFA_SANDBOX_URL: sandboxUrl,
      TONGFA_SANDBOX_RATE_LIMITS: 'off',
      TONGFA_DEMO: '0',
      TONGFA_LOGIN_RATE_LIMIT: '100000',
      TONGFA_LOG_LEVEL: 'warn',
    };
    hubs.push(spawnHub(shared), spawnHub(shared));
    workers.push(spawnWorker(hub), spawnWorker(hub));
    const urls = await Promise.all(
      hubs.map((h) =>
        h.started(180_000).catch((err: Error) => {
          throw new Error(`${err.message}; its output: ${h.stdout().slice(-3000)}`);
        }),
      ),
    );
    await Promise.all(workers.map((w) => w.ready(180_000)));
    console.log(`hubs at ${urls.join(', ')}; 2 workers ready (publish concurrency ${CONCURRENCY} each)`);

    // The console: a province supervisor's workbench list, lists and the matrix grid.
    const paths = [
      '/publications?page=1&pageSize=5', // the workbench's list for a supervisor
      '/publications?page=1&pageSize=20',
      '/manuscripts?page=1&pageSize=20',
      '/matrix',
    ];
    consoleProc = fork(__filename, ['console'], {
      env: { ...process.env, SCALE_HUBS: urls.join(','), SCALE_TOKEN: tokens.get('so.sup')!, SCALE_PATHS: JSON.stringify(paths) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((ok) => consoleProc!.once('message', () => ok()));

    const idle = await consoleRun(consoleProc, IDLE_MS).done;
    const hubLog = (err?: string) => {
      // What the hubs logged about a failed call (the request id is in the answer and in their log).
      const id = err && /"requestId":"([^"]+)"/.exec(err)?.[1];
      if (!id) return '';
      const lines = hubs.flatMap((h) => (h.stdout() + h.stderr()).split('\n')).filter((l) => l.includes(id));
      return lines.length ? `\n  hub log: ${lines.join('\n  ').slice(0, 3000)}` : '';
    };
    if (idle.errors) console.log(`console calls failed on the idle system: ${idle.firstError}${hubLog(idle.firstError)}`);
    console.log(`idle console (${IDLE_MS / 1000} s, ${CONSOLE_IN_FLIGHT} in flight, both hubs): ${summary(idle)}`);

    // Load: the fan-out and the campaign start together while the console keeps working.
    const busy = consoleRun(consoleProc);
    const editorActor = await hub.app.get(ActorLoader).forUser(world.users.get('so.editor')!.id);
    const repo = hub.ds.getRepository(PublicationTarget);
    const t0 = performance.now();
    const { view } = await hub.app.get(PublicationsService).create(editorActor, fanoutManuscript, { accountIds: ids });
    const outbox = performance.now() - t0;
    const campaign = (async () => {
      const c0 = performance.now();
      const res = await fetch(`${urls[1]}/api/v1/campaigns`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.get('so.csup')}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          title: '扩容压测联动',
          source: { manuscriptId: campaignSource },
          targets: { rootUnitId: world.units.cityA.id },
          platforms: PLATFORMS,
          deadline: new Date(Date.now() + 24 * 3600_000).toISOString(),
        }),
      });
      const body = (await res.json()) as { counts?: { total: number } };
      if (res.status !== 201) throw new Error(`campaign: ${res.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - c0, total: body.counts!.total };
    })();
    let progress = '';
    let completed = true;
    await pollUntil(
      async () => {
        const now = await publicationProgress(repo, view.id);
        progress = now.line;
        return now.settled >= ids.length;
      },
      { timeoutMs: FANOUT_DEADLINE_MS, intervalMs: 250, what: 'every target settled' },
    ).catch(() => (completed = false));
    const last = performance.now() - t0;
    busy.stop();
    const load = await busy.done;
    const created = await campaign;

    const f = (n: number) => n.toFixed(1);
    const p99 = (xs: number[]) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        99,
      );
    const idleP99 = p99(idle.all);
    const loadP99 = p99(load.all);
    console.log(
      [
        ``,
        `scale-out: 2 hub + 2 worker processes, one MariaDB database, one Redis; ${ids.length} sandbox accounts (${LATENCY_MS} ms per platform call), campaign over ${tree.units.length} units`,
        `console (province supervisor, ${CONSOLE_IN_FLIGHT} requests in flight, both hubs):`,
        `  idle (baseline):  ${summary(idle)}${idle.firstError ? ` — first error: ${idle.firstError}` : ''}`,
        `  under load:       ${summary(load)}${load.firstError ? ` — first error: ${load.firstError}${hubLog(load.firstError)}` : ''}`,
        `  p99 ratio load/idle: ${(loadP99 / idleP99).toFixed(1)}×`,
        ...Object.keys(idle.byPath).map(
          (p) =>
            `  ${p.padEnd(34)} p99 idle ${f(p99(idle.byPath[p]!)).padStart(7)} ms   under load ${f(p99(load.byPath[p] ?? [NaN])).padStart(7)} ms`,
        ),
        `fan-out: ${ids.length} targets, outbox ${(outbox / 1000).toFixed(2)} s, ${completed ? `last target after ${(last / 1000).toFixed(1)} s, ${(ids.length / (last / 1000)).toFixed(0)} targets/s` : `NOT complete after ${(last / 1000).toFixed(0)} s`} (${progress})`,
        `campaign: POST /campaigns to ${tree.units.length}+ units → ${created.total} assignments in ${f(created.ms)} ms, during the fan-out`,
        `bench wall time ${((performance.now() - started) / 1000).toFixed(0)} s`,
      ].join('\n'),
    );
  } finally {
    await cleanup();
  }
}

if (process.argv[2] === 'console') consoleChild();
else
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
