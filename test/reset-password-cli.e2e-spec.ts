import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { testDrivers } from '@tongfa/database';
import { Role } from '@tongfa/identity';
import { AuditEntry, AuditService } from '@tongfa/audit';
import { startTestHub, TestHub } from './support/test-hub';
import { PASSWORD, World } from './support/world';

const CLI = resolve(__dirname, '../libs/identity/src/cli/reset-password.js');

/** Runs `npm run user:reset-password -- <args>` (the compiled CLI) against the hub's database. */
function resetPassword(databaseUrl: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
      // A hung CLI is killed at the deadline and fails the test by its exit, not left running.
      timeout: 30_000,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', fail);
    child.on('exit', (code) => {
      done({ code, stdout, stderr });
    });
  });
}

/**
 * The operator's way back in when a password is lost (the demo's generated operator cannot be
 * recovered): the CLI sets a random temporary password, prints it once, ends every session of
 * the user and records it in the audit log.
 */
for (const driver of testDrivers()) {
  describe(`user:reset-password (${driver})`, () => {
    let hub: TestHub;
    let world: World;

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      await world.user('rp.operator', Role.PlatformOperator, 'province');
    });
    after(() => hub.close());

    it('gives a random temporary password once, ends the user’s sessions and audits it', async () => {
      const first = await hub.http.post('/api/v1/auth/login').send({ username: 'rp.operator', password: PASSWORD });
      assert.equal(first.status, 200, first.text);

      const r = await resetPassword(hub.config.env.DATABASE_URL, ['--', 'rp.operator']);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.split('\n');
      const password = lines[1]!.trim();
      assert.match(lines[0]!, /^已为 rp\.operator 设置临时密码/);
      assert.ok(password.length >= 16 && !password.includes(' '), 'one password on its own line');
      assert.match(r.stdout, /已结束该用户的 1 个会话/);

      assert.equal((await hub.http.post('/api/v1/auth/login').send({ username: 'rp.operator', password: PASSWORD })).status, 401);
      const refreshed = await hub.http.post('/api/v1/auth/refresh').send({ refreshToken: first.body.refreshToken });
      assert.equal(refreshed.status, 401, 'the old session ended');
      const again = await hub.http.post('/api/v1/auth/login').send({ username: 'rp.operator', password });
      assert.equal(again.status, 200, again.text);
      assert.equal(again.body.mustChangePassword, true, 'temporary: to be changed at this sign-in');

      const entry = await hub.ds.getRepository(AuditEntry).findOne({ where: { action: 'user.password.reset' }, order: { seq: 'DESC' } });
      assert.ok(entry, 'an audit entry');
      assert.equal(entry.targetId, world.users.get('rp.operator')!.id);
      assert.equal((entry.after as { via: string }).via, 'cli');
      assert.ok(!JSON.stringify(entry).includes(password), 'the password is not in the audit log');
      const verify = await hub.app.get(AuditService).verify();
      assert.equal(verify.ok, true, 'the chain still verifies');
    });

    it('draws a new password every time', async () => {
      const a = await resetPassword(hub.config.env.DATABASE_URL, ['rp.operator']);
      const b = await resetPassword(hub.config.env.DATABASE_URL, ['rp.operator']);
      assert.equal(a.code, 0, a.stderr);
      assert.notEqual(a.stdout.split('\n')[1], b.stdout.split('\n')[1]);
    });

    it('says so for an unknown user and for a wrong call, changing nothing', async () => {
      const before = await hub.ds.getRepository(AuditEntry).count();
      const unknown = await resetPassword(hub.config.env.DATABASE_URL, ['nobody.here']);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /用户不存在 no such user: nobody\.here/);
      assert.equal(unknown.stdout, '');
      const usage = await resetPassword(hub.config.env.DATABASE_URL, []);
      assert.equal(usage.code, 64);
      assert.match(usage.stderr, /user:reset-password -- <username>/);
      const injected = await resetPassword(hub.config.env.DATABASE_URL, ["x' OR '1'='1"]);
      assert.equal(injected.code, 64);
      assert.equal(await hub.ds.getRepository(AuditEntry).count(), before);
    });
  });
}
