import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createHttpClient, isEgressRefusal } from './context';
import { classifyAddress, type EgressResolver } from './egress';
import { errorKind } from './errors';

const v4 = (a: number, b: number, c: number, d: number) => `${a}.${b}.${c}.${d}`;
const octet = fc.integer({ min: 0, max: 255 });
const hex4 = (a: number, b: number) => ((a << 8) | b).toString(16);

describe('classifyAddress', () => {
  it('names the special IPv4 ranges', () => {
    const cases: [string, string][] = [
      ['127.0.0.1', 'loopback'],
      ['127.255.255.254', 'loopback'],
      ['10.0.0.1', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.0.1', 'private'],
      ['100.64.0.1', 'shared'],
      ['100.127.255.255', 'shared'],
      ['169.254.169.254', 'link-local'],
      ['224.0.0.1', 'multicast'],
      ['239.255.255.250', 'multicast'],
      ['0.0.0.0', 'unspecified'],
      ['0.1.2.3', 'reserved'],
      ['255.255.255.255', 'reserved'],
      ['192.0.2.1', 'reserved'],
      ['198.18.0.1', 'reserved'],
      ['8.8.8.8', 'public'],
      ['172.32.0.1', 'public'],
      ['100.128.0.1', 'public'],
      ['114.114.114.114', 'public'],
    ];
    for (const [ip, kind] of cases) assert.equal(classifyAddress(ip), kind, ip);
  });

  it('names the special IPv6 ranges, and IPv4 carried inside IPv6 by the IPv4 address', () => {
    const cases: [string, string][] = [
      ['::1', 'loopback'],
      ['[::1]', 'loopback'],
      ['::', 'unspecified'],
      ['fe80::1%eth0', 'link-local'],
      ['fc00::1', 'private'],
      ['fd00:ec2::254', 'private'],
      ['ff02::1', 'multicast'],
      ['2001:db8::1', 'reserved'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['::ffff:a9fe:a9fe', 'link-local'],
      ['::ffff:10.1.2.3', 'private'],
      ['64:ff9b::169.254.169.254', 'link-local'],
      ['2002:c0a8:101::1', 'private'],
      ['2400:3200::1', 'public'],
      ['not-an-ip', 'invalid'],
    ];
    for (const [ip, kind] of cases) assert.equal(classifyAddress(ip), kind, ip);
  });

  it('classifies every address of 10/8, 172.16/12, 192.168/16 as private and 127/8 as loopback', () => {
    fc.assert(
      fc.property(octet, octet, octet, (b, c, d) => {
        assert.equal(classifyAddress(v4(10, b, c, d)), 'private');
        assert.equal(classifyAddress(v4(172, 16 + (b % 16), c, d)), 'private');
        assert.equal(classifyAddress(v4(192, 168, c, d)), 'private');
        assert.equal(classifyAddress(v4(127, b, c, d)), 'loopback');
        assert.equal(classifyAddress(v4(169, 254, c, d)), 'link-local');
        assert.equal(classifyAddress(v4(100, 64 + (b % 64), c, d)), 'shared');
      }),
    );
  });

  it('gives an IPv4-mapped IPv6 address the class of its IPv4 address, in both notations', () => {
    fc.assert(
      fc.property(octet, octet, octet, octet, (a, b, c, d) => {
        const k = classifyAddress(v4(a, b, c, d));
        assert.equal(classifyAddress(`::ffff:${v4(a, b, c, d)}`), k);
        assert.equal(classifyAddress(`::ffff:${hex4(a, b)}:${hex4(c, d)}`), k);
        assert.equal(classifyAddress(`[0:0:0:0:0:ffff:${hex4(a, b)}:${hex4(c, d)}]`), k);
      }),
    );
  });

  it('never calls an address public whose IPv4 form is not', () => {
    fc.assert(
      fc.property(octet, octet, octet, octet, (a, b, c, d) => {
        const k = classifyAddress(v4(a, b, c, d));
        if (k === 'public') return;
        for (const six of [`64:ff9b::${v4(a, b, c, d)}`, `2002:${hex4(a, b)}:${hex4(c, d)}::1`, `::${v4(a, b, c, d)}`]) {
          assert.notEqual(classifyAddress(six), 'public', six);
        }
      }),
    );
  });
});

describe('the HTTP client refuses non-public addresses at connect time', () => {
  let server: Server;
  let port = 0;
  let hits = 0;
  before(async () => {
    server = createServer((req, res) => {
      hits++;
      if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
        res.end();
        return;
      }
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const to =
    (address: string): EgressResolver =>
    async () => [{ address, family: address.includes(':') ? 6 : 4 }];
  const refused = (e: unknown) => isEgressRefusal(e) && errorKind(e) === 'permanent';

  it('refuses an allowlisted name that resolves to loopback, link-local or private addresses, before connecting', async () => {
    for (const address of ['127.0.0.1', '::1', '169.254.169.254', '10.0.0.8', '::ffff:127.0.0.1']) {
      const before = hits;
      const c = createHttpClient({ allowedHosts: ['*.gov.cn'], resolver: to(address), timeoutMs: 2000 });
      await assert.rejects(c.request({ method: 'POST', url: `http://receiver.county.gov.cn:${port}/x`, json: {} }), refused, address);
      assert.equal(hits, before, `${address}: nothing reached the server`);
    }
  });

  it('refuses IP literals of those kinds even when the allowlist names them', async () => {
    const c = createHttpClient({ allowedHosts: ['127.0.0.1', '169.254.169.254', '[::ffff:7f00:1]', '0.0.0.0'] });
    for (const url of [
      `http://127.0.0.1:${port}/`,
      'http://169.254.169.254/',
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://0.0.0.0:${port}/`,
    ]) {
      await assert.rejects(c.request({ method: 'GET', url }), refused, url);
    }
  });

  it('refuses a name that resolves to a public and a private address (all must be public)', async () => {
    const both: EgressResolver = async () => [
      { address: '203.119.80.10', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ];
    const c = createHttpClient({ allowedHosts: ['api.weibo.com'], resolver: both });
    await assert.rejects(c.request({ method: 'GET', url: `http://api.weibo.com:${port}/` }), refused);
  });

  it('reaches exactly an allowed origin, and no other port of the same host', async () => {
    const c = createHttpClient({ allowedHosts: [], allowedOrigins: [`http://127.0.0.1:${port}`] });
    const ok = await c.request({ method: 'GET', url: `http://127.0.0.1:${port}/ok` });
    assert.equal(ok.status, 200);
    await assert.rejects(c.request({ method: 'GET', url: `http://127.0.0.1:${port + 1}/ok` }), refused);
    await assert.rejects(c.request({ method: 'GET', url: `http://localhost:${port}/ok` }), refused);
    await assert.rejects(c.request({ method: 'GET', url: `https://127.0.0.1:${port}/ok` }), refused);
  });

  it('follows no redirect: a 302 to the metadata service comes back as a 302', async () => {
    const c = createHttpClient({ allowedHosts: [], allowedOrigins: [`http://127.0.0.1:${port}`] });
    const res = await c.request({ method: 'GET', url: `http://127.0.0.1:${port}/redirect` });
    assert.equal(res.status, 302);
  });

  it('keeps a non-JSON body out of the error message', async () => {
    const leak = createServer((_req, res) => res.end('<html>internal: password=hunter2-SECRET</html>'));
    await new Promise<void>((r) => leak.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(leak.address() as AddressInfo).port}`;
    try {
      const res = await createHttpClient({ allowedHosts: [], allowedOrigins: [origin] }).request({ method: 'GET', url: `${origin}/` });
      assert.throws(
        () => res.json(),
        (e: Error) => errorKind(e) === 'transient' && !/SECRET|hunter2/.test(e.message),
      );
    } finally {
      leak.close();
    }
  });
});
