// `npm run bench` (after the build it runs): every compiled benchmark, dist/bench/**/*.bench.js,
// one at a time in its own process so they do not compete, printing what each prints.
// Arguments filter by path below the repository (not the checkout's own folder name), e.g.
// `npm run bench -- lists`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'dist', 'bench');
const filters = process.argv.slice(2);

function walk(d, out = []) {
  for (const name of readdirSync(d)) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.bench.js')) out.push(p);
  }
  return out;
}

const files = existsSync(dir)
  ? walk(dir)
      .filter((f) => filters.length === 0 || filters.some((x) => relative(root, f).includes(x)))
      .sort()
  : [];
if (files.length === 0) {
  console.error('no benchmarks found under dist/bench (run `npm run build` first)');
  process.exit(1);
}
let failed = 0;
for (const f of files) {
  console.log(`\n▶ ${relative(root, f)}`);
  const r = spawnSync(process.execPath, ['--enable-source-maps', f], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
