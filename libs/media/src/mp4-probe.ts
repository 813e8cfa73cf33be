import { open } from 'node:fs/promises';

export interface Mp4Info {
  durationSec: number;
  width: number;
  height: number;
}

/**
 * Reads an MP4's duration and picture size from its `moov` box (mvhd, and tkhd of the first track
 * with a picture), walking top-level boxes by their headers so a large file is never read whole.
 * Returns null when the file has no readable moov.
 */
export async function probeMp4(path: string): Promise<Mp4Info | null> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    let offset = 0;
    const head = Buffer.alloc(16);
    while (offset + 8 <= size) {
      await fh.read(head, 0, 16, offset);
      let boxSize = head.readUInt32BE(0);
      const type = head.toString('latin1', 4, 8);
      let headerLen = 8;
      if (boxSize === 1) {
        boxSize = Number(head.readBigUInt64BE(8));
        headerLen = 16;
      } else if (boxSize === 0) boxSize = size - offset;
      if (boxSize < headerLen) return null;
      if (type === 'moov') {
        if (boxSize > 64 * 1024 * 1024) return null;
        const moov = Buffer.alloc(boxSize - headerLen);
        await fh.read(moov, 0, moov.length, offset + headerLen);
        return parseMoov(moov);
      }
      offset += boxSize;
    }
    return null;
  } finally {
    await fh.close();
  }
}

function* boxes(buf: Buffer): Generator<{ type: string; body: Buffer }> {
  let o = 0;
  while (o + 8 <= buf.length) {
    const size = buf.readUInt32BE(o);
    const type = buf.toString('latin1', o + 4, o + 8);
    if (size < 8 || o + size > buf.length) return;
    yield { type, body: buf.subarray(o + 8, o + size) };
    o += size;
  }
}

function parseMoov(moov: Buffer): Mp4Info | null {
  let durationSec = 0;
  let width = 0;
  let height = 0;
  for (const b of boxes(moov)) {
    if (b.type === 'mvhd') {
      const v = b.body[0];
      const timescale = v === 1 ? b.body.readUInt32BE(20) : b.body.readUInt32BE(12);
      const duration = v === 1 ? Number(b.body.readBigUInt64BE(24)) : b.body.readUInt32BE(16);
      durationSec = timescale ? duration / timescale : 0;
    }
    if (b.type === 'trak' && !width) {
      for (const t of boxes(b.body)) {
        if (t.type !== 'tkhd') continue;
        // width and height are the last 8 bytes of tkhd, 16.16 fixed point.
        const w = t.body.readUInt32BE(t.body.length - 8) / 65536;
        const h = t.body.readUInt32BE(t.body.length - 4) / 65536;
        if (w > 0 && h > 0) {
          width = Math.round(w);
          height = Math.round(h);
        }
      }
    }
  }
  return durationSec || width ? { durationSec, width, height } : null;
}
