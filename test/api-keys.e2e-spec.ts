import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ApiKey, Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { startTestHub, TestHub } from './support/test-hub';
import { PASSWORD, World } from './support/world';
import { LeakWatch } from './support/leak-watch';

const HOUR = 3_600_000;

/**
 * API keys for machine clients: created by a signed-in unit admin or operator, shown once,
 * stored hashed, acting with the grants they were given but never beyond the owner's current
 * roles, refused once revoked or expired.
 */
for (const driver of testDrivers()) {
  describe(`API keys (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let w: LeakWatch;

    /** A fresh access token (sessions go idle when the tests move the clock). */
    async function token(username: string): Promise<string> {
      const res = await w.call('post', '/api/v1/auth/login', { body: { username, password: PASSWORD }, shows: ['refreshToken'] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      w.secret(res.body.refreshToken as string);
      return res.body.accessToken as string;
    }

    async function createKey(owner: string, body: object): Promise<{ id: string; token: string; body: Record<string, unknown> }> {
      const res = await w.call('post', '/api/v1/api-keys', { token: await token(owner), body, shows: ['token'] });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const tok = w.secret(res.body.token as string);
      w.secret(tok.slice(41));
      return { id: res.body.id as string, token: tok, body: res.body };
    }

    /** A key for k.admin acting as unit admin of county A1 only. */
    const countyKey = (name: string, extra: object = {}) =>
      createKey('k.admin', {
        name,
        unitId: world.units.cityA.id,
        grants: [{ role: 'unit_admin', unitId: world.units.countyA1.id }],
        ...extra,
      });

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      w = new LeakWatch(hub.http);
      w.secret(PASSWORD);
      await world.user('k.sec', Role.SecurityAdmin, 'province');
      await world.user('k.auditor', Role.Auditor, 'province');
      await world.user('k.admin', Role.UnitAdmin, 'cityA');
      await world.user('k.adminB', Role.UnitAdmin, 'cityB');
      await world.user('k.editorA1', Role.Editor, 'countyA1');
      await world.user('k.editorA2', Role.Editor, 'countyA2');
      await world.user('k.editorB1', Role.Editor, 'countyB1');
    });
    after(() => hub.close());

    it('shows the key once at creation and stores only its hash', async () => {
      const key = await countyKey('稿件同步');
      assert.match(key.token, /^tfk_[0-9a-f-]{36}_[A-Za-z0-9_-]{43}$/);
      assert.equal(key.body.id, key.token.slice(4, 40));
      assert.deepEqual(key.body.grants, [{ role: 'unit_admin', unitId: world.units.countyA1.id, level: null }]);
      const list = await w.call('get', '/api/v1/api-keys', { token: await token('k.admin') });
      assert.equal(list.status, 200);
      const listed = list.body.items.find((k: { id: string }) => k.id === key.id);
      assert.ok(listed, 'the key is listed');
      assert.equal(listed.token, undefined);
      assert.equal(listed.secretHash, undefined);
      const row = await hub.ds.getRepository(ApiKey).findOneByOrFail({ id: key.id });
      const secret = key.token.slice(41); // after tfk_<id>_; base64url may itself contain '_'
      assert.equal(row.secretHash, createHash('sha256').update(secret).digest('hex'));
      assert.ok(!JSON.stringify(row).includes(secret));
    });

    it('authenticates as Authorization: Bearer tfk_… and sees only its grants’ subtree', async () => {
      const key = await countyKey('只看一县');
      const me = await w.call('get', '/api/v1/auth/me', { token: key.token });
      assert.equal(me.status, 200);
      assert.equal(me.body.username, 'k.admin');
      assert.equal(me.body.via, 'api_key');

      const units = await w.call('get', '/api/v1/units?pageSize=200', { token: key.token });
      assert.equal(units.status, 200);
      assert.ok(units.body.items.length >= 1);
      for (const u of units.body.items) assert.ok(u.path.startsWith(world.units.countyA1.path), `leaked unit ${u.name}`);
      assert.equal((await w.call('get', `/api/v1/units/${world.units.countyA2.id}`, { token: key.token })).status, 404);

      const users = await w.call('get', '/api/v1/users?pageSize=200', { token: key.token });
      assert.equal(users.status, 200);
      const names = users.body.items.map((u: { username: string }) => u.username);
      assert.ok(names.includes('k.editorA1'));
      assert.ok(!names.includes('k.editorA2'), 'a sibling county is outside the key’s grant');
      assert.ok(!names.includes('k.admin'), 'the owner’s own unit is outside the key’s grant');

      // The owner's token, for contrast, sees the whole city.
      const ownerUsers = await w.call('get', '/api/v1/users?pageSize=200', { token: await token('k.admin') });
      assert.ok(ownerUsers.body.items.some((u: { username: string }) => u.username === 'k.editorA2'));
    });

    it('acts with the key’s grants: an action inside its subtree is audited as the owner', async () => {
      const key = await countyKey('建用户');
      const res = await w.call('post', '/api/v1/users', {
        token: key.token,
        body: { username: 'k.bykey', displayName: '由密钥创建', unitId: world.units.countyA1.id, password: w.secret('Machine#Pass2026') },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const outside = await w.call('post', '/api/v1/users', {
        token: key.token,
        body: { username: 'k.bykey2', displayName: '越权', unitId: world.units.countyA2.id, password: 'Machine#Pass2026' },
      });
      assert.equal(outside.status, 404);
      const rows = (await hub.ds.query('SELECT * FROM audit_entry')) as { action: string; targetId: string; actorName: string }[];
      assert.ok(rows.some((r) => r.action === 'user.create' && r.targetId === res.body.id && r.actorName === 'k.admin'));
    });

    it('refuses a key whose secret was altered, and a made-up key', async () => {
      const key = await countyKey('篡改');
      const last = key.token.at(-1) === 'A' ? 'B' : 'A';
      const tampered = await w.call('get', '/api/v1/auth/me', { token: key.token.slice(0, -1) + last });
      assert.equal(tampered.status, 401);
      assert.equal(tampered.body.code, 'TOKEN_INVALID');
      assert.equal((await w.call('get', '/api/v1/auth/me', { token: 'tfk_nothing' })).status, 401);
    });

    it('refuses a revoked key from the moment it is revoked', async () => {
      const key = await countyKey('将注销');
      assert.equal((await w.call('get', '/api/v1/units', { token: key.token })).status, 200);
      const del = await w.call('delete', `/api/v1/api-keys/${key.id}`, { token: await token('k.admin') });
      assert.equal(del.status, 200, JSON.stringify(del.body));
      assert.ok(del.body.revokedAt);
      const after = await w.call('get', '/api/v1/units', { token: key.token });
      assert.equal(after.status, 401);
      const rows = (await hub.ds.query('SELECT * FROM audit_entry')) as { action: string; targetId: string }[];
      assert.ok(rows.some((r) => r.action === 'apikey.revoke' && r.targetId === key.id));
    });

    it('refuses a key after its expiry, and an expiry in the past at creation', async () => {
      const key = await countyKey('一小时', { expiresAt: new Date(hub.clock.now().getTime() + HOUR).toISOString() });
      assert.equal((await w.call('get', '/api/v1/units', { token: key.token })).status, 200);
      hub.clock.advance(HOUR + 1000);
      assert.equal((await w.call('get', '/api/v1/units', { token: key.token })).status, 401);
      const past = await w.call('post', '/api/v1/api-keys', {
        token: await token('k.admin'),
        body: {
          name: '已过期',
          unitId: world.units.cityA.id,
          grants: [{ role: 'unit_admin', unitId: world.units.countyA1.id }],
          expiresAt: new Date(hub.clock.now().getTime() - 1000).toISOString(),
        },
      });
      assert.equal(past.status, 400);
      assert.equal(past.body.code, 'API_KEY_EXPIRY_PAST');
    });

    it('never exceeds its owner’s current roles', async () => {
      const owner = await world.user('k.owner', Role.UnitAdmin, 'cityA');
      const key = await createKey('k.owner', {
        name: '随主人',
        unitId: world.units.cityA.id,
        grants: [{ role: 'unit_admin', unitId: world.units.countyA1.id }],
      });
      assert.equal((await w.call('get', '/api/v1/users', { token: key.token })).status, 200);
      // The security admin narrows the owner to county A2: the key's county A1 grant is no longer covered.
      const narrowed = await w.call('post', `/api/v1/users/${owner.id}/roles`, {
        token: await token('k.sec'),
        body: { roles: [{ role: 'unit_admin', unitId: world.units.countyA2.id }] },
      });
      assert.equal(narrowed.status, 200, JSON.stringify(narrowed.body));
      assert.equal((await w.call('get', '/api/v1/users', { token: key.token })).status, 403);
      const units = await w.call('get', '/api/v1/units', { token: key.token });
      assert.deepEqual(units.body.items, [], 'and it sees no unit at all');
      // Restored: the key works again, because it follows the owner's roles as they are now.
      await w.call('post', `/api/v1/users/${owner.id}/roles`, {
        token: await token('k.sec'),
        body: { roles: [{ role: 'unit_admin', unitId: world.units.cityA.id }] },
      });
      assert.equal((await w.call('get', '/api/v1/users', { token: key.token })).status, 200);
      // A disabled owner's keys stop authenticating.
      const disabled = await w.call('patch', `/api/v1/users/${owner.id}`, { token: await token('k.sec'), body: { status: 'disabled' } });
      assert.equal(disabled.status, 200);
      assert.equal((await w.call('get', '/api/v1/units', { token: key.token })).status, 401);
    });

    it('refuses to create a key with a role or a subtree the creator does not hold', async () => {
      const admin = await token('k.admin');
      const role = await w.call('post', '/api/v1/api-keys', {
        token: admin,
        body: { name: '越权角色', unitId: world.units.cityA.id, grants: [{ role: 'security_admin', unitId: world.units.cityA.id }] },
      });
      assert.equal(role.status, 403);
      assert.equal(role.body.code, 'ROLE_NOT_GRANTABLE');
      const subtree = await w.call('post', '/api/v1/api-keys', {
        token: admin,
        body: { name: '越权范围', unitId: world.units.cityA.id, grants: [{ role: 'unit_admin', unitId: world.units.countyB1.id }] },
      });
      assert.equal(subtree.status, 403);
      const unit = await w.call('post', '/api/v1/api-keys', {
        token: admin,
        body: { name: '越权单位', unitId: world.units.cityB.id, grants: [{ role: 'unit_admin', unitId: world.units.cityA.id }] },
      });
      assert.equal(unit.status, 404);
      const none = await w.call('post', '/api/v1/api-keys', {
        token: admin,
        body: { name: '无授权', unitId: world.units.cityA.id, grants: [] },
      });
      assert.equal(none.status, 400);
      const editor = await w.call('post', '/api/v1/api-keys', {
        token: await token('k.editorA1'),
        body: { name: '采编', unitId: world.units.countyA1.id, grants: [{ role: 'editor', unitId: world.units.countyA1.id }] },
      });
      assert.equal(editor.status, 403, 'an editor manages no keys');
    });

    it('does not let a key create or revoke keys', async () => {
      const key = await createKey('k.admin', {
        name: '城市级',
        unitId: world.units.cityA.id,
        grants: [{ role: 'unit_admin', unitId: world.units.cityA.id }],
      });
      const mint = await w.call('post', '/api/v1/api-keys', {
        token: key.token,
        body: { name: '自我繁殖', unitId: world.units.cityA.id, grants: [{ role: 'unit_admin', unitId: world.units.cityA.id }] },
      });
      assert.equal(mint.status, 403);
      assert.equal(mint.body.code, 'API_KEY_NOT_BY_KEY');
      const revoke = await w.call('delete', `/api/v1/api-keys/${key.id}`, { token: key.token });
      assert.equal(revoke.status, 403);
    });

    it('lists and revokes keys only within the caller’s subtree', async () => {
      const key = await countyKey('甲市的');
      const other = await token('k.adminB');
      const list = await w.call('get', '/api/v1/api-keys?pageSize=200', { token: other });
      assert.equal(list.status, 200);
      assert.ok(!list.body.items.some((k: { id: string }) => k.id === key.id), 'city B sees no key of city A');
      assert.equal((await w.call('delete', `/api/v1/api-keys/${key.id}`, { token: other })).status, 404);
      assert.equal((await w.call('get', '/api/v1/units', { token: key.token })).status, 200, 'still valid');
      assert.equal((await w.call('get', '/api/v1/api-keys', { token: await token('k.editorA1') })).status, 403);
    });

    it('never shows a key secret, password or refresh token in a response body or an audit entry', async () => {
      const audit = await w.call('get', '/api/v1/audit?pageSize=200', { token: await token('k.auditor') });
      assert.equal(audit.status, 200);
      assert.ok(audit.body.items.some((e: { action: string }) => e.action === 'apikey.create'));
      assert.ok(w.count.secrets > 10, JSON.stringify(w.count));
      await w.assertNoLeaks(hub.ds);
    });
  });
}
