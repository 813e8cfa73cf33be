import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createHttpClient, createRedactingLogger, redactSecrets } from './context';
import { errorKind } from './errors';

const SECRET = 's3cr3t-app-secret';

describe('redactSecrets', () => {
  it('removes raw and URL-encoded secrets, longest first, and ignores trivially short values', () => {
    assert.equal(redactSecrets('token=ab/c d+e&x=ab/c d', ['ab/c d+e', 'ab/c d']), 'token=***&x=***');
    assert.equal(redactSecrets('GET /t?secret=a%2Fb%20c', ['a/b c']), 'GET /t?secret=***');
    assert.equal(redactSecrets('GET /t?secret=a%2Fb+c', ['a/b c']), 'GET /t?secret=***');
    assert.equal(redactSecrets('code 123', ['12']), 'code 123');
  });

  it('redacts log messages and nested fields, and sensitive keys whatever their value', () => {
    const lines: unknown[] = [];
    const log = createRedactingLogger((level, message, fields) => lines.push({ level, message, fields }), [SECRET]);
    log.warn(`failed with ${SECRET}`, { url: `https://x/?k=${SECRET}`, nested: { list: [SECRET] }, access_token: 'whatever' });
    assert.doesNotMatch(JSON.stringify(lines), new RegExp(SECRET));
    assert.match(JSON.stringify(lines), /"access_token":"\*\*\*"/);
  });
  it('redacts the names a plugin declares in sensitiveParams, in fields and in URLs inside messages', () => {
    const lines: unknown[] = [];
    const log = createRedactingLogger((level, message, fields) => lines.push({ level, message, fields }), [], ['Upload_Token']);
    log.info('gateway', { upload_token: 'ut-9f8e7d6c5b4a', other: 'kept' });
    assert.match(JSON.stringify(lines), /"upload_token":"\*\*\*"/);
    assert.match(JSON.stringify(lines), /"other":"kept"/);
  });
});

describe('createHttpClient', () => {
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/ok')) {
        res.writeHead(200, { 'content-type': 'application/json', 'x-echo': req.method ?? '' });
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => res.end(JSON.stringify({ method: req.method, url: req.url, ct: req.headers['content-type'], body })));
      } else if (req.url?.startsWith('/reset')) {
        req.resume();
        req.on('end', () => req.socket.destroy());
      } else if (req.url?.startsWith('/hang')) {
        req.resume(); // never answers
      } else if (req.url?.startsWith('/html')) {
        res.end('<html>502 Bad Gateway</html>');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const client = (extra: Partial<Parameters<typeof createHttpClient>[0]> = {}) =>
    createHttpClient({ allowedHosts: ['api.example.com'], allowLoopback: true, timeoutMs: 2000, redact: [SECRET], ...extra });

  it('refuses hosts outside the allowlist, and loopback unless allowLoopback is set', async () => {
    const c = createHttpClient({ allowedHosts: ['api.example.com'], fetch: (() => assert.fail('must not fetch')) as typeof fetch });
    await assert.rejects(
      c.request({ method: 'GET', url: 'https://evil.example.org/x' }),
      (e: Error) => errorKind(e) === 'permanent' && /evil\.example\.org/.test(e.message),
    );
    await assert.rejects(
      c.request({ method: 'GET', url: `${base}/ok` }),
      (e: Error) => errorKind(e) === 'permanent' && /127\.0\.0\.1/.test(e.message),
    );
  });

  it('lets allowed hosts through with query, form and JSON bodies', async () => {
    let seen: { url: string; init: RequestInit } | undefined;
    const fake = (async (url: URL, init: RequestInit) => {
      seen = { url: String(url), init };
      return new Response('{"ok":true}', { status: 200 });
    }) as unknown as typeof fetch;
    const c = createHttpClient({ allowedHosts: ['api.example.com'], fetch: fake });
    const res = await c.request({
      method: 'POST',
      url: 'https://api.example.com/a?x=1&u=old',
      query: { y: 2, z: undefined, u: ['t.cn/a', 'b'] },
      form: { a: 'b c' },
    });
    assert.deepEqual(res.json(), { ok: true });
    // An array repeats its parameter, in order, in place of the URL's own value.
    assert.equal(seen?.url, 'https://api.example.com/a?x=1&y=2&u=t.cn%2Fa&u=b');
    assert.equal(seen?.init.body, 'a=b+c');
    assert.equal((seen?.init.headers as Record<string, string>)['content-type'], 'application/x-www-form-urlencoded');
  });

  it('sends JSON and multipart bodies to a real server', async () => {
    const c = client();
    const j = await c.request({ method: 'PUT', url: `${base}/ok`, json: { a: 1 } });
    assert.equal(j.status, 200);
    assert.deepEqual(j.json<{ body: string }>().body, '{"a":1}');
    const m = await c.request({
      method: 'POST',
      url: `${base}/ok`,
      multipart: [{ name: 'f', filename: 'a.png', contentType: 'image/png', data: new Uint8Array([1, 2]) }],
    });
    assert.match(m.json<{ ct: string }>().ct, /^multipart\/form-data; boundary=/);
  });

  it('maps a refused connection to Transient: nothing was sent', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    await assert.rejects(
      client().request({ method: 'POST', url: `http://127.0.0.1:${port}/x`, json: {} }),
      (e: Error) => errorKind(e) === 'transient',
    );
  });

  it('maps a reset after sending to Ambiguous for writes and Transient for reads', async () => {
    await assert.rejects(
      client().request({ method: 'POST', url: `${base}/reset`, json: { a: 1 } }),
      (e: Error) => errorKind(e) === 'ambiguous',
    );
    await assert.rejects(client().request({ method: 'GET', url: `${base}/reset` }), (e: Error) => errorKind(e) === 'transient');
  });

  it('maps a timeout on a write to Ambiguous and keeps secrets out of the message', async () => {
    const started = Date.now();
    await assert.rejects(
      client().request({ method: 'POST', url: `${base}/hang?access_token=${SECRET}&appsecret=${SECRET}`, json: {}, timeoutMs: 150 }),
      (e: Error) => {
        assert.equal(errorKind(e), 'ambiguous');
        assert.match(e.message, /timed out after 150 ms/);
        assert.doesNotMatch(e.message + String((e.cause as Error)?.message), new RegExp(SECRET));
        return true;
      },
    );
    assert.ok(Date.now() - started < 1500, 'the per-request timeout must apply');
  });

  it('keeps a declared sensitive parameter (an upload gateway’s token) out of error messages', async () => {
    await assert.rejects(
      client({ sensitiveParams: ['upload_token'] }).request({
        method: 'POST',
        url: `${base}/hang?upload_token=ut-0a1b2c3d4e5f`,
        json: {},
        timeoutMs: 100,
      }),
      (e: Error) => {
        assert.doesNotMatch(e.message, /ut-0a1b2c3d4e5f/);
        assert.match(e.message, /upload_token=\*\*\*/);
        return true;
      },
    );
    // Without the declaration the value would show: the declaration is what protects it.
    await assert.rejects(
      client().request({ method: 'POST', url: `${base}/hang?upload_token=ut-0a1b2c3d4e5f`, json: {}, timeoutMs: 100 }),
      (e: Error) => /ut-0a1b2c3d4e5f/.test(e.message),
    );
  });

  it('turns a non-JSON body into Transient when json() is asked for', async () => {
    const res = await client().request({ method: 'GET', url: `${base}/html` });
    assert.throws(
      () => res.json(),
      (e: Error) => errorKind(e) === 'transient',
    );
  });
});
