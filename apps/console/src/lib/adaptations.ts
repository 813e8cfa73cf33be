import { ApiError } from '../api/client';
import type { RenditionItem, Version } from '../api/types';

/** One platform's overrides inside a version (各平台适配), as the API stores them. */
export interface PlatformAdaptation {
  text?: string;
  title?: string;
  summary?: string;
  caption?: string;
  topics?: string[];
  coverMediaId?: string;
  coverCrop?: { x: number; y: number };
}

export type Adaptations = Record<string, PlatformAdaptation>;

/** A version as the API returns it, with its adaptations. */
export type AdaptedVersion = Version & { adaptations?: Adaptations | null };

/** How a platform will crop one image of its rendition. */
export interface RenditionCrop {
  key: string;
  role: 'cover' | 'image';
  mediaId: string;
  width: number;
  height: number;
  aspect: { width: number; height: number } | null;
  rect: { left: number; top: number; width: number; height: number };
  cropped: boolean;
  /** The host cuts before upload, or the platform cuts when it shows the image (its feed's shape). */
  by?: 'host' | 'platform';
  /** A platform's display shape that it does not document is an assumption, with what it rests on. */
  basis?: 'documented' | 'assumed';
  note?: { zh: string; en: string };
}

/** A rendition with what the preview needs to show it as readers will see it. */
export type RenditionView = RenditionItem & {
  platformName?: string;
  adaptation?: PlatformAdaptation | null;
  crops?: RenditionCrop[];
  truncated?: boolean;
  rendition: RenditionItem['rendition'] & { payload?: Record<string, unknown> };
};

/** Which of an adaptation's texts a platform takes: the manifest's body limit for text, its title limit for caption and title, its summary limit for summary. */
export const ADAPTATION_FIELDS: Record<string, Array<AdaptationField>> = {
  weibo: ['text'],
  douyin: ['caption', 'topics'],
  // A 头条号 headline of its own (the platform's 5–30 rule); no abstract field is documented for it.
  toutiao: ['title'],
  nanfang: ['title', 'summary'],
  // The unit's app shows the summary under the headline in its lists.
  'own-app': ['summary'],
};
export type AdaptationField = 'title' | 'summary' | 'text' | 'caption' | 'topics';

/** The adaptations as lines of text, for the version diff and for reviewers. */
export function adaptationLines(a: Adaptations | null | undefined, name: (platform: string) => string): string[] {
  const lines: string[] = [];
  for (const [platform, x] of Object.entries(a ?? {})) {
    const n = name(platform);
    if (x.title) lines.push(`【${n}标题】${x.title}`);
    if (x.summary) lines.push(`【${n}摘要】${x.summary}`);
    if (x.text) lines.push(`【${n}文案】${x.text}`);
    if (x.caption) lines.push(`【${n}标题文案】${x.caption}`);
    if (x.topics?.length) lines.push(`【${n}话题】${x.topics.map((t) => `#${t}`).join(' ')}`);
    if (x.coverMediaId) lines.push(`【${n}封面】另选封面图`);
    if (x.coverCrop) lines.push(`【${n}封面裁剪中心】${Math.round(x.coverCrop.x * 100)}%, ${Math.round(x.coverCrop.y * 100)}%`);
  }
  return lines;
}

/** The API's refusals of adaptation fields (`adaptations.weibo.text` → its message), for the panel to show in place. */
export function adaptationErrors(e: unknown): Record<string, string> {
  if (!(e instanceof ApiError)) return {};
  return Object.fromEntries(e.details.filter((d) => d.field?.startsWith('adaptations.')).map((d) => [d.field, d.message]));
}
