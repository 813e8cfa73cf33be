import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { PluginHost, PluginRegistry } from '@tongfa/plugins';
import { SandboxClient } from '@tongfa/plugin-sdk/testing';
import { startSandbox, type RunningSandbox } from '../apps/sandbox/src/sandbox';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { pollUntil } from './support/poll';
import { approvedManuscript } from './support/publish-kit';

/**
 * The plugin author's path, as an outsider walks it: the SDK tarball `npm run sdk:pack` builds is
 * installed into an empty directory outside the repository, its own CLI scaffolds a plugin (app-secret,
 * OAuth2, and the guide's video example copied over a scaffold), `npm install` and `npm test` run there (the conformance suite, green), and a hub loads
 * both packages by path, connects accounts (the OAuth2 one through its authorize page), publishes a
 * reviewed manuscript and retracts it.
 */
const repo = resolve(__dirname, '..', '..');
const npmCli = resolve(dirname(process.execPath), '../lib/node_modules/npm/bin/npm-cli.js');

function npm(cwd: string, args: string[]): SpawnSyncReturns<string> {
  const [cmd, ...pre] = existsSync(npmCli) ? [process.execPath, npmCli] : ['npm'];
  // An outsider's environment: nothing of this test runner's, the registry (or the local cache) only.
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', npm_config_audit: 'false', npm_config_fund: 'false' };
  delete env.NODE_TEST_CONTEXT;
  for (const k of Object.keys(env)) if (k.startsWith('npm_package_') || k === 'npm_config_workspace') delete env[k];
  return spawnSync(cmd, [...pre, ...args], { cwd, env, encoding: 'utf8', timeout: 300_000 });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  assert.equal(r.status, 0, `${what} failed (${r.error?.message ?? `exit ${r.status}`}):\n${out.slice(-4000)}`);
  return out;
}

const work = mkdtempSync(join(tmpdir(), 'tongfa-author-'));
let tarball = '';
const plugins = {
  news: join(work, 'author', 'county-news'),
  oauth: join(work, 'author', 'county-video'),
  video: join(work, 'author', 'county-tv'),
};

after(() => rmSync(work, { recursive: true, force: true }));

describe('the plugin author’s path: SDK tarball → empty directory → scaffold → npm test', () => {
  it(
    'packs the SDK into one tarball that carries the CLI, templates, types, testing kit, README and CHANGELOG',
    { timeout: 300_000 },
    () => {
      const r = spawnSync(process.execPath, [join(repo, 'scripts', 'sdk-pack.mjs'), '--out', join(work, 'release')], { encoding: 'utf8' });
      const out = ok(r, 'sdk:pack');
      tarball = out.trim().split('\n').at(-1)!;
      assert.match(tarball, /tongfa-plugin-sdk-\d+\.\d+\.\d+\.tgz$/);
      assert.ok(existsSync(tarball));
    },
  );

  it(
    'generates the API reference with TypeDoc (npm run sdk:docs): the main entry, the testing kit and the image fitter',
    { timeout: 300_000 },
    () => {
      const out = join(work, 'docs');
      ok(spawnSync(process.execPath, [join(repo, 'scripts', 'sdk-docs.mjs'), '--out', out], { encoding: 'utf8' }), 'sdk:docs');
      for (const page of [
        'index.html',
        'modules/index.html',
        'modules/testing.html',
        'modules/images-sharp.html',
        'functions/index.definePlugin.html',
      ]) {
        assert.ok(existsSync(join(out, page)), `missing ${page}`);
      }
      // Doc comments reach the reference: the conformance suite's page carries its description.
      assert.match(readFileSync(join(out, 'functions', 'testing.describeConformance.html'), 'utf8'), /describeConformance/);
    },
  );

  it('installs the tarball into an empty directory and scaffolds two plugins with the installed CLI', { timeout: 300_000 }, () => {
    const author = join(work, 'author');
    mkdirSync(author);
    ok(npm(author, ['init', '-y']), 'npm init');
    ok(npm(author, ['install', '--prefer-offline', tarball]), 'npm install <tarball>');
    ok(npm(author, ['exec', '--no', '--', 'tongfa-plugin-sdk', '--version']), 'tongfa-plugin-sdk --version');
    const sdkSpec = `file:${tarball}`;
    const news = ok(
      npm(author, ['exec', '--no', '--', 'tongfa-plugin-sdk', 'init', 'county-news', '--name-zh', '县新闻客户端', '--sdk', sdkSpec]),
      'init (app-secret)',
    );
    assert.match(news, /npm install/);
    ok(
      npm(author, [
        'exec',
        '--no',
        '--',
        'tongfa-plugin-sdk',
        'init',
        'county-video',
        '--name-zh',
        '县视频号',
        '--auth',
        'oauth2',
        '--sdk',
        sdkSpec,
      ]),
      'init (oauth2)',
    );
    // The guide's worked example (a video platform without an idempotency key) ships in the package:
    // copied over a fresh scaffold, it is a complete plugin.
    ok(
      npm(author, ['exec', '--no', '--', 'tongfa-plugin-sdk', 'init', 'county-tv', '--name-zh', '县融媒视频号', '--sdk', sdkSpec]),
      'init (video)',
    );
    for (const f of ['index.ts', 'simulator.ts']) {
      copyFileSync(join(author, 'node_modules', '@tongfa', 'plugin-sdk', 'examples', 'county-tv', 'src', f), join(plugins.video, 'src', f));
    }
    for (const dir of Object.values(plugins)) {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
      assert.equal(pkg.dependencies['@tongfa/plugin-sdk'], sdkSpec);
    }
  });

  for (const [name, key] of [
    ['app-secret', 'news'],
    ['oauth2', 'oauth'],
    ['video example', 'video'],
  ] as const) {
    it(
      `the ${name} scaffold installs and passes its own tests (the conformance suite) outside the repository`,
      { timeout: 600_000 },
      () => {
        const dir = plugins[key];
        ok(npm(dir, ['install', '--prefer-offline']), 'npm install');
        const out = ok(npm(dir, ['test']), 'npm test');
        // Node's runner prints TAP or its spec summary depending on the version and terminal.
        assert.match(out, /(?:ℹ|#) fail 0/);
        // The whole suite ran (the video example declares fewer capabilities, so it has fewer checks).
        assert.ok(Number(/(?:ℹ|#) pass (\d+)/.exec(out)?.[1]) >= (key === 'video' ? 17 : 20), out.slice(-2000));
        if (key === 'oauth') assert.match(out, /authorize URL leads/);
        // The video example runs the suite's MP4 sample through chunked reads and the lost-response checks.
        if (key === 'video') assert.match(out, /after a lost response at any committing step/);
        // Loaded by a hub the way an operator installs it: the compiled package by path.
        assert.ok(existsSync(join(dir, 'dist', 'src', 'index.js')));
      },
    );
  }
});

for (const driver of testDrivers()) {
  describe(`a hub runs the author's packages (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sandbox: RunningSandbox;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });

    before(async () => {
      assert.ok(existsSync(join(plugins.oauth, 'dist', 'src', 'index.js')), 'the packages were built by the author path above');
      hub = await startTestHub(driver, { TONGFA_PLUGINS: `${plugins.news},${plugins.oauth}` });
      sandbox = await startSandbox(hub.app.get(PluginRegistry));
      hub.app.get(PluginHost).allowSandboxOrigin(sandbox.url);
      world = await World.build(hub.app);
      for (const [u, role, unit, level] of [
        ['ap.editor', Role.Editor, 'countyA1', 0],
        ['ap.admin', Role.UnitAdmin, 'countyA1', 0],
        ['ap.sup', Role.Supervisor, 'cityA', 0],
        ['ap.op', Role.PlatformOperator, 'province', 0],
        ['ap.r1', Role.Reviewer, 'countyA1', 1],
        ['ap.r2', Role.Reviewer, 'countyA1', 2],
        ['ap.r3', Role.Reviewer, 'countyA1', 3],
      ] as const) {
        await world.user(u, role, unit, { level: level || undefined });
        t.set(u, await login(hub.http, u));
      }
    });
    after(async () => {
      await sandbox?.close();
      await hub?.close();
    });

    async function openAccount(platform: string, name: string): Promise<string> {
      const created = await hub.http.post('/api/v1/accounts').set(as('ap.admin')).send({ unitId: world.units.countyA1.id, platform, name });
      assert.equal(created.status, 201, created.text);
      const id = created.body.id as string;
      const approved = await hub.http.post(`/api/v1/accounts/${id}/approval`).set(as('ap.sup')).send({ decision: 'approve' });
      assert.equal(approved.status, 200, approved.text);
      // A newly installed platform: the operator points the account at the plugin's simulator (audited).
      const sandboxed = await hub.http.put(`/api/v1/accounts/${id}/sandbox`).set(as('ap.op')).send({ sandboxed: true });
      assert.equal(sandboxed.status, 200, sandboxed.text);
      return id;
    }

    async function publishAndRetract(accountId: string, platform: string, platformAccountId: string, title: string): Promise<void> {
      const ms = await approvedManuscript(
        hub,
        { editor: t.get('ap.editor')!, reviewers: ['ap.r1', 'ap.r2', 'ap.r3'].map((r) => t.get(r)!) },
        { title },
      );
      const res = await hub.http
        .post(`/api/v1/manuscripts/${ms}/publications`)
        .set(as('ap.editor'))
        .set('Idempotency-Key', `ap-${ms}`)
        .send({ accountIds: [accountId] });
      assert.equal(res.status, 201, res.text);
      const done = await pollUntil(
        async () => {
          const v = await hub.http.get(`/api/v1/publications/${res.body.id}`).set(as('ap.editor'));
          return v.body.targets?.[0]?.state === 'published' ? v.body : null;
        },
        { timeoutMs: 30_000, intervalMs: 100, what: `the ${platform} target published` },
      );
      const sim = new SandboxClient(sandbox.url);
      const live = (await sim.posts(platform, platformAccountId)).filter((p) => !p.deleted);
      assert.equal(live.length, 1, 'exactly one post on the platform');
      assert.equal(live[0]!.title, title);
      assert.equal(live[0]!.idempotencyMarker, done.targets[0].id);

      const retracted = await hub.http
        .post(`/api/v1/publications/${res.body.id}/retract`)
        .set(as('ap.editor'))
        .send({ reason: '作者路径测试：撤回' });
      assert.ok([200, 201, 202].includes(retracted.status), retracted.text);
      await pollUntil(
        async () => {
          const v = await hub.http.get(`/api/v1/publications/${res.body.id}`).set(as('ap.editor'));
          return v.body.targets?.[0]?.state === 'retracted';
        },
        { timeoutMs: 30_000, intervalMs: 100, what: `the ${platform} target retracted` },
      );
      assert.equal(
        (await sim.posts(platform, platformAccountId)).filter((p) => !p.deleted).length,
        0,
        'the post is gone from the platform',
      );
    }

    it('app-secret: connects with the account’s credentials, publishes a reviewed manuscript once and retracts it', async () => {
      assert.ok(sandbox.platforms.includes('county-news'), `sandbox serves: ${sandbox.platforms.join(', ')}`);
      const id = await openAccount('county-news', '甲市一县新闻');
      const platformAccount = await new SandboxClient(sandbox.url).createAccount('county-news', '甲市一县新闻');
      const connected = await hub.http
        .post(`/api/v1/accounts/${id}/credentials`)
        .set(as('ap.admin'))
        .send({ credentials: platformAccount.credentials });
      assert.equal(connected.status, 200, connected.text);
      await publishAndRetract(id, 'county-news', platformAccount.id, '作者路径：县新闻客户端首发');
    });

    it('oauth2: the operator enters the app’s key once, the unit connects through the authorize page, publishes and retracts', async () => {
      const id = await openAccount('county-video', '甲市一县视频');
      const platformAccount = await new SandboxClient(sandbox.url).createAccount('county-video', '甲市一县视频');
      const app = await hub.http
        .put('/api/v1/plugins/county-video/app-credentials')
        .set(as('ap.op'))
        .send({ credentials: { clientId: platformAccount.credentials.clientId, clientSecret: platformAccount.credentials.clientSecret } });
      assert.equal(app.status, 200, app.text);
      const start = await hub.http.get(`/api/v1/accounts/${id}/connect`).set(as('ap.admin')).redirects(0);
      assert.equal(start.status, 302, start.text);
      const authorize = new URL(start.headers.location);
      assert.equal(authorize.origin, new URL(sandbox.url).origin, 'the sandboxed account is sent to the simulator’s authorize page');
      const page = await fetch(authorize);
      assert.match(await page.text(), /以“甲市一县视频”授权/, 'a person sees the accounts to grant with');
      authorize.searchParams.set('sandbox_account', platformAccount.id);
      const granted = await fetch(authorize, { redirect: 'manual' });
      assert.equal(granted.status, 302);
      const back = new URL(granted.headers.get('location')!);
      assert.match(back.pathname, /\/api\/v1\/accounts\/oauth\/callback$/);
      const cb = await hub.http.get(`${back.pathname}${back.search}`).set(as('ap.admin')).redirects(0);
      assert.ok(cb.status < 400, cb.text);
      const account = await hub.http.get(`/api/v1/accounts/${id}`).set(as('ap.admin'));
      assert.equal(account.body.connection, 'connected', JSON.stringify(account.body));
      await publishAndRetract(id, 'county-video', platformAccount.id, '作者路径：县视频号首发');
    });
  });
}
