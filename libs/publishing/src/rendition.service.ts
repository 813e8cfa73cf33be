import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import {
  countWith,
  cropAround,
  settingIssues,
  type AssetDescriptor,
  type CropRect,
  type ImageDisplay,
  type ManuscriptInput,
  type Rendition,
} from '@tongfa/plugin-sdk';
import { Account } from '@tongfa/accounts';
import { Unit } from '@tongfa/identity';
import {
  assertOwnMedia,
  Manuscript,
  ManuscriptHooks,
  ManuscriptVersion,
  type AdaptationTextField,
  type PlatformAdaptation,
} from '@tongfa/manuscripts';
import { Media } from '@tongfa/media';
import { PluginHost, PluginRegistry } from '@tongfa/plugins';
import { SkippedAccount, whyNotPublishable } from './publishability';

export interface RenderedFor {
  account: Account;
  rendition: Rendition<unknown>;
}

/** Each account's rendition (none when its plugin is not loaded) and, when it cannot take it, why. */
export interface Assessed {
  account: Account;
  rendition: Rendition<unknown> | null;
  skip: SkippedAccount | null;
}

/** How a platform will crop one image of the rendition, for previews: the source size and the kept rectangle. */
export interface RenditionCrop {
  /** The plugin's asset key, e.g. `cover`, `pic`. */
  key: string;
  role: 'cover' | 'image';
  mediaId: string;
  width: number;
  height: number;
  /** The width:height the platform needs; absent when it takes the image as it is. */
  aspect: { width: number; height: number } | null;
  /** The part of the image that is kept (the whole image when nothing is cut). */
  rect: CropRect;
  cropped: boolean;
  /** Who cuts: the host before upload (the plugin's fit spec) or the platform when it shows the image. */
  by: 'host' | 'platform';
  /** For a platform's cut: whether its shape is documented or assumed, and what the guess rests on. */
  basis?: ImageDisplay['basis'];
  note?: ImageDisplay['note'];
}

/** The adapted platform's texts (各平台适配) as the plugin receives them. */
const adaptationInput = (a: PlatformAdaptation | undefined): ManuscriptInput['adaptation'] => {
  if (!a || (!a.text && !a.caption && !a.topics?.length)) return undefined;
  return { text: a.text, caption: a.caption, topics: a.topics };
};

/** Turns an immutable version into each platform's rendition through the plugins' pure render. */
@Injectable()
export class RenditionService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly host: PluginHost,
    private readonly registry: PluginRegistry,
    private readonly hooks: ManuscriptHooks,
  ) {}

  onModuleInit(): void {
    // Adaptations are checked against the plugins installed now, each text with its platform's own counter.
    this.hooks.bindAdaptationRules({
      platformName: (platform) => this.registry.get(platform)?.manifest.name.zh,
      textIssues: (platform, field: AdaptationTextField, text) => {
        const c = this.registry.get(platform)?.manifest.constraints;
        // A headline or summary replaces the article's own, so the platform must have one.
        if ((field === 'title' || field === 'summary') && !c?.[field]) return ['不适用：该平台没有此项 / not a field of this platform'];
        const limit = field === 'text' ? c?.body : field === 'summary' ? c?.summary : (c?.title ?? c?.body);
        if (!limit) return [];
        const n = countWith(limit.counter, text, { urlLength: limit.urlLength });
        if (n > limit.max) return [`超长：最多 ${limit.max} 字，现 ${n} 字 / too long: ${n} > ${limit.max}`];
        if (limit.min !== undefined && n < limit.min) return [`过短：至少 ${limit.min} 字 / too short: ${n} < ${limit.min}`];
        return [];
      },
    });
  }

  /** The render input of the version as `platform` receives it: the common content with that platform's adaptation applied. */
  async input(version: ManuscriptVersion, ms: Manuscript, platform?: string): Promise<ManuscriptInput> {
    return (await this.inputs(version, ms))(platform);
  }

  private async inputs(version: ManuscriptVersion, ms: Manuscript): Promise<(platform?: string) => ManuscriptInput> {
    // Again at render: a version saved before this rule, or media that left the unit since.
    await assertOwnMedia(this.ds.manager, ms.unitId, version);
    const adaptations = version.adaptations ?? {};
    const adaptedCovers = Object.values(adaptations).map((a) => a.coverMediaId);
    const ids = [...new Set([version.coverMediaId, ...version.mediaIds, ...adaptedCovers].filter((x): x is string => !!x))];
    const media = ids.length ? await this.ds.getRepository(Media).find({ where: { id: In(ids) } }) : [];
    const asset = (m: Media): AssetDescriptor => ({
      ref: m.id,
      width: m.width ?? 0,
      height: m.height ?? 0,
      bytes: m.bytes,
      format: m.ext === 'jpg' ? 'jpeg' : m.ext,
    });
    const unit = await this.ds.getRepository(Unit).findOneBy({ id: ms.unitId });
    const cover = media.find((m) => m.id === version.coverMediaId && m.kind === 'image');
    const video = media.find((m) => m.kind === 'video');
    const base: ManuscriptInput = {
      manuscriptId: ms.id,
      versionId: version.id,
      title: version.title,
      summary: version.summary,
      bodyHtml: version.bodyHtml,
      category: version.category,
      source: version.source,
      unitName: unit?.name,
      cover: cover ? asset(cover) : undefined,
      images: version.mediaIds
        .map((id) => media.find((m) => m.id === id && m.kind === 'image'))
        .filter((m): m is Media => !!m)
        .map(asset),
      video: video
        ? {
            ref: video.id,
            bytes: video.bytes,
            durationSec: video.durationSec ?? 0,
            width: video.width ?? 0,
            height: video.height ?? 0,
            format: video.ext,
          }
        : undefined,
    };
    return (platform) => {
      const a = platform ? adaptations[platform] : undefined;
      if (!a) return base;
      const own = a.coverMediaId ? media.find((m) => m.id === a.coverMediaId && m.kind === 'image') : undefined;
      const adaptedCover = own ? asset(own) : base.cover;
      return {
        ...base,
        // The platform's own headline and summary replace the article's for this platform only.
        title: a.title ?? base.title,
        summary: a.summary ?? base.summary,
        cover: adaptedCover && a.coverCrop ? { ...adaptedCover, focus: a.coverCrop } : adaptedCover,
        adaptation: adaptationInput(a),
      };
    };
  }

  async renderFor(version: ManuscriptVersion, ms: Manuscript, accounts: Account[]): Promise<RenderedFor[]> {
    const inputFor = await this.inputs(version, ms);
    return accounts.map((account) => ({
      account,
      rendition: this.host.render(account.platform, inputFor(account.platform), {
        account: { name: account.name, platformAccountId: account.platformAccountId ?? undefined },
        settings: account.settings ?? {},
      }),
    }));
  }

  /**
   * Renders the version for each account and decides, by the one rule of `whyNotPublishable`,
   * which accounts can take it and why the others cannot (the preview and publishing both ask).
   */
  async assess(version: ManuscriptVersion, ms: Manuscript, accounts: Account[]): Promise<Assessed[]> {
    const inputFor = await this.inputs(version, ms);
    return accounts.map((account) => {
      const loaded = this.registry.get(account.platform);
      const rendition = loaded
        ? this.host.render(account.platform, inputFor(account.platform), {
            account: { name: account.name, platformAccountId: account.platformAccountId ?? undefined },
            settings: account.settings ?? {},
          })
        : null;
      const why = whyNotPublishable(
        account,
        { loaded: !!loaded, settingIssues: loaded ? this.settingIssues(loaded.plugin, account) : [] },
        rendition,
      );
      return {
        account,
        rendition,
        skip: why && {
          accountId: account.id,
          accountName: account.name,
          platform: account.platform,
          platformName: loaded?.manifest.name.zh ?? account.platform,
          ...why,
        },
      };
    });
  }

  private settingIssues(plugin: Parameters<typeof settingIssues>[0], account: Account) {
    try {
      return settingIssues(plugin, account.settings ?? {});
    } catch {
      return []; // a third-party check that throws does not hold publishing back; render still decides
    }
  }

  /** The previews of the current version for the given accounts (or all of the unit's), with every warning. */
  async preview(
    ms: Manuscript,
    accountIds?: string[],
  ): Promise<
    {
      accountId: string;
      accountName: string;
      platform: string;
      title: string | undefined;
      titleDiffers: boolean;
      rendition: Rendition<unknown>;
      /** The platform's name as readers know it (Chinese). */
      platformName: string;
      /** The version's adaptation for this platform (各平台适配), shown to reviewers; null when none. */
      adaptation: PlatformAdaptation | null;
      /** Every image the platform will crop or keep whole, for the preview's crop marks. */
      crops: RenditionCrop[];
      /** A text was shortened to fit (a `*.max` warning): the preview must not claim nothing was cut. */
      truncated: boolean;
      /** Whether publishing would send to this account; else `skip` says why and what fixes it. */
      publishable: boolean;
      skip: Pick<SkippedAccount, 'code' | 'reason' | 'fix'> | null;
    }[]
  > {
    const version = await this.ds.getRepository(ManuscriptVersion).findOneByOrFail({ id: ms.currentVersionId });
    const accounts = await this.ds.getRepository(Account).find({
      where: accountIds?.length ? { id: In(accountIds), unitId: ms.unitId } : { unitId: ms.unitId },
      order: { platform: 'ASC' },
    });
    const live = accounts.filter((a) => this.registry.get(a.platform) && !['rejected', 'cancelled', 'applying'].includes(a.status));
    const assessed = (await this.assess(version, ms, live)).filter(
      (r): r is Assessed & { rendition: Rendition<unknown> } => r.rendition !== null,
    );
    const inputFor = await this.inputs(version, ms);
    return assessed.map((r) => {
      const title = r.rendition.fields.title;
      // The title is the same everywhere unless a platform's limit forces otherwise: then it is flagged.
      const titleDiffers = title !== undefined && title !== version.title;
      return {
        accountId: r.account.id,
        accountName: r.account.name,
        platform: r.account.platform,
        title,
        titleDiffers,
        rendition: r.rendition,
        platformName: this.registry.get(r.account.platform)?.manifest.name.zh ?? r.account.platform,
        adaptation: version.adaptations?.[r.account.platform] ?? null,
        crops: cropsOf(
          r.rendition,
          inputFor(r.account.platform),
          this.registry.get(r.account.platform)?.manifest.constraints.cover?.display,
        ),
        truncated: r.rendition.warnings.some((w) => /\.max$/.test(w.constraint)),
        publishable: r.skip === null,
        skip: r.skip && { code: r.skip.code, reason: r.skip.reason, fix: r.skip.fix },
      };
    });
  }

  canRetract(platform: string): boolean {
    return !!this.registry.get(platform)?.manifest.capabilities.includes('retract');
  }
}

/**
 * Where each requested image will be cut, by the same pure rule the image fitter applies
 * (`cropAround` on the plugin's fit spec), so the preview shows exactly what goes out.
 */
export function cropsOf(rendition: Rendition<unknown>, input: ManuscriptInput, display?: ImageDisplay): RenditionCrop[] {
  const sources = [input.cover, ...input.images].filter((a): a is AssetDescriptor => !!a);
  // The platform's own display cut (manifest cover.display) falls on the covers, else on the first image.
  const hasCover = rendition.assets.some((a) => a.role === 'cover');
  const firstImage = rendition.assets.find((a) => a.role === 'image')?.key;
  return rendition.assets.flatMap((req): RenditionCrop[] => {
    const src = sources.find((a) => a.ref === req.ref);
    if (!src || !src.width || !src.height) return [];
    const focus = req.spec.focus ?? src.focus;
    const hostAspect = req.spec.aspect ?? null;
    const shown = display && (req.role === 'cover' || (!hasCover && req.key === firstImage)) ? display : undefined;
    if (!hostAspect && shown) {
      const rect = cropAround(src.width, src.height, shown.aspect, focus);
      const cropped = rect.width < src.width || rect.height < src.height;
      const base = { key: req.key, role: req.role, mediaId: src.ref, width: src.width, height: src.height };
      return [{ ...base, aspect: shown.aspect, rect, cropped, by: 'platform' as const, basis: shown.basis, note: shown.note }];
    }
    const rect = hostAspect
      ? cropAround(src.width, src.height, hostAspect, focus)
      : { left: 0, top: 0, width: src.width, height: src.height };
    const cropped = rect.width < src.width || rect.height < src.height;
    return [
      {
        key: req.key,
        role: req.role,
        mediaId: src.ref,
        width: src.width,
        height: src.height,
        aspect: hostAspect,
        rect,
        cropped,
        by: 'host' as const,
      },
    ];
  });
}
