/**
 * Typed errors a plugin throws so the host knows what to do next. The host recognises them by their
 * `kind` and brand property, never by `instanceof`: a third-party plugin may bundle its own copy of
 * this SDK, whose classes are different objects from the host's.
 */

/** A problem with the rendered content, naming the manifest constraint it breaks. */
export interface ConstraintIssue {
  /** Dotted constraint path, e.g. `title.max`, `images.maxCount`, `cover.aspectRatios`, `images[2].maxBytes`. */
  constraint: string;
  /** Human-readable explanation, Chinese first. */
  message: string;
  /** The limit from the manifest, when numeric. */
  limit?: number;
  /** The value found, when numeric. */
  actual?: number;
}

/** The error kinds, each with a host reaction (see README "Errors"). */
export type PluginErrorKind =
  'rate_limited' | 'transient' | 'auth_expired' | 'content_invalid' | 'rejected_by_review' | 'permanent' | 'ambiguous';

export const PLUGIN_ERROR_KINDS: readonly PluginErrorKind[] = [
  'rate_limited',
  'transient',
  'auth_expired',
  'content_invalid',
  'rejected_by_review',
  'permanent',
  'ambiguous',
];

/**
 * The brand property. A plain string key (not a Symbol) so the mark survives copies of the SDK in other
 * bundles and realms; its value is the error protocol version.
 */
export const PLUGIN_ERROR_BRAND = '__tongfaPluginError';
const PROTOCOL = 1;

/** Options every plugin error accepts. */
export interface PluginErrorOptions {
  /** Chinese message; a default per kind is used when omitted. */
  zh?: string;
  /** English message. */
  en?: string;
  /** The underlying error (kept for logs; the host never shows it to editors). */
  cause?: unknown;
  /** The platform's own error code, e.g. WeChat `45009`, for logs and support. */
  platformCode?: string | number;
}

/** Common base. Do not throw it directly; throw one of the concrete kinds. */
export abstract class PluginError extends Error {
  abstract readonly kind: PluginErrorKind;
  readonly zh: string;
  readonly en: string;
  readonly platformCode?: string | number;
  declare readonly [PLUGIN_ERROR_BRAND]: number;

  protected constructor(defaults: { zh: string; en: string }, opts: PluginErrorOptions = {}) {
    const zh = opts.zh ?? defaults.zh;
    const en = opts.en ?? defaults.en;
    super(`${zh} / ${en}`, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.zh = zh;
    this.en = en;
    if (opts.platformCode !== undefined) this.platformCode = opts.platformCode;
    Object.defineProperty(this, PLUGIN_ERROR_BRAND, { value: PROTOCOL, enumerable: false });
    this.name = new.target.name;
  }

  /** A plain object the host can store in `lastError` (no cause, no stack). */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { kind: this.kind, message: this.message };
    if (this.platformCode !== undefined) out.platformCode = this.platformCode;
    return out;
  }
}

/** The platform throttled us. Host: re-queue the target at `now + retryAfterMs`; it is not a failed attempt. */
export class RateLimitedError extends PluginError {
  readonly kind = 'rate_limited' as const;
  constructor(
    /** How long to wait before the next call; use the platform's Retry-After when it gives one. */
    readonly retryAfterMs: number,
    opts?: PluginErrorOptions,
  ) {
    super(
      {
        zh: `平台限流，${Math.ceil(retryAfterMs / 1000)} 秒后重试`,
        en: `rate limited by the platform, retry after ${retryAfterMs} ms`,
      },
      opts,
    );
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs };
  }
}

/**
 * A failure known to have changed nothing on the platform (connection refused, 5xx before processing, busy codes).
 * Host: retry with exponential backoff, up to its attempt limit.
 */
export class TransientError extends PluginError {
  readonly kind = 'transient' as const;
  constructor(opts?: PluginErrorOptions) {
    super({ zh: '平台暂时不可用，稍后重试', en: 'platform temporarily unavailable, will retry' }, opts);
  }
}

/**
 * The access token is expired or revoked. Host: call `refreshCredentials` once and retry; if that also
 * fails with AuthExpired, mark the account `needs_reauth` and ask a person to reconnect it.
 */
export class AuthExpiredError extends PluginError {
  readonly kind = 'auth_expired' as const;
  constructor(opts?: PluginErrorOptions) {
    super({ zh: '授权已过期或被撤销', en: 'authorization expired or revoked' }, opts);
  }
}

/** The content breaks a platform rule. Host: fail the target and show the violations to the editor; no retry. */
export class ContentInvalidError extends PluginError {
  readonly kind = 'content_invalid' as const;
  constructor(
    readonly violations: ConstraintIssue[],
    opts?: PluginErrorOptions,
  ) {
    super(
      {
        zh: `内容不符合平台要求：${violations.map((v) => v.constraint).join('、') || '未说明'}`,
        en: `content breaks platform rules: ${violations.map((v) => v.constraint).join(', ') || 'unspecified'}`,
      },
      opts,
    );
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), violations: this.violations };
  }
}

/** The platform's own review rejected the post (e.g. WeChat publish_status 4). Host: fail, tell the editor; no retry. */
export class RejectedByReviewError extends PluginError {
  readonly kind = 'rejected_by_review' as const;
  constructor(
    /** The platform's stated reason, if any. */
    readonly reason?: string,
    opts?: PluginErrorOptions,
  ) {
    super(
      {
        zh: `平台审核未通过${reason ? `：${reason}` : ''}`,
        en: `rejected by the platform's review${reason ? `: ${reason}` : ''}`,
      },
      opts,
    );
  }
  override toJSON(): Record<string, unknown> {
    return this.reason === undefined ? super.toJSON() : { ...super.toJSON(), reason: this.reason };
  }
}

/** Anything retrying will not fix (missing permission, account banned, bad configuration). Host: fail the target. */
export class PermanentError extends PluginError {
  readonly kind = 'permanent' as const;
  constructor(opts?: PluginErrorOptions) {
    super({ zh: '发布失败且无法重试', en: 'permanent failure, not retryable' }, opts);
  }
}

/**
 * The request may have been committed: a timeout or connection reset after it was sent.
 * Host: call `findExisting(idempotencyKey)`; if the post exists, record it; if not, retry with the same
 * key and checkpoints; if the platform cannot tell, mark the target `unconfirmed` for a person to check.
 */
export class AmbiguousError extends PluginError {
  readonly kind = 'ambiguous' as const;
  constructor(opts?: PluginErrorOptions) {
    super({ zh: '请求可能已被平台执行，结果未知', en: 'the request may have been committed; outcome unknown' }, opts);
  }
}

/** The shape the host relies on, whichever copy of the SDK created the error. */
export interface PluginErrorLike {
  kind: PluginErrorKind;
  message: string;
  retryAfterMs?: number;
  violations?: ConstraintIssue[];
  reason?: string;
  platformCode?: string | number;
}

/** Whether `e` is a plugin error from any copy of this SDK (checks the brand, not the class). */
export function isPluginError(e: unknown): e is PluginErrorLike & Error {
  if (typeof e !== 'object' || e === null) return false;
  const rec = e as Record<string, unknown>;
  return typeof rec[PLUGIN_ERROR_BRAND] === 'number' && PLUGIN_ERROR_KINDS.includes(rec.kind as PluginErrorKind);
}

/** The kind of a plugin error, or `undefined` for anything else (which the host treats as ambiguous). */
export function errorKind(e: unknown): PluginErrorKind | undefined {
  return isPluginError(e) ? e.kind : undefined;
}
