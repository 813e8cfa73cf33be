import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ActorLoader, Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { startSandboxWorld, SandboxWorld } from './support/sandbox-accounts';
import { approvedManuscript } from './support/publish-kit';
import { pollUntil } from './support/poll';

/**
 * An Idempotency-Key is bound to what it was first used for: the same manuscript and the same
 * body (compared canonically) replay the original response; another manuscript, another body or
 * another operation is a 409 with a Chinese message, never the original and never a second post.
 * Keys are the caller's: another unit's editor neither sees nor collides with them.
 */
for (const driver of testDrivers()) {
  describe(`Idempotency-Key bound to its request (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sw: SandboxWorld;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    const accounts: Record<string, string> = {};
    const tokens = () => ({ editor: t.get('ik.editor')!, reviewers: ['ik.r1', 'ik.r2', 'ik.r3'].map((r) => t.get(r)!) });

    const publish = (who: string, manuscriptId: string, key: string, body: Record<string, unknown>) =>
      hub.http.post(`/api/v1/manuscripts/${manuscriptId}/publications`).set(as(who)).set('Idempotency-Key', key).send(body);
    const publications = async () => (await hub.http.get('/api/v1/publications?pageSize=200').set(as('ik.editor'))).body.total as number;

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      for (const [u, role, unit, level] of [
        ['ik.editor', Role.Editor, 'countyA1', 0],
        ['ik.admin', Role.UnitAdmin, 'countyA1', 0],
        ['ik.sup', Role.Supervisor, 'cityA', 0],
        ['ik.r1', Role.Reviewer, 'countyA1', 1],
        ['ik.r2', Role.Reviewer, 'countyA1', 2],
        ['ik.r3', Role.Reviewer, 'countyA1', 3],
        ['ik.other', Role.Editor, 'countyB1', 0],
      ] as const) {
        await world.user(u, role, unit, { level: level || undefined });
        t.set(u, await login(hub.http, u));
      }
      sw = await startSandboxWorld(hub);
      const actors = hub.app.get(ActorLoader);
      const admin = await actors.forUser(world.users.get('ik.admin')!.id);
      const sup = await actors.forUser(world.users.get('ik.sup')!.id);
      for (const [platform, name] of [
        ['own-app', '甲市一县发布'],
        ['nanfang', '甲市一县发布'],
      ] as const) {
        accounts[platform] = (await sw.connect(admin, sup, world.units.countyA1.id, platform, name)).account.id;
      }
    });
    after(async () => {
      await sw?.close();
      await hub?.close();
    });

    it('replays the original for the same manuscript and body, in any key order and account order', async () => {
      const ms = await approvedManuscript(hub, tokens(), { title: '甲市一县幂等发布测试一' });
      const body = { accountIds: [accounts['own-app'], accounts.nanfang] };
      const first = await publish('ik.editor', ms, 'ik-same', body);
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const again = await publish('ik.editor', ms, 'ik-same', { accountIds: [accounts.nanfang, accounts['own-app'], accounts.nanfang] });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.id, first.body.id);
    });

    it('refuses the same key for another manuscript or another body with 409, in Chinese', async () => {
      const ms = await approvedManuscript(hub, tokens(), { title: '甲市一县幂等发布测试二' });
      const other = await approvedManuscript(hub, tokens(), { title: '甲市一县幂等发布测试三' });
      const first = await publish('ik.editor', ms, 'ik-bound', { accountIds: [accounts['own-app']] });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const before = await publications();
      for (const [label, manuscriptId, body] of [
        ['another manuscript', other, { accountIds: [accounts['own-app']] }],
        ['other accounts', ms, { accountIds: [accounts.nanfang] }],
        ['more accounts', ms, { accountIds: [accounts['own-app'], accounts.nanfang] }],
        [
          'a schedule added',
          ms,
          { accountIds: [accounts['own-app']], scheduledAt: new Date(hub.clock.now().getTime() + 3_600_000).toISOString() },
        ],
      ] as const) {
        const res = await publish('ik.editor', manuscriptId, 'ik-bound', body);
        assert.equal(res.status, 409, `${label}: ${res.status} ${JSON.stringify(res.body)}`);
        assert.equal(res.body.code, 'IDEMPOTENCY_KEY_REUSED');
        assert.match(res.body.message, /Idempotency-Key 已用于另一个请求/);
        assert.notEqual(res.body.id, first.body.id, 'the original is not returned');
      }
      assert.equal(await publications(), before, 'no second publication');
      // The other manuscript still publishes under a key of its own.
      assert.equal((await publish('ik.editor', other, 'ik-other', { accountIds: [accounts['own-app']] })).status, 201);
    });

    it('binds a correction’s key to its reason', async () => {
      const ms = await approvedManuscript(hub, tokens(), { title: '甲市一县幂等更正测试' });
      const pub = await publish('ik.editor', ms, 'ik-pub-for-correction', { accountIds: [accounts['own-app']] });
      assert.equal(pub.status, 201, JSON.stringify(pub.body));
      await pollUntil(
        async () => (await hub.http.get(`/api/v1/publications/${pub.body.id}`).set(as('ik.editor'))).body.status === 'published',
        {
          timeoutMs: 20_000,
          what: 'published',
        },
      );
      const edit = await hub.http
        .patch(`/api/v1/manuscripts/${ms}`)
        .set(as('ik.editor'))
        .send({ body: '<p>甲市一县幂等更正测试。更正后的正文：为进一步优化政务服务，县政府出台便民举措。</p>' });
      assert.equal(edit.status, 200, JSON.stringify(edit.body));
      assert.equal((await hub.http.post(`/api/v1/manuscripts/${ms}/submit`).set(as('ik.editor'))).status, 200);
      for (const r of ['ik.r1', 'ik.r2', 'ik.r3']) {
        assert.equal((await hub.http.post(`/api/v1/manuscripts/${ms}/reviews`).set(as(r)).send({ decision: 'approve' })).status, 200);
      }
      const correct = (reason: string) =>
        hub.http
          .post(`/api/v1/publications/${pub.body.id}/corrections`)
          .set(as('ik.editor'))
          .set('Idempotency-Key', 'ik-correction')
          .send({ reason });
      const first = await correct('正文数据有误，已更正');
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.equal((await correct('正文数据有误，已更正')).body.id, first.body.id);
      const other = await correct('另一个更正理由');
      assert.equal(other.status, 409, JSON.stringify(other.body));
      assert.equal(other.body.code, 'IDEMPOTENCY_KEY_REUSED');
    });

    it('keeps keys per caller: another unit’s editor can neither replay nor collide with them', async () => {
      const ms = await approvedManuscript(hub, tokens(), { title: '甲市一县幂等发布测试四' });
      const first = await publish('ik.editor', ms, 'ik-private', { accountIds: [accounts['own-app']] });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const probe = await publish('ik.other', ms, 'ik-private', { accountIds: [accounts['own-app']] });
      assert.equal(probe.status, 404, JSON.stringify(probe.body));
      assert.equal(probe.body.id, undefined, 'the original publication is not returned');
    });
  });
}
