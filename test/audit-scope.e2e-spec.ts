import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { startTestHub, TestHub } from './support/test-hub';
import { login, PASSWORD, World } from './support/world';

interface Entry {
  seq: number;
  action: string;
  actorName: string | null;
  unitPath: string | null;
  result: string;
  targetId: string | null;
}

/**
 * Some entries belong to no unit: a sign-in with an unknown username, a refresh token used twice.
 * They are exactly what an auditor looks for after an attack, so the auditor of the whole
 * province sees them; an auditor lower in the tree cannot be told they are its own, and does not.
 */
for (const driver of testDrivers()) {
  describe(`audit entries without a unit (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    const t = new Map<string, string>();

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      await world.user('as.root', Role.Auditor, 'province');
      await world.user('as.city', Role.Auditor, 'cityA');
      await world.user('as.editor', Role.Editor, 'countyA1');
      for (const u of ['as.root', 'as.city']) t.set(u, await login(hub.http, u));

      const unknown = await hub.http.post('/api/v1/auth/login').send({ username: 'as.nobody', password: 'Guess#Pass2026' });
      assert.equal(unknown.status, 401);
      const first = await hub.http.post('/api/v1/auth/login').send({ username: 'as.editor', password: PASSWORD });
      const refresh = first.body.refreshToken as string;
      assert.equal((await hub.http.post('/api/v1/auth/refresh').send({ refreshToken: refresh })).status, 200);
      const reuse = await hub.http.post('/api/v1/auth/refresh').send({ refreshToken: refresh });
      assert.equal(reuse.status, 401);
      assert.equal(reuse.body.code, 'REFRESH_REUSED');
    });
    after(() => hub.close());

    async function all(who: string): Promise<Entry[]> {
      const res = await hub.http.get('/api/v1/audit?pageSize=200').set('Authorization', `Bearer ${t.get(who)}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.total, res.body.items.length);
      return res.body.items as Entry[];
    }

    it('shows the province’s auditor the failed sign-in of an unknown username and the refresh-token reuse', async () => {
      const items = await all('as.root');
      const unknown = items.find((e) => e.action === 'auth.login' && e.actorName === 'as.nobody');
      assert.ok(unknown, 'the unknown-user sign-in is listed');
      assert.equal(unknown.unitPath, null);
      assert.equal(unknown.result, 'failure');
      const reuse = items.find((e) => e.action === 'http.post' && e.targetId?.endsWith('/auth/refresh') && e.result === 'failure');
      assert.ok(reuse, `the refresh-token reuse is listed: ${JSON.stringify(items.filter((e) => e.unitPath === null))}`);
      assert.equal(reuse.unitPath, null);
      // Filters still apply to them.
      const filtered = await hub.http.get('/api/v1/audit?action=auth.login').set('Authorization', `Bearer ${t.get('as.root')}`);
      assert.ok(filtered.body.items.some((e: Entry) => e.actorName === 'as.nobody'));
      assert.ok(filtered.body.items.every((e: Entry) => e.action === 'auth.login'));
    });

    it('does not show them to an auditor of one city, who still sees its own city’s entries', async () => {
      const items = await all('as.city');
      assert.ok(items.length > 0);
      for (const e of items) {
        assert.ok(e.unitPath?.startsWith(world.units.cityA.path), `leaked entry ${e.seq} ${e.action} (${e.unitPath})`);
      }
      assert.ok(items.some((e) => e.action === 'auth.login' && e.actorName === 'as.editor'));
    });
  });
}
