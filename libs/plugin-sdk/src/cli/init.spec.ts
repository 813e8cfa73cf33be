import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { SDK_VERSION } from '../manifest';
import { expandBlocks, initPlugin, runCli } from './init';

// dist/libs/plugin-sdk/src/cli → the repository root and the SDK package.
const repo = resolve(__dirname, '..', '..', '..', '..', '..');
const sdkPackage = join(repo, 'libs', 'plugin-sdk');
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');

describe('tongfa-plugin-sdk init', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tongfa-init-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('expands template blocks: whole-line blocks leave no blank lines, inline ones keep their surroundings', () => {
    const t = 'a\n  {{#x}}\n  on\n  {{/x}}\n  {{^x}}\n  off\n  {{/x}}\nb {{#x}}X{{/x}}{{^x}}Y{{/x}} c\n';
    assert.equal(expandBlocks(t, { x: true }), 'a\n  on\nb X c\n');
    assert.equal(expandBlocks(t, { x: false }), 'a\n  off\nb Y c\n');
    assert.throws(() => expandBlocks('{{#y}}1{{/y}}', { x: true }), /unknown template block/);
  });

  it('says its version, refuses an unknown option and an unknown auth kind', () => {
    const out: string[] = [];
    const err: string[] = [];
    assert.equal(
      runCli(['--version'], (s) => out.push(s)),
      0,
    );
    assert.deepEqual(out, [SDK_VERSION]);
    assert.equal(
      runCli(
        ['init', 'x-app', '--dir', join(tmp, 'x'), '--colour', 'red'],
        () => {},
        (s) => err.push(s),
      ),
      2,
    );
    assert.match(err.join(), /unknown option --colour/);
    assert.equal(
      runCli(
        ['init', 'x-app', '--dir', join(tmp, 'x'), '--auth', 'saml'],
        () => {},
        (s) => err.push(s),
      ),
      1,
    );
    assert.match(err.join(), /--auth must be one of app-secret, oauth2/);
    assert.equal(existsSync(join(tmp, 'x')), false);
  });

  it('refuses a bad name and a non-empty directory, writing nothing', () => {
    const errors: string[] = [];
    assert.equal(
      runCli(
        ['init', 'Bad_Name', '--dir', join(tmp, 'bad')],
        () => {},
        (s) => errors.push(s),
      ),
      1,
    );
    assert.match(errors.join(), /kebab-case/);
    assert.equal(existsSync(join(tmp, 'bad')), false);
    mkdirSync(join(tmp, 'full'));
    writeFileSync(join(tmp, 'full', 'keep.txt'), 'mine');
    assert.throws(() => initPlugin({ name: 'ok-name', dir: join(tmp, 'full') }), /not empty/);
    assert.equal(
      runCli(
        ['init'],
        () => {},
        () => {},
      ),
      2,
    );
  });

  for (const auth of ['app-secret', 'oauth2'] as const) {
    it(
      `scaffolds a plugin (${auth}) that type-checks against the packaged SDK and passes its own conformance suite`,
      { timeout: 120_000 },
      () => {
        const dir = join(tmp, `city-app-${auth}`);
        const bin = join(__dirname, 'bin.js');
        const cli = spawnSync(
          process.execPath,
          [bin, 'init', 'city-app', '--dir', dir, '--name-zh', '市客户端', '--name-en', "City's App", '--auth', auth],
          {
            encoding: 'utf8',
          },
        );
        assert.equal(cli.status, 0, cli.stderr);
        assert.match(cli.stdout, /src\/index\.ts/);
        for (const f of [
          'package.json',
          'tsconfig.json',
          'src/index.ts',
          'src/simulator.ts',
          'test/conformance.spec.ts',
          'README.md',
          '.gitignore',
        ]) {
          assert.ok(existsSync(join(dir, f)), `missing ${f}`);
        }
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string> };
        assert.equal(pkg.name, 'tongfa-plugin-city-app');
        assert.equal(pkg.dependencies['@tongfa/plugin-sdk'], `^${SDK_VERSION}`);
        const index = readFileSync(join(dir, 'src/index.ts'), 'utf8');
        assert.match(index, /en: 'City\\'s App'/);
        assert.match(index, auth === 'oauth2' ? /kind: 'oauth2'[\s\S]*authorizeUrl\(ctx[\s\S]*exchangeCode\(ctx/ : /kind: 'app_secret'/);
        assert.doesNotMatch(index + readFileSync(join(dir, 'src/simulator.ts'), 'utf8'), /\{\{/, 'no template syntax left behind');

        // Build the SDK the way it is published (tsc, declarations, package.json "exports") and install it
        // into the generated package by symlink, as `npm install` of a file: dependency would.
        const sdkBuild = spawnSync(process.execPath, [tsc, '-p', join(sdkPackage, 'tsconfig.json')], { encoding: 'utf8' });
        assert.equal(sdkBuild.status, 0, sdkBuild.stdout + sdkBuild.stderr);
        mkdirSync(join(dir, 'node_modules', '@tongfa'), { recursive: true });
        mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
        symlinkSync(sdkPackage, join(dir, 'node_modules', '@tongfa', 'plugin-sdk'), 'dir');
        symlinkSync(join(repo, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'), 'dir');

        const build = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', cwd: dir });
        assert.equal(build.status, 0, `generated plugin does not type-check:\n${build.stdout}${build.stderr}`);

        // Without NODE_TEST_CONTEXT the nested runner exits non-zero on failure instead of reporting to ours.
        const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
        delete env.NODE_TEST_CONTEXT;
        const test = spawnSync(process.execPath, ['--test', '--test-reporter=spec', join('dist', 'test', 'conformance.spec.js')], {
          encoding: 'utf8',
          cwd: dir,
          env,
        });
        const out = test.stdout + test.stderr;
        assert.equal(test.status, 0, `generated plugin fails its conformance suite:\n${out}`);
        const pass = Number(/ℹ pass (\d+)/.exec(out)?.[1]);
        assert.ok(pass >= 20, `expected the full suite to run, saw ${pass} passing tests`);
        assert.match(out, /ℹ fail 0/);
      },
    );
  }
});
