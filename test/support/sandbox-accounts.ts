import { AccountConnectionsService, PluginHost, PluginRegistry } from '@tongfa/plugins';
import { SandboxClient } from '@tongfa/plugin-sdk/testing';
import { Account, AccountsService } from '@tongfa/accounts';
import { Actor } from '@tongfa/identity';
import { startSandbox, type RunningSandbox } from '../../apps/sandbox/src/sandbox';
import type { TestHub } from './test-hub';

export interface SandboxWorld {
  sandbox: RunningSandbox;
  sim: SandboxClient;
  /** Built-in platforms with a simulator in this sandbox. */
  platforms: string[];
  /** Opens, approves and connects an account of `unitId` on `platform` to its simulator. */
  connect(
    unitAdmin: Actor,
    supervisor: Actor,
    unitId: string,
    platform: string,
    name: string,
  ): Promise<{ account: Account; simAccountId: string; credentials: Record<string, string> }>;
  /** Settings a unit gives each platform's account in the sandbox (its site URL under gov.cn, …). */
  settingsFor(platform: string): Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts the sandbox beside a test hub and connects accounts to it the way the demo does: the
 * simulator issues the credentials a unit would hold; app-level fields are stored as the
 * platform's app credentials, the rest verified through the plugin and sealed in the vault.
 */
export async function startSandboxWorld(hub: TestHub): Promise<SandboxWorld> {
  const registry = hub.app.get(PluginRegistry);
  const sandbox = await startSandbox(registry);
  // The one origin sandbox accounts may reach from this hub.
  hub.app.get(PluginHost).allowSandboxOrigin(sandbox.url);
  const sim = new SandboxClient(sandbox.url);
  const connections = hub.app.get(AccountConnectionsService);
  const accounts = hub.app.get(AccountsService);
  const appSet = new Set<string>();
  return {
    sandbox,
    sim,
    platforms: sandbox.platforms,
    async connect(unitAdmin, supervisor, unitId, platform, name) {
      const { account } = await accounts.create(unitAdmin, { unitId, platform, name });
      await accounts.decide(supervisor, account.id, 'approve', null);
      const settings = SANDBOX_SETTINGS[platform];
      if (settings) await accounts.update(unitAdmin, account.id, { settings });
      await connections.useSandbox(account.id, sandbox.endpointsFor(platform));
      const simAccount = await sim.createAccount(platform, name);
      const fields = registry.get(platform)!.manifest.credentials;
      const appFields = new Set(fields.filter((f) => f.scope === 'app').map((f) => f.name));
      if (appFields.size && !appSet.has(platform)) {
        const app = Object.fromEntries(Object.entries(simAccount.credentials).filter(([k]) => appFields.has(k)));
        await connections.setAppCredentials(platform, app);
        appSet.add(platform);
      }
      const own = Object.fromEntries(Object.entries(simAccount.credentials).filter(([k]) => !appFields.has(k)));
      try {
        await connections.connectInternally(account.id, own);
      } catch (e) {
        throw new Error(`connecting the ${platform} sandbox account failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      // The account's own credentials, so a test can connect it again (re-authorisation).
      return { account, simAccountId: simAccount.id, credentials: own };
    },
    settingsFor: (platform) => SANDBOX_SETTINGS[platform] ?? {},
    close: () => sandbox.close(),
  };
}

/** What a unit configures per platform before publishing: links under its gov.cn site. */
export const SANDBOX_SETTINGS: Record<string, Record<string, string>> = {
  weibo: { siteUrl: 'https://www.jiashi.gov.cn/', rip: '127.0.0.1' },
  wechat: { sourceUrl: 'https://www.jiashi.gov.cn/' },
};
