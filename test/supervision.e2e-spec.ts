import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { Account, AccountStatus } from '@tongfa/accounts';
import { DutyAlert, DutyAlertKind } from '@tongfa/alerts';
import { localDate, newId } from '@tongfa/core';
import { testDrivers } from '@tongfa/database';
import { ActorLoader, Role } from '@tongfa/identity';
import { Media } from '@tongfa/media';
import { ActivityDay, addDays, ExpressionFindings } from '@tongfa/monitoring';
import { drawCount, drawSample, RectificationsService, SnapshotsService } from '@tongfa/supervision';
import { pollUntil } from './support/poll';
import { startSandboxWorld, SandboxWorld } from './support/sandbox-accounts';
import { startTestHub, TestHub } from './support/test-hub';
import { login, UnitKey, World } from './support/world';

const DAY = 86_400_000;
const PLATFORMS = ['weibo', 'wechat', 'douyin'];
/** Accounts per platform put in each unit of 甲市 (city, two counties, a department): unequal strata. */
const PER_UNIT: [UnitKey, number][] = [
  ['cityA', 1],
  ['countyA1', 3],
  ['countyA2', 4],
  ['deptA', 2],
];

interface SampleItem {
  accountId: string;
  accountName: string;
  unitId: string;
  unitName: string;
  stratum: string;
  snapshot: { state: string; mediaId: string | null; pageUrl: string | null };
  findings: { item: string; result: string; source: string; evidence: Record<string, unknown> }[];
}

/**
 * 抽查与整改 (issue #15) through HTTP on both drivers, with a clock the test moves: a round over a city
 * draws at least 30% of every platform × level stratum, reproducibly from its seed; a ratio under the
 * minimum is refused naming 抽查比例; a failed finding becomes an order to the unit; the unit that
 * lets its deadline pass is named and its on-call told; it answers and the supervisor closes; a
 * sibling city sees nothing and a unit admin cannot open rounds; the 通报 xlsx totals and the PDF's
 * text; a sandbox account's page photographed by the snapshot job; the weekly ranking.
 */
for (const driver of testDrivers()) {
  describe(`spot checks and rectification (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let sw: SandboxWorld;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });
    const uid = (who: string) => world.users.get(who)!.id;
    /** Active accounts under 甲市 by id, with their unit. */
    const cityAccounts = new Map<string, UnitKey>();
    let sandboxAccountId = '';
    let roundId = '';
    let laterRoundId = '';
    let orderId = '';
    let orderAccount: SampleItem | null = null;
    const signInAll = async () => {
      for (const u of t.keys()) t.set(u, await login(hub.http, u));
    };

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      for (const [u, role, k] of [
        ['s.sup', Role.Supervisor, 'cityA'],
        ['s.supB', Role.Supervisor, 'cityB'],
        ['s.admA1', Role.UnitAdmin, 'countyA1'],
        ['s.edA1', Role.Editor, 'countyA1'],
        ['s.offA1', Role.DutyOfficer, 'countyA1'],
        ['s.admB1', Role.UnitAdmin, 'countyB1'],
      ] as const) {
        await world.user(u, role, k);
        t.set(u, await login(hub.http, u));
      }
      const actors = hub.app.get(ActorLoader);
      sw = await startSandboxWorld(hub);
      const { account } = await sw.connect(
        await actors.forUser(uid('s.admA1')),
        await actors.forUser(uid('s.sup')),
        world.units.countyA1.id,
        'nanfang',
        '甲市一县南方号',
      );
      sandboxAccountId = account.id;
      cityAccounts.set(account.id, 'countyA1');
      // The rest of the city's matrix as plain rows (sampling reads accounts, not platforms), plus
      // accounts that must never be drawn: a suspended one in the city and an active one in 乙市.
      const rows: Partial<Account>[] = [];
      const add = (k: UnitKey, platform: string, name: string, status: AccountStatus) => {
        const u = world.units[k];
        const id = newId();
        rows.push({ id, unitId: u.id, unitPath: u.path, platform, name, status, createdBy: uid('s.sup'), openedAt: new Date() });
        return id;
      };
      for (const [k, n] of PER_UNIT)
        for (const p of PLATFORMS)
          for (let i = 1; i <= n; i++) cityAccounts.set(add(k, p, `${world.units[k].name.slice(0, 4)}${p}${i}`, AccountStatus.Active), k);
      add('countyA1', 'weibo', '甲市一县已暂停', AccountStatus.Suspended);
      add('countyB1', 'weibo', '乙市一县发布', AccountStatus.Active);
      await hub.ds.getRepository(Account).insert(rows);
      // countyA1's duty: one officer on call around the clock.
      const schedule = await hub.http
        .put(`/api/v1/duty/units/${world.units.countyA1.id}/schedule`)
        .set(as('s.admA1'))
        .send({
          layers: [
            {
              name: '值班',
              userIds: [uid('s.offA1')],
              rotation: 'daily',
              handoff: '09:00',
              startDate: addDays(localDate(hub.clock.now()), -3),
            },
          ],
          policy: { steps: [{ afterMinutes: 0, notify: { kind: 'on_call' } }], repeat: 0 },
        });
      assert.equal(schedule.status, 200, JSON.stringify(schedule.body));
    });
    after(async () => {
      await sw?.close();
      await hub?.close();
    });

    const open = (who: string, body: Record<string, unknown>) => hub.http.post('/api/v1/spot-checks').set(as(who)).send(body);
    const detail = async (id: string, who = 's.sup') => {
      const res = await hub.http.get(`/api/v1/spot-checks/${id}`).query({ pageSize: 200 }).set(as(who));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.sample.total, res.body.sampled, 'the sample’s total is every drawn account');
      assert.equal(res.body.sample.items.length, res.body.sampled, 'one page of 200 holds this test’s whole sample');
      return { ...res.body, sample: res.body.sample.items } as {
        population: number;
        sampled: number;
        seed: string;
        derivation: {
          algorithm: string;
          verified: boolean;
          strata: { key: string; size: number; drawn: number }[];
        };
        sample: SampleItem[];
      };
    };
    type Member = { accountId: string; platform: string; level: string; stratum: string; drawn: boolean };
    /** The round's population read page by page, as anyone re-deriving the sample would. */
    const population = async (id: string, pageSize: number, who = 's.sup') => {
      const all: Member[] = [];
      for (let page = 1; ; page++) {
        const res = await hub.http.get(`/api/v1/spot-checks/${id}/population`).query({ page, pageSize }).set(as(who));
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.ok(res.body.items.length <= pageSize);
        all.push(...res.body.items);
        if (!res.body.items.length || all.length >= res.body.total) return { items: all, total: res.body.total as number };
      }
    };

    it('refuses a ratio under the jurisdiction’s minimum, naming 抽查比例', async () => {
      const res = await open('s.sup', { rootUnitId: world.units.cityA.id, period: '2026-Q4', ratio: 0.2 });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.match(res.body.message, /抽查比例/);
      assert.match(res.body.message, /30%/);
      assert.equal(res.body.details[0].field, 'ratio');
      const period = await open('s.sup', { rootUnitId: world.units.cityA.id, period: '2026-13', ratio: 0.3 });
      assert.equal(period.status, 400);
      assert.match(JSON.stringify(period.body), /抽查周期/);
    });

    it('lets no unit admin open a round (403) and no supervisor outside the root (404)', async () => {
      const admin = await open('s.admA1', { rootUnitId: world.units.countyA1.id, period: '2026-Q4', ratio: 0.5 });
      assert.equal(admin.status, 403, JSON.stringify(admin.body));
      const sibling = await open('s.supB', { rootUnitId: world.units.cityA.id, period: '2026-Q4', ratio: 0.5 });
      assert.equal(sibling.status, 404, JSON.stringify(sibling.body));
    });

    it('draws at least 30% of every platform × level stratum of the city’s active accounts, and the seed re-derives it', async () => {
      const res = await open('s.sup', { rootUnitId: world.units.cityA.id, period: '2026-Q4', ratio: 0.3, seed: 'jiashi-2026q4' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      roundId = res.body.id;
      assert.equal(res.body.population, cityAccounts.size, 'every active account of the city, none outside it or suspended');
      assert.equal(res.body.minRatio, 0.3);
      assert.equal(res.body.algorithm, 'strata-mulberry32/1');
      const d = await detail(roundId);
      assert.equal(d.derivation.verified, true);
      // weibo/wechat/douyin × city/county/department, plus nanfang × county.
      assert.equal(d.derivation.strata.length, 10);
      // The population comes a page at a time (7 a page here), each account once.
      const pop = await population(roundId, 7);
      assert.equal(pop.total, cityAccounts.size);
      assert.equal(new Set(pop.items.map((m) => m.accountId)).size, cityAccounts.size);
      for (const s of d.derivation.strata) {
        assert.ok(s.drawn >= Math.ceil(0.3 * s.size - 1e-9), `${s.key}: ${s.drawn} of ${s.size}`);
        assert.equal(s.drawn, drawCount(s.size, 0.3));
        const members = pop.items.filter((m) => m.stratum === s.key);
        assert.equal(members.length, s.size);
        assert.equal(members.filter((m) => m.drawn).length, s.drawn);
      }
      const drawn = d.sample.map((s) => s.accountId).sort();
      assert.equal(drawn.length, res.body.sampled);
      assert.deepEqual(
        pop.items
          .filter((m) => m.drawn)
          .map((m) => m.accountId)
          .sort(),
        drawn,
      );
      for (const a of drawn) assert.ok(cityAccounts.has(a), 'only the city’s active accounts are drawn');
      // Anyone can re-derive it from the published population and the seed.
      assert.deepEqual(
        drawSample(pop.items, 0.3, d.seed)
          .flatMap((s) => s.accountIds)
          .sort(),
        drawn,
      );
      // The same seed again gives the same sample; another seed another one.
      const again = await open('s.sup', { rootUnitId: world.units.cityA.id, period: '2026-Q4', ratio: 0.3, seed: 'jiashi-2026q4' });
      assert.equal(again.status, 201);
      assert.deepEqual((await detail(again.body.id)).sample.map((s) => s.accountId).sort(), drawn);
      const other = await open('s.sup', { rootUnitId: world.units.cityA.id, period: '2026-Q4', ratio: 0.3, seed: 'another-seed' });
      assert.notDeepEqual((await detail(other.body.id)).sample.map((s) => s.accountId).sort(), drawn);
      laterRoundId = other.body.id;
      // The checklist is pre-filled for each drawn account: the three national veto items.
      for (const s of d.sample) {
        assert.deepEqual(s.findings.map((f) => f.item).sort(), [
          'national.expression-errors',
          'national.no-interaction',
          'national.no-update',
        ]);
        assert.ok(s.findings.every((f) => f.source === 'monitoring'));
      }
      const audit = await hub.ds.query(`SELECT action FROM audit_entry WHERE targetId = ? AND action = 'spot_check.create'`, [roundId]);
      assert.equal(audit.length, 1);
    });

    it('pages the drawn accounts with their findings, and refuses a page size over 200', async () => {
      const whole = (await detail(roundId)).sample.map((x) => x.accountId);
      const pages: string[] = [];
      for (let page = 1; page <= Math.ceil(whole.length / 4); page++) {
        const res = await hub.http.get(`/api/v1/spot-checks/${roundId}`).query({ page, pageSize: 4 }).set(as('s.sup'));
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.sample.total, whole.length);
        assert.ok(res.body.sample.items.length <= 4);
        for (const x of res.body.sample.items as SampleItem[]) {
          pages.push(x.accountId);
          assert.ok(x.findings.length > 0, 'each drawn account comes with its pre-filled findings');
        }
      }
      assert.deepEqual(pages, whole, 'the pages in order are the whole sample, each account once');
      const past = await hub.http.get(`/api/v1/spot-checks/${roundId}`).query({ page: 99, pageSize: 4 }).set(as('s.sup'));
      assert.deepEqual(past.body.sample, { items: [], total: whole.length });
      const big = await hub.http.get(`/api/v1/spot-checks/${roundId}`).query({ pageSize: 201 }).set(as('s.sup'));
      assert.equal(big.status, 400);
      const popBig = await hub.http.get(`/api/v1/spot-checks/${roundId}/population`).query({ pageSize: 201 }).set(as('s.sup'));
      assert.equal(popBig.status, 400);
    });

    it('shows a sibling city’s supervisor nothing of the round or its orders', async () => {
      const res = await hub.http.get(`/api/v1/spot-checks/${roundId}`).set(as('s.supB'));
      assert.equal(res.status, 404);
      const pop = await hub.http.get(`/api/v1/spot-checks/${roundId}/population`).set(as('s.supB'));
      assert.equal(pop.status, 404);
      const list = await hub.http.get('/api/v1/spot-checks').set(as('s.supB'));
      assert.equal(list.status, 200);
      assert.equal(list.body.total, 0);
    });

    it('turns a failed finding into an order, names the late unit, tells its on-call, and closes it once answered', async () => {
      const d = await detail(roundId);
      orderAccount = d.sample.find((s) => cityAccounts.get(s.accountId) === 'countyA1')!;
      assert.ok(orderAccount, 'a countyA1 account is drawn (its strata draw at least one)');
      const f = await hub.http
        .post(`/api/v1/spot-checks/${roundId}/findings`)
        .set(as('s.sup'))
        .send({
          accountId: orderAccount.accountId,
          item: 'national.no-update',
          result: 'fail',
          note: '抽查时已 20 天未更新',
          evidence: { url: 'https://weibo.com/u/1' },
        });
      assert.equal(f.status, 201, JSON.stringify(f.body));
      assert.equal(f.body.result, 'fail');
      assert.equal(f.body.source, 'checker');
      orderId = f.body.rectificationId;
      assert.ok(orderId);
      // A pass on another item opens nothing.
      const pass = await hub.http
        .post(`/api/v1/spot-checks/${roundId}/findings`)
        .set(as('s.sup'))
        .send({ accountId: orderAccount.accountId, item: 'national.expression-errors', result: 'pass' });
      assert.equal(pass.status, 201);
      assert.equal(pass.body.rectificationId, null);
      // Monitoring's expression-error veto now knows the account was checked (and passed), others not.
      const facts = await hub.app.get(ExpressionFindings).forAccounts([orderAccount.accountId, sandboxAccountId]);
      const checked = facts.get(orderAccount.accountId)!;
      assert.ok(checked.checked && checked.findings.length === 0, JSON.stringify(checked));
      if (orderAccount.accountId !== sandboxAccountId) assert.equal(facts.get(sandboxAccountId)!.checked, false);
      const badItem = await hub.http
        .post(`/api/v1/spot-checks/${roundId}/findings`)
        .set(as('s.sup'))
        .send({ accountId: orderAccount.accountId, item: 'nope', result: 'fail' });
      assert.equal(badItem.status, 400);
      assert.equal(badItem.body.details[0].field, 'item');

      const unitView = await hub.http.get('/api/v1/rectifications').set(as('s.admA1'));
      assert.equal(unitView.status, 200);
      assert.deepEqual(
        unitView.body.items.map((o: { id: string }) => o.id),
        [orderId],
      );
      assert.equal(unitView.body.items[0].state, 'open');
      assert.equal(unitView.body.items[0].overdue, false);
      assert.equal((await hub.http.get('/api/v1/rectifications').set(as('s.admB1'))).body.total, 0, 'another county sees none');
      assert.equal((await hub.http.get('/api/v1/rectifications').set(as('s.supB'))).body.total, 0, 'a sibling city sees none');

      // The default deadline of 两周未更新 is 7 days: on day 8 the order is overdue.
      const sweep = () => hub.app.get(RectificationsService).sweepOverdue();
      assert.equal(await sweep(), 0);
      hub.clock.advance(8 * DAY);
      await signInAll();
      assert.equal(await sweep(), 1);
      assert.equal(await sweep(), 0, 'told once per deadline');
      const late = await hub.http.get('/api/v1/rectifications?overdue=true').set(as('s.sup'));
      assert.equal(late.status, 200);
      assert.equal(late.body.total, 1);
      assert.equal(late.body.items[0].unitName, world.units.countyA1.name);
      assert.equal(late.body.items[0].overdue, true);
      assert.ok(late.body.items[0].daysLate >= 1);
      const alerts = await hub.ds.getRepository(DutyAlert).find({ where: { kind: DutyAlertKind.RectificationOverdue } });
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0]!.unitId, world.units.countyA1.id);
      await pollUntil(
        async () =>
          (
            (await hub.ds.query(`SELECT userId FROM notification WHERE resourceType = 'duty_alert' AND resourceId = ?`, [
              alerts[0]!.id,
            ])) as {
              userId: string;
            }[]
          ).some((r) => r.userId === uid('s.offA1')),
        { what: 'the on-call officer of countyA1 is told' },
      );

      // The unit answers (late), the sibling supervisor cannot re-check it, nor can the unit; the supervisor closes it.
      const bad = await hub.http
        .post(`/api/v1/rectifications/${orderId}/response`)
        .set(as('s.edA1'))
        .send({ text: '已恢复更新', urls: ['ftp://x'] });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.details[0].field, 'urls');
      const answer = await hub.http
        .post(`/api/v1/rectifications/${orderId}/response`)
        .set(as('s.edA1'))
        .send({ text: '已恢复更新，每日发布', urls: ['https://weibo.com/u/1/post/2'] });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.state, 'answered');
      assert.equal(answer.body.answeredLate, true);
      assert.equal(
        (await hub.http.post(`/api/v1/rectifications/${orderId}/response`).set(as('s.edA1')).send({ text: '再答' })).status,
        409,
      );
      assert.equal(
        (await hub.http.post(`/api/v1/rectifications/${orderId}/review`).set(as('s.supB')).send({ decision: 'close' })).status,
        404,
      );
      assert.equal(
        (await hub.http.post(`/api/v1/rectifications/${orderId}/review`).set(as('s.admA1')).send({ decision: 'close' })).status,
        403,
      );
      const closed = await hub.http
        .post(`/api/v1/rectifications/${orderId}/review`)
        .set(as('s.sup'))
        .send({ decision: 'close', note: '已核实' });
      assert.equal(closed.status, 200, JSON.stringify(closed.body));
      assert.equal(closed.body.state, 'closed');
      const actions = (
        (await hub.ds.query(`SELECT action FROM audit_entry WHERE targetId = ? ORDER BY seq`, [orderId])) as { action: string }[]
      ).map((a) => a.action);
      assert.deepEqual(actions, ['rectification.create', 'rectification.respond', 'rectification.close']);

      // Reopened, it is open again with a fresh deadline; escalated, the unit above (the city) is alerted.
      const reopened = await hub.http
        .post(`/api/v1/rectifications/${orderId}/review`)
        .set(as('s.sup'))
        .send({ decision: 'reopen', note: '复查仍未更新' });
      assert.equal(reopened.status, 200, JSON.stringify(reopened.body));
      assert.equal(reopened.body.state, 'open');
      assert.equal(reopened.body.reopened, 1);
      assert.equal(reopened.body.overdue, false);
      assert.ok(Date.parse(reopened.body.deadline) > hub.clock.now().getTime());
      const escalated = await hub.http.post(`/api/v1/rectifications/${orderId}/review`).set(as('s.sup')).send({ decision: 'escalate' });
      assert.equal(escalated.status, 200);
      assert.equal(escalated.body.state, 'escalated');
      const up = await hub.ds.getRepository(DutyAlert).find({ where: { kind: DutyAlertKind.RectificationEscalated } });
      assert.deepEqual(
        up.map((a) => a.unitId),
        [world.units.cityA.id],
      );
      const closedAgain = await hub.http.post(`/api/v1/rectifications/${orderId}/review`).set(as('s.sup')).send({ decision: 'close' });
      assert.equal(closedAgain.body.state, 'closed');
    });

    const xlsxText = async (id: string) => {
      const res = await hub.http
        .get(`/api/v1/spot-checks/${id}/report?format=xlsx`)
        .set(as('s.sup'))
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      assert.equal(res.status, 200);
      const wb = new ExcelJS.Workbook();
      const buf = res.body as Buffer;
      await wb.xlsx.load(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
      const lines: string[] = [];
      wb.getWorksheet('通报')!.eachRow((r) => lines.push((r.values as unknown[]).slice(1).join(' ')));
      return lines.join('\n');
    };

    it('writes the 通报 xlsx with the right totals, the problem account and the late unit', async () => {
      const patch = await hub.http
        .patch(`/api/v1/spot-checks/${roundId}`)
        .set(as('s.sup'))
        .send({ requirements: '各县区于月底前报送整改报告。' });
      assert.equal(patch.status, 200);
      const res = await hub.http
        .get(`/api/v1/spot-checks/${roundId}/report?format=xlsx`)
        .set(as('s.sup'))
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      assert.equal(res.status, 200);
      const wb = new ExcelJS.Workbook();
      const buf = res.body as Buffer;
      await wb.xlsx.load(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
      const sheet = wb.getWorksheet('通报')!;
      const rows: unknown[][] = [];
      sheet.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
      const text = rows.map((r) => r.join(' ')).join('\n');
      assert.match(String(rows[0]![0]), /甲市政府办公室关于2026年第四季度政务新媒体抽查情况的通报/);
      for (const h of ['一、总体情况', '二、存在问题', '三、工作要求']) assert.ok(text.includes(h), h);
      const d = await detail(roundId);
      const totals = rows.filter((r) => r[0] === '合计');
      assert.equal(totals.length, 2, 'by level and by platform');
      for (const r of totals) {
        assert.equal(r[1], cityAccounts.size);
        assert.equal(r[2], d.sampled);
        assert.equal(r[5], 1, 'one account failed');
      }
      const county = rows.find((r) => r[0] === '县级')!;
      const countyAccounts = [...cityAccounts.values()].filter((k) => k === 'countyA1' || k === 'countyA2').length;
      assert.equal(county[1], countyAccounts);
      assert.equal(county[2], d.sample.filter((s) => s.stratum.endsWith('|county')).length);
      assert.ok(text.includes(`${world.units.countyA1.name}“${orderAccount!.accountName}”`), 'names the failing account and its unit');
      assert.match(text, /逾期整改单位：甲市一县政府办公室（逾期回复 1 项）/);
      assert.ok(text.includes('各县区于月底前报送整改报告。'));
      assert.ok(text.includes('本级此前无抽查轮次可比较'), 'the first round of the root has nothing to compare with');
      // A later round of the same root compares with the one before it.
      const later = await xlsxText(laterRoundId);
      assert.match(later, /与上一轮（2026-Q4，抽查 \d+ 个，合格率 \d+\.\d%）相比，合格率/);
      const annex = wb.getWorksheet('附件')!;
      assert.equal(annex.rowCount, 2);
      assert.equal(annex.getRow(2).getCell(2).value, world.units.countyA1.name);
      assert.equal(annex.getRow(2).getCell(4).value, orderAccount!.accountName);
    });

    it('prints the 通报 PDF whose text extracts with the unit names and 一、总体情况', async () => {
      const res = await hub.http
        .get(`/api/v1/spot-checks/${roundId}/report?format=pdf`)
        .set(as('s.sup'))
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      assert.equal(res.status, 200, String(res.body));
      assert.equal(res.headers['content-type'], 'application/pdf');
      const dir = mkdtempSync(join(tmpdir(), 'tongfa-report-'));
      try {
        const file = join(dir, 'report.pdf');
        writeFileSync(file, res.body as Buffer);
        const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
        for (const s of [
          '一、总体情况',
          '二、存在问题',
          '三、工作要求',
          '甲市政府办公室',
          world.units.countyA1.name,
          orderAccount!.accountName,
          '各平台抽查合格率',
        ])
          assert.ok(text.includes(s), `${s} in the PDF text`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('answers 503 naming TONGFA_CHROMIUM when the browser is missing', async () => {
      const other = await startTestHub(driver, { TONGFA_CHROMIUM: '/nonexistent/chromium' });
      try {
        const w = await World.build(other.app);
        await w.user('x.sup', Role.Supervisor, 'cityA');
        await other.ds.getRepository(Account).insert({
          id: newId(),
          unitId: w.units.countyA1.id,
          unitPath: w.units.countyA1.path,
          platform: 'weibo',
          name: '甲县发布',
          status: AccountStatus.Active,
          createdBy: w.users.get('x.sup')!.id,
        });
        const token = await login(other.http, 'x.sup');
        const r = await other.http
          .post('/api/v1/spot-checks')
          .set({ Authorization: `Bearer ${token}` })
          .send({ rootUnitId: w.units.cityA.id, period: '2026-Q4', ratio: 1 });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        const pdf = await other.http.get(`/api/v1/spot-checks/${r.body.id}/report?format=pdf`).set({ Authorization: `Bearer ${token}` });
        assert.equal(pdf.status, 503);
        assert.match(pdf.body.message, /TONGFA_CHROMIUM/);
        assert.match(pdf.body.message, /\/nonexistent\/chromium/);
      } finally {
        await other.close();
      }
    });

    it('photographs a drawn sandbox account’s public page as a job and references it from the findings', async () => {
      const res = await open('s.sup', { rootUnitId: world.units.countyA1.id, period: '2026-Q4', ratio: 1, seed: 'all' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      // The round answers at once; the snapshot comes from the job.
      await hub.app.get(SnapshotsService).handleSweep();
      const item = await pollUntil(
        async () => {
          const s = (await detail(res.body.id)).sample.find((x) => x.accountId === sandboxAccountId);
          return s?.snapshot.state === 'done' ? s : null;
        },
        { timeoutMs: 60_000, intervalMs: 250, what: 'the snapshot is taken' },
      );
      assert.match(item.snapshot.pageUrl!, /\/_sandbox\/nanfang\/page\?account=/);
      const media = await hub.ds.getRepository(Media).findOneByOrFail({ id: item.snapshot.mediaId! });
      assert.equal(media.mime, 'image/png');
      assert.equal(media.unitId, world.units.countyA1.id);
      assert.ok(media.bytes > 1000);
      for (const f of item.findings) assert.equal((f.evidence.snapshot as { mediaId: string }).mediaId, media.id);
      // Plain rows without a sandbox page get no snapshot rather than a failure.
      const plain = (await detail(res.body.id)).sample.find((x) => x.accountId !== sandboxAccountId)!;
      assert.equal(plain.snapshot.state, 'none');
    });

    it('ranks the city’s accounts per level by the versioned formula with the inputs beside each score', async () => {
      const today = localDate(hub.clock.now());
      const ids = [...cityAccounts.entries()].filter(([, k]) => k === 'countyA2').map(([id]) => id);
      const [busy, quiet] = [ids[0]!, ids[1]!];
      const u = world.units.countyA2;
      const acts: Partial<ActivityDay>[] = [];
      for (let i = 0; i < 7; i++) {
        acts.push({
          accountId: busy,
          day: addDays(today, -i),
          days: 1,
          unitId: u.id,
          unitPath: u.path,
          platform: 'weibo',
          postsTongfa: 2,
          postsNative: 0,
        });
      }
      acts.push({
        accountId: quiet,
        day: today,
        days: 1,
        unitId: u.id,
        unitPath: u.path,
        platform: 'weibo',
        postsTongfa: 1,
        postsNative: 0,
      });
      await hub.ds.getRepository(ActivityDay).insert(acts);
      const res = await hub.http.get('/api/v1/rankings?period=month&level=county&pageSize=200').set(as('s.sup'));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.formulaVersion, 'tongfa-rank/2026.1');
      assert.ok(res.body.items.every((r: { level: string }) => r.level === 'county'));
      assert.equal(res.body.items[0].accountId, busy);
      assert.equal(res.body.items[0].rank, 1);
      const q = res.body.items.find((r: { accountId: string }) => r.accountId === quiet);
      assert.ok(q.rank > 1 && q.score < res.body.items[0].score);
      assert.equal(q.inputs.posts, 1);
      assert.equal(typeof res.body.items[0].parts.activity, 'number');
      const sibling = await hub.http.get('/api/v1/rankings?period=week').set(as('s.supB'));
      assert.equal(sibling.status, 200);
      assert.ok(sibling.body.items.every((r: { accountId: string }) => !cityAccounts.has(r.accountId)));
      const bad = await hub.http.get('/api/v1/rankings?period=year').set(as('s.sup'));
      assert.equal(bad.status, 400);
    });
  });
}
