import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ActorLoader, makeCreditCode, Role, UnitLevel } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { AccountReauthService } from '@tongfa/plugins';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World, UnitKey } from './support/world';
import { pollUntil } from './support/poll';
import { startSandboxWorld, SandboxWorld } from './support/sandbox-accounts';
import { uploadCover } from './support/publish-kit';

type Side = 'old' | 'new';
type Who = 'sup' | 'aud' | 'duty' | 'admin' | 'rev' | 'ed';

/** What one official at a city sees of the moved unit and its child, per endpoint. */
type Sight = Record<string, string[]>;

/**
 * 机构改革: 甲市二县 (with a township under it) moves from 甲市 to 乙市. Everything of the county and
 * of the township — units, users, accounts, approvals, filings, media, manuscripts, pending reviews,
 * review chains, publications, alerts, API keys, audit — leaves the sight of every official of 甲市
 * through every list and get endpoint, and comes into the sight of 乙市's.
 */
for (const driver of testDrivers()) {
  describe(`moving a unit takes everything of its subtree along (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sw: SandboxWorld;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    const ids = {
      units: [] as string[],
      users: [] as string[],
      accounts: [] as string[],
      filings: [] as string[],
      media: [] as string[],
      manuscripts: [] as string[],
      pending: [] as string[],
      publications: [] as string[],
      alerts: [] as string[],
      apiKeys: [] as string[],
    };
    let townId = '';
    const versionOf = new Map<string, string>();
    let auditBefore: number[] = [];

    const officials: Record<Side, Record<Who, string>> = {
      old: { sup: 'old.sup', aud: 'old.aud', duty: 'old.duty', admin: 'old.admin', rev: 'old.rev', ed: 'old.ed' },
      new: { sup: 'new.sup', aud: 'new.aud', duty: 'new.duty', admin: 'new.admin', rev: 'new.rev', ed: 'new.ed' },
    };
    const cityOf = (side: Side) => (side === 'old' ? world.units.cityA.id : world.units.cityB.id);

    const get = (who: string, path: string) => hub.http.get(`/api/v1${path}`).set(as(who));
    /** Every item of a paged list. */
    async function all<T>(who: string, path: string): Promise<T[]> {
      const out: T[] = [];
      for (let page = 1; page < 100; page++) {
        const res = await get(who, `${path}${path.includes('?') ? '&' : '?'}page=${page}&pageSize=200`);
        assert.equal(res.status, 200, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
        out.push(...(res.body.items as T[]));
        if (out.length >= res.body.total || res.body.items.length === 0) return out;
      }
      throw new Error(`${path} did not end`);
    }
    /** The ids among `wanted` that a get endpoint shows `who` (200), the others must be 404 or 403. */
    async function gettable(who: string, wanted: string[], path: (id: string) => string): Promise<string[]> {
      const seen: string[] = [];
      for (const id of wanted) {
        const res = await get(who, path(id));
        if (res.status === 200) seen.push(id);
        else assert.ok([403, 404].includes(res.status), `${path(id)} as ${who}: ${res.status} ${JSON.stringify(res.body)}`);
      }
      return seen;
    }
    const among = (wanted: string[], found: Iterable<string>) => {
      const f = new Set(found);
      return wanted.filter((id) => f.has(id)).sort();
    };

    /** Everything `side`'s officials see of the moved subtree, endpoint by endpoint. */
    async function sight(side: Side): Promise<Sight> {
      const o = officials[side];
      const s: Sight = {};
      s['GET /units'] = among(
        ids.units,
        (await all<{ id: string }>(o.sup, '/units')).map((u) => u.id),
      );
      s['GET /units?parentId='] = among(
        ids.units,
        (await all<{ id: string }>(o.sup, `/units?parentId=${world.units.countyA2.id}`)).map((u) => u.id),
      );
      s['GET /units/:id'] = await gettable(o.sup, ids.units, (id) => `/units/${id}`);
      const tree = (await get(o.sup, `/units/${cityOf(side)}/tree`)).body as { id: string; children: unknown[] };
      const inTree: string[] = [];
      const walk = (n: { id: string; children: unknown[] }) => {
        inTree.push(n.id);
        n.children.forEach((c) => walk(c as typeof n));
      };
      walk(tree);
      s['GET /units/:id/tree'] = among(ids.units, inTree);
      s['GET /units/:id/tree (moved)'] = await gettable(o.sup, ids.units, (id) => `/units/${id}/tree`);
      s['GET /users'] = among(
        ids.users,
        (await all<{ id: string }>(o.sup, '/users')).map((u) => u.id),
      );
      s['GET /users (unit admin)'] = among(
        ids.users,
        (await all<{ id: string }>(o.admin, '/users')).map((u) => u.id),
      );
      s['GET /users/:id'] = await gettable(o.sup, ids.users, (id) => `/users/${id}`);
      s['GET /accounts'] = among(
        ids.accounts,
        (await all<{ id: string }>(o.sup, '/accounts')).map((a) => a.id),
      );
      s['GET /accounts/:id'] = await gettable(o.sup, ids.accounts, (id) => `/accounts/${id}`);
      s['GET /filings'] = among(
        ids.filings,
        (await all<{ id: string }>(o.sup, '/filings')).map((f) => f.id),
      );
      const matrix = (await get(o.sup, '/matrix')).body as { rows: { unitId: string; cells: Record<string, [string][]> }[] };
      s['GET /matrix (units)'] = among(
        ids.units,
        matrix.rows.map((r) => r.unitId),
      );
      s['GET /matrix (accounts)'] = among(
        ids.accounts,
        matrix.rows.flatMap((r) => Object.values(r.cells).flatMap((cs) => cs.map((c) => c[0]))),
      );
      s['GET /matrix?unitId='] =
        (await get(o.sup, `/matrix?unitId=${world.units.countyA2.id}`)).status === 200 ? [world.units.countyA2.id] : [];
      s['GET /manuscripts'] = among(
        ids.manuscripts,
        (await all<{ id: string }>(o.sup, '/manuscripts')).map((m) => m.id),
      );
      s['GET /manuscripts (editor above)'] = among(
        ids.manuscripts,
        (await all<{ id: string }>(o.ed, '/manuscripts')).map((m) => m.id),
      );
      s['GET /manuscripts/:id'] = await gettable(o.sup, ids.manuscripts, (id) => `/manuscripts/${id}`);
      s['GET /manuscripts/:id/versions'] = await gettable(o.sup, ids.manuscripts, (id) => `/manuscripts/${id}/versions`);
      s['GET /manuscripts/:id/versions/:versionId'] = await gettable(
        o.sup,
        ids.manuscripts,
        (id) => `/manuscripts/${id}/versions/${versionOf.get(id)}`,
      );
      s['GET /manuscripts/:id/reviews'] = await gettable(o.sup, ids.manuscripts, (id) => `/manuscripts/${id}/reviews`);
      s['GET /manuscripts/:id/renditions'] = await gettable(o.ed, ids.manuscripts, (id) => `/manuscripts/${id}/renditions`);
      const pending = (await get(o.rev, '/reviews/pending')).body as { items: { manuscriptId: string }[] };
      s['GET /reviews/pending'] = among(
        ids.pending,
        pending.items.map((p) => p.manuscriptId),
      );
      s['GET /units/:id/review-chains'] = await gettable(o.sup, ids.units, (id) => `/units/${id}/review-chains`);
      s['GET /units/:id/review-chains (unit admin)'] = await gettable(o.admin, ids.units, (id) => `/units/${id}/review-chains`);
      s['GET /publications'] = among(
        ids.publications,
        (await all<{ id: string }>(o.sup, '/publications')).map((p) => p.id),
      );
      s['GET /publications/:id'] = await gettable(o.sup, ids.publications, (id) => `/publications/${id}`);
      s['GET /publications/:id/attempts'] = await gettable(o.sup, ids.publications, (id) => `/publications/${id}/attempts`);
      s['GET /media/:id'] = await gettable(o.sup, ids.media, (id) => `/media/${id}`);
      s['GET /media/:id/content'] = await gettable(o.sup, ids.media, (id) => `/media/${id}/content`);
      s['GET /alerts'] = among(
        ids.alerts,
        (await all<{ id: string }>(o.duty, '/alerts')).map((a) => a.id),
      );
      s['GET /api-keys'] = among(
        ids.apiKeys,
        (await all<{ id: string }>(o.admin, '/api-keys')).map((k) => k.id),
      );
      const audit = await all<{ seq: number; unitId: string | null }>(o.aud, '/audit');
      s['GET /audit'] = audit
        .filter((e) => e.unitId && ids.units.includes(e.unitId))
        .map((e) => String(e.seq))
        .sort();
      return s;
    }

    const expected = (): Sight => ({
      'GET /units': [...ids.units].sort(),
      'GET /units?parentId=': [townId],
      'GET /units/:id': ids.units,
      'GET /units/:id/tree': [...ids.units].sort(),
      'GET /units/:id/tree (moved)': ids.units,
      'GET /users': [...ids.users].sort(),
      'GET /users (unit admin)': [...ids.users].sort(),
      'GET /users/:id': ids.users,
      'GET /accounts': [...ids.accounts].sort(),
      'GET /accounts/:id': ids.accounts,
      'GET /filings': [...ids.filings].sort(),
      'GET /matrix (units)': [...ids.units].sort(),
      'GET /matrix (accounts)': [...ids.accounts].sort(),
      'GET /matrix?unitId=': [world.units.countyA2.id],
      'GET /manuscripts': [...ids.manuscripts].sort(),
      'GET /manuscripts (editor above)': [...ids.manuscripts].sort(),
      'GET /manuscripts/:id': ids.manuscripts,
      'GET /manuscripts/:id/versions': ids.manuscripts,
      'GET /manuscripts/:id/versions/:versionId': ids.manuscripts,
      'GET /manuscripts/:id/reviews': ids.manuscripts,
      'GET /manuscripts/:id/renditions': ids.manuscripts,
      'GET /reviews/pending': [...ids.pending].sort(),
      'GET /units/:id/review-chains': ids.units,
      'GET /units/:id/review-chains (unit admin)': ids.units,
      'GET /publications': [...ids.publications].sort(),
      'GET /publications/:id': ids.publications,
      'GET /publications/:id/attempts': ids.publications,
      'GET /media/:id': ids.media,
      'GET /media/:id/content': ids.media,
      'GET /alerts': [...ids.alerts].sort(),
      'GET /api-keys': [...ids.apiKeys].sort(),
      'GET /audit': auditBefore.map(String).sort(),
    });
    const nothing = (s: Sight): Sight => Object.fromEntries(Object.keys(s).map((k) => [k, []]));

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      const people: [string, Role, UnitKey, number?][] = [
        ['mv.op', Role.PlatformOperator, 'province'],
        ['old.sup', Role.Supervisor, 'cityA'],
        ['old.aud', Role.Auditor, 'cityA'],
        ['old.duty', Role.DutyOfficer, 'cityA'],
        ['old.admin', Role.UnitAdmin, 'cityA'],
        ['old.rev', Role.Reviewer, 'cityA', 1],
        ['old.ed', Role.Editor, 'cityA'],
        ['new.sup', Role.Supervisor, 'cityB'],
        ['new.aud', Role.Auditor, 'cityB'],
        ['new.duty', Role.DutyOfficer, 'cityB'],
        ['new.admin', Role.UnitAdmin, 'cityB'],
        ['new.rev', Role.Reviewer, 'cityB', 1],
        ['new.ed', Role.Editor, 'cityB'],
        ['mv.editor', Role.Editor, 'countyA2'],
        ['mv.admin', Role.UnitAdmin, 'countyA2'],
        ['mv.r1', Role.Reviewer, 'countyA2', 1],
        ['mv.r2', Role.Reviewer, 'countyA2', 2],
        ['mv.duty', Role.DutyOfficer, 'countyA2'],
      ];
      for (const [u, role, unit, level] of people) {
        const made = await world.user(u, role, unit, { level });
        if (u.startsWith('mv.') && u !== 'mv.op') ids.users.push(made.id);
        t.set(u, await login(hub.http, u));
      }
      ids.units.push(world.units.countyA2.id);

      // A township under the county, with people of its own.
      const town = await hub.http
        .post('/api/v1/units')
        .set(as('mv.op'))
        .send({
          name: '甲市二县城关镇人民政府',
          level: UnitLevel.Township,
          parentId: world.units.countyA2.id,
          creditCode: makeCreditCode('980122', 31_000_001),
          regionCode: '980122',
        });
      assert.equal(town.status, 201, JSON.stringify(town.body));
      townId = town.body.id;
      ids.units.push(townId);
      world.units['town' as UnitKey] = town.body;
      for (const [u, role] of [
        ['tn.editor', Role.Editor],
        ['tn.admin', Role.UnitAdmin],
      ] as const) {
        ids.users.push((await world.user(u, role, 'town' as UnitKey)).id);
        t.set(u, await login(hub.http, u));
      }

      // Accounts: a connected one in the county (approved by 甲市: an approval and an open filing),
      // a connected one in the township whose authorization dies (account and duty alerts), and one
      // the township applied for that waits for approval.
      sw = await startSandboxWorld(hub);
      const actors = hub.app.get(ActorLoader);
      const actor = async (u: string) => actors.forUser(world.users.get(u)!.id);
      const county = await sw.connect(await actor('mv.admin'), await actor('old.sup'), world.units.countyA2.id, 'own-app', '甲市二县发布');
      const townAcct = await sw.connect(await actor('tn.admin'), await actor('old.sup'), townId, 'own-app', '城关镇发布');
      ids.accounts.push(county.account.id, townAcct.account.id);
      const applied = await hub.http
        .post('/api/v1/accounts')
        .set(as('tn.admin'))
        .send({ unitId: townId, platform: 'toutiao', name: '城关镇发布' });
      assert.equal(applied.status, 201, JSON.stringify(applied.body));
      ids.accounts.push(applied.body.id);
      assert.ok(await hub.app.get(AccountReauthService).markNeedsReauth(townAcct.account.id, 'token revoked'));
      ids.filings.push(
        ...(await all<{ id: string; unitId: string }>('old.sup', '/filings')).filter((f) => ids.units.includes(f.unitId)).map((f) => f.id),
      );
      assert.ok(ids.filings.length >= 2, 'each approved account owes an opening filing');
      ids.alerts.push(
        ...(await all<{ id: string; unitId: string }>('old.duty', '/alerts')).filter((a) => ids.units.includes(a.unitId)).map((a) => a.id),
      );
      assert.ok(ids.alerts.length >= 1, 'the dead authorization alerts the duty officers');

      // Media, manuscripts (one published, one waiting for review, one draft in the township).
      const cover = await uploadCover(hub, t.get('mv.editor')!);
      const townPic = await uploadCover(hub, t.get('tn.editor')!, '#a72');
      ids.media.push(cover, townPic);
      const write = async (who: string, title: string, media?: string) => {
        const res = await hub.http
          .post('/api/v1/manuscripts')
          .set(as(who))
          .send({
            title,
            summary: '机构改革前的稿件',
            body: `<p>${title}。县政府召开专题会议，部署便民服务工作。</p>`,
            category: 'news',
            source: { type: 'original' },
            ...(media ? { coverMediaId: media, mediaIds: [media] } : {}),
          });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        ids.manuscripts.push(res.body.id);
        versionOf.set(res.body.id, res.body.version.id);
        return res.body.id as string;
      };
      // Submitted, since a draft never submitted is its own unit's editors' alone.
      const submit = async (id: string, who = 'mv.editor') => {
        const res = await hub.http.post(`/api/v1/manuscripts/${id}/submit`).set(as(who));
        assert.equal(res.status, 200, JSON.stringify(res.body));
      };
      const published = await write('mv.editor', '甲市二县召开便民服务部署会', cover);
      await submit(published);
      for (const r of ['mv.r1', 'mv.r2']) {
        const res = await hub.http.post(`/api/v1/manuscripts/${published}/reviews`).set(as(r)).send({ decision: 'approve' });
        assert.equal(res.status, 200, JSON.stringify(res.body));
      }
      const pub = await hub.http
        .post(`/api/v1/manuscripts/${published}/publications`)
        .set(as('mv.editor'))
        .send({ accountIds: [county.account.id] });
      assert.equal(pub.status, 201, JSON.stringify(pub.body));
      ids.publications.push(pub.body.id);
      await pollUntil(async () => (await get('mv.editor', `/publications/${pub.body.id}`)).body.status === 'published', {
        timeoutMs: 20_000,
        what: 'the county publication published',
      });
      const waiting = await write('mv.editor', '甲市二县公布便民服务清单');
      await submit(waiting);
      ids.pending.push(waiting);
      const townMs = await write('tn.editor', '城关镇推进便民服务站建设', townPic);
      await submit(townMs, 'tn.editor');
      ids.pending.push(townMs);

      // Review chains of their own, and API keys.
      for (const [who, unitId] of [
        ['mv.admin', world.units.countyA2.id],
        ['tn.admin', townId],
      ] as const) {
        const chains = await hub.http
          .put(`/api/v1/units/${unitId}/review-chains`)
          .set(as(who))
          .send({ chains: [{ category: 'notice', steps: [{ level: 1 }, { level: 2 }] }] });
        assert.equal(chains.status, 200, JSON.stringify(chains.body));
        const key = await hub.http
          .post('/api/v1/api-keys')
          .set(as(who))
          .send({ name: '稿件同步', unitId, grants: [{ role: Role.UnitAdmin, unitId }] });
        assert.equal(key.status, 201, JSON.stringify(key.body));
        ids.apiKeys.push(key.body.id);
      }

      auditBefore = (await all<{ seq: number; unitId: string | null }>('old.aud', '/audit'))
        .filter((e) => e.unitId && ids.units.includes(e.unitId))
        .map((e) => e.seq);
      assert.ok(auditBefore.length >= 10, `the subtree's decisions are in 甲市's audit log (${auditBefore.length})`);
    });
    after(async () => {
      await sw?.close();
      await hub?.close();
    });

    it('before the move, 甲市 sees all of it and 乙市 none', async () => {
      assert.deepEqual(await sight('old'), expected());
      assert.deepEqual(await sight('new'), nothing(expected()));
    });

    it('after the move, 甲市 sees none of it through any endpoint and 乙市 all of it', async () => {
      const res = await hub.http
        .patch(`/api/v1/units/${world.units.countyA2.id}`)
        .set(as('mv.op'))
        .send({ parentId: world.units.cityB.id });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.path, `${world.units.cityB.path}${world.units.countyA2.id}/`);
      assert.deepEqual(await sight('old'), nothing(expected()));
      const now = await sight('new');
      // The move itself is a decision about the county: 乙市's auditors read it too.
      assert.ok(now['GET /audit']!.length > auditBefore.length, 'the move is recorded in the county’s log');
      now['GET /audit'] = now['GET /audit']!.filter((seq) => auditBefore.includes(Number(seq)));
      assert.deepEqual(now, expected());
    });

    it('keeps new records of the moved subtree under its new place', async () => {
      const res = await hub.http
        .post('/api/v1/manuscripts')
        .set(as('tn.editor'))
        .send({
          title: '城关镇划转后第一篇稿件',
          summary: '划转后',
          body: '<p>城关镇划转后第一篇稿件。</p>',
          category: 'news',
          source: { type: 'original' },
        });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal((await hub.http.post(`/api/v1/manuscripts/${res.body.id}/submit`).set(as('tn.editor'))).status, 200);
      assert.equal((await get('new.sup', `/manuscripts/${res.body.id}`)).status, 200);
      assert.equal((await get('old.sup', `/manuscripts/${res.body.id}`)).status, 404);
    });

    it('refuses a move under the unit itself or its own descendant', async () => {
      for (const parentId of [world.units.countyA2.id, townId]) {
        const res = await hub.http.patch(`/api/v1/units/${world.units.countyA2.id}`).set(as('mv.op')).send({ parentId });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.match(res.body.message, /下级|自身|本单位/);
      }
      const root = await hub.http
        .patch(`/api/v1/units/${world.units.province.id}`)
        .set(as('mv.op'))
        .send({ parentId: world.units.cityA.id });
      assert.equal(root.status, 400, JSON.stringify(root.body));
    });

    it('refuses a move that breaks the level hierarchy', async () => {
      // A city under a county, a county under a township, a county under a department.
      for (const [unit, parent] of [
        [world.units.cityA.id, world.units.countyB1.id],
        [world.units.countyA1.id, townId],
        [world.units.countyA1.id, world.units.deptA.id],
      ]) {
        const res = await hub.http.patch(`/api/v1/units/${unit}`).set(as('mv.op')).send({ parentId: parent });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.match(res.body.message, /级|level/);
      }
    });

    it('keeps the tree whole under concurrent moves and creates', async () => {
      const mk = async (name: string, level: UnitLevel, parentId: string, serial: number) => {
        const res = await hub.http
          .post('/api/v1/units')
          .set(as('mv.op'))
          .send({ name, level, parentId, creditCode: makeCreditCode('980100', serial), regionCode: '980100' });
        return res;
      };
      const deptB = await mk('乙市发展改革委', UnitLevel.Department, world.units.cityB.id, 31_000_100);
      assert.equal(deptB.status, 201, JSON.stringify(deptB.body));
      const a = world.units.deptA.id;
      const b = deptB.body.id as string;
      for (let round = 0; round < 4; round++) {
        // Two departments moved under each other at once: one move must lose, never both win.
        const [ab, ba, child] = await Promise.all([
          hub.http.patch(`/api/v1/units/${a}`).set(as('mv.op')).send({ parentId: b }),
          hub.http.patch(`/api/v1/units/${b}`).set(as('mv.op')).send({ parentId: a }),
          // And a unit created under one of them while it moves.
          mk(`甲市教育局第${round}科`, UnitLevel.Department, a, 31_000_200 + round),
        ]);
        assert.equal(child.status, 201, JSON.stringify(child.body));
        assert.deepEqual([ab.status, ba.status].sort(), [200, 400], `round ${round}: ${JSON.stringify([ab.body, ba.body])}`);
        // Put them back side by side for the next round.
        for (const [id, parent] of [
          [a, world.units.cityA.id],
          [b, world.units.cityB.id],
        ]) {
          const res = await hub.http.patch(`/api/v1/units/${id}`).set(as('mv.op')).send({ parentId: parent });
          assert.equal(res.status, 200, JSON.stringify(res.body));
        }
      }
      // Every unit's path is its parent's path and its own id; every user's copy is its unit's path.
      const units = await all<{ id: string; parentId: string | null; path: string; depth: number }>('mv.op', '/units');
      const byId = new Map(units.map((u) => [u.id, u]));
      for (const u of units) {
        if (!u.parentId) continue;
        const parent = byId.get(u.parentId)!;
        assert.equal(u.path, `${parent.path}${u.id}/`, `the path of ${u.id}`);
        assert.equal(u.depth, parent.depth + 1, `the depth of ${u.id}`);
      }
    });

    it('refuses a move by a unit admin who does not administer the new parent', async () => {
      const res = await hub.http
        .patch(`/api/v1/units/${world.units.countyA1.id}`)
        .set(as('old.admin'))
        .send({ parentId: world.units.cityB.id });
      assert.ok([403, 404].includes(res.status), JSON.stringify(res.body));
      const unit = await get('old.sup', `/units/${world.units.countyA1.id}`);
      assert.equal(unit.body.parentId, world.units.cityA.id);
    });
  });
}
