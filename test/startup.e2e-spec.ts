import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource, createTestDatabase, testDrivers, TestDatabase } from '@tongfa/database';
import { Unit, User } from '@tongfa/identity';
import { DEMO_PASSWORD, DEMO_USERNAMES } from '../apps/hub/src/demo/demo-seeder';
import { spawnHub } from './support/hub-process';
import { testRedisUrl } from './support/test-hub';
import { pollUntil } from './support/poll';

// What a printed password would look like: the published demo one, or a generated one.
const PRINTED_PASSWORD = new RegExp(`${DEMO_PASSWORD.replace(/[#]/g, '\\$&')}|Tf-[A-Za-z0-9_-]{12,}9a`);

/**
 * Production must never carry the demo's published password: without TONGFA_DEMO nothing of the
 * demo is seeded; with TONGFA_DEMO=1 the demo users get random temporary passwords that are never
 * printed; a database a development start seeded loses its published passwords in production.
 * The embedded start keeps a generated secret key in the data directory (0600) and reuses it.
 */
for (const driver of testDrivers()) {
  describe(`a production start (${driver})`, () => {
    const dbs: TestDatabase[] = [];
    const dirs: string[] = [];
    after(async () => {
      for (const db of dbs) await db.drop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    /** A fresh, migrated database and the environment a production hub on it gets. */
    async function fresh(): Promise<{ url: string; env: Record<string, string> }> {
      if (driver === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), 'tongfa-prod-'));
        dirs.push(dir);
        const url = `sqlite:${join(dir, 'data', 'tongfa.db')}`;
        return { url, env: { DATABASE_URL: url, TONGFA_MEDIA_DIR: join(dir, 'data', 'media') } };
      }
      const db = await createTestDatabase('mysql');
      dbs.push(db);
      const mig = await createDataSource(db.url);
      await mig.initialize();
      await mig.runMigrations();
      await mig.destroy();
      return {
        url: db.url,
        env: {
          DATABASE_URL: db.url,
          REDIS_URL: testRedisUrl(),
          TONGFA_QUEUE_PREFIX: `t${randomBytes(5).toString('hex')}`,
          TONGFA_SECRET_KEY: randomBytes(32).toString('hex'),
          TONGFA_MEDIA_DIR: join(mkdtempSync(join(tmpdir(), 'tongfa-media-')), 'media'),
        },
      };
    }

    async function withDb<T>(url: string, fn: (ds: DataSource) => Promise<T>): Promise<T> {
      const ds = await createDataSource(url);
      await ds.initialize();
      try {
        return await fn(ds);
      } finally {
        await ds.destroy();
      }
    }

    it('seeds nothing of the demo without TONGFA_DEMO and prints no password', async () => {
      const { url, env } = await fresh();
      const hub = spawnHub({ ...env, NODE_ENV: 'production' });
      try {
        const base = await hub.started();
        assert.equal((await request(base).get('/health/ready')).status, 200);
      } finally {
        await hub.stop();
      }
      const all = hub.stdout() + hub.stderr();
      assert.doesNotMatch(all, PRINTED_PASSWORD);
      assert.doesNotMatch(all, /演示用户|demo users|沙箱 sandbox/);
      assert.match(hub.stdout(), /no users yet: set TONGFA_BOOTSTRAP_ADMIN/, 'and says how to create the first operator');
      await withDb(url, async (ds) => {
        assert.equal(await ds.getRepository(Unit).count(), 0, 'no demo units');
        assert.equal(await ds.getRepository(User).count(), 0, 'no demo users');
      });
    });

    it('with TONGFA_DEMO=1 gives the demo users random temporary passwords and never prints one', async () => {
      const { url, env } = await fresh();
      const hub = spawnHub({ ...env, NODE_ENV: 'production', TONGFA_DEMO: '1' });
      let base = '';
      try {
        base = await hub.started();
        for (const username of ['editor.dongqu', 'reviewer1.dongqu', 'security', 'admin']) {
          const res = await request(base).post('/api/v1/auth/login').send({ username, password: DEMO_PASSWORD });
          assert.equal(res.status, 401, `${username} does not take the published password`);
        }
      } finally {
        await hub.stop();
      }
      const all = hub.stdout() + hub.stderr();
      assert.doesNotMatch(all, PRINTED_PASSWORD);
      assert.match(hub.stdout(), /editor\.dongqu/, 'the banner names the demo users');
      assert.match(hub.stdout(), /npm run user:reset-password -- <username>/, 'and says how to give one a password');
      await withDb(url, async (ds) => {
        assert.equal(await ds.getRepository(Unit).count(), 7);
        const users = await ds.getRepository(User).find();
        assert.deepEqual(users.map((u) => u.username).sort(), [...DEMO_USERNAMES].sort());
        for (const u of users) assert.equal(u.mustChangePassword, true, `${u.username} must change the password at first sign-in`);
      });
    });

    it('takes the published password away from a database a development start seeded', async () => {
      const { url, env } = await fresh();
      const dev = spawnHub({ ...env, NODE_ENV: 'development', TONGFA_DEMO: '1' });
      try {
        const base = await dev.started();
        assert.equal(
          (await request(base).post('/api/v1/auth/login').send({ username: 'editor.dongqu', password: DEMO_PASSWORD })).status,
          200,
        );
      } finally {
        await dev.stop();
      }
      const prod = spawnHub({ ...env, NODE_ENV: 'production' });
      try {
        const base = await prod.started();
        const res = await request(base).post('/api/v1/auth/login').send({ username: 'editor.dongqu', password: DEMO_PASSWORD });
        assert.equal(res.status, 401, 'the published password no longer opens the account');
      } finally {
        await prod.stop();
      }
      assert.doesNotMatch(prod.stdout() + prod.stderr(), PRINTED_PASSWORD);
      assert.match(prod.stdout(), /demo user editor\.dongqu still had the published password/);
      await withDb(url, async (ds) => {
        const editor = await ds.getRepository(User).findOneByOrFail({ username: 'editor.dongqu' });
        assert.equal(editor.mustChangePassword, true);
      });
    });

    if (driver === 'sqlite') {
      it('generates the secret key once in the data directory, mode 0600, and reuses it on restart', async () => {
        const { url, env } = await fresh();
        const keyFile = join(dirname(url.slice('sqlite:'.length)), 'secret.key');
        const admin = {
          TONGFA_BOOTSTRAP_ADMIN: 'ops.admin:Ops#Admin-2026x',
          // Tongfa as an OpenID provider seals its signing key under the secret key.
          TONGFA_OIDC_PROVIDER_CLIENTS: JSON.stringify([
            { client_id: 'county-app', client_secret: 'county-app-secret-0123456789', redirect_uris: ['http://127.0.0.1:9/cb'] },
          ]),
        };
        const first = spawnHub({ ...env, ...admin, NODE_ENV: 'production' });
        let token = '';
        let refreshToken = '';
        let kids: string[] = [];
        try {
          const base = await first.started();
          const login = await request(base).post('/api/v1/auth/login').send({ username: 'ops.admin', password: 'Ops#Admin-2026x' });
          assert.equal(login.status, 200, login.text);
          token = login.body.accessToken;
          refreshToken = login.body.refreshToken;
          const jwks = await request(base).get('/oidc/jwks');
          assert.equal(jwks.status, 200, jwks.text);
          kids = jwks.body.keys.map((k: { kid: string }) => k.kid);
          assert.ok(kids.length > 0);
        } finally {
          await first.stop();
        }
        const key = readFileSync(keyFile, 'utf8');
        assert.match(key, /^[0-9a-f]{64}\n$/);
        assert.equal(statSync(keyFile).mode & 0o777, 0o600);
        assert.ok(!(first.stdout() + first.stderr()).includes(key.trim()), 'the key is never printed');
        assert.match(first.stdout(), /generated a random key/);

        const second = spawnHub({ ...env, ...admin, NODE_ENV: 'production' });
        try {
          const base = await second.started();
          const me = await request(base).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
          assert.equal(me.status, 200, 'a token signed before the restart still verifies: the same key');
          const refreshed = await request(base).post('/api/v1/auth/refresh').send({ refreshToken });
          assert.equal(refreshed.status, 200, `the refresh token's MAC still checks: ${refreshed.text}`);
          const jwks = await request(base).get('/oidc/jwks');
          assert.equal(jwks.status, 200, `the sealed OIDC signing key still opens: ${jwks.text}`);
          assert.deepEqual(
            jwks.body.keys.map((k: { kid: string }) => k.kid),
            kids,
          );
        } finally {
          await second.stop();
        }
        assert.equal(readFileSync(keyFile, 'utf8'), key, 'reused, not regenerated');
        assert.doesNotMatch(second.stdout(), /generated a random key/);
      });
    }
  });
}

describe('a start on a port that is taken', () => {
  it('exits 1 with one line naming the setting to change, not a stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '0.0.0.0', done));
    const port = (blocker.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), 'tongfa-port-'));
    const hub = spawnHub({ PORT: String(port), TONGFA_DEMO: '0', TONGFA_LOG_LEVEL: 'silent' }, { cwd: dir });
    try {
      const code = await new Promise<number | null>((done) => hub.proc.once('exit', (c) => done(c)));
      assert.equal(code, 1);
      const err = hub.stderr().trim();
      assert.match(err, new RegExp(`^端口 ${port} 已被占用（PORT）`));
      assert.equal(err.split('\n').length, 1, err);
      assert.doesNotMatch(err, /\bat \S+ \(/, 'no stack trace');
    } finally {
      await hub.stop();
      blocker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the log of a start the load balancer watches', () => {
  it('records the not-ready answers of /health/ready as warnings without a stack, then serves', async () => {
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((done) => probe.close(done));
    const dir = mkdtempSync(join(tmpdir(), 'tongfa-ready-log-'));
    const hub = spawnHub({ PORT: String(port), SANDBOX_PORT: '0', TONGFA_DEMO: '1', TONGFA_LOG_LEVEL: 'info' }, { cwd: dir });
    try {
      let notReady = 0;
      await pollUntil(
        async () => {
          const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null);
          if (res?.status === 503) notReady++;
          return res?.status === 200;
        },
        { timeoutMs: 90_000, intervalMs: 20, what: `ready; ${hub.stderr().slice(-1000)}` },
      );
      const lines = hub
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { level: number; msg: string; res?: { statusCode: number }; err?: unknown });
      const answered = lines.filter((l) => l.res?.statusCode === 503);
      assert.equal(answered.length > 0, notReady > 0, 'every 503 the probe saw is in the log');
      for (const l of answered) {
        assert.equal(l.level, 40, JSON.stringify(l));
        assert.equal(l.err, undefined, 'no made-up stack for a chosen 503');
      }
      assert.deepEqual(
        lines.filter((l) => l.level >= 50).map((l) => l.msg),
        [],
        'nothing at error level',
      );
    } finally {
      await hub.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
