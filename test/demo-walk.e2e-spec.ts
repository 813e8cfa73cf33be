import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { SandboxClient } from '@tongfa/plugin-sdk/testing';
import { createDataSource, createTestDatabase, testDrivers, TestDatabase } from '@tongfa/database';
import { spawnHub, type HubProcess } from './support/hub-process';
import { DEMO_RELEASE_TITLE } from '../apps/hub/src/demo/demo-content';
import { pollUntil } from './support/poll';
import { testRedisUrl } from './support/test-hub';
import { WORKER_MAIN } from './support/publish-kit';

const ROOT = resolve(__dirname, '../..');
const README = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
/** The demo editor's password exactly as the README's curl example gives it. */
const README_PASSWORD = /"username":"editor\.dongqu","password":"([^"]+)"/.exec(README)?.[1];
const PLATFORMS = ['douyin', 'nanfang', 'own-app', 'toutiao', 'wechat', 'weibo'];

/**
 * The README's demo path, walked through the API against the hub started as `npm start` starts it
 * (the compiled main, the demo seeder as shipped, the sandbox beside it, ephemeral ports): the
 * demo editor signs in with the README's password, uploads a cover, writes a manuscript with it,
 * the two demo reviewers approve in order, the editor publishes to the unit's six demo accounts,
 * and every one of them turns published with exactly one post on each simulated platform.
 * On SQLite exactly as `npm start` (embedded, no settings at all); on MariaDB + Redis with
 * TONGFA_DEMO=1 and a separate worker.
 */
for (const driver of testDrivers()) {
  describe(`the README's demo path (${driver})`, () => {
    let dir = '';
    let db: TestDatabase | null = null;
    let env: Record<string, string> = {};
    let hub: HubProcess;
    let worker: ChildProcess | null = null;
    let workerOut = '';
    let base = '';
    const tokens = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${tokens.get(who)}` });
    let publicationId = '';
    let unitId = '';
    const title = '东区推出十项便民服务举措';

    before(async () => {
      assert.ok(README_PASSWORD, 'the README shows the demo editor’s password');
      dir = mkdtempSync(join(tmpdir(), 'tongfa-walk-'));
      if (driver === 'mysql') {
        db = await createTestDatabase('mysql');
        const mig = await createDataSource(db.url);
        await mig.initialize();
        await mig.runMigrations();
        await mig.destroy();
        env = {
          DATABASE_URL: db.url,
          REDIS_URL: testRedisUrl(),
          TONGFA_QUEUE_PREFIX: `t${randomBytes(5).toString('hex')}`,
          TONGFA_SECRET_KEY: randomBytes(32).toString('hex'),
          TONGFA_MEDIA_DIR: join(dir, 'media'),
          TONGFA_DEMO: '1',
          // The worker calls the hub's simulators, so both must know their port: a free one.
          SANDBOX_PORT: String(await freePort()),
        };
        worker = spawn(process.execPath, [WORKER_MAIN], {
          cwd: dir,
          env: { PATH: process.env.PATH ?? '', ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        worker.stdout!.on('data', (b: Buffer) => (workerOut += b.toString()));
        worker.stderr!.on('data', (b: Buffer) => (workerOut += b.toString()));
        await pollUntil(() => workerOut.includes('worker ready'), { timeoutMs: 30_000, what: `worker ready: ${workerOut.slice(-1000)}` });
      }
      // `npm start` in a fresh clone: nothing set, the data directory relative to where it runs.
      hub = spawnHub(env, { cwd: dir });
      base = await hub.started(90_000);
    });
    after(async () => {
      await hub?.stop();
      if (worker && worker.exitCode === null) {
        worker.kill('SIGTERM');
        await new Promise((r) => worker!.once('exit', r));
      }
      await db?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('prints the demo users last, with the README’s password, and is ready', async () => {
      const lines = hub.stdout().trimEnd().split('\n');
      assert.match(lines.at(-1)!, /editor\.xixian/, `the banner is the last thing printed:\n${lines.slice(-5).join('\n')}`);
      const editor = lines.find((l) => /^\s+editor\.dongqu\s/.test(l));
      assert.ok(editor?.includes(README_PASSWORD!), `the banner shows editor.dongqu with ${README_PASSWORD}`);
      assert.match(hub.stdout(), /演示账号已连接 demo accounts connected: 24(?! \()/, 'every demo account connected');
      const ready = await request(base).get('/health/ready');
      assert.equal(ready.status, 200, ready.text);
    });

    it('lets the demo editor and the two reviewers sign in with the README’s password', async () => {
      for (const u of ['editor.dongqu', 'reviewer1.dongqu', 'reviewer2.dongqu']) {
        const res = await request(base).post('/api/v1/auth/login').send({ username: u, password: README_PASSWORD });
        assert.equal(res.status, 200, `${u}: ${res.text}`);
        assert.equal(res.body.mustChangePassword, false);
        tokens.set(u, res.body.accessToken);
      }
    });

    it('shows every demo account with one name and its county as verified subject, none flagged', async () => {
      const login = await request(base).post('/api/v1/auth/login').send({ username: 'supervisor', password: README_PASSWORD });
      assert.equal(login.status, 200, login.text);
      const list = await request(base)
        .get('/api/v1/accounts?pageSize=100')
        .set({ Authorization: `Bearer ${login.body.accessToken}` });
      assert.equal(list.status, 200, list.text);
      assert.equal(list.body.items.length, 24);
      const flagged = list.body.items.filter((a: { namingIssues: string[] | null }) => a.namingIssues?.length);
      assert.deepEqual(
        flagged.map(
          (a: { platform: string; name: string; namingIssues: string[] }) => `${a.platform} ${a.name}: ${a.namingIssues.join('; ')}`,
        ),
        [],
      );
      const subjects = list.body.items.filter((a: { verifiedSubject: string | null }) => a.verifiedSubject);
      assert.ok(subjects.length >= 12, 'Weibo, 南方号 and the own app report a subject for every county');
      for (const a of subjects) assert.match(a.verifiedSubject, /人民政府办公室$/);
      const quiet = hub.stdout() + hub.stderr();
      assert.doesNotMatch(quiet, /getProfile failed/, 'connecting the demo warns of nothing');
    });

    it('writes a manuscript with a cover, reviewed by reviewer1 then reviewer2', async () => {
      const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#2a7' } })
        .jpeg()
        .toBuffer();
      const media = await request(base).post('/api/v1/media').set(as('editor.dongqu')).attach('file', photo, '封面.jpg');
      assert.equal(media.status, 201, media.text);
      const ms = await request(base)
        .post('/api/v1/manuscripts')
        .set(as('editor.dongqu'))
        .send({
          title,
          summary: '东区政务服务中心推行延时和预约服务',
          body: '<p>为进一步优化政务服务，东区推出十项便民举措。</p><p>一是推行延时服务；二是推行预约服务。</p>',
          category: 'news',
          source: { type: 'original' },
          coverMediaId: media.body.id,
          mediaIds: [media.body.id],
        });
      assert.equal(ms.status, 201, ms.text);
      const id = ms.body.id as string;
      assert.equal((await request(base).post(`/api/v1/manuscripts/${id}/submit`).set(as('editor.dongqu'))).status, 200);
      // In order: the second reviewer cannot go first.
      const early = await request(base).post(`/api/v1/manuscripts/${id}/reviews`).set(as('reviewer2.dongqu')).send({ decision: 'approve' });
      assert.ok(early.status >= 400, `reviewer2 before reviewer1: ${early.status}`);
      for (const r of ['reviewer1.dongqu', 'reviewer2.dongqu']) {
        const res = await request(base).post(`/api/v1/manuscripts/${id}/reviews`).set(as(r)).send({ decision: 'approve', comment: '同意' });
        assert.equal(res.status, 200, `${r}: ${res.text}`);
      }
      const done = await request(base).get(`/api/v1/manuscripts/${id}`).set(as('editor.dongqu'));
      assert.equal(done.body.status, 'approved');
      unitId = done.body.unitId;

      const accounts = await request(base).get(`/api/v1/accounts?unitId=${done.body.unitId}&pageSize=50`).set(as('editor.dongqu'));
      assert.equal(accounts.status, 200, accounts.text);
      assert.deepEqual(accounts.body.items.map((a: { platform: string }) => a.platform).sort(), PLATFORMS);
      const pub = await request(base)
        .post(`/api/v1/manuscripts/${id}/publications`)
        .set(as('editor.dongqu'))
        .send({ accountIds: accounts.body.items.map((a: { id: string }) => a.id) });
      assert.equal(pub.status, 201, pub.text);
      assert.deepEqual(pub.body.skipped, [], 'every demo account can publish');
      assert.equal(pub.body.targets.length, 6);
      publicationId = pub.body.id;
    });

    it('sends the review and approval notifications to the unit’s demo 政务微信 and 钉钉 groups in the sandbox', async () => {
      const login = await request(base).post('/api/v1/auth/login').send({ username: 'admin.dongqu', password: README_PASSWORD });
      assert.equal(login.status, 200, login.text);
      const list = await request(base)
        .get(`/api/v1/units/${unitId}/notification-channels`)
        .set({ Authorization: `Bearer ${login.body.accessToken}` });
      assert.equal(list.status, 200, list.text);
      assert.deepEqual(
        list.body.map((c: { provider: string; name: string; signed: boolean }) => `${c.provider} ${c.name} ${c.signed}`).sort(),
        ['dingtalk 工作钉钉群（演示） true', 'wecom 值班政务微信群（演示） false'],
      );
      const sandbox = hub.sandboxUrl();
      assert.ok(sandbox, 'the banner names the sandbox');
      assert.match(hub.stdout(), /演示通知机器人 demo bots: 2 个/);
      // The delivery sweep runs every 15 s: both simulated groups get the manuscript's notifications.
      let got: { provider: string; title: string | null; content: string }[] = [];
      await pollUntil(
        async () => {
          got = (await (await fetch(`${sandbox}/_sandbox/bots/messages`)).json()) as typeof got;
          const about = got.filter((m) => `${m.title ?? ''}${m.content}`.includes(title));
          return about.some((m) => m.provider === 'wecom') && about.some((m) => m.provider === 'dingtalk');
        },
        { timeoutMs: 60_000, intervalMs: 1000, what: 'both demo groups receive a notification about the manuscript' },
      ).catch(() => assert.fail(`the groups received: ${JSON.stringify(got).slice(0, 1000)}`));
    });

    it('ends with six published targets and exactly one post on each platform', async () => {
      const view = await pollUntil(
        async () => {
          const v = await request(base).get(`/api/v1/publications/${publicationId}`).set(as('editor.dongqu'));
          return v.body.targets?.every((x: { state: string }) => x.state === 'published') ? v.body : null;
        },
        { timeoutMs: 90_000, intervalMs: 250, what: 'six targets published' },
      );
      assert.equal(view.status, 'published');
      assert.deepEqual(view.targets.map((x: { platform: string }) => x.platform).sort(), PLATFORMS);
      const sim = new SandboxClient(hub.sandboxUrl()!);
      for (const platform of PLATFORMS) {
        const posts = (await sim.posts(platform)).filter((p) => !p.deleted);
        assert.equal(posts.length, 1, `${platform}: exactly one post`);
        assert.ok(posts[0]!.title.includes('便民') || posts[0]!.text.includes('便民'), `${platform} carries the manuscript`);
      }
      // The link a newcomer clicks opens the simulated post, not a real platform's 404.
      for (const target of view.targets as { platform: string; url: string; viewUrl: string }[]) {
        assert.ok(target.viewUrl?.startsWith(`${hub.sandboxUrl()}/_sandbox/${target.platform}/view?url=`), JSON.stringify(target));
        const page = await fetch(target.viewUrl);
        assert.equal(page.status, 200, `${target.platform}: ${target.viewUrl}`);
        assert.match(page.headers.get('content-type') ?? '', /text\/html/);
        const html = await page.text();
        assert.match(html, /便民/, `${target.platform} page shows the post`);
        assert.match(html, /统发沙箱模拟/);
      }
    });

    it('lets the city supervisor relay the city’s ready-made release to its counties (矩阵联动), and a county accept it', async () => {
      const sign = async (u: string) => {
        const res = await request(base).post('/api/v1/auth/login').send({ username: u, password: README_PASSWORD });
        assert.equal(res.status, 200, `${u}: ${res.text}`);
        return { Authorization: `Bearer ${res.body.accessToken}` };
      };
      const sup = await sign('supervisor.qingshan');
      const me = await request(base).get('/api/v1/auth/me').set(sup);
      const list = await request(base).get('/api/v1/manuscripts?status=approved&pageSize=50').set(sup);
      const release = list.body.items.find((m: { title: string }) => m.title === DEMO_RELEASE_TITLE);
      assert.ok(release, `the demo's approved city release: ${JSON.stringify(list.body.items.map((m: { title: string }) => m.title))}`);
      const campaign = await request(base)
        .post('/api/v1/campaigns')
        .set(sup)
        .send({
          title: '转发：今冬明春安全生产通知',
          source: { manuscriptId: release.id },
          targets: { rootUnitId: me.body.unitId, levels: ['county'] },
          platforms: ['weibo', 'wechat'],
          deadline: new Date(Date.now() + 24 * 3600_000).toISOString(),
        });
      assert.equal(campaign.status, 201, campaign.text);
      assert.equal(campaign.body.counts.total, 4, 'two counties × two platforms');
      assert.equal(campaign.body.counts.pending, 4, 'every demo county has both accounts');
      const county = await sign('editor.xixian');
      const mine = await request(base).get('/api/v1/assignments').set(county);
      assert.equal(mine.status, 200, mine.text);
      assert.equal(mine.body.items.length, 2);
      const accepted = await request(base).post(`/api/v1/assignments/${mine.body.items[0].id}/accept`).set(county);
      assert.ok(accepted.status === 200 || accepted.status === 201, accepted.text);
      assert.ok(accepted.body.manuscriptId);
      // The relay passes the checks without a lexicon entry: the city is the county's superior.
      const check = await request(base).post(`/api/v1/manuscripts/${accepted.body.manuscriptId}/check`).set(county);
      assert.equal(check.status, 200, check.text);
      assert.deepEqual(check.body.blocking, []);
    });

    it('prints the demo users again after a restart and says how to reset the operator’s password', async () => {
      await hub.stop();
      hub = spawnHub(env, { cwd: dir });
      base = await hub.started(90_000);
      const out = hub.stdout();
      assert.match(out, /editor\.dongqu\s.*Tongfa#2026demo/);
      assert.match(out, /admin\s.*npm run user:reset-password -- admin/);
      assert.equal(hub.stdout().trimEnd().split('\n').at(-1)!.trim().startsWith('editor.xixian'), true, 'the banner is last');
      const again = await request(base).post('/api/v1/auth/login').send({ username: 'editor.dongqu', password: README_PASSWORD });
      assert.equal(again.status, 200, again.text);
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
