// Builds the web console (apps/console) into apps/console/dist with Vite, then prints the size of
// its JavaScript, gzipped, against the 1.5 MB budget. Skips the build when dist is newer than
// every source file (`npm start` and `npm test` call it each time). --force rebuilds anyway.
// Every text file of the build is also written precompressed (`.br` at brotli's best, `.gz` at
// gzip's), so the hub sends them by Accept-Encoding without compressing on each request.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const app = join(root, 'apps/console');
const dist = join(app, 'dist');
const BUDGET = 1.5 * 1024 * 1024;

function newest(dir) {
  let t = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'dist' || name === 'node_modules') continue;
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

const index = join(dist, 'index.html');
let fresh = existsSync(index) && statSync(index).mtimeMs > Math.max(newest(app), statSync(join(root, 'package-lock.json')).mtimeMs);
if (!fresh || process.argv.includes('--force')) {
  const { build } = await import('vite');
  await build({ root: app, configFile: join(app, 'vite.config.mts'), logLevel: 'warn' });
  fresh = false;
}

// Only text compresses; a variant no smaller than the original is not worth a second file.
const TEXT = /\.(js|mjs|css|html|svg|json|txt|map|webmanifest)$/;
function precompress(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      precompress(p);
      continue;
    }
    if (!TEXT.test(name)) continue;
    if (existsSync(`${p}.br`) && existsSync(`${p}.gz`) && statSync(`${p}.br`).mtimeMs >= statSync(p).mtimeMs) continue;
    const buf = readFileSync(p);
    const br = brotliCompressSync(buf, {
      params: {
        [zlib.BROTLI_PARAM_QUALITY]: 11,
        [zlib.BROTLI_PARAM_SIZE_HINT]: buf.length,
        [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
      },
    });
    const gz = gzipSync(buf, { level: 9 });
    if (br.length < buf.length) writeFileSync(`${p}.br`, br);
    if (gz.length < buf.length) writeFileSync(`${p}.gz`, gz);
  }
}
precompress(dist);

let raw = 0;
let gz = 0;
let chunks = 0;
for (const f of readdirSync(join(dist, 'assets'))) {
  if (!f.endsWith('.js')) continue;
  const buf = readFileSync(join(dist, 'assets', f));
  raw += buf.length;
  gz += gzipSync(buf, { level: 9 }).length;
  chunks++;
}
const mb = (n) => `${(n / 1024 / 1024).toFixed(2)} MB`;
console.log(`console: ${chunks} JS chunks, ${mb(raw)} raw, ${mb(gz)} gzipped (budget ${mb(BUDGET)})${fresh ? ' — up to date' : ''}`);
if (gz > BUDGET) {
  console.error('console JavaScript is over its gzipped budget');
  process.exit(1);
}
