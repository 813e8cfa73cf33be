import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import ExcelJS from 'exceljs';
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

    it('describes each entry by what it means and names its target, not by codes and ids', async () => {
      const list = await hub.http.get('/api/v1/audit?pageSize=100').set(auditor());
      const update = list.body.items.find(
        (e: { action: string; targetId: string }) => e.action === 'unit.update' && e.targetId === world.units.deptA.id,
      );
      assert.deepEqual(update.actionLabel, { zh: '修改单位', en: 'Unit changed' });
      assert.deepEqual(update.targetTypeLabel, { zh: '单位', en: 'Unit' });
      assert.equal(update.targetName, '甲市教育局（审计）');
      const login = list.body.items.find((e: { action: string }) => e.action === 'auth.login');
      assert.equal(login.actionLabel.zh, '登录');
    });

    it('finds entries by a search in Chinese: the action’s meaning, the actor, the target’s name', async () => {
      const byMeaning = await hub.http.get(`/api/v1/audit?pageSize=100&q=${encodeURIComponent('修改单位')}`).set(auditor());
      assert.equal(byMeaning.status, 200, byMeaning.text);
      assert.ok(byMeaning.body.items.length > 0);
      assert.ok(
        byMeaning.body.items.every((e: { action: string }) => e.action === 'unit.update'),
        JSON.stringify(byMeaning.body.items.map((e: { action: string }) => e.action)),
      );
      const byTarget = await hub.http.get(`/api/v1/audit?pageSize=100&q=${encodeURIComponent('教育局（审计')}`).set(auditor());
      assert.ok(byTarget.body.items.some((e: { targetId: string }) => e.targetId === world.units.deptA.id));
      const byActor = await hub.http.get('/api/v1/audit?pageSize=100&q=aud.admin').set(auditor());
      assert.ok(byActor.body.items.length > 0);
      assert.ok(byActor.body.items.every((e: { actorName: string }) => e.actorName === 'aud.admin'));
      const nothing = await hub.http.get(`/api/v1/audit?q=${encodeURIComponent('查无此事%_')}`).set(auditor());
      assert.equal(nothing.body.total, 0, 'LIKE wildcards in the search are taken literally');
    });

    it('exports the filtered log as xlsx in Chinese, and records the export', async () => {
      const res = await hub.http
        .get(`/api/v1/audit/export?q=${encodeURIComponent('修改单位')}`)
        .set(auditor())
        .buffer(true)
        .parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => done(null, Buffer.concat(chunks)));
        });
      assert.equal(res.status, 200);
      assert.match(res.headers['content-type'], /spreadsheetml/);
      const wb = new ExcelJS.Workbook();
      const buf = res.body as Buffer;
      await wb.xlsx.load(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
      const sheet = wb.getWorksheet('审计日志')!;
      assert.deepEqual((sheet.getRow(1).values as string[]).slice(1, 7), [
        '序号',
        '时间（北京时间）',
        '操作人',
        '操作',
        '对象类型',
        '对象',
      ]);
      const rows = sheet.getSheetValues().slice(2) as unknown[][];
      assert.ok(rows.length > 0);
      assert.ok(
        rows.some((r) => r[4] === '修改单位' && r[6] === '甲市教育局（审计）' && r[3] === 'aud.admin'),
        JSON.stringify(rows.slice(0, 3)),
      );
      assert.match(String(rows[0]![2]), /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
      const recorded = await hub.http.get('/api/v1/audit?action=audit.export').set(auditor());
      assert.equal(recorded.body.items[0].actorName, 'aud.auditor');
      assert.equal(recorded.body.items[0].after.rows, rows.length);
    });

    it('refuses the export to anyone without the audit permission', async () => {
      const res = await hub.http.get('/api/v1/audit/export').set({ Authorization: `Bearer ${adminToken}` });
      assert.equal(res.status, 403);
    });

    it('records a refused request with the status the client saw, not 500', async () => {
      const missing = `/api/v1/manuscripts/${'0'.repeat(26)}/submit`;
      const res = await hub.http
        .post(missing)
        .set({ Authorization: `Bearer ${adminToken}` })
        .send({});
      assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
      const list = await hub.http.get('/api/v1/audit?pageSize=100&action=http.post').set(auditor());
      const entry = list.body.items.find(
        (e: { targetId: string; after: { params?: { id?: string } } }) => e.after?.params?.id === '0'.repeat(26),
      );
      assert.ok(entry, JSON.stringify(list.body.items.slice(0, 3)));
      assert.equal(entry.result, 'failure');
      assert.equal(entry.after.status, res.status);
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
