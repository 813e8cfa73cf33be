import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDrivers } from '@tongfa/database';
import { Role } from '@tongfa/identity';
import { AccountConnectionsService } from '@tongfa/plugins';
import { startSandbox, type RunningSandbox } from '../apps/sandbox/src/sandbox';
import { PluginRegistry } from '@tongfa/plugins';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';

/**
 * A setting a platform's plugin needs (Weibo: `rip`, and a link under the app's safe domain) is
 * checked when an account's settings are saved and when it is connected, with a 400 that names
 * each setting in Chinese, instead of surfacing first as a failed publish.
 */
for (const driver of testDrivers()) {
  describe(`account settings a plugin needs (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sandbox: RunningSandbox;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    let weibo = '';

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      await world.user('st.admin', Role.UnitAdmin, 'countyA1');
      await world.user('st.sup', Role.Supervisor, 'cityA');
      await world.user('st.editor', Role.Editor, 'countyA1');
      for (const u of ['st.admin', 'st.sup', 'st.editor']) t.set(u, await login(hub.http, u));
      sandbox = await startSandbox(hub.app.get(PluginRegistry));
      const res = await hub.http
        .post('/api/v1/accounts')
        .set(as('st.admin'))
        .send({ unitId: world.units.countyA1.id, platform: 'weibo', name: '甲市一县发布' });
      assert.equal(res.status, 201, res.text);
      weibo = res.body.id;
      const ok = await hub.http.post(`/api/v1/accounts/${weibo}/approval`).set(as('st.sup')).send({ decision: 'approve' });
      assert.equal(ok.status, 200, ok.text);
      await hub.app.get(AccountConnectionsService).useSandbox(weibo, sandbox.endpointsFor('weibo'));
    });
    after(async () => {
      await sandbox.close();
      await hub.close();
    });

    const fields = (body: { details?: { field: string }[] }) => (body.details ?? []).map((d) => d.field).sort();

    it('refuses to connect a Weibo account before its link and rip are set, naming both in Chinese', async () => {
      const res = await hub.http.get(`/api/v1/accounts/${weibo}/connect`).set(as('st.admin')).set('Accept', 'application/json');
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.code, 'ACCOUNT_SETTINGS_INCOMPLETE');
      assert.deepEqual(fields(res.body), ['settings.rip', 'settings.siteUrl']);
      assert.match(res.body.message, /^新浪微博账号的设置不完整/);
      assert.match(res.body.message, /rip/);
      assert.match(res.body.message, /安全域名/);
    });

    it('refuses settings that leave rip empty, or set it to something that is not an IP address', async () => {
      const missing = await hub.http
        .patch(`/api/v1/accounts/${weibo}`)
        .set(as('st.admin'))
        .send({ settings: { siteUrl: 'https://www.jiashi.gov.cn/' } });
      assert.equal(missing.status, 400, missing.text);
      assert.deepEqual(fields(missing.body), ['settings.rip']);
      const notIp = await hub.http
        .patch(`/api/v1/accounts/${weibo}`)
        .set(as('st.admin'))
        .send({ settings: { siteUrl: 'https://www.jiashi.gov.cn/', rip: 'localhost; rm -rf /' } });
      assert.equal(notIp.status, 400, notIp.text);
      assert.deepEqual(fields(notIp.body), ['settings.rip']);
      assert.match(notIp.body.message, /rip 须为 IP 地址/);
      assert.ok(!notIp.text.includes('rm -rf'), 'the refused value is not echoed');
    });

    it('refuses a site outside the app’s safe domain, naming the setting', async () => {
      const res = await hub.http
        .patch(`/api/v1/accounts/${weibo}`)
        .set(as('st.admin'))
        .send({ settings: { siteUrl: 'https://evil.example.com/', safeDomain: 'jiashi.gov.cn', rip: '203.0.113.7' } });
      assert.equal(res.status, 400, res.text);
      assert.deepEqual(fields(res.body), ['settings.siteUrl']);
      const row = await hub.http.get(`/api/v1/accounts/${weibo}`).set(as('st.admin'));
      assert.equal(row.body.settings, null, 'nothing was saved');
    });

    it('lets only the unit admin save settings, then connects once they are complete', async () => {
      const settings = { siteUrl: 'https://www.jiashi.gov.cn/', rip: '203.0.113.7' };
      const editor = await hub.http.patch(`/api/v1/accounts/${weibo}`).set(as('st.editor')).send({ settings });
      assert.equal(editor.status, 403, editor.text);
      const saved = await hub.http.patch(`/api/v1/accounts/${weibo}`).set(as('st.admin')).send({ settings });
      assert.equal(saved.status, 200, saved.text);
      assert.deepEqual(saved.body.settings, settings);
      const start = await hub.http.get(`/api/v1/accounts/${weibo}/connect`).set(as('st.admin')).set('Accept', 'application/json');
      assert.equal(start.status, 200, start.text);
      assert.ok(new URL(start.body.authorizeUrl));
      // Removing a required setting later is refused as well: the account stays publishable.
      const removed = await hub.http
        .patch(`/api/v1/accounts/${weibo}`)
        .set(as('st.admin'))
        .send({ settings: { rip: null } });
      assert.equal(removed.status, 400, removed.text);
      assert.deepEqual(fields(removed.body), ['settings.rip']);
    });
  });
}
