import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';

/**
 * Keyset pages (`?after=` with the `next` cursor of the page before) give the same rows as page
 * numbers, stay in the caller's subtree, and refuse a forged or sorted cursor by name; a kept
 * total moves as soon as this process writes the table.
 */
for (const driver of testDrivers()) {
  describe(`list pages by cursor and kept totals (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let admin: string;
    let auditor: string;
    const as = (token: string) => ({ Authorization: `Bearer ${token}` });

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      await world.user('lp.admin', Role.UnitAdmin, 'cityA');
      await world.user('lp.auditor', Role.Auditor, 'province');
      for (let i = 0; i < 7; i++) await world.user(`lp.editor${i}`, i % 2 ? Role.Editor : Role.Reviewer, i % 3 ? 'countyA1' : 'cityA');
      await world.user('lp.outsider', Role.Editor, 'cityB');
      admin = await login(hub.http, 'lp.admin');
      auditor = await login(hub.http, 'lp.auditor');
    });
    after(() => hub.close());

    const walk = async (path: string, token: string, key: (x: Record<string, unknown>) => unknown) => {
      const seen: unknown[] = [];
      let after: string | null = null;
      for (let i = 0; i < 100; i++) {
        const r: { status: number; body: { items: Record<string, unknown>[]; next: string | null } } = await hub.http
          .get(`${path}${path.includes('?') ? '&' : '?'}pageSize=3${after ? `&after=${after}` : ''}`)
          .set(as(token));
        assert.equal(r.status, 200, JSON.stringify(r.body));
        seen.push(...r.body.items.map(key));
        after = r.body.next;
        if (!after) break;
      }
      return seen;
    };

    it('walks users, units, accounts and the audit log by cursor through the same rows as by page numbers', async () => {
      for (const [path, token, key] of [
        ['/api/v1/users', admin, (u: Record<string, unknown>) => u.username],
        ['/api/v1/units', admin, (u: Record<string, unknown>) => u.id],
        ['/api/v1/accounts', admin, (a: Record<string, unknown>) => a.id],
        ['/api/v1/audit', auditor, (e: Record<string, unknown>) => e.seq],
      ] as const) {
        const all = await hub.http.get(`${path}?pageSize=200`).set(as(token));
        assert.equal(all.status, 200);
        const byPage = all.body.items.map(key);
        assert.deepEqual(await walk(path, token, key), byPage, path);
        assert.equal(all.body.next, null, `${path}: the last page names no next`);
        if (byPage.length > 3) {
          const first = await hub.http.get(`${path}?pageSize=3`).set(as(token));
          assert.equal(typeof first.body.next, 'string', `${path}: a full page names the next`);
        }
      }
    });

    it('keeps a cursor within the caller’s subtree and the filters of the list', async () => {
      const users = await walk('/api/v1/users', admin, (u) => u.username);
      assert.ok(users.length >= 8, 'the city admin sees the city’s users');
      assert.ok(!users.includes('lp.outsider'), 'a user of another city never appears');
      const county = await walk(`/api/v1/users?unitId=${world.units.countyA1.id}`, admin, (u) => u.unitId);
      assert.ok(county.length > 0 && county.every((id) => id === world.units.countyA1.id));
    });

    it('answers 400 naming after for a forged cursor, and for a cursor beside sort', async () => {
      const forged = [
        'not-base64-json',
        Buffer.from('{"a":1}').toString('base64url'),
        Buffer.from('[1,2,3,4,5]').toString('base64url'),
        Buffer.from('[{"x":1},"y"]').toString('base64url'),
      ];
      for (const bad of forged) {
        const r = await hub.http.get(`/api/v1/users?after=${bad}`).set(as(admin));
        assert.equal(r.status, 400, bad);
        assert.equal(r.body.details[0].field, 'after');
        assert.match(r.body.details[0].message, /游标/);
      }
      const first = await hub.http.get('/api/v1/users?pageSize=2').set(as(admin));
      const sorted = await hub.http.get(`/api/v1/users?sort=username&after=${first.body.next}`).set(as(admin));
      assert.equal(sorted.status, 400);
      assert.equal(sorted.body.details[0].field, 'after');
      const plain = await hub.http.get('/api/v1/users?sort=username&pageSize=2').set(as(admin));
      assert.equal(plain.body.next, undefined, 'a sorted list names no cursor');
    });

    it('moves a kept total at once when this process writes the table', async () => {
      const total = async () => (await hub.http.get('/api/v1/users?pageSize=1').set(as(admin))).body.total as number;
      const before = await total();
      assert.equal(await total(), before, 'read twice, the same');
      await world.user('lp.newcomer', Role.Editor, 'countyA1');
      assert.equal(await total(), before + 1);
      const audit = async () => (await hub.http.get('/api/v1/audit?pageSize=1').set(as(auditor))).body.total as number;
      const entries = await audit();
      await hub.http.get('/api/v1/users?pageSize=1').set(as(admin));
      await login(hub.http, 'lp.admin'); // a sign-in is recorded
      assert.ok((await audit()) > entries, 'the audit total counts the new entry');
    });
  });
}
