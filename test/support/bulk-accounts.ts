import { DataSource } from 'typeorm';
import { newId } from '@tongfa/core';
import { Account, AccountConnection, AccountCredential, AccountStatus, CredentialVault } from '@tongfa/accounts';
import { AccountConnectionsService, PluginHost, PluginRegistry } from '@tongfa/plugins';
import type { INestApplication } from '@nestjs/common';
import type { RunningSandbox } from '../../apps/sandbox/src/sandbox';
import { SANDBOX_SETTINGS } from './sandbox-accounts';

export interface SeededAccount {
  id: string;
  platform: string;
  simAccountId: string;
}

const CHUNK = 500;

/**
 * Many connected sandbox accounts of one unit, fast: each simulator issues the credentials, the
 * app-level fields become the platform's app credentials once, the rest are sealed through the
 * vault and the rows go in with bulk inserts; a profile call per account then proves (and, where
 * the platform issues tokens separately, completes) the connection. It skips what a person's connection would do (the
 * profile check and the one-account-per-platform naming rule), which load and fault suites do not
 * exercise; test/account-connections covers those.
 */
export async function seedSandboxAccounts(
  app: INestApplication,
  sandbox: RunningSandbox,
  opts: {
    unitId: string;
    unitPath: string;
    createdBy: string;
    perPlatform: number;
    platforms: string[];
    namePrefix?: string;
    /** A platform whose simulator refused a plain profile call, left out of the result. */
    onSkip?: (platform: string, reason: string) => void;
  },
): Promise<SeededAccount[]> {
  const ds = app.get(DataSource);
  const vault = app.get(CredentialVault);
  const registry = app.get(PluginRegistry);
  const connections = app.get(AccountConnectionsService);
  const host = app.get(PluginHost);
  const out: SeededAccount[] = [];
  for (const platform of opts.platforms) {
    const fields = registry.get(platform)!.manifest.credentials;
    const appFields = new Set(fields.filter((f) => f.scope === 'app').map((f) => f.name));
    const endpoints = sandbox.endpointsFor(platform);
    const sims = await mapLimit(
      Array.from({ length: opts.perPlatform }, (_, i) => i),
      16,
      async (i) => {
        const name = `${opts.namePrefix ?? '压测'}${platform}${i + 1}`;
        const res = await fetch(`${sandbox.url}/_sandbox/${platform}/accounts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name }),
        });
        if (res.status !== 201) throw new Error(`sandbox ${platform} account: ${res.status} ${await res.text()}`);
        return { name, sim: (await res.json()) as { id: string; credentials: Record<string, string> } };
      },
    );
    if (appFields.size) {
      const first = sims[0]!.sim.credentials;
      await connections.setAppCredentials(platform, Object.fromEntries(Object.entries(first).filter(([k]) => appFields.has(k))));
    }
    const now = new Date();
    const rows = sims.map(({ name, sim }) => ({
      account: {
        id: newId(),
        unitId: opts.unitId,
        unitPath: opts.unitPath,
        platform,
        name,
        platformAccountId: sim.id,
        profileName: name,
        status: AccountStatus.Active,
        connection: AccountConnection.Connected,
        settings: SANDBOX_SETTINGS[platform] ?? null,
        endpoints,
        sandbox: true,
        openedAt: now,
        createdBy: opts.createdBy,
      },
      own: Object.fromEntries(Object.entries(sim.credentials).filter(([k]) => !appFields.has(k))),
      simAccountId: sim.id,
    }));
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      await ds.transaction(async (m) => {
        await m
          .createQueryBuilder()
          .insert()
          .into(Account)
          .values(chunk.map((r) => r.account))
          .execute();
        await m
          .createQueryBuilder()
          .insert()
          .into(AccountCredential)
          .values(
            chunk.map((r) => ({
              accountId: r.account.id,
              ...vault.seal(r.account.id, r.own),
              expiresAt: null,
              refreshAt: null,
              version: 1,
            })),
          )
          .execute();
      });
    }
    // A connected account holds a working token: one profile call each, which lets the host fetch
    // the first access token where the platform issues it separately (WeChat's stable_token).
    const probe = await host.getProfile(rows[0]!.account.id).then(
      () => null,
      (e: Error) => e.message,
    );
    if (probe) {
      // The plugin loads but its simulator does not answer here: reported, not silently dropped.
      opts.onSkip?.(platform, probe);
      continue;
    }
    await mapLimit(rows.slice(1), 48, async (r) => {
      // A loaded machine now and then resets a kept-alive socket under 48 calls at once: one more try.
      for (let attempt = 1; ; attempt++) {
        try {
          return await host.getProfile(r.account.id);
        } catch (e) {
          if (attempt < 3 && /ECONNRESET|socket hang up/.test((e as Error).message)) continue;
          throw new Error(`${platform} account ${r.account.name}: ${(e as Error).message}`);
        }
      }
    });
    for (const r of rows) out.push({ id: r.account.id, platform, simAccountId: r.simAccountId });
  }
  return out;
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping the order of results. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}
