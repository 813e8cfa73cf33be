import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';

const draft = (over: Record<string, unknown> = {}) => ({
  title: '关于进一步优化营商环境的政策解读',
  summary: '解读要点',
  body: '<p>一、总体要求</p><script>alert(1)</script><p onclick="x()">二、主要措施</p>',
  category: 'policy',
  source: { type: 'original' },
  ...over,
});

for (const driver of testDrivers()) {
  describe(`manuscripts and ordered review (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      await world.user('ms.editor', Role.Editor, 'countyA1');
      await world.user('ms.editor2', Role.Editor, 'countyA1');
      await world.user('ms.editorA2', Role.Editor, 'countyA2');
      await world.user('ms.r1', Role.Reviewer, 'countyA1', { level: 1 });
      await world.user('ms.r2', Role.Reviewer, 'countyA1', { level: 2 });
      await world.user('ms.r3', Role.Reviewer, 'cityA', { level: 3 });
      await world.user('ms.r1b', Role.Reviewer, 'countyB1', { level: 1 });
      await world.user('ms.sup', Role.Supervisor, 'cityA');
      await world.user('ms.admin', Role.UnitAdmin, 'countyA1');
      for (const u of world.users.keys()) t.set(u, await login(hub.http, u));
    });
    after(() => hub.close());

    async function write(who = 'ms.editor', over: Record<string, unknown> = {}) {
      const res = await hub.http.post('/api/v1/manuscripts').set(as(who)).send(draft(over));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; version: { id: string; bodyHtml: string } };
    }
    const review = (who: string, id: string, decision: 'approve' | 'reject', extra: Record<string, unknown> = {}) =>
      hub.http
        .post(`/api/v1/manuscripts/${id}/reviews`)
        .set(as(who))
        .send({ decision, ...extra });

    it('stores a sanitized first version and keeps drafts within the editors of the unit', async () => {
      const ms = await write();
      assert.ok(!/script|onclick/.test(ms.version.bodyHtml), ms.version.bodyHtml);
      assert.equal((await hub.http.get(`/api/v1/manuscripts/${ms.id}`).set(as('ms.editor2'))).status, 200);
      for (const outsider of ['ms.editorA2', 'ms.sup', 'ms.r1', 'ms.admin']) {
        assert.equal((await hub.http.get(`/api/v1/manuscripts/${ms.id}`).set(as(outsider))).status, 404, outsider);
      }
      const list = await hub.http.get('/api/v1/manuscripts').set(as('ms.editorA2'));
      assert.ok(!list.body.items.some((m: { id: string }) => m.id === ms.id));
    });

    it('walks a policy manuscript through three steps in order, each by its level, never by the author', async () => {
      const ms = await write();
      const submit = await hub.http.post(`/api/v1/manuscripts/${ms.id}/submit`).set(as('ms.editor'));
      assert.equal(submit.status, 200);
      assert.equal(submit.body.status, 'in_review');
      assert.deepEqual(
        submit.body.chain.steps.map((s: { level: number }) => s.level),
        [1, 2, 3],
      );

      assert.equal(
        (await hub.http.get(`/api/v1/manuscripts/${ms.id}`).set(as('ms.sup'))).status,
        200,
        'submitted work is visible over the subtree',
      );
      const pending1 = await hub.http.get('/api/v1/reviews/pending').set(as('ms.r1'));
      assert.ok(pending1.body.items.some((p: { manuscriptId: string; level: number }) => p.manuscriptId === ms.id && p.level === 1));
      assert.ok(
        !(await hub.http.get('/api/v1/reviews/pending').set(as('ms.r2'))).body.items.some(
          (p: { manuscriptId: string }) => p.manuscriptId === ms.id,
        ),
      );
      assert.ok(
        !(await hub.http.get('/api/v1/reviews/pending').set(as('ms.r1b'))).body.items.some(
          (p: { manuscriptId: string }) => p.manuscriptId === ms.id,
        ),
      );

      assert.equal((await review('ms.r2', ms.id, 'approve')).status, 403, 'level 2 cannot act on step 1');
      assert.equal((await review('ms.editor', ms.id, 'approve')).status, 403, 'the author cannot review');
      assert.equal((await review('ms.r1b', ms.id, 'approve')).status, 404, 'a reviewer of another county does not see it');
      const s1 = await review('ms.r1', ms.id, 'approve', { comment: '初审同意', versionId: ms.version.id });
      assert.equal(s1.status, 200, JSON.stringify(s1.body));
      assert.deepEqual(s1.body.approvedSteps, [0]);
      assert.equal((await review('ms.r1', ms.id, 'approve')).status, 403, 'one person, one step of a version');
      assert.equal((await review('ms.r2', ms.id, 'approve')).status, 200);
      const s3 = await review('ms.r3', ms.id, 'approve');
      assert.equal(s3.body.status, 'approved');
      assert.equal(s3.body.approvedVersionId, ms.version.id);

      const history = await hub.http.get(`/api/v1/manuscripts/${ms.id}/reviews`).set(as('ms.editor'));
      assert.deepEqual(
        history.body.map((d: { level: number }) => d.level),
        [1, 2, 3],
      );
      assert.equal(history.body[0].comment, '初审同意');
    });

    it('sends an approved manuscript back to review when it is edited (先审后发)', async () => {
      const ms = await write('ms.editor', { category: 'news' });
      await hub.http.post(`/api/v1/manuscripts/${ms.id}/submit`).set(as('ms.editor'));
      await review('ms.r1', ms.id, 'approve');
      const done = await review('ms.r2', ms.id, 'approve');
      assert.equal(done.body.status, 'approved');
      const same = await hub.http
        .patch(`/api/v1/manuscripts/${ms.id}`)
        .set(as('ms.editor'))
        .send({ title: '关于进一步优化营商环境的政策解读' });
      assert.equal(same.body.reopened, false, 'a save without changes makes no version');
      const edit = await hub.http.patch(`/api/v1/manuscripts/${ms.id}`).set(as('ms.editor2')).send({ title: '更正后的标题' });
      assert.equal(edit.status, 200);
      assert.equal(edit.body.reopened, true);
      assert.equal(edit.body.status, 'draft');
      assert.equal(edit.body.currentVersionNumber, 2);
      const versions = await hub.http.get(`/api/v1/manuscripts/${ms.id}/versions`).set(as('ms.editor'));
      assert.deepEqual(
        versions.body.map((v: { number: number }) => v.number),
        [2, 1],
      );
      assert.equal(versions.body[1].title, '关于进一步优化营商环境的政策解读', 'earlier versions stay as they were');
    });

    it('returns a rejected manuscript to the editor, who may resubmit', async () => {
      const ms = await write('ms.editor', { category: 'notice' });
      await hub.http.post(`/api/v1/manuscripts/${ms.id}/submit`).set(as('ms.editor'));
      const rej = await review('ms.r1', ms.id, 'reject', { comment: '数据需核实' });
      assert.equal(rej.body.status, 'rejected');
      assert.equal((await review('ms.r2', ms.id, 'approve')).status, 409);
      await hub.http.patch(`/api/v1/manuscripts/${ms.id}`).set(as('ms.editor')).send({ summary: '已核实' });
      assert.equal((await hub.http.post(`/api/v1/manuscripts/${ms.id}/submit`).set(as('ms.editor'))).body.status, 'in_review');
      assert.equal((await review('ms.r1', ms.id, 'approve')).status, 200, 'a new version is reviewed afresh');
    });

    it('refuses a decision on a version that has since changed', async () => {
      const ms = await write('ms.editor', { category: 'news' });
      await hub.http.post(`/api/v1/manuscripts/${ms.id}/submit`).set(as('ms.editor'));
      await hub.http.patch(`/api/v1/manuscripts/${ms.id}`).set(as('ms.editor')).send({ title: '改了标题' });
      assert.equal((await review('ms.r1', ms.id, 'approve', { versionId: ms.version.id })).status, 409);
    });

    it('lets emergency steps be approved in any order', async () => {
      const ms = await write('ms.editor', { category: 'emergency' });
      const sub = await hub.http.post(`/api/v1/manuscripts/${ms.id}/submit`).set(as('ms.editor'));
      assert.equal(sub.body.chain.parallel, true);
      assert.equal((await review('ms.r3', ms.id, 'approve')).status, 200);
      assert.equal((await review('ms.r1', ms.id, 'approve')).status, 200);
      assert.equal((await review('ms.r2', ms.id, 'approve')).body.status, 'approved');
    });

    it('uses the nearest unit’s chain and lets the unit admin set it', async () => {
      const before = await hub.http.get(`/api/v1/units/${world.units.countyA1.id}/review-chains`).set(as('ms.admin'));
      assert.equal(before.status, 200);
      assert.equal(before.body.find((c: { category: string }) => c.category === 'news').isDefault, true);
      const put = await hub.http
        .put(`/api/v1/units/${world.units.countyA1.id}/review-chains`)
        .set(as('ms.admin'))
        .send({ chains: [{ category: 'news', steps: [{ level: 2, name: '值班审核' }] }] });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.equal(
        (await hub.http.put(`/api/v1/units/${world.units.countyA1.id}/review-chains`).set(as('ms.editor')).send({ chains: [] })).status,
        403,
      );
      const bad = await hub.http
        .put(`/api/v1/units/${world.units.countyA1.id}/review-chains`)
        .set(as('ms.admin'))
        .send({ chains: [{ category: 'news', steps: [{ level: 1 }, { level: 1 }] }] });
      assert.equal(bad.status, 400);
      const ms = await write('ms.editor', { category: 'news' });
      await hub.http.post(`/api/v1/manuscripts/${ms.id}/submit`).set(as('ms.editor'));
      assert.equal((await review('ms.r1', ms.id, 'approve')).status, 403);
      assert.equal((await review('ms.r2', ms.id, 'approve')).body.status, 'approved');
    });

    it('runs the compliance checks: secrecy blocks submission; personal data and typos wait for the reviewer', async () => {
      const secret = await write('ms.editor', { category: 'news', body: '<p>本文件为内部资料，请勿外传。</p>' });
      const blocked = await hub.http.post(`/api/v1/manuscripts/${secret.id}/submit`).set(as('ms.editor'));
      assert.equal(blocked.status, 400);
      assert.equal(blocked.body.code, 'COMPLIANCE_BLOCKED');

      const ms = await write('ms.editor', { category: 'notice', body: '<p>咨询电话 13812345678，我们将再接再励。</p>' });
      const check = await hub.http.post(`/api/v1/manuscripts/${ms.id}/check`).set(as('ms.editor'));
      assert.equal(check.status, 200);
      const ids = check.body.warnings.map((w: { id: string }) => w.id);
      assert.ok(
        check.body.warnings.some((w: { category: string }) => w.category === 'privacy'),
        'the mobile number is flagged for the reviewer',
      );
      assert.ok(ids.length >= 2, JSON.stringify(check.body));
      const submit = await hub.http.post(`/api/v1/manuscripts/${ms.id}/submit`).set(as('ms.editor'));
      assert.equal(submit.status, 200, 'personal data does not stop the editor');
      const silent = await review('ms.r1', ms.id, 'approve');
      assert.equal(silent.status, 400);
      assert.ok(['COMPLIANCE_BLOCKED', 'WARNINGS_UNACKNOWLEDGED'].includes(silent.body.code));
      const ok = await review('ms.r1', ms.id, 'approve', { acknowledged: ids });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual(ok.body.decision.acknowledged.sort(), [...ids].sort());
    });

    it('names bad input fields and refuses a reprint without its source unit', async () => {
      const res = await hub.http
        .post('/api/v1/manuscripts')
        .set(as('ms.editor'))
        .send({ ...draft(), category: 'gossip', extra: 1 });
      assert.equal(res.status, 400);
      const fields = res.body.details.map((d: { field: string }) => d.field);
      assert.ok(fields.includes('category') && fields.includes('extra'));
      const reprint = await hub.http
        .post('/api/v1/manuscripts')
        .set(as('ms.editor'))
        .send(draft({ category: 'reprint', source: { type: 'reprint' } }));
      assert.equal(reprint.status, 400);
      assert.equal(reprint.body.details[0].field, 'source.unitName');
      assert.equal((await hub.http.post('/api/v1/manuscripts').set(as('ms.r1')).send(draft())).status, 403, 'reviewers do not write');
    });
  });
}
