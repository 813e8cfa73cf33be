import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { newId } from '@tongfa/core';
import { makeCreditCode, Role } from '@tongfa/identity';
import { PluginRegistry } from '@tongfa/plugins';
import { CampaignsService, DetectionService, minGapMs, nextPollAt } from '@tongfa/campaigns';
import { ActorLoader } from '@tongfa/identity';
import { startTestHub } from '../test/support/test-hub';
import { login, World } from '../test/support/world';
import { approvedManuscript } from '../test/support/publish-kit';
import { insertMany, percentile } from './support/bench-db';

/**
 * 矩阵联动 at province scale on MariaDB: a city issues a campaign to 2,000 units × 6 platforms
 * (about 12,000 assignments). Printed: creation time through POST /campaigns beside a bare
 * multi-row INSERT of the same rows (the floor); dashboard p50/p99 with 10% done beside a bare
 * COUNT of the campaign's rows; detection polling per simulated hour and per account-day, from the
 * schedule the sweep follows, beside each platform's declared list quota; and one real sweep pass.
 */
const UNITS = 2000;
const PLATFORMS = ['weibo', 'wechat', 'douyin', 'toutiao', 'nanfang', 'own-app'];
const DASHBOARD_RUNS = 300;
const MIN = 60_000;
const HOUR = 60 * MIN;

async function main(): Promise<void> {
  const hub = await startTestHub('mysql', { TONGFA_SANDBOX_RATE_LIMITS: 'off' }, { consumeJobs: false });
  try {
    const world = await World.build(hub.app);
    const t = new Map<string, string>();
    for (const [u, role, level] of [
      ['cb.sup', Role.Supervisor, 0],
      ['cb.editor', Role.Editor, 0],
      ['cb.r1', Role.Reviewer, 1],
      ['cb.r2', Role.Reviewer, 2],
      ['cb.r3', Role.Reviewer, 3],
    ] as const) {
      await world.user(u, role, 'cityA', { level: level || undefined });
      t.set(u, await login(hub.http, u));
    }
    const city = world.units.cityA;
    // 200 counties under the city, the rest townships and departments under them.
    const units: { id: string; path: string; level: string; parentId: string; depth: number }[] = [];
    for (let i = 0; i < UNITS; i++) {
      const parent = i < 200 ? { id: city.id, path: city.path, depth: city.depth } : units[i % 200]!;
      const id = newId();
      units.push({
        id,
        path: `${parent.path}${id}/`,
        level: i < 200 ? 'county' : i % 2 ? 'township' : 'department',
        parentId: parent.id,
        depth: parent.depth + 1,
      });
    }
    await insertMany(
      hub.ds,
      'unit',
      ['id', 'name', 'level', 'parentId', 'path', 'depth', 'creditCode', 'regionCode'],
      units.map((u, i) => [
        u.id,
        `联动基准单位${i}`,
        u.level,
        u.parentId,
        u.path,
        u.depth,
        makeCreditCode('980100', 40_000_000 + i),
        '980100',
      ]),
    );
    // Every unit runs an account on five or six platforms: one in ten lacks one (the report's gap).
    const accounts: unknown[][] = [];
    units.forEach((u, i) =>
      PLATFORMS.forEach((p, k) => {
        if (i % 10 === 0 && k === i % PLATFORMS.length) return;
        accounts.push([newId(), u.id, u.path, p, `联动基准${i}${p}`, 'active', 'connected', 'bench']);
      }),
    );
    await insertMany(hub.ds, 'account', ['id', 'unitId', 'unitPath', 'platform', 'name', 'status', 'connection', 'createdBy'], accounts);
    await hub.ds.query('ANALYZE TABLE `unit`, `account`');
    const source = await approvedManuscript(
      hub,
      { editor: t.get('cb.editor')!, reviewers: ['cb.r1', 'cb.r2', 'cb.r3'].map((u) => t.get(u)!) },
      { title: '基准联动稿件' },
    );

    const create = async (i: number) => {
      const t0 = performance.now();
      const res = await hub.http
        .post('/api/v1/campaigns')
        .set({ Authorization: `Bearer ${t.get('cb.sup')}` })
        .send({
          title: `基准联动 ${i}`,
          source: { manuscriptId: source },
          targets: { rootUnitId: city.id },
          platforms: PLATFORMS,
          deadline: new Date(hub.clock.now().getTime() + 24 * HOUR).toISOString(),
        });
      const ms = performance.now() - t0;
      if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
      return { ms, id: res.body.id as string, total: res.body.counts.total as number, na: res.body.counts.not_applicable as number };
    };
    const runs = [await create(1), await create(2), await create(3)];
    const created = runs[0]!;
    const creation = runs.map((r) => r.ms).sort((a, b) => a - b);

    // The floor: the same number of rows, one multi-row INSERT per 1,000, into the same table.
    const cols = ['id', 'campaignId', 'unitId', 'unitPath', 'platform', 'accountId', 'state', 'deadline', 'reminders'];
    const bareCampaign = newId();
    const bare = units.flatMap((u) => PLATFORMS.map((p) => [newId(), bareCampaign, u.id, u.path, p, null, 'pending', new Date(), 0]));
    const b0 = performance.now();
    await insertMany(hub.ds, 'campaign_assignment', cols, bare);
    const bareMs = performance.now() - b0;
    await hub.ds.query('DELETE FROM `campaign_assignment` WHERE `campaignId` = ?', [bareCampaign]);

    // 10% done, spread over the first hours.
    const now = hub.clock.now().getTime();
    await hub.ds.query(
      "UPDATE `campaign_assignment` SET `state` = 'done', `completion` = 'detected', `completedAt` = DATE_ADD(?, INTERVAL FLOOR(RAND() * 300) MINUTE) WHERE `campaignId` = ? AND `state` = 'pending' AND RAND() < 0.105",
      [new Date(now), created.id],
    );
    await hub.ds.query('ANALYZE TABLE `campaign_assignment`');
    const dash: number[] = [];
    for (let i = 0; i < DASHBOARD_RUNS; i++) {
      const t0 = performance.now();
      const res = await hub.http.get(`/api/v1/campaigns/${created.id}/dashboard`).set({ Authorization: `Bearer ${t.get('cb.sup')}` });
      dash.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`dashboard: ${res.status}`);
      if (i === 0 && res.body.units.length < 200) throw new Error(`dashboard units: ${res.body.units.length}`);
    }
    dash.sort((a, b) => a - b);
    const service = hub.app.get(CampaignsService);
    const sup = await hub.app.get(ActorLoader).forUser(world.users.get('cb.sup')!.id);
    const alone: number[] = [];
    for (let i = 0; i < DASHBOARD_RUNS; i++) {
      const t0 = performance.now();
      await service.dashboard(sup, created.id);
      alone.push(performance.now() - t0);
    }
    alone.sort((a, b) => a - b);
    // How MariaDB runs the roll-up to the issuer's children (the dashboard's biggest read).
    const explain = (await hub.ds.query(
      'EXPLAIN SELECT SUBSTR(`unitPath`, 1, ?) AS child, `state`, COUNT(*), MAX(LENGTH(`unitPath`)) FROM `campaign_assignment` WHERE `campaignId` = ? GROUP BY child, `state`',
      [city.path.length + 37, created.id],
    )) as { type: string; key: string; rows: number; Extra: string }[];
    const count: number[] = [];
    for (let i = 0; i < DASHBOARD_RUNS; i++) {
      const t0 = performance.now();
      await hub.ds.query('SELECT COUNT(*) AS n FROM `campaign_assignment` WHERE `campaignId` = ?', [created.id]);
      count.push(performance.now() - t0);
    }
    count.sort((a, b) => a - b);
    const [done] = (await hub.ds.query("SELECT COUNT(*) AS n FROM `campaign_assignment` WHERE `campaignId` = ? AND `state` = 'done'", [
      created.id,
    ])) as { n: number }[];

    // Polling: the schedule the sweep follows, per account with an open assignment, over 48 simulated hours.
    const registry = hub.app.get(PluginRegistry);
    const open = (await hub.ds.query(
      "SELECT `accountId`, `platform` FROM `campaign_assignment` WHERE `campaignId` = ? AND `state` = 'pending' AND `accountId` IS NOT NULL",
      [created.id],
    )) as { accountId: string; platform: string }[];
    const windows = [{ startAt: now, deadline: now + 24 * HOUR }];
    const perPlatform = new Map<string, { accounts: number; perHour: number[]; quota: number }>();
    for (const p of PLATFORMS) {
      const quota = registry.get(p)!.manifest.postListing!.dailyCallsPerAccount;
      // Every account of a platform follows the same schedule (same window): walk it once, scale by the count.
      const perHour = Array.from({ length: 48 }, () => 0);
      let last: number | null = null;
      let next = nextPollAt(windows, null, now, quota);
      while (next !== null && next < now + 48 * HOUR) {
        perHour[Math.floor((next - now) / HOUR)]!++;
        last = next;
        next = nextPollAt(windows, last, next, quota);
      }
      perPlatform.set(p, { accounts: open.filter((o) => o.platform === p).length, perHour, quota });
    }
    // One real pass of the sweep at T+31 min: the database hands it the due accounts, 200 at a time.
    hub.clock.advance(31 * MIN);
    const detection = hub.app.get(DetectionService);
    const s0 = performance.now();
    const outcomes = await detection.handleDetectionSweep();
    const sweepMs = performance.now() - s0;

    const f = (n: number) => n.toFixed(1);
    process.stdout.write(
      [
        `campaign bench (MariaDB): ${UNITS} units × ${PLATFORMS.length} platforms = ${created.total} assignments (${created.na} without an account)`,
        `creation (POST /campaigns, one transaction): best ${f(creation[0]!)} ms, median ${f(creation[1]!)} ms, worst ${f(creation[2]!)} ms — target < 2000 ms`,
        `  baseline bare multi-row INSERT of ${bare.length} rows: ${f(bareMs)} ms → ratio ${(creation[1]! / bareMs).toFixed(2)}×`,
        `dashboard (GET /campaigns/:id/dashboard, ${done!.n} done = ${((Number(done!.n) / created.total) * 100).toFixed(1)}%, ${DASHBOARD_RUNS} runs): p50 ${f(percentile(dash, 50))} ms, p99 ${f(percentile(dash, 99))} ms — target p99 < 200 ms`,
        `  CampaignsService.dashboard alone (no HTTP, no sign-in check): p50 ${f(percentile(alone, 50))} ms, p99 ${f(percentile(alone, 99))} ms`,
        `  EXPLAIN roll-up: type=${explain[0]!.type} key=${explain[0]!.key} rows≈${explain[0]!.rows} ${explain[0]!.Extra}`,
        `  baseline SELECT COUNT(*) of the campaign: p50 ${f(percentile(count, 50))} ms, p99 ${f(percentile(count, 99))} ms → p99 ratio ${(percentile(dash, 99) / percentile(count, 99)).toFixed(1)}×`,
        `detection polling (24 h campaign, accounts with open assignments after 10% done; schedule T+30m, T+2h, every 4 h, D−1h, D, then every 6 h; gap ≥ 1/4 of the daily list quota):`,
        ...[...perPlatform].map(([p, v]) => {
          const day1 = v.perHour.slice(0, 24).reduce((a, b) => a + b, 0);
          const peak = Math.max(...v.perHour);
          return `  ${p.padEnd(8)} ${String(v.accounts).padStart(5)} accounts: ${day1} calls/account in the first 24 h (quota ${v.quota}/day, ${((day1 / v.quota) * 100).toFixed(0)}%), min gap ${f(minGapMs(v.quota) / MIN)} min; peak ${peak * v.accounts} calls in one simulated hour, mean ${f((day1 * v.accounts) / 24)} calls/hour`;
        }),
        `  one sweep at T+31 min: ${outcomes.length} due accounts handled in ${f(sweepMs)} ms (${outcomes.filter((o) => o.called).length} listPosts calls; these bench accounts have no simulator, so each call fails fast and is rescheduled)`,
      ].join('\n') + '\n',
    );
  } finally {
    await hub.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
