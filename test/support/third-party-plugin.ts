import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// dist/test/support → the repository root.
const repo = resolve(__dirname, '..', '..', '..');
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');

/**
 * What a third party does: `tongfa-plugin-sdk init` in a directory of its own, build it against the
 * published shape of the SDK (tsc output + package.json "exports", installed by symlink as a file:
 * dependency would be), and hand the operator a path for TONGFA_PLUGINS. Returns the temporary
 * directory (remove it after) and the plugin package's path.
 */
export function scaffoldPluginOutsideTheRepo(id: string, nameZh: string): { dir: string; pkg: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tongfa-third-party-'));
  const sdk = join(dir, 'sdk');
  mkdirSync(sdk);
  copyFileSync(join(repo, 'libs', 'plugin-sdk', 'package.json'), join(sdk, 'package.json'));
  const build = spawnSync(process.execPath, [tsc, '-p', join(repo, 'libs', 'plugin-sdk', 'tsconfig.json'), '--outDir', join(sdk, 'dist')], {
    encoding: 'utf8',
  });
  assert.equal(build.status, 0, build.stdout + build.stderr);
  symlinkSync(join(repo, 'node_modules'), join(sdk, 'node_modules'), 'dir'); // the SDK's own dependencies
  const pkg = join(dir, id);
  const cli = spawnSync(
    process.execPath,
    [join(repo, 'dist', 'libs', 'plugin-sdk', 'src', 'cli', 'bin.js'), 'init', id, '--dir', pkg, '--name-zh', nameZh],
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
