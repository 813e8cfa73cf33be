/** The secrets of one authorization request; they stay on the server until the callback. */
export interface AuthorizationStart {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** An identity the upstream provider vouched for: the ID token was verified, nonce and PKCE checked. */
export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  /** ID token claims, completed by userinfo where the provider has it. */
  claims: Record<string, unknown>;
}

/** Why an exchange failed, safe to show and to audit (never a token or secret). */
export class RelyingPartyError extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

/**
 * Port to the provincial identity provider: the OpenID Connect protocol work (discovery, PKCE,
 * token exchange, ID token validation) behind two calls, so the sign-in rules stay testable.
 */
export abstract class RelyingPartyPort {
  abstract readonly issuer: string;
  abstract begin(): Promise<AuthorizationStart>;
  abstract complete(callbackUrl: URL, checks: { state: string; nonce: string; codeVerifier: string }): Promise<VerifiedIdentity>;
}
