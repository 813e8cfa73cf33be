import 'reflect-metadata';
import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createConnection } from 'mysql2/promise';
import { DataSource, Logger as TypeOrmLogger } from 'typeorm';
import { newId } from '@tongfa/core';
import { createDataSource, testMysqlBase } from '@tongfa/database';
import { Argon2PasswordHasher, Role } from '@tongfa/identity';
import { createHub } from '../apps/hub/src/bootstrap';
import { insertMany, percentile, benchHubConfig } from './support/bench-db';
import { insertSupervisor, insertUnits, insertUserWithRole, unitTree } from './support/bench-units';

/**
 * The six scoped lists of the console — GET /api/v1/users, /units, /accounts, /manuscripts,
 * /publications (as a province supervisor) and /audit (as the province's auditor, the only role
 * that reads it) — over a province of 10,000 units, 50,000 users, 10,000 accounts, 50,000
 * manuscripts, 20,000 publications and 200,000 audit entries in MariaDB, each loaded by autocannon
 * from a child process (so the load generator does not share the server's event loop) beside a
 * bare Nest route measured in the same run. Prints per route req/s, p50, p99, the share of the
 * bare route's throughput, whether the targets of issue #16 are met (≥ 20 % of bare, p99 < 50 ms
 * at 16 connections), and the EXPLAIN of every SELECT the route sends.
 */

const UNITS = 10_000;
const USERS = 50_000;
const ACCOUNTS = 10_000;
const MANUSCRIPTS = 50_000;
const PUBLICATIONS = 20_000;
const AUDIT = 200_000;
const CONNECTIONS = 16;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const PASSWORD = 'Bench#Pass2026';
const PLATFORMS = ['weibo', 'wechat', 'douyin', 'toutiao', 'nanfang', 'own-app'];
const AUTOCANNON = resolve(__dirname, '../../node_modules/autocannon/autocannon.js');
const TARGET_SHARE = 20; // % of the bare route's throughput
const TARGET_P99 = 50; // ms

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
  supervisor: string;
  auditor: string;
}

/**
 * A province: 20 cities, 200 counties, 2,000 townships, the rest departments; users, accounts,
 * manuscripts and publications round-robin over the units, audit entries over the users.
 */
async function seed(ds: DataSource): Promise<Seeded> {
  const hash = await new Argon2PasswordHasher().hash(PASSWORD);
  const { units, add } = unitTree();
  const root = add('province', null);
  const cities = Array.from({ length: 20 }, () => add('city', root));
  const counties = cities.flatMap((c) => Array.from({ length: 10 }, () => add('county', c)));
  const townships = counties.flatMap((c) => Array.from({ length: 10 }, () => add('township', c)));
  const hosts = [...cities, ...counties, ...townships];
  for (let i = 0; units.length < UNITS; i++) add('department', hosts[i % hosts.length]!);
  await insertUnits(ds, units, 10_000_000);

  // Rows are spread over the last 200 days so the lists' time orders mean something.
  const t0 = Date.now() - 200 * 86_400_000;
  const at = (i: number, n: number) => new Date(t0 + Math.floor((i / n) * 200 * 86_400_000));

  const users: unknown[][] = [];
  const roles: unknown[][] = [];
  const userIds: string[] = [];
  const roleOf = (i: number) => (i % 10 === 0 ? Role.Reviewer : i % 25 === 1 ? Role.UnitAdmin : Role.Editor);
  for (let i = 0; i < USERS; i++) {
    const u = units[i % units.length]!;
    const id = newId();
    userIds.push(id);
    users.push([id, `bench.user.${i}`, `基准用户${i}`, u.id, u.path, 'active', hash, 0, at(i, USERS)]);
    const role = roleOf(i);
    roles.push([newId(), id, role, u.id, u.path, role === Role.Reviewer ? 1 : null]);
  }
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
  await insertMany(ds, 'user', userCols, users);
  await insertMany(ds, 'role_assignment', ['id', 'userId', 'role', 'unitId', 'unitPath', 'level'], roles);
  await insertSupervisor(ds, root, 'bench.supervisor', '省级主管', PASSWORD);
  await insertUserWithRole(ds, root, 'bench.auditor', '省级审计', PASSWORD, Role.Auditor);

  const accounts: unknown[][] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const u = units[i % units.length]!;
    const platform = PLATFORMS[Math.floor(i / units.length) % PLATFORMS.length]!;
    const issues = i % 17 === 0 ? JSON.stringify(['名称不一致']) : '[]';
    accounts.push([
      newId(),
      u.id,
      u.path,
      platform,
      `基准单位${i % units.length}发布`,
      'active',
      'connected',
      issues,
      at(i, ACCOUNTS),
      'bench',
      at(i, ACCOUNTS),
    ]);
  }
  const accountCols = [
    'id',
    'unitId',
    'unitPath',
    'platform',
    'name',
    'status',
    'connection',
    'namingIssues',
    'openedAt',
    'createdBy',
    'lastPostAt',
  ];
  await insertMany(ds, 'account', accountCols, accounts);

  // Manuscripts: most approved, some in review, a few drafts and rejections.
  const statusOf = (i: number) => (i % 10 < 7 ? 'approved' : i % 10 < 8 ? 'in_review' : i % 10 < 9 ? 'draft' : 'rejected');
  const manuscripts: unknown[][] = [];
  const manuscriptIds: string[] = [];
  for (let i = 0; i < MANUSCRIPTS; i++) {
    const u = units[i % units.length]!;
    const id = newId();
    manuscriptIds.push(id);
    const status = statusOf(i);
    const t = at(i, MANUSCRIPTS);
    manuscripts.push([
      id,
      u.id,
      u.path,
      userIds[i % USERS]!,
      `基准稿件${i}：全省政务新媒体工作动态`,
      i % 3 === 0 ? 'policy' : 'news',
      status,
      newId(),
      1,
      status === 'draft' ? null : t,
      t,
      t,
      1,
    ]);
  }
  const manuscriptCols = [
    'id',
    'unitId',
    'unitPath',
    'authorId',
    'title',
    'category',
    'status',
    'currentVersionId',
    'currentVersionNumber',
    'submittedAt',
    'createdAt',
    'updatedAt',
    'revision',
  ];
  await insertMany(ds, 'manuscript', manuscriptCols, manuscripts);

  // Publications of approved manuscripts, each with one target on an account of its unit.
  const publications: unknown[][] = [];
  const targets: unknown[][] = [];
  for (let i = 0, m = 0; publications.length < PUBLICATIONS; m++) {
    if (statusOf(m) !== 'approved') continue;
    const u = units[m % units.length]!;
    const id = newId();
    const t = at(i, PUBLICATIONS);
    publications.push([id, manuscriptIds[m]!, newId(), u.id, u.path, userIds[m % USERS]!, `bench-${i}`, 'published', 'normal', t, t]);
    const account = accounts[m % units.length]!;
    targets.push([newId(), id, account[0], account[3], 'published', '{}', t, t, t]);
    i++;
  }
  const publicationCols = [
    'id',
    'manuscriptId',
    'versionId',
    'unitId',
    'unitPath',
    'createdBy',
    'idempotencyKey',
    'status',
    'priority',
    'createdAt',
    'updatedAt',
  ];
  await insertMany(ds, 'publication', publicationCols, publications);
  const targetCols = ['id', 'publicationId', 'accountId', 'platform', 'state', 'rendition', 'publishedAt', 'createdAt', 'updatedAt'];
  await insertMany(ds, 'publication_target', targetCols, targets);

  // Audit entries (the hash chain is not walked by the list; the head carries on after them).
  const actions = ['auth.login', 'manuscript.create', 'manuscript.review', 'publication.create', 'account.update', 'user.update'];
  const auditCols = [
    'seq',
    'at',
    'actorId',
    'actorName',
    'unitId',
    'unitPath',
    'action',
    'targetType',
    'targetId',
    'result',
    'prevHash',
    'hash',
  ];
  const hash64 = '0'.repeat(64);
  for (let start = 0; start < AUDIT; start += 20_000) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(AUDIT, start + 20_000); i++) {
      const u = units[i % units.length]!;
      const action = actions[i % actions.length]!;
      const [targetType, targetId] = action.startsWith('manuscript')
        ? ['manuscript', manuscriptIds[i % MANUSCRIPTS]!]
        : action.startsWith('user') || action === 'auth.login'
          ? ['user', userIds[i % USERS]!]
          : [action.split('.')[0]!, newId()];
      rows.push([
        i + 1,
        at(i, AUDIT),
        userIds[i % USERS]!,
        `基准用户${i % USERS}`,
        u.id,
        u.path,
        action,
        targetType,
        targetId,
        'success',
        hash64,
        hash64,
      ]);
    }
    await insertMany(ds, 'audit_entry', auditCols, rows);
  }
  await ds.query('DELETE FROM audit_head');
  await ds.query('INSERT INTO audit_head (id, lastSeq, lastHash, anchorSeq, anchorHash) VALUES (1, ?, ?, 0, ?)', [AUDIT, hash64, hash64]);

  await ds.query(
    'ANALYZE TABLE `unit`, `user`, `role_assignment`, `account`, `manuscript`, `publication`, `publication_target`, `audit_entry`',
  );
  return { supervisor: 'bench.supervisor', auditor: 'bench.auditor' };
}

/** Records the SELECTs the hub's data source sends while `fn` runs (the statements of one request). */
async function capture(ds: DataSource, fn: () => Promise<void>): Promise<[string, unknown[]][]> {
  const seen: [string, unknown[]][] = [];
  const original = ds.logger;
  const logger: TypeOrmLogger = {
    logQuery: (q, p) => void (/^\s*select/i.test(q) && seen.push([q, p ?? []])),
    logQueryError: () => {},
    logQuerySlow: () => {},
    logSchemaBuild: () => {},
    logMigration: () => {},
    log: () => {},
  };
  Object.defineProperty(ds, 'logger', { value: logger, configurable: true, writable: true });
  try {
    await fn();
  } finally {
    Object.defineProperty(ds, 'logger', { value: original, configurable: true, writable: true });
  }
  return seen;
}

async function explain(ds: DataSource, statements: [string, unknown[]][]): Promise<string[]> {
  const out: string[] = [];
  for (const [sql, params] of statements) {
    const rows = (await ds.query(`EXPLAIN ${sql}`, params)) as {
      table: string | null;
      type: string | null;
      key: string | null;
      rows: number | null;
      Extra: string | null;
    }[];
    out.push(`${sql.replace(/\s+/g, ' ').slice(0, 160)}${sql.length > 160 ? '…' : ''}`);
    for (const r of rows) out.push(`    → ${r.table ?? '-'} type=${r.type} key=${r.key} rows≈${r.rows} ${r.Extra ?? ''}`.trimEnd());
  }
  return out;
}

const fmt = (l: Load) =>
  `${l.rps.toFixed(0).padStart(6)} req/s   p50 ${String(l.p50).padStart(4)} ms   p99 ${String(l.p99).padStart(4)} ms` +
  (l.non2xx || l.errors ? `   (non-2xx ${l.non2xx}, errors ${l.errors})` : '');

interface Route {
  label: string;
  path: string;
  as: 'supervisor' | 'auditor';
  total: number;
}

async function main(): Promise<void> {
  const started = Date.now();
  // BENCH_DB=<name> uses (and keeps) that database: created if missing, seeded if it holds no
  // province yet, else reused as seeded by an earlier run (migrated again, not seeded again).
  const reuse = process.env.BENCH_DB;
  const name = reuse ?? `tongfa_bench_${randomBytes(4).toString('hex')}`;
  const base = testMysqlBase();
  const admin = await createConnection(`${base}/`);
  await admin.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  let hub: INestApplication | null = null;
  let bare: INestApplication | null = null;
  try {
    const url = `${base}/${name}`;
    const mig = await createDataSource(url);
    await mig.initialize();
    await mig.runMigrations();
    const [{ n: seededBefore }] = (await mig.query("SELECT COUNT(*) AS n FROM user WHERE username = 'bench.supervisor'")) as {
      n: string | number;
    }[];
    const seeded = Number(seededBefore) > 0 ? { supervisor: 'bench.supervisor', auditor: 'bench.auditor' } : await seed(mig);
    const seededAt = Date.now();

    const config = benchHubConfig(url);
    hub = await createHub(config, { consumeJobs: false, quiet: true });
    const hubUrl = await listen(hub);
    const hubDs = hub.get(DataSource);
    const signIn = async (username: string) => {
      const res = await fetch(`${hubUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: PASSWORD }),
      });
      const { accessToken } = (await res.json()) as { accessToken: string };
      return { authorization: `Bearer ${accessToken}` };
    };
    const auth = { supervisor: await signIn(seeded.supervisor), auditor: await signIn(seeded.auditor) };

    const all: Route[] = [
      { label: 'users', path: '/api/v1/users?page=1&pageSize=20', as: 'supervisor', total: USERS + 2 },
      { label: 'units', path: '/api/v1/units?page=1&pageSize=20', as: 'supervisor', total: UNITS },
      { label: 'accounts', path: '/api/v1/accounts?page=1&pageSize=20', as: 'supervisor', total: ACCOUNTS },
      { label: 'manuscripts', path: '/api/v1/manuscripts?page=1&pageSize=20', as: 'supervisor', total: MANUSCRIPTS - MANUSCRIPTS / 10 },
      { label: 'publications', path: '/api/v1/publications?page=1&pageSize=20', as: 'supervisor', total: PUBLICATIONS },
      { label: 'audit', path: '/api/v1/audit?page=1&pageSize=20', as: 'auditor', total: -1 },
    ];
    // BENCH_ROUTES=users,audit measures some of them (for profiling one route).
    const only = process.env.BENCH_ROUTES?.split(',');
    const routes = only ? all.filter((r) => only.includes(r.label)) : all;

    // Each list answers 20 items and its total (the audit log grows with the sign-ins: at least the seeded entries).
    const plans = new Map<string, string[]>();
    for (const r of routes) {
      let body: { total: number; items: unknown[] } | null = null;
      const statements = await capture(hubDs, async () => {
        const res = await fetch(`${hubUrl}${r.path}`, { headers: auth[r.as] });
        body = (await res.json()) as { total: number; items: unknown[] };
      });
      const b = body as unknown as { total: number; items: unknown[] };
      if (b.items?.length !== 20 || (r.total >= 0 ? b.total !== r.total : b.total < AUDIT))
        throw new Error(`${r.label}: unexpected list: total ${b.total}, ${b.items?.length} items`);
      plans.set(r.label, await explain(mig, statements));
    }

    bare = await NestFactory.create(BareModule, { logger: false });
    const bareUrl = await listen(bare);

    // Short warm-ups (JIT, connection pools), then the measured runs.
    await autocannon(`${bareUrl}/ping`, {}, 2);
    const bareLoad = await autocannon(`${bareUrl}/ping`, {});
    const loads = new Map<string, Load>();
    for (const r of routes) {
      await autocannon(`${hubUrl}${r.path}`, auth[r.as], 2);
      loads.set(r.label, await autocannon(`${hubUrl}${r.path}`, auth[r.as]));
    }
    // Deep pages: the same 20 rows by offset (what the console's page numbers ask) and by the
    // cursor of the row before them (`?after=`), a few sequential requests each.
    const cursorAt = async (sql: string, offset: number) => {
      const [row] = (await mig.query(`${sql} LIMIT 1 OFFSET ${offset}`)) as Record<string, string | number>[];
      return Buffer.from(JSON.stringify(Object.values(row!)), 'utf8').toString('base64url');
    };
    const supervisorRoot = (
      (await mig.query("SELECT unitPath FROM user WHERE username = 'bench.supervisor'")) as { unitPath: string }[]
    )[0]!.unitPath;
    const deep = [
      {
        label: 'users page 2,000',
        as: 'supervisor' as const,
        offset: `/api/v1/users?page=2000&pageSize=20`,
        cursor: `/api/v1/users?pageSize=20&after=${await cursorAt(
          `SELECT unitPath, id FROM user WHERE unitPath LIKE '${supervisorRoot}%' ORDER BY unitPath, id`,
          1999 * 20 - 1,
        )}`,
      },
      {
        label: 'audit page 5,000',
        as: 'auditor' as const,
        offset: `/api/v1/audit?page=5000&pageSize=20`,
        cursor: `/api/v1/audit?pageSize=20&after=${await cursorAt('SELECT seq FROM audit_entry ORDER BY seq DESC', 4999 * 20 - 1)}`,
      },
    ];
    const sequential = async (path: string, headers: Record<string, string>, n = 5) => {
      const xs: number[] = [];
      let first: unknown = null;
      for (let i = 0; i < n; i++) {
        const t = process.hrtime.bigint();
        const res = await fetch(`${hubUrl}${path}`, { headers });
        const body = (await res.json()) as { items: { id?: string; seq?: number }[] };
        xs.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
        first ??= body.items.map((x) => x.id ?? x.seq);
      }
      return {
        p50: percentile(
          xs.sort((a, b) => a - b),
          50,
        ),
        ids: JSON.stringify(first),
      };
    };
    const deepLines: string[] = [];
    for (const d of deep) {
      const byOffset = await sequential(d.offset, auth[d.as]);
      const byCursor = await sequential(d.cursor, auth[d.as]);
      if (byOffset.ids !== byCursor.ids) throw new Error(`${d.label}: the cursor's page differs from the offset's`);
      deepLines.push(
        `  ${d.label.padEnd(18)} by offset p50 ${byOffset.p50.toFixed(1).padStart(7)} ms   by cursor (?after=) p50 ${byCursor.p50.toFixed(1).padStart(6)} ms   same rows: yes`,
      );
    }
    await mig.destroy();

    const out = [
      `scoped lists — ${UNITS.toLocaleString('en')} units, ${USERS.toLocaleString('en')} users, ${ACCOUNTS.toLocaleString('en')} accounts, ` +
        `${MANUSCRIPTS.toLocaleString('en')} manuscripts, ${PUBLICATIONS.toLocaleString('en')} publications, ${AUDIT.toLocaleString('en')} audit entries; MariaDB + Redis`,
      `  autocannon: ${CONNECTIONS} connections, ${DURATION_S} s each, Node ${process.version}; targets ≥ ${TARGET_SHARE} % of bare and p99 < ${TARGET_P99} ms`,
      `  bare Nest GET /ping                              ${fmt(bareLoad)}`,
    ];
    let met = 0;
    for (const r of routes) {
      const l = loads.get(r.label)!;
      const share = (l.rps / bareLoad.rps) * 100;
      const ok = share >= TARGET_SHARE && l.p99 < TARGET_P99 && l.non2xx === 0 && l.errors === 0;
      if (ok) met++;
      out.push(
        `  GET ${r.path.padEnd(44)} ${fmt(l)}   ${share.toFixed(1).padStart(5)} % of bare   ${ok ? 'met' : 'NOT met'}  (as ${r.as})`,
      );
    }
    out.push(`  targets met: ${met} of ${routes.length}`);
    out.push(`  deep pages, ${5} sequential requests each:`, ...deepLines);
    for (const r of routes) {
      out.push(`  EXPLAIN of the SELECTs behind GET ${r.path} (background timers' reads, e.g. the QA index poll, may show among them):`);
      for (const line of plans.get(r.label)!) out.push(`    ${line}`);
    }
    out.push(`  seeding ${((seededAt - started) / 1000).toFixed(1)} s, total ${((Date.now() - started) / 1000).toFixed(1)} s`);
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await bare?.close();
    await hub?.close();
    // BENCH_KEEP_DB=1 leaves the seeded database for EXPLAIN experiments (dropped otherwise).
    if (process.env.BENCH_KEEP_DB === '1' || reuse) process.stdout.write(`  database kept: ${name}\n`);
    else await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
