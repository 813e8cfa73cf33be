import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { Account, AccountConnection, AccountsService } from '@tongfa/accounts';
import { ActorLoader, Actor, Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { AccountConnectionsService, CredentialStore, PluginCallError, PluginHost } from '@tongfa/plugins';
import type { WechatSimulator } from '../plugins/wechat/src/simulator';
import { startTestHub, TestHub } from './support/test-hub';
import { World } from './support/world';
import { startSandboxWorld, SandboxWorld } from './support/sandbox-accounts';

const HANG = resolve(__dirname, 'fixtures', 'plugins', 'hang', 'index.js');

type Connected = Awaited<ReturnType<SandboxWorld['connect']>>;

/**
 * The plugin host's side of 矩阵联动 detection: an account's own posts (also those made in the
 * platform's app) and evidence URLs, read with that account's credentials only, within the declared
 * list quota, through token refresh, and handed to a person when the platform refuses for good.
 */
for (const driver of testDrivers()) {
  describe(`post listing through the plugin host (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sw: SandboxWorld;
    let host: PluginHost;
    let admin: Actor;
    let admin2: Actor;
    let admin3: Actor;
    let sup: Actor;
    // One account per unit and platform: the two counties' WeChat accounts are shared by the tests.
    let a: Connected;
    let b: Connected;

    before(async () => {
      hub = await startTestHub(driver, { TONGFA_PLUGINS: HANG });
      world = await World.build(hub.app);
      await world.user('pl.admin1', Role.UnitAdmin, 'countyA1');
      await world.user('pl.admin2', Role.UnitAdmin, 'countyA2');
      await world.user('pl.admin3', Role.UnitAdmin, 'deptA');
      await world.user('pl.sup', Role.Supervisor, 'cityA');
      const actors = hub.app.get(ActorLoader);
      admin = await actors.forUser(world.users.get('pl.admin1')!.id);
      admin2 = await actors.forUser(world.users.get('pl.admin2')!.id);
      admin3 = await actors.forUser(world.users.get('pl.admin3')!.id);
      sup = await actors.forUser(world.users.get('pl.sup')!.id);
      sw = await startSandboxWorld(hub);
      host = hub.app.get(PluginHost);
      a = await connect(admin, 'countyA1', 'wechat', '甲县发布');
      b = await connect(admin2, 'countyA2', 'wechat', '乙县发布');
    });
    after(async () => {
      await sw.close();
      await hub.close();
    });

    const connect = (who: Actor, unit: 'countyA1' | 'countyA2' | 'deptA', platform: string, name: string) =>
      sw.connect(who, sup, world.units[unit].id, platform, name);
    const failure = async (p: Promise<unknown>): Promise<PluginCallError> => {
      try {
        await p;
      } catch (e) {
        assert.ok(e instanceof PluginCallError, String(e));
        return e;
      }
      assert.fail('expected the call to fail');
    };

    it('lists each county’s own posts with its own credentials, those made in the 公众号 backend included', async () => {
      const mine = await sw.sim.nativePost('wechat', { account: a.simAccountId, title: '转载：市政府常务会议', text: '甲县在后台转载' });
      await sw.sim.nativePost('wechat', { account: b.simAccountId, title: '乙县自己的稿件', text: '乙县在后台发表' });
      const page = await host.listPosts(a.account.id, { limit: 10 });
      assert.deepEqual(
        page.posts.map((p) => [p.title, p.url]),
        [['转载：市政府常务会议', mine.url]],
      );
      assert.deepEqual(
        (await host.listPosts(b.account.id)).posts.map((p) => p.title),
        ['乙县自己的稿件'],
      );
    });

    it('verifies an evidence URL: this account’s post is found; another county’s, a short link and junk are not', async () => {
      const mine = await sw.sim.nativePost('wechat', { account: a.simAccountId, title: '甲县转载', text: '甲县转载的稿件' });
      const theirs = await sw.sim.nativePost('wechat', { account: b.simAccountId, title: '乙县转载', text: '乙县转载的稿件' });
      const found = await host.getPostByUrl(a.account.id, mine.url!);
      assert.equal(found?.title, '甲县转载');
      assert.equal(await host.getPostByUrl(a.account.id, theirs.url!), null, 'a unit cannot claim another county’s post');
      assert.equal(await host.getPostByUrl(a.account.id, `https://mp.weixin.qq.com/s?__biz=x&mid=1&q=${'a'.repeat(5000)}`), null);
      assert.equal(await host.getPostByUrl(a.account.id, 'javascript:alert(1)'), null);
      const short = await failure(host.getPostByUrl(a.account.id, 'https://mp.weixin.qq.com/s/Abc123xyz'));
      assert.equal(short.kind, 'content_invalid');
      assert.match(short.message, /完整链接/);
    });

    it('refreshes an expired token once and stores the new one', async () => {
      const store = hub.app.get(CredentialStore);
      const before = (await store.open(a.account.id))!.credentials.accessToken;
      await sw.sim.setFaults('wechat', { rate: 1, kinds: ['token_expired'], remaining: 1 });
      try {
        assert.equal((await host.listPosts(a.account.id)).posts.length, 2, 'the two posts of the tests above');
      } finally {
        await sw.sim.setFaults('wechat', { rate: 0, kinds: [] });
      }
      const afterToken = (await store.open(a.account.id))!.credentials.accessToken;
      assert.ok(afterToken && afterToken !== before, 'the refreshed token is stored');
    });

    it('hands an account whose token the platform refuses for good to a person (needs re-authorisation)', async () => {
      // A Weibo web app has no refresh token: a revoked token cannot be renewed by the plugin.
      const w = await connect(admin, 'countyA1', 'weibo', '甲县微博');
      await sw.sim.setFaults('weibo', { rate: 1, kinds: ['token_expired'], remaining: 1 });
      const e = await failure(host.listPosts(w.account.id));
      await sw.sim.setFaults('weibo', { rate: 0, kinds: [] });
      assert.equal(e.kind, 'auth_expired');
      const row = await hub.ds.getRepository(Account).findOneByOrFail({ id: w.account.id });
      assert.equal(row.connection, AccountConnection.NeedsReauth);
    });

    it('stops at the daily list quota the plugin declares, before the platform has to refuse', async () => {
      const d = await connect(admin3, 'deptA', 'wechat', '某局配额');
      const wechat = sw.sandbox.simulators.find((s) => s.platform === 'wechat') as WechatSimulator;
      const appid = wechat.accounts.find((x) => x.id === d.simAccountId)!.credentials.appid;
      for (let i = 0; i < 100; i++) {
        // The per-account minute bucket (20/min) refills on the hub's clock; the daily one barely does.
        hub.clock.advance(3_000);
        await host.listPosts(d.account.id);
      }
      hub.clock.advance(3_000);
      const e = await failure(host.listPosts(d.account.id));
      assert.equal(e.kind, 'rate_limited');
      assert.ok((e.retryAfterMs ?? 0) > 60_000, `waits for the daily bucket, not a minute: ${e.retryAfterMs}`);
      assert.equal(wechat.wechat.quotaUsed(appid, '/cgi-bin/freepublish/batchget'), 100, 'the 101st call never reached WeChat');
    });

    it('refuses, naming the platform, to list on a plugin without the capability', async () => {
      const accounts = hub.app.get(AccountsService);
      const { account } = await accounts.create(admin, { unitId: world.units.countyA1.id, platform: 'fixture-hang', name: '测试账号' });
      await accounts.decide(sup, account.id, 'approve', null);
      await hub.app.get(AccountConnectionsService).connectInternally(account.id, { apiKey: 'good-list-0001' });
      const e = await failure(host.listPosts(account.id));
      assert.equal(e.kind, 'permanent');
      assert.equal(e.extra.unsupported, true);
      assert.match(e.message, /fixture-hang/);
      const u = await failure(host.getPostByUrl(account.id, 'https://example.com/p/1'));
      assert.equal(u.extra.unsupported, true);
    });
  });
}
