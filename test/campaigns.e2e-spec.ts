import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { ActorLoader, Role, UnitLevel, UnitsService, User, UsersService, makeCreditCode } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { AuditEntry } from '@tongfa/audit';
import { LexiconKind, LexiconService } from '@tongfa/compliance';
import { Assignment, DetectionService, RelaysService, RemindersService } from '@tongfa/campaigns';
import { PublicationTarget } from '@tongfa/publishing';
import { In } from 'typeorm';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { pollUntil } from './support/poll';
import { startSandboxWorld, SandboxWorld } from './support/sandbox-accounts';
import { approvedManuscript, uploadCover } from './support/publish-kit';

const MIN = 60_000;
const COUNTIES = ['A1', 'A2', 'A3', 'A4', 'A5', 'A6'] as const;
type County = (typeof COUNTIES)[number];
const TITLE = '甲市关于优化营商环境十条措施的政策解读';
// What approvedManuscript writes as the body: a native repost copies it.
const BODY_TEXT = `${TITLE}。为进一步优化政务服务，县政府出台便民举措。一是推行延时服务；二是推行预约服务。`;

/**
 * 矩阵联动 end to end: a city supervisor issues a campaign from an approved (and published) city
 * manuscript to its six counties on Weibo and 南方号; two counties relay it through their own
 * review chains, one reposts natively and is detected, one proves a native post by URL, one is
 * exempted, one misses the deadline and is reminded and escalated; the dashboard and the xlsx
 * report agree; units outside the subtree see nothing; the source's retraction offers the relays'.
 */
for (const driver of testDrivers()) {
  describe(`joint posting campaigns (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sw: SandboxWorld;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    const county = new Map<County, string>();
    const sim = new Map<string, string>(); // `${county}:${platform}` → simulator account id
    let sourceManuscript = '';
    let sourcePublication = '';
    let campaignId = '';
    const assignmentsOf = new Map<string, { id: string; state: string }>(); // `${county}:${platform}`

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      const units = hub.app.get(UnitsService);
      county.set('A1', world.units.countyA1.id);
      county.set('A2', world.units.countyA2.id);
      for (const [i, c] of (['A3', 'A4', 'A5', 'A6'] as const).entries()) {
        const u = await units.create(null, {
          name: `甲市${['三', '四', '五', '六'][i]}县政府办公室`,
          level: UnitLevel.County,
          parentId: world.units.cityA.id,
          creditCode: makeCreditCode('980123', 30_000_000 + i),
          regionCode: `98012${3 + i}`,
        });
        county.set(c, u.id);
      }
      const users: [string, Role, string, number?][] = [
        ['c.op', Role.PlatformOperator, world.units.province.id],
        ['c.provsup', Role.Supervisor, world.units.province.id],
        ['c.sup', Role.Supervisor, world.units.cityA.id],
        ['c.cityeditor', Role.Editor, world.units.cityA.id],
        ['c.cityadmin', Role.UnitAdmin, world.units.cityA.id],
        ['c.cityr1', Role.Reviewer, world.units.cityA.id, 1],
        ['c.cityr2', Role.Reviewer, world.units.cityA.id, 2],
        ['c.cityr3', Role.Reviewer, world.units.cityA.id, 3],
        ['c.cityduty', Role.DutyOfficer, world.units.cityA.id],
        ['c.supB', Role.Supervisor, world.units.cityB.id],
        ['c.editorB1', Role.Editor, world.units.countyB1.id],
      ];
      for (const c of COUNTIES) {
        users.push([`c.ed${c}`, Role.Editor, county.get(c)!], [`c.adm${c}`, Role.UnitAdmin, county.get(c)!]);
        users.push([`c.r1${c}`, Role.Reviewer, county.get(c)!, 1], [`c.r2${c}`, Role.Reviewer, county.get(c)!, 2]);
        users.push([`c.duty${c}`, Role.DutyOfficer, county.get(c)!]);
      }
      const usersService = hub.app.get(UsersService);
      for (const [username, role, unitId, level] of users) {
        await usersService.create(
          null,
          { username, displayName: username, unitId, password: 'World#Pass2026', roles: [{ role, unitId, level }] },
          { permanent: true },
        );
        t.set(username, await login(hub.http, username));
      }
      // The issuing city office is a designated source (稿源单位) of the province's reprints.
      const actors = hub.app.get(ActorLoader);
      const op = await actors.forUser((await userId('c.op'))!);
      const lexicon = hub.app.get(LexiconService);
      const { version } = await lexicon.import(op, { kind: LexiconKind.SourceUnit }, '甲市政府办公室\n');
      await lexicon.publish(op, version.id);

      sw = await startSandboxWorld(hub);
      const provsup = await actors.forUser((await userId('c.provsup'))!);
      const connect = async (unitKey: string, unitId: string, platform: string, name: string) => {
        const admin = await actors.forUser((await userId(unitKey === 'city' ? 'c.cityadmin' : `c.adm${unitKey}`))!);
        const { account, simAccountId } = await sw.connect(admin, provsup, unitId, platform, name);
        sim.set(`${unitKey}:${platform}`, simAccountId);
        return account;
      };
      const cityWeibo = await connect('city', world.units.cityA.id, 'weibo', '甲市发布');
      // A3, A4 and A5 run no 南方号 account: their 南方号 assignments show the gap.
      for (const c of COUNTIES) {
        await connect(c, county.get(c)!, 'weibo', `甲市${c}县发布`);
        if (['A1', 'A2', 'A6'].includes(c)) await connect(c, county.get(c)!, 'nanfang', `甲市${c}县南方号`);
      }

      sourceManuscript = await approvedManuscript(
        hub,
        { editor: t.get('c.cityeditor')!, reviewers: ['c.cityr1', 'c.cityr2', 'c.cityr3'].map((u) => t.get(u)!) },
        { title: TITLE },
      );
      const pub = await hub.http
        .post(`/api/v1/manuscripts/${sourceManuscript}/publications`)
        .set(as('c.cityeditor'))
        .send({ accountIds: [cityWeibo.id] });
      assert.equal(pub.status, 201, JSON.stringify(pub.body));
      sourcePublication = pub.body.id;
      await pollUntil(
        async () => (await hub.http.get(`/api/v1/publications/${sourcePublication}`).set(as('c.cityeditor'))).body.status === 'published',
        {
          timeoutMs: 20_000,
          what: 'the city’s original post',
        },
      );
    });
    after(async () => {
      await sw?.close();
      await hub?.close();
    });

    async function userId(username: string): Promise<string | undefined> {
      return (await hub.ds.getRepository(User).findOneBy({ username }))?.id;
    }
    const mine = async (who: string) => (await hub.http.get('/api/v1/assignments?pageSize=50').set(as(who))).body;
    const assignment = (c: County, platform: string) => assignmentsOf.get(`${c}:${platform}`)!.id;
    const row = (id: string) => hub.ds.getRepository(Assignment).findOneByOrFail({ id });
    const settle = () => hub.app.get(RelaysService).handleCompletionSweep();
    let deadlineAt = 0;

    /** Moves the hub's and the simulators' clocks together; sessions expire on it, so everyone signs in again. */
    async function advance(ms: number): Promise<void> {
      hub.clock.advance(ms);
      for (const p of ['weibo', 'nanfang']) await sw.sim.advanceClock(p, ms);
      for (const username of t.keys()) t.set(username, await login(hub.http, username));
    }

    /** Approves through the unit's chain, acknowledging the warnings the reviewer is shown. */
    async function review(manuscriptId: string, reviewers: string[]): Promise<void> {
      for (const r of reviewers) {
        let res = await hub.http.post(`/api/v1/manuscripts/${manuscriptId}/reviews`).set(as(r)).send({ decision: 'approve' });
        if (res.status === 400 && res.body.code === 'WARNINGS_UNACKNOWLEDGED') {
          const acknowledged = res.body.details.map((d: { code: string }) => d.code);
          res = await hub.http.post(`/api/v1/manuscripts/${manuscriptId}/reviews`).set(as(r)).send({ decision: 'approve', acknowledged });
        }
        assert.equal(res.status, 200, JSON.stringify(res.body));
      }
    }

    it('issues a campaign to the city’s counties on two platforms; a unit without an account gets not_applicable', async () => {
      const deadline = new Date(hub.clock.now().getTime() + 185 * MIN);
      const res = await hub.http
        .post('/api/v1/campaigns')
        .set(as('c.sup'))
        .send({
          title: '转载：甲市优化营商环境十条措施',
          instructions: '请各县于今日 18 时前在政务微博、南方号转载。',
          source: { manuscriptId: sourceManuscript },
          targets: { rootUnitId: world.units.cityA.id, levels: ['county'] },
          platforms: ['weibo', 'nanfang'],
          deadline: deadline.toISOString(),
        });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      campaignId = res.body.id;
      deadlineAt = Date.parse(res.body.deadline);
      assert.equal(res.body.issuerUnitName, '甲市政府办公室');
      assert.equal(res.body.source.publicationId, sourcePublication, 'the published original is linked');
      assert.match(res.body.source.url, /^https?:\/\//);
      assert.deepEqual(res.body.reminders, [120, 30], 'defaults for a three-hour campaign');
      assert.deepEqual(res.body.counts, {
        total: 12,
        pending: 9,
        accepted: 0,
        done: 0,
        done_late: 0,
        overdue: 0,
        exempted: 0,
        not_applicable: 3,
      });
      const list = await hub.http.get(`/api/v1/campaigns/${campaignId}/assignments?pageSize=50`).set(as('c.sup'));
      assert.equal(list.body.total, 12);
      const names = new Map([...county].map(([k, v]) => [v, k]));
      for (const a of list.body.items) assignmentsOf.set(`${names.get(a.unitId)}:${a.platform}`, { id: a.id, state: a.state });
      assert.equal(assignmentsOf.get('A3:nanfang')!.state, 'not_applicable');
      assert.equal(assignmentsOf.get('A1:nanfang')!.state, 'pending');
    });

    it('shows a county its own assignments only, with the campaign’s instructions', async () => {
      const a1 = await mine('c.edA1');
      assert.equal(a1.total, 2);
      assert.ok(a1.items.every((a: { unitId: string }) => a.unitId === county.get('A1')));
      assert.equal(a1.items[0].campaign.issuerUnitName, '甲市政府办公室');
      assert.match(a1.items[0].campaign.instructions, /18 时前/);
    });

    it('tells each county’s editors of the task (from a job, after issuing returned), and nobody outside', async () => {
      const tasks = async (who: string) =>
        (await hub.http.get('/api/v1/notifications?pageSize=50').set(as(who))).body.items.filter(
          (n: { kind: string }) => n.kind === 'campaign_task',
        ) as { title: { zh: string }; body: { zh: string }; link: { type: string; id: string } }[];
      const a1 = await pollUntil(async () => ((await tasks('c.edA1')).length ? tasks('c.edA1') : null), {
        timeoutMs: 15_000,
        what: 'the campaign task notification of county A1’s editor',
      });
      assert.equal(a1.length, 1, 'one notification per unit, naming its platforms');
      assert.match(a1[0]!.title.zh, /新联动任务：转载：甲市优化营商环境十条措施/);
      assert.match(a1[0]!.body.zh, /2 个平台账号/);
      assert.equal(a1[0]!.link.type, 'campaign_assignment');
      assert.ok([assignment('A1', 'weibo'), assignment('A1', 'nanfang')].includes(a1[0]!.link.id));
      // A3 carries only Weibo (no 南方号 account there).
      const a3 = await pollUntil(async () => ((await tasks('c.edA3')).length ? tasks('c.edA3') : null), { timeoutMs: 15_000 });
      assert.match(a3[0]!.body.zh, /1 个平台账号（weibo）/);
      for (const outsider of ['c.editorB1', 'c.cityeditor']) assert.deepEqual(await tasks(outsider), [], outsider);
    });

    it('relays through each county’s own chain: one reprint per county, the body kept, done with the post’s URL', async () => {
      for (const c of ['A1', 'A2'] as const) {
        const first = await hub.http.post(`/api/v1/assignments/${assignment(c, 'weibo')}/accept`).set(as(`c.ed${c}`));
        assert.equal(first.status, 200, JSON.stringify(first.body));
        const second = await hub.http.post(`/api/v1/assignments/${assignment(c, 'nanfang')}/accept`).set(as(`c.adm${c}`));
        assert.equal(second.status, 200, JSON.stringify(second.body));
        assert.equal(second.body.manuscriptId, first.body.manuscriptId, 'the same reprint for both platforms');
        const ms = first.body.manuscriptId as string;
        const got = await hub.http.get(`/api/v1/manuscripts/${ms}`).set(as(`c.ed${c}`));
        assert.equal(got.body.category, 'reprint');
        assert.equal(got.body.version.source.unitName, '甲市政府办公室');
        assert.ok(got.body.version.source.url, 'the original’s link');
        if (c === 'A1') {
          const body = await hub.http.patch(`/api/v1/manuscripts/${ms}`).set(as('c.edA1')).send({ body: '<p>改写后的正文。</p>' });
          assert.equal(body.status, 409);
          assert.equal(body.body.details[0].field, 'body');
          assert.match(body.body.message, /不允许改写正文/);
          const lead = await hub.http.patch(`/api/v1/manuscripts/${ms}`).set(as('c.edA1')).send({ summary: '甲市一县转载：营商环境十条' });
          assert.equal(lead.status, 200, JSON.stringify(lead.body));
        }
        const submit = await hub.http.post(`/api/v1/manuscripts/${ms}/submit`).set(as(`c.ed${c}`));
        assert.equal(submit.status, 200, JSON.stringify(submit.body));
        assert.equal((await row(assignment(c, 'weibo'))).publicationId, null, 'nothing is published before the last approval');
        await review(ms, [`c.r1${c}`, `c.r2${c}`]);
      }
      for (const c of ['A1', 'A2'] as const) {
        for (const p of ['weibo', 'nanfang']) {
          const done = await pollUntil(
            async () => {
              await settle();
              const a = await row(assignment(c, p));
              return a.state === 'done' ? a : null;
            },
            { timeoutMs: 30_000, what: `${c} ${p} done` },
          );
          assert.ok(done);
          assert.equal(done.completion, 'tongfa');
          assert.match(done.url ?? '', /^https?:\/\//);
        }
      }
      // Exactly once: one post per county account on the simulators.
      const posts = await sw.sim.posts('weibo');
      assert.equal(posts.filter((p) => p.account === sim.get('A1:weibo') && !p.deleted).length, 1);
    });

    it('detects a native repost on Weibo through listPosts, and ignores a different post of the same day', async () => {
      await sw.sim.nativePost('weibo', {
        account: sim.get('A4:weibo')!,
        text: '四县今天召开安全生产工作会议，部署冬季安全生产和森林防火工作。',
      });
      await sw.sim.nativePost('weibo', { account: sim.get('A3:weibo')!, text: `【转发】${BODY_TEXT}` });
      await advance(31 * MIN);
      const outcomes = await hub.app.get(DetectionService).handleDetectionSweep();
      assert.ok(
        outcomes.some((o) => o.called && o.detected === 1),
        JSON.stringify(outcomes),
      );
      const a3 = await row(assignment('A3', 'weibo'));
      assert.equal(a3.state, 'done');
      assert.equal(a3.completion, 'detected');
      assert.match(a3.url ?? '', /^https?:\/\//);
      assert.equal((await row(assignment('A4', 'weibo'))).state, 'pending', 'another post of the day is not a relay');
    });

    it('accepts a URL as evidence only when it is the assigned account’s post and matches the release', async () => {
      const other = (await sw.sim.posts('weibo')).find((p) => p.account === sim.get('A3:weibo') && p.text.includes('转发'))!;
      const otherUrl = await postUrl(other.id);
      const wrong = await hub.http
        .post(`/api/v1/assignments/${assignment('A4', 'weibo')}/evidence`)
        .set(as('c.edA4'))
        .send({ url: otherUrl });
      assert.equal(wrong.status, 400);
      assert.match(wrong.body.message, /不是本单位该平台账号/);
      const ownOther = (await sw.sim.posts('weibo')).find((p) => p.account === sim.get('A4:weibo'))!;
      const mismatch = await hub.http
        .post(`/api/v1/assignments/${assignment('A4', 'weibo')}/evidence`)
        .set(as('c.edA4'))
        .send({ url: await postUrl(ownOther.id) });
      assert.equal(mismatch.status, 400);
      assert.match(mismatch.body.message, /内容与联动稿件不符/);
      const relay = await sw.sim.nativePost('weibo', { account: sim.get('A4:weibo')!, text: `转载甲市：${BODY_TEXT}` });
      const ok = await hub.http
        .post(`/api/v1/assignments/${assignment('A4', 'weibo')}/evidence`)
        .set(as('c.edA4'))
        .send({ url: relay.url });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.state, 'done');
      assert.equal(ok.body.completion, 'evidence');
      assert.match(ok.body.url, /^https:\/\/.*weibo/, 'the platform’s address of the post');
    });

    async function postUrl(postId: string): Promise<string> {
      const p = (await sw.sim.posts('weibo')).find((x) => x.id === postId);
      assert.ok(p?.url, 'the simulator gives the post’s address');
      return p.url;
    }

    it('exempts on the issuer’s decision; the unit cannot decide its own request', async () => {
      const asked = await hub.http
        .post(`/api/v1/assignments/${assignment('A5', 'weibo')}/exemption`)
        .set(as('c.edA5'))
        .send({ reason: '本县微博账号正在办理注销' });
      assert.equal(asked.status, 200, JSON.stringify(asked.body));
      assert.deepEqual({ status: asked.body.exemption.status, state: asked.body.state }, { status: 'requested', state: 'pending' });
      for (const who of ['c.edA5', 'c.admA5']) {
        const own = await hub.http
          .post(`/api/v1/assignments/${assignment('A5', 'weibo')}/exemption/decision`)
          .set(as(who))
          .send({ decision: 'approve' });
        assert.equal(own.status, 403, who);
        assert.match(own.body.message, /不能审批本单位/);
      }
      // The issuer's supervisors (and those above) find it waiting for their decision; a sibling
      // city's supervisor and the unit itself do not.
      const waiting = async (who: string) => {
        const res = await hub.http.get('/api/v1/assignments').query({ exemption: 'requested' }).set(as(who));
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return (res.body.items as { id: string }[]).map((a) => a.id);
      };
      for (const who of ['c.sup', 'c.provsup']) assert.ok((await waiting(who)).includes(assignment('A5', 'weibo')), who);
      for (const who of ['c.supB', 'c.edA5', 'c.admA5']) assert.deepEqual(await waiting(who), [], who);
      const bad = await hub.http.get('/api/v1/assignments').query({ exemption: 'approved' }).set(as('c.sup'));
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(bad.body), /豁免筛选只能为 requested/);
      const decided = await hub.http
        .post(`/api/v1/assignments/${assignment('A5', 'weibo')}/exemption/decision`)
        .set(as('c.sup'))
        .send({ decision: 'approve', comment: '同意' });
      assert.equal(decided.status, 200);
      assert.equal(decided.body.state, 'exempted');
      assert.equal(decided.body.exemption.status, 'approved');
      assert.ok(!(await waiting('c.sup')).includes(assignment('A5', 'weibo')), 'decided: no longer waiting');
    });

    it('reminds the late county before the deadline and escalates it at the deadline to its admin and the issuer', async () => {
      const reminders = hub.app.get(RemindersService);
      await advance(deadlineAt - 120 * MIN + MIN - hub.clock.now().getTime());
      await reminders.handleReminderSweep();
      await reminders.handleReminderSweep(); // a repeated sweep records nothing more
      assert.equal((await row(assignment('A6', 'weibo'))).reminders, 1);
      assert.equal((await row(assignment('A1', 'weibo'))).reminders, 0, 'done assignments are not reminded');
      await advance(90 * MIN);
      await reminders.handleReminderSweep();
      assert.equal((await row(assignment('A6', 'nanfang'))).reminders, 2);
      await advance(31 * MIN);
      // The hub's own recurring sweep may get there first once the clock has moved: what counts is
      // that both of A6's assignments turned overdue, once.
      await reminders.handleReminderSweep();
      assert.equal((await row(assignment('A6', 'nanfang'))).state, 'overdue');
      const a6 = await row(assignment('A6', 'weibo'));
      assert.equal(a6.state, 'overdue');
      assert.equal(a6.reminders, 3);
      const unitAlerts = (await hub.http.get('/api/v1/alerts').set(as('c.dutyA6'))).body.items.map((a: { kind: string }) => a.kind).sort();
      assert.deepEqual(unitAlerts, ['campaign_overdue', 'campaign_reminder', 'campaign_reminder']);
      const issuerAlerts = (await hub.http.get('/api/v1/alerts?kind=campaign_overdue').set(as('c.cityduty'))).body.items;
      assert.ok(issuerAlerts.some((a: { link: { type: string; id: string } }) => a.link.type === 'campaign' && a.link.id === campaignId));
      const mineA6 = await mine('c.edA6');
      assert.ok(mineA6.items.every((a: { state: string; minutesLate: number }) => a.state === 'overdue' && a.minutesLate >= 1));
    });

    it('shows the issuer the rolled-up dashboard, overdue first', async () => {
      const res = await hub.http.get(`/api/v1/campaigns/${campaignId}/dashboard`).set(as('c.sup'));
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.counts, {
        total: 12,
        pending: 0,
        accepted: 0,
        done: 6,
        done_late: 0,
        overdue: 2,
        exempted: 1,
        not_applicable: 3,
      });
      assert.equal(res.body.units.length, 6);
      assert.equal(res.body.units[0].unitId, county.get('A6'), 'the late county leads');
      assert.equal(res.body.units[0].counts.overdue, 2);
      assert.deepEqual(
        res.body.platforms.map((p: { platform: string; counts: { done: number } }) => [p.platform, p.counts.done]),
        [
          ['weibo', 4],
          ['nanfang', 2],
        ],
      );
      assert.equal(res.body.overdue.length, 2);
      assert.ok(res.body.overdue.every((o: { reminders: number; minutesLate: number }) => o.reminders === 3 && o.minutesLate >= 1));
      assert.equal(res.body.timeline.at(-1).done, 6);
      // The province sees the city's campaign roll up under the city.
      const prov = await hub.http
        .get(`/api/v1/campaigns/${campaignId}/dashboard?parentUnitId=${world.units.cityA.id}`)
        .set(as('c.provsup'));
      assert.equal(prov.status, 200);
      assert.equal(prov.body.counts.done, 6);
    });

    it('reports every assignment in the xlsx, the summary by level and platform', async () => {
      const res = await hub.http
        .get(`/api/v1/campaigns/${campaignId}/report`)
        .set(as('c.sup'))
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      assert.equal(res.status, 200);
      assert.match(res.headers['content-type'], /spreadsheetml/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as ArrayBuffer);
      const detail = wb.getWorksheet('明细')!;
      const header = (detail.getRow(1).values as string[]).slice(1);
      assert.deepEqual(header, ['单位', '单位层级', '账号', '平台', '状态', '完成方式', '完成时间', '逾期分钟', '提醒次数', '链接']);
      const rows: Record<string, unknown>[] = [];
      detail.eachRow((r, i) => {
        if (i > 1) rows.push(Object.fromEntries(header.map((h, k) => [h, r.getCell(k + 1).value])));
      });
      assert.equal(rows.length, 12);
      const a6 = rows.filter((r) => r['单位'] === '甲市六县政府办公室');
      assert.deepEqual(
        a6.map((r) => [r['状态'], r['提醒次数']]),
        [
          ['逾期未完成', 3],
          ['逾期未完成', 3],
        ],
      );
      const a3 = rows.find((r) => r['单位'] === '甲市三县政府办公室' && r['平台'] === 'weibo')!;
      assert.equal(a3['完成方式'], '自动检测');
      assert.match(String(a3['完成时间']), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      assert.equal(rows.filter((r) => r['状态'] === '无账号').length, 3);
      assert.equal(rows.filter((r) => r['状态'] === '已完成' && String(r['链接']).startsWith('http')).length, 6);
      const summary = wb.getWorksheet('汇总')!;
      let total: unknown[] = [];
      summary.eachRow((r) => {
        if (r.getCell(1).value === '合计') total = (r.values as unknown[]).slice(1);
      });
      assert.deepEqual(total.slice(2, 8), [12, 6, 0, 2, 1, 3]);
    });

    it('shows units outside the subtree nothing, and a county no campaign', async () => {
      assert.deepEqual(await mine('c.editorB1'), { items: [], total: 0 });
      for (const who of ['c.supB', 'c.edA1', 'c.editorB1']) {
        assert.equal((await hub.http.get(`/api/v1/campaigns/${campaignId}`).set(as(who))).status, 404, who);
        assert.equal((await hub.http.get(`/api/v1/campaigns/${campaignId}/dashboard`).set(as(who))).status, 404, who);
        assert.equal((await hub.http.get(`/api/v1/campaigns/${campaignId}/report`).set(as(who))).status, 404, who);
        assert.equal((await hub.http.get('/api/v1/campaigns').set(as(who))).body.total, 0, who);
      }
      assert.equal((await hub.http.get(`/api/v1/assignments/${assignment('A6', 'weibo')}`).set(as('c.edA1'))).status, 404);
      assert.equal((await hub.http.get(`/api/v1/assignments/${assignment('A6', 'weibo')}`).set(as('c.supB'))).status, 404);
    });

    it('refuses abuse: a county editor issuing, accepting another county’s assignment, an issuer beyond its subtree', async () => {
      const deadline = new Date(hub.clock.now().getTime() + 120 * MIN).toISOString();
      const base = { title: '越权', source: { manuscriptId: sourceManuscript }, platforms: ['weibo'], deadline };
      const county = await hub.http
        .post('/api/v1/campaigns')
        .set(as('c.edA1'))
        .send({ ...base, targets: { unitIds: [world.units.countyA2.id] } });
      assert.equal(county.status, 403);
      assert.match(county.body.message, /只有主管单位/);
      const other = await hub.http.post(`/api/v1/assignments/${assignment('A6', 'weibo')}/accept`).set(as('c.edA2'));
      assert.equal(other.status, 404);
      const outside = await hub.http
        .post('/api/v1/campaigns')
        .set(as('c.sup'))
        .send({ ...base, targets: { unitIds: [world.units.countyA2.id, world.units.countyB1.id] } });
      assert.equal(outside.status, 403);
      assert.equal(outside.body.details[0].field, 'targets.unitIds[1]');
      const foreignSource = await hub.http
        .post('/api/v1/campaigns')
        .set(as('c.provsup'))
        .send({ ...base, targets: { unitIds: [world.units.countyA2.id] } });
      assert.equal(foreignSource.status, 403, 'the province cannot issue the city’s manuscript');
      assert.match(foreignSource.body.message, /本单位的稿件/);
    });

    it('names the wrong field of a campaign in Chinese first', async () => {
      const ok = {
        title: '校验',
        source: { manuscriptId: sourceManuscript },
        targets: { unitIds: [world.units.countyA2.id] },
        platforms: ['weibo'],
        deadline: new Date(hub.clock.now().getTime() + 120 * MIN).toISOString(),
      };
      const cases: [Record<string, unknown>, string, RegExp][] = [
        [{ ...ok, title: '' }, 'title', /标题/],
        [{ ...ok, deadline: new Date(hub.clock.now().getTime() - MIN).toISOString() }, 'deadline', /截止时间/],
        [{ ...ok, deadline: 'tomorrow' }, 'deadline', /截止时间/],
        [{ ...ok, platforms: ['myspace'] }, 'platforms[0]', /平台/],
        [
          { ...ok, source: { manuscriptId: sourceManuscript, publicationId: sourcePublication } },
          'source',
          /manuscriptId 或 publicationId/,
        ],
        [{ ...ok, targets: { rootUnitId: world.units.countyA2.id, levels: ['township'] } }, 'targets', /没有符合条件/],
        [{ ...ok, reminders: [0] }, 'reminders', /提醒/],
      ];
      for (const [body, field, message] of cases) {
        const res = await hub.http.post('/api/v1/campaigns').set(as('c.sup')).send(body);
        assert.equal(res.status, 400, `${field}: ${JSON.stringify(res.body)}`);
        assert.ok(
          res.body.details.some((d: { field: string }) => d.field === field),
          `${field}: ${JSON.stringify(res.body.details)}`,
        );
        assert.match(`${res.body.message} ${JSON.stringify(res.body.details)}`, message);
      }
    });

    it('offers the relays for retraction when the source is retracted: Tongfa’s are retracted, native ones are the unit’s', async () => {
      const retract = await hub.http
        .post(`/api/v1/publications/${sourcePublication}/retract`)
        .set(as('c.cityeditor'))
        .send({ reason: '原稿有误' });
      assert.equal(retract.status, 200, JSON.stringify(retract.body));
      const detail = await pollUntil(
        async () => {
          const res = await hub.http.get(`/api/v1/campaigns/${campaignId}`).set(as('c.sup'));
          return res.body.sourceRetracted ? res.body : null;
        },
        { timeoutMs: 20_000, what: 'the source retracted' },
      );
      const tongfa = detail.relays.filter((r: { retractable: boolean }) => r.retractable);
      assert.equal(tongfa.length, 4, 'A1 and A2 on both platforms');
      assert.deepEqual(
        detail.relays
          .filter((r: { state: string }) => r.state === 'native')
          .map((r: { unitName: string }) => r.unitName)
          .sort(),
        ['甲市三县政府办公室', '甲市四县政府办公室'],
      );
      const res = await hub.http.post(`/api/v1/campaigns/${campaignId}/relays/retract`).set(as('c.sup')).send({ reason: '原稿撤回' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.retracted.length, 2, 'the two counties’ relay publications');
      assert.equal(res.body.askUnit.length, 2);
      // Every relay target is taken down through the publication's own retraction (retracting, then retracted).
      for (const pid of res.body.retracted) {
        const states = (await hub.ds.getRepository(PublicationTarget).findBy({ publicationId: pid })).map((x) => x.state);
        assert.ok(states.length && states.every((st) => st === 'retracting' || st === 'retracted'), JSON.stringify(states));
      }
      await pollUntil(
        async () => {
          const targets = await hub.ds
            .getRepository(PublicationTarget)
            .findBy({ publicationId: In(res.body.retracted), platform: 'weibo' });
          return targets.length === 2 && targets.every((x) => x.state === 'retracted');
        },
        { timeoutMs: 30_000, what: 'the Weibo relays retracted' },
      );
      const weiboPosts = await sw.sim.posts('weibo');
      assert.ok(
        weiboPosts.filter((p) => p.account === sim.get('A1:weibo')).every((p) => p.deleted),
        'gone from the platform',
      );
    });

    it('publishes at once under the county admin’s trust rule, audited on and off', async () => {
      const a2 = county.get('A2')!;
      const on = await hub.http.put(`/api/v1/units/${a2}/campaign-trust/${world.units.cityA.id}`).set(as('c.admA2'));
      assert.equal(on.status, 200, JSON.stringify(on.body));
      assert.deepEqual(
        on.body.items.map((i: { issuerUnitName: string }) => i.issuerUnitName),
        ['甲市政府办公室'],
      );
      assert.equal(
        (await hub.http.put(`/api/v1/units/${a2}/campaign-trust/${world.units.cityA.id}`).set(as('c.edA2'))).status,
        403,
        'an editor cannot',
      );
      const created = await hub.http
        .post('/api/v1/campaigns')
        .set(as('c.sup'))
        .send({
          title: '转载：第二条',
          source: { manuscriptId: sourceManuscript },
          targets: { unitIds: [a2] },
          platforms: ['weibo'],
          deadline: new Date(hub.clock.now().getTime() + 120 * MIN).toISOString(),
        });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const item = (await mine('c.edA2')).items.find((x: { campaignId: string }) => x.campaignId === created.body.id);
      const accepted = await hub.http.post(`/api/v1/assignments/${item.id}/accept`).set(as('c.edA2'));
      assert.equal(accepted.status, 200);
      assert.equal(accepted.body.trusted, true);
      const ms = await hub.http.get(`/api/v1/manuscripts/${accepted.body.manuscriptId}`).set(as('c.edA2'));
      assert.equal(ms.body.status, 'approved', 'no review step of the county');
      await pollUntil(
        async () => {
          await settle();
          return (await row(item.id)).state === 'done';
        },
        { timeoutMs: 30_000, what: 'trusted relay done' },
      );
      const off = await hub.http.delete(`/api/v1/units/${a2}/campaign-trust/${world.units.cityA.id}`).set(as('c.admA2'));
      assert.deepEqual(off.body.items, []);
      const audit = hub.ds.getRepository(AuditEntry);
      for (const action of [
        'campaign.trust.on',
        'campaign.trust.off',
        'campaign.relay.trusted-approve',
        'campaign.create',
        'campaign.assignment.accept',
      ]) {
        assert.ok(await audit.exists({ where: { action } }), action);
      }
    });

    it('gives the relay the release’s images as the county’s own uploads', async () => {
      const cover = await uploadCover(hub, t.get('c.cityeditor')!);
      const withCover = await approvedManuscript(
        hub,
        { editor: t.get('c.cityeditor')!, reviewers: ['c.cityr1', 'c.cityr2', 'c.cityr3'].map((u) => t.get(u)!) },
        { title: '甲市冬季供暖保障措施', coverMediaId: cover },
      );
      const created = await hub.http
        .post('/api/v1/campaigns')
        .set(as('c.sup'))
        .send({
          title: '转载：供暖保障',
          source: { manuscriptId: withCover },
          targets: { unitIds: [county.get('A3')!] },
          platforms: ['weibo'],
          deadline: new Date(hub.clock.now().getTime() + 120 * MIN).toISOString(),
        });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const item = (await mine('c.edA3')).items.find((x: { campaignId: string }) => x.campaignId === created.body.id);
      const accepted = await hub.http.post(`/api/v1/assignments/${item.id}/accept`).set(as('c.edA3'));
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      const relay = await hub.http.get(`/api/v1/manuscripts/${accepted.body.manuscriptId}`).set(as('c.edA3'));
      const copy = relay.body.version.coverMediaId as string;
      assert.ok(copy && copy !== cover, 'a media row of the county');
      assert.equal((await hub.http.get(`/api/v1/media/${copy}`).set(as('c.edA3'))).status, 200);
      assert.equal((await hub.http.get(`/api/v1/media/${cover}`).set(as('c.edA3'))).status, 404, 'the city’s upload stays the city’s');
      const submit = await hub.http.post(`/api/v1/manuscripts/${accepted.body.manuscriptId}/submit`).set(as('c.edA3'));
      assert.equal(submit.status, 200, JSON.stringify(submit.body));
    });

    it('closes a campaign: what is owed turns overdue and stays so; an open campaign’s late repost is done_late', async () => {
      const created = await hub.http
        .post('/api/v1/campaigns')
        .set(as('c.sup'))
        .send({
          title: '转载：第三条',
          source: { manuscriptId: sourceManuscript },
          targets: { unitIds: [county.get('A6')!] },
          platforms: ['weibo'],
          deadline: new Date(hub.clock.now().getTime() + 600 * MIN).toISOString(),
        });
      assert.equal(created.status, 201);
      const closed = await hub.http.post(`/api/v1/campaigns/${created.body.id}/close`).set(as('c.sup'));
      assert.equal(closed.status, 200);
      assert.equal(closed.body.status, 'closed');
      assert.equal(closed.body.counts.overdue, 1);
      assert.equal((await hub.http.post(`/api/v1/campaigns/${created.body.id}/close`).set(as('c.sup'))).status, 409);
      // A6 reposts natively after the first campaign's deadline: that one completes late; the closed one is not polled for.
      await sw.sim.nativePost('weibo', { account: sim.get('A6:weibo')!, text: `迟到的转载：${BODY_TEXT}` });
      await advance(61 * MIN);
      await hub.app.get(DetectionService).handleDetectionSweep();
      await hub.app.get(RemindersService).handleReminderSweep();
      const late = await row(assignment('A6', 'weibo'));
      assert.equal(late.state, 'done_late');
      assert.equal(late.completion, 'detected');
      const closedOne = await hub.ds.getRepository(Assignment).findOneByOrFail({ campaignId: created.body.id });
      assert.deepEqual([closedOne.state, closedOne.reminders], ['overdue', 0]);
    });
  });
}
