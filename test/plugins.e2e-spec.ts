import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import Redis from 'ioredis';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import {
  CredentialStore,
  MemoryRateLimiter,
  PluginCallError,
  PluginHost,
  PluginRegistry,
  RateLimiter,
  RedisRateLimiter,
} from '@tongfa/plugins';
import { SharpImageFitter } from '@tongfa/plugin-sdk/images-sharp';
import { startTestHub, TestHub, testRedisUrl } from './support/test-hub';
import { login, World } from './support/world';

const fixture = (name: string) => resolve(__dirname, 'fixtures', 'plugins', name, 'index.js');
const BROKEN = [fixture('bad-manifest'), fixture('wrong-sdk'), fixture('throws-at-load')];
const PLUGINS = [...BROKEN, fixture('hang'), 'tongfa-plugin-that-does-not-exist'].join(',');
const noCheckpoints = { load: async () => undefined, save: async () => undefined };

describe('plugin registry', () => {
  it('refuses a bad manifest, a wrong SDK range, code that throws at load and an unknown package, one line each, and loads the rest', () => {
    const lines: string[] = [];
    const registry = new PluginRegistry({ builtinDir: null, thirdParty: PLUGINS.split(','), onRefused: (l) => lines.push(l) });
    assert.deepEqual(registry.ids(), ['fixture-hang']);
    assert.equal(lines.length, 4);
    for (const l of lines) assert.doesNotMatch(l, /\n/, 'one line per refused plugin');
    assert.match(lines[0]!, /bad-manifest.*invalid manifest: .*constraints\.body\.max.*allowedHosts/);
    assert.match(lines[1]!, /wrong-sdk.*built for SDK 9\.0, newer than this host's 0\.2\.0: upgrade the hub first/);
    assert.match(lines[2]!, /throws-at-load.*threw at load: boom: cannot find module "leftpad-native"/);
    assert.doesNotMatch(lines[2]!, /Module\._resolveFilename \(node:internal\)\n/);
    assert.match(lines[3]!, /tongfa-plugin-that-does-not-exist: .*cannot be resolved/);
    assert.equal(registry.refused[1]!.id, 'wrong-sdk');
  });

  it('hosts a plugin built for the previous SDK minor: fixture-hang declares ^0.1.0, this SDK is 0.2', () => {
    const registry = new PluginRegistry({ builtinDir: null, thirdParty: [fixture('hang')], onRefused: (l) => assert.fail(l) });
    assert.equal(registry.get('fixture-hang')?.manifest.sdk, '^0.1.0');
  });

  it('says why a plugin has no simulator: none declared, or the declared export is missing', () => {
    const registry = new PluginRegistry({
      builtinDir: null,
      thirdParty: [fixture('hang'), fixture('declared-simulator')],
      onRefused: (l) => assert.fail(l),
    });
    assert.match(registry.findSimulator('fixture-hang').problem!, /declare manifest\.simulator \{ module, export \}/);
    assert.equal(registry.simulatorFactory('fixture-hang'), undefined);
    assert.match(registry.findSimulator('declared-simulator').problem!, /\.\/sim exports no function createMissingSimulator/);
  });

  it('refuses a second plugin with an id already loaded', () => {
    const lines: string[] = [];
    const registry = new PluginRegistry({
      builtinDir: null,
      thirdParty: [fixture('hang'), fixture('hang') + '/../index.js'],
      onRefused: (l) => lines.push(l),
    });
    assert.equal(registry.ids().length, 1);
    assert.match(lines[0]!, /id already loaded/);
  });
});

for (const driver of testDrivers()) {
  describe(`plugins in the hub (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });

    before(async () => {
      hub = await startTestHub(driver, { TONGFA_PLUGINS: PLUGINS });
      world = await World.build(hub.app);
      await world.user('pl.operator', Role.PlatformOperator, 'province');
      await world.user('pl.admin', Role.UnitAdmin, 'cityA');
      await world.user('pl.sup', Role.Supervisor, 'province');
      await world.user('pl.editor', Role.Editor, 'countyA1');
      for (const u of ['pl.operator', 'pl.admin', 'pl.sup', 'pl.editor']) t.set(u, await login(hub.http, u));
    });
    after(() => hub.close());

    async function connectedAccount(unit: 'countyA1' | 'countyA2' | 'cityA' | 'deptA', key: string): Promise<string> {
      const res = await hub.http
        .post('/api/v1/accounts')
        .set(as('pl.admin'))
        .send({ unitId: world.units[unit].id, platform: 'fixture-hang', name: '测试账号' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(
        (await hub.http.post(`/api/v1/accounts/${res.body.id}/approval`).set(as('pl.sup')).send({ decision: 'approve' })).status,
        200,
      );
      const c = await hub.http
        .post(`/api/v1/accounts/${res.body.id}/credentials`)
        .set(as('pl.admin'))
        .send({ credentials: { apiKey: key } });
      assert.equal(c.status, 200, JSON.stringify(c.body));
      return res.body.id as string;
    }

    it('lists loaded manifests to everyone and refused plugins with their reasons to platform operators only', async () => {
      const op = await hub.http.get('/api/v1/plugins').set(as('pl.operator'));
      assert.equal(op.status, 200);
      const ids = op.body.items.map((m: { id: string }) => m.id);
      assert.ok(ids.includes('fixture-hang'));
      const hang = op.body.items.find((m: { id: string }) => m.id === 'fixture-hang');
      assert.equal(hang.source, 'third_party');
      assert.deepEqual(hang.rateLimits.perAccount, { tokens: 3, intervalMs: 60_000 });
      assert.equal(op.body.refused.length, 4);
      const reasons = op.body.refused.map((r: { reason: string }) => r.reason).join('\n');
      assert.match(reasons, /built for SDK 9\.0, newer than this host/);
      assert.match(reasons, /threw at load/);
      const ed = await hub.http.get('/api/v1/plugins').set(as('pl.editor'));
      assert.equal(ed.status, 200);
      assert.equal(ed.body.refused, undefined);
      assert.equal(ed.body.total, op.body.total);
    });

    it('accepts accounts exactly on the loaded plugins', async () => {
      for (const platform of ['wrong-sdk', 'bad-manifest', 'nowhere']) {
        const res = await hub.http
          .post('/api/v1/accounts')
          .set(as('pl.admin'))
          .send({ unitId: world.units.countyA2.id, platform, name: '某某发布' });
        assert.equal(res.status, 400, platform);
        assert.equal(res.body.code, 'UNKNOWN_PLATFORM');
      }
      const ok = await hub.http.get('/api/v1/accounts').set(as('pl.admin')).query({ platform: 'fixture-hang' });
      assert.equal(ok.status, 200);
    });

    it('cuts off a plugin that hangs on publish with a clear message while other calls go on', async () => {
      const hung = await connectedAccount('countyA1', 'good-hang-0001');
      const fine = await connectedAccount('countyA2', 'good-fine-0002');
      const host = hub.app.get(PluginHost);
      const started = Date.now();
      const hangRendition = { payload: { text: 'x', hang: true }, fields: {}, assets: [], warnings: [], violations: [] };
      const cut = host.publish({ accountId: hung, idempotencyKey: 'tf-hang-2' }, hangRendition, noCheckpoints, {
        deadlineMs: 400,
        maxAttempts: 1,
      });
      const other = await host.publish(
        { accountId: fine, idempotencyKey: 'tf-fine-1' },
        host.render('fixture-hang', sample('正常')),
        noCheckpoints,
      );
      assert.equal(other.state, 'published');
      assert.ok(Date.now() - started < 400, 'the healthy call did not wait for the hung one');
      const out = await cut;
      // Cut off, then positively absent on the platform: tried again later, like a call left unanswered.
      assert.equal(out.state, 'retry_wait');
      assert.ok(out.retryAt && out.retryAt.getTime() > started);
      assert.ok(out.error instanceof PluginCallError);
      assert.equal(out.error.extra.timedOut, true);
      assert.match(out.error.message, /plugin fixture-hang: publish did not finish within 400 ms and was cut off/);
      assert.ok(Date.now() - started < 3000);
    });

    it('refuses once the plugin’s declared per-account bucket is empty, and refills with time', async () => {
      const id = await connectedAccount('deptA', 'good-bucket-03'); // the connection spent one token
      const host = hub.app.get(PluginHost);
      const results = await Promise.allSettled([1, 2, 3].map(() => host.getProfile(id)));
      // Concurrent calls: which one loses is a matter of timing, that exactly one does is not.
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2);
      const err = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as PluginCallError;
      assert.equal(err.kind, 'rate_limited');
      assert.ok(err.retryAfterMs! > 5000 && err.retryAfterMs! <= 20_000);
      hub.clock.advance(20_001);
      assert.equal((await host.getProfile(id)).name, '测试账号');
    });

    if (driver === 'mysql')
      it('shares token buckets between host instances', async () => {
        const id = await connectedAccount('cityA', 'good-shared-04');
        hub.clock.advance(60_000); // full buckets again
        const main = hub.app.get(PluginHost);
        const redis = new Redis(testRedisUrl());
        try {
          // A second process's host: its own Redis connection, the same buckets.
          const limiter: RateLimiter = new RedisRateLimiter(redis, hub.config.env.TONGFA_QUEUE_PREFIX);
          assert.ok(hub.app.get(RateLimiter) instanceof RedisRateLimiter);
          const other = new PluginHost({
            ds: hub.ds,
            registry: hub.app.get(PluginRegistry),
            credentials: hub.app.get(CredentialStore),
            limiter,
            now: () => hub.clock.now().getTime(),
            fitter: new SharpImageFitter(),
            log: () => undefined,
          });
          const calls = [main, other, main, other, main, other, main, other].map((h) => h.getProfile(id));
          const settled = await Promise.allSettled(calls);
          assert.equal(settled.filter((r) => r.status === 'fulfilled').length, 3, 'three tokens per minute across both hosts');
          for (const r of settled.filter((s) => s.status === 'rejected'))
            assert.equal((r as PromiseRejectedResult).reason.kind, 'rate_limited');
        } finally {
          redis.disconnect();
        }
      });

    if (driver === 'sqlite')
      it('keeps buckets in memory in the embedded mode', () => {
        assert.ok(hub.app.get(RateLimiter) instanceof MemoryRateLimiter);
      });
  });
}

function sample(title: string) {
  return {
    manuscriptId: 'm1',
    versionId: 'v1',
    title,
    summary: '',
    bodyHtml: `<p>${title}</p>`,
    category: 'news' as const,
    source: { type: 'original' as const },
    images: [],
  };
}
