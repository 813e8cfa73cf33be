import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { settingIssues, type AssetDescriptor, type ManuscriptInput, type Rendition } from '@tongfa/plugin-sdk';
import { Account } from '@tongfa/accounts';
import { Unit } from '@tongfa/identity';
import { assertOwnMedia, Manuscript, ManuscriptVersion } from '@tongfa/manuscripts';
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

/** Turns an immutable version into each platform's rendition through the plugins' pure render. */
@Injectable()
export class RenditionService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly host: PluginHost,
    private readonly registry: PluginRegistry,
  ) {}

  async input(version: ManuscriptVersion, ms: Manuscript): Promise<ManuscriptInput> {
    // Again at render: a version saved before this rule, or media that left the unit since.
    await assertOwnMedia(this.ds.manager, ms.unitId, version);
    const ids = [...new Set([version.coverMediaId, ...version.mediaIds].filter((x): x is string => !!x))];
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
    return {
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
        ? { ref: video.id, bytes: video.bytes, durationSec: 0, width: video.width ?? 0, height: video.height ?? 0, format: video.ext }
        : undefined,
    };
  }

  async renderFor(version: ManuscriptVersion, ms: Manuscript, accounts: Account[]): Promise<RenderedFor[]> {
    const input = await this.input(version, ms);
    return accounts.map((account) => ({
      account,
      rendition: this.host.render(account.platform, input, {
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
    const input = await this.input(version, ms);
    return accounts.map((account) => {
      const loaded = this.registry.get(account.platform);
      const rendition = loaded
        ? this.host.render(account.platform, input, {
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
        publishable: r.skip === null,
        skip: r.skip && { code: r.skip.code, reason: r.skip.reason, fix: r.skip.fix },
      };
    });
  }

  canRetract(platform: string): boolean {
    return !!this.registry.get(platform)?.manifest.capabilities.includes('retract');
  }
}
