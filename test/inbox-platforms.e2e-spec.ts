import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ActorLoader, Role, User } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { DutyAlert } from '@tongfa/alerts';
import { InboxItem, InboxReply, InboxThread, PollingService, RepliesService } from '@tongfa/inbox';
import { PluginHost } from '@tongfa/plugins';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { pollUntil } from './support/poll';
import { startSandboxWorld, SandboxWorld } from './support/sandbox-accounts';
import { listen } from './support/browser';

const HOUR = 3_600_000;

/**
 * 政民互动 through the real plugins and their simulators over HTTP: WeChat pushes a citizen's message
 * to the hub's webhook, signed, three times (the platform's retries) and it becomes one thread; the
 * reply within 48 hours reaches the citizen once, the one after is refused with WeChat's 45015; a
 * Weibo comment is polled, assigned and answered; a Douyin push with a bad signature is refused and
 * stores nothing; a sensitive comment raises a duty alert.
 */
for (const driver of testDrivers()) {
  describe(`interaction inbox through the platforms (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sw: SandboxWorld;
    let base = '';
    const tokens = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${tokens.get(who)}` });
    const sims = new Map<string, { accountId: string; simId: string }>();

    const threads = async (who: string, q = '') => (await hub.http.get(`/api/v1/inbox/threads?pageSize=50${q}`).set(as(who))).body;
    const detail = async (who: string, id: string) => (await hub.http.get(`/api/v1/inbox/threads/${id}`).set(as(who))).body;
    /** Moves the hub's and the simulators' clocks together; sessions expire on it, so everyone signs in again. */
    const advance = async (ms: number) => {
      hub.clock.advance(ms);
      for (const p of ['wechat', 'weibo', 'douyin']) await sw.sim.advanceClock(p, ms);
      for (const u of tokens.keys()) tokens.set(u, await login(hub.http, u));
    };

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      for (const [u, role, unit] of [
        ['ip.adm', Role.UnitAdmin, 'countyA1'],
        ['ip.ed', Role.Editor, 'countyA1'],
        ['ip.sup', Role.Supervisor, 'cityA'],
        ['ip.duty', Role.DutyOfficer, 'countyA1'],
        ['ip.edB', Role.Editor, 'countyB1'],
      ] as const) {
        await world.user(u, role, unit);
        tokens.set(u, await login(hub.http, u));
      }
      base = await listen(hub);
      sw = await startSandboxWorld(hub);
      const actors = hub.app.get(ActorLoader);
      const actor = async (username: string) => actors.forUser((await hub.ds.getRepository(User).findOneByOrFail({ username })).id);
      const [adm, sup] = [await actor('ip.adm'), await actor('ip.sup')];
      for (const [platform, name] of [
        ['wechat', '甲市一县发布'],
        ['weibo', '甲市一县微博'],
        ['douyin', '甲市一县抖音'],
      ] as const) {
        const { account, simAccountId } = await sw.connect(adm, sup, world.units.countyA1.id, platform, name);
        sims.set(platform, { accountId: account.id, simId: simAccountId });
      }
      for (const p of ['wechat', 'douyin']) await sw.sim.setWebhook(p, { url: `${base}/api/v1/webhooks/${p}` });
    });
    after(async () => {
      await sw?.close();
      await hub?.close();
    });

    it('answers WeChat’s URL verification with the echo it expects', async () => {
      const r = await sw.sim.webhookChallenge('wechat');
      assert.equal(r.ok, true, JSON.stringify(r));
    });

    it('turns a WeChat message pushed three times into one thread, assigned to the county’s editor', async () => {
      const wx = sims.get('wechat')!;
      const msg = await sw.sim.sendMessage('wechat', { account: wx.simId, text: '请问社保卡丢了怎么补办？', from: 'oCitizenWx0001' });
      assert.equal(msg.deliveries.at(-1)?.status, 200, JSON.stringify(msg.deliveries));
      assert.equal(msg.deliveries.at(-1)?.body, 'success');
      // The platform's retries of the same push (it did not hear the answer in time): the same MsgId.
      await sw.sim.redeliver('wechat', msg.id);
      await sw.sim.redeliver('wechat', msg.id);
      const mine = await threads('ip.ed', '&platform=wechat');
      assert.equal(mine.total, 1, JSON.stringify(mine));
      const t = mine.items[0];
      assert.equal(t.kind, 'message');
      assert.equal(t.citizenId, 'oCitizenWx0001');
      assert.equal(t.state, 'assigned');
      assert.ok(t.replyDeadlineAt, 'the 48-hour window is shown as a hard deadline');
      assert.equal(await hub.ds.getRepository(InboxItem).countBy({ threadId: t.id }), 1, 'stored once');
      assert.equal((await threads('ip.edB', '&platform=wechat')).total, 0, 'another county sees nothing');
    });

    it('delivers a reply within 48 hours once; after 48 hours WeChat refuses it (45015) and the reason is kept', async () => {
      const wx = sims.get('wechat')!;
      const [t] = (await threads('ip.ed', '&platform=wechat')).items;
      const sent = await hub.http
        .post(`/api/v1/inbox/threads/${t.id}/replies`)
        .set(as('ip.ed'))
        .send({ text: '您好，可携带身份证到县政务服务中心社保窗口补办。' });
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      await pollUntil(async () => (await hub.ds.getRepository(InboxReply).findOneByOrFail({ id: sent.body.id })).state === 'sent', {
        timeoutMs: 20_000,
        what: 'the reply to be sent',
      });
      await hub.app.get(RepliesService).handleReplySweep(); // a second pass sends nothing more
      const replies = await sw.sim.replies('wechat', { account: wx.simId, kind: 'message' });
      assert.equal(replies.length, 1, JSON.stringify(replies));
      assert.equal(replies[0]!.conversationId, 'oCitizenWx0001');
      assert.equal((await detail('ip.ed', t.id)).state, 'replied');

      await advance(49 * HOUR);
      const late = await hub.http.post(`/api/v1/inbox/threads/${t.id}/replies`).set(as('ip.ed')).send({ text: '补充：也可在线上办理。' });
      if (late.status === 201) {
        const failed = await pollUntil(
          async () => {
            const r = await hub.ds.getRepository(InboxReply).findOneByOrFail({ id: late.body.id });
            return r.state === 'failed' ? r : null;
          },
          { timeoutMs: 20_000, what: 'the late reply to fail' },
        );
        assert.match(failed.lastError ?? '', /45015/);
      } else {
        // Refused before it is queued: the hub knows the window has passed.
        assert.equal(late.status, 409, JSON.stringify(late.body));
      }
      assert.equal((await sw.sim.replies('wechat', { account: wx.simId, kind: 'message' })).length, 1, 'nothing more reached the citizen');
    });

    it('polls a Weibo post’s comments, assigns the citizen’s comment and answers it under the comment', async () => {
      const wb = sims.get('weibo')!;
      const post = await sw.sim.nativePost('weibo', { account: wb.simId, text: '县政务服务中心延时服务今起实施。' });
      const listed = await hub.app.get(PluginHost).listPosts(wb.accountId);
      const remote = listed.posts.find((p) => p.text.includes('延时服务'));
      assert.ok(remote, JSON.stringify(listed));
      const polling = hub.app.get(PollingService);
      assert.equal(await polling.watch(wb.accountId, 'weibo', remote.remoteId, new Date(remote.publishedAt)), true);
      await sw.sim.addComment('weibo', post.id, '周六也能办业务吗？', '网友小李', { authorId: '7000001' });
      await advance(16 * 60_000);
      const swept = await polling.handlePollSweep();
      assert.ok(swept.polled >= 1, JSON.stringify(swept));
      const mine = await threads('ip.ed', '&platform=weibo');
      assert.equal(mine.total, 1, JSON.stringify(mine));
      const t = mine.items[0];
      assert.equal(t.kind, 'comment');
      assert.equal(t.postRemoteId, remote.remoteId);
      const sent = await hub.http.post(`/api/v1/inbox/threads/${t.id}/replies`).set(as('ip.ed')).send({ text: '您好，周六上午可以办理。' });
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      await pollUntil(async () => (await hub.ds.getRepository(InboxReply).findOneByOrFail({ id: sent.body.id })).state === 'sent', {
        timeoutMs: 20_000,
        what: 'the Weibo reply',
      });
      const replies = await sw.sim.replies('weibo', { account: wb.simId, kind: 'comment' });
      assert.equal(replies.length, 1, JSON.stringify(replies));
      assert.equal(replies[0]!.text, '您好，周六上午可以办理。');
      // The next poll reads our reply back as the account's own: the thread stays one, and answered.
      await advance(16 * 60_000);
      await polling.handlePollSweep();
      const again = await detail('ip.ed', t.id);
      assert.equal(again.state, 'replied');
      assert.equal((await threads('ip.ed', '&platform=weibo')).total, 1);
    });

    it('raises a duty alert at once for a sensitive comment', async () => {
      const wb = sims.get('weibo')!;
      const post = await sw.sim.nativePost('weibo', { account: wb.simId, text: '关于县城供水管网改造的通知。' });
      const listed = await hub.app.get(PluginHost).listPosts(wb.accountId);
      const remote = listed.posts.find((p) => p.text.includes('供水管网'))!;
      await hub.app.get(PollingService).watch(wb.accountId, 'weibo', remote.remoteId, new Date(remote.publishedAt));
      await sw.sim.addComment('weibo', post.id, '停水三天了没人管，我们要去县政府集体上访！', '网友老王', { authorId: '7000002' });
      await advance(16 * 60_000);
      await hub.app.get(PollingService).handlePollSweep();
      const alerts = await hub.ds.getRepository(DutyAlert).findBy({ kind: 'inbox_sensitive' as DutyAlert['kind'] });
      assert.equal(alerts.length, 1, JSON.stringify(alerts));
      const duty = (await hub.http.get('/api/v1/alerts').set(as('ip.duty'))).body.items;
      assert.ok(
        duty.some((a: { kind: string }) => a.kind === 'inbox_sensitive'),
        JSON.stringify(duty),
      );
    });

    it('refuses a Douyin push with a bad signature and stores nothing; a signed one is accepted', async () => {
      const dy = sims.get('douyin')!;
      const before = await hub.ds.getRepository(InboxThread).countBy({ platform: 'douyin' });
      const msg = await sw.sim.sendMessage('douyin', { account: dy.simId, text: '请问公积金怎么提取？', deliver: false });
      const push = await sw.sim.messagePush('douyin', msg.id);
      const url = `${base}/api/v1/webhooks/douyin${push.query ? `?${new URLSearchParams(push.query).toString()}` : ''}`;
      const forged = { ...push.headers, 'x-douyin-signature': '0'.repeat(40) };
      const res = await fetch(url, { method: 'POST', headers: forged, body: push.body });
      assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
      assert.equal(await hub.ds.getRepository(InboxThread).countBy({ platform: 'douyin' }), before, 'nothing stored');
      const good = await fetch(url, { method: 'POST', headers: push.headers, body: push.body });
      assert.equal(good.status, 200);
      assert.equal(await hub.ds.getRepository(InboxThread).countBy({ platform: 'douyin' }), before + 1);
    });
  });
}
