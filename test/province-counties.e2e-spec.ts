import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeCreditCode, Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';

/**
 * 省直管县: in Hainan (and for some county-level cities in Hubei, Henan, …) a county reports to the
 * province with no city between. Such a county is created directly under the province, holds its
 * own townships, users and accounts, and is seen by the province's supervisor, not by a city's.
 */
for (const driver of testDrivers()) {
  describe(`province-administered counties (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    let county = { id: '', path: '' };

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      await world.user('pc.operator', Role.PlatformOperator, 'province');
      await world.user('pc.sup', Role.Supervisor, 'province');
      await world.user('pc.supA', Role.Supervisor, 'cityA');
      for (const u of ['pc.operator', 'pc.sup', 'pc.supA']) t.set(u, await login(hub.http, u));
    });
    after(() => hub.close());

    const unit = (name: string, level: string, parentId: string, region: string, serial: number) => ({
      name,
      level,
      parentId,
      regionCode: region,
      creditCode: makeCreditCode(region, 30_000_000 + serial),
    });

    it('creates a county directly under the province', async () => {
      const res = await hub.http
        .post('/api/v1/units')
        .set(as('pc.operator'))
        .send(unit('琼中县人民政府办公室', 'county', world.units.province.id, '980030', 1));
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.level, 'county');
      assert.equal(res.body.parentId, world.units.province.id);
      assert.equal(res.body.path, `${world.units.province.path}${res.body.id}/`);
      county = { id: res.body.id, path: res.body.path };
    });

    it('lets the county hold townships, and shows it to the province’s supervisor but not a city’s', async () => {
      const town = await hub.http
        .post('/api/v1/units')
        .set(as('pc.operator'))
        .send(unit('营根镇人民政府', 'township', county.id, '980030', 2));
      assert.equal(town.status, 201, town.text);
      assert.equal((await hub.http.get(`/api/v1/units/${county.id}`).set(as('pc.sup'))).status, 200);
      assert.equal((await hub.http.get(`/api/v1/units/${county.id}`).set(as('pc.supA'))).status, 404);
      const tree = await hub.http.get(`/api/v1/units/${world.units.province.id}/tree`).set(as('pc.sup'));
      assert.equal(tree.status, 200, tree.text);
      const child = (tree.body.children as { id: string; level: string; children: { level: string }[] }[]).find((c) => c.id === county.id);
      assert.equal(child?.level, 'county');
      assert.deepEqual(
        child?.children.map((c) => c.level),
        ['township'],
      );
    });

    it('still refuses levels that skip the hierarchy: a township under the province, a city under a city', async () => {
      const town = await hub.http
        .post('/api/v1/units')
        .set(as('pc.operator'))
        .send(unit('某镇人民政府', 'township', world.units.province.id, '980030', 3));
      assert.equal(town.status, 400, town.text);
      assert.equal(town.body.code, 'LEVEL_NOT_ALLOWED');
      assert.match(town.body.message, /^省下不能设立乡镇（街道）级单位/);
      const city = await hub.http
        .post('/api/v1/units')
        .set(as('pc.operator'))
        .send(unit('某市人民政府办公室', 'city', world.units.cityA.id, '980100', 4));
      assert.equal(city.status, 400, city.text);
      assert.equal(city.body.code, 'LEVEL_NOT_ALLOWED');
    });

    it('does not let a city supervisor create one under the province', async () => {
      const res = await hub.http
        .post('/api/v1/units')
        .set(as('pc.supA'))
        .send(unit('某县人民政府办公室', 'county', world.units.province.id, '980031', 5));
      assert.ok([403, 404].includes(res.status), res.text);
    });
  });
}
