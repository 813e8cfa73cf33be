import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { newId } from '@tongfa/core';
import { createDataSource, testMysqlBase } from '@tongfa/database';
import { ActorLoader, Argon2PasswordHasher, makeCreditCode, Role } from '@tongfa/identity';
import { MatrixService } from '@tongfa/accounts';
import { createHub } from '../apps/hub/src/bootstrap';
import { insertMany, percentile, benchHubConfig } from './support/bench-db';

/**
 * The matrix grid (GET /api/v1/matrix) for a province of 2,000 units and 10,000 accounts on
 * MariaDB, as a province supervisor: latency of the whole HTTP request for the console's first
 * screen (`?levels=1`: the province and the units directly below it, totals of the whole
 * province) and for the whole grid at once, beside a plain indexed query of every unit and
 * account of the subtree measured in the same run.
 * Target (issue #16): the console's grid, p50 under 50 ms (was 100 ms in the accounts issue).
 */
const UNITS = 2_000;
const ACCOUNTS = 10_000;
const RUNS = 60;
const PASSWORD = 'Bench#Pass2026';
const PLATFORMS = ['weibo', 'wechat', 'douyin', 'toutiao', 'nanfang', 'own-app'];

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { mean: xs.reduce((a, b) => a + b, 0) / xs.length, p50: percentile(s, 50), p99: percentile(s, 99) };
};

async function seed(ds: DataSource): Promise<{ rootPath: string }> {
  type U = { id: string; path: string; depth: number; level: string; parentId: string | null };
  const units: U[] = [];
  const add = (level: string, parent: U | null) => {
    const id = newId();
    const u = { id, level, parentId: parent?.id ?? null, path: `${parent?.path ?? '/'}${id}/`, depth: parent ? parent.depth + 1 : 0 };
    units.push(u);
    return u;
  };
  const root = add('province', null);
  const cities = Array.from({ length: 20 }, () => add('city', root));
  const counties = cities.flatMap((c) => Array.from({ length: 8 }, () => add('county', c)));
  const hosts = [root, ...cities, ...counties];
  for (let i = 0; units.length < UNITS; i++) add('department', hosts[i % hosts.length]!);
  await insertMany(
    ds,
    'unit',
    ['id', 'name', 'level', 'parentId', 'path', 'depth', 'creditCode', 'regionCode'],
    units.map((u, i) => [u.id, `矩阵单位${i}`, u.level, u.parentId, u.path, u.depth, makeCreditCode('440100', 30_000_000 + i), '440100']),
  );
  const now = new Date();
  const accounts: unknown[][] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const u = units[i % units.length]!;
    const platform = PLATFORMS[Math.floor(i / units.length) % PLATFORMS.length]!;
    const issues = i % 17 === 0 ? JSON.stringify(['名称不一致']) : '[]';
    accounts.push([newId(), u.id, u.path, platform, `矩阵单位${i % units.length}发布`, 'active', 'connected', issues, now, 'bench', now]);
  }
  await insertMany(
    ds,
    'account',
    ['id', 'unitId', 'unitPath', 'platform', 'name', 'status', 'connection', 'namingIssues', 'openedAt', 'createdBy', 'lastPostAt'],
    accounts,
  );
  const hash = await new Argon2PasswordHasher().hash(PASSWORD);
  const sup = newId();
  await insertMany(
    ds,
    'user',
    ['id', 'username', 'displayName', 'unitId', 'unitPath', 'status', 'passwordHash', 'mustChangePassword', 'passwordChangedAt'],
    [[sup, 'matrix.supervisor', '省级主管', root.id, root.path, 'active', hash, 0, now]],
  );
  await insertMany(
    ds,
    'role_assignment',
    ['id', 'userId', 'role', 'unitId', 'unitPath', 'level'],
    [[newId(), sup, Role.Supervisor, root.id, root.path, null]],
  );
  await ds.query('ANALYZE TABLE `unit`, `account`');
  return { rootPath: root.path };
}

async function main(): Promise<void> {
  // BENCH_DB_PREFIX names the throw-away database (several people sharing one MariaDB).
  const name = `${process.env.BENCH_DB_PREFIX ?? 'tongfa_bench_'}${randomBytes(4).toString('hex')}`;
  const base = testMysqlBase();
  const admin = await createConnection(`${base}/`);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  let hub: INestApplication | null = null;
  try {
    const url = `${base}/${name}`;
    const ds = await createDataSource(url);
    await ds.initialize();
    await ds.runMigrations();
    const { rootPath } = await seed(ds);
    const config = benchHubConfig(url);
    hub = await createHub(config, { consumeJobs: false, quiet: true });
    await hub.listen(0, '127.0.0.1');
    const hubUrl = `http://127.0.0.1:${(hub.getHttpServer().address() as AddressInfo).port}`;
    const login = await fetch(`${hubUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'matrix.supervisor', password: PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const headers = { authorization: `Bearer ${accessToken}` };

    // The whole response is read (time to last byte); the JSON is parsed once, to check it.
    type Grid = { rows: { unitId: string; childCount: number; parentId: string | null }[]; totals: { accounts: number; units: number } };
    const first = (await (await fetch(`${hubUrl}/api/v1/matrix`, { headers })).json()) as Grid;
    if (first.rows.length !== UNITS || first.totals.accounts !== ACCOUNTS) {
      throw new Error(`unexpected grid: ${first.rows?.length} rows, ${first.totals?.accounts} accounts`);
    }
    const top = (await (await fetch(`${hubUrl}/api/v1/matrix?levels=1`, { headers })).json()) as Grid;
    const rootRow = first.rows[0]!;
    const below = first.rows.filter((r) => r.parentId === rootRow.unitId).length;
    if (
      top.rows.length !== 1 + below ||
      top.totals.accounts !== ACCOUNTS ||
      top.totals.units !== UNITS ||
      top.rows[0]!.childCount !== below
    ) {
      throw new Error(`unexpected first screen: ${top.rows?.length} rows (expected ${1 + below}), totals ${JSON.stringify(top.totals)}`);
    }
    const get = (path: string) => async () => {
      const res = await fetch(`${hubUrl}${path}`, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    };
    const grid = get('/api/v1/matrix?levels=1');
    const whole = get('/api/v1/matrix');
    const plain = async () => {
      const units = await ds.query('SELECT id, name, level, parentId, depth, path FROM unit WHERE path LIKE ? ORDER BY path', [
        `${rootPath}%`,
      ]);
      const accounts = await ds.query(
        "SELECT id, unitId, platform, name, status, connection, namingIssues, lastPostAt FROM account WHERE unitPath LIKE ? AND status NOT IN ('rejected','cancelled')",
        [`${rootPath}%`],
      );
      if ((units as unknown[]).length !== UNITS || (accounts as unknown[]).length !== ACCOUNTS)
        throw new Error('plain query returned the wrong rows');
    };
    const time = async (fn: () => Promise<void>) => {
      for (let i = 0; i < 5; i++) await fn(); // warm-up
      const xs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = process.hrtime.bigint();
        await fn();
        xs.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      return stats(xs);
    };
    const bytesOf = async (path: string) => Buffer.byteLength(await (await fetch(`${hubUrl}${path}`, { headers })).text());
    const bytes = await bytesOf('/api/v1/matrix?levels=1');
    const wholeBytes = await bytesOf('/api/v1/matrix');
    const svc = hub.get(MatrixService);
    const actor = await hub.get(ActorLoader).forUser((await ds.query("SELECT id FROM user WHERE username = 'matrix.supervisor'"))[0].id);
    const inService = await time(async () => void (await svc.grid(actor, undefined, 1)));
    const g = await time(grid);
    const w = await time(whole);
    const p = await time(plain);
    const line = (label: string, s: { mean: number; p50: number; p99: number }) =>
      `  ${label.padEnd(44)} mean ${s.mean.toFixed(1).padStart(6)} ms   p50 ${s.p50.toFixed(1).padStart(6)} ms   p99 ${s.p99.toFixed(1).padStart(6)} ms`;
    process.stdout.write(
      [
        `matrix grid — ${UNITS.toLocaleString('en')} units × ${PLATFORMS.length} platforms, ${ACCOUNTS.toLocaleString('en')} accounts, MariaDB, ${RUNS} sequential requests`,
        line(`GET /api/v1/matrix?levels=1 (${top.rows.length} rows)`, g),
        line('  MatrixService.grid alone (no HTTP)', inService),
        line(`GET /api/v1/matrix (all ${first.rows.length} rows)`, w),
        line('plain indexed query of every row', p),
        `  response ${(bytes / 1024).toFixed(0)} KiB of JSON (the whole grid ${(wholeBytes / 1024).toFixed(0)} KiB)`,
        `  ratio first screen/plain (mean): ×${(g.mean / p.mean).toFixed(2)}, whole grid/plain ×${(w.mean / p.mean).toFixed(2)}   target: p50 of the console's grid < 50 ms → ${g.p50 < 50 ? 'met' : 'NOT met'}`,
      ].join('\n') + '\n',
    );
    await ds.destroy();
  } finally {
    await hub?.close();
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
