import { settingIssues } from '@tongfa/plugin-sdk';
import { BUILT_IN_PLATFORMS, PlatformCatalog, type PlatformInfo, type SettingProblem } from '@tongfa/accounts';
import type { PluginRegistry } from './plugin-registry';

// The order units know from the policy documents (Weibo, WeChat, Douyin, …), third parties after.
const RANK = new Map(BUILT_IN_PLATFORMS.map((p, i) => [p.id, i]));

/** The accounts port filled from the loaded plugins: an account can be opened exactly on these. */
export class RegistryPlatformCatalog extends PlatformCatalog {
  constructor(private readonly registry: PluginRegistry) {
    super();
  }

  list(): PlatformInfo[] {
    return this.registry
      .list()
      .map((p, i) => ({ p, rank: RANK.get(p.manifest.id) ?? RANK.size + i }))
      .sort((a, b) => a.rank - b.rank)
      .map(({ p }) => ({ id: p.manifest.id, name: { ...p.manifest.name }, settings: (p.manifest.settings ?? []).map((x) => x.name) }));
  }

  override settingIssues(id: string, settings: Record<string, string | number | boolean>): SettingProblem[] {
    const p = this.registry.get(id);
    if (!p) return [];
    try {
      return settingIssues(p.plugin, settings);
    } catch {
      // A third-party check that throws must not make an account impossible to configure.
      return [];
    }
  }
}
