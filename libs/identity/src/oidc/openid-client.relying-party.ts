import { Logger } from '@nestjs/common';
import type * as Oidc from 'openid-client';
import { AuthorizationStart, RelyingPartyError, RelyingPartyPort, VerifiedIdentity } from './relying-party.port';

export interface RelyingPartySettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  scope: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The relying party on openid-client v6 (ESM, loaded on first use so a hub without single
 * sign-on never loads it). Discovery runs at the first sign-in, not at boot: the hub starts
 * even while the provincial IdP is down, and a failed discovery is retried next time.
 */
export class OpenIdClientRelyingParty extends RelyingPartyPort {
  private readonly logger = new Logger('OidcRelyingParty');
  private configuration: Promise<{ lib: typeof Oidc; config: Oidc.Configuration }> | null = null;

  constructor(private readonly settings: RelyingPartySettings) {
    super();
  }

  get issuer(): string {
    return this.settings.issuer;
  }

  async begin(): Promise<AuthorizationStart> {
    const { lib, config } = await this.discover();
    const codeVerifier = lib.randomPKCECodeVerifier();
    const state = lib.randomState();
    const nonce = lib.randomNonce();
    const url = lib.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scope,
      state,
      nonce,
      code_challenge: await lib.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, state, nonce, codeVerifier };
  }

  async complete(callbackUrl: URL, checks: { state: string; nonce: string; codeVerifier: string }): Promise<VerifiedIdentity> {
    const { lib, config } = await this.discover();
    let tokens: Awaited<ReturnType<typeof Oidc.authorizationCodeGrant>>;
    try {
      tokens = await lib.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
    } catch (e) {
      throw new RelyingPartyError(this.reasonOf(lib, e), { cause: e });
    }
    const idClaims = tokens.claims();
    if (!idClaims) throw new RelyingPartyError('no ID token');
    let claims: Record<string, unknown> = { ...idClaims };
    if (config.serverMetadata().userinfo_endpoint && tokens.access_token) {
      try {
        const info = await lib.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        // The signed ID token wins where both speak; userinfo fills in what it left out.
        claims = { ...info, ...idClaims };
      } catch (e) {
        throw new RelyingPartyError(`userinfo: ${this.reasonOf(lib, e)}`, { cause: e });
      }
    }
    return { issuer: idClaims.iss, subject: idClaims.sub, claims };
  }

  private discover(): Promise<{ lib: typeof Oidc; config: Oidc.Configuration }> {
    this.configuration ??= (async () => {
      const lib = await import('openid-client');
      const server = new URL(this.settings.issuer);
      // Plain HTTP only to a provider on this machine (tests, a local IdP); anything else needs TLS.
      const insecure = server.protocol === 'http:' && LOOPBACK.has(server.hostname);
      const config = await lib.discovery(
        server,
        this.settings.clientId,
        this.settings.clientSecret,
        this.settings.clientSecret ? lib.ClientSecretBasic(this.settings.clientSecret) : lib.None(),
        { execute: insecure ? [lib.allowInsecureRequests] : [], timeout: 10 },
      );
      return { lib, config };
    })().catch((e: unknown) => {
      this.configuration = null;
      this.logger.warn(`discovery of ${this.settings.issuer} failed: ${e instanceof Error ? e.message : String(e)}`);
      throw new RelyingPartyError('identity provider unreachable', { cause: e });
    });
    return this.configuration;
  }

  private reasonOf(lib: typeof Oidc, e: unknown): string {
    if (e instanceof lib.AuthorizationResponseError) return `provider answered ${e.error}`;
    if (e instanceof lib.ResponseBodyError) return `token endpoint answered ${e.error}`;
    if (e instanceof Error && 'code' in e && typeof e.code === 'string') return `${e.code}: ${e.message}`.slice(0, 200);
    return 'token exchange failed';
  }
}
