import 'reflect-metadata';
import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { AppConfig, newId } from '@tongfa/core';
import { createDataSource, testMysqlBase, whereInScope } from '@tongfa/database';
import { Argon2PasswordHasher, makeCreditCode, Role, User } from '@tongfa/identity';
import { createHub } from '../apps/hub/src/bootstrap';
import { insertMany, percentile } from './support/bench-db';

/**
 * GET /api/v1/users?page=1&pageSize=20 as a province-level supervisor over 10,000 units and
 * 50,000 users in MariaDB, beside a bare Nest route in the same process shape, both loaded by
 * autocannon from a child process (so the load generator does not share the server's event loop).
 */

const UNITS = 10_000;
const USERS = 50_000;
const CONNECTIONS = 16;
const DURATION_S = 10;
const PASSWORD = 'Bench#Pass2026';
const AUTOCANNON = resolve(__dirname, '../../node_modules/autocannon/autocannon.js');

interface Load {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

function autocannon(url: string, headers: Record<string, string>, duration = DURATION_S): Promise<Load> {
  const args = [AUTOCANNON, '-c', String(CONNECTIONS), '-d', String(duration), '-j', '-n'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(url);
  return new Promise((done, fail) =>
    execFile(process.execPath, args, { maxBuffer: 16 << 20 }, (err, stdout) => {
      if (err) return fail(err);
      const r = JSON.parse(stdout) as {
        requests: { average: number };
        latency: { p50: number; p99: number };
        non2xx: number;
        errors: number;
      };
      done({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors });
    }),
  );
}

@Controller()
class BareController {
  @Get('ping')
  ping() {
    return { ok: true };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
}

interface Seeded {
  rootPath: string;
  supervisor: string;
}

/** A province: 20 cities, 200 counties, 2,000 townships, the rest departments; users round-robin. */
async function seed(ds: DataSource): Promise<Seeded> {
  const hash = await new Argon2PasswordHasher().hash(PASSWORD);
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
  const counties = cities.flatMap((c) => Array.from({ length: 10 }, () => add('county', c)));
  const townships = counties.flatMap((c) => Array.from({ length: 10 }, () => add('township', c)));
  const hosts = [...cities, ...counties, ...townships];
  for (let i = 0; units.length < UNITS; i++) add('department', hosts[i % hosts.length]!);
  await insertMany(
    ds,
    'unit',
    ['id', 'name', 'level', 'parentId', 'path', 'depth', 'creditCode', 'regionCode'],
    units.map((u, i) => [u.id, `基准单位${i}`, u.level, u.parentId, u.path, u.depth, makeCreditCode('440100', 10_000_000 + i), '440100']),
  );

  const now = new Date();
  const userCols = [
    'id',
    'username',
    'displayName',
    'unitId',
    'unitPath',
    'status',
    'passwordHash',
    'mustChangePassword',
    'passwordChangedAt',
  ];
  const users: unknown[][] = [];
  const roles: unknown[][] = [];
  const roleOf = (i: number) => (i % 10 === 0 ? Role.Reviewer : i % 25 === 1 ? Role.UnitAdmin : Role.Editor);
  for (let i = 0; i < USERS; i++) {
    const u = units[i % units.length]!;
    const id = newId();
    users.push([id, `bench.user.${i}`, `基准用户${i}`, u.id, u.path, 'active', hash, 0, now]);
    const role = roleOf(i);
    roles.push([newId(), id, role, u.id, u.path, role === Role.Reviewer ? 1 : null]);
  }
  const supervisor = newId();
  users.push([supervisor, 'bench.supervisor', '省级主管', root.id, root.path, 'active', hash, 0, now]);
  roles.push([newId(), supervisor, Role.Supervisor, root.id, root.path, null]);
  await insertMany(ds, 'user', userCols, users);
  await insertMany(ds, 'role_assignment', ['id', 'userId', 'role', 'unitId', 'unitPath', 'level'], roles);
  await ds.query('ANALYZE TABLE `unit`, `user`, `role_assignment`');
  return { rootPath: root.path, supervisor: 'bench.supervisor' };
}

/** The count and the first page of the scoped list, as UsersService.list issues them. */
async function sqlTimes(ds: DataSource, rootPath: string, n = 200): Promise<{ p50: number; p99: number; plans: string[] }> {
  const qb = () => {
    const q = ds.getRepository(User).createQueryBuilder('u');
    whereInScope(q, 'u.unitPath', [rootPath]);
    return q.orderBy('u.unitPath', 'ASC').addOrderBy('u.id', 'ASC').skip(0).take(20);
  };
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await qb().getManyAndCount();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const plans: string[] = [];
  for (const [label, q] of [
    ['page ', qb()],
    ['count', qb().select('COUNT(DISTINCT(u.id))', 'n').orderBy().skip(undefined).take(undefined)],
  ] as const) {
    const [sql, params] = q.getQueryAndParameters();
    const rows = (await ds.query(`EXPLAIN ${sql}`, params)) as { type: string; key: string | null; rows: number; Extra: string }[];
    plans.push(`${label}: ${rows.map((r) => `type=${r.type} key=${r.key} rows≈${r.rows} ${r.Extra ?? ''}`.trim()).join(' | ')}`);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99), plans };
}

const fmt = (l: Load) =>
  `${l.rps.toFixed(0).padStart(6)} req/s   p50 ${String(l.p50).padStart(4)} ms   p99 ${String(l.p99).padStart(4)} ms` +
  (l.non2xx || l.errors ? `   (non-2xx ${l.non2xx}, errors ${l.errors})` : '');

async function main(): Promise<void> {
  const started = Date.now();
  const name = `tongfa_bench_${randomBytes(4).toString('hex')}`;
  const base = testMysqlBase();
  const admin = await createConnection(`${base}/`);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  let hub: INestApplication | null = null;
  let bare: INestApplication | null = null;
  try {
    const url = `${base}/${name}`;
    const mig = await createDataSource(url);
    await mig.initialize();
    await mig.runMigrations();
    const seeded = await seed(mig);
    const seededAt = Date.now();

    const config = AppConfig.fromEnv({
      NODE_ENV: 'production',
      DATABASE_URL: url,
      REDIS_URL: process.env.TONGFA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      TONGFA_QUEUE_PREFIX: `b${randomBytes(4).toString('hex')}`,
      TONGFA_SECRET_KEY: randomBytes(32).toString('hex'),
      TONGFA_LOG_LEVEL: 'silent',
      TONGFA_LOGIN_RATE_LIMIT: '100000',
      TONGFA_DEMO: '0',
    });
    hub = await createHub(config, { consumeJobs: false, quiet: true });
    const hubUrl = await listen(hub);
    const login = await fetch(`${hubUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: seeded.supervisor, password: PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}` };
    const check = (await (await fetch(`${hubUrl}/api/v1/users?page=1&pageSize=20`, { headers: auth })).json()) as {
      total: number;
      items: unknown[];
    };
    if (check.total !== USERS + 1 || check.items.length !== 20)
      throw new Error(`unexpected list: total ${check.total}, ${check.items.length} items`);

    bare = await NestFactory.create(BareModule, { logger: false });
    const bareUrl = await listen(bare);

    // Short warm-ups (JIT, connection pools), then the measured runs.
    await autocannon(`${bareUrl}/ping`, {}, 2);
    await autocannon(`${hubUrl}/api/v1/users?page=1&pageSize=20`, auth, 2);
    const bareLoad = await autocannon(`${bareUrl}/ping`, {});
    const listLoad = await autocannon(`${hubUrl}/api/v1/users?page=1&pageSize=20`, auth);
    const sql = await sqlTimes(mig, seeded.rootPath);
    await mig.destroy();

    const out = [
      `users list as a province supervisor — ${UNITS.toLocaleString('en')} units, ${(USERS + 1).toLocaleString('en')} users, MariaDB + Redis`,
      `  autocannon: ${CONNECTIONS} connections, ${DURATION_S} s each, Node ${process.version}`,
      `  bare Nest GET /ping                     ${fmt(bareLoad)}`,
      `  GET /api/v1/users?page=1&pageSize=20    ${fmt(listLoad)}`,
      `  ratio users/bare: throughput ${((listLoad.rps / bareLoad.rps) * 100).toFixed(1)} %, p50 latency ×${(listLoad.p50 / Math.max(bareLoad.p50, 1)).toFixed(1)}`,
      `  scoped count + page SQL alone (${200} runs): p50 ${sql.p50.toFixed(2)} ms, p99 ${sql.p99.toFixed(2)} ms`,
      ...sql.plans.map((p) => `    EXPLAIN ${p}`),
      `  seeding ${((seededAt - started) / 1000).toFixed(1)} s, total ${((Date.now() - started) / 1000).toFixed(1)} s`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await bare?.close();
    await hub?.close();
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
