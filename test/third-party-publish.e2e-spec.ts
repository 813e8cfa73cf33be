import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { AccountConnectionsService, PluginHost, PluginRegistry } from '@tongfa/plugins';
import { SandboxClient } from '@tongfa/plugin-sdk/testing';
import { startSandbox, type RunningSandbox } from '../apps/sandbox/src/sandbox';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { pollUntil } from './support/poll';
import { approvedManuscript } from './support/publish-kit';
import { scaffoldPluginOutsideTheRepo } from './support/third-party-plugin';

const external = scaffoldPluginOutsideTheRepo('county-news', '县新闻客户端');
after(() => rmSync(external.dir, { recursive: true, force: true }));

/**
 * A plugin made with the SDK's scaffolding CLI outside the repository, installed by path, carries a
 * manuscript through the whole hub: the account opened and approved, connected to the plugin's own
 * simulator, the manuscript reviewed, published through the publications API, the post on the platform.
 */
for (const driver of testDrivers()) {
  describe(`a scaffolded third-party plugin publishes through the hub (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sandbox: RunningSandbox;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });

    before(async () => {
      hub = await startTestHub(driver, { TONGFA_PLUGINS: external.pkg });
      sandbox = await startSandbox(hub.app.get(PluginRegistry));
      hub.app.get(PluginHost).allowSandboxOrigin(sandbox.url);
      world = await World.build(hub.app);
      for (const [u, role, unit, level] of [
        ['tpp.editor', Role.Editor, 'countyA1', 0],
        ['tpp.admin', Role.UnitAdmin, 'countyA1', 0],
        ['tpp.sup', Role.Supervisor, 'cityA', 0],
        ['tpp.r1', Role.Reviewer, 'countyA1', 1],
        ['tpp.r2', Role.Reviewer, 'countyA1', 2],
        ['tpp.r3', Role.Reviewer, 'countyA1', 3],
      ] as const) {
        await world.user(u, role, unit, { level: level || undefined });
        t.set(u, await login(hub.http, u));
      }
    });
    after(async () => {
      await sandbox.close();
      await hub.close();
    });

    it('opens, connects, reviews and publishes once to the plugin’s simulator', async () => {
      assert.ok(sandbox.platforms.includes('county-news'), `sandbox serves: ${sandbox.platforms.join(', ')}`);
      const created = await hub.http
        .post('/api/v1/accounts')
        .set(as('tpp.admin'))
        .send({ unitId: world.units.countyA1.id, platform: 'county-news', name: '甲市一县发布' });
      assert.equal(created.status, 201, created.text);
      const accountId = created.body.id as string;
      const approved = await hub.http.post(`/api/v1/accounts/${accountId}/approval`).set(as('tpp.sup')).send({ decision: 'approve' });
      assert.equal(approved.status, 200, approved.text);
      await hub.app.get(AccountConnectionsService).useSandbox(accountId, sandbox.endpointsFor('county-news'));
      const sim = new SandboxClient(sandbox.url);
      const platformAccount = await sim.createAccount('county-news', '甲市一县发布');
      const connected = await hub.http
        .post(`/api/v1/accounts/${accountId}/credentials`)
        .set(as('tpp.admin'))
        .send({ credentials: platformAccount.credentials });
      assert.equal(connected.status, 200, connected.text);
      assert.equal(connected.body.connection, 'connected');

      const editor = t.get('tpp.editor')!;
      const ms = await approvedManuscript(
        hub,
        { editor, reviewers: ['tpp.r1', 'tpp.r2', 'tpp.r3'].map((r) => t.get(r)!) },
        { title: '甲市一县第三方客户端首发稿件' },
      );
      const preview = await hub.http.get(`/api/v1/manuscripts/${ms}/renditions`).set(as('tpp.editor'));
      assert.equal(preview.status, 200, preview.text);
      const mine = preview.body.items.find((i: { platform: string }) => i.platform === 'county-news');
      assert.ok(mine, 'the plugin renders the manuscript for the account');
      assert.deepEqual(mine.rendition.violations, []);

      const res = await hub.http
        .post(`/api/v1/manuscripts/${ms}/publications`)
        .set(as('tpp.editor'))
        .set('Idempotency-Key', `tp-${ms}`)
        .send({ accountIds: [accountId] });
      assert.equal(res.status, 201, res.text);
      const done = await pollUntil(
        async () => {
          const v = await hub.http.get(`/api/v1/publications/${res.body.id}`).set(as('tpp.editor'));
          return v.body.status === 'published' && v.body.targets?.[0]?.state === 'published' ? v.body : null;
        },
        { timeoutMs: 30_000, intervalMs: 100, what: 'the third-party target published' },
      );
      assert.equal(done.status, 'published');
      assert.ok(done.targets[0].remoteId);
      const posts = (await sim.posts('county-news', platformAccount.id)).filter((p) => !p.deleted);
      assert.equal(posts.length, 1, 'exactly one post on the platform');
      assert.match(posts[0]!.title + posts[0]!.text, /第三方客户端首发稿件/);
      assert.equal(posts[0]!.idempotencyMarker, done.targets[0].id, 'the target id travelled as the idempotency key');
    });
  });
}
