import { AmbiguousError, TransientError } from './errors';
import { CLASS_ZH, classifyAddress, EgressRefusedError, guardedLookup, systemResolver, type EgressResolver } from './egress';
import type { ImageService } from './images';
import { hostAllowed } from './manifest';
import { nodeTransport, TransportError } from './node-transport';

/** JSON data a plugin may checkpoint. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** An account's credentials: the manifest's credential fields (app and account scope merged) plus what refreshes added. */
export type Credentials = Readonly<Record<string, string>>;

/** One part of a multipart/form-data body. */
export type MultipartPart = { name: string; value: string } | { name: string; filename: string; contentType: string; data: Uint8Array };

/** An outgoing request. Give at most one of `json`, `form`, `multipart`, `body`. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  url: string;
  /**
   * Appended to the URL's query string. An array repeats the parameter once per value
   * (`url_short=a&url_short=b`, since 0.3), the form some platforms use for batch lookups.
   */
  query?: Record<string, string | number | boolean | undefined | readonly (string | number)[]>;
  headers?: Record<string, string>;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string | number | boolean | undefined>;
  /** Sent as multipart/form-data. */
  multipart?: MultipartPart[];
  /** Sent as is. */
  body?: string | Uint8Array;
  /** Overrides the client's default timeout for this call. */
  timeoutMs?: number;
}

/** A response. Non-2xx statuses are returned, not thrown: platforms encode errors in many ways and the plugin maps them. */
export interface HttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The body decoded as UTF-8. */
  body: string;
  /** The raw body. */
  bytes: Uint8Array;
  /** Parses the body as JSON; throws TransientError when it is not JSON (a proxy's error page, a truncated body). */
  json<T = unknown>(): T;
}

/**
 * The HTTP client the host gives a plugin. It enforces the manifest's egress allowlist, applies timeouts,
 * redacts secrets from errors, and throws typed errors for network failures:
 * TransientError when nothing reached the platform (DNS, connection refused) or the method is safe,
 * AmbiguousError when an unsafe request may have been processed (timeout, reset after sending).
 */
export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}

/** A logger whose output the host redacts; pass fields, not preformatted secrets. */
export interface PluginLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** The time source; plugins must not read Date.now() directly so hosts and tests can control time. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/**
 * What the host gives a plugin for one call on one account. Everything a plugin touches outside its own
 * code comes through here, so the host can sandbox, meter and test it.
 */
export interface PluginContext {
  /** This account's credentials only (never another account's). */
  credentials: Credentials;
  /** The manifest's endpoints, possibly overridden by the host (the sandbox points them at simulators). */
  endpoints: Readonly<Record<string, string>>;
  /** Operator settings declared in the manifest's `settings`, with defaults applied. */
  settings: Readonly<Record<string, string | number | boolean>>;
  http: HttpClient;
  /**
   * Stores progress of a multi-step publish durably before the next step. On a retry the host passes the
   * last stored state back in `lastCheckpoint`, so the plugin resumes instead of repeating committed steps.
   */
  checkpoint(state: JsonValue): Promise<void>;
  /** What the previous attempt of this same publication target checkpointed last, if anything. */
  readonly lastCheckpoint: JsonValue | undefined;
  /**
   * Stable for every attempt of one publication target. Send it to the platform where it keeps one
   * (a client message id, a hidden marker) so `findExisting` can recognise the post after an ambiguous failure.
   */
  idempotencyKey: string;
  /** 1 for the first attempt of this target, 2 for the next, … */
  attempt: number;
  log: PluginLogger;
  clock: Clock;
  images: ImageService;
  /**
   * Reads the bytes of the manuscript's video (`VideoDescriptor.ref`) in ranges, for chunked
   * uploads; the host streams them from its media store. Present in publish calls of a host that
   * has videos to offer; absent elsewhere (render, auth, a test host without one).
   */
  videos?: VideoReader;
  /** Aborted when the host gives up on the call (shutdown, deadline); pass it to long waits. */
  signal: AbortSignal;
}

/** Ranged reads of a video the host holds. */
export interface VideoReader {
  /** Reads `length` bytes of video `ref` from `offset`; fewer only at the end of the file. */
  read(ref: string, offset: number, length: number): Promise<Uint8Array>;
}

/** The narrower context for authorizeUrl/exchangeCode: app-level credentials, no account yet. */
export type AuthContext = Pick<PluginContext, 'credentials' | 'endpoints' | 'settings' | 'http' | 'log' | 'clock' | 'signal'>;

/**
 * The context of `handleWebhook` (since 0.3): the app-level credentials of the hub's registration on the
 * platform (the manifest's `scope: 'app'` fields: a callback token, an AES key, a client secret), a clock
 * for timestamp tolerance, and a log. No HTTP client: a webhook is answered without calling anyone.
 */
export type WebhookContext = Pick<PluginContext, 'credentials' | 'settings' | 'log' | 'clock'>;

const REDACTED = '***';
// Shorter values would redact ordinary words and digits; secrets this short are not secrets.
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of each secret in `text` (as is, URL-encoded and form-encoded) with `***`.
 * Longest secrets first, so a secret containing another is removed whole.
 */
export function redactSecrets(text: string, secrets: Iterable<string | undefined | null>): string {
  const variants = new Set<string>();
  for (const s of secrets) {
    if (!s || s.length < MIN_SECRET_LENGTH) continue;
    variants.add(s);
    variants.add(encodeURIComponent(s));
    variants.add(new URLSearchParams({ s }).toString().slice(2));
  }
  let out = text;
  for (const v of [...variants].sort((a, b) => b.length - a.length)) {
    if (v.length >= MIN_SECRET_LENGTH) out = out.split(v).join(REDACTED);
  }
  return out;
}

/** Query parameters whose values are redacted from URLs in errors and logs even when not listed as secrets. */
export const SENSITIVE_PARAMS = [
  'access_token',
  'refresh_token',
  'client_secret',
  'secret',
  'appsecret',
  'sign',
  'signature',
  'password',
  'token',
  'code',
];

/** The built-in sensitive names plus a plugin's own (`manifest.sensitiveParams`), lower-cased. */
function sensitiveNames(extra: readonly string[] = []): Set<string> {
  return new Set([...SENSITIVE_PARAMS, ...extra.map((n) => n.toLowerCase())]);
}

function redactUrl(url: string, secrets: readonly string[], sensitive: ReadonlySet<string>): string {
  let out = url;
  try {
    const u = new URL(url);
    for (const key of [...u.searchParams.keys()]) {
      if (sensitive.has(key.toLowerCase())) u.searchParams.set(key, REDACTED);
    }
    out = u.toString().replace(/%2A%2A%2A/g, REDACTED);
  } catch {
    // not a URL: fall through to value redaction
  }
  return redactSecrets(out, secrets);
}

/** Options for the reference HTTP client. */
export interface HttpClientOptions {
  /** The manifest's allowedHosts. */
  allowedHosts: readonly string[];
  /** Default per-request timeout (default 15 s). */
  timeoutMs?: number;
  /** Secret values (the account's credential values) to redact from every error message. */
  redact?: readonly string[];
  /** Query parameter names redacted besides SENSITIVE_PARAMS (the manifest's `sensitiveParams`, e.g. `upload_token`). */
  sensitiveParams?: readonly string[];
  /**
   * Allow loopback: `localhost` and addresses in 127.0.0.0/8 and ::1, on any port. Only a plugin's
   * own tests set this (the testing kit's host does); a hub gives its sandbox accounts
   * `allowedOrigins` instead, never a general loopback allowance.
   */
  allowLoopback?: boolean;
  /**
   * Exact origins (`http://127.0.0.1:3001`: scheme, host and port) the client may reach whatever
   * `allowedHosts` says and whatever address they have: the sandbox simulators a host runs itself.
   */
  allowedOrigins?: readonly string[];
  /**
   * Resolves host names (default: the system resolver). Every address a name resolves to must be
   * public (not loopback, private, shared, link-local, multicast, unspecified or reserved, nor an
   * IPv4 address of those kinds inside IPv6), and the socket connects only to an address checked so.
   */
  resolver?: EgressResolver;
  /**
   * The fetch implementation. When given, it carries the request instead of the client's own
   * transport: IP literals are still checked, and names when a `resolver` is given too, but the
   * connection is the fetch's, so the client cannot pin the address it connects to. Hosts do not
   * pass one; it exists for tests that fake the network.
   */
  fetch?: typeof fetch;
  /** Aborts every request made through this client (the call's signal). */
  signal?: AbortSignal;
  /** Default headers, e.g. a User-Agent. */
  headers?: Record<string, string>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

// Failure codes raised before a single byte of the request left this machine.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function errorCode(e: unknown): string | undefined {
  // undici wraps the socket error: TypeError('fetch failed') with cause { code } (sometimes nested once more).
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function isLoopbackName(host: string): boolean {
  const h = host
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost') || classifyAddress(h) === 'loopback';
}

function isIpLiteral(host: string): boolean {
  return classifyAddress(host) !== 'invalid';
}

function originOf(u: string): string | null {
  try {
    return new URL(u).origin;
  } catch {
    return null;
  }
}

/** Whether an error (or one it wraps) is an egress refusal from this or another copy of the SDK. */
export function isEgressRefusal(e: unknown): boolean {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur && typeof cur === 'object'; i++) {
    if ((cur as { egressRefused?: unknown }).egressRefused === true) return true;
    cur = (cur as { original?: unknown; cause?: unknown }).original ?? (cur as { cause?: unknown }).cause;
  }
  return false;
}

function refusal(host: string, address?: string): EgressRefusedError {
  if (address === undefined) {
    return new EgressRefusedError({
      zh: `插件无权访问主机 ${host}（不在 allowedHosts 中）`,
      en: `egress to ${host} refused: not in the plugin's allowedHosts`,
    });
  }
  const kind = classifyAddress(address);
  return new EgressRefusedError({
    zh: `出于安全原因，插件不能访问主机 ${host}（${CLASS_ZH[kind]}地址）`,
    en: `egress to ${host} refused: ${address} is a ${kind} address`,
  });
}

/** The request body as bytes, with the content type it implies. */
async function encodeBody(req: HttpRequest, headers: Record<string, string>): Promise<Buffer | undefined> {
  if (req.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    return Buffer.from(JSON.stringify(req.json));
  }
  if (req.form) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(req.form)) if (v !== undefined) p.set(k, String(v));
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    return Buffer.from(p.toString());
  }
  if (req.multipart) {
    const fd = new FormData();
    for (const part of req.multipart) {
      if ('data' in part) fd.append(part.name, new Blob([part.data], { type: part.contentType }), part.filename);
      else fd.append(part.name, part.value);
    }
    // The platform's own encoder writes the boundary and the parts.
    const encoded = new Response(fd);
    headers['content-type'] ??= encoded.headers.get('content-type')!;
    return Buffer.from(await encoded.arrayBuffer());
  }
  if (req.body !== undefined) return typeof req.body === 'string' ? Buffer.from(req.body) : Buffer.from(req.body);
  return undefined;
}

/**
 * The reference HttpClient. Refuses hosts outside the allowlist, and any address that is not
 * public, at connect time (EgressRefusedError, a PermanentError: retrying cannot help); follows no
 * redirect; maps network failures to typed errors; keeps secrets and response bodies out of every
 * message it produces.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const defaultTimeout = options.timeoutMs ?? 15_000;
  const secrets = [...(options.redact ?? [])];
  const sensitive = sensitiveNames(options.sensitiveParams);
  const origins = new Set((options.allowedOrigins ?? []).map(originOf).filter((o): o is string => !!o));
  const resolver = options.resolver ?? systemResolver;

  return {
    async request(req: HttpRequest): Promise<HttpResponse> {
      const url = new URL(req.url);
      for (const [k, v] of Object.entries(req.query ?? {})) {
        if (Array.isArray(v)) {
          url.searchParams.delete(k);
          for (const one of v as readonly (string | number)[]) url.searchParams.append(k, String(one));
        } else if (v !== undefined) url.searchParams.set(k, String(v));
      }
      const shownUrl = redactUrl(url.toString(), secrets, sensitive);
      const host = url.hostname;
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refusal(host);
      // An origin the host configured (its own simulators) is the one exception to the address rules.
      const explicit = origins.has(url.origin);
      const loopbackOk = options.allowLoopback === true;
      if (!explicit && !(loopbackOk && isLoopbackName(host)) && (isLoopbackName(host) || !hostAllowed(host, options.allowedHosts))) {
        throw refusal(host);
      }
      const permit = (address: string) => {
        if (explicit) return true;
        const kind = classifyAddress(address);
        return kind === 'public' || (loopbackOk && kind === 'loopback');
      };
      if (isIpLiteral(host) && !permit(host)) throw refusal(host, host.replace(/^\[|\]$/g, ''));

      const headers: Record<string, string> = { ...options.headers, ...req.headers };
      const body = await encodeBody(req, headers);
      const timeoutMs = req.timeoutMs ?? defaultTimeout;
      const signals = [AbortSignal.timeout(timeoutMs)];
      if (options.signal) signals.push(options.signal);
      const signal = AbortSignal.any(signals);
      const safe = SAFE_METHODS.has(req.method);
      const what = `${req.method} ${shownUrl}`;

      let status: number;
      let resHeaders: Record<string, string>;
      let bytes: Uint8Array;
      try {
        if (options.fetch) {
          if (!explicit && !isIpLiteral(host) && options.resolver) {
            const bad = (await resolver(host)).find((a) => !permit(a.address));
            if (bad) throw refusal(host, bad.address);
          }
          // As before this transport existed: text bodies as strings, raw bodies as given.
          const fetchBody = req.json !== undefined || req.form ? body?.toString('utf8') : req.body !== undefined ? req.body : body;
          const res = await options.fetch(url, { method: req.method, headers, body: fetchBody, signal, redirect: 'manual' });
          bytes = new Uint8Array(await res.arrayBuffer());
          status = res.status;
          resHeaders = {};
          res.headers.forEach((v, k) => {
            resHeaders[k] = v;
          });
        } else {
          ({
            status,
            headers: resHeaders,
            bytes,
          } = await nodeTransport({
            method: req.method,
            url,
            headers,
            body,
            signal,
            lookup: guardedLookup(resolver, permit),
            permitSocket: (address) => (permit(address) ? null : refusal(host, address)),
          }));
        }
      } catch (e) {
        if (isEgressRefusal(e)) throw e instanceof TransportError ? e.original : e;
        const connected = e instanceof TransportError ? e.connected : undefined;
        const inner = e instanceof TransportError ? e.original : e;
        const code = errorCode(inner);
        const detail = redactSecrets(`${(inner as Error)?.message ?? String(inner)}${code ? ` (${code})` : ''}`, secrets);
        const timedOut = (inner as Error)?.name === 'TimeoutError' || signal.reason?.name === 'TimeoutError';
        const cause = new Error(detail);
        if ((code && NOT_SENT_CODES.has(code)) || connected === false) {
          throw new TransientError({
            zh: `${timedOut ? '连接超时，' : ''}无法连接平台：${what}`,
            en: `could not reach the platform: ${what}: ${timedOut ? `timed out after ${timeoutMs} ms` : detail}`,
            cause,
          });
        }
        if (safe) {
          throw new TransientError({
            zh: `${timedOut ? '请求超时' : '网络错误'}：${what}`,
            en: `${timedOut ? `timed out after ${timeoutMs} ms` : 'network error'}: ${what}: ${detail}`,
            cause,
          });
        }
        // The request may have reached the platform and been processed; only findExisting can tell.
        throw new AmbiguousError({
          zh: `${timedOut ? '请求超时' : '连接中断'}，平台可能已执行：${what}`,
          en: `${timedOut ? `timed out after ${timeoutMs} ms` : 'connection lost'} after sending; the platform may have committed it: ${what}: ${detail}`,
          cause,
        });
      }

      const text = Buffer.from(bytes).toString('utf8');
      return {
        status,
        headers: resHeaders,
        body: text,
        bytes,
        json<T>(): T {
          try {
            return JSON.parse(text) as T;
          } catch {
            // The body itself stays out of the message: it may be anything (a proxy's page, another service).
            throw new TransientError({
              zh: `平台返回的不是 JSON（HTTP ${status}）：${what}`,
              en: `platform returned non-JSON (HTTP ${status}, ${bytes.length} bytes): ${what}`,
              cause: new Error(`body starts: ${redactSecrets(text.slice(0, 200), secrets)}`),
            });
          }
        },
      };
    },
  };
}

/** A log sink: where redacted records go. */
export type LogSink = (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/**
 * A PluginLogger that redacts secrets and sensitive URL parameters from messages and (recursively) from
 * string fields before they reach the sink.
 */
export function createRedactingLogger(sink: LogSink, secrets: readonly string[], sensitiveParams: readonly string[] = []): PluginLogger {
  const sensitive = sensitiveNames(sensitiveParams);
  const clean = (v: unknown, depth = 0): unknown => {
    if (typeof v === 'string') return redactSecrets(v, secrets);
    if (depth > 5 || v === null || typeof v !== 'object') return v;
    if (v instanceof Error) return redactSecrets(v.message, secrets);
    if (Array.isArray(v)) return v.map((x) => clean(x, depth + 1));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sensitive.has(k.toLowerCase()) ? REDACTED : clean(x, depth + 1)]));
  };
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) =>
    sink(level, redactSecrets(message, secrets), fields && (clean(fields) as Record<string, unknown>));
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** The secret values of a credential set, given the manifest's credential fields. Unlisted fields count as secret. */
export function secretValues(credentials: Credentials, fields: ReadonlyArray<{ name: string; secret: boolean }>): string[] {
  const publicNames = new Set(fields.filter((f) => !f.secret).map((f) => f.name));
  return Object.entries(credentials)
    .filter(([k]) => !publicNames.has(k))
    .map(([, v]) => v);
}
