import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Role } from '@tongfa/identity';
import { In } from 'typeorm';
import { testDrivers } from '@tongfa/database';
import { Account } from '@tongfa/accounts';
import { AuditEntry } from '@tongfa/audit';
import { AlertsService } from '@tongfa/alerts';
import { Clock } from '@tongfa/core';
import {
  IncomingItem,
  IngestService,
  InboxItem,
  InboxPlatformPort,
  InboxReply,
  InboxSettingsService,
  InboxThread,
  RepliesService,
  SensitiveTextDetector,
  SlaService,
} from '@tongfa/inbox';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { pollUntil } from './support/poll';

/** A Beijing wall-clock time. */
const bj = (s: string) => new Date(`${s}+08:00`);

/**
 * 政民互动, the hub side: threads as the platforms' deliveries leave them (seeded through the ingest
 * service's post-plugin entry, IngestService.ingest, since the plugins' comments and messages
 * capabilities are not in this branch; webhook- and simulator-driven cases come with them), then
 * everything a unit does through the API: scoped lists, assignment in turn or to a named owner,
 * notes, a reply the compliance engine blocks, the review step, validation, and the SLA clocks on
 * working time over the 2026 National Day holiday and its adjusted Saturday.
 */
for (const driver of testDrivers()) {
  describe(`interaction inbox (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    const tokens = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${tokens.get(who)}` });
    const ids = new Map<string, string>();
    let wechat: Account;
    let weibo: Account;
    let weiboB: Account;
    let seq = 0;

    const relogin = async () => {
      for (const u of tokens.keys()) tokens.set(u, await login(hub.http, u));
    };
    const setClock = (at: Date) => hub.clock.advance(at.getTime() - hub.clock.now().getTime());

    /** A citizen's message to an account, as the plugin hands it over after verifying the push. */
    const message = (account: Account, conversation: string, text: string, extra: Partial<IncomingItem> = {}) =>
      hub.app.get(IngestService).ingest(account, {
        threadKey: `m:${conversation}`,
        kind: 'message',
        postRemoteId: null,
        rootCommentId: null,
        citizenId: conversation,
        citizenName: `群众${conversation.slice(-4)}`,
        platformItemId: `msg-${++seq}`,
        direction: 'in',
        itemKind: 'text',
        parentId: null,
        author: `群众${conversation.slice(-4)}`,
        authorId: conversation,
        text,
        createdAt: hub.clock.now(),
        ...extra,
      });
    const comments = (account: Account, post: string, items: { id: string; parentId?: string; text: string; fromAccount?: boolean }[]) =>
      hub.app.get(IngestService).ingestComments(
        account,
        post,
        items.map((c, i) => ({
          ...c,
          postRemoteId: post,
          author: c.fromAccount ? account.name : `网友${c.id}`,
          authorId: c.fromAccount ? undefined : `uid-${c.id}`,
          createdAt: hub.clock.now().getTime() - (items.length - i) * 1000,
        })),
      );
    const thread = (id: string) => hub.ds.getRepository(InboxThread).findOneByOrFail({ id });

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      const users: [string, Role, 'countyA1' | 'countyB1' | 'cityA'][] = [
        ['i.admA1', Role.UnitAdmin, 'countyA1'],
        ['i.ed1', Role.Editor, 'countyA1'],
        ['i.ed2', Role.Editor, 'countyA1'],
        ['i.revA1', Role.Reviewer, 'countyA1'],
        ['i.edB1', Role.Editor, 'countyB1'],
        ['i.supA', Role.Supervisor, 'cityA'],
        ['i.dutyA', Role.DutyOfficer, 'cityA'],
      ];
      for (const [u, role, unit] of users) {
        ids.set(u, (await world.user(u, role, unit)).id);
        tokens.set(u, await login(hub.http, u));
      }
      const admB = await world.user('i.admB1', Role.UnitAdmin, 'countyB1');
      tokens.set('i.admB1', await login(hub.http, admB.username));
      const mk = async (who: string, unitId: string, platform: string, name: string, platformAccountId: string) => {
        const res = await hub.http.post('/api/v1/accounts').set(as(who)).send({ unitId, platform, name, platformAccountId });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return hub.ds.getRepository(Account).findOneByOrFail({ id: res.body.id ?? res.body.account.id });
      };
      wechat = await mk('i.admA1', world.units.countyA1.id, 'wechat', '甲市一县发布', 'gh_a1a1a1a1a1a1');
      weibo = await mk('i.admA1', world.units.countyA1.id, 'weibo', '甲市一县微博', '5000001');
      weiboB = await mk('i.admB1', world.units.countyB1.id, 'weibo', '乙市一县微博', '5000002');
    });
    after(async () => {
      await hub?.close();
    });

    it('gives new conversations to the unit’s editors in turn, and all of them to a named owner once set', async () => {
      const got: string[] = [];
      for (const c of ['oCitizen0001', 'oCitizen0002', 'oCitizen0003']) {
        const r = await message(wechat, c, '请问社保卡补办需要哪些材料？');
        got.push((await thread(r.threadId!)).assigneeId!);
      }
      const [e1, e2] = [ids.get('i.ed1')!, ids.get('i.ed2')!].sort();
      assert.deepEqual(got, [e1, e2, e1]);
      const put = await hub.http
        .put(`/api/v1/inbox/units/${world.units.countyA1.id}/settings`)
        .set(as('i.admA1'))
        .send({ ownerUserId: ids.get('i.admA1') });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      const r = await message(wechat, 'oCitizen0004', '办理居住证在哪里？');
      const t = await thread(r.threadId!);
      assert.equal(t.assigneeId, ids.get('i.admA1'));
      assert.equal(t.state, 'assigned');
      // Back to taking turns for the rest of the suite.
      await hub.http.put(`/api/v1/inbox/units/${world.units.countyA1.id}/settings`).set(as('i.admA1')).send({ ownerUserId: null });
    });

    it('stores a message delivered twice once, and a later message joins the same conversation', async () => {
      const first = await message(wechat, 'oCitizen0005', '你好', { platformItemId: 'MsgId-777' });
      const again = await message(wechat, 'oCitizen0005', '你好', { platformItemId: 'MsgId-777' });
      assert.equal(first.duplicate, false);
      assert.equal(again.duplicate, true);
      const later = await message(wechat, 'oCitizen0005', '请问公积金怎么提取？');
      assert.equal(later.threadId, first.threadId);
      assert.equal(await hub.ds.getRepository(InboxItem).countBy({ threadId: first.threadId! }), 2);
      assert.equal((await thread(first.threadId!)).preview, '请问公积金怎么提取？');
    });

    it('stores messages arriving at once together: each once, one thread per conversation, new conversations in turn', async () => {
      const conversations = ['oGroup000001', 'oGroup000002', 'oGroup000003', 'oGroup000004'];
      // Three messages per citizen, and the platform's retry of each first message, all at the same moment.
      const sends = conversations.flatMap((c) => [
        message(wechat, c, '第一条', { platformItemId: `${c}-1` }),
        message(wechat, c, '第二条', { platformItemId: `${c}-2` }),
        message(wechat, c, '第三条', { platformItemId: `${c}-3` }),
        message(wechat, c, '第一条', { platformItemId: `${c}-1` }),
      ]);
      const results = await Promise.all(sends);
      assert.equal(results.filter((r) => r.duplicate).length, conversations.length, JSON.stringify(results));
      const got = new Map<string, string>();
      for (const c of conversations) {
        const ts = await hub.ds.getRepository(InboxThread).findBy({ accountId: wechat.id, threadKey: `m:${c}` });
        assert.equal(ts.length, 1, `one thread for ${c}`);
        assert.equal(await hub.ds.getRepository(InboxItem).countBy({ threadId: ts[0]!.id }), 3);
        got.set(c, ts[0]!.assigneeId!);
      }
      const [e1, e2] = [ids.get('i.ed1')!, ids.get('i.ed2')!];
      const share = [...got.values()];
      assert.deepEqual([share.filter((x) => x === e1).length, share.filter((x) => x === e2).length], [2, 2], 'the editors take turns');
    });

    it('fails only the batch that cannot be stored when batches arriving at once are stored together', async () => {
      const ingest = hub.app.get(IngestService);
      const good = ['oGroup000005', 'oGroup000006'].map((c) => message(wechat, c, '请问怎么办理？'));
      // A batch the store cannot take (no text): its caller gets the error, the others are stored.
      const bad = message(wechat, 'oGroup000007', undefined as unknown as string);
      const [ok1, ok2, failed] = await Promise.allSettled([...good, bad]);
      assert.equal(ok1.status, 'fulfilled');
      assert.equal(ok2.status, 'fulfilled');
      assert.equal(failed.status, 'rejected');
      assert.equal(await hub.ds.getRepository(InboxThread).countBy({ accountId: wechat.id, threadKey: 'm:oGroup000007' }), 0);
      for (const c of ['oGroup000005', 'oGroup000006']) {
        const t = await hub.ds.getRepository(InboxThread).findOneByOrFail({ accountId: wechat.id, threadKey: `m:${c}` });
        assert.equal(await hub.ds.getRepository(InboxItem).countBy({ threadId: t.id }), 1);
      }
      // And the ingest goes on.
      const later = await ingest.ingest(wechat, {
        threadKey: 'm:oGroup000007',
        kind: 'message',
        postRemoteId: null,
        rootCommentId: null,
        citizenId: 'oGroup000007',
        citizenName: '群众0007',
        platformItemId: 'oGroup000007-again',
        direction: 'in',
        itemKind: 'text',
        parentId: null,
        author: '群众0007',
        authorId: 'oGroup000007',
        text: '再问一次',
        createdAt: hub.clock.now(),
      });
      assert.equal(later.duplicate, false);
    });

    it('groups comments by their tree under a post', async () => {
      const r = await comments(weibo, 'post-1', [
        { id: 'c1', text: '这条政策什么时候实施？' },
        { id: 'c2', parentId: 'c1', text: '同问' },
        { id: 'c3', text: '点赞' },
      ]);
      assert.equal(r.stored, 3);
      assert.equal(r.threads.length, 2);
      const tree = await hub.ds.getRepository(InboxThread).findOneByOrFail({ accountId: weibo.id, threadKey: 'c:post-1:c1' });
      assert.equal(await hub.ds.getRepository(InboxItem).countBy({ threadId: tree.id }), 2);
      // A page read again stores nothing.
      const again = await comments(weibo, 'post-1', [{ id: 'c1', text: '这条政策什么时候实施？' }]);
      assert.deepEqual([again.stored, again.duplicates], [0, 1]);
    });

    it('stores a page read by three sweeps at once once, in the tree it belongs to', async () => {
      const page = [
        { id: 'c4', parentId: 'c1', text: '我也想知道' },
        { id: 'c5', parentId: 'c4', text: '+1' },
      ];
      const runs = await Promise.all([comments(weibo, 'post-1', page), comments(weibo, 'post-1', page), comments(weibo, 'post-1', page)]);
      assert.equal(
        runs.reduce((n, r) => n + r.stored, 0),
        2,
        JSON.stringify(runs),
      );
      assert.equal(
        runs.reduce((n, r) => n + r.duplicates, 0),
        4,
      );
      const tree = await hub.ds.getRepository(InboxThread).findOneByOrFail({ accountId: weibo.id, threadKey: 'c:post-1:c1' });
      assert.equal(await hub.ds.getRepository(InboxItem).countBy({ threadId: tree.id }), 4);
      assert.equal(await hub.ds.getRepository(InboxThread).countBy({ accountId: weibo.id, postRemoteId: 'post-1' }), 2);
    });

    if (driver === 'mysql')
      it('stores a page two hub processes ingest at the same moment once: the loser reads what the winner wrote', async () => {
        // A second process's ingest on the same database (its own group commit, its own caches).
        const other = new IngestService(
          hub.ds,
          hub.app.get(Clock),
          hub.app.get(InboxSettingsService),
          hub.app.get(AlertsService),
          hub.app.get(SensitiveTextDetector),
          hub.app.get(InboxPlatformPort),
        );
        const page = (post: string) => [
          { id: `${post}-r1`, text: '两个进程同时读到的留言' },
          { id: `${post}-r2`, parentId: `${post}-r1`, text: '跟帖' },
          { id: `${post}-r3`, text: '另一条' },
        ];
        const posts = ['post-race-1', 'post-race-2', 'post-race-3'];
        const at = hub.clock.now().getTime();
        const as = (svc: IngestService, post: string) =>
          svc.ingestComments(
            weibo,
            post,
            page(post).map((c, i) => ({
              ...c,
              postRemoteId: post,
              author: `网友${i}`,
              authorId: `uid-${i}`,
              createdAt: at - (3 - i) * 1000,
            })),
          );
        const runs = await Promise.all(posts.flatMap((post) => [as(hub.app.get(IngestService), post), as(other, post)]));
        assert.equal(
          runs.reduce((n, r) => n + r.stored, 0),
          9,
          JSON.stringify(runs),
        );
        assert.equal(
          runs.reduce((n, r) => n + r.duplicates, 0),
          9,
        );
        for (const post of posts) {
          // Two trees: the first comment with its answer, and the other comment.
          assert.equal(await hub.ds.getRepository(InboxThread).countBy({ accountId: weibo.id, postRemoteId: post }), 2);
          const tree = await hub.ds.getRepository(InboxThread).findOneByOrFail({ accountId: weibo.id, threadKey: `c:${post}:${post}-r1` });
          assert.equal(await hub.ds.getRepository(InboxItem).countBy({ threadId: tree.id }), 2);
        }
        // Out of the way of the lists and metrics below, which count this account's threads.
        const raced = await hub.ds.getRepository(InboxThread).findBy({ accountId: weibo.id, postRemoteId: In(posts) });
        await hub.ds.getRepository(InboxItem).delete({ threadId: In(raced.map((t) => t.id)) });
        await hub.ds.getRepository(InboxThread).delete({ id: In(raced.map((t) => t.id)) });
      });

    it('lists threads within the caller’s subtree only, with filters', async () => {
      await comments(weiboB, 'post-b', [{ id: 'b1', text: '乙市的评论' }]);
      const mine = await hub.http.get('/api/v1/inbox/threads?pageSize=100').set(as('i.ed1'));
      assert.equal(mine.status, 200, JSON.stringify(mine.body));
      assert.ok(mine.body.total >= 7);
      assert.ok(mine.body.items.every((t: { unitId: string }) => t.unitId === world.units.countyA1.id));
      assert.ok(mine.body.items.every((t: { accountName: string }) => ['甲市一县发布', '甲市一县微博'].includes(t.accountName)));
      const b = await hub.http.get('/api/v1/inbox/threads').set(as('i.edB1'));
      assert.equal(b.body.total, 1);
      const sup = await hub.http.get(`/api/v1/inbox/threads?platform=weibo&pageSize=100`).set(as('i.supA'));
      assert.equal(sup.body.total, 2);
      const other = await hub.http.get(`/api/v1/inbox/threads/${b.body.items[0].id}`).set(as('i.ed1'));
      assert.equal(other.status, 404);
      const outside = await hub.http.get(`/api/v1/inbox/threads?unitId=${world.units.countyB1.id}`).set(as('i.supA'));
      assert.equal(outside.status, 404);
      const assigned = await hub.http.get('/api/v1/inbox/threads?state=assigned&assignee=me&pageSize=100').set(as('i.ed2'));
      assert.ok(assigned.body.total >= 1);
      assert.ok(assigned.body.items.every((t: { assigneeId: string }) => t.assigneeId === ids.get('i.ed2')));
    });

    it('assigns a thread to someone of its unit only, tells them, and audits it', async () => {
      const t = await hub.ds.getRepository(InboxThread).findOneByOrFail({ accountId: weibo.id, threadKey: 'c:post-1:c3' });
      // The picker's list is the people assign() accepts: the county's active editors and admin, by name.
      const people = await hub.http.get(`/api/v1/inbox/threads/${t.id}/assignees`).set(as('i.dutyA'));
      assert.equal(people.status, 200, JSON.stringify(people.body));
      assert.deepEqual(
        (people.body as { id: string }[]).map((p) => p.id).sort(),
        [ids.get('i.admA1')!, ids.get('i.ed1')!, ids.get('i.ed2')!].sort(),
      );
      assert.ok((people.body as { displayName: string }[]).every((p) => p.displayName));
      assert.equal((await hub.http.get(`/api/v1/inbox/threads/${t.id}/assignees`).set(as('i.ed1'))).status, 404, 'editors do not assign');
      // The thread names its account and the post (made outside Tongfa here: its platform id only).
      const shown = await hub.http.get(`/api/v1/inbox/threads/${t.id}`).set(as('i.ed1'));
      assert.equal(shown.body.accountName, '甲市一县微博');
      assert.ok(shown.body.assigneeId, 'assigned in turn on arrival');
      assert.equal(shown.body.assigneeName, [...ids].find(([, id]) => id === shown.body.assigneeId)?.[0], 'the assignee by name');
      assert.deepEqual(shown.body.post, { remoteId: 'post-1', title: null, url: null, publicationId: null });
      const wrong = await hub.http
        .post(`/api/v1/inbox/threads/${t.id}/assign`)
        .set(as('i.admA1'))
        .send({ assigneeId: ids.get('i.edB1') });
      assert.equal(wrong.status, 400);
      assert.match(JSON.stringify(wrong.body), /assigneeId/);
      const editor = await hub.http
        .post(`/api/v1/inbox/threads/${t.id}/assign`)
        .set(as('i.ed1'))
        .send({ assigneeId: ids.get('i.ed2') });
      assert.equal(editor.status, 404);
      const ok = await hub.http
        .post(`/api/v1/inbox/threads/${t.id}/assign`)
        .set(as('i.dutyA'))
        .send({ assigneeId: ids.get('i.ed2') });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.assigneeId, ids.get('i.ed2'));
      const told = await hub.http.get('/api/v1/notifications').set(as('i.ed2'));
      assert.ok(told.body.items.some((n: { kind: string; link: { id: string } }) => n.kind === 'inbox_task' && n.link.id === t.id));
      const audit = await hub.ds.getRepository(AuditEntry).findBy({ action: 'inbox.thread.assign', targetId: t.id });
      assert.equal(audit.length, 1);
    });

    it('keeps internal notes on the thread, never for outsiders', async () => {
      const t = await hub.ds.getRepository(InboxThread).findOneByOrFail({ accountId: weibo.id, threadKey: 'c:post-1:c1' });
      const note = await hub.http.post(`/api/v1/inbox/threads/${t.id}/notes`).set(as('i.ed1')).send({ text: '已转交人社局核实实施日期。' });
      assert.equal(note.status, 201, JSON.stringify(note.body));
      assert.equal(note.body.authorName, 'i.ed1');
      const outsider = await hub.http.post(`/api/v1/inbox/threads/${t.id}/notes`).set(as('i.edB1')).send({ text: 'x' });
      assert.equal(outsider.status, 404);
      const empty = await hub.http.post(`/api/v1/inbox/threads/${t.id}/notes`).set(as('i.ed1')).send({ text: '' });
      assert.equal(empty.status, 400);
      assert.match(JSON.stringify(empty.body), /text/);
      const detail = await hub.http.get(`/api/v1/inbox/threads/${t.id}`).set(as('i.revA1'));
      assert.equal(detail.status, 200);
      assert.deepEqual(
        detail.body.notes.map((n: { text: string }) => n.text),
        ['已转交人社局核实实施日期。'],
      );
      // c1, its answer c2, and c4 and c5 from the page three sweeps read at once.
      assert.equal(detail.body.items.length, 4);
    });

    it('never sends a reply the compliance engine blocks', async () => {
      const t = await hub.ds.getRepository(InboxThread).findOneByOrFail({ accountId: weibo.id, threadKey: 'c:post-1:c1' });
      const res = await hub.http.post(`/api/v1/inbox/threads/${t.id}/replies`).set(as('i.ed1')).send({ text: '根据内部资料，下月实施。' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.state, 'blocked');
      assert.ok(res.body.findings.some((f: { rule: string }) => f.rule === 'secrecy_marker'));
      await hub.app.get(RepliesService).handleReplySweep();
      const row = await hub.ds.getRepository(InboxReply).findOneByOrFail({ id: res.body.id });
      assert.equal(row.state, 'blocked');
      assert.equal(row.attempts, 0);
      assert.equal(await hub.ds.getRepository(InboxItem).countBy({ threadId: t.id, direction: 'out' }), 0);
      assert.equal((await thread(t.id)).state, 'assigned');
      assert.equal((await hub.ds.getRepository(AuditEntry).findBy({ action: 'inbox.reply.blocked', targetId: t.id })).length, 1);
    });

    it('sends a clean reply from the outbox and records the platform’s refusal instead of losing it', async () => {
      const t = await hub.ds.getRepository(InboxThread).findOneByOrFail({ accountId: weibo.id, threadKey: 'c:post-1:c1' });
      const res = await hub.http
        .post(`/api/v1/inbox/threads/${t.id}/replies`)
        .set(as('i.ed1'))
        .send({ text: '您好，该政策自明年1月1日起实施。', idempotencyKey: 'reply-key-0001' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.state, 'pending');
      const same = await hub.http
        .post(`/api/v1/inbox/threads/${t.id}/replies`)
        .set(as('i.ed1'))
        .send({ text: '您好，该政策自明年1月1日起实施。', idempotencyKey: 'reply-key-0001' });
      assert.equal(same.body.id, res.body.id);
      // The account was never connected to the platform: the send fails for good, with the host's reason.
      const row = await pollUntil(
        async () => {
          await hub.app.get(RepliesService).handleReplySweep();
          const r = await hub.ds.getRepository(InboxReply).findOneByOrFail({ id: res.body.id });
          return r.state === 'failed' ? r : null;
        },
        { timeoutMs: 15_000, what: 'the reply attempt' },
      );
      assert.equal(row!.attempts, 1);
      assert.match(row!.lastError ?? '', /尚未连接平台/);
      assert.equal(await hub.ds.getRepository(InboxReply).countBy({ threadId: t.id }), 2);
    });

    it('holds replies for the unit’s review step when the unit asks for one', async () => {
      await hub.http.put(`/api/v1/inbox/units/${world.units.countyA1.id}/settings`).set(as('i.admA1')).send({ reviewReplies: true });
      const t = await hub.ds.getRepository(InboxThread).findOneByOrFail({ accountId: weibo.id, threadKey: 'c:post-1:c3' });
      const res = await hub.http.post(`/api/v1/inbox/threads/${t.id}/replies`).set(as('i.ed2')).send({ text: '感谢您的支持！' });
      assert.equal(res.body.state, 'review');
      const own = await hub.http.post(`/api/v1/inbox/replies/${res.body.id}/review`).set(as('i.ed2')).send({ decision: 'approve' });
      assert.equal(own.status, 404);
      const bad = await hub.http.post(`/api/v1/inbox/replies/${res.body.id}/review`).set(as('i.revA1')).send({ decision: 'maybe' });
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(bad.body), /decision/);
      const rejected = await hub.http.post(`/api/v1/inbox/replies/${res.body.id}/review`).set(as('i.revA1')).send({ decision: 'reject' });
      assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
      assert.equal(rejected.body.state, 'rejected');
      const twice = await hub.http.post(`/api/v1/inbox/replies/${res.body.id}/review`).set(as('i.revA1')).send({ decision: 'approve' });
      assert.equal(twice.status, 409);
      await hub.http.put(`/api/v1/inbox/units/${world.units.countyA1.id}/settings`).set(as('i.admA1')).send({ reviewReplies: false });
    });

    it('lets a person of the unit settle an unconfirmed reply once: it arrived, or it is sent again', async () => {
      const r = await message(wechat, 'conv-unconfirmed-1', '请问社保卡在哪里补办？');
      const t = await thread(r.threadId!);
      // What the outbox leaves after a send whose answer was lost on a platform without a lookup
      // (the fault suite drives real sends there): the reply may have reached the citizen.
      const unconfirmed = async (key: string) => {
        const row = {
          id: crypto.randomUUID(),
          threadId: t.id,
          accountId: t.accountId,
          unitId: t.unitId,
          unitPath: t.unitPath,
          inReplyTo: null,
          text: '您好，可到就近社保经办网点补办。',
          state: 'unconfirmed' as const,
          idempotencyKey: key,
          attempts: 3,
          nextAttemptAt: null,
          remoteId: null,
          lastError: 'wechat 无法查证上次发送是否成功，请到平台核实',
          findings: [],
          createdBy: ids.get('i.ed1')!,
          createdAt: hub.clock.now(),
          reviewedBy: null,
          reviewedAt: null,
          sentAt: null,
        };
        await hub.ds.getRepository(InboxReply).insert(row);
        return row.id;
      };
      const first = await unconfirmed('unconfirmed-0001');
      const settle = (who: string, id: string, outcome: unknown) =>
        hub.http.post(`/api/v1/inbox/replies/${id}/confirmation`).set(as(who)).send({ outcome });

      // Outside the unit, or no say over its work: not found, and nothing changes.
      assert.equal((await settle('i.edB1', first, 'resend')).status, 404);
      assert.equal((await settle('i.admB1', first, 'arrived')).status, 404);
      const bad = await settle('i.ed1', first, 'maybe');
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(bad.body), /outcome（核实结果）/);
      assert.equal((await hub.ds.getRepository(InboxReply).findOneByOrFail({ id: first })).state, 'unconfirmed');

      const arrived = await settle('i.ed2', first, 'arrived');
      assert.equal(arrived.status, 200, JSON.stringify(arrived.body));
      assert.equal(arrived.body.state, 'sent');
      assert.equal((await thread(t.id)).state, 'replied');
      const again = await settle('i.ed1', first, 'resend');
      assert.equal(again.status, 409);
      assert.equal((await hub.ds.getRepository(InboxReply).findOneByOrFail({ id: first })).state, 'sent');

      // Two people deciding "send it again" at the same moment: it goes back to the outbox once.
      const second = await unconfirmed('unconfirmed-0002');
      const both = await Promise.all([settle('i.ed1', second, 'resend'), settle('i.ed2', second, 'resend')]);
      assert.deepEqual(both.map((b) => b.status).sort(), [200, 409]);
      const row = await hub.ds.getRepository(InboxReply).findOneByOrFail({ id: second });
      assert.notEqual(row.state, 'unconfirmed');
      assert.ok(row.attempts <= 1, `a fresh round of attempts, not the old count (${row.attempts})`);
      const audited = await hub.ds.getRepository(AuditEntry).findBy({ targetId: second });
      assert.deepEqual(
        audited.map((a) => a.action),
        ['inbox.reply.resend'],
      );
      assert.equal((await hub.ds.getRepository(AuditEntry).findBy({ action: 'inbox.reply.arrived', targetId: first })).length, 1);
    });

    it('refuses malformed input naming the field', async () => {
      const t = await hub.ds.getRepository(InboxThread).findOneByOrFail({ accountId: weibo.id, threadKey: 'c:post-1:c3' });
      const cases: [string, () => Promise<{ status: number; body: unknown }>, string][] = [
        ['state', () => hub.http.get('/api/v1/inbox/threads?state=open').set(as('i.ed1')), 'state'],
        ['due', () => hub.http.get('/api/v1/inbox/threads?due=soon').set(as('i.ed1')), 'due'],
        ['text', () => hub.http.post(`/api/v1/inbox/threads/${t.id}/replies`).set(as('i.ed1')).send({ text: '' }), 'text'],
        [
          'key',
          () => hub.http.post(`/api/v1/inbox/threads/${t.id}/replies`).set(as('i.ed1')).send({ text: 'x', idempotencyKey: '短' }),
          'idempotencyKey',
        ],
        ['metrics', () => hub.http.get('/api/v1/inbox/metrics?olderThanDays=0').set(as('i.supA')), 'olderThanDays'],
        [
          'hours',
          () =>
            hub.http
              .put(`/api/v1/inbox/units/${world.units.countyA1.id}/settings`)
              .set(as('i.admA1'))
              .send({ workingHours: { periods: [{ start: '13:00', end: '12:00' }] } }),
          'workingHours',
        ],
        ['id', () => hub.http.get('/api/v1/inbox/threads/not-a-uuid').set(as('i.ed1')), ''],
      ];
      for (const [name, call, field] of cases) {
        const res = await call();
        assert.equal(res.status, 400, `${name}: ${JSON.stringify(res.body)}`);
        assert.ok(JSON.stringify(res.body).includes(field), `${name} names ${field}: ${JSON.stringify(res.body)}`);
      }
      const editorSettings = await hub.http
        .put(`/api/v1/inbox/units/${world.units.countyA1.id}/settings`)
        .set(as('i.ed1'))
        .send({ reviewReplies: true });
      assert.equal(editorSettings.status, 404);
    });

    it('raises a duty alert at once for 舆情 text', async () => {
      const r = await message(wechat, 'oCitizen0009', '我要实名举报小区违建，再不处理就找媒体曝光');
      assert.equal((await thread(r.threadId!)).sensitive, true);
      const alerts = await hub.http.get('/api/v1/alerts?kind=inbox_sensitive').set(as('i.dutyA'));
      assert.equal(alerts.status, 200, JSON.stringify(alerts.body));
      assert.equal(alerts.body.total, 1);
      assert.equal(alerts.body.items[0].link.id, r.threadId);
      assert.match(alerts.body.items[0].title.zh, /实名举报/);
    });

    it('refuses a platform push it cannot verify and stores nothing', async () => {
      const before = await hub.ds.getRepository(InboxItem).count();
      // No callback token is configured for WeChat on this hub: the plugin cannot verify, so it refuses (503).
      const res = await hub.http.post('/api/v1/webhooks/wechat').set('Content-Type', 'text/xml').send('<xml><MsgId>1</MsgId></xml>');
      assert.equal(res.status, 503);
      const unknown = await hub.http.post('/api/v1/webhooks/no-such-plugin').send('x');
      assert.equal(unknown.status, 404);
      const bad = await hub.http.post('/api/v1/webhooks/..%2Fadmin').send('x');
      assert.equal(bad.status, 404);
      assert.equal(await hub.ds.getRepository(InboxItem).count(), before);
    });

    it('counts metrics per account and unit: response rate, median working minutes, share within SLA, old unanswered', async () => {
      // The account answered c3's tree in the platform's own app, 30 minutes after the comment.
      const t = await hub.ds.getRepository(InboxThread).findOneByOrFail({ accountId: weibo.id, threadKey: 'c:post-1:c3' });
      await comments(weibo, 'post-1', [{ id: 'c3-answer', parentId: 'c3', text: '谢谢支持', fromAccount: true }]);
      const answered = await thread(t.id);
      assert.equal(answered.state, 'replied');
      assert.ok(answered.firstRespondedAt);
      const res = await hub.http.get(`/api/v1/inbox/metrics?unitId=${world.units.countyA1.id}`).set(as('i.supA'));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const acc = res.body.accounts.find((a: { accountId: string }) => a.accountId === weibo.id);
      assert.equal(acc.accountName, '甲市一县微博');
      assert.equal(acc.threads, 2);
      assert.equal(acc.answered, 1);
      assert.equal(acc.responseRate, 0.5);
      assert.equal(acc.withinSlaRate, 0.5);
      assert.equal(typeof acc.medianFirstResponseMinutes, 'number');
      assert.equal(res.body.units.length, 1);
      assert.equal(res.body.units[0].unitId, world.units.countyA1.id);
      const outsider = await hub.http.get(`/api/v1/inbox/metrics`).set(as('i.edB1'));
      assert.ok(outsider.body.accounts.every((a: { accountId: string }) => a.accountId === weiboB.id));
    });

    it('runs the SLA clock on working time: it stands still over the National Day holiday and runs on the adjusted Saturday', async () => {
      const put = await hub.http
        .put(`/api/v1/inbox/units/${world.units.countyA1.id}/settings`)
        .set(as('i.admA1'))
        .send({ firstResponseMinutes: 120, remindBeforeMinutes: 30 });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      const sla = hub.app.get(SlaService);

      // Wednesday 30 September 2026, 17:00: one working hour left that day, then 1–7 October off.
      setClock(bj('2026-09-30T17:00'));
      const r = await message(wechat, 'oCitizen0010', '国庆期间能办理出入境证件吗？', {
        replyWindowHours: 48,
        createdAt: bj('2026-09-30T17:00'),
      });
      const t = await thread(r.threadId!);
      assert.equal(t.firstResponseDueAt!.toISOString(), bj('2026-10-08T10:00').toISOString());
      assert.equal(t.remindAt!.toISOString(), bj('2026-10-08T09:30').toISOString());
      assert.equal(t.replyDeadlineAt!.toISOString(), bj('2026-10-02T17:00').toISOString());

      setClock(bj('2026-10-05T11:00'));
      assert.deepEqual(await sla.handleSlaSweep(), { reminded: 0, escalated: 0 });
      // The platform's window is real time, holidays or not: past it the reply is refused.
      await relogin();
      const late = await hub.http
        .post(`/api/v1/inbox/threads/${t.id}/replies`)
        .set(as(assigneeName(t.assigneeId!)))
        .send({ text: '可以办理。' });
      assert.equal(late.status, 409, JSON.stringify(late.body));
      assert.match(JSON.stringify(late.body), /回复时限/);

      setClock(bj('2026-10-08T09:40'));
      const reminded = await sla.handleSlaSweep();
      assert.ok(reminded.reminded >= 1);
      assert.equal(reminded.escalated, 0);
      await relogin();
      const told = await hub.http.get('/api/v1/notifications').set(as(assigneeName(t.assigneeId!)));
      assert.ok(told.body.items.some((n: { kind: string; link: { id: string } }) => n.kind === 'inbox_task' && n.link.id === t.id));

      // 值班: the escalation goes to whoever is on call at 10:01: the city's duty officer holds the
      // daily layer, but an override puts the city's supervisor on duty from 10:00 to 11:00.
      const sched = await hub.http
        .put(`/api/v1/duty/units/${world.units.countyA1.id}/schedule`)
        .set(as('i.admA1'))
        .send({ layers: [{ name: '日班', userIds: [ids.get('i.dutyA')], rotation: 'daily', handoff: '09:00', startDate: '2026-09-01' }] });
      assert.equal(sched.status, 200, JSON.stringify(sched.body));
      const override = await hub.http
        .post(`/api/v1/duty/units/${world.units.countyA1.id}/overrides`)
        .set(as('i.admA1'))
        .send({ userId: ids.get('i.supA'), startsAt: bj('2026-10-08T10:00').toISOString(), endsAt: bj('2026-10-08T11:00').toISOString() });
      assert.equal(override.status, 201, JSON.stringify(override.body));

      setClock(bj('2026-10-08T10:01'));
      const escalated = await sla.handleSlaSweep();
      assert.ok(escalated.escalated >= 1);
      assert.equal((await sla.handleSlaSweep()).escalated, 0);
      await relogin();
      const alerts = await hub.http.get('/api/v1/alerts?kind=inbox_overdue&pageSize=100').set(as('i.dutyA'));
      const overdueAlert = alerts.body.items.find((a: { link: { id: string } }) => a.link.id === t.id);
      assert.ok(overdueAlert);
      const routed = await hub.ds.query(`SELECT userId FROM notification WHERE resourceType = 'duty_alert' AND resourceId = ?`, [
        overdueAlert.id,
      ]);
      assert.deepEqual(
        routed.map((r: { userId: string }) => r.userId),
        [ids.get('i.supA')],
        'told to the supervisor on duty by the override, not to the layer’s officer',
      );
      const overdue = await hub.http.get('/api/v1/inbox/threads?due=overdue&pageSize=100').set(as('i.supA'));
      assert.ok(overdue.body.items.some((x: { id: string }) => x.id === t.id));

      // Friday 9 October 17:00 → the adjusted workday Saturday 10 October counts: due at 10:00 that Saturday.
      setClock(bj('2026-10-09T17:00'));
      const sat = await message(wechat, 'oCitizen0011', '明天上班吗？', { createdAt: bj('2026-10-09T17:00') });
      assert.equal((await thread(sat.threadId!)).firstResponseDueAt!.toISOString(), bj('2026-10-10T10:00').toISOString());
      // And a weekend: Friday 13 November 17:00 → Monday 16 November 10:00.
      setClock(bj('2026-11-13T17:00'));
      const wk = await message(wechat, 'oCitizen0012', '周末能办吗？', { createdAt: bj('2026-11-13T17:00') });
      assert.equal((await thread(wk.threadId!)).firstResponseDueAt!.toISOString(), bj('2026-11-16T10:00').toISOString());
    });

    it('moves the county’s threads, replies, notes and settings with it when the unit moves (机构改革)', async () => {
      const op = await world.user('i.op', Role.PlatformOperator, 'province');
      tokens.set(op.username, await login(hub.http, op.username));
      const supB = await world.user('i.supB', Role.Supervisor, 'cityB');
      tokens.set(supB.username, await login(hub.http, supB.username));
      await relogin();
      const before = await hub.http.get('/api/v1/inbox/threads?pageSize=1').set(as('i.supA'));
      assert.ok(before.body.total > 0);
      const res = await hub.http.patch(`/api/v1/units/${world.units.countyA1.id}`).set(as('i.op')).send({ parentId: world.units.cityB.id });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const path = res.body.path as string;
      assert.ok(path.startsWith(world.units.cityB.path));
      for (const [table, n] of [
        ['inbox_thread', 1],
        ['inbox_reply', 1],
        ['inbox_note', 1],
        ['inbox_unit_setting', 1],
      ] as const) {
        const rows: { unitPath: string }[] = await hub.ds.query(`SELECT unitPath FROM ${table} WHERE unitId = ?`, [
          world.units.countyA1.id,
        ]);
        assert.ok(rows.length >= n, table);
        assert.ok(
          rows.every((r) => r.unitPath === path),
          `${table} rewritten`,
        );
      }
      const a = await hub.http.get('/api/v1/inbox/threads?pageSize=1').set(as('i.supA'));
      assert.equal(a.body.total, 0);
      const b = await hub.http.get('/api/v1/inbox/threads?pageSize=1').set(as('i.supB'));
      assert.equal(b.body.total, before.body.total + 1);
    });

    function assigneeName(userId: string): string {
      for (const [name, id] of ids) if (id === userId) return name;
      throw new Error(`no user ${userId}`);
    }
  });
}
