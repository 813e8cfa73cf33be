import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ActorLoader, Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { PublicationAttempt, PublicationTarget } from '@tongfa/publishing';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { pollUntil } from './support/poll';
import { startSandboxWorld, SandboxWorld } from './support/sandbox-accounts';
import sharp from 'sharp';

const BUILT_IN = ['douyin', 'nanfang', 'own-app', 'toutiao', 'wechat', 'weibo'];

/**
 * The core path: a manuscript from draft through the checks and a three-step chain to every
 * sandbox platform, then retracted everywhere; each simulator's inspection API must show exactly
 * what was published, once.
 */
for (const driver of testDrivers()) {
  describe(`publishing everywhere, exactly once (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sw: SandboxWorld;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    const accountIds: string[] = [];
    const simIds = new Map<string, string>();
    let manuscriptId = '';

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      for (const [u, role, unit, level] of [
        ['pb.editor', Role.Editor, 'countyA1', 0],
        ['pb.admin', Role.UnitAdmin, 'countyA1', 0],
        ['pb.sup', Role.Supervisor, 'cityA', 0],
        ['pb.r1', Role.Reviewer, 'countyA1', 1],
        ['pb.r2', Role.Reviewer, 'countyA1', 2],
        ['pb.r3', Role.Reviewer, 'countyA1', 3],
        ['pb.other', Role.Editor, 'countyB1', 0],
      ] as const) {
        await world.user(u, role, unit, { level: level || undefined });
        t.set(u, await login(hub.http, u));
      }
      sw = await startSandboxWorld(hub);
      const actors = hub.app.get(ActorLoader);
      const admin = await actors.forUser(world.users.get('pb.admin')!.id);
      const sup = await actors.forUser(world.users.get('pb.sup')!.id);
      for (const platform of sw.platforms.filter((p) => BUILT_IN.includes(p))) {
        const { account, simAccountId } = await sw.connect(admin, sup, world.units.countyA1.id, platform, '甲市一县发布');
        accountIds.push(account.id);
        simIds.set(platform, simAccountId);
      }
    });
    after(async () => {
      await sw.close();
      await hub.close();
    });

    it('has all six built-in platforms connected through the sandbox', () => {
      assert.deepEqual(sw.platforms.filter((p) => BUILT_IN.includes(p)).sort(), BUILT_IN);
      assert.equal(accountIds.length, 6);
    });

    it('refuses to publish before the last approval (先审后发)', async () => {
      const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#2a7' } })
        .jpeg()
        .toBuffer();
      const media = await hub.http.post('/api/v1/media').set(as('pb.editor')).attach('file', photo, '封面.jpg');
      assert.equal(media.status, 201);
      const res = await hub.http
        .post('/api/v1/manuscripts')
        .set(as('pb.editor'))
        .send({
          title: '甲市一县发布关于进一步优化政务服务的政策解读',
          summary: '十项便民举措的要点解读',
          body: '<p>为进一步优化政务服务，县政府出台十项便民举措。</p><p>一是推行延时服务；二是推行预约服务。</p>',
          category: 'policy',
          source: { type: 'original' },
          coverMediaId: media.body.id,
          mediaIds: [media.body.id],
        });
      assert.equal(res.status, 201);
      manuscriptId = res.body.id;
      const early = await hub.http.post(`/api/v1/manuscripts/${manuscriptId}/publications`).set(as('pb.editor')).send({ accountIds });
      assert.equal(early.status, 409);
      assert.equal(early.body.code, 'NOT_APPROVED');
    });

    it('previews every platform’s rendition of the version', async () => {
      const res = await hub.http.get(`/api/v1/manuscripts/${manuscriptId}/renditions`).set(as('pb.editor'));
      assert.equal(res.status, 200);
      assert.equal(res.body.items.length, accountIds.length);
      for (const item of res.body.items) {
        assert.deepEqual(item.rendition.violations, [], `${item.platform}: ${JSON.stringify(item.rendition.violations)}`);
        assert.ok(Array.isArray(item.rendition.warnings));
      }
    });

    it('walks the checks and a three-step review, then publishes once to every platform', async () => {
      assert.equal((await hub.http.post(`/api/v1/manuscripts/${manuscriptId}/check`).set(as('pb.editor'))).body.ok, true);
      assert.equal((await hub.http.post(`/api/v1/manuscripts/${manuscriptId}/submit`).set(as('pb.editor'))).status, 200);
      for (const r of ['pb.r1', 'pb.r2', 'pb.r3']) {
        const res = await hub.http.post(`/api/v1/manuscripts/${manuscriptId}/reviews`).set(as(r)).send({ decision: 'approve' });
        assert.equal(res.status, 200, JSON.stringify(res.body));
      }
      const key = `pub-${manuscriptId}`;
      const res = await hub.http
        .post(`/api/v1/manuscripts/${manuscriptId}/publications`)
        .set(as('pb.editor'))
        .set('Idempotency-Key', key)
        .send({ accountIds });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const again = await hub.http
        .post(`/api/v1/manuscripts/${manuscriptId}/publications`)
        .set(as('pb.editor'))
        .set('Idempotency-Key', key)
        .send({ accountIds });
      assert.equal(again.status, 200);
      assert.equal(again.body.id, res.body.id, 'the same Idempotency-Key returns the same publication');
      const pubId = res.body.id as string;

      const done = await pollUntil(
        async () => {
          const v = await hub.http.get(`/api/v1/publications/${pubId}`).set(as('pb.editor'));
          return v.body.targets.every((x: { state: string }) => x.state === 'published') ? v.body : null;
        },
        { timeoutMs: 60_000, intervalMs: 100, what: 'every target published' },
      );
      assert.equal(done.status, 'published');
      for (const target of done.targets) {
        assert.ok(target.remoteId, `${target.platform} remote id`);
        assert.ok(target.attempts >= 1);
        const posts = await sw.sim.posts(target.platform, simIds.get(target.platform));
        const live = posts.filter((p) => !p.deleted);
        assert.equal(live.length, 1, `${target.platform}: exactly one post, saw ${posts.length}`);
        assert.ok(live[0]!.title.includes('政策解读') || live[0]!.text.includes('便民'), `${target.platform} received the manuscript`);
      }
      const attempts = await hub.ds.getRepository(PublicationAttempt).count();
      assert.ok(attempts >= accountIds.length, 'an attempt row per platform call');
      assert.equal((await hub.http.get(`/api/v1/publications/${pubId}`).set(as('pb.other'))).status, 404, 'another county cannot see it');
    });

    it('streams target changes as server-sent events', async () => {
      const list = await hub.http.get(`/api/v1/publications?manuscriptId=${manuscriptId}`).set(as('pb.editor'));
      const pubId = list.body.items[0].id;
      const res = await hub.http
        .get(`/api/v1/publications/${pubId}/events`)
        .set(as('pb.editor'))
        .buffer(true)
        .parse((r, cb) => {
          let text = '';
          r.on('data', (c: Buffer) => (text += c.toString()));
          r.on('end', () => cb(null, text));
        });
      assert.equal(res.status, 200);
      assert.match(res.headers['content-type'], /text\/event-stream/);
      const body = res.body as string;
      assert.equal((body.match(/event: target/g) ?? []).length, accountIds.length);
      assert.match(body, /event: end/);
    });

    it('retracts everywhere at once and reports what could not be retracted', async () => {
      const list = await hub.http.get(`/api/v1/publications?manuscriptId=${manuscriptId}`).set(as('pb.editor'));
      const pubId = list.body.items[0].id;
      assert.equal((await hub.http.post(`/api/v1/publications/${pubId}/retract`).set(as('pb.editor')).send({ reason: 'x' })).status, 400);
      const res = await hub.http
        .post(`/api/v1/publications/${pubId}/retract`)
        .set(as('pb.editor'))
        .send({ reason: '数据有误，更正后重新发布' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const notRetractable = new Set(res.body.notRetractable.map((n: { targetId: string }) => n.targetId));
      const final = await pollUntil(
        async () => {
          const v = await hub.http.get(`/api/v1/publications/${pubId}`).set(as('pb.editor'));
          return v.body.targets.every((x: { state: string; id: string }) => x.state === 'retracted' || notRetractable.has(x.id))
            ? v.body
            : null;
        },
        { timeoutMs: 30_000, intervalMs: 100, what: 'retracted everywhere' },
      );
      for (const target of final.targets) {
        if (notRetractable.has(target.id)) continue;
        const posts = await sw.sim.posts(target.platform, simIds.get(target.platform));
        assert.equal(posts.filter((p) => !p.deleted).length, 0, `${target.platform}: the post is gone`);
      }
      const rows = await hub.ds.getRepository(PublicationTarget).find({ where: { publicationId: pubId } });
      assert.ok(rows.every((r) => r.state === 'retracted' || r.state === 'published'));
    });
  });
}
