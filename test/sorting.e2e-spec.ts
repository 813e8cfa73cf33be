import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';

/** Lists sort on the server by an allowed field (`?sort=field` or `?sort=-field`), stably across pages. */
for (const driver of testDrivers()) {
  describe(`server-side sorting (${driver})`, () => {
    let hub: TestHub;
    let token: string;
    const auth = () => ({ Authorization: `Bearer ${token}` });

    before(async () => {
      hub = await startTestHub(driver);
      const world = await World.build(hub.app);
      await world.user('so.admin', Role.UnitAdmin, 'cityA');
      for (const name of ['c.zhou', 'a.wang', 'b.li', 'e.zhao', 'd.chen']) await world.user(name, Role.Editor, 'countyA1');
      token = await login(hub.http, 'so.admin');
    });
    after(() => hub.close());

    it('sorts users by username both ways and pages without overlap', async () => {
      const asc = await hub.http.get('/api/v1/users?sort=username&pageSize=200').set(auth());
      assert.equal(asc.status, 200);
      const names = asc.body.items.map((u: { username: string }) => u.username);
      assert.deepEqual(names, [...names].sort());
      const desc = await hub.http.get('/api/v1/users?sort=-username&pageSize=200').set(auth());
      assert.deepEqual(
        desc.body.items.map((u: { username: string }) => u.username),
        [...names].reverse(),
      );
      const pages: string[] = [];
      for (let page = 1; page <= Math.ceil(names.length / 2); page++) {
        const r = await hub.http.get(`/api/v1/users?sort=username&pageSize=2&page=${page}`).set(auth());
        pages.push(...r.body.items.map((u: { username: string }) => u.username));
      }
      assert.deepEqual(pages, names);
    });

    it('sorts units by name in the database collation, descending the exact reverse of ascending', async () => {
      const names = async (sort: string) =>
        (await hub.http.get(`/api/v1/units?sort=${sort}&pageSize=200`).set(auth())).body.items.map((u: { name: string }) => u.name);
      const asc = await names('name');
      assert.ok(asc.length >= 4);
      assert.deepEqual(await names('-name'), [...asc].reverse());
      assert.notDeepEqual(asc, await names('-createdAt'), 'a different field gives a different order');
    });

    it('answers 400 naming sort for a field the list does not sort by, or a malformed value', async () => {
      for (const bad of ['passwordHash', 'user name', '-']) {
        const r = await hub.http.get(`/api/v1/users?sort=${encodeURIComponent(bad)}`).set(auth());
        assert.equal(r.status, 400, bad);
        assert.equal(r.body.details[0].field, 'sort');
      }
    });
  });
}
