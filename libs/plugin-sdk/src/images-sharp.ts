import { cropAround, type CropRect, type FittedImage, type FocusPoint, type ImageFitSpec, type ImageFitter } from './images';

// The sharp typings are not a dependency of the SDK; this is the small surface used here.
interface SharpInstance {
  rotate(): SharpInstance;
  extract(r: { left: number; top: number; width: number; height: number }): SharpInstance;
  resize(o: { width?: number; height?: number; fit: 'inside' | 'fill'; withoutEnlargement?: boolean }): SharpInstance;
  jpeg(o: { quality: number; mozjpeg?: boolean; optimiseCoding?: boolean }): SharpInstance;
  webp(o: { quality: number }): SharpInstance;
  png(o: { compressionLevel: number; palette?: boolean; quality?: number }): SharpInstance;
  raw(): SharpInstance;
  toBuffer(o: { resolveWithObject: true }): Promise<{ data: Buffer; info: { width: number; height: number; channels: number } }>;
  metadata(): Promise<{ width?: number; height?: number; channels?: number; orientation?: number; format?: string }>;
}
type SharpFactory = (
  input: Uint8Array,
  options?: { failOn?: string; limitInputPixels?: number; raw?: { width: number; height: number; channels: number } },
) => SharpInstance;

let sharpModule: SharpFactory | undefined;

/**
 * Loads sharp on first use: it is an optional peer dependency that only the host installs, so plugins
 * importing the SDK never pay for (or fail on) the native module.
 */
function loadSharp(): SharpFactory {
  if (!sharpModule) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      sharpModule = require('sharp') as SharpFactory;
    } catch (e) {
      throw new Error('需要安装 sharp 才能处理图片 / the image fitter needs the optional peer dependency "sharp" (npm install sharp)', {
        cause: e,
      });
    }
  }
  return sharpModule;
}

/** Options of the reference fitter. */
export interface SharpImageFitterOptions {
  /** JPEG/WebP qualities tried in order until the image fits maxBytes. */
  qualitySteps?: number[];
  /** Refuse inputs with more pixels than this (decompression bombs). Default 100 megapixels. */
  limitInputPixels?: number;
  /**
   * Sources decoded at once by this fitter (each holds its decoded pixels while its outputs are made).
   * Default 1: a 24-megapixel photo is 72 MB of pixels, so this bounds the memory fitting can take.
   */
  sources?: number;
  /**
   * Outputs of one source made at once (crop, scale, encode). Default 1: the kept JPEG is encoded with
   * mozjpeg, which holds every coefficient of its image (about 100 MB for 24 megapixels), so each output
   * made at once adds that much to the peak.
   */
  pipelines?: number;
  /**
   * Largest decode (in bytes of pixels) shared by several outputs of a source. Default 32 MiB, e.g. a
   * 24-megapixel photo at 1/2 or smaller (a 12-megapixel one whole). A larger decode (72 MB for that photo
   * whole) is not held: each of its outputs decodes the file itself, streaming, which costs a small part
   * of what its encode costs and keeps that much memory free.
   */
  sharedDecodeBytes?: number;
}

/** One output asked of a source in {@link SharpImageFitter.fitMany}. */
export interface FitRequest {
  spec: ImageFitSpec;
  /** The asset's own focus point (the spec's focus wins). */
  focus?: FocusPoint;
}

/** A counting semaphore: at most `size` holders at once, the others wait in order. */
class Gate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly size: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/** Rounds half to even, as libvips (std::rint) does when it sizes a resize. */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The size sharp's `fit: 'inside', withoutEnlargement: true` gives a `width`×`height` image within the
 * bounds: both sides scaled by the larger of the two reductions, never enlarged.
 */
export function insideSize(width: number, height: number, maxWidth?: number, maxHeight?: number): { width: number; height: number } {
  const factor = Math.max(maxWidth ? width / maxWidth : 0, maxHeight ? height / maxHeight : 0);
  if (factor <= 1) return { width, height };
  return { width: Math.max(1, rint(width / factor)), height: Math.max(1, rint(height / factor)) };
}

interface Planned {
  index: number;
  spec: ImageFitSpec;
  crop: CropRect;
  width: number;
  height: number;
  /** The decode this output is made from: the source scaled by 1/shrink. */
  shrink: number;
}

/** How far over maxBytes a one-pass JPEG of the quality search may be and still count as fitting. */
const SEARCH_SLACK = 1.05;

type Frame = { data: Buffer; info: { width: number; height: number; channels: number } };

/**
 * The host's reference ImageFitter on sharp. Always: applies EXIF orientation, then strips every piece
 * of metadata (sharp writes none unless asked, and this class never asks), crops to the aspect around the
 * focus point, scales down within the bounds and re-encodes; JPEG/WebP quality steps down, then the size
 * shrinks by 15 % per round, until the bytes fit.
 *
 * Several outputs of one source ({@link fitMany}, e.g. a cover for six platforms) share its decode: the
 * source is decoded once per size class (full size, or 1/2, 1/4, 1/8 when every output of the class is
 * at least twice smaller still), and each output is cropped and scaled from those pixels, as long as the
 * decode is within `sharedDecodeBytes`; a bigger one is not held, each output streams from the file. The
 * number of sources decoded at once and of outputs made at once are bounded, which bounds the memory:
 * with the defaults, fitting three 24-megapixel photos for six platforms peaks near 160 MB over the
 * process's own (glibc needs a fixed mmap threshold to give the freed buffers back; see the host's
 * README, MALLOC_MMAP_THRESHOLD_).
 */
export class SharpImageFitter implements ImageFitter {
  private readonly steps: number[];
  private readonly limitInputPixels: number;
  private readonly sources: Gate;
  private readonly pipelines: number;
  private readonly sharedDecodeBytes: number;

  constructor(options: SharpImageFitterOptions = {}) {
    this.steps = options.qualitySteps ?? [88, 80, 72, 64, 56, 48, 40, 32];
    this.limitInputPixels = options.limitInputPixels ?? 100_000_000;
    this.sources = new Gate(Math.max(1, options.sources ?? 1));
    this.pipelines = Math.max(1, options.pipelines ?? 1);
    this.sharedDecodeBytes = options.sharedDecodeBytes ?? 32 * 1024 * 1024;
  }

  async fit(input: Uint8Array, spec: ImageFitSpec, assetFocus?: FocusPoint): Promise<FittedImage> {
    const [r] = await this.fitMany(input, [{ spec, focus: assetFocus }]);
    if (r!.status === 'rejected') throw r!.reason;
    return r!.value;
  }

  /**
   * Fits one source for several specs, decoding it once per size class. Each output settles on its own:
   * one that cannot fit its byte limit does not fail the others. An unreadable source fails them all.
   */
  async fitMany(input: Uint8Array, requests: FitRequest[]): Promise<PromiseSettledResult<FittedImage>[]> {
    if (requests.length === 0) return [];
    return this.sources.run(async () => {
      const sharp = loadSharp();
      const open = () => sharp(input, { failOn: 'error', limitInputPixels: this.limitInputPixels });
      const meta = await open().metadata();
      if (!meta.width || !meta.height) throw new Error('无法读取图片尺寸 / cannot read image dimensions');
      // Orientations 5–8 rotate by 90°, so the displayed width is the stored height.
      const turned = (meta.orientation ?? 1) >= 5;
      const width = turned ? meta.height : meta.width;
      const height = turned ? meta.width : meta.height;
      const jpeg = meta.format === 'jpeg';

      const classes = new Map<number, Planned[]>();
      requests.forEach(({ spec, focus }, index) => {
        const crop = spec.aspect ? cropAround(width, height, spec.aspect, spec.focus ?? focus) : { left: 0, top: 0, width, height };
        const size = insideSize(crop.width, crop.height, spec.maxWidth, spec.maxHeight);
        // JPEG decodes at 1/2, 1/4, 1/8 for little more than the cost of the smaller image; keep at least
        // a factor of two for the final resample, as sharp does, so the quality is that of a full decode.
        const room = Math.min(crop.width / size.width, crop.height / size.height);
        let shrink = 1;
        if (jpeg) while (shrink < 8 && shrink * 4 <= room) shrink *= 2;
        const planned: Planned = { index, spec, crop, ...size, shrink };
        classes.set(shrink, [...(classes.get(shrink) ?? []), planned]);
      });

      const out = new Array<PromiseSettledResult<FittedImage>>(requests.length);
      const settle = async (p: Planned, pixels: () => SharpInstance) => {
        try {
          out[p.index] = { status: 'fulfilled', value: await this.encodeToFit(pixels, p.spec) };
        } catch (e) {
          out[p.index] = { status: 'rejected', reason: e };
        }
      };
      const lanes = async (plans: Planned[], make: (p: Planned) => Promise<void>) => {
        const queue = [...plans];
        const lane = async () => {
          for (let p = queue.shift(); p; p = queue.shift()) await make(p);
        };
        await Promise.all(Array.from({ length: Math.min(this.pipelines, plans.length) }, lane));
      };
      // Straight from the file: decoded as it streams (shrunk on load where the scale allows), cropped
      // and scaled, so only the output's own pixels are held.
      const streamed = (p: Planned) => () => {
        let img = open().rotate();
        if (p.crop.width !== width || p.crop.height !== height) img = img.extract(p.crop);
        if (p.width !== p.crop.width || p.height !== p.crop.height) img = img.resize({ width: p.width, height: p.height, fit: 'fill' });
        return img;
      };
      for (const [shrink, plans] of classes) {
        const decodeBytes = Math.ceil(width / shrink) * Math.ceil(height / shrink) * (meta.channels ?? 4);
        if (plans.length === 1 || decodeBytes > this.sharedDecodeBytes) {
          // One output, or a decode too big to hold while the outputs are made (see sharedDecodeBytes).
          await lanes(plans, (p) => settle(p, streamed(p)));
          continue;
        }
        // One decode for the class (oriented, at 1/shrink); every output is cut from those pixels.
        let img = open().rotate();
        if (shrink > 1) img = img.resize({ width: Math.ceil(width / shrink), height: Math.ceil(height / shrink), fit: 'fill' });
        let decoded: Frame | undefined = await img.raw().toBuffer({ resolveWithObject: true });
        const { width: dw, height: dh, channels } = decoded.info;
        const sx = dw / width;
        const sy = dh / height;
        await lanes(plans, (p) => {
          const src = decoded!;
          return settle(p, () => {
            const left = Math.min(dw - 1, Math.round(p.crop.left * sx));
            const top = Math.min(dh - 1, Math.round(p.crop.top * sy));
            const cw = Math.max(1, Math.min(dw - left, Math.round(p.crop.width * sx)));
            const ch = Math.max(1, Math.min(dh - top, Math.round(p.crop.height * sy)));
            let frame = sharp(src.data, { raw: { width: dw, height: dh, channels } });
            if (cw !== dw || ch !== dh) frame = frame.extract({ left, top, width: cw, height: ch });
            if (p.width !== cw || p.height !== ch) frame = frame.resize({ width: p.width, height: p.height, fit: 'fill' });
            return frame;
          });
        });
        decoded = undefined; // the class's pixels go before the next class is decoded
      }
      return out;
    });
  }

  /**
   * Encodes the oriented, cropped and scaled pixels (`pixels` makes a pipeline giving them) in the spec's
   * format; when over maxBytes, a binary search over the quality steps (sizes fall as quality falls), then
   * 15 % smaller per round, skipping the rounds that cannot fit.
   */
  private async encodeToFit(pixels: () => SharpInstance, spec: ImageFitSpec): Promise<FittedImage> {
    const sharp = loadSharp();
    const qualities = this.steps;
    const encodeFrom = (img: SharpInstance, quality: number, final: boolean) => {
      // The search encodes with plain libjpeg-turbo in one pass, without optimised Huffman tables:
      // optimising holds every DCT coefficient of the image (72 MB for 24 megapixels) and takes four
      // times as long, for a file about 5 % smaller. The kept image is encoded with mozjpeg, about 20 %
      // smaller than the one-pass file at the same quality (see `fits`).
      if (spec.format === 'jpeg') img = final ? img.jpeg({ quality, mozjpeg: true }) : img.jpeg({ quality, optimiseCoding: false });
      else if (spec.format === 'webp') img = img.webp({ quality });
      else img = img.png({ compressionLevel: 9 });
      return img.toBuffer({ resolveWithObject: true });
    };
    const done = (r: { data: Buffer; info: { width: number; height: number } }): FittedImage => ({
      bytes: new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.length),
      format: spec.format,
      width: r.info.width,
      height: r.info.height,
    });
    const top = spec.format === 'png' ? 0 : qualities[0]!;
    if (!spec.maxBytes) return done(await encodeFrom(pixels(), top, true));
    // Only JPEG's search encode differs from the kept one (see encodeFrom).
    const slack = spec.format === 'jpeg' ? SEARCH_SLACK : 1;

    // The top step first, straight from the pipeline: a generous limit, the usual case, fits there, and
    // then the pixels are never held (a 4096-pixel-wide frame is 34 MB, freed only when the garbage
    // collector runs). Bytes of the encodes already made, by `${quality}` (search) or `${quality}!` (kept).
    let made = new Map<string, number>();
    if (spec.format === 'webp') {
      const r = await encodeFrom(pixels(), top, true);
      if (r.data.length <= spec.maxBytes) return done(r);
      made.set(`${top}`, r.data.length);
    } else if (spec.format === 'jpeg') {
      const probe = await encodeFrom(pixels(), top, false);
      made.set(`${top}`, probe.data.length);
      if (probe.data.length <= spec.maxBytes * slack) {
        const r = await encodeFrom(pixels(), top, true);
        if (r.data.length <= spec.maxBytes) return done(r);
        made.set(`${top}!`, r.data.length);
      }
    } else {
      const r = await encodeFrom(pixels(), top, true);
      if (r.data.length <= spec.maxBytes) return done(r);
      made.set(`${top}!`, r.data.length);
    }

    // Over the limit at the top step: the pixels are held while the steps and sizes are searched.
    let frame: Frame = await pixels().raw().toBuffer({ resolveWithObject: true });
    const rounds = 12;
    for (let round = 0; round < rounds;) {
      const { width: fw, height: fh, channels } = frame.info;
      // Bytes of the smallest encode of this round, when it was still over maxBytes.
      let smallest = Infinity;
      for (const bytes of made.values()) if (bytes > spec.maxBytes) smallest = Math.min(smallest, bytes);
      const encode = async (quality: number, final: boolean): Promise<{ bytes: number; result?: Parameters<typeof done>[0] }> => {
        const known = made.get(`${quality}${final ? '!' : ''}`);
        if (known !== undefined) return { bytes: known };
        const r = await encodeFrom(sharp(frame.data, { raw: { width: fw, height: fh, channels } }), quality, final);
        if (r.data.length > spec.maxBytes!) smallest = Math.min(smallest, r.data.length);
        return { bytes: r.data.length, result: r };
      };
      if (spec.format === 'png') {
        const r = await encode(0, true);
        if (r.result && r.bytes <= spec.maxBytes) return done(r.result);
      } else {
        // Binary search for the highest quality step that fits: sizes fall as quality falls. The two
        // ends first: a generous limit fits at the top step (one encode, not three), and when even the
        // lowest step is too big this round is over (one encode, not three). Same step found either way.
        // A step fits when its one-pass file is within 5 % over the limit, the part optimised tables
        // alone save, as the search with optimised tables found it; mozjpeg saves more, and if the kept
        // encode is over after all, the next step down is tried.
        const fits = async (i: number) => (await encode(qualities[i]!, false)).bytes <= spec.maxBytes! * slack;
        let found = -1;
        const last = qualities.length - 1;
        if (await fits(0)) found = 0;
        else if (last > 0 && (await fits(last))) {
          found = last;
          let lo = 1;
          let hi = last - 1;
          while (lo <= hi) {
            const mid = (lo + hi) >> 1;
            if (await fits(mid)) {
              found = mid;
              hi = mid - 1;
            } else lo = mid + 1;
          }
        }
        for (let i = found; i >= 0 && i < qualities.length; i++) {
          const r = await encode(qualities[i]!, true);
          if (r.result && r.bytes <= spec.maxBytes) return done(r.result);
        }
      }
      made = new Map();
      // Lowest quality still too big: 15 % smaller per round. A smaller image takes more bytes per pixel
      // (its detail is denser), so a round whose pixels at this round's bytes per pixel are still over the
      // limit cannot fit either: it is skipped without encoding, and the pixels are scaled once.
      let tw = fw;
      let th = fh;
      do {
        tw = Math.max(1, Math.floor(tw * 0.85));
        th = Math.max(1, Math.floor(th * 0.85));
        round++;
      } while (round < rounds && (smallest * (tw * th)) / (fw * fh) > spec.maxBytes * slack);
      if (round >= rounds) break;
      const next = sharp(frame.data, { raw: { width: fw, height: fh, channels } }).resize({
        width: tw,
        height: th,
        fit: 'inside',
        withoutEnlargement: true,
      });
      frame = await next.raw().toBuffer({ resolveWithObject: true });
    }
    throw new Error(`图片无法压缩到 ${spec.maxBytes} 字节以内 / cannot fit the image under ${spec.maxBytes} bytes`);
  }
}
