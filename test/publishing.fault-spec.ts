import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { In } from 'typeorm';
import { ActorLoader, Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { PublicationAttempt, PublicationTarget } from '@tongfa/publishing';
import type { InspectedPost } from '@tongfa/plugin-sdk/testing';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { pollUntil } from './support/poll';
import { startSandboxWorld, SandboxWorld } from './support/sandbox-accounts';
import { seedSandboxAccounts, SeededAccount } from './support/bulk-accounts';
import { startTestRedis, TestRedis } from './support/redis-server';
import { approvedManuscript, spawnWorker, uploadCover, WorkerProcess } from './support/publish-kit';

const TARGETS = 2000;
/** Accounts per platform; the number of publications makes up the rest of the 2,000. */
const PER_PLATFORM = 56;
const WORKERS = 2;
const FAULT_RATE = 0.2;
/**
 * Targets allowed to end `unconfirmed` (a person checks them on the platform). The simulators all
 * let findExisting answer, so the honest expectation is that none does; the bound stays at zero
 * unless a platform really cannot tell.
 */
const UNCONFIRMED_BOUND = 0;
const SUITE_DEADLINE_MS = 9 * 60_000;

type Row = Pick<PublicationTarget, 'id' | 'platform' | 'state' | 'attempts' | 'accountId'>;

/**
 * Exactly once under faults, in the distributed shape: 2,000 targets on MariaDB + Bull, worker
 * processes SIGKILLed mid-run, the queue's Redis restarted empty, and every simulator failing 20%
 * of calls (rate limits, 5xx, slow answers, responses lost after the platform committed). Every
 * target must end published and every platform must hold exactly one live post per target.
 */
describe('publishing 2,000 targets under faults, exactly once (MariaDB + Bull)', { skip: !testDrivers().includes('mysql') }, () => {
  let redis: TestRedis;
  let hub: TestHub;
  let sw: SandboxWorld;
  let world: World;
  let accounts: SeededAccount[] = [];
  const workers: WorkerProcess[] = [];
  const pubIds: string[] = [];
  let platforms: string[] = [];
  const started = Date.now();

  before(async () => {
    redis = await startTestRedis();
    hub = await startTestHub(
      'mysql',
      { REDIS_URL: redis.url, TONGFA_PUBLISH_LEASE_SECONDS: '5', TONGFA_SANDBOX_RATE_LIMITS: 'off' },
      { consumeJobs: false },
    );
    world = await World.build(hub.app);
    const tokens = new Map<string, string>();
    for (const [u, role, level] of [
      ['ft.editor', Role.Editor, 0],
      ['ft.admin', Role.UnitAdmin, 0],
      ['ft.r1', Role.Reviewer, 1],
      ['ft.r2', Role.Reviewer, 2],
      ['ft.r3', Role.Reviewer, 3],
    ] as const) {
      await world.user(u, role, 'countyA1', { level: level || undefined });
      tokens.set(u, await login(hub.http, u));
    }
    sw = await startSandboxWorld(hub);
    const admin = await hub.app.get(ActorLoader).forUser(world.users.get('ft.admin')!.id);
    const skipped: string[] = [];
    platforms = sw.platforms;
    accounts = await seedSandboxAccounts(hub.app, sw.sandbox, {
      unitId: world.units.countyA1.id,
      unitPath: world.units.countyA1.path,
      createdBy: admin.userId,
      perPlatform: PER_PLATFORM,
      platforms,
      namePrefix: '甲市一县发布',
      onSkip: (p, reason) => skipped.push(`${p}: ${reason}`),
    });
    if (skipped.length) console.log(`  platforms left out (their simulator does not answer in this sandbox): ${skipped.join('; ')}`);
    platforms = [...new Set(accounts.map((a) => a.platform))];
    const editor = tokens.get('ft.editor')!;
    const reviewers = ['ft.r1', 'ft.r2', 'ft.r3'].map((r) => tokens.get(r)!);
    const cover = await uploadCover(hub, editor);
    const manuscripts: string[] = [];
    const publications = Math.ceil(TARGETS / accounts.length);
    for (let i = 0; i < publications; i++) {
      manuscripts.push(
        await approvedManuscript(hub, { editor, reviewers }, { title: `甲市一县政策解读第${i + 1}期`, coverMediaId: cover }),
      );
    }
    for (const p of platforms) {
      await sw.sim.setFaults(p, {
        rate: FAULT_RATE,
        kinds: ['rate_limit', 'server_error', 'slow', 'lost_response'],
        seed: 20260,
        // Longer than the 5 s lease: a live worker must keep its claim through a slow call.
        slowMs: 6000,
        retryAfterSec: 1,
      });
    }
    for (let i = 0; i < WORKERS; i++) workers.push(spawnWorker(hub));
    await Promise.all(workers.map((w) => w.ready()));
    // The hub only enqueues (consumeJobs: false): every publish runs in a worker process.
    for (const id of manuscripts) {
      const res = await hub.http
        .post(`/api/v1/manuscripts/${id}/publications`)
        .set({ Authorization: `Bearer ${editor}` })
        .set('Idempotency-Key', `fault-${id}`)
        .send({ accountIds: accounts.map((a) => a.id) });
      if (res.status !== 201) {
        const reauth = await hub.ds.getRepository(PublicationTarget).find({ where: { state: 'needs_reauth' }, take: 3 });
        throw new Error(
          `publication: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}; ${JSON.stringify(reauth.map((r) => [r.platform, r.lastError]))}`,
        );
      }
      pubIds.push(res.body.id as string);
    }
  });

  after(async () => {
    for (const w of workers) await w.kill('SIGKILL');
    await sw?.close();
    await hub?.close();
    await redis?.stop();
  });

  const rows = (): Promise<Row[]> =>
    hub.ds.getRepository(PublicationTarget).find({
      where: { publicationId: In(pubIds) },
      select: { id: true, platform: true, state: true, attempts: true, accountId: true },
    });
  const settledCount = async (): Promise<number> =>
    hub.ds
      .getRepository(PublicationTarget)
      .count({ where: { publicationId: In(pubIds), state: In(['published', 'unconfirmed', 'failed', 'needs_reauth']) } });
  const remaining = () => Math.max(1000, SUITE_DEADLINE_MS - (Date.now() - started));
  const untilSettled = (n: number, what: string) =>
    pollUntil(async () => (await settledCount()) >= n, { timeoutMs: remaining(), intervalMs: 200, what });

  it(`targets ${TARGETS}+ accounts × publications across every sandbox platform`, async () => {
    const all = await rows();
    assert.ok(all.length >= TARGETS, `${all.length} targets`);
    assert.ok(platforms.length >= 2, `platforms: ${platforms.join(', ')}`);
  });

  it('survives three SIGKILLed workers and a Redis restarted empty, and settles every target', async () => {
    const total = (await rows()).length;
    const plan: { at: number; what: 'kill' | 'redis' }[] = [
      { at: 0.15, what: 'kill' },
      { at: 0.4, what: 'kill' },
      { at: 0.55, what: 'redis' },
      { at: 0.7, what: 'kill' },
    ];
    const events: { at: number; what: string }[] = [];
    for (const step of plan) {
      await untilSettled(Math.floor(total * step.at), `${Math.round(step.at * 100)}% settled before the next ${step.what}`);
      const inFlight = await hub.ds.getRepository(PublicationTarget).count({ where: { publicationId: In(pubIds), state: 'publishing' } });
      if (step.what === 'redis') {
        await redis.kill();
        await redis.start();
        events.push({ at: await settledCount(), what: `redis restarted empty with ${inFlight} targets publishing` });
        continue;
      }
      const victim = workers.shift()!;
      await victim.kill('SIGKILL');
      events.push({ at: await settledCount(), what: `worker SIGKILLed with ${inFlight} targets publishing` });
      const fresh = spawnWorker(hub);
      workers.push(fresh);
      await fresh.ready();
    }
    await untilSettled(total, 'every target settled').catch(async (e: Error) => {
      const left = (await rows()).filter((r) => !['published', 'unconfirmed', 'failed', 'needs_reauth'].includes(r.state));
      throw new Error(
        `${e.message}; ${left.length} left, e.g. ${JSON.stringify(left.slice(0, 5))}; worker log: ${workers[0]?.output().slice(-3000)}`,
      );
    });
    for (const e of events) console.log(`  · ${e.what} (${e.at} settled)`);
    assert.equal(events.filter((e) => e.what.includes('SIGKILL')).length, 3);
    assert.equal(events.filter((e) => e.what.startsWith('redis')).length, 1);
  });

  it('ends with one live post per target on every platform: no duplicates, none lost', async () => {
    // Stop the faults so the inspection reads the platforms' final state.
    const injected = new Map<string, number>();
    for (const p of platforms) {
      injected.set(p, (await sw.sim.faults(p)).injected);
      await sw.sim.setFaults(p, { rate: 0, kinds: [] });
    }
    const all = await rows();
    const attempts = await hub.ds
      .getRepository(PublicationAttempt)
      .createQueryBuilder('a')
      .innerJoin(PublicationTarget, 't', 't.id = a.targetId')
      .select('t.platform', 'platform')
      .addSelect('COUNT(*)', 'n')
      .where('t.publicationId IN (:...ids)', { ids: pubIds })
      .groupBy('t.platform')
      .getRawMany<{ platform: string; n: string }>();
    const table: Record<string, Record<string, number>> = {};
    const problems: string[] = [];
    for (const platform of platforms) {
      const mine = all.filter((r) => r.platform === platform);
      // Markers are the plugin's own (a target id, a hash of it, an uploaded media id): counted per
      // simulated account, where each account must hold exactly one live post per target of it.
      const posts: InspectedPost[] = (await sw.sim.posts(platform)).filter((p) => !p.deleted);
      let duplicates = 0;
      let lost = 0;
      let unmarked = 0;
      for (const account of accounts.filter((a) => a.platform === platform)) {
        const expected = mine.filter((t) => t.accountId === account.id).length;
        const byMarker = new Map<string, number>();
        for (const p of posts.filter((x) => x.account === account.simAccountId)) {
          if (!p.idempotencyMarker) unmarked++;
          const marker = p.idempotencyMarker ?? `post:${p.id}`;
          byMarker.set(marker, (byMarker.get(marker) ?? 0) + 1);
        }
        duplicates += [...byMarker.values()].filter((n) => n > 1).length + Math.max(0, byMarker.size - expected);
        lost += Math.max(0, expected - byMarker.size);
      }
      const count = (s: string) => mine.filter((r) => r.state === s).length;
      table[platform] = {
        targets: mine.length,
        published: count('published'),
        unconfirmed: count('unconfirmed'),
        failed: count('failed') + count('needs_reauth'),
        duplicates,
        lost,
        unmarked,
        attempts: Number(attempts.find((a) => a.platform === platform)?.n ?? 0),
        faults: injected.get(platform) ?? 0,
      };
      if (duplicates) problems.push(`${platform}: ${duplicates} targets posted more than once`);
      if (lost) problems.push(`${platform}: ${lost} targets with no post`);
      if (unmarked) problems.push(`${platform}: ${unmarked} posts without an idempotency marker`);
    }
    console.log(`\n  publishing fault suite: ${all.length} targets, ${FAULT_RATE * 100}% faults, 3 SIGKILLs, Redis restarted empty`);
    console.table(table);
    const unconfirmed = all.filter((r) => r.state === 'unconfirmed');
    const failed = all.filter((r) => !['published', 'unconfirmed'].includes(r.state));
    if (failed.length) {
      const detail = await hub.ds.getRepository(PublicationTarget).find({ where: { id: In(failed.slice(0, 5).map((f) => f.id)) } });
      problems.push(
        `${failed.length} not published: ${JSON.stringify(detail.map((d) => [d.platform, d.state, d.lastErrorKind, d.lastError]))}`,
      );
    }
    assert.deepEqual(problems, []);
    assert.ok(unconfirmed.length <= UNCONFIRMED_BOUND, `${unconfirmed.length} unconfirmed (bound ${UNCONFIRMED_BOUND})`);
  });
});
