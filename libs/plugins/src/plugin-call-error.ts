import { isPluginError, redactSecrets, type ConstraintIssue, type PluginErrorKind } from '@tongfa/plugin-sdk';

/**
 * A failed plugin call as the host reports it: the typed kind the plugin threw (an unbranded error
 * counts as ambiguous, as the SDK promises), with a message already stripped of the account's
 * secrets, so callers may store and show it.
 */
export class PluginCallError extends Error {
  override name = 'PluginCallError';

  constructor(
    readonly kind: PluginErrorKind,
    message: string,
    readonly extra: {
      retryAfterMs?: number;
      violations?: ConstraintIssue[];
      reason?: string;
      platformCode?: string | number;
      /** The host cut the call off at its deadline. */
      timedOut?: boolean;
      /** The account holds no credentials (never connected). */
      notConnected?: boolean;
      /** A request went (or resolved) to a host or address no plugin may reach. */
      egressRefused?: boolean;
      /** The host refused the call itself: the message is the host's own words, fit to show users. */
      byHost?: boolean;
      /** The platform's plugin lacks the capability the call needs (e.g. listPosts). */
      unsupported?: boolean;
    } = {},
  ) {
    super(message);
  }

  get retryAfterMs(): number | undefined {
    return this.extra.retryAfterMs;
  }

  /** What a publication target may store as its lastError. */
  toJSON(): Record<string, unknown> {
    return { kind: this.kind, message: this.message, ...this.extra };
  }

  static from(e: unknown, secrets: readonly string[]): PluginCallError {
    if (e instanceof PluginCallError) return e;
    if (isPluginError(e)) {
      return new PluginCallError(e.kind, redactSecrets(e.message, secrets), {
        retryAfterMs: e.retryAfterMs,
        violations: e.violations,
        reason: e.reason === undefined ? undefined : redactSecrets(e.reason, secrets),
        platformCode: e.platformCode,
      });
    }
    const msg = e instanceof Error ? e.message : String(e);
    return new PluginCallError(
      'ambiguous',
      redactSecrets(`插件抛出未分类的错误 / the plugin threw an unclassified error: ${msg}`, secrets).slice(0, 1000),
    );
  }
}
