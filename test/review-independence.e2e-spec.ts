import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Role, UsersService } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { startTestHub, TestHub } from './support/test-hub';
import { login, PASSWORD, World } from './support/world';

const draft = (over: Record<string, unknown> = {}) => ({
  title: '我县召开优化营商环境工作推进会',
  summary: '会议部署下一阶段重点工作',
  body: '<p>会议听取了各部门工作汇报。</p><p>会议要求，各部门要进一步压实责任。</p>',
  category: 'news',
  source: { type: 'original' },
  ...over,
});

/**
 * 审核独立: whoever wrote any version of the current review cycle may not decide it, even when
 * they also hold the reviewer role. The cycle is every version since the last one the whole chain
 * approved; a rejection does not start a new one.
 */
for (const driver of testDrivers()) {
  describe(`review independence (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      await world.user('ri.editorA', Role.Editor, 'countyA1');
      await world.user('ri.r1', Role.Reviewer, 'countyA1', { level: 1 });
      await world.user('ri.r2', Role.Reviewer, 'countyA1', { level: 2 });
      // B edits and reviews at the same county: both roles, granted by someone else.
      const a1 = world.units.countyA1.id;
      await hub.app.get(UsersService).create(
        null,
        {
          username: 'ri.editorReviewerB',
          displayName: '乙',
          unitId: a1,
          password: PASSWORD,
          roles: [
            { role: Role.Editor, unitId: a1 },
            { role: Role.Reviewer, unitId: a1, level: 1 },
          ],
        },
        { permanent: true },
      );
      for (const u of [...world.users.keys(), 'ri.editorReviewerB']) t.set(u, await login(hub.http, u));
    });
    after(() => hub.close());

    async function write(who: string): Promise<string> {
      const res = await hub.http.post('/api/v1/manuscripts').set(as(who)).send(draft());
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id as string;
    }
    async function edit(who: string, id: string, n: number) {
      const res = await hub.http
        .patch(`/api/v1/manuscripts/${id}`)
        .set(as(who))
        .send({ body: `<p>会议听取了各部门工作汇报。</p><p>第${n}次修改：各部门要进一步压实责任。</p>` });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    async function submit(id: string) {
      const res = await hub.http.post(`/api/v1/manuscripts/${id}/submit`).set(as('ri.editorA'));
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    const review = (who: string, id: string, decision: 'approve' | 'reject') =>
      hub.http.post(`/api/v1/manuscripts/${id}/reviews`).set(as(who)).send({ decision, comment: '意见' });
    const pendingFor = async (who: string) =>
      ((await hub.http.get('/api/v1/reviews/pending').set(as(who))).body.items as { manuscriptId: string }[]).map((p) => p.manuscriptId);
    const status = async (id: string) => (await hub.http.get(`/api/v1/manuscripts/${id}`).set(as('ri.editorA'))).body.status as string;

    it('refuses a reviewer who edited a version of this cycle, to approve or to reject, with a clear Chinese message', async () => {
      const id = await write('ri.editorA');
      await edit('ri.editorReviewerB', id, 2);
      await submit(id);
      assert.ok(!(await pendingFor('ri.editorReviewerB')).includes(id), 'not offered to B for review');
      for (const decision of ['approve', 'reject'] as const) {
        const res = await review('ri.editorReviewerB', id, decision);
        assert.equal(res.status, 403, JSON.stringify(res.body));
        assert.equal(res.body.code, 'REVIEW_OWN_VERSION');
        assert.match(res.body.message, /撰写或修改过.*第 2 版/);
      }
      assert.equal(await status(id), 'in_review', 'nothing moved');
      assert.ok((await pendingFor('ri.r1')).includes(id));
      assert.equal((await review('ri.r1', id, 'approve')).status, 200, 'an independent reviewer decides it');
    });

    it('keeps the cycle open across a rejection: the rejected text is still in the next version', async () => {
      const id = await write('ri.editorA');
      await edit('ri.editorReviewerB', id, 2);
      await submit(id);
      assert.equal((await review('ri.r1', id, 'reject')).status, 200);
      await edit('ri.editorA', id, 3);
      await submit(id);
      const res = await review('ri.editorReviewerB', id, 'approve');
      assert.equal(res.status, 403, JSON.stringify(res.body));
      assert.equal(res.body.code, 'REVIEW_OWN_VERSION');
      assert.equal(await status(id), 'in_review');
    });

    it('starts a new cycle after the whole chain approved: a later version written by others is B’s to review', async () => {
      const id = await write('ri.editorA');
      await edit('ri.editorReviewerB', id, 2);
      await submit(id);
      assert.equal((await review('ri.r1', id, 'approve')).status, 200);
      assert.equal((await review('ri.r2', id, 'approve')).status, 200);
      assert.equal(await status(id), 'approved');
      // A correction by A alone: B's version 2 was reviewed by others already.
      await edit('ri.editorA', id, 3);
      await submit(id);
      assert.ok((await pendingFor('ri.editorReviewerB')).includes(id));
      const res = await review('ri.editorReviewerB', id, 'approve');
      assert.equal(res.status, 200, JSON.stringify(res.body));
    });
  });
}
