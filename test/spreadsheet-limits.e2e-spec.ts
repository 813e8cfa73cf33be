import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { Role } from '@tongfa/identity';
import { testDrivers } from '@tongfa/database';
import { Account } from '@tongfa/accounts';
import { startTestHub, TestHub } from './support/test-hub';
import { login, World } from './support/world';
import { zipBombWorkbook } from './support/zip-bomb';

/**
 * An uploaded spreadsheet is measured before it is parsed: a zip bomb (a sheet of 200 MB of zeros
 * in a couple of hundred kilobytes) and a sheet of too many rows are refused with a 400 in Chinese,
 * without inflating the bomb and without importing anything.
 */
for (const driver of testDrivers()) {
  describe(`spreadsheet imports refuse bombs and oversized sheets (${driver})`, () => {
    let hub: TestHub;
    let world: World;
    let token = '';

    before(async () => {
      hub = await startTestHub(driver);
      world = await World.build(hub.app);
      await world.user('xl.admin', Role.UnitAdmin, 'countyA1');
      token = await login(hub.http, 'xl.admin');
    });
    after(() => hub.close());

    const upload = (file: Buffer) =>
      hub.http
        .post('/api/v1/accounts/import')
        .set({ Authorization: `Bearer ${token}` })
        .attach('file', file, '账号清单.xlsx');

    it('refuses a zip bomb from its central directory, before any parser inflates it', async () => {
      const bomb = await zipBombWorkbook(200 * 1024 * 1024);
      assert.ok(bomb.length < 1024 * 1024, `the bomb is ${bomb.length} bytes on the wire`);
      const res = await upload(bomb);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.code, 'SPREADSHEET_REFUSED');
      assert.match(res.body.message, /表格文件超出可处理的范围：解压后超过 32 MB/);
      assert.equal(await hub.ds.getRepository(Account).count(), 0, 'nothing imported');
    });

    it('refuses a sheet of more rows than an import takes, naming the cap', async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('账号清单');
      ws.addRow(['主办单位统一社会信用代码', '平台', '账号名称']);
      for (let i = 0; i < 10_001; i++) ws.addRow([world.units.countyA1.creditCode, '微博', `甲市一县发布${i}`]);
      const res = await upload(Buffer.from(await wb.xlsx.writeBuffer()));
      assert.equal(res.status, 400, JSON.stringify(res.body).slice(0, 500));
      assert.equal(res.body.code, 'SPREADSHEET_REFUSED');
      assert.match(res.body.message, /数据超过 10000 行，请分成多个文件导入/);
      assert.equal(await hub.ds.getRepository(Account).count(), 0, 'nothing imported');
    });
  });
}
