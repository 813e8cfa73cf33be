import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Role, User } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';

/** 机构改革: a county moves to another city; its subtree, its users and every scope follow. */
for (const driver of testDrivers()) {
  describe(`moving a unit (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      await world.user('mv.operator', Role.PlatformOperator, 'province');
      await world.user('mv.supA', Role.Supervisor, 'cityA');
      await world.user('mv.supB', Role.Supervisor, 'cityB');
      await world.user('mv.editor', Role.Editor, 'countyA2');
      for (const u of ['mv.operator', 'mv.supA', 'mv.supB', 'mv.editor']) t.set(u, await login(hub.http, u));
    });
    after(() => hub.close());

    it('rewrites the materialized paths of the subtree and of its users, and scopes follow', async () => {
      assert.equal((await hub.http.get(`/api/v1/units/${world.units.countyA2.id}`).set(as('mv.supB'))).status, 404);
      const res = await hub.http
        .patch(`/api/v1/units/${world.units.countyA2.id}`)
        .set(as('mv.operator'))
        .send({ parentId: world.units.cityB.id });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.path, `${world.units.cityB.path}${world.units.countyA2.id}/`);
      const editor = await hub.ds.getRepository(User).findOneByOrFail({ username: 'mv.editor' });
      assert.equal(editor.unitPath, res.body.path, 'the user row carries the new path');
      assert.equal(
        (await hub.http.get(`/api/v1/units/${world.units.countyA2.id}`).set(as('mv.supB'))).status,
        200,
        'the new supervisor sees it',
      );
      assert.equal(
        (await hub.http.get(`/api/v1/units/${world.units.countyA2.id}`).set(as('mv.supA'))).status,
        404,
        'the old one no longer does',
      );
      const users = await hub.http.get('/api/v1/users?pageSize=200').set(as('mv.supB'));
      assert.ok(users.body.items.some((u: { username: string }) => u.username === 'mv.editor'));
    });

    it('refuses a move under the unit’s own subtree', async () => {
      const res = await hub.http
        .patch(`/api/v1/units/${world.units.cityA.id}`)
        .set(as('mv.operator'))
        .send({ parentId: world.units.countyA1.id });
      assert.equal(res.status, 400);
    });
  });
}
