import { manifest } from './manifest';

/** The plugin's settings with the manifest defaults applied (render gets them raw from some hosts). */
export interface WeiboSettings {
  siteUrl: string;
  linkTemplate: string;
  safeDomain: string;
  rip: string;
  headlineArticle: boolean;
  articleCoverUrl: string;
  findExistingScan: number;
}

const defaults = Object.fromEntries((manifest.settings ?? []).map((s) => [s.name, s.default]));

export function settingsOf(raw: Readonly<Record<string, string | number | boolean>>): WeiboSettings {
  const v = { ...defaults, ...raw };
  const scan = Number(v.findExistingScan);
  return {
    siteUrl: String(v.siteUrl ?? '').trim(),
    linkTemplate: String(v.linkTemplate ?? '').trim(),
    safeDomain: String(v.safeDomain ?? '').trim(),
    rip: String(v.rip ?? '').trim(),
    headlineArticle: v.headlineArticle === true || v.headlineArticle === 'true',
    articleCoverUrl: String(v.articleCoverUrl ?? '').trim(),
    findExistingScan: Number.isFinite(scan) && scan > 0 ? Math.min(200, Math.floor(scan)) : 50,
  };
}
