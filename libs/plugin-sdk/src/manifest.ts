import semver from 'semver';
import { z } from 'zod';

/** The version of this SDK. A plugin's `manifest.sdk` range must include it for the host to load the plugin. */
export const SDK_VERSION = '0.1.0';

/** How an account proves itself to the platform. */
export type AuthKind = 'oauth2' | 'app_secret' | 'api_key' | 'hmac';
export const AUTH_KINDS = ['oauth2', 'app_secret', 'api_key', 'hmac'] as const;

/**
 * What a plugin can do on its platform. Optional plugin methods are required once their capability is declared.
 * `listPosts`: reads the account's own recent posts, made through Tongfa or natively in the platform's app,
 * and verifies a post by its URL (`listPosts()`, `getPostByUrl()`, and the manifest's `postListing`).
 */
export type Capability = 'article' | 'image_text' | 'video' | 'short_post' | 'retract' | 'edit' | 'comments' | 'metrics' | 'listPosts';
export const CAPABILITIES = [
  'article',
  'image_text',
  'video',
  'short_post',
  'retract',
  'edit',
  'comments',
  'metrics',
  'listPosts',
] as const;

/** The kinds of post a platform carries, named like the publishing capabilities. */
export type PostKind = 'article' | 'image_text' | 'video' | 'short_post';
export const POST_KINDS = ['article', 'image_text', 'video', 'short_post'] as const;

/**
 * How a platform counts characters (see `counters` in text.ts).
 * - `codePoints`: Unicode code points (an emoji made of one code point counts 1).
 * - `utf16`: UTF-16 code units, what JavaScript's `length` and most Java/JS backends count.
 * - `utf8Bytes`: UTF-8 bytes (a CJK character counts 3).
 * - `graphemes`: user-perceived characters (a family emoji counts 1).
 * - `weibo`: full-width characters count 1, two half-width characters count 1.
 */
export type CounterName = 'codePoints' | 'utf16' | 'utf8Bytes' | 'graphemes' | 'weibo';
export const COUNTER_NAMES = ['codePoints', 'utf16', 'utf8Bytes', 'graphemes', 'weibo'] as const;

/** Image encodings a platform accepts. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif';
export const IMAGE_FORMATS = ['jpeg', 'png', 'webp', 'gif'] as const;

/** A bilingual label; Chinese is shown first in the console. */
export interface LocalizedText {
  zh: string;
  en: string;
}

/**
 * One credential field a unit (or the operator) enters for an account.
 * The console renders a form from these; the host stores `secret` fields encrypted and never shows them again.
 */
export interface CredentialField {
  /** Key in `ctx.credentials`, e.g. `appid`. */
  name: string;
  label: LocalizedText;
  /** Secret values are encrypted at rest and redacted from every log line and error message. */
  secret: boolean;
  required: boolean;
  /**
   * `app`: entered once by the platform operator for the hub's registered app (e.g. an OAuth client secret);
   * `account`: entered or obtained per platform account. The host merges both into `ctx.credentials`.
   * Defaults to `account`.
   */
  scope?: 'app' | 'account';
  /** Shape hint for the form and the host's validation. Defaults to `string`. */
  type?: 'string' | 'url' | 'number';
  /** Help text shown under the field. */
  description?: LocalizedText;
  /** A regular expression (without slashes) the value must match. */
  pattern?: string;
}

/** A length limit on one text field and the counter the platform uses for it. */
export interface TextLimit {
  max: number;
  min?: number;
  counter: CounterName;
  /**
   * For the `weibo` counter: a URL counts as this many units regardless of its length.
   * Leave unset to count URLs character by character.
   */
  urlLength?: number;
}

/** Limits on images (cover or body images). */
export interface ImageConstraints {
  /** Most images a post may carry (body images; for `cover` this is 1). */
  maxCount: number;
  minCount?: number;
  formats: ImageFormat[];
  maxBytes: number;
  minWidth?: number;
  minHeight?: number;
  maxWidth?: number;
  maxHeight?: number;
  /**
   * Accepted width/height ratios, e.g. `[{ width: 2.35, height: 1 }, { width: 1, height: 1 }]`.
   * The first one is what the host crops to when the source does not match any.
   */
  aspectRatios?: Array<{ width: number; height: number }>;
  /** Relative tolerance when matching an aspect ratio; defaults to 0.01 (1 %). */
  aspectTolerance?: number;
}

/** Limits on video uploads. */
export interface VideoConstraints {
  maxBytes: number;
  maxDurationSec: number;
  formats: Array<'mp4' | 'webm' | 'mov'>;
  minWidth?: number;
  minHeight?: number;
}

/** Everything render() must respect. A field left out means the platform has no such field. */
export interface Constraints {
  title?: TextLimit;
  body?: TextLimit;
  summary?: TextLimit;
  cover?: ImageConstraints & { required?: boolean };
  images?: ImageConstraints;
  video?: VideoConstraints;
}

/** A token bucket: at most `tokens` calls per `intervalMs`, refilled continuously. */
export interface RateLimit {
  tokens: number;
  intervalMs: number;
}

/**
 * How the plugin reads the account's own posts; declared together with the `listPosts` capability. The
 * host's poller schedules list calls within `dailyCallsPerAccount`, so say what the platform documents,
 * and where it documents nothing, a conservative number marked `quotaBasis: 'assumed'`.
 */
export interface PostListing {
  /**
   * Calls of the platform's list API one account may make per day. Every other use of the same API by
   * the plugin (e.g. a findExisting that pages through the same list) spends the same quota, and so does
   * any other system holding the account's credentials: hosts should plan to use only part of it.
   */
  dailyCallsPerAccount: number;
  /**
   * `documented`: the platform's documentation states the number (cite it in `quotaSource`);
   * `assumed`: the platform publishes none, the number is the plugin author's conservative guess.
   */
  quotaBasis: 'documented' | 'assumed';
  /** Where the number comes from (a documentation URL, or why it was chosen). */
  quotaSource?: string;
  /** IANA time zone whose midnight resets the daily quota (default `Asia/Shanghai`). */
  quotaResetTimeZone?: string;
  /** Most posts one `listPosts` call returns (the platform's page size). */
  maxPageSize: number;
  /** Most platform calls one `getPostByUrl` may spend (it may page through the list to find the post). */
  maxCallsPerUrlCheck: number;
  /**
   * Host names of the platform's public post URLs (`*.example.com` = any subdomain), so a host can tell
   * which platform a submitted URL belongs to before asking any plugin.
   */
  postUrlHosts: string[];
  /** What the list leaves out or cannot see (e.g. WeChat lists 发表 items but never 群发 ones), shown to operators. */
  notes?: LocalizedText;
}

/**
 * What a plugin declares about itself. The host reads it before loading any plugin code path:
 * the console builds the account form from `credentials`, the publisher checks `constraints`,
 * the scheduler applies `rateLimits`, and the HTTP client refuses any host not in `allowedHosts`.
 */
export interface PluginManifest {
  /** Stable kebab-case id, also the platform key in the API and the sandbox path (`/<id>/...`). */
  id: string;
  name: LocalizedText;
  /** The plugin's own semver version. */
  version: string;
  /** The semver range of SDK versions the plugin supports, e.g. `^0.1.0`. */
  sdk: string;
  auth: {
    kind: AuthKind;
    /** OAuth scopes requested at authorization (oauth2 only). */
    scopes?: string[];
  };
  credentials: CredentialField[];
  capabilities: Capability[];
  constraints: Constraints;
  rateLimits: {
    /** Shared by every account using the hub's app registration on this platform. */
    perApp: RateLimit;
    /** For one platform account. */
    perAccount: RateLimit;
  };
  /**
   * Host names the plugin may call (egress allowlist). `*.example.com` allows any subdomain of example.com,
   * not example.com itself.
   */
  allowedHosts: string[];
  /**
   * Named base URLs the plugin calls, e.g. `{ api: 'https://api.weixin.qq.com' }`.
   * The host may override them (the sandbox points them at its simulators); plugins must read
   * `ctx.endpoints` rather than hard-coding URLs.
   */
  endpoints?: Record<string, string>;
  /**
   * Per-account settings a unit admin sets (e.g. field names of a contract API, the unit's site URL).
   * `required`: the plugin cannot publish without it; hosts refuse to connect an account or save its
   * settings while a required one is empty. Rules across settings belong in `Plugin.checkSettings`.
   */
  settings?: Array<{ name: string; label: LocalizedText; default?: string | number | boolean; required?: boolean }>;
  /** Required with the `listPosts` capability: quota and shape of the account's post list. */
  postListing?: PostListing;
}

const kebab = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

const localized = z.object({
  zh: z.string().min(1, '中文名称不能为空 / zh must not be empty'),
  en: z.string().min(1, '英文名称不能为空 / en must not be empty'),
});

const positiveInt = z.number().int('必须为整数 / must be an integer').positive('必须大于 0 / must be greater than 0');

const textLimit = z
  .object({
    max: positiveInt,
    min: z.number().int().nonnegative().optional(),
    counter: z.enum(COUNTER_NAMES, {
      message: `计数方式须为 ${COUNTER_NAMES.join('|')} / counter must be one of ${COUNTER_NAMES.join('|')}`,
    }),
    urlLength: positiveInt.optional(),
  })
  .refine((t) => t.min === undefined || t.min <= t.max, { message: 'min 不能大于 max / min must not exceed max' });

const imageConstraints = z.object({
  maxCount: z.number().int().nonnegative(),
  minCount: z.number().int().nonnegative().optional(),
  formats: z.array(z.enum(IMAGE_FORMATS)).min(1, '至少允许一种图片格式 / at least one image format'),
  maxBytes: positiveInt,
  minWidth: positiveInt.optional(),
  minHeight: positiveInt.optional(),
  maxWidth: positiveInt.optional(),
  maxHeight: positiveInt.optional(),
  aspectRatios: z
    .array(z.object({ width: z.number().positive(), height: z.number().positive() }))
    .min(1)
    .optional(),
  aspectTolerance: z.number().min(0).max(1).optional(),
});

const rateLimit = z.object({ tokens: positiveInt, intervalMs: positiveInt });

const hostPattern = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const postListing = z.object({
  dailyCallsPerAccount: positiveInt,
  quotaBasis: z.enum(['documented', 'assumed'], { message: 'quotaBasis 须为 documented|assumed / quotaBasis must be documented|assumed' }),
  quotaSource: z.string().min(1).optional(),
  quotaResetTimeZone: z
    .string()
    .refine(isTimeZone, { message: 'quotaResetTimeZone 须为 IANA 时区，如 Asia/Shanghai / must be an IANA time zone' })
    .optional(),
  maxPageSize: positiveInt,
  maxCallsPerUrlCheck: positiveInt,
  postUrlHosts: z
    .array(z.string().regex(hostPattern, '主机名格式错误（可用 *.example.com）/ invalid host name (*.example.com allowed)'))
    .min(1, '至少声明一个帖子网址主机 / declare at least one post URL host'),
  notes: localized.optional(),
});

const manifestSchema = z
  .object({
    id: z.string().regex(kebab, 'id 须为小写短横线格式，如 my-platform / id must be kebab-case, e.g. my-platform'),
    name: localized,
    version: z
      .string()
      .refine((v) => semver.valid(v) !== null, { message: 'version 须为 semver 版本号 / version must be a semver version' }),
    sdk: z.string().refine((v) => semver.validRange(v) !== null, {
      message: 'sdk 须为 semver 范围，如 ^0.1.0 / sdk must be a semver range, e.g. ^0.1.0',
    }),
    auth: z.object({
      kind: z.enum(AUTH_KINDS, { message: `auth.kind 须为 ${AUTH_KINDS.join('|')} / auth.kind must be one of ${AUTH_KINDS.join('|')}` }),
      scopes: z.array(z.string().min(1)).optional(),
    }),
    credentials: z.array(
      z.object({
        name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, '字段名须为标识符 / field name must be an identifier'),
        label: localized,
        secret: z.boolean(),
        required: z.boolean(),
        scope: z.enum(['app', 'account']).optional(),
        type: z.enum(['string', 'url', 'number']).optional(),
        description: localized.optional(),
        pattern: z
          .string()
          .refine(
            (p) => {
              try {
                new RegExp(p);
                return true;
              } catch {
                return false;
              }
            },
            { message: 'pattern 不是合法的正则表达式 / pattern is not a valid regular expression' },
          )
          .optional(),
      }),
    ),
    capabilities: z.array(z.enum(CAPABILITIES, { message: `未知能力 / unknown capability; one of ${CAPABILITIES.join('|')}` })),
    constraints: z.object({
      title: textLimit.optional(),
      body: textLimit.optional(),
      summary: textLimit.optional(),
      cover: imageConstraints.extend({ required: z.boolean().optional() }).optional(),
      images: imageConstraints.optional(),
      video: z
        .object({
          maxBytes: positiveInt,
          maxDurationSec: positiveInt,
          formats: z.array(z.enum(['mp4', 'webm', 'mov'])).min(1),
          minWidth: positiveInt.optional(),
          minHeight: positiveInt.optional(),
        })
        .optional(),
    }),
    rateLimits: z.object({ perApp: rateLimit, perAccount: rateLimit }),
    allowedHosts: z
      .array(z.string().regex(hostPattern, '主机名格式错误（可用 *.example.com）/ invalid host name (*.example.com allowed)'))
      .min(1, '至少声明一个允许访问的主机 / declare at least one allowed host'),
    endpoints: z.record(z.string(), z.string().url('须为完整 URL / must be an absolute URL')).optional(),
    settings: z
      .array(
        z.object({
          name: z.string().min(1),
          label: localized,
          default: z.union([z.string(), z.number(), z.boolean()]).optional(),
          required: z.boolean().optional(),
        }),
      )
      .optional(),
    postListing: postListing.optional(),
  })
  .superRefine((m, ctx) => {
    const names = new Set<string>();
    m.credentials.forEach((f, i) => {
      if (names.has(f.name))
        ctx.addIssue({
          code: 'custom',
          path: ['credentials', i, 'name'],
          message: `凭据字段重复 / duplicate credential field "${f.name}"`,
        });
      names.add(f.name);
    });
    if (new Set(m.capabilities).size !== m.capabilities.length) {
      ctx.addIssue({ code: 'custom', path: ['capabilities'], message: '能力重复声明 / duplicate capability' });
    }
    const publishing = m.capabilities.filter((c) => c === 'article' || c === 'image_text' || c === 'video' || c === 'short_post');
    if (publishing.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['capabilities'],
        message: '至少声明一种发布能力（article/image_text/video/short_post）/ declare at least one publishing capability',
      });
    }
    const lists = m.capabilities.includes('listPosts');
    if (lists && !m.postListing) {
      ctx.addIssue({
        code: 'custom',
        path: ['postListing'],
        message:
          '声明了 listPosts 能力须同时声明 postListing（配额与分页）/ the listPosts capability requires postListing (quota and paging)',
      });
    }
    if (!lists && m.postListing) {
      ctx.addIssue({
        code: 'custom',
        path: ['postListing'],
        message: 'postListing 仅用于声明了 listPosts 能力的插件 / postListing needs the listPosts capability',
      });
    }
    for (const [key, url] of Object.entries(m.endpoints ?? {})) {
      let host: string;
      try {
        host = new URL(url).hostname;
      } catch {
        continue; // reported by the url() check above
      }
      if (!hostAllowed(host, m.allowedHosts)) {
        ctx.addIssue({
          code: 'custom',
          path: ['endpoints', key],
          message: `端点主机 ${host} 不在 allowedHosts 中 / endpoint host ${host} is not in allowedHosts`,
        });
      }
    }
  });

/** The outcome of validateManifest: either the typed manifest or readable, path-prefixed errors. */
export type ManifestValidation = { ok: true; manifest: PluginManifest } | { ok: false; errors: string[] };

/**
 * Checks a manifest and returns readable errors such as
 * `constraints.title.max: 必须大于 0 / must be greater than 0`.
 */
export function validateManifest(input: unknown): ManifestValidation {
  const r = manifestSchema.safeParse(input);
  if (r.success) return { ok: true, manifest: r.data as PluginManifest };
  return {
    ok: false,
    errors: r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(manifest)'}: ${i.message}`),
  };
}

/** Like validateManifest but throws one Error listing every problem. */
export function assertValidManifest(input: unknown): PluginManifest {
  const r = validateManifest(input);
  if (!r.ok) {
    const id = typeof input === 'object' && input !== null && 'id' in input ? String((input as { id: unknown }).id) : '?';
    throw new Error(`插件清单无效 / invalid plugin manifest (${id}):\n  - ${r.errors.join('\n  - ')}`);
  }
  return r.manifest;
}

/**
 * Whether `version` lies in the semver `range` (supports ^, ~, >=, <, x-ranges, hyphen and || ranges).
 * Prereleases only match ranges that name a prerelease of the same version, as npm does.
 */
export function satisfies(version: string, range: string): boolean {
  return semver.satisfies(version, range);
}

/** Whether this SDK can host a plugin built for `manifest.sdk`. */
export function isSdkCompatible(manifest: Pick<PluginManifest, 'sdk'>, sdkVersion: string = SDK_VERSION): boolean {
  return satisfies(sdkVersion, manifest.sdk);
}

/**
 * Whether `host` is allowed by an allowlist entry. `*.example.com` matches subdomains only;
 * matching is case-insensitive and ignores a trailing dot.
 */
export function hostAllowed(host: string, allowedHosts: readonly string[]): boolean {
  const h = host
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^\[|\]$/g, '');
  return allowedHosts.some((pattern) => {
    const p = pattern.toLowerCase();
    if (p.startsWith('*.')) return h.endsWith(p.slice(1)) && h.length > p.length - 1;
    return h === p;
  });
}
