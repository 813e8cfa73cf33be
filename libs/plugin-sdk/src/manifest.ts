import semver from 'semver';
import { z } from 'zod';

/** The version of this SDK. A plugin's `manifest.sdk` range must include it for the host to load the plugin. */
export const SDK_VERSION = '0.2.0';
/**
 * The oldest SDK release whose plugins this SDK still hosts. Until 1.0, each minor release is
 * backward compatible with the minors from this one on (see "Versions and compatibility" in the
 * README); raising it is a breaking change announced a minor in advance in the CHANGELOG.
 */
export const SDK_OLDEST_SUPPORTED = '0.1.0';

/** How an account proves itself to the platform. */
export type AuthKind = 'oauth2' | 'app_secret' | 'api_key' | 'hmac';
export const AUTH_KINDS = ['oauth2', 'app_secret', 'api_key', 'hmac'] as const;

/**
 * What a plugin can do on its platform. Optional plugin methods are required once their capability is declared.
 * `listPosts`: reads the account's own recent posts, made through Tongfa or natively in the platform's app,
 * and verifies a post by its URL (`listPosts()`, `getPostByUrl()`, and the manifest's `postListing`).
 * `comments`: reads citizens' comments on the account's posts and replies (`fetchComments()`, `reply()`;
 * since 0.3 `findReply()`, `hideComment()`, `deleteComment()` and the manifest's `interaction.comments`).
 * `messages` (since 0.3): private messages the platform pushes to a webhook, answered within the
 * platform's window (`handleWebhook()`, `sendMessage()`, `findMessage()`, `interaction.messages`).
 */
export type Capability =
  'article' | 'image_text' | 'video' | 'short_post' | 'retract' | 'edit' | 'comments' | 'messages' | 'metrics' | 'listPosts';
export const CAPABILITIES = [
  'article',
  'image_text',
  'video',
  'short_post',
  'retract',
  'edit',
  'comments',
  'messages',
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
  /**
   * How the platform itself shows the image in its feed when that cuts it (the host uploads it whole and
   * the platform crops on display, e.g. a video cover in a grid of works). Previews draw this cut so an
   * editor never reads "nothing cropped" when readers will see part of the image. For `cover` it applies
   * to the cover, or to the first image when the post has no separate cover. `basis: 'assumed'` when the
   * platform documents no shape; `note` then says what the guess rests on.
   */
  display?: ImageDisplay;
}

/** A platform's display shape for an image (see {@link ImageConstraints.display}). */
export interface ImageDisplay {
  aspect: { width: number; height: number };
  basis: 'documented' | 'assumed';
  note?: { zh: string; en: string };
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
 * How the plugin reads and answers comments (since 0.3), declared with the `comments` capability. The
 * host's comment poller schedules `fetchComments` calls within `dailyCallsPerAccount`, as for postListing:
 * say what the platform documents, and where it documents nothing a conservative number marked `assumed`.
 */
export interface CommentInteraction {
  /** Calls of the platform's comment-list API one account may make per day (one `fetchComments` = one call). */
  dailyCallsPerAccount: number;
  quotaBasis: 'documented' | 'assumed';
  /** Where the number comes from (a documentation URL, or why it was chosen). */
  quotaSource?: string;
  /** IANA time zone whose midnight resets the daily quota (default `Asia/Shanghai`). */
  quotaResetTimeZone?: string;
  /** Most comments one `fetchComments` (or `fetchAccountComments`) call returns (the platform's page size). */
  maxPageSize: number;
  /**
   * The platform lists the comments on all the account's posts in one call (Weibo comments/to_me), so
   * `fetchAccountComments()` is implemented and the host polls once per account, not once per post.
   * Its calls spend `dailyCallsPerAccount` like `fetchComments` (since 0.3).
   */
  accountComments?: boolean;
  /** The platform lets the account hide a comment (`hideComment()` required when true). */
  canHide: boolean;
  /** The platform lets the account delete a comment (`deleteComment()` required when true). */
  canDelete: boolean;
  /** Longest reply the platform takes, counted with `replyCounter`. */
  replyMaxChars: number;
  /** How the platform counts a reply's characters (default `codePoints`). */
  replyCounter?: CounterName;
  /** What the comment API leaves out or cannot do (shown to operators). */
  notes?: LocalizedText;
}

/**
 * How the plugin receives and answers private messages (since 0.3), declared with the `messages`
 * capability. Messages arrive by the platform's push to the hub's `/webhooks/<plugin id>`.
 */
export interface MessageInteraction {
  /**
   * Hours after the citizen's last message during which the platform accepts a reply (WeChat 客服消息: 48);
   * after it `sendMessage` throws PermanentError with the platform's code. The hub shows it as a hard deadline.
   */
  replyWindowHours: number;
  /** Longest reply the platform takes, counted with `replyCounter`. */
  replyMaxChars: number;
  /** How the platform counts a reply's characters (default `codePoints`). */
  replyCounter?: CounterName;
  /** What `handleWebhook` checks (signature scheme and the credential it uses), shown to operators. */
  signature: LocalizedText;
  /** How the platform retries a push the hub did not answer in time (e.g. 3 tries, 5 s each). */
  retries: LocalizedText;
  /**
   * The credential field whose value names the account in pushes (`InboundMessage.platformAccountId`),
   * when that differs from getProfile's `platformAccountId`: WeChat pushes the 原始ID `gh_…` while the
   * plugin names the account by its AppID. Absent: pushes name the account as getProfile does.
   */
  accountCredential?: string;
  /** Anything else operators should know (message kinds not delivered, encrypted mode, …). */
  notes?: LocalizedText;
}

/** The manifest's `interaction` (since 0.3): quotas and limits of the `comments` and `messages` capabilities. */
export interface Interaction {
  /** Required with `comments` for plugins built for SDK 0.3 or later; older plugins may leave it out. */
  comments?: CommentInteraction;
  /** Required with the `messages` capability. */
  messages?: MessageInteraction;
  /**
   * What the platform offers no API for (e.g. Weibo private messages to government accounts), so the
   * console can say why comments or messages of this platform are not in the inbox.
   */
  unsupported?: LocalizedText;
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
   * How `findExisting` recognises a post after an ambiguous failure (since 0.2). `key` (default): the
   * platform keeps `ctx.idempotencyKey` (a client token, a marker in a link) and the post carries it.
   * `lookup`: the platform keeps nothing of ours; findExisting matches the account's recent posts by
   * content and time (see the README's worked example), and conformance does not ask for a marker.
   */
  idempotency?: 'key' | 'lookup';
  /**
   * Where the plugin's simulator is, for the hub's sandbox (since 0.2): `module` relative to the
   * plugin's entry file (`./simulator`) and the factory it exports (`createCityAppSimulator`). The
   * sandbox loads it only when it runs; production hubs never do. Without it the hub falls back to a
   * `create…Simulator` export of the entry or of `simulator.js` beside it, and says so when neither exists.
   */
  simulator?: { module: string; export: string };
  /**
   * Query parameter and log field names whose values the host redacts from errors and logs, besides
   * the credential values and the built-in SENSITIVE_PARAMS (`access_token`, `sign`, …): the platform's
   * own short-lived secrets, e.g. an upload gateway's `upload_token` (since 0.2).
   */
  sensitiveParams?: string[];
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
  /** Quotas and limits of the `comments` and `messages` capabilities (since 0.3). */
  interaction?: Interaction;
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
  display: z
    .object({
      aspect: z.object({ width: z.number().positive(), height: z.number().positive() }),
      basis: z.enum(['documented', 'assumed'], {
        message: 'display.basis 须为 documented|assumed / display.basis must be documented|assumed',
      }),
      note: localized.optional(),
    })
    .optional(),
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

const quotaBasis = z.enum(['documented', 'assumed'], {
  message: 'quotaBasis 须为 documented|assumed / quotaBasis must be documented|assumed',
});
const counterName = z.enum(COUNTER_NAMES, {
  message: `计数方式须为 ${COUNTER_NAMES.join('|')} / counter must be one of ${COUNTER_NAMES.join('|')}`,
});

const interaction = z.object({
  comments: z
    .object({
      dailyCallsPerAccount: positiveInt,
      quotaBasis,
      quotaSource: z.string().min(1).optional(),
      quotaResetTimeZone: z
        .string()
        .refine(isTimeZone, { message: 'quotaResetTimeZone 须为 IANA 时区，如 Asia/Shanghai / must be an IANA time zone' })
        .optional(),
      maxPageSize: positiveInt,
      accountComments: z.boolean({ message: 'accountComments 须为布尔值 / accountComments must be a boolean' }).optional(),
      canHide: z.boolean({ message: 'canHide 须为布尔值 / canHide must be a boolean' }),
      canDelete: z.boolean({ message: 'canDelete 须为布尔值 / canDelete must be a boolean' }),
      replyMaxChars: positiveInt,
      replyCounter: counterName.optional(),
      notes: localized.optional(),
    })
    .optional(),
  messages: z
    .object({
      replyWindowHours: z.number().positive('必须大于 0 / must be greater than 0'),
      replyMaxChars: positiveInt,
      replyCounter: counterName.optional(),
      signature: localized,
      retries: localized,
      accountCredential: z.string().min(1).optional(),
      notes: localized.optional(),
    })
    .optional(),
  unsupported: localized.optional(),
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
    idempotency: z.enum(['key', 'lookup']).optional(),
    simulator: z
      .object({
        module: z
          .string()
          .regex(/^\.\.?\/[\w./-]+$/, '须为相对入口文件的路径，如 ./simulator / must be a path relative to the entry, e.g. ./simulator'),
        export: z.string().regex(/^[A-Za-z_$][\w$]*$/, '须为导出名 / must be an export name'),
      })
      .optional(),
    sensitiveParams: z
      .array(z.string().regex(/^[A-Za-z][\w.-]{0,63}$/, '参数名格式错误 / invalid parameter name'))
      .max(32, '最多 32 个 / at most 32')
      .optional(),
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
    interaction: interaction.optional(),
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
    const comments = m.capabilities.includes('comments');
    const messages = m.capabilities.includes('messages');
    if (m.interaction?.comments && !comments) {
      ctx.addIssue({
        code: 'custom',
        path: ['interaction', 'comments'],
        message: 'interaction.comments 仅用于声明了 comments 能力的插件 / interaction.comments needs the comments capability',
      });
    }
    if (m.interaction?.messages && !messages) {
      ctx.addIssue({
        code: 'custom',
        path: ['interaction', 'messages'],
        message: 'interaction.messages 仅用于声明了 messages 能力的插件 / interaction.messages needs the messages capability',
      });
    }
    if (messages && !m.interaction?.messages) {
      ctx.addIssue({
        code: 'custom',
        path: ['interaction', 'messages'],
        message:
          '声明了 messages 能力须同时声明 interaction.messages（回复时限、签名、重试）/ the messages capability requires interaction.messages (reply window, signature, retries)',
      });
    }
    const accountCredential = m.interaction?.messages?.accountCredential;
    if (accountCredential && !m.credentials.some((f) => f.name === accountCredential)) {
      ctx.addIssue({
        code: 'custom',
        path: ['interaction', 'messages', 'accountCredential'],
        message: `accountCredential 须为已声明的凭据字段 / "${accountCredential}" is not a declared credential field`,
      });
    }
    // Plugins built for 0.1 and 0.2 declared `comments` before `interaction` existed: they stay valid.
    const builtFor = semver.validRange(m.sdk) ? semver.minVersion(m.sdk) : null;
    if (comments && !m.interaction?.comments && builtFor && semver.gte(builtFor, '0.3.0')) {
      ctx.addIssue({
        code: 'custom',
        path: ['interaction', 'comments'],
        message:
          '声明了 comments 能力须同时声明 interaction.comments（配额、分页、隐藏/删除、回复长度）/ the comments capability requires interaction.comments (quota, page size, hide/delete, reply length)',
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

/** Why this SDK cannot host a plugin built for `manifest.sdk`, or null when it can. */
export function sdkIncompatibility(
  manifest: Pick<PluginManifest, 'sdk'>,
  sdkVersion: string = SDK_VERSION,
  oldest: string = SDK_OLDEST_SUPPORTED,
): { zh: string; en: string } | null {
  // `sdk` says which SDK the plugin was built against: its lowest version is what the plugin needs.
  const min = semver.validRange(manifest.sdk) ? semver.minVersion(manifest.sdk) : null;
  if (!min) return { zh: `SDK 版本范围“${manifest.sdk}”无效`, en: `"${manifest.sdk}" is not a semver range` };
  const host = semver.parse(sdkVersion)!;
  // A plugin built for a newer minor may rely on what this host does not know (patches add no API).
  if (min.major > host.major || (min.major === host.major && min.minor > host.minor)) {
    return {
      zh: `插件基于 SDK ${min.major}.${min.minor}，本平台 SDK 为 ${sdkVersion}，须先升级平台`,
      en: `built for SDK ${min.major}.${min.minor}, newer than this host's ${sdkVersion}: upgrade the hub first`,
    };
  }
  if (semver.lt(min, oldest)) {
    return {
      zh: `插件基于 SDK ${min.version}，已低于本平台支持的最低版本 ${oldest}，须按 CHANGELOG 升级插件`,
      en: `built for SDK ${min.version}, older than the oldest this host supports (${oldest}): update the plugin (see the CHANGELOG)`,
    };
  }
  // From 1.0 on, a major release may break: only plugins of the host's major load.
  if (host.major >= 1 && min.major !== host.major) {
    return {
      zh: `插件基于 SDK ${min.major}.x，本平台为 ${host.major}.x`,
      en: `built for SDK ${min.major}.x, this host runs ${host.major}.x`,
    };
  }
  return null;
}

/**
 * Whether this SDK can host a plugin built for `manifest.sdk`: built against a release from
 * SDK_OLDEST_SUPPORTED up to this one (a `^0.1.0` plugin keeps loading under 0.2, 0.3, …).
 */
export function isSdkCompatible(manifest: Pick<PluginManifest, 'sdk'>, sdkVersion: string = SDK_VERSION): boolean {
  return sdkIncompatibility(manifest, sdkVersion) === null;
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
