import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ActorLoader, Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { Manuscript, ManuscriptVersion } from '@tongfa/manuscripts';
import { Media } from '@tongfa/media';
import { Publication, PublicationTarget } from '@tongfa/publishing';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { pollUntil } from './support/poll';
import { startSandboxWorld, SandboxWorld } from './support/sandbox-accounts';
import { approvedManuscript, uploadCover } from './support/publish-kit';

/**
 * A manuscript may carry only its own unit's uploads: another unit's media id in the cover, the
 * images or the body is refused when written, and again when a version is rendered or published
 * (a version saved before the rule, or media that changed hands since).
 */
for (const driver of testDrivers()) {
  describe(`a manuscript uses only its own unit's media (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sw: SandboxWorld;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    let accountId = '';
    let simAccountId = '';
    let own = '';
    let foreign = '';
    const tokens = () => ({ editor: t.get('mo.editor')!, reviewers: ['mo.r1', 'mo.r2', 'mo.r3'].map((r) => t.get(r)!) });
    const draft = (extra: Record<string, unknown>) => ({
      title: '甲市一县便民服务',
      summary: '要点',
      body: '<p>为进一步优化政务服务，县政府出台便民举措。</p>',
      category: 'news',
      source: { type: 'original' },
      ...extra,
    });
    const counts = async () => ({
      manuscripts: await hub.ds.getRepository(Manuscript).count(),
      versions: await hub.ds.getRepository(ManuscriptVersion).count(),
    });

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      for (const [u, role, unit, level] of [
        ['mo.editor', Role.Editor, 'countyA1', 0],
        ['mo.admin', Role.UnitAdmin, 'countyA1', 0],
        ['mo.sup', Role.Supervisor, 'cityA', 0],
        ['mo.r1', Role.Reviewer, 'countyA1', 1],
        ['mo.r2', Role.Reviewer, 'countyA1', 2],
        ['mo.r3', Role.Reviewer, 'countyA1', 3],
        ['mo.otherEditor', Role.Editor, 'countyB1', 0],
      ] as const) {
        await world.user(u, role, unit, { level: level || undefined });
        t.set(u, await login(hub.http, u));
      }
      own = await uploadCover(hub, t.get('mo.editor')!);
      foreign = await uploadCover(hub, t.get('mo.otherEditor')!, '#a27');
      sw = await startSandboxWorld(hub);
      const actors = hub.app.get(ActorLoader);
      const admin = await actors.forUser(world.users.get('mo.admin')!.id);
      const sup = await actors.forUser(world.users.get('mo.sup')!.id);
      const c = await sw.connect(admin, sup, world.units.countyA1.id, 'own-app', '甲市一县发布');
      accountId = c.account.id;
      simAccountId = c.simAccountId;
    });
    after(async () => {
      await sw?.close();
      await hub.close();
    });

    it("refuses another unit's media as cover, image or body picture on create, naming the field", async () => {
      const before = await counts();
      const cover = await hub.http
        .post('/api/v1/manuscripts')
        .set(as('mo.editor'))
        .send(draft({ coverMediaId: foreign }));
      assert.equal(cover.status, 400, JSON.stringify(cover.body));
      assert.equal(cover.body.code, 'MANUSCRIPT_MEDIA_NOT_OWNED');
      assert.match(cover.body.message, /封面/);
      assert.deepEqual(
        cover.body.details.map((d: { field: string }) => d.field),
        ['coverMediaId'],
      );

      const images = await hub.http
        .post('/api/v1/manuscripts')
        .set(as('mo.editor'))
        .send(draft({ mediaIds: [own, foreign] }));
      assert.equal(images.status, 400);
      assert.match(images.body.message, /图片/);
      assert.doesNotMatch(images.body.message, /封面/);
      assert.deepEqual(
        images.body.details.map((d: { field: string }) => d.field),
        ['mediaIds[1]'],
      );

      const body = await hub.http
        .post('/api/v1/manuscripts')
        .set(as('mo.editor'))
        .send(
          draft({ body: `<p>图文</p><img data-media-id="${foreign}" src="https://hub.example.gov.cn/api/v1/media/${foreign}/content">` }),
        );
      assert.equal(body.status, 400);
      assert.match(body.body.message, /正文图片/);
      assert.equal(body.body.details[0].field, 'body');

      const bySrc = await hub.http
        .post('/api/v1/manuscripts')
        .set(as('mo.editor'))
        .send(draft({ body: `<p>图文</p><img src="/api/v1/media/${foreign}/content">` }));
      assert.equal(bySrc.status, 400, 'a bare link to the media path names it too');

      const missing = await hub.http
        .post('/api/v1/manuscripts')
        .set(as('mo.editor'))
        .send(draft({ coverMediaId: '00000000-0000-4000-8000-000000000000' }));
      assert.equal(missing.status, 400, 'an id that does not exist reads the same as a foreign one');
      assert.deepEqual(await counts(), before, 'nothing was stored');

      const ok = await hub.http
        .post('/api/v1/manuscripts')
        .set(as('mo.editor'))
        .send(
          draft({ coverMediaId: own, mediaIds: [own], body: `<p>图文</p><img data-media-id="${own}" src="/api/v1/media/${own}/content">` }),
        );
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
    });

    it("refuses another unit's media on edit and keeps the previous version", async () => {
      const created = await hub.http
        .post('/api/v1/manuscripts')
        .set(as('mo.editor'))
        .send(draft({ coverMediaId: own }));
      assert.equal(created.status, 201);
      const before = await counts();
      const patch = await hub.http.patch(`/api/v1/manuscripts/${created.body.id}`).set(as('mo.editor')).send({ coverMediaId: foreign });
      assert.equal(patch.status, 400);
      assert.equal(patch.body.code, 'MANUSCRIPT_MEDIA_NOT_OWNED');
      assert.match(patch.body.message, /封面/);
      const patchImages = await hub.http
        .patch(`/api/v1/manuscripts/${created.body.id}`)
        .set(as('mo.editor'))
        .send({ mediaIds: [foreign] });
      assert.equal(patchImages.status, 400);
      assert.match(patchImages.body.message, /图片/);
      assert.deepEqual(await counts(), before, 'no new version');
      const now = await hub.http.get(`/api/v1/manuscripts/${created.body.id}`).set(as('mo.editor'));
      assert.equal(now.body.version.coverMediaId, own);
    });

    it("refuses to render or publish a stored version that names another unit's media", async () => {
      const id = await approvedManuscript(hub, tokens(), { title: '甲市一县旧版本引用他人图片', coverMediaId: own });
      // A version saved before the rule existed: written straight to the database.
      const ms = await hub.ds.getRepository(Manuscript).findOneByOrFail({ id });
      await hub.ds.getRepository(ManuscriptVersion).update({ id: ms.currentVersionId }, { coverMediaId: foreign });
      const preview = await hub.http.get(`/api/v1/manuscripts/${id}/renditions`).set(as('mo.editor'));
      assert.equal(preview.status, 400, JSON.stringify(preview.body));
      assert.match(preview.body.message, /封面/);
      const pubs = await hub.ds.getRepository(Publication).count();
      const res = await hub.http
        .post(`/api/v1/manuscripts/${id}/publications`)
        .set(as('mo.editor'))
        .send({ accountIds: [accountId] });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.code, 'MANUSCRIPT_MEDIA_NOT_OWNED');
      assert.match(res.body.message, /封面/);
      assert.equal(await hub.ds.getRepository(Publication).count(), pubs, 'no publication was written');
    });

    it('stops a scheduled publication whose media changed hands before it ran', async () => {
      const mine = await uploadCover(hub, t.get('mo.editor')!, '#27a');
      const id = await approvedManuscript(hub, tokens(), { title: '甲市一县定时发布图片易主', coverMediaId: mine });
      const res = await hub.http
        .post(`/api/v1/manuscripts/${id}/publications`)
        .set(as('mo.editor'))
        .send({ accountIds: [accountId], scheduledAt: new Date(hub.clock.now().getTime() + 1500).toISOString() });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      await hub.ds.getRepository(Media).update({ id: mine }, { unitId: world.units.countyB1.id, unitPath: world.units.countyB1.path });
      const target = await pollUntil<PublicationTarget | false>(
        async () => {
          const row = await hub.ds.getRepository(PublicationTarget).findOneBy({ publicationId: res.body.id });
          return row && ['failed', 'published'].includes(row.state) ? row : false;
        },
        { timeoutMs: 20_000, what: 'the scheduled target settled' },
      );
      if (!target) throw new Error('unreachable');
      assert.equal(target.state, 'failed');
      assert.match(target.lastError ?? '', /不属于本单位/);
      const posts = (await sw.sim.posts('own-app', simAccountId)).filter((p) => p.title === '甲市一县定时发布图片易主');
      assert.equal(posts.length, 0, 'nothing reached the platform');
    });
  });
}
