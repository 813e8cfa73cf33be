import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { CommonException } from '../errors/common.exception';
import { assertSafeXlsx, DEFAULT_XLSX_LIMITS, XlsxLimits } from './xlsx-guard';

async function workbook(rows: number, cols = 3): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('清单');
  for (let r = 0; r < rows; r++) ws.addRow(Array.from({ length: cols }, (_, c) => `${r}-${c}`));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function withSheet(xml: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await workbook(1));
  zip.file('xl/worksheets/sheet1.xml', xml);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

async function refusal(file: Buffer, limits?: Partial<XlsxLimits>, code = 'SPREADSHEET_REFUSED'): Promise<string> {
  try {
    await assertSafeXlsx(file, { ...DEFAULT_XLSX_LIMITS, ...limits });
  } catch (e) {
    assert.ok(e instanceof CommonException, `a CommonException, got ${String(e)}`);
    assert.equal(e.code, code);
    return e.text('zh');
  }
  assert.fail('accepted');
}

/** Patches the central directory's uncompressed size of `name` (the bomb that lies about itself). */
function lieAbout(file: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(file);
  for (let p = out.length - 22; p >= 0; p--) {
    if (out.readUInt32LE(p) !== 0x02014b50) continue;
    const n = out.toString('utf8', p + 46, p + 46 + out.readUInt16LE(p + 28));
    if (n === name) {
      out.writeUInt32LE(size, p + 24);
      return out;
    }
  }
  throw new Error(`no ${name}`);
}

describe('xlsx guard', () => {
  it('passes an ordinary workbook and counts its rows and cells', async () => {
    const { rows, cells } = await assertSafeXlsx(await workbook(50, 4));
    assert.equal(rows, 50);
    assert.equal(cells, 200);
  });

  it('refuses what is not a zip', async () => {
    assert.match(await refusal(Buffer.from('not a workbook at all'), {}, 'SPREADSHEET_UNREADABLE'), /不是有效的 \.xlsx 文件/);
  });

  it('refuses an archive that inflates past the size cap, from the directory alone', async () => {
    const bomb = await withSheet(Buffer.alloc(8 * 1024 * 1024, 0x30));
    assert.ok(bomb.length < 100_000, `compressed to ${bomb.length} bytes`);
    assert.match(await refusal(bomb, { maxUncompressedBytes: 4 * 1024 * 1024 }), /解压后超过 4 MB/);
  });

  it('refuses an extreme compression ratio under the size cap', async () => {
    assert.match(await refusal(await withSheet(Buffer.alloc(4 * 1024 * 1024, 0x30))), /压缩比异常/);
  });

  it('refuses an entry that inflates past the size its directory declares', async () => {
    const bomb = await withSheet(Buffer.alloc(4 * 1024 * 1024, 0x30));
    // Declared small enough that neither the size nor the ratio check can see it.
    const lying = lieAbout(bomb, 'xl/worksheets/sheet1.xml', 1000);
    assert.match(await refusal(lying), /实际解压大小与声明不符/);
  });

  it('refuses too many entries, rows or cells', async () => {
    const zip = await JSZip.loadAsync(await workbook(1));
    for (let i = 0; i < 30; i++) zip.file(`xl/media/pad${i}.bin`, 'x');
    const many = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    assert.match(await refusal(many, { maxEntries: 20 }), /条目超过 20 个/);
    assert.match(await refusal(await workbook(101), { maxRows: 100 }), /数据超过 100 行/);
    assert.match(await refusal(await workbook(10, 30), { maxCells: 250 }), /单元格超过 250 个/);
  });
});
