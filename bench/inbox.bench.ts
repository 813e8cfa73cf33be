import 'reflect-metadata';
import { Controller, HttpCode, INestApplication, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { newId } from '@tongfa/core';
import { createDataSource, testMysqlBase } from '@tongfa/database';
import { Account } from '@tongfa/accounts';
import { makeCreditCode, Role } from '@tongfa/identity';
import { dailyPollBudget, IngestService, nextPollAt, pollsPerPost, POLL_STAGES } from '@tongfa/inbox';
import type { PostComment } from '@tongfa/plugin-sdk';
import { AccountConnectionsService, PluginRegistry } from '@tongfa/plugins';
import { douyinSignature } from '../plugins/douyin/src/messages';
import { createHub } from '../apps/hub/src/bootstrap';
import { insertMany, percentile, benchHubConfig } from './support/bench-db';
import { MysqlQueryRunner } from 'typeorm/driver/mysql/MysqlQueryRunner';

/**
 * Counts the SQL statements the hub sends (every statement goes through MysqlQueryRunner.query,
 * transaction control included), by their first words, while `on` is set.
 */
const sql = { on: false, total: 0, shapes: new Map<string, number>() };
{
  const original = MysqlQueryRunner.prototype.query;
  MysqlQueryRunner.prototype.query = function (this: MysqlQueryRunner, ...args: Parameters<typeof original>) {
    if (sql.on) {
      sql.total++;
      const shape = String(args[0]).replace(/\s+/g, ' ').slice(0, 70);
      sql.shapes.set(shape, (sql.shapes.get(shape) ?? 0) + 1);
    }
    return original.apply(this, args);
  } as typeof original;
}

/**
 * 政民互动 ingestion at province scale, MariaDB + Redis: 100,000 citizens' comments and messages
 * across 10,000 accounts, half pushed to POST /api/v1/webhooks/douyin over HTTP (signed as Douyin
 * signs, verified by the plugin, deduplicated, stored, assigned, then answered; 2% are the
 * platform's retries of a push), half the pages the comment poll sweep hands to the ingest after
 * each platform call (IngestService.ingestComments, 8 sweeps at once). Figures beside baselines
 * measured in the same run: a bare Nest route answering the same pushes, and a bare multi-row
 * INSERT of the same comment rows. Then the polling calls per day the decay schedule
 * (poll-schedule.ts) costs at 10,000 accounts with a posts-per-day mix, beside each platform's
 * declared quotas (the plugins' manifests).
 *
 * The poll leg measures our side of polling: the platform call itself is paced by the quotas in
 * the last table, not by us (one HTTP call per page to a simulator adds its latency, nothing more).
 */

/** Scale: the issue's figures by default; smaller runs (a loaded machine) set these in the environment. */
const scale = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ACCOUNTS = scale('INBOX_BENCH_ACCOUNTS', 10_000);
const WEBHOOK_MESSAGES = scale('INBOX_BENCH_PUSHES', 50_000);
const POLLED_COMMENTS = scale('INBOX_BENCH_COMMENTS', 50_000);
/** Time budget of the webhook leg and of the poll leg (the whole bench stays under 8 minutes). */
const WEBHOOK_BUDGET_MS = scale('INBOX_BENCH_WEBHOOK_SECONDS', 200) * 1000;
const POLL_BUDGET_MS = scale('INBOX_BENCH_POLL_SECONDS', 120) * 1000;
/** Douyin retries a push it got no timely answer to, with the same Msg-Id. */
const RETRIED_SHARE = 0.02;
/** Platform pushes in flight at once (several platforms, many citizens). */
const PUSH_CONCURRENCY = scale('INBOX_BENCH_PUSH_CONCURRENCY', 32);
/** Poll sweeps running at once (worker processes × their concurrency). */
const POLL_LANES = 8;
const COMMENTS_PER_PAGE = 10;
const PLATFORMS = ['douyin', 'wechat', 'weibo'] as const;
const DAY = 86_400_000;
/**
 * How often government accounts post, by the share of accounts (a province's accounts: a few busy
 * city and department accounts, many county ones, township accounts that post weekly).
 */
const POSTING_MIX = [
  { share: 0.1, postsPerDay: 5 },
  { share: 0.3, postsPerDay: 2 },
  { share: 0.4, postsPerDay: 1 },
  { share: 0.2, postsPerDay: 0.2 },
];

interface Seeded {
  accounts: { id: string; platform: string; openId: string; unitId: string }[];
}

async function seed(ds: DataSource): Promise<Seeded> {
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
  await insertMany(
    ds,
    'unit',
    ['id', 'name', 'level', 'parentId', 'path', 'depth', 'creditCode', 'regionCode'],
    units.map((u, i) => [u.id, `基准单位${i}`, u.level, u.parentId, u.path, u.depth, makeCreditCode('440100', 20_000_000 + i), '440100']),
  );
  // Two editors per unit: new threads go to them in turn.
  const users: unknown[][] = [];
  const grants: unknown[][] = [];
  for (const [i, u] of units.entries()) {
    for (let k = 0; k < 2; k++) {
      const id = newId();
      users.push([id, `bench.ed${i}.${k}`, `编辑${i}-${k}`, u.id, u.path, 'active', 'x', 0, new Date()]);
      grants.push([newId(), id, Role.Editor, u.id, u.path, null]);
    }
  }
  await insertMany(
    ds,
    'user',
    ['id', 'username', 'displayName', 'unitId', 'unitPath', 'status', 'passwordHash', 'mustChangePassword', 'passwordChangedAt'],
    users,
  );
  await insertMany(ds, 'role_assignment', ['id', 'userId', 'role', 'unitId', 'unitPath', 'level'], grants);
  const hosts = [...cities, ...counties, ...townships];
  const accounts: Seeded['accounts'] = [];
  const rows: unknown[][] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const u = hosts[i % hosts.length]!;
    const platform = PLATFORMS[i % PLATFORMS.length]!;
    const a = { id: newId(), platform, openId: `${platform}-open-${i}`, unitId: u.id };
    accounts.push(a);
    rows.push([a.id, u.id, u.path, platform, `基准账号${i}`, 'active', 'none', users[0]![0], new Date(), null, a.openId]);
  }
  await insertMany(
    ds,
    'account',
    ['id', 'unitId', 'unitPath', 'platform', 'name', 'status', 'connection', 'createdBy', 'openedAt', 'namingIssues', 'platformAccountId'],
    rows,
  );
  await ds.query('ANALYZE TABLE `unit`, `user`, `role_assignment`, `account`');
  return { accounts };
}

/** CPU milliseconds (user + system) per operation. */
const cpuMsPer = (u: NodeJS.CpuUsage, n: number) => (u.user + u.system) / 1000 / Math.max(1, n);

/**
 * Runs `fn` over `items` with `lanes` at once, timing each call (ms); no new item is started after
 * `budgetMs` (the bench's total time stays bounded on a loaded machine: what was done is reported).
 */
async function timedLanes<T>(
  items: T[],
  lanes: number,
  fn: (item: T) => Promise<void>,
  budgetMs = Infinity,
): Promise<{ times: number[]; wallMs: number; done: number }> {
  const times: number[] = [];
  let next = 0;
  const t0 = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - t0) / 1e6;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < items.length && elapsed() < budgetMs) {
        const item = items[next++]!;
        const t = process.hrtime.bigint();
        await fn(item);
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  times.sort((a, b) => a - b);
  return { times, wallMs: elapsed(), done: times.length };
}

@Controller('webhooks')
class BareWebhookController {
  @Post(':plugin')
  @HttpCode(200)
  push(@Param('plugin') plugin: string): { ok: string } {
    return { ok: plugin };
  }
}

@Module({ controllers: [BareWebhookController] })
class BareModule {}

/** Signed Douyin pushes of citizens' private messages to the Douyin accounts. */
function pushes(accounts: Seeded['accounts'], clientKey: string, secret: string): { body: string; headers: Record<string, string> }[] {
  const douyin = accounts.filter((a) => a.platform === 'douyin');
  const out: { body: string; headers: Record<string, string> }[] = [];
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < WEBHOOK_MESSAGES; i++) {
    const a = douyin[i % douyin.length]!;
    // About three messages per citizen conversation.
    const from = `citizen-${Math.floor(i / 3)}`;
    const msgId = `dy-msg-${i}`;
    const body = JSON.stringify({
      event: 'im_receive_msg',
      client_key: clientKey,
      from_user_id: from,
      to_user_id: a.openId,
      content: JSON.stringify({ message_type: 'text', text: `你好，请问第${i}件事怎么办理？`, create_time: now, server_message_id: msgId }),
      log_id: `log-${i}`,
    });
    out.push({
      body,
      headers: { 'content-type': 'application/json', 'x-douyin-signature': douyinSignature(secret, body), 'msg-id': msgId },
    });
  }
  // The platform's retries: the same push again (same Msg-Id), spread through the run.
  const retries = Math.floor(WEBHOOK_MESSAGES * RETRIED_SHARE);
  for (let k = 0; k < retries; k++) out.splice(Math.floor(((k + 1) * out.length) / (retries + 1)), 0, out[k * 50]!);
  return out;
}

function pollPages(accounts: Seeded['accounts']): { account: Seeded['accounts'][number]; post: string; items: PostComment[] }[] {
  const pages: { account: Seeded['accounts'][number]; post: string; items: PostComment[] }[] = [];
  const now = Date.now();
  let n = 0;
  for (let p = 0; n < POLLED_COMMENTS; p++) {
    const account = accounts[p % accounts.length]!;
    const post = `post-${p}`;
    const items: PostComment[] = [];
    for (let k = 0; k < COMMENTS_PER_PAGE && n < POLLED_COMMENTS; k++, n++) {
      // Every fourth comment answers the one before it (楼中楼), the rest start their own tree.
      const parentId = k % 4 === 3 ? `c-${n - 1}` : undefined;
      items.push({
        id: `c-${n}`,
        postRemoteId: post,
        ...(parentId ? { parentId } : {}),
        text: `第${n}条留言：小区路灯坏了，什么时候修？`,
        author: `网友${n % 997}`,
        authorId: `uid-${n % 997}`,
        createdAt: now - (COMMENTS_PER_PAGE - k) * 1000,
      });
    }
    pages.push({ account, post, items });
  }
  return pages;
}

/**
 * Polling calls a day in steady state: an account that posts `postsPerDay` has posts of every age
 * up to 7 days; the schedule's points falling inside one day are counted from nextPollAt itself.
 */
function pollsPerDay(postsPerDay: number): number {
  const dayStart = 30 * DAY;
  let calls = 0;
  const every = DAY / postsPerDay;
  for (let posted = dayStart - 8 * DAY; posted < dayStart + DAY; posted += every) {
    let t: number | null = posted;
    while ((t = nextPollAt(posted, t)) !== null && t < dayStart + DAY) if (t >= dayStart) calls++;
  }
  return calls;
}

/**
 * The same for an account read per account (comments/to_me): one call at the pace of its youngest post
 * (polling.service.ts pollAccount), a new post making it due at that post's first point.
 */
function accountPollsPerDay(postsPerDay: number): number {
  const dayStart = 30 * DAY;
  const every = DAY / postsPerDay;
  const posts: number[] = [];
  for (let posted = dayStart - 8 * DAY; posted < dayStart + DAY; posted += every) posts.push(posted);
  let calls = 0;
  let t = dayStart;
  for (;;) {
    const newest = posts.filter((p) => p <= t).pop();
    const paced = newest === undefined ? null : nextPollAt(newest, t);
    const upcoming = posts.find((p) => p > t);
    const fresh = upcoming === undefined ? null : nextPollAt(upcoming, upcoming);
    const next = paced === null ? fresh : fresh === null ? paced : Math.min(paced, fresh);
    if (next === null || next >= dayStart + DAY) return calls;
    calls++;
    t = next;
  }
}

async function main(): Promise<void> {
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
    const config = benchHubConfig(url);
    hub = await createHub(config, { consumeJobs: false, quiet: true });
    await hub.listen(0, '127.0.0.1');
    const hubUrl = `http://127.0.0.1:${(hub.getHttpServer().address() as AddressInfo).port}`;
    const clientKey = 'bench-client-key';
    const secret = randomBytes(16).toString('hex');
    await hub.get(AccountConnectionsService).setAppCredentials('douyin', { client_key: clientKey, client_secret: secret });
    const count = async (table: string, where = '1=1') =>
      Number((await mig.query(`SELECT COUNT(*) AS n FROM \`${table}\` WHERE ${where}`))[0].n);

    // Webhook leg, then the same pushes against a bare Nest route (express, no database).
    const all = pushes(seeded.accounts, clientKey, secret);
    // node:http on kept-alive sockets, one per lane: the platform's side of the pushes costs this process (which
    // also runs the hub) less than fetch did (the bare route's run 0.55 ms of CPU a push instead of 0.75 on the
    // same machine), so the figures are more the hub's own.
    const agent = new Agent({ keepAlive: true, maxSockets: PUSH_CONCURRENCY });
    const push = (target: string, p: { body: string; headers: Record<string, string> }) =>
      new Promise<void>((resolve, reject) => {
        const req = request(
          `${target}/api/v1/webhooks/douyin`,
          { method: 'POST', agent, headers: { ...p.headers, 'content-length': String(Buffer.byteLength(p.body)) } },
          (res) => {
            res.resume();
            res.on('error', reject);
            res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`push answered ${res.statusCode}`))));
          },
        );
        req.on('error', reject);
        req.end(p.body);
      });
    // SQL statements per push, counted over the first pushes sent one at a time (nothing else runs).
    const SAMPLE = Math.min(200, Math.floor(all.length / 10));
    sql.on = true;
    for (const p of all.slice(0, SAMPLE)) await push(hubUrl, p);
    sql.on = false;
    const perPush = sql.total / SAMPLE;
    // Then the same citizens write again (caches warm, conversations open): what a steady stream costs.
    const again = all.slice(0, SAMPLE).map((p) => {
      const body = p.body.replace(/dy-msg-(\d+)/g, 'dy-msg-$1-again');
      const id = /dy-msg-\d+-again/.exec(body)![0];
      return { body, headers: { ...p.headers, 'x-douyin-signature': douyinSignature(secret, body), 'msg-id': id } };
    });
    const cold = sql.total;
    sql.on = true;
    for (const p of again) await push(hubUrl, p);
    sql.on = false;
    const perPushWarm = (sql.total - cold) / SAMPLE;
    // And what the pushes cost at the bench's concurrency (group commit: the pushes waiting at once share a transaction).
    const warm = sql.total;
    const sampleShapes = new Map(sql.shapes);
    sql.shapes.clear();
    sql.on = true;
    const cpuHub = process.cpuUsage();
    const hooked = await timedLanes(all.slice(SAMPLE), PUSH_CONCURRENCY, (p) => push(hubUrl, p), WEBHOOK_BUDGET_MS);
    const hubCpuMs = cpuMsPer(process.cpuUsage(cpuHub), hooked.done);
    sql.on = false;
    const perPushConcurrent = (sql.total - warm) / Math.max(1, hooked.done);
    const storedMessages = await count('inbox_item', "`direction` = 'in'");
    const messageThreads = await count('inbox_thread');
    const assigned = await count('inbox_thread', '`assigneeId` IS NOT NULL');

    bare = await NestFactory.create(BareModule, { logger: false });
    bare.setGlobalPrefix('api/v1');
    await bare.listen(0, '127.0.0.1');
    const bareUrl = `http://127.0.0.1:${(bare.getHttpServer().address() as AddressInfo).port}`;
    const cpuBare = process.cpuUsage();
    const bareRun = await timedLanes(all.slice(SAMPLE, SAMPLE + hooked.done), PUSH_CONCURRENCY, (p) => push(bareUrl, p));
    const bareCpuMs = cpuMsPer(process.cpuUsage(cpuBare), bareRun.done);
    agent.destroy();

    // Poll leg: the pages the sweep reads, ingested 8 at a time; then a bare INSERT of the same rows.
    const pages = pollPages(seeded.accounts);
    const accounts = new Map((await mig.getRepository(Account).find()).map((a) => [a.id, a]));
    const ingest = hub.get(IngestService);
    const before = await count('inbox_item');
    const polled = await timedLanes(
      pages,
      POLL_LANES,
      async (pg) => {
        await ingest.ingestComments(accounts.get(pg.account.id)!, pg.post, pg.items);
      },
      POLL_BUDGET_MS,
    );
    const storedComments = (await count('inbox_item')) - before;
    await mig.query('CREATE TABLE `bench_item` LIKE `inbox_item`');
    const rows = pages
      .slice(0, polled.done)
      .flatMap((pg) =>
        pg.items.map((c) => [
          newId(),
          newId(),
          pg.account.id,
          c.id,
          'in',
          'text',
          c.parentId ?? null,
          c.author,
          c.authorId ?? null,
          c.text,
          new Date(c.createdAt),
          new Date(),
        ]),
      );
    const t0 = process.hrtime.bigint();
    await insertMany(
      mig,
      'bench_item',
      [
        'id',
        'threadId',
        'accountId',
        'platformItemId',
        'direction',
        'kind',
        'parentId',
        'author',
        'authorId',
        'text',
        'createdAt',
        'receivedAt',
      ],
      rows,
    );
    const bareInsertMs = Number(process.hrtime.bigint() - t0) / 1e6;

    const perSec = (n: number, ms: number) => Math.round(n / (ms / 1000));
    const ms = (t: number[], p: number) => percentile(t, p).toFixed(1).padStart(7);
    console.log(
      `inbox ingest — ${ACCOUNTS} accounts, ${WEBHOOK_MESSAGES} pushed messages + ${all.length - WEBHOOK_MESSAGES} retried pushes, ${POLLED_COMMENTS} polled comments, MariaDB + Redis; loadavg ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    console.log(
      `  webhook  POST /webhooks/douyin ×${hooked.done}${hooked.done < all.length - SAMPLE ? ` of ${all.length - SAMPLE} (time budget ${WEBHOOK_BUDGET_MS / 1000} s reached)` : ''} (${PUSH_CONCURRENCY} at once): ${perSec(storedMessages - 2 * SAMPLE, hooked.wallMs)} messages stored/s; ` +
        `answer p50 ${ms(hooked.times, 50)} ms  p99 ${ms(hooked.times, 99)} ms  max ${ms(hooked.times, 100)} ms (WeChat/Douyin wait 5,000 ms)`,
    );
    console.log(
      `           SQL statements per push, one at a time: ${perPush.toFixed(1)} for a citizen's first message to an account not seen for minutes (${SAMPLE} pushes), ` +
        `${perPushWarm.toFixed(1)} for the next message of an open conversation (${SAMPLE} pushes); ` +
        `${perPushConcurrent.toFixed(2)} per push over the run, ${PUSH_CONCURRENCY} at once (group commit; before it: 7 to 11)`,
    );
    if (process.env.INBOX_BENCH_SQL_SHAPES)
      for (const [label, shapes, n] of [
        ['one at a time', sampleShapes, 2 * SAMPLE],
        [`${PUSH_CONCURRENCY} at once`, sql.shapes, hooked.done],
      ] as const) {
        console.log(`           per push, ${label}:`);
        for (const [shape, k] of [...shapes].sort((a, b) => b[1] - a[1]).slice(0, 15))
          console.log(`             ${(k / n).toFixed(2)}× ${shape}`);
      }
    console.log(
      `           stored ${storedMessages} messages (with the ${2 * SAMPLE} counted sample messages; ${2 * SAMPLE + hooked.done - storedMessages} retries deduplicated) in ${messageThreads} threads, ${assigned} assigned`,
    );
    console.log(
      `  baseline bare Nest route, same pushes: ${perSec(bareRun.done, bareRun.wallMs)} answers/s; answer p50 ${ms(bareRun.times, 50)} ms  p99 ${ms(bareRun.times, 99)} ms; ` +
        `webhook p99 = ${(percentile(hooked.times, 99) / percentile(bareRun.times, 99)).toFixed(1)}× bare`,
    );
    console.log(
      `           CPU of this process per push (the pushing client's share included in both): webhook ${hubCpuMs.toFixed(2)} ms, bare route ${bareCpuMs.toFixed(2)} ms`,
    );
    console.log(
      `  poll     ingestComments, ${polled.done}${polled.done < pages.length ? ` of ${pages.length} (time budget ${POLL_BUDGET_MS / 1000} s reached)` : ''} pages of ${COMMENTS_PER_PAGE} (${POLL_LANES} sweeps at once): ${perSec(storedComments, polled.wallMs)} comments stored/s; ` +
        `page p50 ${ms(polled.times, 50)} ms  p99 ${ms(polled.times, 99)} ms`,
    );
    console.log(
      `  baseline bare multi-row INSERT of the same ${rows.length} rows:  ${perSec(rows.length, bareInsertMs)} rows/s; ` +
        `ingest = ${(perSec(rows.length, bareInsertMs) / perSec(storedComments, polled.wallMs)).toFixed(1)}× slower than bare`,
    );
    const total = storedMessages - 2 * SAMPLE + storedComments;
    console.log(
      `  together: ${total} rows in ${((hooked.wallMs + polled.wallMs) / 1000).toFixed(1)} s = ${perSec(total, hooked.wallMs + polled.wallMs)} rows/s`,
    );

    // Polling calls a day: the real schedule × the posting mix, beside each platform's quotas (at the seeded accounts).
    const mixCalls = POSTING_MIX.reduce((s, m) => s + m.share * pollsPerDay(m.postsPerDay), 0);
    const accountMixCalls = POSTING_MIX.reduce((s, m) => s + m.share * accountPollsPerDay(m.postsPerDay), 0);
    const busiest = pollsPerDay(POSTING_MIX[0]!.postsPerDay);
    const busiestAccount = accountPollsPerDay(POSTING_MIX[0]!.postsPerDay);
    console.log(
      `\n  polling schedule: ${POLL_STAGES.map((s) => `every ${s.every / 60_000} min to ${s.until / 3_600_000} h`).join(', ')}, then stop = ${pollsPerPost()} polls per post`,
    );
    console.log(
      `  posting mix: ${POSTING_MIX.map((m) => `${m.share * 100}% of accounts post ${m.postsPerDay}/day → ${pollsPerDay(m.postsPerDay)} polls/day per post, ${accountPollsPerDay(m.postsPerDay)} per account`).join('; ')}`,
    );
    const registry = hub.get(PluginRegistry);
    const table: Record<string, Record<string, string | number>> = {};
    let scheduleTotal = 0;
    for (const platform of PLATFORMS) {
      const m = registry.get(platform)!.manifest;
      const c = m.interaction?.comments;
      if (!c) continue;
      const perAccount = !!c.accountComments;
      const demand = (postsPerDay: number) => (perAccount ? accountPollsPerDay(postsPerDay) : pollsPerDay(postsPerDay));
      const accountsOn = seeded.accounts.filter((a) => a.platform === platform).length;
      const budget = dailyPollBudget({ commentQuota: c.dailyCallsPerAccount, rateLimits: m.rateLimits, accountsOnApp: accountsOn });
      const overBudget = POSTING_MIX.filter((x) => demand(x.postsPerDay) > budget).reduce((s, x) => s + x.share, 0);
      const served = POSTING_MIX.reduce((s, x) => s + x.share * Math.min(budget, demand(x.postsPerDay)), 0);
      const perApp = m.rateLimits?.perApp ? Math.round((m.rateLimits.perApp.tokens * DAY) / m.rateLimits.perApp.intervalMs) : null;
      const mix = perAccount ? accountMixCalls : mixCalls;
      const top = perAccount ? busiestAccount : busiest;
      scheduleTotal += mix * accountsOn;
      table[platform] = {
        accounts: accountsOn,
        'polled per': perAccount ? 'account (to_me)' : 'post',
        'schedule calls/day/account (mix)': Number(mix.toFixed(1)),
        'busiest account calls/day': top,
        'quota/day/account (manifest)': `${c.dailyCallsPerAccount} (${(c as { quotaBasis?: string }).quotaBasis ?? '?'})`,
        'inbox budget/day/account': budget,
        'accounts stretched': `${Math.round(overBudget * 100)}%`,
        'busiest stretched ×': Number(Math.max(1, top / budget).toFixed(1)),
        ...(perAccount ? { 'busiest × if per post': Number((busiest / budget).toFixed(1)) } : {}),
        'calls/day all accounts': Math.round(served * accountsOn),
        'app limit calls/day (all APIs)': perApp ?? '—',
      };
    }
    console.table(table);
    console.log(
      `  total at ${ACCOUNTS} accounts: ${Math.round(scheduleTotal)} calls/day by the schedule (${Math.round(mixCalls * ACCOUNTS)} if every platform were polled per post), ` +
        `${Object.values(table).reduce((s, r) => s + Number(r['calls/day all accounts']), 0)} within the budgets; ` +
        `an account over budget has its polling intervals stretched to fit (poll-budget.ts); the per-day counter is the hard cap`,
    );
    console.log(
      `  p99 webhook answer far under 5 s: ${percentile(hooked.times, 99) < 1000 ? 'yes' : 'NO'}; loadavg after ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    await mig.destroy();
  } finally {
    await bare?.close();
    await hub?.close();
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
