import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { In, Like } from 'typeorm';
import { Account, AccountsService } from '@tongfa/accounts';
import { DutyAlert } from '@tongfa/alerts';
import { ActorLoader, Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { IncomingItem, IngestService } from '@tongfa/inbox';
import { ActivityRollupService, MonitoredAccount, RuleState } from '@tongfa/monitoring';
import { startTestHub, TestHub } from './support/test-hub';
import { World } from './support/world';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * The 不互动无服务 veto fed by the inbox: the roll-up's rule reads what citizens wrote to each account
 * and what the account answered. An account that leaves a citizen's message unanswered past its
 * deadline is in breach with the evidence; one that answered is ok; one that answered one and left
 * another is warned; one that received nothing is ok (nothing was asked); a message that has just
 * arrived is no failure yet.
 */
for (const driver of testDrivers()) {
  describe(`interaction veto from the inbox (${driver})`, () => {
    let hub: TestHub;
    const ids: Record<'silent' | 'answering' | 'partial' | 'quiet', string> = { silent: '', answering: '', partial: '', quiet: '' };
    let n = 0;

    before(async () => {
      hub = await startTestHub(driver);
      const world = await World.build(hub.app);
      await world.user('iv.adm', Role.UnitAdmin, 'countyA1');
      await world.user('iv.ed', Role.Editor, 'countyA1');
      await world.user('iv.sup', Role.Supervisor, 'cityA');
      const actors = hub.app.get(ActorLoader);
      const actor = (u: string) => actors.forUser(world.users.get(u)!.id);
      const accounts = hub.app.get(AccountsService);
      for (const [key, platform, name] of [
        ['silent', 'wechat', '甲市一县发布'],
        ['answering', 'weibo', '甲市一县发布微博'],
        ['partial', 'douyin', '甲市一县发布抖音'],
        ['quiet', 'toutiao', '甲市一县发布头条'],
      ] as const) {
        const { account } = await accounts.create(await actor('iv.adm'), { unitId: world.units.countyA1.id, platform, name });
        await accounts.decide(await actor('iv.sup'), account.id, 'approve', null);
        ids[key] = account.id;
      }
    });
    after(async () => {
      await hub?.close();
    });

    const account = (id: string) => hub.ds.getRepository(Account).findOneByOrFail({ id });
    /** A citizen's message (or, `out`, the account's answer in the platform's own app) as a push delivers it. */
    async function deliver(accountId: string, conversation: string, direction: 'in' | 'out', text: string): Promise<void> {
      const at = hub.clock.now();
      const item: IncomingItem = {
        threadKey: `m:${conversation}`,
        kind: 'message',
        postRemoteId: null,
        rootCommentId: null,
        citizenId: conversation,
        citizenName: `网友${conversation}`,
        platformItemId: `iv-${++n}`,
        direction,
        itemKind: 'text',
        parentId: null,
        author: direction === 'in' ? `网友${conversation}` : '甲市一县发布',
        authorId: direction === 'in' ? conversation : null,
        text,
        createdAt: at,
      };
      const r = await hub.app.get(IngestService).ingest(await account(accountId), item);
      assert.equal(r.duplicate, false);
    }
    const sweep = async () => {
      // Each account is rolled up once a local day; make every one due so the sweep reads the inbox now.
      const enrolled = await hub.ds.getRepository(MonitoredAccount).find({ select: { accountId: true } });
      if (enrolled.length)
        await hub.ds
          .getRepository(MonitoredAccount)
          .update({ accountId: In(enrolled.map((a) => a.accountId)) }, { nextRollupAt: hub.clock.now() });
      return hub.app.get(ActivityRollupService).handleActivitySweep();
    };
    const veto = (accountId: string) => hub.ds.getRepository(RuleState).findOneByOrFail({ accountId, ruleId: 'national.no-interaction' });

    it('a message that has just arrived is no failure yet; nothing received is ok', async () => {
      await deliver(ids.silent, 'c1', 'in', '请问办理居住证需要哪些材料？');
      await deliver(ids.answering, 'c2', 'in', '小区门口的路灯坏了一个月了。');
      await deliver(ids.answering, 'c2', 'out', '您好，已转城管部门，三日内修复。');
      await deliver(ids.partial, 'c3', 'in', '社保卡在哪里补办？');
      await deliver(ids.partial, 'c3', 'out', '您好，可到县政务服务中心二楼补办。');
      await deliver(ids.partial, 'c4', 'in', '医保报销比例是多少？');
      const r = await sweep();
      assert.ok(r.enrolled >= 4, 'the four opened accounts are enrolled');
      const silent = await veto(ids.silent);
      assert.equal(silent.state, 'ok', JSON.stringify(silent.evidence));
      assert.equal(silent.evidence.received, 0);
      assert.equal(silent.evidence.unansweredOverdue, 0);
      const quiet = await veto(ids.quiet);
      assert.equal(quiet.state, 'ok');
      assert.deepEqual(
        { received: quiet.evidence.received, answered: quiet.evidence.answered, windowDays: quiet.evidence.windowDays },
        { received: 0, answered: 0, windowDays: 30 },
      );
      assert.equal((await veto(ids.answering)).state, 'ok');
    });

    it('past the deadline: the silent account is vetoed with the evidence, the answering one is ok, the partial one warned', async () => {
      // Ten days on: every first-response deadline (one working day) has passed, weekends and holidays included.
      hub.clock.advance(10 * DAY);
      await sweep();
      const silent = await veto(ids.silent);
      assert.equal(silent.state, 'breach');
      assert.equal(silent.evidence.received, 1);
      assert.equal(silent.evidence.answered, 0);
      assert.equal(silent.evidence.unansweredOverdue, 1);
      assert.ok(Date.parse(String(silent.evidence.earliestMissedDeadline)) < hub.clock.now().getTime(), 'names the missed deadline');
      const alerts = await hub.ds
        .getRepository(DutyAlert)
        .find({ where: { dedupeKey: Like(`monitoring:national.no-interaction:${ids.silent}:%`) } });
      assert.equal(alerts.length, 2, 'the breach goes to the unit and its supervising unit');
      assert.match(alerts[0]!.titleZh, /无有效互动/);

      const answering = await veto(ids.answering);
      assert.equal(answering.state, 'ok');
      assert.deepEqual([answering.evidence.received, answering.evidence.answered, answering.evidence.unansweredOverdue], [1, 1, 0]);

      const partial = await veto(ids.partial);
      assert.equal(partial.state, 'warning');
      assert.deepEqual([partial.evidence.received, partial.evidence.answered, partial.evidence.unansweredOverdue], [2, 1, 1]);
      assert.equal((await veto(ids.quiet)).state, 'ok');
    });

    it('an answer ends the breach; a conversation older than the window no longer counts as received', async () => {
      await deliver(ids.silent, 'c1', 'out', '您好，需身份证、居住证明和照片。');
      await sweep();
      const late = await veto(ids.silent);
      assert.equal(late.state, 'ok');
      assert.deepEqual([late.evidence.received, late.evidence.answered, late.evidence.unansweredOverdue], [1, 1, 0]);
      hub.clock.advance(31 * DAY);
      await sweep();
      assert.equal((await veto(ids.silent)).evidence.received, 0);
      // The partial account's unanswered question stays overdue whatever its age.
      const partial = await veto(ids.partial);
      assert.equal(partial.state, 'warning');
      assert.equal(partial.evidence.unansweredOverdue, 1);
    });
  });
}
