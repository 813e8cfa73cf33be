import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Like } from 'typeorm';
import { ActorLoader, Role, User } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { DutyAlert, DutyAlertKind } from '@tongfa/alerts';
import { Account, AccountStatus } from '@tongfa/accounts';
import { Notification } from '@tongfa/notifications';
import { AuditEntry } from '@tongfa/audit';
import {
  IngestService,
  InboxItem,
  InboxListing,
  InboxModeration,
  InboxAccountPoll,
  InboxPoll,
  InboxReply,
  InboxThread,
  ModerationService,
  PollingService,
  RepliesService,
} from '@tongfa/inbox';
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
 * stores nothing; a sensitive comment raises a duty alert. An article posted in WeChat's own backend is
 * found by listing the account's posts and its comments are polled; a citizen's comment on it is
 * deleted once, by the county's editor with a reason, while a supervisor above, a sibling county's
 * editor and another city's editor cannot; Douyin, which has no such API, refuses with the reason.
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
        ['ip.edA2', Role.Editor, 'countyA2'],
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

    it('polls a Weibo account’s comments through comments/to_me (one call for all its weibos), assigns the citizen’s comment and answers it under the comment', async () => {
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
      // Weibo lists the comments on all the account's weibos (comments/to_me): one row and one call per
      // account; the post's own row only records the post.
      const accountPoll = await hub.ds.getRepository(InboxAccountPoll).findOneByOrFail({ accountId: wb.accountId });
      assert.equal(accountPoll.calls, 1, JSON.stringify(accountPoll));
      assert.ok(accountPoll.mark, 'a finished read keeps its mark for the next since_id');
      assert.equal(accountPoll.lastError, null);
      const postRow = await hub.ds.getRepository(InboxPoll).findOneByOrFail({ accountId: wb.accountId, postRemoteId: remote.remoteId });
      assert.equal(postRow.nextDueAt, null, 'the post is read through its account');
      assert.equal(postRow.calls, 0);
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
      // A second weibo: its comment comes in the same one call per poll, as a thread of its own post.
      const post2 = await sw.sim.nativePost('weibo', { account: wb.simId, text: '县图书馆周末开放时间调整。' });
      const remote2 = (await hub.app.get(PluginHost).listPosts(wb.accountId)).posts.find((p) => p.text.includes('图书馆'))!;
      assert.equal(await polling.watch(wb.accountId, 'weibo', remote2.remoteId, new Date(remote2.publishedAt)), true);
      await sw.sim.addComment('weibo', post2.id, '周日晚上开到几点？', '网友小周', { authorId: '7000003' });
      const before = (await hub.ds.getRepository(InboxAccountPoll).findOneByOrFail({ accountId: wb.accountId })).calls;
      await advance(16 * 60_000);
      await polling.handlePollSweep();
      const after = await hub.ds.getRepository(InboxAccountPoll).findOneByOrFail({ accountId: wb.accountId });
      assert.equal(after.calls, before + 1, 'two watched weibos, one call');
      const both = await threads('ip.ed', '&platform=weibo');
      assert.equal(both.total, 2, JSON.stringify(both));
      assert.ok(both.items.some((x: { postRemoteId: string }) => x.postRemoteId === remote2.remoteId));
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

    it('finds an article posted in WeChat’s own backend by listing the account’s posts, and polls its comments', async () => {
      const wx = sims.get('wechat')!;
      const polling = hub.app.get(PollingService);
      const post = await sw.sim.nativePost('wechat', {
        account: wx.simId,
        title: '县医保局：门诊共济新规',
        text: '门诊共济保障新规今起实施。',
      });
      // The recurring sweep may have listed this account before the article existed: make it due now.
      await hub.ds.getRepository(InboxListing).update({ accountId: wx.accountId }, { nextDueAt: hub.clock.now() });
      const swept = await polling.handleListingSweep();
      const row = await hub.ds.getRepository(InboxListing).findOneByOrFail({ accountId: wx.accountId });
      assert.ok(row.lastListedAt, JSON.stringify({ swept, row }));
      assert.ok(row.nextDueAt && row.nextDueAt.getTime() - row.lastListedAt.getTime() >= HOUR, JSON.stringify({ swept, row }));
      const polls = await hub.ds.getRepository(InboxPoll).findBy({ accountId: wx.accountId });
      assert.equal(polls.length, 1, JSON.stringify(polls));
      // Not due again: a second sweep makes no platform call for this account.
      const again = await polling.handleListingSweep();
      assert.equal(
        (await hub.ds.getRepository(InboxListing).findOneByOrFail({ accountId: wx.accountId })).calls,
        row.calls,
        JSON.stringify(again),
      );
      await sw.sim.addComment('wechat', post.id, '请问门诊报销比例是多少？13800001111 张三', '网友甲', { authorId: 'oCommenter01' });
      await sw.sim.addComment('wechat', post.id, '好政策，点赞', '网友乙', { authorId: 'oCommenter02' });
      await advance(16 * 60_000);
      await polling.handlePollSweep();
      const mine = await threads('ip.ed', '&platform=wechat&kind=comment');
      assert.equal(mine.total, 2, JSON.stringify(mine));
      assert.ok(mine.items.every((t: { postRemoteId: string }) => t.postRemoteId === polls[0]!.postRemoteId));
    });

    it('deletes a citizen’s WeChat comment once, by the county’s editor with a reason; nobody else can', async () => {
      const wx = sims.get('wechat')!;
      const mine = (await threads('ip.ed', '&platform=wechat&kind=comment')).items as { id: string; preview: string }[];
      const target = mine.find((t) => t.preview.includes('13800001111'))!;
      const other = mine.find((t) => t !== target)!;
      const url = `/api/v1/inbox/threads/${target.id}/moderations`;
      const body = { action: 'delete', reason: '评论含他人手机号和姓名，保护个人信息' };
      // Outside the subtree (another city, a sibling county): the thread does not exist for them.
      assert.equal((await hub.http.post(url).set(as('ip.edB')).send(body)).status, 404);
      assert.equal((await hub.http.post(url).set(as('ip.edA2')).send(body)).status, 404);
      // Above the unit, or in it without editing rights: they read the thread but may not remove a comment.
      for (const who of ['ip.sup', 'ip.duty']) {
        const r = await hub.http.post(url).set(as(who)).send(body);
        assert.equal(r.status, 403, `${who}: ${JSON.stringify(r.body)}`);
        assert.match(JSON.stringify(r.body), /编辑或单位管理员/);
      }
      for (const bad of [{ action: 'delete' }, { action: 'delete', reason: '   ' }, { action: 'erase', reason: '测试' }]) {
        const r = await hub.http.post(url).set(as('ip.ed')).send(bad);
        assert.equal(r.status, 400, JSON.stringify(r.body));
        assert.match(JSON.stringify(r.body), bad.action === 'erase' ? /操作/ : /理由/);
      }
      const hide = await hub.http.post(url).set(as('ip.ed')).send({ action: 'hide', reason: '测试隐藏' });
      assert.equal(hide.status, 409, JSON.stringify(hide.body));
      assert.match(JSON.stringify(hide.body), /隐藏评论/);
      const [message] = (await threads('ip.ed', '&platform=wechat&kind=message')).items;
      const notComment = await hub.http.post(`/api/v1/inbox/threads/${message.id}/moderations`).set(as('ip.ed')).send(body);
      assert.equal(notComment.status, 409, JSON.stringify(notComment.body));
      assert.equal(await hub.ds.getRepository(InboxModeration).count(), 0, 'no refused request leaves a row');

      // The platform does it, but its answer is lost: the row stays `sending` and the next attempt repeats the call.
      await sw.sim.setFaults('wechat', { rate: 1, kinds: ['lost_response'], remaining: 1, seed: 21 });
      const made = await hub.http.post(url).set(as('ip.ed')).send(body);
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const twice = await hub.http.post(url).set(as('ip.ed')).send(body);
      assert.equal(twice.body.id, made.body.id, 'asking again returns the first decision');
      // The first attempt has ended (not merely been claimed: a claimed row is `sending` with no
      // error until the platform's answer, or its loss, is recorded).
      await pollUntil(
        async () => {
          const r = await hub.ds.getRepository(InboxModeration).findOneByOrFail({ id: made.body.id });
          return r.state === 'done' || ((r.attempts ?? 0) >= 1 && !!r.lastError);
        },
        { timeoutMs: 20_000, what: 'the first attempt to end' },
      );
      await sw.sim.setFaults('wechat', { rate: 0, kinds: [] });
      const first = await hub.ds.getRepository(InboxModeration).findOneByOrFail({ id: made.body.id });
      if (first.state !== 'done') {
        // `sending` when the delete's answer was lost, `pending` when a call before it (a token) was.
        assert.ok(['sending', 'pending'].includes(first.state), JSON.stringify(first));
        assert.ok(first.lastError, JSON.stringify(first));
        await advance(2 * 60_000);
        await hub.app.get(ModerationService).handleModerationSweep();
      }
      const done = await pollUntil(
        async () => {
          const r = await hub.ds.getRepository(InboxModeration).findOneByOrFail({ id: made.body.id });
          return r.state === 'done' ? r : null;
        },
        { timeoutMs: 20_000, what: 'the comment to be deleted' },
      );
      assert.equal(done.reason, body.reason);
      await hub.app.get(ModerationService).handleModerationSweep(); // nothing more is due
      assert.equal((await hub.ds.getRepository(InboxModeration).findOneByOrFail({ id: made.body.id })).attempts, done.attempts);
      const [simPost] = (await sw.sim.posts('wechat', wx.simId)).filter((p) => p.comments.length === 2);
      assert.ok(simPost, 'the article with the two comments');
      assert.deepEqual(
        simPost.comments.map((c) => [c.author, !!c.deleted]),
        [
          ['网友甲', true],
          ['网友乙', false],
        ],
      );
      const audit = await hub.ds.getRepository(AuditEntry).findBy({ action: 'inbox.comment.delete', targetId: target.id });
      assert.equal(audit.length, 1, JSON.stringify(audit));
      assert.equal(audit[0]!.after?.reason, body.reason);
      const d = await detail('ip.ed', target.id);
      assert.deepEqual(
        d.moderations.map((m: { action: string; state: string; reason: string }) => [m.action, m.state, m.reason]),
        [['delete', 'done', body.reason]],
      );
      assert.deepEqual((await detail('ip.ed', other.id)).moderations, []);
      // The supervisor above reads the record too.
      assert.equal((await detail('ip.sup', target.id)).moderations.length, 1);
    });

    it('refuses to delete or hide a Douyin comment: the platform offers no API for it', async () => {
      const dy = sims.get('douyin')!;
      const account = await hub.ds.getRepository(Account).findOneByOrFail({ id: dy.accountId });
      const r = await hub.app.get(IngestService).ingestComments(account, 'dy-item-1', [
        {
          id: 'dy-c-1',
          postRemoteId: 'dy-item-1',
          text: '请问办证大厅几点下班？',
          author: '抖音网友',
          authorId: 'dy-u-1',
          createdAt: hub.clock.now().getTime(),
        },
      ]);
      assert.equal(r.stored, 1, JSON.stringify(r));
      const [t] = (await threads('ip.ed', '&platform=douyin&kind=comment')).items;
      for (const action of ['delete', 'hide']) {
        const res = await hub.http.post(`/api/v1/inbox/threads/${t.id}/moderations`).set(as('ip.ed')).send({ action, reason: '广告' });
        assert.equal(res.status, 409, JSON.stringify(res.body));
        assert.match(JSON.stringify(res.body), /平台客户端/);
      }
      assert.equal(await hub.ds.getRepository(InboxModeration).countBy({ threadId: t.id }), 0);
    });

    it('tells the assignee and the unit’s duty officer once when deleting a comment finally fails', async () => {
      const wx = sims.get('wechat')!;
      const other = ((await threads('ip.ed', '&platform=wechat&kind=comment')).items as { id: string; preview: string }[]).find((t) =>
        t.preview.includes('点赞'),
      )!;
      await sw.sim.setFaults('wechat', { rate: 1, kinds: ['server_error'], seed: 31 });
      try {
        const made = await hub.http
          .post(`/api/v1/inbox/threads/${other.id}/moderations`)
          .set(as('ip.ed'))
          .send({ action: 'delete', reason: '重复刷屏' });
        assert.equal(made.status, 201, JSON.stringify(made.body));
        const moderation = hub.app.get(ModerationService);
        const failed = await pollUntil(
          async () => {
            await advance(HOUR);
            await moderation.handleModerationSweep();
            const r = await hub.ds.getRepository(InboxModeration).findOneByOrFail({ id: made.body.id });
            return r.state === 'failed' ? r : null;
          },
          { timeoutMs: 60_000, what: 'the delete to fail for good' },
        );
        assert.ok(failed.lastError);
        await advance(HOUR);
        await moderation.handleModerationSweep();
        const alerts = await hub.ds
          .getRepository(DutyAlert)
          .findBy({ kind: DutyAlertKind.InboxModerationFailed, unitId: world.units.countyA1.id });
        assert.equal(alerts.length, 1, JSON.stringify(alerts));
        assert.match(alerts[0]!.titleZh, /删除评论失败/);
        const thread = await hub.ds.getRepository(InboxThread).findOneByOrFail({ id: other.id });
        assert.ok(thread.assigneeId);
        const told = await hub.ds
          .getRepository(Notification)
          .findBy({ userId: thread.assigneeId, resourceId: other.id, titleZh: Like('%删除评论失败%') });
        assert.equal(told.length, 1);
        const [simPost] = (await sw.sim.posts('wechat', wx.simId)).filter((p) => p.comments.length === 2);
        assert.equal(simPost!.comments.find((c) => c.author === '网友乙')!.deleted ?? false, false, 'the comment is still up');
      } finally {
        await sw.sim.setFaults('wechat', { rate: 0, kinds: [] });
      }
    });

    it('neither lists nor retries a suspended account’s posts; it resumes when the account is live again', async () => {
      const wx = sims.get('wechat')!;
      const repo = hub.ds.getRepository(InboxListing);
      const polling = hub.app.get(PollingService);
      await hub.ds.getRepository(Account).update({ id: wx.accountId }, { status: AccountStatus.Suspended });
      const before = await repo.findOneByOrFail({ accountId: wx.accountId });
      await repo.update({ accountId: wx.accountId }, { nextDueAt: hub.clock.now() });
      await polling.handleListingSweep();
      const parked = await repo.findOneByOrFail({ accountId: wx.accountId });
      assert.equal(parked.calls, before.calls, 'no platform call');
      assert.equal(parked.nextDueAt, null, 'not retried');
      assert.match(String(parked.lastError), /suspended/);
      await advance(2 * HOUR);
      await polling.handleListingSweep();
      assert.equal((await repo.findOneByOrFail({ accountId: wx.accountId })).calls, before.calls);
      await hub.ds.getRepository(Account).update({ id: wx.accountId }, { status: AccountStatus.Active });
      await polling.handleListingSweep();
      const resumed = await repo.findOneByOrFail({ accountId: wx.accountId });
      assert.equal(resumed.calls, before.calls + 1, JSON.stringify(resumed));
      assert.equal(resumed.lastError, null);
    });
  });
}
