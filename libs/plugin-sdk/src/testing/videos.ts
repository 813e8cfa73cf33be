import type { VideoReader } from '../context';
import type { ManuscriptInput } from '../plugin';

// Video for tests and simulators: just enough of ISO-BMFF (MP4) and WebM for a simulator to check what
// it receives the way a real platform does (container, duration), and for tests to build small valid files.

/** The container of a video file, by its magic bytes. */
export function videoContainer(b: Uint8Array): 'mp4' | 'webm' | undefined {
  if (b.length >= 12 && Buffer.from(b.subarray(4, 8)).toString('latin1') === 'ftyp') return 'mp4';
  if (b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'webm';
  return undefined;
}

/** Walks the boxes in `b[start, end)`, calling `visit(type, bodyStart, bodyEnd)`; stops when it returns a value. */
function boxes<T>(b: Buffer, start: number, end: number, visit: (type: string, s: number, e: number) => T | undefined): T | undefined {
  let at = start;
  while (at + 8 <= end) {
    let size = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) return undefined;
      size = Number(b.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < header || at + size > end) return undefined;
    const found = visit(type, at + header, at + size);
    if (found !== undefined) return found;
    at += size;
  }
  return undefined;
}

/** The duration in seconds from an MP4's `moov/mvhd`, or undefined when absent or malformed. */
export function mp4DurationSec(data: Uint8Array): number | undefined {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return boxes(b, 0, b.length, (type, s, e) =>
    type !== 'moov'
      ? undefined
      : boxes(b, s, e, (t, ms) => {
          if (t !== 'mvhd') return undefined;
          const version = b[ms];
          const timescale = version === 1 ? b.readUInt32BE(ms + 20) : b.readUInt32BE(ms + 12);
          const duration = version === 1 ? Number(b.readBigUInt64BE(ms + 24)) : b.readUInt32BE(ms + 16);
          return timescale > 0 ? duration / timescale : undefined;
        }),
  );
}

function box(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

/** A structurally valid MP4 of exactly `bytes` bytes whose `mvhd` declares `durationSec` (tests and demos). */
export function buildTestMp4(bytes: number, durationSec: number): Buffer {
  const ftyp = box('ftyp', Buffer.concat([Buffer.from('isom', 'latin1'), Buffer.from([0, 0, 2, 0]), Buffer.from('isommp41', 'latin1')]));
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(1000, 12); // timescale
  mvhd.writeUInt32BE(Math.round(durationSec * 1000), 16);
  const moov = box('moov', box('mvhd', mvhd));
  const rest = bytes - ftyp.length - moov.length - 8;
  if (rest < 0) throw new Error(`an MP4 needs at least ${ftyp.length + moov.length + 8} bytes`);
  return Buffer.concat([ftyp, moov, box('mdat', Buffer.alloc(rest, 0x5a))]);
}

/** A `ctx.videos` over in-memory files by ref, recording every read (what the hub streams from its media store). */
export function memoryVideos(
  files: Record<string, Uint8Array>,
): VideoReader & { reads: Array<{ ref: string; offset: number; length: number }> } {
  const reads: Array<{ ref: string; offset: number; length: number }> = [];
  return {
    reads,
    async read(ref, offset, length) {
      const f = files[ref];
      if (!f) throw new Error(`no test video ${ref}`);
      reads.push({ ref, offset, length });
      return f.subarray(offset, offset + length);
    },
  };
}

/** The conformance suite's video: 6 MB and 15 s, so a chunked upload has more than one 5 MB part. */
export const SAMPLE_VIDEO_REF = 'asset-video';
let sampleVideoBytes: Buffer | undefined;
export function sampleVideo(): Buffer {
  sampleVideoBytes ??= buildTestMp4(6 * 1024 * 1024, 15);
  return sampleVideoBytes;
}

/** `manuscript` with the sample video attached (vertical 720×1280 MP4). */
export function withSampleVideo(manuscript: ManuscriptInput): ManuscriptInput {
  const v = sampleVideo();
  return { ...manuscript, video: { ref: SAMPLE_VIDEO_REF, bytes: v.length, durationSec: 15, width: 720, height: 1280, format: 'mp4' } };
}
