import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ActorLoader, Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { AuditEntry } from '@tongfa/audit';
import { AccountsService } from '@tongfa/accounts';
import { AccountConnectionsService, PluginHost } from '@tongfa/plugins';
import { MANUAL_REMOVAL_NOTE, Publication, PublicationTarget, Reconciler } from '@tongfa/publishing';
import { SandboxClient, startSimulators, type RunningSimulators, type InspectedPost } from '@tongfa/plugin-sdk/testing';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { pollUntil } from './support/poll';
import { startSandboxWorld, SandboxWorld } from './support/sandbox-accounts';
import { restPlatformSimulator } from './fixtures/plugins/rest-platform';
import { EDITABLE } from './fixtures/plugins/editable';
import sharp from 'sharp';
import { PERMANENT } from './fixtures/plugins/permanent';

const BUILT_IN = ['douyin', 'nanfang', 'own-app', 'toutiao', 'wechat', 'weibo'];
const fixture = (name: string) => resolve(__dirname, 'fixtures', 'plugins', name, 'index.js');

interface TargetBody {
  id: string;
  accountId: string;
  platform: string;
  state: string;
  remoteId: string | null;
  correctionMode: string | null;
  replacesTargetId: string | null;
  supersededBy: string | null;
  note: string | null;
  lastError: string | null;
}

/**
 * Corrections (更正): a published manuscript is edited, reviewed again, and corrected on every
 * platform it went to. Each platform takes the path its plugin allows: the built-ins retract and
 * republish, a platform with an edit API edits in place, one that can do neither gets a new post
 * and a note. The simulators' inspection APIs must show the outcome, post by post.
 */
for (const driver of testDrivers()) {
  describe(`corrections of published posts (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sw: SandboxWorld;
    let fx: RunningSimulators;
    let fxClient: SandboxClient;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    const accountIds: string[] = [];
    const simIds = new Map<string, string>();
    let manuscriptId = '';
    let originalId = '';
    let original: { targets: TargetBody[] } = { targets: [] };
    let correctionId = '';

    const posts = (platform: string): Promise<InspectedPost[]> =>
      platform.startsWith('fixture-') ? fxClient.posts(platform, simIds.get(platform)) : sw.sim.posts(platform, simIds.get(platform));
    const review = async (ms: string) => {
      for (const r of ['co.r1', 'co.r2']) {
        const res = await hub.http.post(`/api/v1/manuscripts/${ms}/reviews`).set(as(r)).send({ decision: 'approve' });
        assert.equal(res.status, 200, JSON.stringify(res.body));
      }
    };
    const correct = (key?: string) => {
      const req = hub.http.post(`/api/v1/publications/${originalId}/corrections`).set(as('co.editor'));
      if (key) req.set('Idempotency-Key', key);
      return req.send({ reason: '第二段数据有误，“十项”应为“十二项”' });
    };

    before(async () => {
      hub = await startTestHub(driver, { TONGFA_PLUGINS: [fixture('editable'), fixture('permanent')].join(',') });
      world = await World.build(hub.app);
      for (const [u, role, unit, level] of [
        ['co.editor', Role.Editor, 'countyA1', 0],
        ['co.admin', Role.UnitAdmin, 'countyA1', 0],
        ['co.sup', Role.Supervisor, 'cityA', 0],
        ['co.r1', Role.Reviewer, 'countyA1', 1],
        ['co.r2', Role.Reviewer, 'countyA1', 2],
      ] as const) {
        await world.user(u, role, unit, { level: level || undefined });
        t.set(u, await login(hub.http, u));
      }
      sw = await startSandboxWorld(hub);
      const actors = hub.app.get(ActorLoader);
      const admin = await actors.forUser(world.users.get('co.admin')!.id);
      const sup = await actors.forUser(world.users.get('co.sup')!.id);
      for (const platform of BUILT_IN) {
        const { account, simAccountId } = await sw.connect(admin, sup, world.units.countyA1.id, platform, '甲市一县发布');
        accountIds.push(account.id);
        simIds.set(platform, simAccountId);
      }
      // The fixture platforms run on the host's simulator harness, beside the sandbox.
      fx = await startSimulators([restPlatformSimulator(EDITABLE), restPlatformSimulator(PERMANENT)]);
      fxClient = new SandboxClient(fx.url);
      hub.app.get(PluginHost).allowSandboxOrigin(fx.url);
      const accounts = hub.app.get(AccountsService);
      const connections = hub.app.get(AccountConnectionsService);
      for (const platform of [EDITABLE.id, PERMANENT.id]) {
        const { account } = await accounts.create(admin, { unitId: world.units.countyA1.id, platform, name: '甲市一县发布' });
        await accounts.decide(sup, account.id, 'approve', null);
        const sim = fx.get(platform);
        await connections.useSandbox(account.id, sim.endpointsFor(fx.url, ['api']));
        const simAccount = sim.createAccount('甲市一县发布');
        await connections.connectInternally(account.id, simAccount.credentials);
        accountIds.push(account.id);
        simIds.set(platform, simAccount.id);
      }
    });
    after(async () => {
      await fx?.close();
      await sw?.close();
      await hub?.close();
    });

    it('publishes the first approved version to every platform', async () => {
      const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#27a' } })
        .jpeg()
        .toBuffer();
      const media = await hub.http.post('/api/v1/media').set(as('co.editor')).attach('file', photo, '封面.jpg');
      assert.equal(media.status, 201);
      const res = await hub.http
        .post('/api/v1/manuscripts')
        .set(as('co.editor'))
        .send({
          title: '甲市一县推出十项便民服务举措',
          summary: '县政务服务中心推出便民举措',
          body: '<p>县政务服务中心近日推出十项便民服务举措。</p><p>一是推行延时服务；二是推行预约服务。</p>',
          category: 'news',
          source: { type: 'original' },
          coverMediaId: media.body.id,
          mediaIds: [media.body.id],
        });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      manuscriptId = res.body.id;
      assert.equal((await hub.http.post(`/api/v1/manuscripts/${manuscriptId}/submit`).set(as('co.editor'))).status, 200);
      await review(manuscriptId);
      const pub = await hub.http.post(`/api/v1/manuscripts/${manuscriptId}/publications`).set(as('co.editor')).send({ accountIds });
      assert.equal(pub.status, 201, JSON.stringify(pub.body));
      originalId = pub.body.id;
      original = await pollUntil(
        async () => {
          const v = await hub.http.get(`/api/v1/publications/${originalId}`).set(as('co.editor'));
          return v.body.targets.every((x: TargetBody) => x.state === 'published') ? v.body : null;
        },
        { timeoutMs: 60_000, intervalMs: 100, what: 'every target published' },
      );
      assert.equal(original.targets.length, 8);
      for (const target of original.targets) {
        const live = (await posts(target.platform)).filter((p) => !p.deleted);
        assert.equal(live.length, 1, `${target.platform}: one post`);
      }
    });

    it('refuses a correction while the manuscript has no newer approved version, saying why (409)', async () => {
      const same = await correct();
      assert.equal(same.status, 409);
      assert.equal(same.body.code, 'CORRECTION_NOT_APPROVED');
      assert.match(same.body.message, /先审后发/);
      const en = await hub.http
        .post(`/api/v1/publications/${originalId}/corrections`)
        .set(as('co.editor'))
        .set('Accept-Language', 'en')
        .send({ reason: '数据有误' });
      assert.match(en.body.message, /no approved version newer than the published one \(v1\)/);

      const edit = await hub.http.patch(`/api/v1/manuscripts/${manuscriptId}`).set(as('co.editor')).send({
        title: '甲市一县推出十二项便民服务举措（更正）',
        body: '<p>县政务服务中心近日推出十二项便民服务举措。</p><p>一是推行延时服务；二是推行预约服务。</p>',
      });
      assert.equal(edit.status, 200, JSON.stringify(edit.body));
      assert.equal(edit.body.status, 'draft');
      assert.equal((await hub.http.post(`/api/v1/manuscripts/${manuscriptId}/submit`).set(as('co.editor'))).status, 200);
      const inReview = await correct();
      assert.equal(inReview.status, 409, 'an edited version still in review cannot correct anything');
      assert.equal(inReview.body.code, 'CORRECTION_NOT_APPROVED');
      // Nothing moved: every original post is still live and its target still published.
      const rows = await hub.ds.getRepository(PublicationTarget).find({ where: { publicationId: originalId } });
      assert.ok(rows.every((r) => r.state === 'published' && r.supersededBy === null));
    });

    it('corrects a reviewed new version once per Idempotency-Key, choosing each platform’s path', async () => {
      await review(manuscriptId);
      const key = `correct-${originalId}`;
      const res = await correct(key);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const again = await correct(key);
      assert.equal(again.status, 200);
      assert.equal(again.body.id, res.body.id, 'the same Idempotency-Key returns the same correction');
      correctionId = res.body.id;
      assert.equal(res.body.correctionOf, originalId);
      assert.equal(res.body.correctionReason, '第二段数据有误，“十项”应为“十二项”');
      assert.equal(res.body.targets.length, 8);
      const byPlatform = new Map<string, TargetBody>(res.body.targets.map((x: TargetBody) => [x.platform, x]));
      for (const p of BUILT_IN) assert.equal(byPlatform.get(p)!.correctionMode, 'replace', `${p} retracts, then republishes`);
      assert.equal(byPlatform.get(EDITABLE.id)!.correctionMode, 'edit');
      assert.equal(byPlatform.get(PERMANENT.id)!.correctionMode, 'republish');
      assert.equal(byPlatform.get(PERMANENT.id)!.note, MANUAL_REMOVAL_NOTE);
      for (const x of res.body.targets as TargetBody[]) {
        assert.equal(x.replacesTargetId, original.targets.find((o) => o.platform === x.platform)!.id);
      }
      const otherKey = await hub.http
        .post(`/api/v1/manuscripts/${manuscriptId}/publications`)
        .set(as('co.editor'))
        .set('Idempotency-Key', key)
        .send({ accountIds });
      // The key stays bound to what it first made: a publication request with it is refused.
      assert.equal(otherKey.status, 409, JSON.stringify(otherKey.body));
      assert.equal(otherKey.body.code, 'IDEMPOTENCY_KEY_REUSED');
    });

    it('leaves exactly one live, corrected post per account where the platform allows it', async () => {
      const done = await pollUntil(
        async () => {
          const v = await hub.http.get(`/api/v1/publications/${correctionId}`).set(as('co.editor'));
          return v.body.targets.every((x: TargetBody) => x.state === 'published') ? v.body : null;
        },
        { timeoutMs: 60_000, intervalMs: 100, what: 'every correction target published' },
      );
      assert.equal(done.status, 'published');
      const corrected = (p: InspectedPost) => p.title.includes('十二项') || p.text.includes('十二项');
      for (const target of done.targets as TargetBody[]) {
        const all = await posts(target.platform);
        const live = all.filter((p) => !p.deleted);
        const old = original.targets.find((o) => o.platform === target.platform)!;
        if (target.correctionMode === 'republish') {
          // Neither edit nor retract: the old post stays until someone removes it by hand; the note says so.
          assert.equal(live.length, 2, `${target.platform}: the old post and the new one`);
          assert.equal(live.filter(corrected).length, 1);
          assert.equal(target.note, MANUAL_REMOVAL_NOTE);
          continue;
        }
        assert.equal(live.length, 1, `${target.platform}: exactly one live post, saw ${JSON.stringify(all.map((p) => [p.id, p.deleted]))}`);
        assert.ok(corrected(live[0]!), `${target.platform}: the live post carries the correction`);
        if (target.correctionMode === 'edit') {
          assert.equal(all.length, 1, 'edited in place, no second post');
          assert.equal(target.remoteId, old.remoteId, 'the remote id stays the same');
          // The inspection API shows no platform extras; the simulator's own record counts the edits.
          assert.equal(fx.get(target.platform).findPost(live[0]!.id)!.extra.revisions, 1);
        } else {
          assert.equal(all.length, 2, `${target.platform}: the old post and its replacement`);
          assert.equal(all.filter((p) => p.deleted).length, 1, `${target.platform}: the old post was deleted`);
          assert.ok(!corrected(all.find((p) => p.deleted)!), `${target.platform}: the deleted one is the old version`);
          assert.notEqual(target.remoteId, old.remoteId);
        }
      }
    });

    it('records on the original that its posts were superseded, and audits the correction', async () => {
      const v = await hub.http.get(`/api/v1/publications/${originalId}`).set(as('co.editor'));
      assert.equal(v.body.status, 'superseded');
      const correction = await hub.http.get(`/api/v1/publications/${correctionId}`).set(as('co.editor'));
      for (const o of v.body.targets as TargetBody[]) {
        const successor = correction.body.targets.find((x: TargetBody) => x.platform === o.platform);
        assert.equal(o.supersededBy, successor.id, `${o.platform}: superseded by its correction target`);
        assert.equal(o.state, successor.correctionMode === 'replace' ? 'retracted' : 'superseded', o.platform);
      }
      const retracts = await hub.http.get(`/api/v1/publications/${originalId}/attempts`).set(as('co.editor'));
      assert.equal(
        retracts.body.filter((a: { kind: string }) => a.kind === 'retract').length,
        BUILT_IN.length,
        'one retract per retracted post',
      );
      const edits = await hub.http.get(`/api/v1/publications/${correctionId}/attempts`).set(as('co.editor'));
      assert.equal(edits.body.filter((a: { kind: string }) => a.kind === 'edit').length, 1);
      const audit = await hub.ds.getRepository(AuditEntry).find({ where: { action: 'publication.correct', targetId: correctionId } });
      assert.equal(audit.length, 1, 'one audit entry, not one per idempotent retry');
      assert.equal((audit[0]!.after as { correctionOf: string }).correctionOf, originalId);
    });

    it('moves a replacement on from the record alone after a crash between retract and publish', async () => {
      // The state a crash leaves: the old post's retract has ended but its replacement was never
      // released. One original was retracted, the other's retract failed.
      const repo = hub.ds.getRepository(PublicationTarget);
      const template = (await repo.find({ where: { publicationId: correctionId } })).filter((x) => x.correctionMode === 'replace');
      const [a, b] = [template.find((x) => x.platform === 'own-app')!, template.find((x) => x.platform === 'weibo')!];
      const base = await hub.ds.getRepository(Publication).findOneByOrFail({ id: correctionId });
      const pubs = [randomUUID(), randomUUID()];
      for (const [i, id] of pubs.entries()) {
        await hub.ds
          .getRepository(Publication)
          .insert({ ...base, id, idempotencyKey: `crash-${id}`, correctionOf: i ? pubs[0]! : originalId });
      }
      const row = (t: PublicationTarget, publicationId: string, patch: Partial<PublicationTarget>) =>
        ({
          ...t,
          id: randomUUID(),
          publicationId,
          claimedBy: null,
          claimedUntil: null,
          dispatchedAt: null,
          dispatches: 0,
          ...patch,
        }) as PublicationTarget;
      const oldA = row(a, pubs[0]!, { state: 'retracted', correctionMode: null, replacesTargetId: null });
      const oldB = row(b, pubs[0]!, { state: 'retract_failed', correctionMode: null, replacesTargetId: null, lastError: '平台拒绝删除' });
      const newA = row(a, pubs[1]!, {
        state: 'awaiting_retract',
        remoteId: null,
        url: null,
        replacesTargetId: oldA.id,
        nextAttemptAt: null,
      });
      const newB = row(b, pubs[1]!, {
        state: 'awaiting_retract',
        remoteId: null,
        url: null,
        replacesTargetId: oldB.id,
        nextAttemptAt: null,
      });
      for (const r of [oldA, oldB, newA, newB]) await repo.insert(r as never);
      const before = (await posts('own-app')).length;

      await hub.app.get(Reconciler).sweep();
      const settled = await pollUntil(
        async () => {
          const [x, y] = [await repo.findOneByOrFail({ id: newA.id }), await repo.findOneByOrFail({ id: newB.id })];
          return x.state === 'published' && y.state === 'failed' ? { x, y } : null;
        },
        { timeoutMs: 30_000, intervalMs: 100, what: 'the replacements settled' },
      );
      assert.match(settled!.y.lastError!, /原稿撤回失败，为避免两稿并存未发布更正稿/);
      const after = await posts('own-app');
      assert.equal(after.length, before + 1, 'the released replacement published once');
      assert.equal(after.filter((p) => p.idempotencyMarker === newA.id).length, 1);
    });

    it('refuses to correct the same posts twice', async () => {
      const res = await correct();
      assert.equal(res.status, 409);
      assert.equal(res.body.code, 'CORRECTION_NOTHING_TO_CORRECT');
    });
    it('hands the post back to the original target when the platform refuses the edit', async () => {
      const edit = await hub.http
        .patch(`/api/v1/manuscripts/${manuscriptId}`)
        .set(as('co.editor'))
        .send({ summary: '县政务服务中心推出十二项便民举措（再次更正）' });
      assert.equal(edit.status, 200, JSON.stringify(edit.body));
      assert.equal((await hub.http.post(`/api/v1/manuscripts/${manuscriptId}/submit`).set(as('co.editor'))).status, 200);
      await review(manuscriptId);
      // The platform stops accepting the account's key: the edit cannot be made.
      await fxClient.setFaults(EDITABLE.id, { rate: 1, kinds: ['token_expired'] });
      try {
        const res = await hub.http
          .post(`/api/v1/publications/${correctionId}/corrections`)
          .set(as('co.editor'))
          .send({ reason: '摘要补充说明' });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        const done = await pollUntil(
          async () => {
            const v = await hub.http.get(`/api/v1/publications/${res.body.id}`).set(as('co.editor'));
            return v.body.targets.every((x: TargetBody) => ['published', 'failed', 'needs_reauth'].includes(x.state)) ? v.body : null;
          },
          { timeoutMs: 60_000, intervalMs: 100, what: 'the second correction settled' },
        );
        const edited = done.targets.find((x: TargetBody) => x.platform === EDITABLE.id);
        assert.equal(edited.state, 'needs_reauth');
        assert.match(edited.lastError, /更正未生效，平台上仍是原稿/);
        const prior = await hub.http.get(`/api/v1/publications/${correctionId}`).set(as('co.editor'));
        const back = prior.body.targets.find((x: TargetBody) => x.platform === EDITABLE.id);
        assert.equal(back.state, 'published', 'the earlier target holds the live post again');
        assert.equal(back.supersededBy, null);
        assert.ok(done.targets.filter((x: TargetBody) => x.platform !== EDITABLE.id).every((x: TargetBody) => x.state === 'published'));
      } finally {
        await fxClient.setFaults(EDITABLE.id, { rate: 0, kinds: [] });
      }
    });
  });
}
