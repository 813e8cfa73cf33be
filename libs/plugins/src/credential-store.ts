import { randomInt } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { AccountCredential, CredentialVault, type SealedCredential, type VaultAlgorithm } from '@tongfa/accounts';
import { PlatformAppCredential } from './entities';

/** What the vault holds for one account, opened for one plugin call and then dropped. */
export interface OpenedCredentials {
  credentials: Record<string, string>;
  expiresAt: Date | null;
  refreshAt: Date | null;
  refreshFailures: number;
  /** Optimistic-lock version of the row: a save with a stale version loses. */
  version: number;
}

/** How long a process keeps a platform's opened app credentials (see CredentialStore.appCache). */
const APP_CACHE_MS = 10_000;
/** How long the app credentials webhooks are verified with are kept unsealed in memory. */
const WEBHOOK_APP_TTL_MS = 60_000;
/** A refused push reads them again, but not more often than this. */
const WEBHOOK_APP_RELOAD_MS = 5_000;

/**
 * Reads and writes sealed credentials. Plaintext exists only in the return value of `open`, which
 * the plugin host passes into one call; nothing here logs or returns it elsewhere.
 */
export class CredentialStore {
  /**
   * A platform's app credentials (app id and secret, the same for every account of the platform),
   * opened once per APP_CACHE_MS for plugin calls (a fan-out made one read and one decryption per
   * target) and once per WEBHOOK_APP_TTL_MS for verifying pushes. An operator's change reaches this
   * process at once when made here, and within those times when made by another process.
   */
  private readonly appCache = new Map<string, { at: number; value: Promise<Record<string, string>> }>();

  constructor(
    private readonly ds: DataSource,
    private readonly vault: CredentialVault,
  ) {}

  async open(accountId: string, m: EntityManager = this.ds.manager): Promise<OpenedCredentials | null> {
    const row = await m.findOne(AccountCredential, { where: { accountId } });
    return row ? this.opened(row) : null;
  }

  /**
   * The credentials of several accounts in one read, for a round of publishes the caller makes
   * right after (the worker's fan-out round); an account without any is absent from the map.
   */
  async openMany(accountIds: string[]): Promise<Map<string, OpenedCredentials>> {
    if (!accountIds.length) return new Map();
    const rows = await this.ds.getRepository(AccountCredential).find({ where: { accountId: In(accountIds) } });
    return new Map(rows.map((row) => [row.accountId, this.opened(row)]));
  }

  private opened(row: AccountCredential): OpenedCredentials {
    return {
      credentials: toStrings(this.vault.open(row.accountId, sealedOf(row))),
      expiresAt: row.expiresAt,
      refreshAt: row.refreshAt,
      refreshFailures: row.refreshFailures,
      version: row.version,
    };
  }

  /**
   * Seals and stores an account's credentials with their expiry and the time the refresh job should
   * renew them. With `expectVersion` the write only happens if nobody stored newer credentials
   * meanwhile (two refreshes racing must not both spend a single-use refresh token); returns false
   * when it lost.
   */
  async save(
    accountId: string,
    credentials: Record<string, string>,
    expiresAt: Date | null,
    now: Date,
    opts: { expectVersion?: number; manager?: EntityManager } = {},
  ): Promise<boolean> {
    const m = opts.manager ?? this.ds.manager;
    const sealed = this.vault.seal(accountId, credentials);
    const refreshAt = expiresAt ? refreshTime(now, expiresAt) : null;
    const values = { ...sealed, expiresAt, refreshAt, refreshFailures: 0 };
    if (opts.expectVersion !== undefined) {
      const res = await m
        .createQueryBuilder()
        .update(AccountCredential)
        .set({ ...values, version: () => 'version + 1' })
        .where('accountId = :accountId AND version = :v', { accountId, v: opts.expectVersion })
        .execute();
      return (res.affected ?? 0) > 0;
    }
    const exists = await m.exists(AccountCredential, { where: { accountId } });
    if (exists) {
      await m
        .createQueryBuilder()
        .update(AccountCredential)
        .set({ ...values, version: () => 'version + 1' })
        .where('accountId = :accountId', { accountId })
        .execute();
    } else {
      await m.insert(AccountCredential, { accountId, ...values, version: 1 });
    }
    return true;
  }

  /** A refresh that failed but may succeed later: retry after a backoff. */
  async deferRefresh(accountId: string, failures: number, retryAt: Date): Promise<void> {
    await this.ds.getRepository(AccountCredential).update({ accountId }, { refreshFailures: failures, refreshAt: retryAt });
  }

  /** No more automatic refreshes (the account needs a person to reconnect it). */
  async stopRefreshing(accountId: string): Promise<void> {
    await this.ds.getRepository(AccountCredential).update({ accountId }, { refreshAt: null });
  }

  async appCredentials(platform: string): Promise<Record<string, string>> {
    return { ...(await this.cachedApp(platform, APP_CACHE_MS).value) };
  }

  /**
   * The app credentials a webhook is verified with, read and unsealed at most once per
   * WEBHOOK_APP_TTL_MS (a push must not cost a query and a decryption). `fresh` says whether they were
   * read now: a push refused with a cached copy is verified again with a fresh one (PluginHost), so a
   * secret changed by another process costs no push. A reload asked for by a refused push reads
   * again only when the copy is older than WEBHOOK_APP_RELOAD_MS (a flood of bad signatures must
   * not turn into a flood of queries). Saving app credentials here drops the copy at once.
   */
  async webhookAppCredentials(
    platform: string,
    opts: { reload?: boolean } = {},
  ): Promise<{ credentials: Record<string, string>; fresh: boolean }> {
    const before = this.appCache.get(platform);
    const entry = this.cachedApp(platform, opts.reload ? WEBHOOK_APP_RELOAD_MS : WEBHOOK_APP_TTL_MS);
    return { credentials: { ...(await entry.value) }, fresh: entry !== before };
  }

  /** The cached read of a platform's app credentials when younger than `maxAgeMs`, else a new read, cached. */
  private cachedApp(platform: string, maxAgeMs: number): { at: number; value: Promise<Record<string, string>> } {
    const now = Date.now();
    const hit = this.appCache.get(platform);
    if (hit && now - hit.at < maxAgeMs) return hit;
    const value = this.ds
      .getRepository(PlatformAppCredential)
      .findOne({ where: { platform } })
      .then((row) => (row ? toStrings(this.vault.open(`app:${platform}`, sealedOf(row))) : {}));
    const entry = { at: now, value };
    this.appCache.set(platform, entry);
    // A failed read is not remembered.
    value.catch(() => this.appCache.get(platform) === entry && this.appCache.delete(platform));
    return entry;
  }

  async saveAppCredentials(platform: string, credentials: Record<string, string>): Promise<void> {
    this.appCache.delete(platform);
    const sealed = this.vault.seal(`app:${platform}`, credentials);
    const repo = this.ds.getRepository(PlatformAppCredential);
    if (await repo.exists({ where: { platform } })) {
      await repo
        .createQueryBuilder()
        .update()
        .set({ ...sealed, version: () => 'version + 1' })
        .where('platform = :platform', { platform })
        .execute();
    } else {
      await repo.insert({ platform, ...sealed, version: 1 });
    }
    // Again after the write: a read that started before it must not stay cached.
    this.appCache.delete(platform);
  }

  /**
   * Re-seals up to `batch` rows still sealed under an old key or algorithm. Each row is rewritten
   * only if its version is unchanged, so a refresh storing new credentials meanwhile is never
   * overwritten with the old ones; such a row was sealed under the current key anyway.
   */
  async rotateBatch(batch = 100): Promise<{ resealed: number; remaining: boolean }> {
    let resealed = 0;
    const accounts = await this.ds
      .getRepository(AccountCredential)
      .createQueryBuilder('c')
      .where('(c.keyId <> :k OR c.algorithm <> :a)', { k: this.vault.currentKeyId, a: this.vault.currentAlgorithm })
      .take(batch)
      .getMany();
    for (const row of accounts) {
      const plain = this.vault.open(row.accountId, sealedOf(row));
      const res = await this.ds
        .createQueryBuilder()
        .update(AccountCredential)
        .set({ ...this.vault.seal(row.accountId, plain), version: () => 'version + 1' })
        .where('accountId = :id AND version = :v', { id: row.accountId, v: row.version })
        .execute();
      resealed += res.affected ?? 0;
    }
    const apps = await this.ds
      .getRepository(PlatformAppCredential)
      .createQueryBuilder('c')
      .where('(c.keyId <> :k OR c.algorithm <> :a)', { k: this.vault.currentKeyId, a: this.vault.currentAlgorithm })
      .take(batch)
      .getMany();
    for (const row of apps) {
      const plain = this.vault.open(`app:${row.platform}`, sealedOf(row));
      const res = await this.ds
        .createQueryBuilder()
        .update(PlatformAppCredential)
        .set({ ...this.vault.seal(`app:${row.platform}`, plain), version: () => 'version + 1' })
        .where('platform = :p AND version = :v', { p: row.platform, v: row.version })
        .execute();
      resealed += res.affected ?? 0;
    }
    return { resealed, remaining: accounts.length === batch || apps.length === batch };
  }
}

/**
 * When to renew credentials expiring at `expiresAt`: a fifth of their lifetime ahead (between one
 * minute and an hour), minus up to a quarter more of random jitter, so a thousand tokens issued in
 * the same minute do not all hit the platform in the same second.
 */
export function refreshTime(now: Date, expiresAt: Date): Date {
  const life = Math.max(0, expiresAt.getTime() - now.getTime());
  const lead = Math.min(3600_000, Math.max(60_000, life / 5));
  const jitter = randomInt(0, Math.max(1, Math.floor(lead / 4)));
  return new Date(Math.max(now.getTime(), expiresAt.getTime() - lead - jitter));
}

function sealedOf(row: { keyId: string; algorithm: string; sealed: string }): SealedCredential {
  return { keyId: row.keyId, algorithm: row.algorithm as VaultAlgorithm, sealed: row.sealed };
}

function toStrings(o: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));
}
