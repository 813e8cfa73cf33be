import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { AuditService } from '@tongfa/audit';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';

const root = resolve(__dirname, '../..');

for (const driver of testDrivers()) {
  describe(`audit log (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let auditorToken: string;
    let adminToken: string;

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      await world.user('aud.auditor', Role.Auditor, 'province');
      await world.user('aud.admin', Role.UnitAdmin, 'cityA');
      auditorToken = await login(hub.http, 'aud.auditor');
      adminToken = await login(hub.http, 'aud.admin');
    });
    after(() => hub.close());

    const auditor = () => ({ Authorization: `Bearer ${auditorToken}` });

    it('records every state-changing request and decision with actor, unit, target and before/after', async () => {
      const patch = await hub.http
        .patch(`/api/v1/units/${world.units.deptA.id}`)
        .set({ Authorization: `Bearer ${adminToken}` })
        .send({ name: '甲市教育局（审计）' });
      assert.equal(patch.status, 200);
      const failed = await hub.http.post('/api/v1/auth/login').send({ username: 'aud.admin', password: 'wrong-Password1' });
      assert.equal(failed.status, 401);

      const list = await hub.http.get('/api/v1/audit?pageSize=100').set(auditor());
      assert.equal(list.status, 200);
      const update = list.body.items.find(
        (e: { action: string; targetId: string }) => e.action === 'unit.update' && e.targetId === world.units.deptA.id,
      );
      assert.ok(update, 'unit.update recorded');
      assert.equal(update.actorName, 'aud.admin');
      assert.equal(update.before.name, '甲市教育局');
      assert.equal(update.after.name, '甲市教育局（审计）');
      assert.ok(update.ip, 'client address recorded');
      assert.ok(update.requestId, 'request id recorded');
      const loginFail = list.body.items.find(
        (e: { action: string; result: string }) => e.action === 'auth.login' && e.result === 'failure',
      );
      assert.ok(loginFail, 'failed sign-in recorded');
      assert.equal(loginFail.after.reason, 'wrong_password');
      for (const e of list.body.items) assert.ok(!JSON.stringify(e).includes('wrong-Password1'), 'a password reached the audit log');
    });

    it('verifies an untouched chain', async () => {
      const res = await hub.http.get('/api/v1/audit/verify').set(auditor());
      assert.equal(res.status, 200);
      assert.equal(res.body.ok, true);
      assert.ok(res.body.checked >= 3);
    });

    it('names an entry edited in the database', async () => {
      const victim = await lastSeq(hub);
      await hub.ds.query(`UPDATE audit_entry SET actorName = 'someone-else' WHERE seq = ${victim - 1}`);
      const res = await hub.http.get('/api/v1/audit/verify').set(auditor());
      assert.equal(res.body.ok, false);
      assert.deepEqual(
        res.body.problems.filter((p: { problem: string }) => p.problem === 'edited').map((p: { seq: number }) => p.seq),
        [victim - 1],
      );
      await restore(hub);
    });

    it('names entries deleted from the middle and from the end', async () => {
      const last = await lastSeq(hub);
      await hub.ds.query(`DELETE FROM audit_entry WHERE seq = ${last - 2}`);
      let res = await hub.http.get('/api/v1/audit/verify').set(auditor());
      assert.equal(res.body.ok, false);
      assert.ok(res.body.problems.some((p: { problem: string; seq: number }) => p.problem === 'deleted' && p.seq === last - 2));
      await restore(hub);

      const tail = await lastSeq(hub);
      await hub.ds.query(`DELETE FROM audit_entry WHERE seq = ${tail}`);
      res = await hub.http.get('/api/v1/audit/verify').set(auditor());
      assert.equal(res.body.ok, false);
      assert.ok(res.body.problems.some((p: { problem: string }) => p.problem === 'deleted'));
      await restore(hub);
    });

    it('keeps the chain verifiable after retention purges old entries, and records the purge', async () => {
      const audit = hub.app.get(AuditService);
      const before = await audit.verify();
      assert.equal(before.ok, true, JSON.stringify(before.problems));
      hub.clock.advance(181 * 86_400_000);
      await login(hub.http, 'aud.admin'); // a fresh entry after the jump
      const purged = await audit.purge(180);
      assert.ok(purged >= before.checked, `purged ${purged}`);
      const after = await audit.verify();
      assert.equal(after.ok, true, JSON.stringify(after.problems));
      assert.ok(after.firstSeq! > before.lastSeq!);
      const rows = await hub.ds.query(`SELECT action FROM audit_entry ORDER BY seq DESC LIMIT 1`);
      assert.equal(rows[0].action, 'audit.purge');
    });

    it('npm run audit:verify exits 0 on an intact chain and 1 naming the entry after tampering', async () => {
      const env = { ...process.env, DATABASE_URL: hub.db.url, TONGFA_LOG_LEVEL: 'silent' };
      let r = spawnSync(process.execPath, ['dist/libs/audit/src/cli/verify.js'], { cwd: root, env, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /intact/);
      const seq = await lastSeq(hub);
      await hub.ds.query(`UPDATE audit_entry SET result = 'failure' WHERE seq = ${seq}`);
      r = spawnSync(process.execPath, ['dist/libs/audit/src/cli/verify.js'], { cwd: root, env, encoding: 'utf8' });
      assert.equal(r.status, 1);
      assert.match(r.stdout, new RegExp(`seq ${seq} edited`));
      await restore(hub);
    });

    /** Tampering tests share one database: each rebuilds a clean chain afterwards. */
    async function restore(h: TestHub): Promise<void> {
      await h.ds.query('DELETE FROM audit_entry');
      await h.ds.query('DELETE FROM audit_head');
      for (let i = 0; i < 4; i++) await login(h.http, 'aud.admin');
      assert.equal((await h.app.get(AuditService).verify()).ok, true);
    }
  });
}

async function lastSeq(hub: TestHub): Promise<number> {
  const rows = await hub.ds.query('SELECT MAX(seq) AS s FROM audit_entry');
  return Number(rows[0].s);
}
