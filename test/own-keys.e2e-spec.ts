import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';

/** Names every plain object answers from Object.prototype. */
const PROTOTYPE_NAMES = [
  'constructor',
  '-toString',
  'valueOf',
  'hasOwnProperty',
  '-isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__proto__',
  '-__proto__',
];

/**
 * A request string used as a key of a lookup table (a sort field, an import cell) is looked up
 * among the table's own keys only: `constructor` and friends are refused like any unknown name,
 * with a 400 naming the field, never a 500 or a stored function.
 */
for (const driver of testDrivers()) {
  describe(`request strings never reach Object.prototype (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    const t = new Map<string, string>();
    const as = (who: string) => ({ Authorization: `Bearer ${t.get(who)}` });

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      for (const [u, role, unit] of [
        ['ok.aud', Role.Auditor, 'province'],
        ['ok.op', Role.PlatformOperator, 'province'],
        ['ok.admin', Role.UnitAdmin, 'countyB1'],
      ] as const) {
        await world.user(u, role, unit);
        t.set(u, await login(hub.http, u));
      }
    });
    after(() => hub.close());

    it('answers 400 naming sort for a prototype member as the sort field of every list', async () => {
      for (const list of ['/units', '/users', '/accounts', '/filings', '/manuscripts', '/publications', '/audit']) {
        for (const sort of PROTOTYPE_NAMES) {
          const res = await hub.http.get(`/api/v1${list}?sort=${encodeURIComponent(sort)}`).set(as('ok.aud'));
          assert.equal(res.status, 400, `${list}?sort=${sort}: ${res.status} ${JSON.stringify(res.body)}`);
          assert.equal(res.body.details[0].field, 'sort', `${list}?sort=${sort}`);
          assert.match(res.body.message, /sort/);
        }
      }
      // The allowed fields still sort.
      assert.equal((await hub.http.get('/api/v1/users?sort=-username').set(as('ok.aud'))).status, 200);
    });

    it('refuses a lexicon line whose severity is a prototype member, naming the line', async () => {
      for (const severity of ['constructor', 'tostring', 'valueof', '__proto__']) {
        const res = await hub.http
          .post('/api/v1/lexicons/import?kind=sensitive')
          .set(as('ok.op'))
          .set('Content-Type', 'text/plain')
          .send(`敏感测试词甲\n敏感测试词乙\t\t${severity}\n`);
        assert.equal(res.status, 400, `${severity}: ${res.status} ${JSON.stringify(res.body)}`);
        assert.ok(
          res.body.details.some((d: { field: string; message: string }) => d.field === 'line 2' && /级别/.test(d.message)),
          JSON.stringify(res.body),
        );
      }
    });

    it('refuses an inventory row whose status or platform is a prototype member, naming row and column', async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('账号清单');
      ws.addRow(['主办单位统一社会信用代码', '平台', '账号名称', '平台账号ID', '认证主体', '开设日期', '状态']);
      const code = world.units.countyB1.creditCode;
      ws.addRow([code, '微博', '乙市一县发布', '7001', world.units.countyB1.name, '2019-03-01', 'constructor']);
      ws.addRow([code, 'constructor', '乙市一县发布', '7002', world.units.countyB1.name, '2019-03-01', '正常']);
      ws.addRow([code, '头条号', '乙市一县发布', '7003', world.units.countyB1.name, '2019-03-01', '__proto__']);
      const file = Buffer.from(await wb.xlsx.writeBuffer());
      const res = await hub.http.post('/api/v1/accounts/import').set(as('ok.admin')).attach('file', file, '账号清单.xlsx');
      assert.equal(res.status, 400, JSON.stringify(res.body));
      const where = res.body.details.map((d: { row: number; field: string }) => `${d.row}:${d.field}`).sort();
      assert.deepEqual(where, ['2:status', '3:platform', '4:status']);
    });
  });
}
