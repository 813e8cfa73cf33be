import { PlatformCatalog, type PlatformInfo } from '@tongfa/accounts';
import type { PluginRegistry } from './plugin-registry';

/** The accounts port filled from the loaded plugins: an account can be opened exactly on these. */
export class RegistryPlatformCatalog extends PlatformCatalog {
  constructor(private readonly registry: PluginRegistry) {
    super();
  }

  list(): PlatformInfo[] {
    return this.registry
      .list()
      .map((p) => ({ id: p.manifest.id, name: { ...p.manifest.name }, settings: (p.manifest.settings ?? []).map((x) => x.name) }));
  }
}
