import { INestApplication, Logger } from '@nestjs/common';
import { DataSource, In, Not } from 'typeorm';
import { newId } from '@tongfa/core';
import { Account, AccountApproval, AccountConnection, AccountStatus } from '@tongfa/accounts';
import { Unit, UnitLevel, User } from '@tongfa/identity';
import { AccountConnectionsService, CredentialStore, PluginRegistry } from '@tongfa/plugins';
import type { RunningSandbox } from '../../../sandbox/src/sandbox';

/**
 * Gives every demo county one account on each loaded platform, active and connected to the
 * sandbox simulators, so a newcomer can publish right after `npm start`. Simulators keep their
 * accounts in memory, so every start creates fresh simulated accounts and reconnects.
 */
export async function connectDemoAccounts(app: INestApplication, sandbox: RunningSandbox): Promise<string[]> {
  const logger = new Logger('DemoAccounts');
  const ds = app.get(DataSource);
  const registry = app.get(PluginRegistry);
  const connections = app.get(AccountConnectionsService);
  const store = app.get(CredentialStore);
  const counties = await ds.getRepository(Unit).find({ where: { level: UnitLevel.County }, order: { path: 'ASC' } });
  const creator = await ds.getRepository(User).findOne({ where: {}, order: { createdAt: 'ASC' } });
  if (!creator || counties.length === 0) return [];
  let connected = 0;
  const failed: string[] = [];
  for (const p of registry.list()) {
    const platform = p.manifest.id;
    if (!sandbox.platforms.includes(platform)) continue;
    const appFields = new Set(p.manifest.credentials.filter((f) => f.scope === 'app').map((f) => f.name));
    for (const unit of counties) {
      const name = `${unit.name.replace(/人民政府办公室$/, '')}发布`;
      let account = await ds.getRepository(Account).findOne({
        where: { unitId: unit.id, platform, status: Not(In([AccountStatus.Cancelled, AccountStatus.Rejected])) },
      });
      if (!account) account = await openDemoAccount(ds, unit, platform, name, creator.id);
      if (!account.sandbox && account.connection === AccountConnection.Connected) continue; // a real account: leave it
      try {
        // What the plugin needs to publish (Weibo: a link under the safe domain, rip), unless a person set it already.
        const settings = { ...demoSettings(platform, unit), ...(account.settings ?? {}) };
        if (Object.keys(settings).length) await ds.getRepository(Account).update({ id: account.id }, { settings });
        const res = await fetch(`${sandbox.url}/_sandbox/${platform}/accounts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name, subject: unit.name }),
        });
        if (!res.ok) throw new Error(`sandbox answered ${res.status}`);
        const sim = (await res.json()) as { credentials: Record<string, string> };
        const app = Object.fromEntries(Object.entries(sim.credentials).filter(([k]) => appFields.has(k)));
        if (Object.keys(app).length) await store.saveAppCredentials(platform, app);
        // The platform account id changes with every fresh simulator; the demo row follows it.
        await ds.getRepository(Account).update({ id: account.id }, { platformAccountId: null });
        await connections.useSandbox(account.id, sandbox.endpointsFor(platform));
        await connections.connectInternally(account.id, sim.credentials);
        connected++;
      } catch (e) {
        failed.push(`${platform}/${unit.name}`);
        logger.warn(`demo account ${platform} of ${unit.name} not connected: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  return [
    `沙箱 sandbox ${sandbox.url}: ${sandbox.platforms.join(', ')}; 演示账号已连接 demo accounts connected: ${connected}` +
      (failed.length ? ` (未连接 not connected: ${failed.join(', ')})` : ''),
  ];
}

/**
 * Per-account settings of a demo account. Weibo: every post must link under the app's safe domain
 * (the sandbox's is gov.cn) and report the real user's IP (`rip`); the demo links to a made-up
 * site of the county and reports the loopback address.
 */
export function demoSettings(platform: string, unit: Pick<Unit, 'regionCode'>): Record<string, string> {
  if (platform === 'weibo') return { siteUrl: `https://www.example.gov.cn/${unit.regionCode}/`, rip: '127.0.0.1' };
  return {};
}

async function openDemoAccount(ds: DataSource, unit: Unit, platform: string, name: string, createdBy: string): Promise<Account> {
  const id = newId();
  const now = new Date();
  await ds.transaction(async (m) => {
    await m.insert(Account, {
      id,
      unitId: unit.id,
      unitPath: unit.path,
      platform,
      name,
      platformAccountId: null,
      profileName: null,
      verifiedSubject: null,
      avatarUrl: null,
      followers: null,
      profileCheckedAt: null,
      status: AccountStatus.Active,
      connection: AccountConnection.None,
      exceptionReason: null,
      namingIssues: null,
      lastPostAt: null,
      endpoints: null,
      sandbox: true,
      openedAt: now,
      closedAt: null,
      createdBy,
    });
    await m.insert(AccountApproval, {
      id: newId(),
      accountId: id,
      unitPath: unit.path,
      requestedBy: createdBy,
      reason: '演示账号 / demo account',
      exception: false,
      decision: 'approved',
      decidedBy: createdBy,
      decidedAt: now,
      comment: 'demo',
    });
  });
  return ds.getRepository(Account).findOneByOrFail({ id });
}
