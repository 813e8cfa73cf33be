import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';

interface ChainBody {
  category: string;
  steps: { level: number }[];
  inheritedFrom: string | null;
  isDefault: boolean;
  minSteps: number;
}

/**
 * 分级分类审核 has a floor the province sets: no unit may cut the policy or emergency chains below
 * three steps (or whatever the province's unit admin sets per category), neither by setting a
 * shorter chain nor by inheriting one set before the floor was raised.
 */
for (const driver of testDrivers()) {
  describe(`the province's minimum review steps (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    const putChains = (who: string, unitId: string, chains: unknown[]) =>
      hub.http.put(`/api/v1/units/${unitId}/review-chains`).set(as(who)).send({ chains });
    const steps = (...levels: number[]) => levels.map((level) => ({ level }));

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      for (const [u, role, unit, level] of [
        ['rm.prov', Role.UnitAdmin, 'province', 0],
        ['rm.op', Role.PlatformOperator, 'province', 0],
        ['rm.city', Role.UnitAdmin, 'cityA', 0],
        ['rm.county', Role.UnitAdmin, 'countyA1', 0],
        ['rm.editor', Role.Editor, 'countyA1', 0],
        ['rm.r1', Role.Reviewer, 'countyA1', 1],
        ['rm.r2', Role.Reviewer, 'countyA1', 2],
      ] as const) {
        await world.user(u, role, unit, { level: level || undefined });
        t.set(u, await login(hub.http, u));
      }
    });
    after(() => hub.close());

    it('refuses a policy or emergency chain below three steps from any unit, naming the category in Chinese', async () => {
      for (const [who, unit] of [
        ['rm.county', world.units.countyA1.id],
        ['rm.city', world.units.cityA.id],
        ['rm.prov', world.units.province.id],
      ] as const) {
        for (const [category, zh, chain] of [
          ['policy', '政策解读', steps(1, 2)],
          ['emergency', '突发事件', steps(3)],
        ] as const) {
          const res = await putChains(who, unit, [{ category, steps: chain }]);
          assert.equal(res.status, 400, `${who} ${category}: ${res.status} ${JSON.stringify(res.body)}`);
          assert.equal(res.body.code, 'REVIEW_CHAIN_BELOW_MINIMUM');
          assert.match(res.body.message, new RegExp(`“${zh}”.*不能少于 3 个环节`));
        }
      }
      const ok = await putChains('rm.county', world.units.countyA1.id, [{ category: 'policy', steps: steps(1, 2, 3), parallel: false }]);
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      const minimums = await hub.http.get('/api/v1/review-chain-minimums').set(as('rm.county'));
      assert.deepEqual(
        minimums.body.filter((m: { minSteps: number }) => m.minSteps === 3).map((m: { category: string }) => m.category),
        ['policy', 'emergency'],
      );
    });

    it('lets only the province’s unit admin change the minimum, not a city or county admin nor the platform operator', async () => {
      const body = { minimums: [{ category: 'policy', minSteps: 1 }] };
      for (const who of ['rm.city', 'rm.county', 'rm.op', 'rm.editor']) {
        const res = await hub.http.put('/api/v1/review-chain-minimums').set(as(who)).send(body);
        assert.equal(res.status, 403, `${who}: ${res.status} ${JSON.stringify(res.body)}`);
      }
      const minimums = await hub.http.get('/api/v1/review-chain-minimums').set(as('rm.prov'));
      assert.equal(minimums.body.find((m: { category: string }) => m.category === 'policy').minSteps, 3, 'unchanged');
      // A policy chain of two steps is still refused.
      assert.equal((await putChains('rm.city', world.units.cityA.id, [{ category: 'policy', steps: steps(1, 2) }])).status, 400);
    });

    it('holds a raised minimum against new chains and against shorter chains set before', async () => {
      // Before the floor is raised, the city sets a one-step chain for work news.
      const early = await putChains('rm.city', world.units.cityA.id, [{ category: 'news', steps: steps(1) }]);
      assert.equal(early.status, 200, JSON.stringify(early.body));
      const chainOf = async (unitId: string, category: string) =>
        ((await hub.http.get(`/api/v1/units/${unitId}/review-chains`).set(as('rm.county'))).body as ChainBody[]).find(
          (c) => c.category === category,
        )!;
      assert.equal((await chainOf(world.units.countyA1.id, 'news')).inheritedFrom, world.units.cityA.id);

      const raise = await hub.http
        .put('/api/v1/review-chain-minimums')
        .set(as('rm.prov'))
        .send({ minimums: [{ category: 'news', minSteps: 2 }] });
      assert.equal(raise.status, 200, JSON.stringify(raise.body));
      assert.equal(raise.body.find((m: { category: string }) => m.category === 'news').minSteps, 2);

      const refused = await putChains('rm.county', world.units.countyA1.id, [{ category: 'news', steps: steps(2) }]);
      assert.equal(refused.status, 400);
      assert.match(refused.body.message, /“工作动态”.*不能少于 2 个环节/);

      // The city's one-step chain is no longer inherited: the county gets a chain of two steps.
      const inherited = await chainOf(world.units.countyA1.id, 'news');
      assert.equal(inherited.minSteps, 2);
      assert.ok(inherited.steps.length >= 2, JSON.stringify(inherited));
      assert.notEqual(inherited.inheritedFrom, world.units.cityA.id);
      const ms = await hub.http
        .post('/api/v1/manuscripts')
        .set(as('rm.editor'))
        .send({
          title: '县政府召开专题会议',
          summary: '专题会议',
          body: '<p>县政府召开专题会议，部署近期工作。</p>',
          category: 'news',
          source: { type: 'original' },
        });
      assert.equal(ms.status, 201, JSON.stringify(ms.body));
      const sub = await hub.http.post(`/api/v1/manuscripts/${ms.body.id}/submit`).set(as('rm.editor'));
      assert.equal(sub.status, 200, JSON.stringify(sub.body));
      assert.equal(sub.body.chain.steps.length, 2, 'the manuscript is reviewed in two steps');
      const first = await hub.http.post(`/api/v1/manuscripts/${ms.body.id}/reviews`).set(as('rm.r1')).send({ decision: 'approve' });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.notEqual(first.body.status, 'approved', 'one approval is not enough');
    });
  });
}
