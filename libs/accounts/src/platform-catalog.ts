import { AccountError, AccountException } from './accounts.exception';

export interface PlatformInfo {
  id: string;
  name: { zh: string; en: string };
  /** Names of the per-account settings the plugin declares. */
  settings?: string[];
}

/**
 * Which platforms exist: the port the plugin host fills with the manifests it loaded. Until a
 * host is bound, the six built-in platforms are known.
 */
export abstract class PlatformCatalog {
  abstract list(): PlatformInfo[];

  ids(): string[] {
    return this.list().map((p) => p.id);
  }

  /** Refuses settings the platform's plugin does not declare. */
  assertSettings(id: string, settings: Record<string, unknown>): void {
    const declared = this.list().find((p) => p.id === id)?.settings;
    if (!declared) return;
    const unknown = Object.keys(settings).filter((k) => !declared.includes(k));
    if (unknown.length) {
      throw new AccountException(
        AccountError.UnknownSetting,
        { names: unknown.join(', ') },
        unknown.map((k) => ({ field: `settings.${k}`, message: 'unknown setting' })),
      );
    }
  }

  /** What keeps these settings (defaults applied by the plugin) from publishing; none when no plugin is bound. */
  settingIssues(_id: string, _settings: Record<string, string | number | boolean>): SettingProblem[] {
    return [];
  }

  /**
   * Refuses settings the platform's plugin needs but does not get (a required one empty, a rule of
   * the plugin broken), naming each setting: checked when an account is connected or its settings
   * saved, so nobody learns of it first from a failed publish.
   */
  assertSettingsComplete(id: string, settings: Record<string, string | number | boolean>): void {
    const issues = this.settingIssues(id, settings);
    if (!issues.length) return;
    const name = this.list().find((p) => p.id === id)?.name ?? { zh: id, en: id };
    throw new AccountException(
      AccountError.SettingsIncomplete,
      {
        platform: name.zh,
        platformEn: name.en,
        problems: issues.map((i) => i.message.zh).join('；'),
        problemsEn: issues.map((i) => i.message.en).join('; '),
      },
      issues.map((i) => ({ field: `settings.${i.setting}`, message: `${i.message.zh} / ${i.message.en}` })),
    );
  }

  assertKnown(id: string): void {
    if (!this.ids().includes(id))
      throw new AccountException(AccountError.UnknownPlatform, { platform: id }, [{ field: 'platform', message: id }]);
  }
}

/** One problem with one per-account setting (the plugin SDK's SettingIssue). */
export interface SettingProblem {
  setting: string;
  message: { zh: string; en: string };
}

export const BUILT_IN_PLATFORMS: PlatformInfo[] = [
  { id: 'weibo', name: { zh: '新浪微博', en: 'Weibo' } },
  { id: 'wechat', name: { zh: '微信公众号', en: 'WeChat Official Account' } },
  { id: 'douyin', name: { zh: '抖音', en: 'Douyin' } },
  { id: 'toutiao', name: { zh: '今日头条', en: 'Toutiao' } },
  { id: 'nanfang', name: { zh: '南方号', en: 'Nanfang+' } },
  { id: 'own-app', name: { zh: '自有客户端', en: 'Own app' } },
];

export class StaticPlatformCatalog extends PlatformCatalog {
  constructor(private readonly platforms: PlatformInfo[] = BUILT_IN_PLATFORMS) {
    super();
  }
  list(): PlatformInfo[] {
    return this.platforms;
  }
}

/**
 * The catalog the accounts module provides: the built-in list until the plugin host binds the
 * platforms it actually loaded (libs/plugins), so accounts never depend on plugin code.
 */
export class BindablePlatformCatalog extends PlatformCatalog {
  private source: PlatformCatalog = new StaticPlatformCatalog();

  bind(source: PlatformCatalog): void {
    this.source = source;
  }

  list(): PlatformInfo[] {
    return this.source.list();
  }

  override settingIssues(id: string, settings: Record<string, string | number | boolean>): SettingProblem[] {
    return this.source.settingIssues(id, settings);
  }
}
