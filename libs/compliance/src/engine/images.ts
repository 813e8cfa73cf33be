import { Finding, fingerprint } from '../finding';
import { messageFor } from './messages';

/** What the checker needs to know of an image (the pipeline reads it with its image port). */
export interface ImageDescriptor {
  /** A name or media id to show in the finding. */
  name?: string;
  width: number;
  height: number;
  bytes: number;
  format: string;
  /** EXIF, XMP or IPTC metadata is still embedded. */
  hasExif: boolean;
}

/** A target platform's image limits; plugin manifests' ImageConstraints fit this shape. */
export interface ImageLimits {
  formats?: readonly string[];
  maxBytes?: number;
  minWidth?: number;
  minHeight?: number;
  maxWidth?: number;
  maxHeight?: number;
}

export interface PlatformImageLimits {
  platform: string;
  limits: ImageLimits;
}

/**
 * The image hook. Metadata left in a file blocks (it can reveal where a photo was taken). A
 * format, byte size or maximum dimension over a platform's limit warns: the publishing host fits
 * images to each platform. An image below a platform's minimum size blocks: upscaling is no fix.
 */
export function checkImages(images: readonly ImageDescriptor[], targets: readonly PlatformImageLimits[]): Finding[] {
  const out: Finding[] = [];
  images.forEach((img, index) => {
    const ref = img.name ?? `#${index + 1}`;
    const base = { category: 'image' as const, field: 'image' as const, start: index, end: index + 1, text: ref };
    if (img.hasExif) {
      out.push({
        ...base,
        id: fingerprint('image_metadata', ref),
        rule: 'image_metadata',
        severity: 'block',
        message: messageFor('image_metadata', {}),
      });
    }
    const format = img.format.toLowerCase().replace(/^jpg$/, 'jpeg');
    for (const { platform, limits } of targets) {
      const id = (rule: string) => fingerprint(rule, `${ref}@${platform}`);
      if (limits.formats && !limits.formats.map((f) => f.toLowerCase()).includes(format)) {
        out.push({
          ...base,
          platform,
          id: id('image_format'),
          rule: 'image_format',
          severity: 'warn',
          message: messageFor('image_format', { platform, format, formats: limits.formats.join('/') }),
        });
      }
      if (limits.maxBytes !== undefined && img.bytes > limits.maxBytes) {
        out.push({
          ...base,
          platform,
          id: id('image_bytes'),
          rule: 'image_bytes',
          severity: 'warn',
          message: messageFor('image_bytes', { platform, bytes: img.bytes, max: limits.maxBytes }),
        });
      }
      const tooSmall =
        (limits.minWidth !== undefined && img.width < limits.minWidth) || (limits.minHeight !== undefined && img.height < limits.minHeight);
      const tooLarge =
        (limits.maxWidth !== undefined && img.width > limits.maxWidth) || (limits.maxHeight !== undefined && img.height > limits.maxHeight);
      if (tooSmall || tooLarge) {
        const limit = [
          limits.minWidth !== undefined || limits.minHeight !== undefined ? `≥${limits.minWidth ?? 0}×${limits.minHeight ?? 0}` : '',
          limits.maxWidth !== undefined || limits.maxHeight !== undefined ? `≤${limits.maxWidth ?? '∞'}×${limits.maxHeight ?? '∞'}` : '',
        ]
          .filter(Boolean)
          .join(', ');
        out.push({
          ...base,
          platform,
          id: id('image_dimensions'),
          rule: 'image_dimensions',
          severity: tooSmall ? 'block' : 'warn',
          message: messageFor('image_dimensions', { platform, width: img.width, height: img.height, limit }),
        });
      }
    }
  });
  return out;
}
