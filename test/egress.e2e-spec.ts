import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActorLoader, Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { PluginHost } from '@tongfa/plugins';
import { systemResolver, type EgressResolver } from '@tongfa/plugin-sdk';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { startSandboxWorld, SandboxWorld } from './support/sandbox-accounts';

const SECRET = 'SECRET-9f2c71d0-internal-admin-token';
const SIGNING = 'k'.repeat(40);

/** A local HTTP service standing in for whatever must never be reached (a database admin page, metadata). */
async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; origin: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

/**
 * Egress from plugin calls: a sandbox account reaches the sandbox and nothing else; a real account
 * reaches its plugin's hosts at public addresses only, checked on the address connected to (names
 * resolving to loopback, link-local or private addresses are refused); and nothing a remote answers
 * is echoed to the client.
 */
for (const driver of testDrivers()) {
  describe(`egress: plugin calls reach only what they may, and echo nothing (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sw: SandboxWorld;
    let internal: Awaited<ReturnType<typeof listen>>;
    let sandboxAccount = '';
    let realAccount = '';
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    const connect = (accountId: string, endpoint: string) =>
      hub.http
        .post(`/api/v1/accounts/${accountId}/credentials`)
        .set(as('eg.admin'))
        .send({ credentials: { endpoint, secret: SIGNING } });

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      await world.user('eg.admin', Role.UnitAdmin, 'countyA1');
      await world.user('eg.sup', Role.Supervisor, 'cityA');
      for (const u of world.users.keys()) t.set(u, await login(hub.http, u));
      internal = await listen((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'internal', name: SECRET, verifiedSubject: SECRET }));
      });
      sw = await startSandboxWorld(hub);
      const actors = hub.app.get(ActorLoader);
      const admin = await actors.forUser(world.users.get('eg.admin')!.id);
      const sup = await actors.forUser(world.users.get('eg.sup')!.id);
      sandboxAccount = (await sw.connect(admin, sup, world.units.countyA1.id, 'own-app', '甲市一县发布')).account.id;
      // A real account (not on the sandbox) of another unit admin's making, approved, not connected yet.
      const created = await hub.http
        .post('/api/v1/accounts')
        .set(as('eg.admin'))
        .send({ unitId: world.units.countyA1.id, platform: 'own-app', name: '甲市一县发布', exceptionReason: '县融媒体中心客户端' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      realAccount = created.body.id;
      const ok = await hub.http.post(`/api/v1/accounts/${realAccount}/approval`).set(as('eg.sup')).send({ decision: 'approve' });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
    });
    after(async () => {
      hub.app.get(PluginHost).useResolver(undefined);
      internal?.server.close();
      await sw?.close();
      await hub.close();
    });

    const assertRefused = (res: { status: number; body: { code?: string; message?: string } }, what: string) => {
      assert.equal(res.status, 400, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'PLATFORM_ADDRESS_REFUSED', what);
      assert.match(res.body.message ?? '', /出于安全原因，不能连接该地址/, what);
      assert.doesNotMatch(JSON.stringify(res.body), new RegExp(SECRET), what);
    };

    it('lets a sandbox account reach the sandbox origin only: another loopback port or the metadata address is refused', async () => {
      const port = new URL(sw.sandbox.url).port;
      for (const endpoint of [
        `${internal.origin}/receiver`,
        `http://localhost:${port}/own-app/receiver`,
        'http://169.254.169.254/latest/meta-data/',
        `http://[::ffff:127.0.0.1]:${new URL(internal.origin).port}/`,
      ]) {
        assertRefused(await connect(sandboxAccount, endpoint), endpoint);
      }
      assert.equal(internal.hits(), 0, 'nothing reached the local service');
      const detail = await hub.http.get(`/api/v1/accounts/${sandboxAccount}`).set(as('eg.admin'));
      assert.equal(detail.body.connection, 'connected', 'the working sandbox connection is kept');
    });

    it('checks the address a real account connects to: names resolving to loopback, link-local or private addresses are refused', async () => {
      const fake: EgressResolver = async (host) => {
        if (host === 'receiver.county.gov.cn') return [{ address: '127.0.0.1', family: 4 }];
        if (host === 'metadata.county.gov.cn') return [{ address: '169.254.169.254', family: 4 }];
        if (host === 'intranet.county.gov.cn') return [{ address: '10.20.30.40', family: 4 }];
        if (host === 'v6.county.gov.cn') return [{ address: '::ffff:127.0.0.1', family: 6 }];
        return systemResolver(host);
      };
      hub.app.get(PluginHost).useResolver(fake);
      const port = new URL(internal.origin).port;
      for (const endpoint of [
        `http://receiver.county.gov.cn:${port}/receiver`,
        'http://metadata.county.gov.cn/latest/meta-data/',
        'https://intranet.county.gov.cn/receiver',
        `http://v6.county.gov.cn:${port}/receiver`,
        `${internal.origin}/receiver`,
        `http://localhost:${port}/receiver`,
      ]) {
        assertRefused(await connect(realAccount, endpoint), endpoint);
      }
      assert.equal(internal.hits(), 0, 'nothing reached the local service');
      const detail = await hub.http.get(`/api/v1/accounts/${realAccount}`).set(as('eg.admin'));
      assert.equal(detail.body.connection, 'none', 'nothing was stored');
    });

    it('answers a remote that says something secret with our own words only', async () => {
      const remote = await listen((req, res) => {
        if (req.url?.includes('html')) {
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end(`<html><body>admin console ${SECRET}</body></html>`);
          return;
        }
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'forbidden', message: `denied; token=${SECRET}`, violations: [{ field: 'x', message: SECRET }] }));
      });
      // A second simulator origin the test itself vouches for: the explicit sandbox allowance.
      hub.app.get(PluginHost).allowSandboxOrigin(remote.origin);
      try {
        const refused = await connect(sandboxAccount, `${remote.origin}/json/receiver`);
        assert.equal(refused.status, 400, JSON.stringify(refused.body));
        assert.equal(refused.body.code, 'CREDENTIALS_REFUSED');
        assert.match(refused.body.message, /平台未接受这组凭据/);
        assert.doesNotMatch(JSON.stringify(refused.body), /SECRET|denied|token=/);

        const garbled = await connect(sandboxAccount, `${remote.origin}/html/receiver`);
        assert.equal(garbled.status, 503, JSON.stringify(garbled.body));
        assert.equal(garbled.body.code, 'PLATFORM_UNAVAILABLE');
        assert.doesNotMatch(JSON.stringify(garbled.body), /SECRET|admin console/);
        assert.ok(remote.hits() >= 2, 'the remote was asked');
      } finally {
        remote.server.close();
      }
    });
  });
}
