import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import {
  createHttpClient,
  createRedactingLogger,
  secretValues,
  type Clock,
  type JsonValue,
  type PluginContext,
  VideoReader,
} from '../context';
import { errorKind, type PluginErrorKind } from '../errors';
import type { FittedImage, ImageFitSpec, ImageService } from '../images';
import type { AnyPlugin, PublishResult, Rendition } from '../plugin';

/** Options of the in-process test host. */
export interface TestHostOptions {
  plugin: AnyPlugin;
  /** The account's credentials, e.g. from `POST /_sandbox/<platform>/accounts`. */
  credentials: Record<string, string>;
  /** The endpoint map (e.g. `simulator.endpointsFor(url, names)`); defaults to the manifest's endpoints. */
  endpoints?: Record<string, string>;
  settings?: Record<string, string | number | boolean>;
  /** Default HTTP timeout per request (default 5 s). */
  timeoutMs?: number;
  /** Allow loopback hosts (default true: simulators run on 127.0.0.1). */
  allowLoopback?: boolean;
  images?: ImageService;
  /** What the host hands plugins as `ctx.videos` (ranged reads of the manuscript's video). */
  videos?: VideoReader;
  clock?: Clock;
  /** Attempts before a target fails (default 5). */
  maxAttempts?: number;
  /** Cap on real waits between attempts, so tests stay fast (default 1500 ms). */
  maxBackoffMs?: number;
  /** Polling of `processing` publishes (defaults 100 ms and 10 s). */
  pollIntervalMs?: number;
  pollDeadlineMs?: number;
}

/** What happened during a host run, for assertions. */
export type HostEvent =
  | { type: 'attempt'; attempt: number; idempotencyKey: string }
  | { type: 'error'; attempt: number; kind: PluginErrorKind | 'unknown'; message: string }
  | { type: 'refresh'; ok: boolean }
  | { type: 'find_existing'; found: boolean }
  | { type: 'checkpoint'; idempotencyKey: string; state: JsonValue }
  | { type: 'published'; result: PublishResult };

/** The end state of a publish run, named after the target states of the hub's state machine. */
export interface PublishOutcome {
  state: 'published' | 'processing' | 'failed' | 'needs_reauth' | 'unconfirmed';
  result?: PublishResult;
  error?: unknown;
  attempts: number;
  idempotencyKey: string;
}

const PLACEHOLDER: Record<ImageFitSpec['format'], string> = {
  png: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAADElEQVQImWM4w8AAAAJoAM1w/7HYAAAAAElFTkSuQmCC',
  jpeg: '/9j/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAABAAEDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAf/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABgf/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCTADC6v//Z',
  webp: 'UklGRjwAAABXRUJQVlA4IDAAAADQAQCdASoBAAEAAUAmJaACdLoB+AADsAD+91kv/kFpXLeAP/4yp8ZU+Mqf8XMAAAA=',
};

/**
 * An ImageService for tests that need no sharp: every fit returns a real 1×1 image in the requested
 * format, so a plugin's upload path runs with valid bytes.
 */
export const placeholderImages: ImageService = {
  async fit(_ref: string, spec: ImageFitSpec): Promise<FittedImage> {
    return { bytes: new Uint8Array(Buffer.from(PLACEHOLDER[spec.format], 'base64')), format: spec.format, width: 1, height: 1 };
  },
};

const systemClock: Clock = { now: () => Date.now() };

/**
 * A minimal in-process host that drives a plugin by the same rules as the hub's plugin host:
 * - rate_limited: wait retryAfterMs, retry; transient: back off exponentially, retry;
 * - auth_expired: refreshCredentials once, merge the update, retry; a second auth_expired → needs_reauth;
 * - content_invalid, rejected_by_review, permanent: fail at once;
 * - ambiguous (and any unbranded error): ask findExisting(idempotencyKey); found → published;
 *   positively absent → retry with the same key and checkpoints; cannot tell → unconfirmed;
 * - processing: poll publishStatus until published or a deadline.
 * Every attempt of a target gets the same idempotency key and the last checkpoint.
 */
export class TestHost {
  credentials: Record<string, string>;
  readonly events: HostEvent[] = [];
  readonly logs: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  private readonly checkpoints = new Map<string, JsonValue>();

  constructor(readonly options: TestHostOptions) {
    this.credentials = { ...options.credentials };
  }

  get plugin(): AnyPlugin {
    return this.options.plugin;
  }

  /** The last checkpoint stored for a target's idempotency key. */
  checkpointOf(idempotencyKey: string): JsonValue | undefined {
    return this.checkpoints.get(idempotencyKey);
  }

  /** Builds a call context, as the hub does for each call. */
  context(opts: { idempotencyKey?: string; attempt?: number; timeoutMs?: number; signal?: AbortSignal } = {}): PluginContext {
    const { plugin } = this.options;
    const key = opts.idempotencyKey ?? `tf-${randomUUID()}`;
    const secrets = secretValues(this.credentials, plugin.manifest.credentials);
    const signal = opts.signal ?? new AbortController().signal;
    const defaults = Object.fromEntries(
      (plugin.manifest.settings ?? []).filter((s) => s.default !== undefined).map((s) => [s.name, s.default!]),
    );
    return {
      credentials: Object.freeze({ ...this.credentials }),
      endpoints: Object.freeze({ ...plugin.manifest.endpoints, ...this.options.endpoints }),
      settings: Object.freeze({ ...defaults, ...this.options.settings }),
      http: createHttpClient({
        allowedHosts: plugin.manifest.allowedHosts,
        allowLoopback: this.options.allowLoopback ?? true,
        timeoutMs: opts.timeoutMs ?? this.options.timeoutMs ?? 5000,
        redact: secrets,
        sensitiveParams: plugin.manifest.sensitiveParams,
        signal,
      }),
      checkpoint: async (state: JsonValue) => {
        // A structured clone, so later mutation by the plugin cannot change what was "stored".
        const copy = structuredClone(state);
        this.checkpoints.set(key, copy);
        this.events.push({ type: 'checkpoint', idempotencyKey: key, state: copy });
      },
      lastCheckpoint: this.checkpoints.has(key) ? structuredClone(this.checkpoints.get(key)) : undefined,
      idempotencyKey: key,
      attempt: opts.attempt ?? 1,
      log: createRedactingLogger((level, message, fields) => this.logs.push({ level, message, fields }), secrets),
      clock: this.options.clock ?? systemClock,
      images: this.options.images ?? placeholderImages,
      videos: this.options.videos,
      signal,
    };
  }

  /** Calls refreshCredentials and merges the update into the stored credentials. */
  async refresh(): Promise<void> {
    try {
      const update = await this.plugin.refreshCredentials(this.context());
      this.credentials = { ...this.credentials, ...update.credentials };
      this.events.push({ type: 'refresh', ok: true });
    } catch (e) {
      this.events.push({ type: 'refresh', ok: false });
      throw e;
    }
  }

  /**
   * Runs a non-publish call (retract, metrics, comments, profile) with the host's auth rule:
   * on auth_expired, refresh once and call again.
   */
  async call<T>(fn: (ctx: PluginContext) => Promise<T>): Promise<T> {
    try {
      return await fn(this.context());
    } catch (e) {
      if (errorKind(e) !== 'auth_expired') throw e;
      await this.refresh();
      return fn(this.context());
    }
  }

  /** Publishes one target by the host rules above. */
  async publish(rendition: Rendition<unknown>, opts: { idempotencyKey?: string; timeoutMs?: number } = {}): Promise<PublishOutcome> {
    const key = opts.idempotencyKey ?? `tf-${randomUUID()}`;
    const max = this.options.maxAttempts ?? 5;
    let refreshed = false;
    let lastError: unknown;
    for (let attempt = 1; attempt <= max; attempt++) {
      this.events.push({ type: 'attempt', attempt, idempotencyKey: key });
      const ctx = this.context({ idempotencyKey: key, attempt, timeoutMs: opts.timeoutMs });
      try {
        const result = await this.plugin.publish(ctx, rendition);
        return this.settle(result, attempt, key);
      } catch (e) {
        lastError = e;
        const kind = errorKind(e);
        this.events.push({ type: 'error', attempt, kind: kind ?? 'unknown', message: e instanceof Error ? e.message : String(e) });
        switch (kind) {
          case 'rate_limited':
            await this.backoff((e as { retryAfterMs?: number }).retryAfterMs ?? 1000);
            continue;
          case 'transient':
            await this.backoff(100 * 2 ** (attempt - 1));
            continue;
          case 'auth_expired':
            if (refreshed) return { state: 'needs_reauth', error: e, attempts: attempt, idempotencyKey: key };
            refreshed = true;
            try {
              await this.refresh();
            } catch (re) {
              if (errorKind(re) === 'auth_expired') return { state: 'needs_reauth', error: re, attempts: attempt, idempotencyKey: key };
              lastError = re;
            }
            continue;
          case 'content_invalid':
          case 'rejected_by_review':
          case 'permanent':
            return { state: 'failed', error: e, attempts: attempt, idempotencyKey: key };
          default: {
            // ambiguous, or an unbranded error the plugin let escape: it may have committed.
            let found: PublishResult | null;
            try {
              found = await this.plugin.findExisting(this.context({ idempotencyKey: key, attempt, timeoutMs: opts.timeoutMs }), key);
            } catch (fe) {
              return { state: 'unconfirmed', error: fe, attempts: attempt, idempotencyKey: key };
            }
            this.events.push({ type: 'find_existing', found: found !== null });
            if (found) return this.settle(found, attempt, key);
            continue;
          }
        }
      }
    }
    return { state: 'failed', error: lastError, attempts: max, idempotencyKey: key };
  }

  private async settle(result: PublishResult, attempt: number, key: string): Promise<PublishOutcome> {
    if (result.status === 'published') {
      this.events.push({ type: 'published', result });
      return { state: 'published', result, attempts: attempt, idempotencyKey: key };
    }
    const interval = this.options.pollIntervalMs ?? 100;
    const deadline = Date.now() + (this.options.pollDeadlineMs ?? 10_000);
    while (Date.now() < deadline) {
      const st = await this.call((ctx) => this.plugin.publishStatus(ctx, result.remoteId));
      if (st.status === 'published') {
        const done: PublishResult = { remoteId: result.remoteId, url: st.url ?? result.url, status: 'published' };
        this.events.push({ type: 'published', result: done });
        return { state: 'published', result: done, attempts: attempt, idempotencyKey: key };
      }
      if (st.status !== 'processing')
        return { state: 'failed', result, error: new Error(st.reason ?? st.status), attempts: attempt, idempotencyKey: key };
      await delay(interval);
    }
    return { state: 'processing', result, attempts: attempt, idempotencyKey: key };
  }

  private async backoff(ms: number): Promise<void> {
    await delay(Math.min(Math.max(0, ms), this.options.maxBackoffMs ?? 1500));
  }
}

/** Creates a TestHost. */
export function createTestHost(options: TestHostOptions): TestHost {
  return new TestHost(options);
}

/** Polls `condition` until it returns a truthy value or the deadline passes (then throws). */
export async function pollUntil<T>(condition: () => T | Promise<T>, deadlineMs = 5000, intervalMs = 25): Promise<NonNullable<T>> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = await condition();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`condition not met within ${deadlineMs} ms`);
    await delay(intervalMs);
  }
}
