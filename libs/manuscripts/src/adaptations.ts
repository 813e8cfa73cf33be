import type { ErrorDetail } from '@tongfa/core';
import type { Adaptations, PlatformAdaptation } from './entities';
import { ManuscriptError, ManuscriptException } from './manuscripts.exception';

/** The text fields of an adaptation and how an editor calls them. */
export const ADAPTATION_TEXT_FIELDS = { text: '文案', caption: '标题文案', title: '标题', summary: '摘要' } as const;
export type AdaptationTextField = keyof typeof ADAPTATION_TEXT_FIELDS;

const MAX_TEXT = 2000;
const MAX_TOPICS = 10;
const MAX_TOPIC = 32;
const PLATFORM_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What the installed platforms allow, asked when a version with adaptations is saved: the port
 * publishing fills from the plugins' manifests (manuscripts know no platform). Answers per
 * platform: its Chinese name, or undefined when no such plugin is installed, and the problems of
 * one text field against the platform's own limit and counter.
 */
export interface AdaptationRules {
  platformName(platform: string): string | undefined;
  textIssues(platform: string, field: AdaptationTextField, text: string): string[];
}

/** Until publishing binds the plugins' rules, no platform is known: adaptations are refused. */
export const NO_PLATFORMS: AdaptationRules = { platformName: () => undefined, textIssues: () => [] };

/**
 * Normalises and checks a request's adaptations: unknown platforms, wrong shapes and texts over the
 * platform's limit refuse the save, each detail naming the field in Chinese. Empty fields and
 * platforms without any override are dropped, so "no adaptation" has one form (null).
 */
export function normaliseAdaptations(raw: unknown, rules: AdaptationRules): Adaptations | null {
  if (raw === undefined || raw === null) return null;
  const details: ErrorDetail[] = [];
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ManuscriptException(ManuscriptError.AdaptationInvalid, { count: 1 }, [
      { field: 'adaptations', message: '各平台适配须为按平台分组的对象 / adaptations must be an object keyed by platform' },
    ]);
  }
  const out: Adaptations = {};
  for (const [platform, value] of Object.entries(raw as Record<string, unknown>)) {
    const at = `adaptations.${platform}`;
    const name = PLATFORM_ID.test(platform) ? rules.platformName(platform) : undefined;
    if (!name) {
      details.push({ field: at, message: `平台“${platform}”未安装，不能设置适配 / platform ${platform} is not installed` });
      continue;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      details.push({ field: at, message: `${name}适配须为对象 / ${platform}: the adaptation must be an object` });
      continue;
    }
    const a = value as Record<string, unknown>;
    const known = new Set(['text', 'caption', 'title', 'summary', 'topics', 'coverMediaId', 'coverCrop']);
    for (const key of Object.keys(a)) {
      if (!known.has(key))
        details.push({ field: `${at}.${key}`, message: `${name}适配不支持“${key}” / ${platform}: unknown field ${key}` });
    }
    const adapted: PlatformAdaptation = {};
    for (const field of Object.keys(ADAPTATION_TEXT_FIELDS) as AdaptationTextField[]) {
      const v = a[field];
      if (v === undefined || v === null) continue;
      const label = `${name}${ADAPTATION_TEXT_FIELDS[field]}`;
      if (typeof v !== 'string') {
        details.push({ field: `${at}.${field}`, message: `${label}须为文字 / ${platform}.${field} must be text` });
        continue;
      }
      const text = v.trim();
      if (!text) continue;
      if (text.length > MAX_TEXT) {
        details.push({ field: `${at}.${field}`, message: `${label}超长（最多 ${MAX_TEXT} 字）/ ${platform}.${field} is too long` });
        continue;
      }
      for (const issue of rules.textIssues(platform, field, text)) {
        details.push({ field: `${at}.${field}`, message: `${label}${issue}` });
      }
      adapted[field] = text;
    }
    if (a.topics !== undefined && a.topics !== null) {
      const topics = Array.isArray(a.topics) ? a.topics : null;
      if (!topics || topics.some((t) => typeof t !== 'string')) {
        details.push({ field: `${at}.topics`, message: `${name}话题须为文字列表 / ${platform}.topics must be a list of text` });
      } else {
        const clean = [...new Set(topics.map((t: string) => t.trim().replace(/^#+|#+$/g, '')).filter(Boolean))];
        if (clean.length > MAX_TOPICS) {
          details.push({ field: `${at}.topics`, message: `${name}话题最多 ${MAX_TOPICS} 个 / at most ${MAX_TOPICS} topics` });
        }
        const bad = clean.find((t) => [...t].length > MAX_TOPIC || /[#\s]/.test(t));
        if (bad) {
          details.push({
            field: `${at}.topics`,
            message: `${name}话题“${bad}”须为不含空格和 # 的 ${MAX_TOPIC} 字以内词语 / topic ${bad} must be one word of at most ${MAX_TOPIC}`,
          });
        }
        if (clean.length) adapted.topics = clean;
      }
    }
    if (a.coverMediaId !== undefined && a.coverMediaId !== null && a.coverMediaId !== '') {
      if (typeof a.coverMediaId !== 'string' || !UUID.test(a.coverMediaId)) {
        details.push({ field: `${at}.coverMediaId`, message: `${name}封面图无效 / ${platform}.coverMediaId is not a media id` });
      } else adapted.coverMediaId = a.coverMediaId.toLowerCase();
    }
    if (a.coverCrop !== undefined && a.coverCrop !== null) {
      const c = a.coverCrop as Record<string, unknown>;
      const inRange = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 1;
      if (typeof c !== 'object' || !inRange(c.x) || !inRange(c.y)) {
        details.push({
          field: `${at}.coverCrop`,
          message: `${name}封面裁剪中心须为 0–1 之间的 x、y / ${platform}.coverCrop needs x and y between 0 and 1`,
        });
      } else adapted.coverCrop = { x: Math.round((c.x as number) * 1000) / 1000, y: Math.round((c.y as number) * 1000) / 1000 };
    }
    if (Object.keys(adapted).length) out[platform] = adapted;
  }
  if (details.length) throw new ManuscriptException(ManuscriptError.AdaptationInvalid, { count: details.length }, details);
  return Object.keys(out).length ? sortKeys(out) : null;
}

// Stable key order, so the same adaptations always hash the same (a no-op save makes no version).
function sortKeys(a: Adaptations): Adaptations {
  return Object.fromEntries(
    Object.keys(a)
      .sort()
      .map((k) => [k, a[k]!]),
  );
}

/**
 * The version's text as compliance reads it: the body followed by every platform's own texts, so a
 * Weibo-only sentence passes the same five checks (五关) as the article.
 */
export function complianceSubjectOf(v: {
  title: string;
  summary: string;
  bodyHtml: string;
  source: { type: 'original' | 'reprint'; unitName?: string; url?: string };
  adaptations?: Adaptations | null;
}) {
  const extra = Object.values(v.adaptations ?? {})
    .flatMap((a) => [a.title, a.summary, a.text, a.caption, a.topics?.map((t) => `#${t}#`).join(' ')])
    .filter((t): t is string => !!t)
    .map((t) => `<p>${t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`)
    .join('');
  return { title: v.title, summary: v.summary, bodyHtml: v.bodyHtml + extra, source: v.source };
}
