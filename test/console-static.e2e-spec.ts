import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startTestHub, TestHub } from './support/test-hub';
import { ensureConsoleBuilt, listen } from './support/browser';

const ROOT = resolve(__dirname, '../..');

/** A raw GET (node:http does not decompress), so the test sees exactly what went over the wire. */
function get(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((ok, fail) => {
    const req = request(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end();
  });
}

/** The console's files go out precompressed by Accept-Encoding, hashed ones cached for a year, the page never. */
describe('console static files (sqlite)', () => {
  let hub: TestHub;
  let base = '';
  let asset = '';

  before(async () => {
    ensureConsoleBuilt();
    // A build from before precompression: the script adds the variants without rebuilding.
    if (!existsSync(join(ROOT, 'apps/console/dist/index.html.br'))) {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build-console.mjs')], { cwd: ROOT, stdio: 'inherit' });
      assert.equal(r.status, 0);
    }
    hub = await startTestHub('sqlite');
    base = await listen(hub);
    const page = await get(base, '/');
    asset = /src="(\/assets\/[^"]+\.js)"/.exec(page.body.toString())![1];
  });
  after(() => hub.close());

  it('sends brotli to a browser that accepts it, gzip to one that accepts only gzip, and the plain file otherwise', async () => {
    const plain = await get(base, asset, { 'Accept-Encoding': 'identity' });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(String(plain.headers['content-type']), /javascript/);
    assert.equal(plain.headers.vary, 'Accept-Encoding');

    const br = await get(base, asset, { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.match(String(br.headers['content-type']), /javascript/);
    assert.ok(br.body.length < plain.body.length / 2, `${br.body.length} of ${plain.body.length} bytes`);
    assert.deepEqual(brotliDecompressSync(br.body), plain.body);

    const gz = await get(base, asset, { 'Accept-Encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gz.body), plain.body);

    const refused = await get(base, asset, { 'Accept-Encoding': 'br;q=0, gzip' });
    assert.equal(refused.headers['content-encoding'], 'gzip', 'q=0 means never');
  });

  it('caches hashed assets for a year and revalidates the page on every route', async () => {
    const js = await get(base, asset, { 'Accept-Encoding': 'br' });
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    for (const path of ['/', '/index.html', '/media', '/manuscripts/new']) {
      const page = await get(base, path, { 'Accept-Encoding': 'gzip, br' });
      assert.equal(page.status, 200, path);
      assert.equal(page.headers['cache-control'], 'no-cache', path);
      assert.equal(page.headers['content-encoding'], 'br', path);
      assert.match(brotliDecompressSync(page.body).toString(), /<div id="root">/);
      assert.match(String(page.headers['content-type']), /text\/html/);
    }
  });

  it('serves nothing outside the build and no variant by its own name', async () => {
    assert.equal((await get(base, `${asset}.br`)).status, 404);
    assert.equal((await get(base, '/assets/missing.js')).status, 404);
    assert.equal((await get(base, '/%2e%2e/%2e%2e/package.json')).status, 404);
    assert.equal((await get(base, '/assets/..%2f..%2f..%2fpackage.json')).status, 404);
    const api = await get(base, '/api/v1/no-such-route', { 'Accept-Encoding': 'br' });
    assert.equal(api.status, 404);
    assert.match(String(api.headers['content-type']), /json/);
  });

  it('lets the page run its inline boot script, by hash, and no other inline script', async () => {
    const page = await get(base, '/');
    const html = page.body.toString();
    const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    assert.equal(inline.length, 1, 'one inline script: the boot script');
    assert.match(inline[0], /__tongfaEarly/);
    const csp = String(page.headers['content-security-policy']);
    const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1] ?? '';
    const hash = `'sha256-${createHash('sha256').update(inline[0], 'utf8').digest('base64')}'`;
    assert.ok(scriptSrc.split(' ').includes(hash), `script-src ${scriptSrc} allows the boot script`);
    assert.doesNotMatch(scriptSrc, /unsafe-inline/);
    assert.equal(scriptSrc.split(' ').filter((s) => s.startsWith("'sha256-")).length, 1, 'only that one hash');
  });
});
