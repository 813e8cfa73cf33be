import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ActorLoader, Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { buildTestMp4 } from '@tongfa/plugin-sdk/testing';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { pollUntil } from './support/poll';
import { startSandboxWorld, SandboxWorld } from './support/sandbox-accounts';

/**
 * A manuscript with a video goes out as a Douyin video through the hub: the upload is sniffed
 * and probed (duration from the MP4 header), and the plugin reads the bytes in chunks through
 * ctx.videos from the media store, resuming by checkpoint.
 */
for (const driver of testDrivers()) {
  describe(`video publishing through the hub (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sw: SandboxWorld;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    let accountId = '';
    let simId = '';

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      for (const [u, role, level] of [
        ['vd.editor', Role.Editor, 0],
        ['vd.admin', Role.UnitAdmin, 0],
        ['vd.r1', Role.Reviewer, 1],
        ['vd.r2', Role.Reviewer, 2],
      ] as const) {
        await world.user(u, role, 'countyA1', { level: level || undefined });
        t.set(u, await login(hub.http, u));
      }
      await world.user('vd.sup', Role.Supervisor, 'cityA');
      sw = await startSandboxWorld(hub);
      const actors = hub.app.get(ActorLoader);
      const { account, simAccountId } = await sw.connect(
        await actors.forUser(world.users.get('vd.admin')!.id),
        await actors.forUser(world.users.get('vd.sup')!.id),
        world.units.countyA1.id,
        'douyin',
        '甲市一县发布',
      );
      accountId = account.id;
      simId = simAccountId;
    });
    after(async () => {
      await sw.close();
      await hub.close();
    });

    it('probes an uploaded MP4 and publishes it as one Douyin video', async () => {
      const mp4 = buildTestMp4(12 * 1024 * 1024, 42.5); // 12 MB: more than one upload part
      const up = await hub.http.post('/api/v1/media').set(as('vd.editor')).attach('file', mp4, '发布会.mp4');
      assert.equal(up.status, 201, JSON.stringify(up.body));
      assert.equal(up.body.kind, 'video');
      assert.equal(up.body.mime, 'video/mp4');
      assert.equal(up.body.durationSec, 42.5);

      const ms = await hub.http
        .post('/api/v1/manuscripts')
        .set(as('vd.editor'))
        .send({
          title: '甲市一县新闻发布会视频',
          summary: '发布会实况',
          body: '<p>发布会实况。</p>',
          category: 'news',
          source: { type: 'original' },
          mediaIds: [up.body.id],
        });
      assert.equal(ms.status, 201);
      await hub.http.post(`/api/v1/manuscripts/${ms.body.id}/submit`).set(as('vd.editor'));
      for (const r of ['vd.r1', 'vd.r2'])
        assert.equal(
          (await hub.http.post(`/api/v1/manuscripts/${ms.body.id}/reviews`).set(as(r)).send({ decision: 'approve' })).status,
          200,
        );
      const pub = await hub.http
        .post(`/api/v1/manuscripts/${ms.body.id}/publications`)
        .set(as('vd.editor'))
        .send({ accountIds: [accountId] });
      assert.equal(pub.status, 201, JSON.stringify(pub.body));
      const done = await pollUntil(
        async () => {
          const v = await hub.http.get(`/api/v1/publications/${pub.body.id}`).set(as('vd.editor'));
          const s = v.body.targets[0].state;
          if (['failed', 'unconfirmed', 'needs_reauth'].includes(s)) throw new Error(`${s}: ${v.body.targets[0].lastError}`);
          return s === 'published' ? v.body : null;
        },
        { timeoutMs: 60_000, intervalMs: 100, what: 'video published' },
      );
      assert.ok(done.targets[0].remoteId);
      const posts = (await sw.sim.posts('douyin', simId)).filter((p) => !p.deleted);
      assert.equal(posts.length, 1, 'exactly one video');
    });

    it('hands render the probed duration: a 1000-second video shows its length and breaks Douyin’s 15-minute limit in the preview', async () => {
      const up = await hub.http
        .post('/api/v1/media')
        .set(as('vd.editor'))
        .attach('file', buildTestMp4(2 * 1024 * 1024, 1000), '长视频.mp4');
      assert.equal(up.status, 201, JSON.stringify(up.body));
      assert.equal(up.body.durationSec, 1000);
      const ms = await hub.http
        .post('/api/v1/manuscripts')
        .set(as('vd.editor'))
        .send({
          title: '甲市一县长视频',
          summary: '',
          body: '<p>长视频。</p>',
          category: 'news',
          source: { type: 'original' },
          mediaIds: [up.body.id],
        });
      assert.equal(ms.status, 201, ms.text);
      const preview = await hub.http.get(`/api/v1/manuscripts/${ms.body.id}/renditions`).set(as('vd.editor'));
      assert.equal(preview.status, 200, preview.text);
      const douyin = preview.body.items.find((i: { accountId: string }) => i.accountId === accountId);
      assert.ok(douyin, JSON.stringify(preview.body.items));
      const v = douyin.rendition.violations.find((x: { constraint: string }) => x.constraint === 'video.maxDurationSec');
      assert.ok(v, `no duration violation: ${JSON.stringify(douyin.rendition.violations)}`);
      assert.equal(v.actual, 1000);
      assert.equal(v.limit, 900);
    });
  });
}
