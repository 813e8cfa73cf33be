import { promisify } from 'node:util';
import { inflateRaw } from 'node:zlib';
import { CommonError, CommonException } from '../errors/common.exception';

const inflate = promisify(inflateRaw) as (buf: Buffer, opts: { maxOutputLength: number }) => Promise<Buffer>;

/** What one spreadsheet upload may expand to before a parser sees it. */
export interface XlsxLimits {
  /** Files inside the zip (a workbook from Excel has a dozen or two). */
  maxEntries: number;
  /** Sum of the entries' uncompressed sizes, in bytes. */
  maxUncompressedBytes: number;
  /** Uncompressed ÷ compressed, of the whole archive and of any entry over 1 MB. */
  maxRatio: number;
  /** Rows over all worksheets. */
  maxRows: number;
  /** Cells over all worksheets (a row of 16 384 columns is as costly as thousands of rows). */
  maxCells: number;
}

export const DEFAULT_XLSX_LIMITS: XlsxLimits = {
  maxEntries: 200,
  maxUncompressedBytes: 32 * 1024 * 1024,
  maxRatio: 100,
  maxRows: 10_000,
  maxCells: 200_000,
};

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
// Small entries compress absurdly well (an empty sheet, a style table); their ratio proves nothing.
const RATIO_FLOOR_BYTES = 1024 * 1024;

/**
 * Checks an .xlsx (a zip) before any parser inflates it, so a few hundred kilobytes cannot expand
 * to gigabytes in memory: the entry count, the declared sizes and compression ratios from the
 * central directory, then every entry inflated with its declared size as a hard ceiling (a
 * directory that lies about sizes is caught there), counting worksheet rows and cells on the
 * way. Throws CommonException(SpreadsheetRefused) naming the limit in Chinese, or
 * (SpreadsheetUnreadable) for what is not a zip this reader can follow.
 */
export async function assertSafeXlsx(file: Buffer, limits: XlsxLimits = DEFAULT_XLSX_LIMITS): Promise<{ rows: number; cells: number }> {
  const refuse = (reason: string): never => {
    throw new CommonException(CommonError.SpreadsheetRefused, { reason });
  };
  // Whatever this reader cannot follow is not handed to a more lenient one: it is refused too.
  const unreadable = (reason: string): never => {
    throw new CommonException(CommonError.SpreadsheetUnreadable, { reason });
  };
  const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
  const eocd = findEndOfCentralDirectory(file);
  if (eocd < 0) unreadable('不是有效的 .xlsx 文件');
  const count = file.readUInt16LE(eocd + 10);
  const cdSize = file.readUInt32LE(eocd + 12);
  const cdOffset = file.readUInt32LE(eocd + 16);
  // Zip64 markers: no workbook within these limits needs them.
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff)
    refuse(`文件内条目过多或过大（上限 ${limits.maxEntries} 个、${mb(limits.maxUncompressedBytes)}）`);
  if (count > limits.maxEntries) refuse(`文件内条目超过 ${limits.maxEntries} 个`);
  if (cdOffset + cdSize > eocd) unreadable('不是有效的 .xlsx 文件');

  interface Entry {
    name: string;
    method: number;
    compressed: number;
    uncompressed: number;
    localOffset: number;
  }
  const entries: Entry[] = [];
  let p = cdOffset;
  let total = 0;
  let packed = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > file.length || file.readUInt32LE(p) !== CENTRAL) unreadable('不是有效的 .xlsx 文件');
    const e: Entry = {
      method: file.readUInt16LE(p + 10),
      compressed: file.readUInt32LE(p + 20),
      uncompressed: file.readUInt32LE(p + 24),
      localOffset: file.readUInt32LE(p + 42),
      name: file.toString('utf8', p + 46, p + 46 + file.readUInt16LE(p + 28)),
    };
    p += 46 + file.readUInt16LE(p + 28) + file.readUInt16LE(p + 30) + file.readUInt16LE(p + 32);
    if (e.method !== 0 && e.method !== 8) unreadable('文件使用了不支持的压缩方式');
    total += e.uncompressed;
    packed += e.compressed;
    if (total > limits.maxUncompressedBytes) refuse(`解压后超过 ${mb(limits.maxUncompressedBytes)}`);
    if (e.uncompressed > RATIO_FLOOR_BYTES && e.uncompressed > limits.maxRatio * Math.max(1, e.compressed)) {
      refuse(`压缩比异常（超过 ${limits.maxRatio} 倍），疑似压缩炸弹`);
    }
    entries.push(e);
  }
  if (total > RATIO_FLOOR_BYTES && total > limits.maxRatio * Math.max(1, packed))
    refuse(`压缩比异常（超过 ${limits.maxRatio} 倍），疑似压缩炸弹`);

  let rows = 0;
  let cells = 0;
  for (const e of entries) {
    const at = e.localOffset;
    if (at + 30 > file.length || file.readUInt32LE(at) !== LOCAL) unreadable('不是有效的 .xlsx 文件');
    const start = at + 30 + file.readUInt16LE(at + 26) + file.readUInt16LE(at + 28);
    if (start + e.compressed > file.length) unreadable('文件不完整');
    const raw = file.subarray(start, start + e.compressed);
    let data: Buffer;
    if (e.method === 0) data = raw;
    else {
      try {
        // One byte over the declared size is enough to know the directory lied.
        data = await inflate(raw, { maxOutputLength: e.uncompressed + 1 });
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') refuse('实际解压大小与声明不符，疑似压缩炸弹');
        return unreadable('文件已损坏');
      }
    }
    if (data.length !== e.uncompressed) refuse('实际解压大小与声明不符，疑似压缩炸弹');
    if (/^xl\/worksheets\/[^/]+\.xml$/i.test(e.name)) {
      const xml = data.toString('latin1');
      rows += countMatches(xml, /<row[\s>/]/g);
      cells += countMatches(xml, /<c[\s>/]/g);
      if (rows > limits.maxRows) refuse(`数据超过 ${limits.maxRows} 行，请分成多个文件导入`);
      if (cells > limits.maxCells) refuse(`单元格超过 ${limits.maxCells} 个，请删去无关的列或分成多个文件导入`);
    }
  }
  return { rows, cells };
}

function findEndOfCentralDirectory(file: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65 535.
  const stop = Math.max(0, file.length - 22 - 0xffff);
  for (let i = file.length - 22; i >= stop; i--) if (file.readUInt32LE(i) === EOCD) return i;
  return -1;
}

function countMatches(text: string, re: RegExp): number {
  let n = 0;
  re.lastIndex = 0;
  while (re.exec(text)) n++;
  return n;
}
