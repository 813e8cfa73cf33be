import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, In, IsNull, Not } from 'typeorm';
import { Clock, ErrorDetail, newId } from '@tongfa/core';
import {
  Account,
  AccountConnection,
  AccountCredential,
  AccountError,
  AccountException,
  AccountsService,
  AccountStatus,
  PlatformCatalog,
} from '@tongfa/accounts';
import { Actor, Permission } from '@tongfa/identity';
import type { PluginManifest, Profile } from '@tongfa/plugin-sdk';
import { AccountAlert, OAuthState } from './entities';
import { PluginHost } from './plugin-host';
import { PluginCallError } from './plugin-call-error';
import { CredentialStore } from './credential-store';
import { PluginsError, PluginsException } from './plugins.exception';

/** How long a person has to finish an OAuth authorization. */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

const CONNECTABLE = [AccountStatus.Opened, AccountStatus.Active];
const MAX_VALUE_LENGTH = 4096;

/** What the API shows of a connected account: the evidence, never a credential. */
export interface ConnectionView {
  accountId: string;
  platform: string;
  status: AccountStatus;
  connection: AccountConnection;
  platformAccountId: string | null;
  profileName: string | null;
  verifiedSubject: string | null;
  namingIssues: string[] | null;
}

/**
 * Connects registered accounts to their platforms: credentials typed in (app secret, API key,
 * HMAC) or obtained through OAuth. Credentials are checked against the plugin's form and verified
 * with the platform (getProfile) before anything is stored; they are stored sealed and leave the
 * vault only into a plugin call.
 */
@Injectable()
export class AccountConnectionsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly host: PluginHost,
    private readonly store: CredentialStore,
    private readonly accounts: AccountsService,
    private readonly catalog: PlatformCatalog,
  ) {}

  /** app_secret / api_key / hmac: validate, verify with the platform, then store. */
  async connectWithCredentials(actor: Actor, accountId: string, input: Record<string, unknown>): Promise<ConnectionView> {
    const account = await this.connectable(actor, accountId);
    const manifest = this.manifest(account.platform);
    if (manifest.auth.kind === 'oauth2') throw new PluginsException(PluginsError.UseOAuth);
    const candidate = validateCredentials(manifest, input);
    this.assertSettings(account);
    const verified = await this.verify(() => this.host.verify(account, candidate));
    return this.store_(account, verified.credentials, verified.expiresAt, verified.profile);
  }

  /** oauth2: the platform URL to send the person to, with a single-use state bound to them and the account. */
  async startOAuth(actor: Actor, accountId: string, redirectUri: string): Promise<{ authorizeUrl: string; expiresAt: Date }> {
    const account = await this.connectable(actor, accountId);
    const manifest = this.manifest(account.platform);
    if (manifest.auth.kind !== 'oauth2') throw new PluginsException(PluginsError.NotOAuth);
    this.assertSettings(account);
    const state = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.now().getTime() + OAUTH_STATE_TTL_MS);
    await this.ds.getRepository(OAuthState).insert({
      id: newId(),
      stateHash: hashState(state),
      accountId: account.id,
      userId: actor.userId,
      platform: account.platform,
      redirectUri,
      expiresAt,
      usedAt: null,
    });
    const authorizeUrl = await this.verify(() => this.host.authorizeUrl(account, state, redirectUri));
    return { authorizeUrl, expiresAt };
  }

  /**
   * The platform's redirect back. The state must exist (not forged), be unused (consumed here by a
   * conditional UPDATE, so two racing callbacks cannot both pass), unexpired, and, when the caller is
   * signed in, belong to the caller. The account is the one the state was issued for, whatever else
   * the request says.
   */
  async finishOAuth(
    code: string | undefined,
    state: string | undefined,
    caller: Actor | null,
  ): Promise<{ view: ConnectionView; userId: string; account: Account }> {
    if (!state || !code || state.length > 200 || code.length > 2000) throw new PluginsException(PluginsError.OAuthStateInvalid);
    const repo = this.ds.getRepository(OAuthState);
    const row = await repo.findOne({ where: { stateHash: hashState(state) } });
    if (!row) throw new PluginsException(PluginsError.OAuthStateInvalid);
    if (caller && caller.userId !== row.userId) throw new PluginsException(PluginsError.OAuthStateInvalid);
    const now = this.clock.now();
    const claimed = await repo
      .createQueryBuilder()
      .update()
      .set({ usedAt: now })
      .where('id = :id AND usedAt IS NULL', { id: row.id })
      .execute();
    if (!claimed.affected) throw new PluginsException(PluginsError.OAuthStateUsed);
    if (row.expiresAt.getTime() < now.getTime()) throw new PluginsException(PluginsError.OAuthStateExpired);
    const account = await this.ds.getRepository(Account).findOne({ where: { id: row.accountId } });
    if (!account || !CONNECTABLE.includes(account.status) || account.platform !== row.platform) {
      throw new PluginsException(PluginsError.NotConnectable, { status: account?.status ?? 'missing' });
    }
    const update = await this.verify(() => this.host.exchangeCode(account, code, row.redirectUri));
    const verified = await this.verify(() => this.host.verify(account, update.credentials));
    const expiresAt = verified.expiresAt ?? (update.expiresAt ? new Date(update.expiresAt) : null);
    const view = await this.store_(account, verified.credentials, expiresAt, verified.profile);
    return { view, userId: row.userId, account };
  }

  /** The operator's app-level credentials of a platform (the manifest's `scope: 'app'` fields). */
  async setAppCredentials(platform: string, input: Record<string, unknown>): Promise<{ platform: string; fields: string[] }> {
    const manifest = this.manifest(platform);
    const creds = validateCredentials(manifest, input, 'app');
    await this.store.saveAppCredentials(platform, creds);
    return { platform, fields: Object.keys(creds).sort() };
  }

  /**
   * An operator points any account at the sandbox's simulator of its platform (a newly registered
   * third-party platform can then be tried end to end), or back at the real platform. Credentials
   * held for the other side are dropped: a sandbox token must never be sent to the real platform, nor
   * the reverse. The caller checks the role and the production rule.
   */
  /** The account as it is (operators act across the whole installation). */
  async accountForOperator(accountId: string): Promise<Account> {
    const account = await this.ds.getRepository(Account).findOneBy({ id: accountId });
    if (!account) throw new AccountException(AccountError.NotFound);
    return account;
  }

  async setSandboxed(accountId: string, sandboxed: boolean, sandboxOrigin: string | undefined): Promise<Account> {
    const repo = this.ds.getRepository(Account);
    const account = await repo.findOneByOrFail({ id: accountId });
    let endpoints: Record<string, string> | null = null;
    if (sandboxed) {
      if (!sandboxOrigin) throw new PluginsException(PluginsError.SandboxNotConfigured);
      const names = Object.keys(this.manifest(account.platform).endpoints ?? {});
      try {
        const res = await fetch(`${sandboxOrigin}/_sandbox/${encodeURIComponent(account.platform)}/endpoints?names=${names.join(',')}`, {
          signal: AbortSignal.timeout(5000),
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        endpoints = (await res.json()) as Record<string, string>;
      } catch {
        throw new PluginsException(PluginsError.SandboxUnavailable, { platform: account.platform });
      }
    }
    if (account.sandbox === sandboxed && JSON.stringify(account.endpoints) === JSON.stringify(endpoints)) return account;
    await this.ds.transaction(async (m) => {
      await m.update(
        Account,
        { id: accountId },
        { endpoints, sandbox: sandboxed, connection: AccountConnection.None, platformAccountId: null },
      );
      await m.delete(AccountCredential, { accountId });
    });
    return repo.findOneByOrFail({ id: accountId });
  }

  /** Points an account at sandbox simulators (demo and test accounts). */
  async useSandbox(accountId: string, endpoints: Record<string, string>): Promise<void> {
    await this.ds.getRepository(Account).update({ id: accountId }, { endpoints, sandbox: true });
  }

  /**
   * Stores credentials obtained outside a person's request (the demo's sandbox accounts), verified
   * with the platform like any other.
   */
  async connectInternally(accountId: string, credentials: Record<string, string>): Promise<ConnectionView> {
    const account = await this.ds.getRepository(Account).findOneByOrFail({ id: accountId });
    this.assertSettings(account);
    const verified = await this.verify(() => this.host.verify(account, credentials));
    return this.store_(account, verified.credentials, verified.expiresAt, verified.profile);
  }

  private async store_(
    account: Account,
    credentials: Record<string, string>,
    expiresAt: Date | null,
    profile: Profile,
  ): Promise<ConnectionView> {
    const platformAccountId = String(profile.platformAccountId);
    if (account.platformAccountId && account.platformAccountId !== platformAccountId) {
      throw new PluginsException(PluginsError.PlatformAccountMismatch, { got: platformAccountId, expected: account.platformAccountId });
    }
    return this.ds.transaction(async (m) => {
      const taken = await m.count(Account, {
        where: {
          id: Not(account.id),
          platform: account.platform,
          platformAccountId,
          status: In([AccountStatus.Opened, AccountStatus.Active, AccountStatus.Suspended]),
        },
      });
      if (taken > 0) throw new PluginsException(PluginsError.PlatformAccountTaken);
      const now = this.clock.now();
      await this.store.save(account.id, credentials, expiresAt, now, { manager: m });
      await m.update(
        Account,
        { id: account.id },
        {
          platformAccountId,
          profileName: profile.name?.slice(0, 100) ?? null,
          verifiedSubject: profile.verifiedSubject?.slice(0, 200) ?? null,
          avatarUrl: profile.avatarUrl?.slice(0, 500) ?? null,
          followers: typeof profile.followers === 'number' ? Math.round(profile.followers) : null,
          profileCheckedAt: now,
          connection: AccountConnection.Connected,
          // Going live: opened → active is not a transition that owes a filing.
          status: AccountStatus.Active,
        },
      );
      await m.update(AccountAlert, { accountId: account.id, resolvedAt: IsNull() }, { resolvedAt: now });
      await this.accounts.recheckNaming(m, account.unitId);
      const a = await m.findOneByOrFail(Account, { id: account.id });
      return {
        accountId: a.id,
        platform: a.platform,
        status: a.status,
        connection: a.connection,
        platformAccountId: a.platformAccountId,
        profileName: a.profileName,
        verifiedSubject: a.verifiedSubject,
        namingIssues: a.namingIssues,
      };
    });
  }

  /** An account connects only with the settings its plugin needs to publish (e.g. Weibo's link and rip). */
  private assertSettings(account: Account): void {
    this.catalog.assertSettingsComplete(account.platform, account.settings ?? {});
  }

  private async connectable(actor: Actor, accountId: string): Promise<Account> {
    const account = await this.accounts.accountInScope(this.ds.manager, actor, Permission.AccountWrite, accountId);
    this.manifest(account.platform);
    if (!CONNECTABLE.includes(account.status)) throw new PluginsException(PluginsError.NotConnectable, { status: account.status });
    return account;
  }

  private manifest(platform: string): PluginManifest {
    const p = this.host.registry.get(platform);
    if (!p) throw new PluginsException(PluginsError.NotLoaded, { platform });
    return p.manifest;
  }

  /**
   * Plugin failures become domain errors with our own text and a typed code: what the platform (or
   * whatever answered) said stays in the log, never in the answer to the client.
   */
  private async verify<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof PluginCallError)) throw e;
      const details: ErrorDetail[] = [{ field: 'credentials', code: `plugin.${e.kind}`, message: KIND_ZH[e.kind] }];
      const platformCode = e.extra.platformCode === undefined ? '' : String(e.extra.platformCode);
      if (/^[\w.:-]{1,40}$/.test(platformCode)) details.push({ field: 'credentials', code: 'platformCode', message: platformCode });
      if (e.extra.egressRefused) throw new PluginsException(PluginsError.AddressRefused, {}, details);
      if (e.kind === 'transient' || e.kind === 'rate_limited' || e.kind === 'ambiguous') {
        throw new PluginsException(PluginsError.PlatformUnavailable, {}, details);
      }
      throw new PluginsException(PluginsError.CredentialsRefused, { what: KIND_ZH[e.kind] }, details);
    }
  }
}

const KIND_ZH: Record<PluginCallError['kind'], string> = {
  auth_expired: '授权无效或已过期',
  permanent: '平台拒绝了请求',
  content_invalid: '平台认为请求内容不符合要求',
  rejected_by_review: '平台审核未通过',
  transient: '平台暂时不可用',
  rate_limited: '平台限流',
  ambiguous: '平台未给出明确结果',
};

function hashState(state: string): string {
  return createHash('sha256').update(state).digest('hex');
}

/**
 * Checks credentials against the manifest's form for one scope: no unknown fields, required ones
 * present, type and pattern respected. Error details name fields, never values.
 */
export function validateCredentials(
  manifest: PluginManifest,
  input: Record<string, unknown>,
  scope: 'app' | 'account' = 'account',
): Record<string, string> {
  const fields = manifest.credentials.filter((f) => (f.scope ?? 'account') === scope);
  const known = new Map(fields.map((f) => [f.name, f]));
  const errors: ErrorDetail[] = [];
  const out: Record<string, string> = {};
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new PluginsException(PluginsError.CredentialsInvalid, { fields: 'credentials' }, [
      { field: 'credentials', message: '须为对象 / must be an object' },
    ]);
  }
  for (const [k, v] of Object.entries(input)) {
    if (!known.has(k)) {
      errors.push({ field: k, message: '平台没有这个凭据字段 / not a credential field of this platform' });
      continue;
    }
    if (typeof v !== 'string' && typeof v !== 'number') {
      errors.push({ field: k, message: '须为字符串 / must be a string' });
      continue;
    }
    const s = String(v).trim();
    if (s.length > MAX_VALUE_LENGTH) errors.push({ field: k, message: `过长 / longer than ${MAX_VALUE_LENGTH}` });
    else if (s) out[k] = s;
  }
  for (const f of fields) {
    const v = out[f.name];
    if (v === undefined) {
      if (f.required) errors.push({ field: f.name, message: `必填：${f.label.zh} / required` });
      continue;
    }
    if (f.type === 'number' && !/^-?\d+(\.\d+)?$/.test(v)) errors.push({ field: f.name, message: '须为数字 / must be a number' });
    if (f.type === 'url') {
      let ok = false;
      try {
        ok = ['http:', 'https:'].includes(new URL(v).protocol);
      } catch {
        ok = false;
      }
      if (!ok) errors.push({ field: f.name, message: '须为网址 / must be a URL' });
    }
    if (f.pattern && !new RegExp(f.pattern).test(v))
      errors.push({ field: f.name, message: '格式不符 / does not match the expected format' });
  }
  if (errors.length) throw new PluginsException(PluginsError.CredentialsInvalid, { fields: errors.map((e) => e.field).join(', ') }, errors);
  return out;
}
