import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { AccountConnectionsService, PluginHost, PluginRegistry } from '@tongfa/plugins';
import { SandboxClient } from '@tongfa/plugin-sdk/testing';
import { startSandbox, type RunningSandbox } from '../apps/sandbox/src/sandbox';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';

// dist/test → the repository root.
const repo = resolve(__dirname, '..', '..');
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');

/**
 * What a third party does: `tongfa-plugin-sdk init` in a directory of its own, build it against the
 * published shape of the SDK (tsc output + package.json "exports", installed by symlink as a file:
 * dependency would be), and hand the operator a path for TONGFA_PLUGINS.
 */
function scaffoldOutsideTheRepo(): { dir: string; pkg: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tongfa-third-party-'));
  const sdk = join(dir, 'sdk');
  mkdirSync(sdk);
  copyFileSync(join(repo, 'libs', 'plugin-sdk', 'package.json'), join(sdk, 'package.json'));
  const build = spawnSync(process.execPath, [tsc, '-p', join(repo, 'libs', 'plugin-sdk', 'tsconfig.json'), '--outDir', join(sdk, 'dist')], {
    encoding: 'utf8',
  });
  assert.equal(build.status, 0, build.stdout + build.stderr);
  symlinkSync(join(repo, 'node_modules'), join(sdk, 'node_modules'), 'dir'); // the SDK's own dependencies
  const pkg = join(dir, 'county-app');
  const cli = spawnSync(
    process.execPath,
    [join(repo, 'dist', 'libs', 'plugin-sdk', 'src', 'cli', 'bin.js'), 'init', 'county-app', '--dir', pkg, '--name-zh', '县融媒客户端'],
    { encoding: 'utf8' },
  );
  assert.equal(cli.status, 0, cli.stderr);
  mkdirSync(join(pkg, 'node_modules', '@tongfa'), { recursive: true });
  mkdirSync(join(pkg, 'node_modules', '@types'), { recursive: true });
  symlinkSync(sdk, join(pkg, 'node_modules', '@tongfa', 'plugin-sdk'), 'dir');
  symlinkSync(join(repo, 'node_modules', '@types', 'node'), join(pkg, 'node_modules', '@types', 'node'), 'dir');
  const compiled = spawnSync(process.execPath, [tsc, '-p', join(pkg, 'tsconfig.json')], { encoding: 'utf8', cwd: pkg });
  assert.equal(compiled.status, 0, compiled.stdout + compiled.stderr);
  return { dir, pkg };
}

const external = scaffoldOutsideTheRepo();
after(() => rmSync(external.dir, { recursive: true, force: true }));

for (const driver of testDrivers()) {
  describe(`a third-party plugin installed by path (${driver})`, () => {
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
      await world.user('tp.admin', Role.UnitAdmin, 'countyA1');
      await world.user('tp.sup', Role.Supervisor, 'cityA');
      for (const u of ['tp.admin', 'tp.sup']) t.set(u, await login(hub.http, u));
    });
    after(async () => {
      await sandbox.close();
      await hub.close();
    });

    it('is listed by GET /plugins and its simulator is served by the sandbox', async () => {
      const res = await hub.http.get('/api/v1/plugins').set(as('tp.admin'));
      assert.equal(res.status, 200);
      const m = res.body.items.find((p: { id: string }) => p.id === 'county-app');
      assert.ok(m, 'the third-party plugin is listed');
      assert.equal(m.source, 'third_party');
      assert.equal(m.name.zh, '县融媒客户端');
      assert.ok(sandbox.platforms.includes('county-app'));
    });

    it('publishes through the host to its own simulator, once', async () => {
      const created = await hub.http
        .post('/api/v1/accounts')
        .set(as('tp.admin'))
        .send({ unitId: world.units.countyA1.id, platform: 'county-app', name: '甲市一县发布' });
      assert.equal(created.status, 201, created.text);
      const id = created.body.id as string;
      assert.equal((await hub.http.post(`/api/v1/accounts/${id}/approval`).set(as('tp.sup')).send({ decision: 'approve' })).status, 200);
      await hub.app.get(AccountConnectionsService).useSandbox(id, sandbox.endpointsFor('county-app'));
      const sim = new SandboxClient(sandbox.url);
      const platformAccount = await sim.createAccount('county-app', '甲市一县发布');
      const connected = await hub.http
        .post(`/api/v1/accounts/${id}/credentials`)
        .set(as('tp.admin'))
        .send({ credentials: platformAccount.credentials });
      assert.equal(connected.status, 200, connected.text);

      const host = hub.app.get(PluginHost);
      const rendition = host.render('county-app', {
        manuscriptId: 'm1',
        versionId: 'v1',
        title: '县里的好消息',
        summary: '',
        bodyHtml: '<p>第三方插件发布的第一条。</p>',
        category: 'news',
        source: { type: 'original' },
        images: [],
      });
      assert.deepEqual(rendition.violations, []);
      const store = new Map<string, unknown>();
      const out = await host.publish({ accountId: id, idempotencyKey: 'tf-county-1' }, rendition, {
        load: async () => store.get('cp') as never,
        save: async (s) => void store.set('cp', s),
      });
      assert.equal(out.state, 'published', JSON.stringify(out.error));
      const posts = await sim.posts('county-app', platformAccount.id);
      assert.equal(posts.length, 1);
      assert.equal(posts[0]!.title, '县里的好消息');
      assert.equal(posts[0]!.idempotencyMarker, 'tf-county-1');
    });
  });
}
