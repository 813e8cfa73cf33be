// Builds the plugin SDK as the release artifact a third party installs: stages the package in a
// temporary directory (the checkout's libs/plugin-sdk is left alone, so tests may run beside it),
// compiles it there with tsc (declarations and maps included), then `npm pack`s it: dist/, the
// sources the maps point at, the scaffold templates, README.md and CHANGELOG.md.
// Usage: node scripts/sdk-pack.mjs [--out <dir>]   (default: artifacts/). Prints the tarball's path.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sdk = resolve(root, 'libs/plugin-sdk');
const at = process.argv.indexOf('--out');
const out = resolve(at > 0 ? process.argv[at + 1] : resolve(root, 'artifacts'));
mkdirSync(out, { recursive: true });

const stage = mkdtempSync(resolve(tmpdir(), 'tongfa-sdk-pack-'));
process.on('exit', () => rmSync(stage, { recursive: true, force: true }));
for (const f of ['package.json', 'tsconfig.json', 'README.md', 'CHANGELOG.md', 'templates', 'examples', 'src']) {
  cpSync(resolve(sdk, f), resolve(stage, f), { recursive: true });
}
// Compiled where it is packed, so the declaration maps point at the sources shipped beside them.
// The SDK's dependencies and @types/node come from the checkout's install while compiling.
symlinkSync(resolve(root, 'node_modules'), resolve(stage, 'node_modules'), 'dir');
execFileSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', resolve(stage, 'tsconfig.json')], {
  stdio: 'inherit',
});
rmSync(resolve(stage, 'node_modules'));

// --ignore-scripts: prepack would compile a second time. npm is the one this Node came with.
const npmCli = resolve(dirname(process.execPath), '../lib/node_modules/npm/bin/npm-cli.js');
const [cmd, ...pre] = existsSync(npmCli) ? [process.execPath, npmCli] : ['npm'];
const raw = execFileSync(cmd, [...pre, 'pack', '--ignore-scripts', '--json', '--pack-destination', out], {
  cwd: stage,
  encoding: 'utf8',
  shell: cmd === 'npm' && process.platform === 'win32',
});
const [info] = JSON.parse(raw);
const files = new Set(info.files.map((f) => f.path));
// What an author needs from the tarball alone; a pack without any of it is a broken release.
const required = [
  'package.json',
  'README.md',
  'CHANGELOG.md',
  'dist/index.js',
  'dist/index.d.ts',
  'dist/index.d.ts.map',
  'src/index.ts',
  'dist/cli/bin.js',
  'dist/testing/index.js',
  'dist/testing/index.d.ts',
  'dist/images-sharp.js',
  'templates/plugin/package.json.tpl',
  'templates/plugin/src/index.ts.tpl',
  'examples/county-tv/src/index.ts',
  'examples/county-tv/src/simulator.ts',
];
const missing = required.filter((f) => !files.has(f));
const leaked = [...files].filter((f) => /\.spec(-support)?\.(ts|js)$|\.spec\.d\.ts/.test(f));
if (missing.length || leaked.length) {
  console.error(`sdk:pack: missing ${missing.join(', ') || '-'}; must not ship ${leaked.join(', ') || '-'}`);
  process.exit(1);
}
console.log(resolve(out, info.filename));
