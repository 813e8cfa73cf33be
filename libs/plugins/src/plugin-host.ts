import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import {
  type ImageFitSpec,
  createHttpClient,
  createRedactingLogger,
  isEgressRefusal,
  type EgressResolver,
  type HttpClient,
  secretValues,
  redactSecrets,
  type AuthContext,
  type CredentialUpdate,
  type FittedImage,
  type FocusPoint,
  type ImageFitter,
  type JsonValue,
  type CommentPage,
  type FetchCommentsParams,
  type FetchAccountCommentsParams,
  type AccountCommentPage,
  type ListedPost,
  type ListPostsParams,
  type WebhookContext,
  type WebhookRequest,
  type WebhookVerdict,
  type LogSink,
  MAX_POST_URL_LENGTH,
  type ManuscriptInput,
  type PluginContext,
  type PostPage,
  type Profile,
  type PublishResult,
  type PublishStatus,
  type RenderContext,
  type Rendition,
} from '@tongfa/plugin-sdk';
import { Account } from '@tongfa/accounts';
import type { LoadedPlugin, PluginRegistry } from './plugin-registry';
import type { CredentialStore, OpenedCredentials } from './credential-store';
import type { Bucket, RateLimiter } from './rate-limiter';
import { PluginCallError } from './plugin-call-error';
import { cleanPage, cleanPost, listParams } from './post-listing';

/** Durable progress of one publication target; the publishing pipeline keeps it with the target row. */
export interface CheckpointStore {
  load(): Promise<JsonValue | undefined>;
  save(state: JsonValue): Promise<void>;
}

/** One publication target as the host needs it. The key is the same for every attempt of the target. */
export interface PublishTarget {
  accountId: string;
  idempotencyKey: string;
  /** Attempts already made in earlier runs (the plugin sees attempt = this + 1, + 2, …). */
  attemptsSoFar?: number;
}

/** Ranged reads of a manuscript video by reference (the media library implements it). */
export type VideoSource = (ref: string, offset: number, length: number) => Promise<Uint8Array>;

/** Resolves a manuscript asset reference to its bytes (the media library implements it). */
export type AssetSource = (ref: string) => Promise<{ bytes: Uint8Array; focus?: FocusPoint }>;

export interface PublishOutcome {
  /**
   * `retry_wait`: try again at `retryAt` (rate limited or backing off longer than the host waits in
   * one run); `unconfirmed`: an ambiguous failure the platform cannot resolve, a person must check.
   */
  state: 'published' | 'processing' | 'retry_wait' | 'failed' | 'needs_reauth' | 'unconfirmed';
  result?: PublishResult;
  error?: PluginCallError;
  retryAt?: Date;
  /** Attempts made so far, earlier runs included. */
  attempts: number;
  /**
   * With `retry_wait`: an earlier call of this run may have created the post and the platform could
   * not be asked just now (findExisting itself hit a rate limit or a 5xx); the next run must ask
   * before it publishes again.
   */
  mustCheckExisting?: boolean;
}

export interface PluginHostOptions {
  /** Deadline of one plugin call (default 60 s); a call still running then is cut off. */
  callTimeoutMs?: number;
  /** Default timeout of one HTTP request made by a plugin (default 15 s). */
  httpTimeoutMs?: number;
  /** Attempts of a publish within one run (default 5). */
  maxAttempts?: number;
  /** Longest wait the host sleeps through inside one run; longer ones come back as retry_wait (default 5 s). */
  maxInlineWaitMs?: number;
  /** First transient backoff (default 500 ms), doubled per attempt, with full jitter. */
  baseBackoffMs?: number;
  /**
   * Whether sandbox accounts take tokens from the plugins' declared rate limits (default true).
   * Load and fault suites turn it off: their simulators inject rate limits of their own, and the
   * declared per-app quotas would only measure the bucket. Real accounts are always limited.
   */
  limitSandbox?: boolean;
  /**
   * Origins of the simulators this process may reach for sandbox accounts (the sandbox the hub runs,
   * `TONGFA_SANDBOX_URL`). A sandbox account reaches these and nothing else; more can be added with
   * allowSandboxOrigin when a sandbox starts.
   */
  sandboxOrigins?: readonly string[];
  /** Resolves host names for plugin calls (default the system resolver). */
  resolver?: EgressResolver;
}

export interface PluginHostDeps {
  ds: DataSource;
  registry: PluginRegistry;
  credentials: CredentialStore;
  limiter: RateLimiter;
  /** Milliseconds since the epoch, from the hub's clock. */
  now: () => number;
  fitter: ImageFitter;
  /** Where plugin log lines go, already redacted (nestjs-pino in the hub). */
  log: LogSink;
  /** Called when an account's credentials are dead for good and a person must reconnect it. */
  onNeedsReauth?: (accountId: string, reason: string) => Promise<void>;
  options?: PluginHostOptions;
}

/** The account facts a call needs; the account row, or a subset of it. */
export type HostAccount = Pick<Account, 'id' | 'platform' | 'name' | 'platformAccountId' | 'endpoints' | 'sandbox'> &
  Partial<Pick<Account, 'settings'>>;

interface CallOptions {
  deadlineMs?: number;
  idempotencyKey?: string;
  attempt?: number;
  lastCheckpoint?: JsonValue;
  checkpoint?: (state: JsonValue) => Promise<void>;
  assets?: AssetSource;
  videos?: VideoSource;
  /** Buckets taken besides the plugin's per-app and per-account ones. */
  buckets?: Bucket[];
  /** Failure kinds the caller expects and handles (logged at debug, not as a warning). */
  expected?: PluginCallError['kind'][];
}

const DAY_MS = 86_400_000;

const unsupported = (plugin: string, capability: string) =>
  new PluginCallError('permanent', `平台 ${plugin} 的插件不支持 ${capability} / the ${plugin} plugin does not support ${capability}`, {
    unsupported: true,
    byHost: true,
  });

const noAssets: AssetSource = async (ref) => {
  throw new PluginCallError('permanent', `素材不存在 / asset ${ref} is not available to this call`, { byHost: true });
};

/**
 * Runs every plugin call for an account, by the rules the SDK documents: this account's
 * credentials only, opened from the vault for the one call; an HTTP client limited to the
 * manifest's hosts at public addresses (for sandbox accounts: the sandbox origin only); a deadline after which the call is cut
 * off; the plugin's declared rate limits; and the typed-error policy (retry, refresh once,
 * findExisting after ambiguity, stop on content and permanent errors).
 */
export class PluginHost {
  private readonly opts: Required<Omit<PluginHostOptions, 'sandboxOrigins' | 'resolver'>>;
  private readonly sandboxOrigins = new Set<string>();
  private resolver: EgressResolver | undefined;

  constructor(private readonly deps: PluginHostDeps) {
    const { sandboxOrigins, resolver, ...rest } = deps.options ?? {};
    this.opts = {
      callTimeoutMs: 60_000,
      httpTimeoutMs: 15_000,
      maxAttempts: 5,
      maxInlineWaitMs: 5_000,
      baseBackoffMs: 500,
      limitSandbox: true,
      ...rest,
    };
    for (const o of sandboxOrigins ?? []) this.allowSandboxOrigin(o);
    this.resolver = resolver;
  }

  /**
   * Lets sandbox accounts reach the simulators at `url`'s origin (scheme, host and port exactly):
   * called by whoever starts a sandbox in this process. Never a general loopback allowance.
   */
  allowSandboxOrigin(url: string): void {
    this.sandboxOrigins.add(new URL(url).origin);
  }

  /** The simulator origins sandbox accounts may reach from this process. */
  get allowedSandboxOrigins(): string[] {
    return [...this.sandboxOrigins];
  }

  /** Replaces name resolution for plugin calls (a deployment's own resolver; tests). */
  useResolver(resolver: EgressResolver | undefined): void {
    this.resolver = resolver;
  }

  get registry(): PluginRegistry {
    return this.deps.registry;
  }

  plugin(platform: string): LoadedPlugin {
    const p = this.deps.registry.get(platform);
    if (!p) throw new PluginCallError('permanent', `平台插件未加载 / no plugin loaded for platform ${platform}`, { byHost: true });
    return p;
  }

  /** Pure: the plugin's rendition of a manuscript version for a platform. No I/O, no credentials. */
  render(platform: string, input: ManuscriptInput, ctx: Partial<RenderContext> = {}): Rendition<unknown> {
    const p = this.plugin(platform);
    return p.plugin.render(input, {
      account: ctx.account ?? { name: '' },
      settings: { ...settingDefaults(p), ...ctx.settings },
      capability: ctx.capability,
    });
  }

  /**
   * Fits every asset a rendition asks for (sharp), e.g. ahead of a preview or a publish. The fits are
   * asked at once, so renditions prepared together (one manuscript for several platforms) share each
   * source's decode; the fitter bounds how many run.
   */
  async prepareAssets(rendition: Rendition<unknown>, source: AssetSource): Promise<Map<string, FittedImage>> {
    const fitted = await Promise.all(rendition.assets.map((a) => this.fitCached(a.ref, a.spec, source)));
    return new Map(rendition.assets.map((a, i) => [a.key, fitted[i]!]));
  }

  /**
   * Fitting is deterministic in (asset, spec): a matrix-wide publication fits the same cover for
   * thousands of accounts, so results are kept (bounded by bytes, oldest dropped first) and a fit
   * already running is shared instead of repeated.
   */
  private readonly fits = new Map<string, { promise: Promise<FittedImage>; bytes: number }>();
  private fitBytes = 0;
  private static readonly FIT_CACHE_BYTES = 256 * 1024 * 1024;
  /**
   * Fits asked in the same turn of the event loop, by asset: they go to the fitter together, so the
   * source is read once and (with a fitter that can) decoded once for all of them.
   */
  private readonly fitBatches = new Map<
    string,
    { source: AssetSource; asks: Array<{ spec: ImageFitSpec; resolve: (f: FittedImage) => void; reject: (e: unknown) => void }> }
  >();

  private fitCached(ref: string, spec: ImageFitSpec, source: AssetSource): Promise<FittedImage> {
    const key = `${ref}\u0000${JSON.stringify(spec)}`;
    const hit = this.fits.get(key);
    if (hit) return hit.promise;
    const entry = { promise: Promise.resolve(null as unknown as FittedImage), bytes: 0 };
    entry.promise = this.fitBatched(ref, spec, source).then((fitted) => {
      entry.bytes = fitted.bytes.length;
      this.fitBytes += entry.bytes;
      for (const [k, e] of this.fits) {
        if (this.fitBytes <= PluginHost.FIT_CACHE_BYTES) break;
        if (k === key) continue;
        this.fits.delete(k);
        this.fitBytes -= e.bytes;
      }
      return fitted;
    });
    // A failed fit is not remembered: the next call tries again.
    entry.promise.catch(() => {
      if (this.fits.get(key) === entry) this.fits.delete(key);
    });
    this.fits.set(key, entry);
    return entry.promise;
  }

  private fitBatched(ref: string, spec: ImageFitSpec, source: AssetSource): Promise<FittedImage> {
    return new Promise<FittedImage>((resolve, reject) => {
      const open = this.fitBatches.get(ref);
      if (open) {
        open.asks.push({ spec, resolve, reject });
        return;
      }
      const batch = { source, asks: [{ spec, resolve, reject }] };
      this.fitBatches.set(ref, batch);
      setImmediate(() => {
        this.fitBatches.delete(ref);
        void this.runFitBatch(ref, batch);
      });
    });
  }

  private async runFitBatch(
    ref: string,
    batch: { source: AssetSource; asks: Array<{ spec: ImageFitSpec; resolve: (f: FittedImage) => void; reject: (e: unknown) => void }> },
  ): Promise<void> {
    try {
      const src = await batch.source(ref);
      const fitter = this.deps.fitter;
      const requests = batch.asks.map((a) => ({ spec: a.spec, focus: a.spec.focus ?? src.focus }));
      const results = fitter.fitMany
        ? await fitter.fitMany(src.bytes, requests)
        : await Promise.allSettled(requests.map((r) => fitter.fit(src.bytes, r.spec, r.focus)));
      batch.asks.forEach((a, i) => {
        const r = results[i];
        if (r?.status === 'fulfilled') a.resolve(r.value);
        else a.reject(r ? r.reason : new Error(`图片处理未返回结果 / no fit result for ${ref}`));
      });
    } catch (e) {
      for (const a of batch.asks) a.reject(e);
    }
  }

  async account(accountId: string): Promise<HostAccount> {
    const a = await this.deps.ds.getRepository(Account).findOne({ where: { id: accountId } });
    if (!a) throw new PluginCallError('permanent', `账号不存在 / account ${accountId} not found`, { byHost: true });
    return a;
  }

  /**
   * Publishes one target. Retries inside this run while the waits are short; hands longer ones back
   * as `retry_wait` so the pipeline re-queues the target instead of holding a worker.
   */
  async publish(
    target: PublishTarget,
    rendition: Rendition<unknown>,
    checkpoints: CheckpointStore,
    opts: {
      assets?: AssetSource;
      videos?: VideoSource;
      deadlineMs?: number;
      maxAttempts?: number;
      /** The target's account row when the caller has just read it (saves a read per publish). */
      account?: HostAccount;
      /**
       * The account's credentials when the caller has just opened them with others
       * (`openCredentials`): used for the first try only; a retry, or a try after a refresh, reads
       * the vault again.
       */
      credentials?: OpenedCredentials;
    } = {},
  ): Promise<PublishOutcome> {
    const account = opts.account?.id === target.accountId ? opts.account : await this.account(target.accountId);
    const p = this.plugin(account.platform);
    const max = opts.maxAttempts ?? this.opts.maxAttempts;
    let attempts = target.attemptsSoFar ?? 0;
    let refreshed = false;
    let last: PluginCallError | undefined;
    for (let i = 0; i < max; i++) {
      attempts++;
      try {
        const creds = await this.openFor(account, i === 0 ? opts.credentials : undefined);
        const result = await this.invoke(p, account, creds.credentials, 'publish', (ctx) => p.plugin.publish(ctx, rendition), {
          deadlineMs: opts.deadlineMs,
          idempotencyKey: target.idempotencyKey,
          attempt: attempts,
          lastCheckpoint: await checkpoints.load(),
          checkpoint: (s) => checkpoints.save(s),
          assets: opts.assets,
          videos: opts.videos,
        });
        return { state: result.status === 'processing' ? 'processing' : 'published', result, attempts };
      } catch (e) {
        const err = (last = PluginCallError.from(e, []));
        switch (err.kind) {
          case 'rate_limited':
          case 'transient': {
            const wait = err.kind === 'rate_limited' ? (err.retryAfterMs ?? 1000) : this.backoff(attempts);
            if (wait > this.opts.maxInlineWaitMs || i === max - 1) {
              return { state: 'retry_wait', error: err, retryAt: new Date(this.deps.now() + wait), attempts };
            }
            await sleep(wait);
            continue;
          }
          case 'auth_expired': {
            if (refreshed || err.extra.notConnected) return this.needsReauth(account, err, attempts);
            refreshed = true;
            try {
              await this.refresh(account.id);
            } catch (re) {
              const rerr = PluginCallError.from(re, []);
              if (rerr.kind === 'auth_expired' || rerr.kind === 'permanent') return this.needsReauth(account, rerr, attempts);
              last = rerr;
            }
            continue;
          }
          case 'content_invalid':
          case 'rejected_by_review':
          case 'permanent':
            return { state: 'failed', error: err, attempts };
          default: {
            // Ambiguous: the post may exist. Never repeat blindly; ask the platform first.
            let found: PublishResult | null;
            try {
              const creds = await this.openFor(account);
              found = await this.invoke(
                p,
                account,
                creds.credentials,
                'findExisting',
                (ctx) => p.plugin.findExisting(ctx, target.idempotencyKey),
                {
                  deadlineMs: opts.deadlineMs,
                  idempotencyKey: target.idempotencyKey,
                  attempt: attempts,
                  // Some platforms keep no marker; the plugin finds the post through what it checkpointed.
                  lastCheckpoint: await checkpoints.load(),
                },
              );
            } catch (fe) {
              const ferr = PluginCallError.from(fe, []);
              // The platform did not answer the question this time; that is not "cannot tell". Ask
              // again later rather than hand a person a target the platform could still settle.
              if (ferr.kind === 'transient' || ferr.kind === 'rate_limited' || ferr.kind === 'ambiguous') {
                const wait = Math.min(30_000, Math.max(ferr.retryAfterMs ?? 0, this.backoff(attempts)));
                return { state: 'retry_wait', error: ferr, retryAt: new Date(this.deps.now() + wait), attempts, mustCheckExisting: true };
              }
              return { state: 'unconfirmed', error: ferr, attempts };
            }
            if (found) return { state: found.status === 'processing' ? 'processing' : 'published', result: found, attempts };
            // Positively absent: retry with the same key and checkpoints, here while tries are left,
            // then later like any call the platform did not answer (not a failure of the post).
            if (i === max - 1)
              return { state: 'retry_wait', error: err, retryAt: new Date(this.deps.now() + this.backoff(attempts)), attempts };
            continue;
          }
        }
      }
    }
    return { state: 'failed', error: last, attempts };
  }

  /**
   * Asks the platform whether a post exists under the target's key (after an attempt that ended
   * without an answer), with the target's last checkpoint in the context. Null: positively absent.
   * The question only reads, so a call the platform did not answer (5xx, rate limit, timeout) is
   * asked again at once, a few times within the inline wait, before the caller hears of it.
   */
  async findExisting(
    target: PublishTarget,
    checkpoints: CheckpointStore,
    opts: { deadlineMs?: number } = {},
  ): Promise<PublishResult | null> {
    const account = await this.account(target.accountId);
    const p = this.plugin(account.platform);
    const run = async () => {
      const creds = await this.openFor(account);
      return this.invoke(p, account, creds.credentials, 'findExisting', (ctx) => p.plugin.findExisting(ctx, target.idempotencyKey), {
        deadlineMs: opts.deadlineMs,
        idempotencyKey: target.idempotencyKey,
        attempt: (target.attemptsSoFar ?? 0) + 1,
        lastCheckpoint: await checkpoints.load(),
      });
    };
    return this.retrying(account, run, { repeatUnanswered: true });
  }

  /**
   * Where a published post stands on the platform. `known`: the account row and credentials when
   * the caller has just read them with others' (a batch of polls); the first try uses them.
   */
  publishStatus(
    accountId: string,
    remoteId: string,
    known: { account?: HostAccount; credentials?: OpenedCredentials } = {},
  ): Promise<PublishStatus> {
    return this.call(accountId, 'publishStatus', (ctx, p) => p.plugin.publishStatus(ctx, remoteId), {}, known);
  }

  getProfile(accountId: string): Promise<Profile> {
    return this.call(accountId, 'getProfile', (ctx, p) => p.plugin.getProfile(ctx));
  }

  /**
   * Any other call on a connected account (retract, metrics, comments, profile): rate-limited, cut
   * off at the deadline, and on AuthExpired refreshed once and repeated.
   */
  async call<T>(
    accountId: string,
    method: string,
    fn: (ctx: PluginContext, p: LoadedPlugin) => Promise<T>,
    // assets and idempotencyKey: an edit renders images and may carry the key like a publish.
    opts: Pick<CallOptions, 'deadlineMs' | 'assets' | 'idempotencyKey'> = {},
    /** The account row and opened credentials when the caller has just read them with others' (first try only). */
    known: { account?: HostAccount; credentials?: OpenedCredentials } = {},
  ): Promise<T> {
    const account = known.account?.id === accountId ? known.account : await this.account(accountId);
    const p = this.plugin(account.platform);
    let prefetched = known.account?.id === accountId ? known.credentials : undefined;
    const run = async () => {
      const creds = await this.openFor(account, prefetched);
      prefetched = undefined;
      return this.invoke(p, account, creds.credentials, method, (ctx) => fn(ctx, p), opts);
    };
    // Writes go through here too (retract, edit): only an expired token is a reason to repeat.
    return this.retrying(account, run, { repeatUnanswered: false });
  }

  /**
   * One page of a post's comments (`comments` capability), newest first: one platform call, taken from
   * a daily bucket sized to the declared comment quota (when declared) besides the plugin's buckets.
   */
  async fetchComments(accountId: string, remoteId: string, params: FetchCommentsParams = {}): Promise<CommentPage> {
    const account = await this.account(accountId);
    const p = this.plugin(account.platform);
    if (!p.manifest.capabilities.includes('comments') || !p.plugin.fetchComments) throw unsupported(p.manifest.id, 'comments');
    const quota = p.manifest.interaction?.comments;
    const buckets = quota
      ? [{ key: `${p.manifest.id}:comments:acct:${account.id}`, tokens: quota.dailyCallsPerAccount, intervalMs: DAY_MS }]
      : [];
    const limit = quota ? Math.min(params.limit ?? quota.maxPageSize, quota.maxPageSize) : params.limit;
    return this.callWithReauth(account, p, 'fetchComments', (ctx) => p.plugin.fetchComments!(ctx, remoteId, { ...params, limit }), {
      buckets,
    });
  }

  /**
   * One page of the comments on all the account's posts (`interaction.comments.accountComments`), newest
   * first: one platform call from the same daily comment bucket as fetchComments. Items that name no post
   * are dropped (the inbox files each comment under its post).
   */
  async fetchAccountComments(accountId: string, params: FetchAccountCommentsParams = {}): Promise<AccountCommentPage> {
    const account = await this.account(accountId);
    const p = this.plugin(account.platform);
    const quota = p.manifest.interaction?.comments;
    if (!p.manifest.capabilities.includes('comments') || !quota?.accountComments || !p.plugin.fetchAccountComments)
      throw unsupported(p.manifest.id, 'comments');
    const buckets = [{ key: `${p.manifest.id}:comments:acct:${account.id}`, tokens: quota.dailyCallsPerAccount, intervalMs: DAY_MS }];
    const limit = Math.min(params.limit ?? quota.maxPageSize, quota.maxPageSize);
    const page = await this.callWithReauth(
      account,
      p,
      'fetchAccountComments',
      (ctx) => p.plugin.fetchAccountComments!(ctx, { ...params, limit }),
      { buckets },
    );
    return { ...page, items: (page.items ?? []).filter((c) => typeof c.postRemoteId === 'string' && c.postRemoteId.length > 0) };
  }

  /** Replies under a comment, carrying the reply's idempotency key. */
  async replyComment(
    accountId: string,
    remoteId: string,
    commentId: string,
    text: string,
    idempotencyKey: string,
  ): Promise<{ id: string }> {
    const account = await this.account(accountId);
    const p = this.plugin(account.platform);
    if (!p.manifest.capabilities.includes('comments') || !p.plugin.reply) throw unsupported(p.manifest.id, 'comments');
    return this.callWithReauth(account, p, 'reply', (ctx) => p.plugin.reply!(ctx, remoteId, commentId, text, { idempotencyKey }), {
      idempotencyKey,
    });
  }

  /** After an ambiguous reply: the reply if the platform shows it, null if it surely does not. */
  async findReply(accountId: string, remoteId: string, commentId: string, idempotencyKey: string): Promise<{ id: string } | null> {
    const account = await this.account(accountId);
    const p = this.plugin(account.platform);
    if (!p.plugin.findReply) {
      throw new PluginCallError('ambiguous', `${p.manifest.id} 插件无法查证回复是否已发出 / the plugin cannot look up a reply`, {
        byHost: true,
      });
    }
    return this.callWithReauth(account, p, 'findReply', (ctx) => p.plugin.findReply!(ctx, remoteId, commentId, idempotencyKey), {
      idempotencyKey,
    });
  }

  /**
   * Hides or deletes a comment (`interaction.comments.canHide` / `canDelete`). The SDK makes both
   * idempotent (a comment already gone succeeds), so the caller may repeat one after an ambiguous answer.
   */
  async moderateComment(accountId: string, remoteId: string, commentId: string, action: 'hide' | 'delete'): Promise<void> {
    const account = await this.account(accountId);
    const p = this.plugin(account.platform);
    const rules = p.manifest.interaction?.comments;
    const fn = action === 'hide' ? p.plugin.hideComment : p.plugin.deleteComment;
    if (!p.manifest.capabilities.includes('comments') || !(action === 'hide' ? rules?.canHide : rules?.canDelete) || !fn) {
      throw unsupported(p.manifest.id, 'comments');
    }
    await this.callWithReauth(
      account,
      p,
      action === 'hide' ? 'hideComment' : 'deleteComment',
      (ctx) => fn.call(p.plugin, ctx, remoteId, commentId),
      {},
    );
  }

  /** A private message to a citizen who wrote to the account (`messages` capability). */
  async sendMessage(accountId: string, params: { conversationId: string; text: string; idempotencyKey: string }): Promise<{ id: string }> {
    const account = await this.account(accountId);
    const p = this.plugin(account.platform);
    if (!p.manifest.capabilities.includes('messages') || !p.plugin.sendMessage) throw unsupported(p.manifest.id, 'messages');
    return this.callWithReauth(account, p, 'sendMessage', (ctx) => p.plugin.sendMessage!(ctx, params), {
      idempotencyKey: params.idempotencyKey,
    });
  }

  /** After an ambiguous send: the message if the platform shows it, null if it surely does not. */
  async findMessage(accountId: string, params: { conversationId: string; idempotencyKey: string }): Promise<{ id: string } | null> {
    const account = await this.account(accountId);
    const p = this.plugin(account.platform);
    if (!p.plugin.findMessage) {
      throw new PluginCallError('ambiguous', `${p.manifest.id} 插件无法查证私信是否已发出 / the plugin cannot look up a sent message`, {
        byHost: true,
      });
    }
    return this.callWithReauth(account, p, 'findMessage', (ctx) => p.plugin.findMessage!(ctx, params), {
      idempotencyKey: params.idempotencyKey,
    });
  }

  /**
   * Verifies and parses one push of a platform's webhook with the hub's app-level credentials, within
   * `deadlineMs` (the platform waits a few seconds: WeChat 5). A plugin that throws or overruns is a
   * rejection, never an exception: whoever sent the request learns nothing from it.
   */
  async handleWebhook(platform: string, req: WebhookRequest, opts: { deadlineMs?: number } = {}): Promise<WebhookVerdict> {
    const p = this.deps.registry.get(platform);
    const refused = (reason: string, status = 404): WebhookVerdict => ({
      kind: 'rejected',
      reason,
      response: { status, contentType: 'text/plain; charset=utf-8', body: status === 404 ? 'not found' : 'bad request' },
    });
    if (!p || !p.manifest.capabilities.includes('messages') || !p.plugin.handleWebhook) return refused(`no webhook for ${platform}`);
    const app = await this.deps.credentials.webhookAppCredentials(platform);
    const verdict = await this.verifyPush(p, app.credentials, req, refused, opts);
    if (verdict.kind !== 'rejected' || app.fresh) return verdict;
    // Refused with a copy read earlier: the secret may have changed since (saved by another process).
    const again = await this.deps.credentials.webhookAppCredentials(platform, { reload: true });
    return again.fresh ? this.verifyPush(p, again.credentials, req, refused, opts) : verdict;
  }

  private async verifyPush(
    p: LoadedPlugin,
    app: Record<string, string>,
    req: WebhookRequest,
    refused: (reason: string, status?: number) => WebhookVerdict,
    opts: { deadlineMs?: number },
  ): Promise<WebhookVerdict> {
    const secrets = secretValues(app, p.manifest.credentials);
    const ctx: WebhookContext = {
      credentials: Object.freeze({ ...app }),
      settings: Object.freeze({ ...settingDefaults(p) }),
      log: createRedactingLogger(
        (level, message, fields) => this.deps.log(level, message, { plugin: p.manifest.id, method: 'handleWebhook', ...fields }),
        secrets,
        p.manifest.sensitiveParams,
      ),
      clock: { now: () => this.deps.now() },
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        Promise.resolve(p.plugin.handleWebhook!(ctx, req)),
        new Promise<WebhookVerdict>((resolve) => {
          timer = setTimeout(() => resolve(refused('the plugin did not answer in time', 503)), opts.deadlineMs ?? 3_000);
        }),
      ]);
    } catch (e) {
      this.deps.log('warn', 'handleWebhook threw', { plugin: p.manifest.id, error: redactSecrets(String(e), secrets).slice(0, 300) });
      return refused('the plugin could not read the request', 400);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * One page of an account's own posts (`listPosts` capability), made through Tongfa or natively, with
   * the account's credentials: rate-limited by the plugin's buckets and by a daily bucket sized to the
   * platform's declared list quota, cut off at the deadline, refreshed once on AuthExpired; credentials
   * the platform refuses for good mark the account needs_reauth. Posts a plugin returns malformed are
   * dropped. Throws PluginCallError (`extra.unsupported` when the platform cannot list).
   */
  async listPosts(accountId: string, params: ListPostsParams = {}, opts: { deadlineMs?: number } = {}): Promise<PostPage> {
    const { account, p, bucket } = await this.listing(accountId);
    const clean = listParams(params, p.manifest.postListing!.maxPageSize);
    const raw = await this.callWithReauth(account, p, 'listPosts', (ctx) => p.plugin.listPosts!(ctx, clean), {
      deadlineMs: opts.deadlineMs,
      buckets: [bucket],
    });
    const out = cleanPage(raw);
    if (!out)
      throw new PluginCallError(
        'permanent',
        `插件 ${p.manifest.id} 的 listPosts 返回了无效结果 / plugin ${p.manifest.id}: listPosts returned no page`,
        { byHost: true },
      );
    if (out.dropped) this.deps.log('warn', 'listPosts dropped malformed posts', { plugin: p.manifest.id, accountId, dropped: out.dropped });
    return out.page;
  }

  /**
   * Verifies a URL a unit submitted as evidence: the post of THIS account it points to, or null (another
   * account's post, a deleted one, junk). Junk longer than any address is refused before the plugin is
   * asked; a content_invalid PluginCallError carries what the person should submit instead.
   */
  async getPostByUrl(accountId: string, url: string, opts: { deadlineMs?: number } = {}): Promise<ListedPost | null> {
    const { account, p, bucket } = await this.listing(accountId);
    const input = typeof url === 'string' ? url.trim() : '';
    if (!input || input.length > MAX_POST_URL_LENGTH) return null;
    const raw = await this.callWithReauth(account, p, 'getPostByUrl', (ctx) => p.plugin.getPostByUrl!(ctx, input), {
      deadlineMs: opts.deadlineMs,
      buckets: [bucket],
    });
    if (raw === null || raw === undefined) return null;
    const post = cleanPost(raw);
    if (!post) this.deps.log('warn', 'getPostByUrl returned a malformed post', { plugin: p.manifest.id, accountId });
    return post ?? null;
  }

  /** The account, its plugin, and the daily bucket of its list quota; refuses a platform that cannot list. */
  private async listing(accountId: string): Promise<{ account: HostAccount; p: LoadedPlugin; bucket: Bucket }> {
    const account = await this.account(accountId);
    const p = this.plugin(account.platform);
    const listing = p.manifest.postListing;
    if (!p.manifest.capabilities.includes('listPosts') || !listing || !p.plugin.listPosts || !p.plugin.getPostByUrl) {
      throw new PluginCallError(
        'permanent',
        `平台 ${p.manifest.id} 的插件不能读取账号的帖子列表 / the ${p.manifest.id} plugin cannot list an account's posts`,
        { unsupported: true, byHost: true },
      );
    }
    // A continuous refill of the declared daily quota: a runaway poller stops here instead of spending
    // the account's quota at the platform, which other systems holding the account also draw on.
    const bucket = { key: `${p.manifest.id}:list:acct:${account.id}`, tokens: listing.dailyCallsPerAccount, intervalMs: DAY_MS };
    return { account, p, bucket };
  }

  /** A call on a connected account that refreshes once on AuthExpired and hands dead credentials to a person. */
  private async callWithReauth<T>(
    account: HostAccount,
    p: LoadedPlugin,
    method: string,
    fn: (ctx: PluginContext) => Promise<T>,
    opts: Pick<CallOptions, 'deadlineMs' | 'buckets' | 'idempotencyKey'>,
  ): Promise<T> {
    const run = async () => {
      const creds = await this.openFor(account);
      return this.invoke(p, account, creds.credentials, method, fn, opts);
    };
    try {
      return await run();
    } catch (e) {
      const err = PluginCallError.from(e, []);
      if (err.kind !== 'auth_expired' || err.extra.notConnected) throw err;
    }
    try {
      await this.refresh(account.id, { deadlineMs: opts.deadlineMs });
    } catch (re) {
      const rerr = PluginCallError.from(re, []);
      if (rerr.kind === 'auth_expired' || rerr.kind === 'permanent') await this.deps.onNeedsReauth?.(account.id, rerr.message);
      throw rerr;
    }
    try {
      return await run();
    } catch (e) {
      const err = PluginCallError.from(e, []);
      // Refused again with a token fresh from the platform: only a person can fix it.
      if (err.kind === 'auth_expired' && !err.extra.notConnected) await this.deps.onNeedsReauth?.(account.id, err.message);
      throw err;
    }
  }

  /**
   * Renews an account's credentials through the plugin and stores them sealed. When another
   * process refreshed meanwhile (the row's version moved), its result stands and ours is dropped.
   */
  async refresh(accountId: string, opts: { deadlineMs?: number } = {}): Promise<{ expiresAt: Date | null }> {
    const account = await this.account(accountId);
    const p = this.plugin(account.platform);
    const opened = await this.openFor(account);
    const update = await this.invoke(p, account, opened.credentials, 'refreshCredentials', (ctx) => p.plugin.refreshCredentials(ctx), opts);
    const expiresAt = update.expiresAt ? new Date(update.expiresAt) : null;
    const merged = { ...opened.credentials, ...stringValues(update.credentials) };
    await this.deps.credentials.save(account.id, merged, expiresAt, new Date(this.deps.now()), { expectVersion: opened.version });
    return { expiresAt };
  }

  /**
   * Checks candidate credentials against the platform before anything is stored: the profile call,
   * and when the plugin first needs a token (AuthExpired), one refresh to obtain it.
   */
  async verify(
    account: HostAccount,
    candidate: Record<string, string>,
    opts: { deadlineMs?: number } = {},
  ): Promise<{ credentials: Record<string, string>; expiresAt: Date | null; profile: Profile }> {
    const p = this.plugin(account.platform);
    const app = await this.deps.credentials.appCredentials(account.platform);
    let creds = { ...candidate };
    let expiresAt: Date | null = null;
    const profile = async (o: CallOptions) =>
      this.invoke(p, account, { ...app, ...creds }, 'getProfile', (ctx) => p.plugin.getProfile(ctx), o);
    try {
      // Candidates without a token yet (app-secret platforms) answer auth_expired here by design.
      return { credentials: creds, expiresAt, profile: await profile({ ...opts, expected: ['auth_expired'] }) };
    } catch (e) {
      const err = PluginCallError.from(e, []);
      if (err.kind !== 'auth_expired') throw err;
    }
    const update = await this.invoke(
      p,
      account,
      { ...app, ...creds },
      'refreshCredentials',
      (ctx) => p.plugin.refreshCredentials(ctx),
      opts,
    );
    creds = { ...creds, ...stringValues(update.credentials) };
    expiresAt = update.expiresAt ? new Date(update.expiresAt) : null;
    return { credentials: creds, expiresAt, profile: await profile(opts) };
  }

  /** oauth2: the platform page to send the person to. */
  async authorizeUrl(account: HostAccount, state: string, redirectUri: string): Promise<string> {
    const p = this.plugin(account.platform);
    if (!p.plugin.authorizeUrl) throw new PluginCallError('permanent', `${account.platform} 不使用 OAuth / does not use OAuth`);
    const app = await this.deps.credentials.appCredentials(account.platform);
    return this.invoke(p, account, app, 'authorizeUrl', async (ctx) => p.plugin.authorizeUrl!(ctx, { state, redirectUri }), {});
  }

  /** oauth2: trades the callback's code for credentials (not stored here). */
  async exchangeCode(account: HostAccount, code: string, redirectUri: string): Promise<CredentialUpdate> {
    const p = this.plugin(account.platform);
    if (!p.plugin.exchangeCode) throw new PluginCallError('permanent', `${account.platform} 不使用 OAuth / does not use OAuth`);
    const app = await this.deps.credentials.appCredentials(account.platform);
    return this.invoke(p, account, app, 'exchangeCode', (ctx) => p.plugin.exchangeCode!(ctx, { code, redirectUri }), {});
  }

  /**
   * Opens the credentials of several accounts in one read (a worker's round of publishes); pass
   * each to `publish` as `credentials`. Plaintext, like `openFor`'s: held for that round's calls only.
   */
  openCredentials(accountIds: string[]): Promise<Map<string, OpenedCredentials>> {
    return this.deps.credentials.openMany(accountIds);
  }

  private async openFor(account: HostAccount, prefetched?: OpenedCredentials): Promise<OpenedCredentials> {
    // Two independent reads: side by side, one round trip of waiting instead of two.
    const [opened, app] = await Promise.all([
      prefetched ?? this.deps.credentials.open(account.id),
      this.deps.credentials.appCredentials(account.platform),
    ]);
    if (!opened) {
      throw new PluginCallError('auth_expired', `账号尚未连接平台 / account ${account.id} is not connected`, { notConnected: true });
    }
    return { ...opened, credentials: { ...app, ...opened.credentials } };
  }

  private async needsReauth(account: HostAccount, err: PluginCallError, attempts: number): Promise<PublishOutcome> {
    await this.deps.onNeedsReauth?.(account.id, err.message);
    return { state: 'needs_reauth', error: err, attempts };
  }

  /**
   * Runs a call: on AuthExpired the account is refreshed once and the call repeated. With
   * `repeatUnanswered` (reads only), a call the platform did not answer (5xx, rate limit, timeout) is
   * repeated within the inline wait, at most `maxAttempts` times.
   */
  private async retrying<T>(account: HostAccount, run: () => Promise<T>, opts: { repeatUnanswered: boolean }): Promise<T> {
    let refreshed = false;
    for (let i = 1; ; i++) {
      try {
        return await run();
      } catch (e) {
        const err = PluginCallError.from(e, []);
        if (err.kind === 'auth_expired' && !err.extra.notConnected && !refreshed) {
          refreshed = true;
          await this.refresh(account.id);
          continue;
        }
        const unanswered = err.kind === 'transient' || err.kind === 'rate_limited' || err.kind === 'ambiguous';
        const wait = err.kind === 'rate_limited' ? (err.retryAfterMs ?? 1000) : this.backoff(i);
        if (!opts.repeatUnanswered || !unanswered || i >= this.opts.maxAttempts || wait > this.opts.maxInlineWaitMs) throw err;
        await sleep(wait);
      }
    }
  }

  /** Exponential backoff with full jitter: uniform in [base·2^(n-1) / 2, base·2^(n-1)]. */
  private backoff(attempt: number): number {
    const cap = this.opts.baseBackoffMs * 2 ** Math.max(0, attempt - 1);
    return Math.round(cap / 2 + Math.random() * (cap / 2));
  }

  /** Takes a token from the plugin's per-app and per-account buckets (and any extra ones), waiting briefly if needed. */
  private async throttle(p: LoadedPlugin, account: HostAccount, extra: readonly Bucket[] = []): Promise<void> {
    if (account.sandbox === true && !this.opts.limitSandbox) return;
    const { perApp, perAccount } = p.manifest.rateLimits;
    const buckets = [{ key: `${p.manifest.id}:app`, ...perApp }, { key: `${p.manifest.id}:acct:${account.id}`, ...perAccount }, ...extra];
    for (;;) {
      const wait = await this.deps.limiter.take(buckets, this.deps.now());
      if (wait === 0) return;
      if (wait > this.opts.maxInlineWaitMs) {
        throw new PluginCallError(
          'rate_limited',
          `已达到 ${p.manifest.id} 声明的调用频率上限 / the rate limit ${p.manifest.id} declares is exhausted`,
          { retryAfterMs: wait, byHost: true },
        );
      }
      await sleep(wait);
    }
  }

  /** One plugin call: context, rate limit, deadline, and errors normalised with secrets removed. */
  private async invoke<T>(
    p: LoadedPlugin,
    account: HostAccount,
    credentials: Record<string, string>,
    method: string,
    fn: (ctx: PluginContext) => T | Promise<T>,
    o: CallOptions,
  ): Promise<T> {
    const secrets = secretValues(credentials, p.manifest.credentials);
    await this.throttle(p, account, o.buckets);
    const deadline = o.deadlineMs ?? this.opts.callTimeoutMs;
    const controller = new AbortController();
    // Every request of the call ties its own timeout to this signal (AbortSignal.any), and a call may
    // make dozens (a timeline scan, a chunked upload): past Node's default of 10 it warned of a leak.
    setMaxListeners(200, controller.signal);
    const log = createRedactingLogger(
      (level, message, fields) => this.deps.log(level, message, { plugin: p.manifest.id, accountId: account.id, method, ...fields }),
      secrets,
      p.manifest.sensitiveParams,
    );
    const assets = o.assets ?? noAssets;
    // A sandbox account talks to the simulators and nowhere else; a real one to its plugin's hosts,
    // at public addresses only. A refusal is remembered, whatever the plugin makes of it.
    let egressRefused = false;
    const client = createHttpClient({
      allowedHosts: account.sandbox === true ? [] : p.manifest.allowedHosts,
      allowedOrigins: account.sandbox === true ? [...this.sandboxOrigins] : [],
      resolver: this.resolver,
      timeoutMs: Math.min(this.opts.httpTimeoutMs, deadline),
      redact: secrets,
      sensitiveParams: p.manifest.sensitiveParams,
      signal: controller.signal,
      headers: { 'user-agent': `Tongfa-PluginHost/0.1 (${p.manifest.id}/${p.manifest.version})` },
    });
    const http: HttpClient = {
      request: (r) =>
        client.request(r).catch((e: unknown) => {
          if (isEgressRefusal(e)) egressRefused = true;
          throw e;
        }),
    };
    const ctx: PluginContext & AuthContext = {
      credentials: Object.freeze({ ...credentials }),
      endpoints: Object.freeze({ ...p.manifest.endpoints, ...(account.endpoints ?? {}) }),
      settings: Object.freeze({ ...settingDefaults(p), ...(account.settings ?? {}) }),
      http,
      checkpoint: o.checkpoint ?? (async () => undefined),
      lastCheckpoint: o.lastCheckpoint,
      idempotencyKey: o.idempotencyKey ?? '',
      attempt: o.attempt ?? 1,
      log,
      clock: { now: () => this.deps.now() },
      images: {
        fit: (ref, spec) => this.fitCached(ref, spec, assets),
      },
      ...(o.videos ? { videos: { read: (ref: string, offset: number, length: number) => o.videos!(ref, offset, length) } } : {}),
      signal: controller.signal,
    };
    let timer: NodeJS.Timeout | undefined;
    const cutOff = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // The plugin's promise cannot be killed, only abandoned: aborting the signal stops its HTTP
        // requests, and whatever it does later no longer reaches anyone.
        controller.abort(new Error('deadline'));
        reject(
          new PluginCallError(
            'ambiguous',
            `插件 ${p.manifest.id} 的 ${method} 调用超过 ${deadline} ms 未完成，已中止 / plugin ${p.manifest.id}: ${method} did not finish within ${deadline} ms and was cut off`,
            { timedOut: true },
          ),
        );
      }, deadline);
    });
    const running = Promise.resolve().then(() => fn(ctx));
    running.catch(() => undefined);
    try {
      return await Promise.race([running, cutOff]);
    } catch (e) {
      let err = PluginCallError.from(e, secrets);
      if (egressRefused || isEgressRefusal(e)) {
        // Retrying cannot make a forbidden address allowed, whatever kind the plugin reported.
        err = new PluginCallError('permanent', err.message, { ...err.extra, egressRefused: true });
      }
      // A plugin's message may quote the platform's reply: the log keeps a short excerpt only.
      const level = o.expected?.includes(err.kind) ? 'debug' : 'warn';
      log[level](`${method} failed: ${err.kind}`, { error: err.message.slice(0, 300), platformCode: err.extra.platformCode });
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}

function settingDefaults(p: LoadedPlugin): Record<string, string | number | boolean> {
  return Object.fromEntries((p.manifest.settings ?? []).filter((s) => s.default !== undefined).map((s) => [s.name, s.default!]));
}

function stringValues(o: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));
}
