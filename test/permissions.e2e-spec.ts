import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Permission, POLICY, Role, ALL_ROLES } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';

/**
 * The permission matrix: every role, held at city A, against a unit and a user inside city A's
 * subtree and outside it (city B's county), for each resource. Lists must never leak a row from
 * outside the caller's subtree.
 */
for (const driver of testDrivers()) {
  describe(`permission matrix (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    const tokens = new Map<Role, string>();
    let insideUserId: string;
    let outsideUserId: string;

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      for (const role of ALL_ROLES) {
        await world.user(`m.${role}`, role, 'cityA');
        tokens.set(role, await login(hub.http, `m.${role}`));
      }
      insideUserId = (await world.user('inside.editor', Role.Editor, 'countyA1')).id;
      outsideUserId = (await world.user('outside.editor', Role.Editor, 'countyB1')).id;
      // Activity outside city A, so the audit log has rows an auditor at city A must not see.
      await login(hub.http, 'outside.editor');
    });
    after(() => hub.close());

    const can = (role: Role, p: Permission) => POLICY[p].includes(role);
    const auth = (role: Role) => ({ Authorization: `Bearer ${tokens.get(role)}` });
    const inScopePaths = () => [world.units.cityA.path];

    for (const role of ALL_ROLES) {
      describe(role, () => {
        it('lists units of its subtree only', async () => {
          const res = await hub.http.get('/api/v1/units?pageSize=200').set(auth(role));
          assert.equal(res.status, 200);
          assert.ok(res.body.items.length >= 4);
          for (const u of res.body.items) assert.ok(u.path.startsWith(world.units.cityA.path), `leaked unit ${u.name}`);
          assert.equal(res.body.total, res.body.items.length);
        });

        it('reads a unit inside its subtree and gets 404 outside', async () => {
          assert.equal((await hub.http.get(`/api/v1/units/${world.units.countyA1.id}`).set(auth(role))).status, 200);
          assert.equal((await hub.http.get(`/api/v1/units/${world.units.countyB1.id}`).set(auth(role))).status, 404);
          assert.equal((await hub.http.get(`/api/v1/units/${world.units.province.id}`).set(auth(role))).status, 404);
        });

        it(`${can(role, Permission.UnitWrite) ? 'may' : 'may not'} create and rename units inside, never outside`, async () => {
          const body = (parentId: string, n: number) => ({
            name: `${role} 测试部门 ${n}`,
            level: 'department',
            parentId,
            creditCode: makeCode(n),
            regionCode: '980121',
          });
          const inside = await hub.http.post('/api/v1/units').set(auth(role)).send(body(world.units.countyA1.id, seq()));
          assert.equal(inside.status, can(role, Permission.UnitWrite) ? 201 : 403, JSON.stringify(inside.body));
          const outside = await hub.http.post('/api/v1/units').set(auth(role)).send(body(world.units.countyB1.id, seq()));
          assert.equal(outside.status, 404);
          const rename = await hub.http
            .patch(`/api/v1/units/${world.units.deptA.id}`)
            .set(auth(role))
            .send({ name: `甲市教育局（${role}）` });
          assert.equal(rename.status, can(role, Permission.UnitWrite) ? 200 : 403);
          const renameOutside = await hub.http.patch(`/api/v1/units/${world.units.countyB1.id}`).set(auth(role)).send({ name: '越权修改' });
          assert.equal(renameOutside.status, 404);
        });

        it(`${can(role, Permission.UserRead) ? 'may' : 'may not'} list and read users, never outside its subtree`, async () => {
          const list = await hub.http.get('/api/v1/users?pageSize=200').set(auth(role));
          if (!can(role, Permission.UserRead)) {
            assert.equal(list.status, 403);
          } else {
            assert.equal(list.status, 200);
            const ids = list.body.items.map((u: { id: string }) => u.id);
            assert.ok(ids.includes(insideUserId));
            assert.ok(!ids.includes(outsideUserId), 'leaked a user of city B');
            for (const u of list.body.items) {
              const unit = Object.values(world.units).find((x) => x.id === u.unitId);
              assert.ok(unit && inScopePaths().some((p) => unit.path.startsWith(p)), `leaked user ${u.username}`);
            }
          }
          const inside = await hub.http.get(`/api/v1/users/${insideUserId}`).set(auth(role));
          assert.equal(inside.status, can(role, Permission.UserRead) ? 200 : 404);
          const outside = await hub.http.get(`/api/v1/users/${outsideUserId}`).set(auth(role));
          assert.equal(outside.status, 404);
        });

        it(`${can(role, Permission.UserWrite) ? 'may' : 'may not'} create users inside, never outside`, async () => {
          const n = seq();
          const mk = (unitId: string, suffix: string) => ({
            username: `new.${role}.${n}.${suffix}`,
            displayName: '新用户',
            unitId,
            password: 'Temp#Pass2026x',
          });
          const inside = await hub.http.post('/api/v1/users').set(auth(role)).send(mk(world.units.countyA1.id, 'in'));
          assert.equal(
            inside.status,
            can(role, Permission.UserWrite) ? 201 : can(role, Permission.UnitRead) ? 403 : 404,
            JSON.stringify(inside.body),
          );
          if (inside.status === 201) assert.equal(inside.body.mustChangePassword, true);
          const outside = await hub.http.post('/api/v1/users').set(auth(role)).send(mk(world.units.countyB1.id, 'out'));
          assert.equal(outside.status, 404);
        });

        it('grants the editor role only as the security admin or a unit admin, and only inside', async () => {
          const mayGrant = role === Role.SecurityAdmin || role === Role.UnitAdmin;
          const inside = await hub.http
            .post(`/api/v1/users/${insideUserId}/roles`)
            .set(auth(role))
            .send({ roles: [{ role: 'editor', unitId: world.units.countyA1.id }] });
          if (mayGrant) assert.equal(inside.status, 200, JSON.stringify(inside.body));
          else assert.ok([403, 404].includes(inside.status), `${role} got ${inside.status}`);
          const outside = await hub.http
            .post(`/api/v1/users/${outsideUserId}/roles`)
            .set(auth(role))
            .send({ roles: [{ role: 'editor', unitId: world.units.countyB1.id }] });
          assert.equal(outside.status, 404);
        });

        it(`${can(role, Permission.AuditRead) ? 'may' : 'may not'} read the audit log, and only its subtree's entries`, async () => {
          const res = await hub.http.get('/api/v1/audit?pageSize=200').set(auth(role));
          const verify = await hub.http.get('/api/v1/audit/verify').set(auth(role));
          if (!can(role, Permission.AuditRead)) {
            assert.equal(res.status, 403);
            assert.equal(verify.status, 403);
            return;
          }
          assert.equal(res.status, 200);
          assert.ok(res.body.items.length > 0);
          for (const e of res.body.items)
            assert.ok(e.unitPath?.startsWith(world.units.cityA.path), `leaked audit entry ${e.seq} ${e.action}`);
          assert.equal(verify.status, 200);
          assert.equal(verify.body.ok, true);
        });
      });
    }

    it('refuses every resource without a token', async () => {
      for (const path of ['/api/v1/units', '/api/v1/users', '/api/v1/audit', `/api/v1/units/${world.units.cityA.id}`]) {
        const res = await hub.http.get(path);
        assert.equal(res.status, 401, path);
        assert.equal(res.body.statusCode, 401);
      }
    });
  });
}

let counter = 0;
function seq(): number {
  return ++counter + Math.floor(Math.random() * 1e6) * 100;
}

import { makeCreditCode } from '@tongfa/identity';
function makeCode(n: number): string {
  return makeCreditCode('980121', 30_000_000 + n);
}
