import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ActorLoader, Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { ManuscriptVersion } from '@tongfa/manuscripts';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { pollUntil } from './support/poll';
import { startSandboxWorld, SandboxWorld } from './support/sandbox-accounts';
import { uploadCover } from './support/publish-kit';

const WEIBO_TEXT = '【便民】东区政务服务中心推出延时办、预约办等十项举措，详情请看原文';

/**
 * 各平台适配: one manuscript carries a short Weibo text, a Douyin caption with topics and a WeChat
 * cover crop; each is validated against its plugin's manifest, kept with the immutable version,
 * checked like the body, rendered, shown to reviewers, and is what the platform receives.
 */
for (const driver of testDrivers()) {
  describe(`per-platform adaptations (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sw: SandboxWorld;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    const accountIds = new Map<string, string>();
    const simIds = new Map<string, string>();
    let manuscriptId = '';
    let firstVersionId = '';
    let cover = '';

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      for (const [u, role, unit, level] of [
        ['ad.editor', Role.Editor, 'countyA1', 0],
        ['ad.admin', Role.UnitAdmin, 'countyA1', 0],
        ['ad.sup', Role.Supervisor, 'cityA', 0],
        ['ad.r1', Role.Reviewer, 'countyA1', 1],
        ['ad.r2', Role.Reviewer, 'countyA1', 2],
        ['ad.other', Role.Editor, 'countyB1', 0],
      ] as const) {
        await world.user(u, role, unit, { level: level || undefined });
        t.set(u, await login(hub.http, u));
      }
      sw = await startSandboxWorld(hub);
      const actors = hub.app.get(ActorLoader);
      const admin = await actors.forUser(world.users.get('ad.admin')!.id);
      const sup = await actors.forUser(world.users.get('ad.sup')!.id);
      for (const platform of ['weibo', 'wechat', 'douyin']) {
        const { account, simAccountId } = await sw.connect(admin, sup, world.units.countyA1.id, platform, '甲市一县发布');
        accountIds.set(platform, account.id);
        simIds.set(platform, simAccountId);
      }
      cover = await uploadCover(hub, t.get('ad.editor')!);
    });
    after(async () => {
      await sw.close();
      await hub.close();
    });

    const draft = (adaptations: unknown) => ({
      title: '东区推出十项便民服务举措',
      summary: '即日起，东区政务服务中心推出延时办、预约办等十项举措。',
      body: '<p>即日起，东区政务服务中心推出延时办、预约办等十项举措，方便群众办事。</p>',
      category: 'news',
      source: { type: 'original' },
      coverMediaId: cover,
      mediaIds: [cover],
      adaptations,
    });

    it('refuses a Weibo text over the platform’s limit, naming the field in Chinese', async () => {
      const res = await hub.http
        .post('/api/v1/manuscripts')
        .set(as('ad.editor'))
        .send(draft({ weibo: { text: '字'.repeat(141) } }));
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.code, 'ADAPTATION_INVALID');
      assert.match(res.body.message, /各平台适配/);
      assert.doesNotMatch(res.body.message, /adaptations|weibo/, 'fields named as people know them, not as paths');
      const d = res.body.details.find((x: { field: string }) => x.field === 'adaptations.weibo.text');
      assert.ok(d, JSON.stringify(res.body.details));
      assert.match(d.message, /^新浪微博文案超长：最多 140 字，现 141 字/);
      assert.doesNotMatch(d.message, /too long/, 'Chinese only unless English is asked for');
    });

    it('refuses a platform that is not installed and another unit’s image as a platform cover', async () => {
      const unknown = await hub.http
        .post('/api/v1/manuscripts')
        .set(as('ad.editor'))
        .send(draft({ myspace: { text: '你好' } }));
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.details[0].field, 'adaptations.myspace');
      assert.match(unknown.body.details[0].message, /未安装/);
      const foreign = await uploadCover(hub, t.get('ad.other')!, '#a27');
      const stolen = await hub.http
        .post('/api/v1/manuscripts')
        .set(as('ad.editor'))
        .send(draft({ wechat: { coverMediaId: foreign } }));
      assert.equal(stolen.status, 400, JSON.stringify(stolen.body));
      assert.ok(stolen.body.details.some((x: { field: string }) => x.field === 'adaptations.wechat.coverMediaId'));
    });

    it('stores the adaptations with the immutable version; a change makes a new version', async () => {
      const res = await hub.http
        .post('/api/v1/manuscripts')
        .set(as('ad.editor'))
        .send(draft({ weibo: { text: '初稿微博文案' }, douyin: { caption: '东区十项便民举措', topics: ['#便民服务#', '政务'] } }));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      manuscriptId = res.body.id;
      firstVersionId = res.body.version.id;
      assert.deepEqual(res.body.version.adaptations.douyin, { caption: '东区十项便民举措', topics: ['便民服务', '政务'] });
      const same = await hub.http
        .patch(`/api/v1/manuscripts/${manuscriptId}`)
        .set(as('ad.editor'))
        .send({ adaptations: res.body.version.adaptations });
      assert.equal(same.body.version.id, firstVersionId, 'the same adaptations make no new version');
      const next = await hub.http
        .patch(`/api/v1/manuscripts/${manuscriptId}`)
        .set(as('ad.editor'))
        .send({
          adaptations: {
            weibo: { text: WEIBO_TEXT },
            douyin: { caption: '东区十项便民举措', topics: ['便民服务'] },
            wechat: { coverCrop: { x: 0.5, y: 0 } },
          },
        });
      assert.equal(next.status, 200, JSON.stringify(next.body));
      assert.equal(next.body.version.number, 2);
      const bodyOnly = await hub.http
        .patch(`/api/v1/manuscripts/${manuscriptId}`)
        .set(as('ad.editor'))
        .send({ summary: '即日起，东区政务服务中心推出十项便民举措。' });
      assert.equal(bodyOnly.body.version.number, 3);
      assert.equal(bodyOnly.body.version.adaptations.weibo.text, WEIBO_TEXT, 'an edit without adaptations keeps them');
      const v1 = await hub.ds.getRepository(ManuscriptVersion).findOneByOrFail({ id: firstVersionId });
      assert.equal(v1.adaptations?.weibo?.text, '初稿微博文案', 'version 1 keeps its own adaptations');
      const other = await hub.http
        .patch(`/api/v1/manuscripts/${manuscriptId}`)
        .set(as('ad.other'))
        .send({ adaptations: { weibo: { text: '别人的文案' } } });
      assert.equal(other.status, 404, 'another county cannot touch it');
    });

    it('checks the adapted texts like the body (五关)', async () => {
      const res = await hub.http
        .patch(`/api/v1/manuscripts/${manuscriptId}`)
        .set(as('ad.editor'))
        .send({ adaptations: { weibo: { text: '内部资料：东区十项举措' } } });
      assert.equal(res.status, 200);
      const check = await hub.http.post(`/api/v1/manuscripts/${manuscriptId}/check`).set(as('ad.editor'));
      assert.equal(check.body.ok, false, 'a secrecy marker in the Weibo text blocks like one in the body');
      const submit = await hub.http.post(`/api/v1/manuscripts/${manuscriptId}/submit`).set(as('ad.editor'));
      assert.equal(submit.status, 400);
      const fixed = await hub.http
        .patch(`/api/v1/manuscripts/${manuscriptId}`)
        .set(as('ad.editor'))
        .send({
          adaptations: {
            weibo: { text: WEIBO_TEXT },
            douyin: { caption: '东区十项便民举措', topics: ['便民服务'] },
            wechat: { coverCrop: { x: 0.5, y: 0 } },
          },
        });
      assert.equal(fixed.status, 200);
      assert.equal((await hub.http.post(`/api/v1/manuscripts/${manuscriptId}/check`).set(as('ad.editor'))).body.ok, true);
    });

    it('renders each platform from its adaptation, with the crop each platform applies', async () => {
      const res = await hub.http.get(`/api/v1/manuscripts/${manuscriptId}/renditions`).set(as('ad.editor'));
      assert.equal(res.status, 200);
      const by = (p: string) => res.body.items.find((i: { platform: string }) => i.platform === p);
      const weibo = by('weibo');
      assert.ok(weibo.rendition.fields.body.startsWith(WEIBO_TEXT), weibo.rendition.fields.body);
      assert.equal(weibo.adaptation.text, WEIBO_TEXT);
      assert.equal(weibo.platformName, '新浪微博');
      assert.equal(by('douyin').rendition.payload.text, '东区十项便民举措 #便民服务');
      const wechat = by('wechat');
      const crop = wechat.crops.find((c: { role: string }) => c.role === 'cover');
      assert.ok(crop, JSON.stringify(wechat.crops));
      assert.equal(crop.cropped, true, 'a 3:2 photo is cut to WeChat’s 2.35:1');
      assert.deepEqual([crop.width, crop.height], [1200, 800]);
      assert.equal(crop.rect.top, 0, 'the crop follows the editor’s centre (top)');
      assert.equal(crop.rect.height, Math.round(1200 / 2.35));
      assert.equal(
        by('weibo').crops.every((c: { cropped: boolean }) => !c.cropped),
        true,
        'Weibo takes the picture whole',
      );
    });

    it('shows the adaptations to the reviewer, and publishes the adapted Weibo text', async () => {
      assert.equal((await hub.http.post(`/api/v1/manuscripts/${manuscriptId}/submit`).set(as('ad.editor'))).status, 200);
      const seen = await hub.http.get(`/api/v1/manuscripts/${manuscriptId}`).set(as('ad.r1'));
      assert.equal(seen.status, 200);
      assert.equal(seen.body.version.adaptations.weibo.text, WEIBO_TEXT);
      const renditions = await hub.http.get(`/api/v1/manuscripts/${manuscriptId}/renditions`).set(as('ad.r1'));
      assert.equal(renditions.status, 200);
      assert.ok(renditions.body.items.some((i: { adaptation: { text?: string } | null }) => i.adaptation?.text === WEIBO_TEXT));
      for (const r of ['ad.r1', 'ad.r2']) {
        const res = await hub.http.post(`/api/v1/manuscripts/${manuscriptId}/reviews`).set(as(r)).send({ decision: 'approve' });
        assert.equal(res.status, 200, JSON.stringify(res.body));
      }
      const pub = await hub.http
        .post(`/api/v1/manuscripts/${manuscriptId}/publications`)
        .set(as('ad.editor'))
        .send({ accountIds: [accountIds.get('weibo')] });
      assert.equal(pub.status, 201, JSON.stringify(pub.body));
      await pollUntil(
        async () => {
          const v = await hub.http.get(`/api/v1/publications/${pub.body.id}`).set(as('ad.editor'));
          return v.body.targets.every((x: { state: string }) => x.state === 'published') ? v.body : null;
        },
        { timeoutMs: 60_000, intervalMs: 100, what: 'the weibo target published' },
      );
      const posts = await sw.sim.posts('weibo', simIds.get('weibo'));
      assert.equal(posts.length, 1);
      assert.ok(posts[0]!.text.startsWith(WEIBO_TEXT), posts[0]!.text);
      assert.ok(!posts[0]!.text.includes('【东区推出十项便民服务举措】'), 'not the title-and-summary text');
    });
  });
}
