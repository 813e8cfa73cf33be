import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { newId } from '@tongfa/core';
import { createDataSource, testMysqlBase } from '@tongfa/database';
import { ActivityRollupService } from '@tongfa/monitoring';
import { createHub } from '../apps/hub/src/bootstrap';
import { insertUnits, insertSupervisor, unitTree } from './support/bench-units';
import { insertMany, benchHubConfig } from './support/bench-db';

/**
 * 抽查 at a city's scale in MariaDB: a 2,000-account round opened through the API (the population
 * read, the stratified draw and the checklist pre-filled from the monitoring rule states, in one
 * request), 60 failures recorded as orders, then its 通报 as xlsx and as PDF (headless Chromium),
 * each timed beside a baseline measured in the same run: a bare scoped SELECT of the 2,000 accounts.
 */

const ACCOUNTS = 2_000;
const FAILURES = 60;
const RUNS = 3;
const PASSWORD = 'Bench#Pass2026';
const DAY = 86_400_000;
const PLATFORMS = ['weibo', 'wechat', 'douyin', 'toutiao'];

async function seed(ds: DataSource): Promise<{ cityId: string; cityPath: string }> {
  const { units, add } = unitTree();
  const root = add('province', null);
  const city = add('city', root);
  const counties = Array.from({ length: 12 }, () => add('county', city));
  const depts = Array.from({ length: 30 }, () => add('department', city));
  const townships = counties.flatMap((c) => Array.from({ length: 12 }, () => add('township', c)));
  await insertUnits(ds, units, 30_000_000);
  const sup = await insertSupervisor(ds, city, 'bench.city.supervisor', '市级主管', PASSWORD);
  const hosts = [city, ...counties, ...depts, ...townships];
  const now = Date.now();
  const accounts: unknown[][] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const u = hosts[i % hosts.length]!;
    const platform = PLATFORMS[Math.floor(i / hosts.length) % PLATFORMS.length];
    accounts.push([newId(), u.id, u.path, platform, `基准账号${i}`, 'active', 'none', sup, new Date(now - (5 + (i % 30)) * DAY), null]);
  }
  await insertMany(
    ds,
    'account',
    ['id', 'unitId', 'unitPath', 'platform', 'name', 'status', 'connection', 'createdBy', 'openedAt', 'namingIssues'],
    accounts,
  );
  await ds.query('ANALYZE TABLE `unit`, `account`');
  return { cityId: city.id, cityPath: city.path };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = process.hrtime.bigint();
  const r = await fn();
  return [r, Number(process.hrtime.bigint() - t) / 1e6];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

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
    const { cityId, cityPath } = await seed(mig);
    const config = benchHubConfig(url);
    hub = await createHub(config, { consumeJobs: false, quiet: true });
    // Rule states to pre-fill from: the roll-up over the 2,000 accounts (not part of what is timed).
    await hub.get(ActivityRollupService).handleActivitySweep();
    await hub.listen(0, '127.0.0.1');
    const hubUrl = `http://127.0.0.1:${(hub.getHttpServer().address() as AddressInfo).port}`;
    const login = await fetch(`${hubUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench.city.supervisor', password: PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };

    const baseline: number[] = [];
    const opening: number[] = [];
    const xlsx: number[] = [];
    const pdf: number[] = [];
    let last: { id: string; population: number; sampled: number; strata: unknown[] } | null = null;
    let findingsMs = 0;
    let sizes = { xlsx: 0, pdf: 0 };
    for (let run = 0; run < RUNS; run++) {
      baseline.push(
        (
          await timed(() =>
            mig.query('SELECT `id`, `name`, `platform`, `unitId` FROM `account` WHERE `unitPath` LIKE ? AND `status` IN (?, ?)', [
              `${cityPath}%`,
              'opened',
              'active',
            ]),
          )
        )[1],
      );
      const [round, ms] = await timed(async () => {
        const r = await fetch(`${hubUrl}/api/v1/spot-checks`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ rootUnitId: cityId, period: '2026-Q4', ratio: 0.3, seed: `bench-${run}` }),
        });
        if (r.status !== 201) throw new Error(`round: ${r.status} ${await r.text()}`);
        return (await r.json()) as { id: string; population: number; sampled: number; strata: unknown[] };
      });
      opening.push(ms);
      last = round;
      if (run === 0) {
        const detail = (await (await fetch(`${hubUrl}/api/v1/spot-checks/${round.id}?pageSize=${FAILURES}`, { headers })).json()) as {
          sample: { items: { accountId: string }[] };
        };
        findingsMs = (
          await timed(async () => {
            for (const s of detail.sample.items) {
              const r = await fetch(`${hubUrl}/api/v1/spot-checks/${round.id}/findings`, {
                method: 'POST',
                headers,
                body: JSON.stringify({ accountId: s.accountId, item: 'national.no-update', result: 'fail', note: '基准：未更新' }),
              });
              if (r.status !== 201) throw new Error(`finding: ${r.status} ${await r.text()}`);
            }
          })
        )[1];
      }
      const get = async (format: string) => {
        const r = await fetch(`${hubUrl}/api/v1/spot-checks/${last!.id}/report?format=${format}`, { headers });
        if (r.status !== 200) throw new Error(`${format}: ${r.status} ${await r.text()}`);
        return Buffer.from(await r.arrayBuffer()).length;
      };
      const [xb, xms] = await timed(() => get('xlsx'));
      const [pb, pms] = await timed(() => get('pdf'));
      xlsx.push(xms);
      pdf.push(pms);
      sizes = { xlsx: xb, pdf: pb };
    }
    const row = (label: string, xs: number[]) =>
      `  ${label.padEnd(64)} median ${median(xs).toFixed(0).padStart(6)} ms   (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`;
    console.log(
      `supervision — a ${ACCOUNTS}-account round (ratio 0.3), MariaDB, ${RUNS} runs; loadavg ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    console.log(`  population ${last!.population}, sampled ${last!.sampled} in ${last!.strata.length} strata`);
    console.log(row('baseline: bare scoped SELECT of the 2,000 accounts', baseline));
    console.log(row('POST /spot-checks (population, draw, checklist pre-fill)', opening));
    console.log(
      `  ${FAILURES} failures recorded as orders (POST findings, one by one): ${findingsMs.toFixed(0)} ms (${(findingsMs / FAILURES).toFixed(1)} ms each), first round only`,
    );
    console.log(row(`GET report?format=xlsx (${(sizes.xlsx / 1024).toFixed(0)} KiB)`, xlsx));
    console.log(row(`GET report?format=pdf (headless Chromium, ${(sizes.pdf / 1024).toFixed(0)} KiB)`, pdf));
    console.log(
      `  loadavg after ${loadavg()
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
