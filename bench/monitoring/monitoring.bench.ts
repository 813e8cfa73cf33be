import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { newId } from '@tongfa/core';
import { createDataSource, testMysqlBase, whereInScope } from '@tongfa/database';
import { ActivityRollupService, MonitoredAccount } from '@tongfa/monitoring';
import { createHub } from '../../apps/hub/src/bootstrap';
import { insertUnits, insertSupervisor, unitTree } from '../support/bench-units';
import { insertMany, percentile, benchHubConfig } from '../support/bench-db';

/**
 * 监测 at province scale in MariaDB: the daily roll-up over 10,000 accounts (the first run backfills
 * 15 days per account, a following day's run writes one or two rows each) and GET
 * /api/v1/monitoring/accounts for the province's supervisor over them (p50, p99; target p99 < 200 ms),
 * beside a bare scoped COUNT over the same table in the same run. Accounts are not connected, so the
 * roll-up makes no listPosts calls: what is measured is the database work (a sandbox listing costs
 * one HTTP call per account and is paced by the platforms' quotas, not by us).
 */

const ACCOUNTS = 10_000;
const TARGETS = 30_000;
const REQUESTS = 300;
const PASSWORD = 'Bench#Pass2026';
const DAY = 86_400_000;
const PLATFORMS = ['weibo', 'wechat', 'douyin', 'toutiao'];

async function seed(ds: DataSource): Promise<{ rootPath: string }> {
  const { units, add } = unitTree();
  const root = add('province', null);
  const cities = Array.from({ length: 20 }, () => add('city', root));
  const counties = cities.flatMap((c) => Array.from({ length: 10 }, () => add('county', c)));
  const townships = counties.flatMap((c) => Array.from({ length: 10 }, () => add('township', c)));
  await insertUnits(ds, units, 10_000_000);
  const sup = await insertSupervisor(ds, root, 'bench.supervisor', '省级主管', PASSWORD);

  const hosts = [...cities, ...counties, ...townships];
  const now = Date.now();
  const accounts: unknown[][] = [];
  const ids: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const u = hosts[i % hosts.length]!;
    const id = newId();
    ids.push(id);
    const opened = new Date(now - (20 + (i % 40)) * DAY);
    // Four platforms per unit first, so only the units with a fifth account hold a duplicate.
    accounts.push([
      id,
      u.id,
      u.path,
      PLATFORMS[Math.floor(i / hosts.length) % PLATFORMS.length],
      `基准账号${i}`,
      'active',
      'none',
      sup,
      opened,
      null,
    ]);
  }
  await insertMany(
    ds,
    'account',
    ['id', 'unitId', 'unitPath', 'platform', 'name', 'status', 'connection', 'createdBy', 'openedAt', 'namingIssues'],
    accounts,
  );
  // Posts through Tongfa over the last 20 days on 70% of the accounts; the rest stay silent.
  const targets: unknown[][] = [];
  for (let i = 0; i < TARGETS; i++) {
    const a = ids[i % Math.floor(ACCOUNTS * 0.7)]!;
    const at = new Date(now - ((i * 7919) % (20 * DAY)));
    targets.push([newId(), newId(), a, PLATFORMS[0], 'published', '{}', `r${i}`, `https://example.gov.cn/p/${i}`, at]);
  }
  await insertMany(
    ds,
    'publication_target',
    ['id', 'publicationId', 'accountId', 'platform', 'state', 'rendition', 'remoteId', 'url', 'publishedAt'],
    targets,
  );
  await ds.query('ANALYZE TABLE `unit`, `account`, `publication_target`');
  return { rootPath: root.path };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = process.hrtime.bigint();
  const r = await fn();
  return [r, Number(process.hrtime.bigint() - t) / 1e6];
}

async function main(): Promise<void> {
  const name = `tongfa_bench_${randomBytes(4).toString('hex')}`;
  const base = testMysqlBase();
  const admin = await createConnection(`${base}/`);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  let hub: INestApplication | null = null;
  try {
    const url = `${base}/${name}`;
    const mig = await createDataSource(url);
    await mig.initialize();
    await mig.runMigrations();
    const { rootPath } = await seed(mig);
    const config = benchHubConfig(url);
    hub = await createHub(config, { consumeJobs: false, quiet: true });
    const rollup = hub.get(ActivityRollupService);
    const count = async (table: string) => Number((await mig.query(`SELECT COUNT(*) AS n FROM \`${table}\``))[0].n);

    const [first, firstMs] = await timed(() => rollup.handleActivitySweep());
    const rowsAfterFirst = await count('monitoring_activity_day');
    // The next day's run: every account due again, one or two days to recount each.
    await mig.query('UPDATE `monitoring_account` SET `nextRollupAt` = NOW(6)');
    const [daily, dailyMs] = await timed(() => rollup.handleActivitySweep());
    await mig.query('ANALYZE TABLE `monitoring_account`, `monitoring_rule_state`, `monitoring_activity_day`');

    await hub.listen(0, '127.0.0.1');
    const hubUrl = `http://127.0.0.1:${(hub.getHttpServer().address() as AddressInfo).port}`;
    const login = await fetch(`${hubUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench.supervisor', password: PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}` };
    const check = (await (await fetch(`${hubUrl}/api/v1/monitoring/accounts?pageSize=20`, { headers: auth })).json()) as {
      total: number;
      items: { worstState: string }[];
    };
    if (check.total !== ACCOUNTS || check.items.length !== 20) throw new Error(`unexpected list: ${JSON.stringify(check).slice(0, 300)}`);

    const route: number[] = [];
    const filtered: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const page = 1 + (i % 5);
      route.push(
        (
          await timed(() => fetch(`${hubUrl}/api/v1/monitoring/accounts?page=${page}&pageSize=20`, { headers: auth }).then((r) => r.json()))
        )[1],
      );
      filtered.push(
        (
          await timed(() =>
            fetch(`${hubUrl}/api/v1/monitoring/accounts?rule=national.no-update&state=breach&pageSize=20`, { headers: auth }).then((r) =>
              r.json(),
            ),
          )
        )[1],
      );
      bare.push(
        (
          await timed(() => {
            const qb = mig.getRepository(MonitoredAccount).createQueryBuilder('m').select('COUNT(*)', 'n');
            return whereInScope(qb, 'm.unitPath', [rootPath]).getRawOne();
          })
        )[1],
      );
    }
    for (const a of [route, filtered, bare]) a.sort((x, y) => x - y);
    const line = (label: string, t: number[]) =>
      `${label.padEnd(58)} p50 ${percentile(t, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(t, 99).toFixed(1).padStart(6)} ms`;
    const states = (await mig.query('SELECT `worstState` AS s, COUNT(*) AS n FROM `monitoring_account` GROUP BY `worstState`')) as {
      s: string;
      n: number;
    }[];
    console.log(
      `monitoring — ${ACCOUNTS} accounts, ${TARGETS} published targets, MariaDB; loadavg ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    console.log(
      `  roll-up, first run (15-day backfill): ${(firstMs / 1000).toFixed(1)} s, ${first.rolledUp} accounts, ${first.dayRows} day rows written (${rowsAfterFirst} in the table), ${await count('monitoring_rule_state')} rule states`,
    );
    console.log(
      `  roll-up, next day's run:              ${(dailyMs / 1000).toFixed(1)} s, ${daily.rolledUp} accounts, ${daily.dayRows} day rows written`,
    );
    console.log(`  worst states: ${states.map((r) => `${r.s} ${r.n}`).join(', ')}`);
    console.log(line(`GET /monitoring/accounts (province supervisor, ${REQUESTS}×)`, route));
    console.log(line('GET /monitoring/accounts?rule=national.no-update&state=breach', filtered));
    console.log(line('baseline: bare scoped COUNT(*) of monitoring_account', bare));
    console.log(
      `  target p99 < 200 ms: ${percentile(route, 99) < 200 ? 'met' : 'NOT met'}; loadavg after ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    await mig.destroy();
  } finally {
    await hub?.close();
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
