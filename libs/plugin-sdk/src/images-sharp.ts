import { cropAround, type FittedImage, type FocusPoint, type ImageFitSpec, type ImageFitter } from './images';

// The sharp typings are not a dependency of the SDK; this is the small surface used here.
interface SharpInstance {
  rotate(): SharpInstance;
  extract(r: { left: number; top: number; width: number; height: number }): SharpInstance;
  resize(o: { width?: number; height?: number; fit: 'inside'; withoutEnlargement: boolean }): SharpInstance;
  jpeg(o: { quality: number; mozjpeg?: boolean }): SharpInstance;
  webp(o: { quality: number }): SharpInstance;
  png(o: { compressionLevel: number; palette?: boolean; quality?: number }): SharpInstance;
  raw(): SharpInstance;
  toBuffer(o: { resolveWithObject: true }): Promise<{ data: Buffer; info: { width: number; height: number; channels: number } }>;
  metadata(): Promise<{ width?: number; height?: number; orientation?: number; format?: string }>;
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
}

/**
 * The host's reference ImageFitter on sharp. Always: applies EXIF orientation, then strips every piece
 * of metadata (sharp writes none unless asked, and this class never asks), crops to the aspect around the
 * focus point, scales down within the bounds and re-encodes; JPEG/WebP quality steps down, then the size
 * shrinks by 15 % per round, until the bytes fit.
 */
export class SharpImageFitter implements ImageFitter {
  private readonly steps: number[];
  private readonly limitInputPixels: number;

  constructor(options: SharpImageFitterOptions = {}) {
    this.steps = options.qualitySteps ?? [88, 80, 72, 64, 56, 48, 40, 32];
    this.limitInputPixels = options.limitInputPixels ?? 100_000_000;
  }

  async fit(input: Uint8Array, spec: ImageFitSpec, assetFocus?: FocusPoint): Promise<FittedImage> {
    const sharp = loadSharp();
    const open = () => sharp(input, { failOn: 'error', limitInputPixels: this.limitInputPixels });
    const meta = await open().metadata();
    if (!meta.width || !meta.height) throw new Error('无法读取图片尺寸 / cannot read image dimensions');
    // Orientations 5–8 rotate by 90°, so the displayed width is the stored height.
    const turned = (meta.orientation ?? 1) >= 5;
    const width = turned ? meta.height : meta.width;
    const height = turned ? meta.width : meta.height;
    const crop = spec.aspect ? cropAround(width, height, spec.aspect, spec.focus ?? assetFocus) : undefined;

    // Decode, orient, crop and scale once into raw pixels; every quality step then only re-encodes
    // those pixels. Decoding a 24-megapixel JPEG again per step cost several times the work.
    const pixels = async (w?: number, h?: number) => {
      let img = open().rotate();
      if (crop) img = img.extract(crop);
      if (w || h) img = img.resize({ width: w, height: h, fit: 'inside', withoutEnlargement: true });
      return img.raw().toBuffer({ resolveWithObject: true });
    };
    let frame = await pixels(spec.maxWidth, spec.maxHeight);
    for (let round = 0; round < 12; round++) {
      const { width: fw, height: fh, channels } = frame.info;
      const encode = async (quality: number, final: boolean) => {
        let img = sharp(frame.data, { raw: { width: fw, height: fh, channels } });
        // The search encodes with plain libjpeg-turbo (fast); the kept image with mozjpeg, which is
        // smaller at the same quality, so what fit during the search still fits.
        if (spec.format === 'jpeg') img = img.jpeg({ quality, mozjpeg: final });
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
      if (spec.format === 'png') {
        const r = await encode(0, true);
        if (!spec.maxBytes || r.data.length <= spec.maxBytes) return done(r);
      } else {
        const qualities = this.steps;
        if (!spec.maxBytes) return done(await encode(qualities[0]!, true));
        // Binary search for the highest quality step that fits: sizes fall as quality falls.
        let lo = 0;
        let hi = qualities.length - 1;
        let found = -1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          if ((await encode(qualities[mid]!, false)).data.length <= spec.maxBytes) {
            found = mid;
            hi = mid - 1;
          } else lo = mid + 1;
        }
        for (let i = found; i >= 0 && i < qualities.length; i++) {
          const r = await encode(qualities[i]!, true);
          if (r.data.length <= spec.maxBytes) return done(r);
        }
      }
      // Lowest quality still too big: shrink the pixels by 15 % and try the qualities again.
      const next = sharp(frame.data, { raw: { width: fw, height: fh, channels } }).resize({
        width: Math.max(1, Math.floor(fw * 0.85)),
        height: Math.max(1, Math.floor(fh * 0.85)),
        fit: 'inside',
        withoutEnlargement: true,
      });
      frame = await next.raw().toBuffer({ resolveWithObject: true });
    }
    throw new Error(`图片无法压缩到 ${spec.maxBytes} 字节以内 / cannot fit the image under ${spec.maxBytes} bytes`);
  }
}
