// Compiles every TypeScript source of the monorepo into dist/ with swc (fast, no type check;
// `npm run typecheck` runs tsc). Path aliases (@tongfa/<lib>) are rewritten to relative paths.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dirs = ['apps', 'libs', 'plugins', 'test', 'bench'].filter((d) => existsSync(resolve(root, d)));
if (process.argv.includes('--clean')) rmSync(resolve(root, 'dist'), { recursive: true, force: true });
execFileSync(
  process.execPath,
  [
    resolve(root, 'node_modules/@swc/cli/bin/swc.js'),
    ...dirs,
    '-d',
    'dist',
    '--copy-files',
    '--ignore',
    '**/node_modules/**,apps/console/**,**/*.d.ts,libs/plugin-sdk/dist/**',
    '--quiet',
  ],
  { cwd: root, stdio: 'inherit' },
);
