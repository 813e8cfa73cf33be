import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDrivers } from '@tongfa/database';
import { Account } from '@tongfa/accounts';
import { ActorLoader, Role } from '@tongfa/identity';
import { Publication } from '@tongfa/publishing';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { pollUntil } from './support/poll';
import { startSandboxWorld, SandboxWorld } from './support/sandbox-accounts';
import { approvedManuscript, uploadCover } from './support/publish-kit';

interface Skipped {
  accountId: string;
  accountName: string;
  platform: string;
  platformName: string;
  code: string;
  reason: string;
  fix: string;
}

/**
 * A publication to several accounts publishes to those that can take the manuscript and reports
 * the others per account (name, platform, why, the fix, in Chinese) instead of refusing the whole
 * request; only when none can is it refused. The preview says the same by the same rule.
 */
for (const driver of testDrivers()) {
  describe(`publishing to the accounts that can, reporting the others (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sw: SandboxWorld;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    const ids = new Map<string, string>();
    const simIds = new Map<string, string>();
    let otherUnitAccount = '';

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      for (const [u, role, unit, level] of [
        ['pp.editor', Role.Editor, 'countyA1', 0],
        ['pp.admin', Role.UnitAdmin, 'countyA1', 0],
        ['pp.sup', Role.Supervisor, 'cityA', 0],
        ['pp.r1', Role.Reviewer, 'countyA1', 1],
        ['pp.r2', Role.Reviewer, 'countyA1', 2],
        ['pp.r3', Role.Reviewer, 'countyA1', 3],
        ['pp.adminB', Role.UnitAdmin, 'countyA2', 0],
      ] as const) {
        await world.user(u, role, unit, { level: level || undefined });
        t.set(u, await login(hub.http, u));
      }
      sw = await startSandboxWorld(hub);
      const actors = hub.app.get(ActorLoader);
      const admin = await actors.forUser(world.users.get('pp.admin')!.id);
      const sup = await actors.forUser(world.users.get('pp.sup')!.id);
      for (const platform of ['weibo', 'wechat', 'douyin', 'toutiao', 'nanfang', 'own-app']) {
        const { account, simAccountId } = await sw.connect(admin, sup, world.units.countyA1.id, platform, '甲市一县发布');
        ids.set(platform, account.id);
        simIds.set(platform, simAccountId);
      }
      const adminB = await actors.forUser(world.users.get('pp.adminB')!.id);
      otherUnitAccount = (await sw.connect(adminB, sup, world.units.countyA2.id, 'own-app', '甲市二县发布')).account.id;
      // A Weibo account configured before its plugin required rip (or edited behind the API's back).
      await hub.ds.getRepository(Account).update({ id: ids.get('weibo')! }, { settings: { siteUrl: 'https://www.jiashi.gov.cn/' } });
      // The own app is suspended (暂停更新) by its unit.
      const suspended = await hub.http
        .patch(`/api/v1/accounts/${ids.get('own-app')}`)
        .set(as('pp.admin'))
        .send({ status: 'suspended', reason: '整改期间暂停更新' });
      assert.equal(suspended.status, 200, suspended.text);
    });
    after(async () => {
      await sw.close();
      await hub.close();
    });

    const tokens = () => ({ editor: t.get('pp.editor')!, reviewers: ['pp.r1', 'pp.r2', 'pp.r3'].map((r) => t.get(r)!) });

    it('publishes to the four that can and reports Weibo and the suspended app, each with the fix', async () => {
      const cover = await uploadCover(hub, t.get('pp.editor')!);
      const ms = await approvedManuscript(hub, tokens(), { title: '甲市一县关于优化政务服务的政策解读', coverMediaId: cover });
      const preview = await hub.http.get(`/api/v1/manuscripts/${ms}/renditions`).set(as('pp.editor'));
      assert.equal(preview.status, 200, preview.text);

      const all = [...ids.values()];
      const res = await hub.http
        .post(`/api/v1/manuscripts/${ms}/publications`)
        .set(as('pp.editor'))
        .set('Idempotency-Key', `pp-${ms}`)
        .send({ accountIds: all });
      assert.equal(res.status, 201, res.text);
      const skipped = res.body.skipped as Skipped[];
      assert.deepEqual(skipped.map((s) => s.platform).sort(), ['own-app', 'weibo']);
      const weibo = skipped.find((s) => s.platform === 'weibo')!;
      assert.equal(weibo.accountId, ids.get('weibo'));
      assert.equal(weibo.accountName, '甲市一县发布');
      assert.equal(weibo.platformName, '新浪微博');
      assert.equal(weibo.code, 'settings');
      assert.match(weibo.reason, /rip/);
      assert.match(weibo.fix, /rip/);
      const app = skipped.find((s) => s.platform === 'own-app')!;
      assert.equal(app.code, 'account_status');
      assert.match(app.reason, /已暂停/);
      assert.match(app.fix, /恢复/);
      assert.deepEqual(res.body.targets.map((x: { platform: string }) => x.platform).sort(), ['douyin', 'nanfang', 'toutiao', 'wechat']);

      // The preview said the same, by the same rule.
      for (const item of preview.body.items as { accountId: string; publishable: boolean; skip: { code: string } | null }[]) {
        const s = skipped.find((k) => k.accountId === item.accountId);
        assert.equal(item.publishable, !s, item.accountId);
        assert.equal(item.skip?.code, s?.code);
      }

      // The same request again answers the same publication and the same report.
      const again = await hub.http
        .post(`/api/v1/manuscripts/${ms}/publications`)
        .set(as('pp.editor'))
        .set('Idempotency-Key', `pp-${ms}`)
        .send({ accountIds: all });
      assert.equal(again.status, 200, again.text);
      assert.equal(again.body.id, res.body.id);
      assert.deepEqual(again.body.skipped.map((s: Skipped) => s.code).sort(), ['account_status', 'settings']);

      const done = await pollUntil(
        async () => {
          const v = await hub.http.get(`/api/v1/publications/${res.body.id}`).set(as('pp.editor'));
          return v.body.targets.every((x: { state: string }) => x.state === 'published') ? v.body : null;
        },
        { timeoutMs: 60_000, intervalMs: 100, what: 'the four targets published' },
      );
      assert.equal(done.status, 'published');
      for (const platform of ['douyin', 'nanfang', 'toutiao', 'wechat']) {
        const posts = await sw.sim.posts(platform, simIds.get(platform));
        assert.equal(posts.length, 1, `${platform}: one post`);
      }
      for (const platform of ['weibo', 'own-app']) {
        assert.equal((await sw.sim.posts(platform, simIds.get(platform))).length, 0, `${platform}: nothing was sent`);
      }
    });

    it('reports a limit render cannot fix (Douyin needs a picture) and still publishes the rest', async () => {
      const ms = await approvedManuscript(hub, tokens(), { title: '甲市一县关于延时服务的政策解读' });
      const res = await hub.http
        .post(`/api/v1/manuscripts/${ms}/publications`)
        .set(as('pp.editor'))
        .send({ accountIds: [ids.get('douyin'), ids.get('nanfang'), ids.get('toutiao')] });
      assert.equal(res.status, 201, res.text);
      const douyin = (res.body.skipped as Skipped[]).find((s) => s.platform === 'douyin')!;
      assert.equal(douyin.code, 'rendition');
      assert.equal(douyin.platformName, '抖音');
      assert.match(douyin.reason, /图片/);
      assert.match(douyin.fix, /图片/);
      assert.ok(res.body.targets.some((x: { platform: string }) => x.platform === 'nanfang'));
    });

    it('refuses only when none of the accounts can take it, saying why for each', async () => {
      const ms = await approvedManuscript(hub, tokens(), { title: '甲市一县关于预约服务的政策解读' });
      const before = await hub.ds.getRepository(Publication).count();
      const res = await hub.http
        .post(`/api/v1/manuscripts/${ms}/publications`)
        .set(as('pp.editor'))
        .send({ accountIds: [ids.get('weibo'), ids.get('own-app')] });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.code, 'PUBLICATION_NOTHING_PUBLISHABLE');
      assert.deepEqual(res.body.details.map((d: { field: string }) => d.field).sort(), ['accountIds[0]', 'accountIds[1]']);
      assert.ok(res.body.details.some((d: { message: string }) => /新浪微博/.test(d.message) && /rip/.test(d.message)));
      assert.equal(await hub.ds.getRepository(Publication).count(), before, 'nothing was written');
    });

    it('still refuses the whole request when an account belongs to another unit', async () => {
      const ms = await approvedManuscript(hub, tokens(), { title: '甲市一县关于帮办服务的政策解读' });
      const before = await hub.ds.getRepository(Publication).count();
      const res = await hub.http
        .post(`/api/v1/manuscripts/${ms}/publications`)
        .set(as('pp.editor'))
        .send({ accountIds: [ids.get('nanfang'), otherUnitAccount] });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.code, 'PUBLICATION_ACCOUNTS_INVALID');
      assert.equal(await hub.ds.getRepository(Publication).count(), before);
      assert.equal((await sw.sim.posts('own-app')).filter((p) => p.title.includes('帮办')).length, 0);
    });
  });
}
