// Runs the compiled test files with Node's test runner: unit specs beside the code
// (dist/**/*.spec.js) and end-to-end suites (dist/test/**/*.e2e-spec.js).
// Flags: --unit (specs only), --e2e (e2e only), --fault (fault suites), --exclude=<substring>; any
// other args filter paths.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const only = args.find((a) => a === '--unit' || a === '--e2e' || a === '--fault');
const filters = args.filter((a) => !a.startsWith('--'));
// --exclude=<substring> (repeatable): leave out the files whose path contains it.
const excludes = args.filter((a) => a.startsWith('--exclude=')).map((a) => a.slice('--exclude='.length));

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const files = walk(join(root, 'dist'))
  .map((f) => relative(root, f))
  .filter((f) => {
    if (only === '--fault') return f.endsWith('.fault-spec.js');
    const unit = f.endsWith('.spec.js') && !f.endsWith('.e2e-spec.js') && !f.endsWith('.fault-spec.js');
    const e2e = f.endsWith('.e2e-spec.js');
    if (only === '--unit') return unit;
    if (only === '--e2e') return e2e;
    return unit || e2e;
  })
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .filter((f) => !excludes.some((x) => f.includes(x)))
  .sort();

if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

const concurrency = Number(process.env.TONGFA_TEST_CONCURRENCY ?? Math.max(2, availableParallelism()));
const r = spawnSync(
  process.execPath,
  ['--enable-source-maps', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(r.status ?? 1);
