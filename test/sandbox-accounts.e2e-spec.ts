import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { PluginHost, PluginRegistry } from '@tongfa/plugins';
import { SandboxClient } from '@tongfa/plugin-sdk/testing';
import { startSandbox, type RunningSandbox } from '../apps/sandbox/src/sandbox';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';

/**
 * A platform operator points any account at the sandbox's simulator of its platform (to try a newly
 * installed plugin end to end), or back at the real platform: audited, the credentials of the other
 * side dropped, nobody else allowed, refused in production unless the installation allows it.
 */
for (const driver of testDrivers()) {
  describe(`an operator points accounts at the sandbox (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sandbox: RunningSandbox;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    let accountId = '';

    before(async () => {
      hub = await startTestHub(driver);
      sandbox = await startSandbox(hub.app.get(PluginRegistry));
      world = await World.build(hub.app);
      for (const [u, role, unit] of [
        ['sb.op', Role.PlatformOperator, 'province'],
        ['sb.admin', Role.UnitAdmin, 'countyA1'],
        ['sb.sup', Role.Supervisor, 'cityA'],
        ['sb.sec', Role.SecurityAdmin, 'province'],
        ['sb.aud', Role.Auditor, 'province'],
      ] as const) {
        await world.user(u, role, unit);
        t.set(u, await login(hub.http, u));
      }
      const created = await hub.http
        .post('/api/v1/accounts')
        .set(as('sb.admin'))
        .send({ unitId: world.units.countyA1.id, platform: 'nanfang', name: '甲市一县发布' });
      assert.equal(created.status, 201, created.text);
      accountId = created.body.id;
      assert.equal(
        (await hub.http.post(`/api/v1/accounts/${accountId}/approval`).set(as('sb.sup')).send({ decision: 'approve' })).status,
        200,
      );
    });
    after(async () => {
      await sandbox?.close();
      await hub?.close();
    });

    it('says so when no sandbox is configured', async () => {
      const res = await hub.http.put(`/api/v1/accounts/${accountId}/sandbox`).set(as('sb.op')).send({ sandboxed: true });
      assert.equal(res.status, 409, res.text);
      assert.match(res.body.message, /未配置沙箱/);
    });

    it('refuses everyone but a platform operator, and a body without the flag names the field', async () => {
      hub.app.get(PluginHost).allowSandboxOrigin(sandbox.url);
      for (const who of ['sb.admin', 'sb.sup', 'sb.sec']) {
        const res = await hub.http.put(`/api/v1/accounts/${accountId}/sandbox`).set(as(who)).send({ sandboxed: true });
        assert.equal(res.status, 403, `${who}: ${res.text}`);
      }
      const bad = await hub.http.put(`/api/v1/accounts/${accountId}/sandbox`).set(as('sb.op')).send({ sandboxed: 'yes' });
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(bad.body), /sandboxed/);
      const account = await hub.http.get(`/api/v1/accounts/${accountId}`).set(as('sb.admin'));
      assert.notEqual(account.body.sandbox, true, 'nothing changed');
    });

    it('points the account at the simulator, audited; the unit then connects with simulator credentials; back to the real platform drops them', async () => {
      const res = await hub.http.put(`/api/v1/accounts/${accountId}/sandbox`).set(as('sb.op')).send({ sandboxed: true });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.sandboxed, true);
      for (const url of Object.values(res.body.endpoints as Record<string, string>)) {
        assert.ok(url.startsWith(`${sandbox.url}/nanfang`), `${url} is the sandbox's nanfang simulator`);
      }
      const sim = await new SandboxClient(sandbox.url).createAccount('nanfang', '甲市一县发布');
      const connected = await hub.http
        .post(`/api/v1/accounts/${accountId}/credentials`)
        .set(as('sb.admin'))
        .send({ credentials: sim.credentials });
      assert.equal(connected.status, 200, connected.text);
      assert.equal(connected.body.connection, 'connected');

      const audit = await hub.http.get('/api/v1/audit').query({ action: 'account.sandbox' }).set(as('sb.aud'));
      assert.equal(audit.status, 200, audit.text);
      const rows = (audit.body.items as Array<{ action: string; targetId: string }>).filter((r) => r.action === 'account.sandbox');
      assert.ok(
        rows.some((r) => r.targetId === accountId),
        JSON.stringify(audit.body).slice(0, 500),
      );

      const back = await hub.http.put(`/api/v1/accounts/${accountId}/sandbox`).set(as('sb.op')).send({ sandboxed: false });
      assert.equal(back.status, 200, back.text);
      assert.equal(back.body.sandboxed, false);
      assert.equal(back.body.endpoints, null);
      assert.equal(back.body.connection, 'none', 'the sandbox credentials are never sent to the real platform');
    });
  });
}

describe('sandbox accounts in production (sqlite)', () => {
  for (const [allow, want] of [
    ['0', 403],
    ['1', 200],
  ] as const) {
    it(`TONGFA_ALLOW_SANDBOX_ACCOUNTS=${allow}: ${want === 403 ? 'refused' : 'allowed'}`, async () => {
      const hub = await startTestHub('sqlite', { NODE_ENV: 'production', TONGFA_ALLOW_SANDBOX_ACCOUNTS: allow });
      const sandbox = await startSandbox(hub.app.get(PluginRegistry));
      try {
        hub.app.get(PluginHost).allowSandboxOrigin(sandbox.url);
        const world = await World.build(hub.app);
        await world.user('p.op', Role.PlatformOperator, 'province');
        await world.user('p.admin', Role.UnitAdmin, 'countyA1');
        const op = { Authorization: `Bearer ${await login(hub.http, 'p.op')}` };
        const created = await hub.http
          .post('/api/v1/accounts')
          .set({ Authorization: `Bearer ${await login(hub.http, 'p.admin')}` })
          .send({ unitId: world.units.countyA1.id, platform: 'nanfang', name: '甲市一县发布' });
        assert.equal(created.status, 201, created.text);
        const res = await hub.http.put(`/api/v1/accounts/${created.body.id}/sandbox`).set(op).send({ sandboxed: true });
        assert.equal(res.status, want, res.text);
        if (want === 403) assert.match(res.body.message, /TONGFA_ALLOW_SANDBOX_ACCOUNTS=1/);
      } finally {
        await sandbox.close();
        await hub.close();
      }
    });
  }
});
