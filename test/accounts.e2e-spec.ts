import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';

const DAY = 86_400_000;

for (const driver of testDrivers()) {
  describe(`accounts, filings and the matrix (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      await world.user('acc.admin', Role.UnitAdmin, 'countyA1');
      await world.user('acc.adminB', Role.UnitAdmin, 'countyB1');
      await world.user('acc.supA', Role.Supervisor, 'cityA');
      await world.user('acc.supB', Role.Supervisor, 'cityB');
      await world.user('acc.editor', Role.Editor, 'countyA1');
      for (const u of ['acc.admin', 'acc.adminB', 'acc.supA', 'acc.supB', 'acc.editor']) t.set(u, await login(hub.http, u));
    });
    after(() => hub.close());

    async function openAccount(platform: string, name: string, extra: Record<string, string> = {}): Promise<string> {
      const res = await hub.http
        .post('/api/v1/accounts')
        .set(as('acc.admin'))
        .send({ unitId: world.units.countyA1.id, platform, name, ...extra });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const ok = await hub.http.post(`/api/v1/accounts/${res.body.id}/approval`).set(as('acc.supA')).send({ decision: 'approve' });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      return res.body.id as string;
    }

    it('opens an account only after a supervisor above the unit approves, and owes an opening filing', async () => {
      const res = await hub.http
        .post('/api/v1/accounts')
        .set(as('acc.admin'))
        .send({ unitId: world.units.countyA1.id, platform: 'weibo', name: '甲市一县发布' });
      assert.equal(res.status, 201);
      assert.equal(res.body.status, 'applying');
      assert.equal(res.body.approval.decision, 'pending');

      // Not the applicant's own unit admin, not a supervisor of another city, not an editor.
      assert.equal(
        (await hub.http.post(`/api/v1/accounts/${res.body.id}/approval`).set(as('acc.admin')).send({ decision: 'approve' })).status,
        403,
      );
      assert.equal(
        (await hub.http.post(`/api/v1/accounts/${res.body.id}/approval`).set(as('acc.supB')).send({ decision: 'approve' })).status,
        404,
      );
      assert.equal(
        (await hub.http.post(`/api/v1/accounts/${res.body.id}/approval`).set(as('acc.editor')).send({ decision: 'approve' })).status,
        403,
      );

      const ok = await hub.http
        .post(`/api/v1/accounts/${res.body.id}/approval`)
        .set(as('acc.supA'))
        .send({ decision: 'approve', comment: '同意' });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.status, 'opened');
      assert.equal(ok.body.filing.kind, 'open');
      assert.equal(new Date(ok.body.filing.dueAt).getTime() - new Date(ok.body.filing.effectiveAt).getTime(), 3 * DAY);
      const again = await hub.http.post(`/api/v1/accounts/${res.body.id}/approval`).set(as('acc.supA')).send({ decision: 'approve' });
      assert.equal(again.status, 409);

      const detail = await hub.http.get(`/api/v1/accounts/${res.body.id}`).set(as('acc.editor'));
      assert.equal(detail.status, 200);
      assert.equal(detail.body.approvals.length, 1);
      assert.equal(detail.body.approvals[0].comment, '同意');
      assert.equal(detail.body.filings[0].status, 'pending');
    });

    it('refuses a second account on the same platform unless a supervisor grants an exception with a reason', async () => {
      const second = { unitId: world.units.countyA1.id, platform: 'weibo', name: '甲市一县发布' };
      const refused = await hub.http.post('/api/v1/accounts').set(as('acc.admin')).send(second);
      assert.equal(refused.status, 409);
      assert.equal(refused.body.code, 'ONE_ACCOUNT_PER_PLATFORM');
      const withReason = await hub.http
        .post('/api/v1/accounts')
        .set(as('acc.admin'))
        .send({ ...second, exceptionReason: '应急管理专用账号，经县委宣传部同意' });
      assert.equal(withReason.status, 201);
      assert.equal(withReason.body.approval.exception, true);
      const ok = await hub.http.post(`/api/v1/accounts/${withReason.body.id}/approval`).set(as('acc.supA')).send({ decision: 'approve' });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.exceptionReason, '应急管理专用账号，经县委宣传部同意');
      assert.equal(ok.body.approval.exception, true);
    });

    it('files every transition; a filing past 3 days is overdue, and filed late it stays on the overdue list as late', async () => {
      const id = await openAccount('douyin', '甲市一县发布');
      const fileOpen = await hub.http.post(`/api/v1/accounts/${id}/filings`).set(as('acc.admin')).send({ reference: '备〔2026〕1号' });
      assert.equal(fileOpen.status, 200);
      assert.equal(fileOpen.body.status, 'filed');

      const fiveDaysAgo = new Date(hub.clock.now().getTime() - 5 * DAY).toISOString();
      const suspend = await hub.http
        .patch(`/api/v1/accounts/${id}`)
        .set(as('acc.admin'))
        .send({ status: 'suspended', effectiveAt: fiveDaysAgo, reason: '整改' });
      assert.equal(suspend.status, 200);
      assert.equal(suspend.body.filings[0].kind, 'suspend');

      let overdue = await hub.http.get('/api/v1/filings?status=overdue').set(as('acc.supA'));
      assert.equal(overdue.status, 200);
      const missing = overdue.body.items.find((f: { accountId: string; kind: string }) => f.accountId === id && f.kind === 'suspend');
      assert.ok(missing, 'the missing suspension filing is listed');
      assert.equal(missing.status, 'overdue');
      assert.ok(
        !overdue.body.items.some((f: { accountId: string; kind: string }) => f.accountId === id && f.kind === 'open'),
        'an on-time filing is not overdue',
      );

      const late = await hub.http.post(`/api/v1/accounts/${id}/filings`).set(as('acc.admin')).send({ filingId: missing.id });
      assert.equal(late.body.status, 'late');
      overdue = await hub.http.get('/api/v1/filings?status=overdue').set(as('acc.supA'));
      assert.equal(overdue.body.items.find((f: { id: string }) => f.id === missing.id)?.status, 'late');

      // A supervisor of another city sees none of it.
      const other = await hub.http.get('/api/v1/filings?status=overdue').set(as('acc.supB'));
      assert.ok(!other.body.items.some((f: { accountId: string }) => f.accountId === id));

      const cancel = await hub.http.patch(`/api/v1/accounts/${id}`).set(as('acc.admin')).send({ status: 'cancelled' });
      assert.equal(cancel.body.filings[0].kind, 'cancel');
      const revive = await hub.http.patch(`/api/v1/accounts/${id}`).set(as('acc.admin')).send({ status: 'active' });
      assert.equal(revive.status, 409);
      const future = await hub.http
        .patch(`/api/v1/accounts/${id}`)
        .set(as('acc.admin'))
        .send({ name: 'x', effectiveAt: new Date(hub.clock.now().getTime() + 2 * DAY).toISOString() });
      assert.equal(future.status, 400);
    });

    it('checks naming: width variants pass, look-alikes and a wrong verified subject are flagged', async () => {
      const unitName = world.units.countyA1.name;
      const a = await openAccount('wechat', '甲市一县发布');
      const b = await openAccount('toutiao', '甲市一县　发布'); // ideographic space: harmless
      const c = await openAccount('nanfang', '甲市一县發布'); // traditional character: a different name
      const d = await openAccount('own-app', '甲市⼀县发布'); // U+2F00 KANGXI RADICAL ONE: a look-alike
      for (const id of [a, b, c, d]) {
        await hub.http.patch(`/api/v1/accounts/${id}`).set(as('acc.admin')).send({ verifiedSubject: unitName });
      }
      await hub.http.patch(`/api/v1/accounts/${b}`).set(as('acc.admin')).send({ verifiedSubject: '某某文化传媒有限公司' });
      const get = async (id: string) => (await hub.http.get(`/api/v1/accounts/${id}`).set(as('acc.admin'))).body;
      assert.deepEqual((await get(a)).namingIssues, []);
      const issuesB = (await get(b)).namingIssues as string[];
      assert.equal(issuesB.length, 1);
      assert.match(issuesB[0]!, /不是主办单位/);
      assert.match(((await get(c)).namingIssues as string[])[0]!, /不一致/);
      assert.match(((await get(d)).namingIssues as string[])[0]!, /形似/);
      const inconsistent = await hub.http.get(`/api/v1/accounts?naming=inconsistent&unitId=${world.units.countyA1.id}`).set(as('acc.supA'));
      const flagged = inconsistent.body.items.map((x: { id: string }) => x.id);
      assert.deepEqual([a, b, c, d].filter((id) => flagged.includes(id)).sort(), [b, c, d].sort());
    });

    it('shows the matrix of a subtree: units × platforms with status and naming', async () => {
      const res = await hub.http.get(`/api/v1/matrix?unitId=${world.units.cityA.id}`).set(as('acc.supA'));
      assert.equal(res.status, 200);
      assert.deepEqual(
        res.body.platforms.map((p: { id: string }) => p.id),
        ['weibo', 'wechat', 'douyin', 'toutiao', 'nanfang', 'own-app'],
      );
      const unitIds = res.body.rows.map((r: { unitId: string }) => r.unitId);
      assert.ok(unitIds.includes(world.units.countyA1.id) && unitIds.includes(world.units.countyA2.id));
      assert.ok(!unitIds.includes(world.units.countyB1.id));
      const row = res.body.rows.find((r: { unitId: string }) => r.unitId === world.units.countyA1.id);
      assert.equal(row.cells.weibo.length, 2, 'the original and the excepted second weibo account');
      const naming = res.body.columns.indexOf('namingConsistent');
      assert.equal(row.cells.wechat[0][naming], true);
      assert.equal(row.cells['own-app'][0][naming], false);
      assert.equal(
        res.body.rows.find((r: { unitId: string }) => r.unitId === world.units.countyA2.id).cells.weibo,
        undefined,
        'no account there',
      );
      assert.ok(res.body.totals.unitsWithout.weibo >= 3);
      assert.equal((await hub.http.get(`/api/v1/matrix?unitId=${world.units.cityA.id}`).set(as('acc.supB'))).status, 404);
    });

    it('answers the matrix one tree level at a time with the whole subtree’s totals, inside the caller’s scope', async () => {
      const whole = (await hub.http.get('/api/v1/matrix').set(as('acc.supA'))).body;
      const cityA = world.units.cityA.id;
      const below = [world.units.countyA1.id, world.units.countyA2.id, world.units.deptA.id].sort();
      type Grid = { rows: { unitId: string; childCount: number }[] };
      const rowOf = (body: Grid, id: string) => body.rows.find((r) => r.unitId === id);
      assert.equal(rowOf(whole, cityA)?.childCount, 3);

      const top = await hub.http.get('/api/v1/matrix?levels=0').set(as('acc.supA'));
      assert.equal(top.status, 200, JSON.stringify(top.body));
      assert.deepEqual(
        top.body.rows.map((r: { unitId: string }) => r.unitId),
        [cityA],
      );
      assert.equal(top.body.rows[0].childCount, 3);
      assert.deepEqual(top.body.totals, whole.totals, 'the totals are the whole subtree’s');
      assert.deepEqual(top.body.platforms, whole.platforms);

      const one = (await hub.http.get('/api/v1/matrix?levels=1').set(as('acc.supA'))).body;
      assert.deepEqual(one.rows.map((r: { unitId: string }) => r.unitId).sort(), [cityA, ...below].sort());
      assert.equal(one.rows[0].unitId, cityA, 'tree order: the top first');
      for (const id of [cityA, ...below]) assert.deepEqual(rowOf(one, id), rowOf(whole, id), `the row of ${id} as in the whole grid`);

      const opened = (await hub.http.get(`/api/v1/matrix?unitId=${world.units.countyA1.id}&levels=1`).set(as('acc.supA'))).body;
      assert.deepEqual(opened.rows, [rowOf(whole, world.units.countyA1.id)]);

      // Another city's supervisor neither opens this subtree nor sees it among its own rows.
      assert.equal((await hub.http.get(`/api/v1/matrix?unitId=${cityA}&levels=1`).set(as('acc.supB'))).status, 404);
      const other = (await hub.http.get('/api/v1/matrix?levels=1').set(as('acc.supB'))).body;
      assert.ok(other.rows.length > 0);
      assert.ok(other.rows.every((r: { unitId: string }) => ![cityA, ...below].includes(r.unitId)));
      assert.equal((await hub.http.get('/api/v1/matrix?levels=-1').set(as('acc.supA'))).status, 400);
    });

    it('imports an Excel inventory all or nothing, naming each bad row and column', async () => {
      const count = async () => (await hub.http.get('/api/v1/accounts?pageSize=200').set(as('acc.supB'))).body.total as number;
      const before = await count();
      const sheet = async (rows: (string | Date)[][]) => {
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('账号清单');
        ws.addRow(['主办单位统一社会信用代码', '平台', '账号名称', '平台账号ID', '认证主体', '开设日期', '状态']);
        for (const r of rows) ws.addRow(r);
        return Buffer.from(await wb.xlsx.writeBuffer());
      };
      const code = world.units.countyB1.creditCode;
      const bad = await sheet([
        [code, '微博', '乙市一县发布', '9001', world.units.countyB1.name, '2019-03-01', '正常'],
        [code, '快手', '乙市一县发布', '9002', '', '2019-03-01', '正常'],
        ['91350100M000100Y43', '微信公众号', '某单位发布', '9003', '', '2019/3/1', '正常'],
        [code, '抖音', '乙市一县发布', '9004', '', '2019-02-30', '停用'],
      ]);
      const res = await hub.http.post('/api/v1/accounts/import').set(as('acc.adminB')).attach('file', bad, '账号清单.xlsx');
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 'IMPORT_INVALID');
      const where = res.body.details.map((d: { row: number; field: string }) => `${d.row}:${d.field}`).sort();
      assert.deepEqual(where, ['3:platform', '4:creditCode', '5:openedAt', '5:status']);
      assert.equal(await count(), before, 'nothing was imported');

      const good = await sheet([
        [code, '微博', '乙市一县发布', '9101', world.units.countyB1.name, new Date('2019-03-01T00:00:00+08:00'), '正常'],
        [code, '头条号', '乙市一县发布', '9102', world.units.countyB1.name, '2019年5月6日', '关停'],
      ]);
      const ok = await hub.http.post('/api/v1/accounts/import').set(as('acc.adminB')).attach('file', good, 'inventory.xlsx');
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.imported, 2);
      assert.equal(await count(), before + 2);
      const again = await hub.http.post('/api/v1/accounts/import').set(as('acc.adminB')).attach('file', good, 'inventory.xlsx');
      assert.equal(again.status, 400, 'the same platform account ids cannot be imported twice');
      const notXlsx = await hub.http
        .post('/api/v1/accounts/import')
        .set(as('acc.adminB'))
        .attach('file', Buffer.from('not a workbook'), 'x.xlsx');
      assert.equal(notXlsx.status, 400);
      assert.equal(notXlsx.body.code, 'IMPORT_UNREADABLE');
    });

    it('imports an inventory as applications: nothing is active until a supervisor above approves, never the importer', async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('账号清单');
      ws.addRow(['主办单位统一社会信用代码', '平台', '账号名称', '平台账号ID', '认证主体', '开设日期', '状态']);
      const code = world.units.countyB1.creditCode;
      ws.addRow([code, '微信公众号', '乙市一县发布', 'wx-9201', world.units.countyB1.name, '2018-04-02', '正常']);
      ws.addRow([code, '抖音', '乙市一县发布', 'dy-9202', world.units.countyB1.name, '2018-05-03', '关停']);
      ws.addRow([code, '南方号', '乙市一县旧号', 'nf-9203', world.units.countyB1.name, '2017-01-01', '注销']);
      const file = Buffer.from(await wb.xlsx.writeBuffer());
      const activeBefore = (await hub.http.get('/api/v1/accounts?status=active&pageSize=200').set(as('acc.supB'))).body.total as number;

      const res = await hub.http.post('/api/v1/accounts/import').set(as('acc.adminB')).attach('file', file, 'inventory.xlsx');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.imported, 3);
      assert.equal(res.body.pendingApproval, 2);
      const [wechat, douyin, nanfang] = res.body.accountIds as string[];
      const get = async (id: string) => (await hub.http.get(`/api/v1/accounts/${id}`).set(as('acc.supB'))).body;
      for (const id of [wechat!, douyin!]) {
        const a = await get(id);
        assert.equal(a.status, 'applying', 'an imported row waits for approval');
        assert.equal(a.approvals.length, 1);
        assert.equal(a.approvals[0].decision, 'pending');
      }
      assert.equal((await get(nanfang!)).status, 'cancelled', 'a cancelled row stays a closed record');
      assert.equal(
        (await hub.http.get('/api/v1/accounts?status=active&pageSize=200').set(as('acc.supB'))).body.total,
        activeBefore,
        'no account became active by import',
      );
      const connect = await hub.http
        .post(`/api/v1/accounts/${wechat}/credentials`)
        .set(as('acc.adminB'))
        .send({ credentials: { appid: 'wx0123456789abcdef', secret: 'x'.repeat(32) } });
      assert.equal(connect.status, 409, 'an application cannot be connected to its platform');

      const own = await hub.http.post(`/api/v1/accounts/${wechat}/approval`).set(as('acc.adminB')).send({ decision: 'approve' });
      assert.equal(own.status, 403, 'the importing unit admin cannot approve its own import');
      assert.equal((await get(wechat!)).status, 'applying');

      const approved = await hub.http.post(`/api/v1/accounts/${wechat}/approval`).set(as('acc.supB')).send({ decision: 'approve' });
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.equal(approved.body.status, 'opened');
      assert.equal(approved.body.filing.kind, 'open', 'approval owes the opening filing like any new account');
      assert.equal(
        new Date(approved.body.openedAt).toISOString(),
        new Date('2018-04-01T16:00:00.000Z').toISOString(),
        'the sheet’s date kept',
      );
      const rejected = await hub.http.post(`/api/v1/accounts/${douyin}/approval`).set(as('acc.supB')).send({ decision: 'reject' });
      assert.equal(rejected.status, 200);
      assert.equal(rejected.body.status, 'rejected');
    });
  });
}
