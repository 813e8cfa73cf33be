import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hkdfSync } from 'node:crypto';
import type { ClientMetadata, Configuration, Interaction, KoaContextWithOIDC, default as ProviderType } from 'oidc-provider';
import { DataSource, In } from 'typeorm';
import { AppConfig, Clock, OidcProviderClient } from '@tongfa/core';
import { RoleAssignment, Unit, User, UserStatus } from '../../entities';
import { typeormAdapter } from './typeorm-adapter';
import { SigningKeysService } from './signing-keys.service';
import { escapeHtml } from './html';

export type OidcProvider = ProviderType;

/** Path the provider is mounted at on the hub; the issuer is the public URL plus this. */
export const OIDC_PROVIDER_PATH = '/oidc';

/** Claims Tongfa vouches for, grouped by the scope that releases them. */
export const OIDC_PROVIDER_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'preferred_username'],
  unit: ['unit_id', 'unit_name', 'unit_credit_code'],
  roles: ['roles'],
};

/**
 * Tongfa as an OpenID Connect provider (oidc-provider v9) for the matrix's other apps: the
 * authorization-code flow with PKCE, for the clients in TONGFA_OIDC_PROVIDER_CLIENTS only, state
 * in the database, signing key sealed in the database. Sign-in pages are the hub's (the edge).
 */
@Injectable()
export class OidcProviderService {
  private readonly logger = new Logger('OidcProvider');
  private provider: Promise<OidcProvider> | null = null;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly keys: SigningKeysService,
  ) {}

  get enabled(): boolean {
    return this.clients.length > 0;
  }

  get clients(): OidcProviderClient[] {
    return this.config.env.TONGFA_OIDC_PROVIDER_CLIENTS ?? [];
  }

  get issuer(): string {
    return `${this.config.publicUrl.replace(/\/$/, '')}${OIDC_PROVIDER_PATH}`;
  }

  client(clientId: string): OidcProviderClient | undefined {
    return this.clients.find((c) => c.client_id === clientId);
  }

  /** The provider, built once per process (loads the ESM library and the signing key). */
  instance(): Promise<OidcProvider> {
    this.provider ??= this.build().catch((e: unknown) => {
      this.provider = null;
      throw e;
    });
    return this.provider;
  }

  /** Grants a first-party client what it asked for, so its users never see a consent page. */
  async grantConsent(provider: OidcProvider, details: Interaction): Promise<string> {
    const { prompt, params, session, grantId } = details;
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session!.accountId, clientId: String(params.client_id) });
    if (!grant) throw new Error('grant vanished during consent');
    const missing = prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
      grant.addResourceScope(resource, scopes.join(' '));
    return grant.save();
  }

  /** The claims of a Tongfa user as the matrix's apps see them; null when the user may not sign in. */
  async claimsOf(userId: string): Promise<Record<string, unknown> | null> {
    const user = await this.ds.getRepository(User).findOneBy({ id: userId });
    if (!user || user.status !== UserStatus.Active) return null;
    const unit = await this.ds.getRepository(Unit).findOneBy({ id: user.unitId });
    const roles = await this.ds.getRepository(RoleAssignment).find({ where: { userId: In([user.id]) }, order: { createdAt: 'ASC' } });
    return {
      sub: user.id,
      name: user.displayName,
      preferred_username: user.username,
      unit_id: user.unitId,
      unit_name: unit?.name ?? null,
      unit_credit_code: unit?.creditCode ?? null,
      roles: [...new Set(roles.map((r) => r.role))],
    };
  }

  private async build(): Promise<OidcProvider> {
    const { default: Provider } = await import('oidc-provider');
    const secret = this.config.secretKey;
    const cookieKey = Buffer.from(hkdfSync('sha256', secret, 'tongfa', 'oidc-provider-cookies', 32)).toString('base64url');
    const ttl = this.config.env.TONGFA_ACCESS_TOKEN_TTL;
    const configuration: Configuration = {
      adapter: typeormAdapter(this.ds, this.clock),
      clients: this.clients.map((c): ClientMetadata => ({
        client_id: c.client_id,
        client_secret: c.client_secret,
        client_name: c.client_name,
        redirect_uris: c.redirect_uris,
        post_logout_redirect_uris: c.post_logout_redirect_uris ?? [],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: c.token_endpoint_auth_method,
      })),
      jwks: { keys: (await this.keys.load()) as NonNullable<Configuration['jwks']>['keys'] },
      cookies: { keys: [cookieKey] },
      pkce: { required: () => true },
      claims: OIDC_PROVIDER_CLAIMS,
      scopes: ['openid', 'offline_access', ...Object.keys(OIDC_PROVIDER_CLAIMS).filter((s) => s !== 'openid')],
      // Units' apps read who signed in from the ID token; they need not call userinfo.
      conformIdTokenClaims: false,
      findAccount: async (_ctx: KoaContextWithOIDC, sub: string) => {
        const claims = await this.claimsOf(sub);
        if (!claims) return undefined;
        return { accountId: sub, claims: () => claims as { sub: string } };
      },
      interactions: { url: (_ctx: KoaContextWithOIDC, interaction: Interaction) => `${OIDC_PROVIDER_PATH}/interaction/${interaction.uid}` },
      features: {
        devInteractions: { enabled: false },
        userinfo: { enabled: true },
        revocation: { enabled: true },
      },
      clientBasedCORS: () => false,
      ttl: {
        AccessToken: ttl,
        AuthorizationCode: 60,
        IdToken: ttl,
        Interaction: 600,
        Session: 8 * 3600,
        Grant: 14 * 24 * 3600,
        RefreshToken: 14 * 24 * 3600,
      },
      renderError: (ctx: KoaContextWithOIDC, out: { error?: string; error_description?: string }) => {
        ctx.type = 'html';
        ctx.body = errorPage(String(out.error ?? 'error'), String(out.error_description ?? ''));
      },
    };
    const provider = new Provider(this.issuer, configuration);
    // The hub sits behind the province's reverse proxy: trust its X-Forwarded-Proto for secure cookies.
    provider.proxy = true;
    provider.on('server_error', (_ctx: unknown, err: Error) => this.logger.error({ err }, 'OpenID provider error'));
    this.logger.log(`OpenID provider ready at ${this.issuer} for ${this.clients.length} client(s)`);
    return provider;
  }
}

/** The provider's own error page (bad client, bad redirect, expired request), in zh-CN. */
export function errorPage(error: string, description: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录出错 - 统发</title></head>
<body><main><h1>登录出错</h1><p role="alert">无法完成统一登录，请返回应用重新发起登录。</p>
<p><code>${escapeHtml(error)}</code> ${escapeHtml(description)}</p></main></body></html>`;
}
