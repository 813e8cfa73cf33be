import type { ConstraintIssue } from './errors';
import type { ImageConstraints, ImageFormat } from './manifest';

/** A point of interest in an image, as fractions of width and height (0,0 top left; 1,1 bottom right). */
export interface FocusPoint {
  x: number;
  y: number;
}

/**
 * What the host should make of a source image before the plugin uploads it. Metadata (EXIF, GPS, XMP,
 * ICC comments) is always stripped; there is deliberately no option to keep it, because a phone photo's
 * GPS position must never leave a government unit's hub.
 */
export interface ImageFitSpec {
  /** Crop to this width:height ratio around the focus point (no crop when omitted). */
  aspect?: { width: number; height: number };
  /** Override the asset's own focus point for the crop. */
  focus?: FocusPoint;
  /** Scale down (never up) to fit within these bounds, after cropping. */
  maxWidth?: number;
  maxHeight?: number;
  /** Output encoding. */
  format: Exclude<ImageFormat, 'gif'>;
  /** Encoded size limit; JPEG/WebP quality steps down, then dimensions shrink, until it fits. */
  maxBytes?: number;
}

/** An image after fitting. */
export interface FittedImage {
  bytes: Uint8Array;
  format: Exclude<ImageFormat, 'gif'>;
  width: number;
  height: number;
}

/** The host-side port that turns bytes into a fitted image (the reference one is SharpImageFitter). */
export interface ImageFitter {
  fit(input: Uint8Array, spec: ImageFitSpec, focus?: FocusPoint): Promise<FittedImage>;
  /**
   * Optional: several outputs of one source at once (a fitter may decode the source once for all of
   * them). Each output settles on its own, in the order asked.
   */
  fitMany?(input: Uint8Array, requests: Array<{ spec: ImageFitSpec; focus?: FocusPoint }>): Promise<PromiseSettledResult<FittedImage>[]>;
}

/** What a plugin sees in `ctx.images`: fitting by asset reference; the host loads the bytes. */
export interface ImageService {
  fit(assetRef: string, spec: ImageFitSpec): Promise<FittedImage>;
}

/** A rectangle in pixels. */
export interface CropRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * The largest rectangle of the given aspect that fits in `width`×`height`, centred on the focus point
 * as far as the image edges allow. Pure, so fitters and previews crop the same way.
 */
export function cropAround(
  width: number,
  height: number,
  aspect: { width: number; height: number },
  focus: FocusPoint = { x: 0.5, y: 0.5 },
): CropRect {
  const target = aspect.width / aspect.height;
  let w = width;
  let h = Math.round(width / target);
  if (h > height) {
    h = height;
    w = Math.round(height * target);
  }
  w = Math.max(1, Math.min(width, w));
  h = Math.max(1, Math.min(height, h));
  const fx = Math.min(1, Math.max(0, focus.x));
  const fy = Math.min(1, Math.max(0, focus.y));
  const left = Math.min(width - w, Math.max(0, Math.round(fx * width - w / 2)));
  const top = Math.min(height - h, Math.max(0, Math.round(fy * height - h / 2)));
  return { left, top, width: w, height: h };
}

/** Whether width/height matches one of the ratios within the relative tolerance. */
export function matchesAspect(
  width: number,
  height: number,
  ratios: ReadonlyArray<{ width: number; height: number }>,
  tolerance = 0.01,
): boolean {
  const r = width / height;
  return ratios.some((a) => Math.abs(r / (a.width / a.height) - 1) <= tolerance);
}

/** Source image facts render() can check without loading the image. */
export interface ImageFacts {
  width: number;
  height: number;
  bytes: number;
  format: string;
}

/**
 * The fit spec that makes a source image acceptable under `c`: crop to the first accepted aspect when
 * the source matches none, bound its size, keep its format when allowed (else the first allowed non-GIF
 * one), and cap the bytes. Plugins call this from render() to build `assets`.
 */
export function fitSpecFor(image: ImageFacts, c: ImageConstraints): ImageFitSpec {
  const allowed = c.formats.filter((f): f is Exclude<ImageFormat, 'gif'> => f !== 'gif');
  const own = normalizeFormat(image.format);
  const format = own && own !== 'gif' && allowed.includes(own) ? own : (allowed[0] ?? 'jpeg');
  const spec: ImageFitSpec = { format, maxBytes: c.maxBytes };
  if (c.aspectRatios?.length && !matchesAspect(image.width, image.height, c.aspectRatios, c.aspectTolerance)) {
    spec.aspect = c.aspectRatios[0];
  }
  if (c.maxWidth) spec.maxWidth = c.maxWidth;
  if (c.maxHeight) spec.maxHeight = c.maxHeight;
  return spec;
}

/**
 * Problems fitting cannot fix, named by constraint: a source smaller than the minimum dimensions
 * (upscaling would blur it) or a format the host cannot convert from.
 */
export function imageIssues(image: ImageFacts, c: ImageConstraints, field: string): ConstraintIssue[] {
  const issues: ConstraintIssue[] = [];
  const spec = fitSpecFor(image, c);
  const crop = spec.aspect ? cropAround(image.width, image.height, spec.aspect) : { width: image.width, height: image.height };
  if (c.minWidth && crop.width < c.minWidth) {
    issues.push({
      constraint: `${field}.minWidth`,
      message: `图片宽度不足 ${c.minWidth}px / image narrower than ${c.minWidth}px`,
      limit: c.minWidth,
      actual: crop.width,
    });
  }
  if (c.minHeight && crop.height < c.minHeight) {
    issues.push({
      constraint: `${field}.minHeight`,
      message: `图片高度不足 ${c.minHeight}px / image shorter than ${c.minHeight}px`,
      limit: c.minHeight,
      actual: crop.height,
    });
  }
  if (!normalizeFormat(image.format)) {
    issues.push({ constraint: `${field}.formats`, message: `不支持的图片格式 ${image.format} / unsupported image format ${image.format}` });
  }
  return issues;
}

/** Maps common spellings (jpg, image/jpeg) to an ImageFormat, or undefined. */
export function normalizeFormat(format: string): ImageFormat | undefined {
  const f = format.toLowerCase().replace(/^image\//, '');
  if (f === 'jpg' || f === 'jpeg') return 'jpeg';
  if (f === 'png' || f === 'webp' || f === 'gif') return f;
  return undefined;
}
