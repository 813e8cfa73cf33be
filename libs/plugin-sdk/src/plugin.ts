import type { AuthContext, Credentials, PluginContext, WebhookContext } from './context';
import type { ConstraintIssue } from './errors';
import type { FocusPoint, ImageFitSpec } from './images';
import { assertValidManifest, type Capability, type LocalizedText, type PluginManifest, type PostKind } from './manifest';

/** An image of the manuscript as the host describes it to render(); the bytes stay with the host. */
export interface AssetDescriptor {
  /** Opaque reference the host resolves in `ctx.images.fit(ref, spec)`. */
  ref: string;
  width: number;
  height: number;
  bytes: number;
  /** `jpeg`, `png`, `webp`, `gif`, … */
  format: string;
  /** Where the subject is, for cropping; centre when omitted. */
  focus?: FocusPoint;
  /** Alternative text / caption. */
  alt?: string;
}

/** A video of the manuscript. */
export interface VideoDescriptor {
  ref: string;
  bytes: number;
  durationSec: number;
  width: number;
  height: number;
  format: string;
}

/** Manuscript categories (see DESIGN.md); they decide review chains and may change how a platform renders. */
export type ManuscriptCategory = 'policy' | 'news' | 'notice' | 'emergency' | 'reprint';

/** One approved, immutable manuscript version: the input of render(). */
export interface ManuscriptInput {
  manuscriptId: string;
  versionId: string;
  title: string;
  summary: string;
  /** Sanitised HTML from the editor. */
  bodyHtml: string;
  category: ManuscriptCategory;
  source: { type: 'original' | 'reprint'; unitName?: string; url?: string };
  /** The unit that publishes (for bylines). */
  unitName?: string;
  cover?: AssetDescriptor;
  images: AssetDescriptor[];
  video?: VideoDescriptor;
  /**
   * The editor's own texts for this platform (各平台适配), reviewed with the version. When present they
   * replace what render() would derive: `text` is a short post's whole text (without the link the
   * plugin adds), `caption` a video or image-text post's caption, `topics` words to show as topics.
   * The host has already checked them against the manifest's `body` (text) and `title` (caption) limits.
   * A per-platform cover choice and crop arrive as `cover` (with its `focus`).
   */
  adaptation?: { text?: string; caption?: string; topics?: string[] };
}

/** What render() may know besides the manuscript. No I/O handles: render is pure. */
export interface RenderContext {
  /** The target account as the hub knows it. */
  account: { name: string; platformAccountId?: string };
  /** Operator settings from the manifest's `settings`. */
  settings: Readonly<Record<string, string | number | boolean>>;
  /** The publishing capability to render for, when the plugin supports several. */
  capability?: Capability;
}

/** A request to fit one asset before publish; the host may run these ahead of time (previews, early checks). */
export interface AssetRequest {
  /** The plugin's own key for the asset in its payload, e.g. `cover` or `image-2`. */
  key: string;
  ref: string;
  role: 'cover' | 'image';
  spec: ImageFitSpec;
}

/**
 * The platform-specific result of render(). Stored by the host as the rendition of a version for a
 * platform, shown in previews, and passed unchanged to publish() (possibly on another machine, later),
 * so it must be JSON-serialisable.
 */
export interface Rendition<P = unknown> {
  payload: P;
  /**
   * The final texts as they count against the manifest constraints (`title`, `body`, `summary`), so the
   * host and the conformance suite can check them with the declared counter.
   */
  fields: { title?: string; body?: string; summary?: string };
  assets: AssetRequest[];
  /** Changes made to fit (truncation, cropping); shown to the editor, publishing goes ahead. */
  warnings: ConstraintIssue[];
  /** Constraints broken that render cannot fix; the host refuses to publish while any exists. */
  violations: ConstraintIssue[];
}

/** What publish() reports. `processing` means the platform accepted it and the host should poll publishStatus. */
export interface PublishResult {
  remoteId: string;
  url?: string;
  status: 'published' | 'processing';
}

/** The state of an earlier publish. `rejected` and `failed` carry the platform's reason. */
export interface PublishStatus {
  status: 'published' | 'processing' | 'rejected' | 'failed' | 'deleted';
  url?: string;
  reason?: string;
}

/** The account as the platform shows it. */
export interface Profile {
  platformAccountId: string;
  name: string;
  /** The verified subject (认证主体), checked against the unit's name by the hub. */
  verifiedSubject?: string;
  avatarUrl?: string;
  followers?: number;
}

/** New or updated credentials; the host merges them over the stored ones. */
export interface CredentialUpdate {
  credentials: Record<string, string>;
  /** When the new access credentials expire (ms since epoch); the host refreshes ahead of it. */
  expiresAt?: number;
}

/** Counters of one post, as far as the platform reports them. */
export interface PostMetrics {
  views?: number;
  likes?: number;
  comments?: number;
  shares?: number;
  favorites?: number;
  /** When the platform computed these (ms since epoch). */
  asOf: number;
}

/**
 * A citizen's comment on one of the account's posts, or the account's own (`fromAccount`), as
 * `fetchComments` returns it. Fields marked "since 0.3" may be absent from plugins built for 0.2.
 */
export interface PostComment {
  /** The platform's comment id, unique per account; what `reply`, `hideComment` and `deleteComment` take. */
  id: string;
  /**
   * The post it belongs to: the remoteId `fetchComments` was called with (since 0.3). Optional in the
   * type so that 0.2 plugins still compile; hosts take the remoteId they asked for when it is absent.
   */
  postRemoteId?: string;
  /** The comment it answers, in a comment tree; absent for a top-level comment (since 0.3). */
  parentId?: string;
  /** Plain text. */
  text: string;
  /** The author's display name (may be empty where the platform gives none). */
  author: string;
  /** A stable id of the author on the platform (openid, uid), where the platform gives one (since 0.3). */
  authorId?: string;
  /** ms since epoch; platforms that count in seconds give whole seconds. */
  createdAt: number;
  /** Written by the account itself, e.g. a reply made through Tongfa or in the platform's app (since 0.3). */
  fromAccount?: boolean;
  /** The account's reply, on platforms that model one reply per comment (WeChat). */
  reply?: { id?: string; text: string; createdAt: number };
}

/** What `fetchComments` is asked for (since 0.3; 0.2 plugins read `cursor` only). */
export interface FetchCommentsParams {
  /** The `nextCursor` of the previous page; absent for the newest page. Opaque. */
  cursor?: string;
  /** Only comments made at or after this time (ms since epoch); paging stops once the list is older. */
  since?: number;
  /** Most comments wanted; capped at `interaction.comments.maxPageSize`. */
  limit?: number;
}

/** One page of a post's comments, newest first. */
export interface CommentPage {
  items: PostComment[];
  /** Present while older comments (at or after `since`) remain. */
  nextCursor?: string;
}

/**
 * What `fetchAccountComments` is asked for (since 0.3): one read of the comments on ALL the account's
 * posts, newest first, page by page. Pass the same `after` and `since` with every page of one read.
 */
export interface FetchAccountCommentsParams {
  /**
   * The `mark` of the first page of the last read the host finished: only comments made after it
   * (Weibo `since_id`). Absent on the very first read. Opaque: only this plugin reads it.
   */
  after?: string;
  /** The `nextCursor` of the previous page of this read; absent for its first page. Opaque. */
  cursor?: string;
  /** Only comments made at or after this time (ms since epoch), e.g. a week back on the first read. */
  since?: number;
  /** Most comments wanted; capped at `interaction.comments.maxPageSize`. */
  limit?: number;
}

/** One page of the comments on all the account's posts, newest first (since 0.3). */
export interface AccountCommentPage {
  /** Newest first; each names its post in `postRemoteId`, the remoteId the plugin's other methods take. */
  items: Array<PostComment & { postRemoteId: string }>;
  /** Present while older comments (after `after`, at or after `since`) remain. */
  nextCursor?: string;
  /**
   * Where the list stands, on the first page of a read (the newest comment's position). The host keeps
   * the mark of a read's first page and passes it as `after` once every page of that read is stored; a
   * read cut short keeps the old mark, so nothing is skipped. Absent when the page is empty.
   */
  mark?: string;
}

/** Options of `reply` (since 0.3). */
export interface ReplyOptions {
  /**
   * Stable for every attempt of one reply. Send it to the platform where it keeps one, so `findReply`
   * can recognise the reply after an ambiguous failure.
   */
  idempotencyKey?: string;
}

/** A webhook request as the hub received it at `/webhooks/<plugin id>` (since 0.3). */
export interface WebhookRequest {
  method: 'GET' | 'POST';
  query: Record<string, string>;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The body exactly as received: signatures are computed over these bytes. */
  rawBody: Buffer;
}

/** What the hub answers the platform. */
export interface WebhookResponse {
  status: number;
  contentType?: string;
  body: string;
}

/** Kinds of inbound message; other kinds arrive as `other` with a Chinese description as text. */
export type InboundMessageKind = 'text' | 'image' | 'voice' | 'video' | 'event' | 'other';
export const INBOUND_MESSAGE_KINDS = ['text', 'image', 'voice', 'video', 'event', 'other'] as const;

/** A private message a citizen sent to one of our accounts, parsed from a webhook push. */
export interface InboundMessage {
  /** The platform's id, for dedupe (WeChat MsgId, Douyin Msg-Id); a retried push carries the same id. */
  messageId: string;
  /** Which account of ours received it (WeChat ToUserName `gh_…`, Douyin to_user_id), as getProfile names it. */
  platformAccountId: string;
  /** The citizen's id on the platform (openid): one thread per (account, conversation). */
  conversationId: string;
  author?: string;
  /** The message text; other kinds described in Chinese, e.g. "[图片]". */
  text: string;
  kind: InboundMessageKind;
  /** ms since epoch. */
  createdAt: number;
  /** The platform's parsed payload, for diagnosis. */
  raw?: unknown;
}

/** What `handleWebhook` decided. */
export type WebhookVerdict =
  /** A verification handshake (WeChat GET echostr, Douyin challenge): answer `response`, store nothing. */
  | { kind: 'challenge'; response: WebhookResponse }
  /** A bad signature, a stale timestamp, an unparseable body: answer `response`, store nothing. */
  | { kind: 'rejected'; reason: string; response: WebhookResponse }
  /** Verified: the hub stores `messages` (possibly none, e.g. an event it does not keep), then answers `response`. */
  | { kind: 'accepted'; messages: InboundMessage[]; response: WebhookResponse };

/** What `sendMessage` sends (since 0.3). */
export interface SendMessageParams {
  /** The citizen, as InboundMessage.conversationId names them. */
  conversationId: string;
  text: string;
  /** Stable for every attempt of one reply, for `findMessage` after an ambiguous failure. */
  idempotencyKey: string;
}

/**
 * One post of the account as the platform lists it: made through Tongfa or natively in the platform's
 * own app. What `listPosts` and `getPostByUrl` return.
 */
export interface ListedPost {
  /**
   * The platform's id of the post, accepted by this plugin's other methods (publishStatus, retract,
   * fetchMetrics). It may differ from the remoteId publish() returned for the same post (WeChat names a
   * post by its publish task, its article and its message): to recognise posts made through Tongfa,
   * compare `url` as well.
   */
  remoteId: string;
  /** The title, where the platform's posts have one (articles, videos); absent for short posts. */
  title?: string;
  /**
   * The post's text as plain text (HTML removed): an article's body, a short post's text, a video's
   * caption. May be empty (an image post without words); long bodies may be shortened by the platform.
   */
  text: string;
  /** The public address of the post, as a reader would open it. */
  url: string;
  /** When the post was published (ms since epoch). Platforms that count in seconds give whole seconds. */
  publishedAt: number;
  kind?: PostKind;
  /**
   * Links the post carries besides its own address: WeChat's 阅读原文 (`content_source_url`), a 头条文章's
   * page, links in a short post's text as the platform returns them (possibly shortened, e.g. t.cn).
   */
  links?: string[];
  /** The remoteId of the post this one reposts (Weibo 转发), where the platform has reposts. */
  repostOf?: string;
}

/** What `listPosts` is asked for. */
export interface ListPostsParams {
  /** Only posts published at or after this time (ms since epoch); paging stops once the list is older. */
  since?: number;
  /** The `nextCursor` of the previous page; absent for the newest page. Opaque: only this plugin reads it. */
  cursor?: string;
  /** Most posts wanted; capped at the manifest's `postListing.maxPageSize`. A page may hold fewer. */
  limit?: number;
}

/** One page of an account's posts. */
export interface PostPage {
  /**
   * Newest first. Posts still in the platform's review, deleted or hidden are left out. Pages are read
   * from a live list: a post published between two calls may shift a post into the next page too, so
   * hosts dedupe by remoteId.
   */
  posts: ListedPost[];
  /** Present while older posts (at or after `since`) remain; pass it as `cursor` to read the next page. */
  nextCursor?: string;
}

/**
 * A platform plugin. Methods receive the call context the host builds per call and account; they throw
 * the SDK's typed errors (see errors.ts) so the host knows whether to retry, refresh, or give up.
 */
export interface Plugin<P = unknown> {
  manifest: PluginManifest;

  /** oauth2 only: the platform page to send the person to. `state` must be passed through untouched. */
  authorizeUrl?(ctx: AuthContext, params: { state: string; redirectUri: string }): string | Promise<string>;
  /** oauth2 only: trades the callback's code for credentials. */
  exchangeCode?(ctx: AuthContext, params: { code: string; redirectUri: string }): Promise<CredentialUpdate>;
  /**
   * Obtains fresh access credentials (refresh token, client-credential token, …). Called when a call
   * threw AuthExpiredError and ahead of `expiresAt`. Throw AuthExpiredError when a person must reconnect.
   */
  refreshCredentials(ctx: PluginContext): Promise<CredentialUpdate>;
  getProfile(ctx: PluginContext): Promise<Profile>;

  /**
   * Turns a manuscript version into this platform's payload. Must be PURE and deterministic: no I/O, no
   * clock, no randomness. The same input gives the same output today and on a retry next week, so previews
   * equal what is published.
   */
  render(input: ManuscriptInput, ctx: RenderContext): Rendition<P>;

  /**
   * Optional, PURE: what is wrong with an account's settings (defaults applied) beyond a `required`
   * one left empty, e.g. "siteUrl or linkTemplate", a value that must be an IP address. Hosts call
   * it through `settingIssues` when an account is connected or its settings are saved, and before
   * publishing, so a unit learns of a missing setting there rather than from a failed publish.
   */
  checkSettings?(settings: Readonly<Record<string, string | number | boolean>>): SettingIssue[];

  /**
   * Publishes a rendition. Checkpoint each committed step of a multi-step publish and resume from
   * `ctx.lastCheckpoint`; send `ctx.idempotencyKey` to the platform where possible.
   */
  publish(ctx: PluginContext, rendition: Rendition<P>): Promise<PublishResult>;
  /** Polls a `processing` publish. */
  publishStatus(ctx: PluginContext, remoteId: string): Promise<PublishStatus>;
  /**
   * Looks for a post made under `idempotencyKey` (after an ambiguous failure). Return null only when the
   * platform positively shows no such post; throw AmbiguousError when it cannot tell.
   */
  findExisting(ctx: PluginContext, idempotencyKey: string): Promise<PublishResult | null>;
  /** Deletes or hides a post. Required with the `retract` capability. Retracting a deleted post succeeds. */
  retract?(ctx: PluginContext, remoteId: string): Promise<void>;
  /** Replaces a post's content. Required with the `edit` capability. */
  edit?(ctx: PluginContext, remoteId: string, rendition: Rendition<P>): Promise<PublishResult>;
  /** Required with the `metrics` capability. */
  fetchMetrics?(ctx: PluginContext, remoteId: string): Promise<PostMetrics>;
  /**
   * A post's comments, newest first. Required with the `comments` capability. One call makes at most
   * one call of the platform's comment-list API (the quota `interaction.comments` declares); throws
   * RateLimitedError when it is spent, with retryAfterMs until it resets.
   */
  fetchComments?(ctx: PluginContext, remoteId: string, params?: FetchCommentsParams): Promise<CommentPage>;
  /**
   * The comments on all the account's posts in one list, newest first (since 0.3): Weibo's
   * comments/to_me. Required when `interaction.comments.accountComments` is true; the host then polls
   * once per account instead of once per post. One call makes at most one call of the platform's list
   * (the same quota, `interaction.comments.dailyCallsPerAccount`); throws RateLimitedError when it is
   * spent (retryAfterMs until it resets), AuthExpiredError, TransientError, PermanentError as elsewhere.
   * Comments on other accounts' posts never appear.
   */
  fetchAccountComments?(ctx: PluginContext, params?: FetchAccountCommentsParams): Promise<AccountCommentPage>;
  /**
   * Replies to a comment. Required with the `comments` capability. Send `opts.idempotencyKey` to the
   * platform where it keeps one; a lost response throws AmbiguousError and the host asks `findReply`.
   */
  reply?(ctx: PluginContext, remoteId: string, commentId: string, text: string, opts?: ReplyOptions): Promise<{ id: string }>;
  /**
   * After an ambiguous `reply`: the reply made under `idempotencyKey` (or, on platforms that keep no key,
   * the account's reply to that comment), or null when the platform positively shows none. Throw
   * AmbiguousError when it cannot tell (since 0.3).
   */
  findReply?(ctx: PluginContext, remoteId: string, commentId: string, idempotencyKey: string): Promise<{ id: string } | null>;
  /** Hides a comment from the public. Required when `interaction.comments.canHide` (since 0.3). */
  hideComment?(ctx: PluginContext, remoteId: string, commentId: string): Promise<void>;
  /** Deletes a comment; deleting a deleted comment succeeds. Required when `interaction.comments.canDelete` (since 0.3). */
  deleteComment?(ctx: PluginContext, remoteId: string, commentId: string): Promise<void>;
  /**
   * Verifies and parses one push of the platform's webhook (since 0.3; required with `messages`). Gets
   * the app-level credentials only and must not call the network: the platform waits a few seconds
   * (WeChat 5 s). Never throws for what the platform (or anyone) sent: a bad request is `rejected`.
   * Duplicates (a retried push) are the hub's to drop, by `messageId`.
   */
  handleWebhook?(ctx: WebhookContext, req: WebhookRequest): Promise<WebhookVerdict>;
  /**
   * Sends a private message to a citizen who wrote to the account (since 0.3; required with `messages`).
   * Throws PermanentError with the platform's code once the reply window has passed (WeChat 45015).
   */
  sendMessage?(ctx: PluginContext, params: SendMessageParams): Promise<{ id: string }>;
  /**
   * After an ambiguous `sendMessage`: the message sent under `idempotencyKey`, or null when the platform
   * positively shows none; AmbiguousError when it cannot tell. Optional: without it the host treats an
   * ambiguous send as unknown and asks a person (since 0.3).
   */
  findMessage?(ctx: PluginContext, params: { conversationId: string; idempotencyKey: string }): Promise<{ id: string } | null>;
  /**
   * The account's recent posts, newest first, including posts made outside Tongfa. Required with the
   * `listPosts` capability. One call makes at most one call of the platform's list API (the quota the
   * manifest's `postListing` declares). Throws RateLimitedError when the platform's quota is spent
   * (retryAfterMs until it resets), AuthExpiredError, TransientError, PermanentError as elsewhere.
   */
  listPosts?(ctx: PluginContext, params: ListPostsParams): Promise<PostPage>;
  /**
   * The post of THIS account that `url` points to, or null: for another account's post, a deleted or
   * unpublished post, a URL of another platform, or anything that is not a URL. Never throws for what a
   * person typed; may throw ContentInvalidError (constraint `url`) for a URL of this platform in a form it
   * cannot check (e.g. a short link), with a message telling the person what to submit instead. Required
   * with the `listPosts` capability; used to verify evidence a unit submits. May page through the list, up
   * to `postListing.maxCallsPerUrlCheck` calls.
   */
  getPostByUrl?(ctx: PluginContext, url: string): Promise<ListedPost | null>;
}

/**
 * A plugin whose payload type is not known here (hosts, the testing kit): payloads pass through
 * them opaquely, from render() to publish().
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the payload type varies per plugin
export type AnyPlugin = Plugin<any>;

const requiredByCapability: Array<[Capability, Array<keyof Plugin>]> = [
  ['retract', ['retract']],
  ['edit', ['edit']],
  ['metrics', ['fetchMetrics']],
  ['comments', ['fetchComments', 'reply']],
  ['messages', ['handleWebhook', 'sendMessage']],
  ['listPosts', ['listPosts', 'getPostByUrl']],
];

/**
 * Checks a plugin against its own manifest and returns it with a validated, frozen manifest. Throws one
 * readable error listing every problem: an invalid manifest, a declared capability without its method,
 * or oauth2 without authorizeUrl/exchangeCode.
 */
export function definePlugin<P>(plugin: Plugin<P>): Plugin<P> {
  const manifest = assertValidManifest(plugin.manifest);
  const problems: string[] = [];
  for (const m of ['refreshCredentials', 'getProfile', 'render', 'publish', 'publishStatus', 'findExisting'] as const) {
    if (typeof plugin[m] !== 'function') problems.push(`缺少方法 / missing method ${m}()`);
  }
  if (manifest.auth.kind === 'oauth2') {
    for (const m of ['authorizeUrl', 'exchangeCode'] as const) {
      if (typeof plugin[m] !== 'function') problems.push(`oauth2 插件须实现 / oauth2 plugins must implement ${m}()`);
    }
  }
  for (const [cap, methods] of requiredByCapability) {
    if (!manifest.capabilities.includes(cap)) continue;
    for (const m of methods) {
      if (typeof plugin[m] !== 'function')
        problems.push(`声明了 ${cap} 能力但缺少 / capability ${cap} declared but ${String(m)}() missing`);
    }
  }
  const commentRules = manifest.interaction?.comments;
  if (commentRules?.accountComments && typeof plugin.fetchAccountComments !== 'function')
    problems.push('interaction.comments.accountComments 为 true 但缺少 / accountComments declared but fetchAccountComments() missing');
  if (commentRules?.canHide && typeof plugin.hideComment !== 'function')
    problems.push('interaction.comments.canHide 为 true 但缺少 / canHide declared but hideComment() missing');
  if (commentRules?.canDelete && typeof plugin.deleteComment !== 'function')
    problems.push('interaction.comments.canDelete 为 true 但缺少 / canDelete declared but deleteComment() missing');
  if (problems.length) throw new Error(`插件 ${manifest.id} 不完整 / plugin ${manifest.id} is incomplete:\n  - ${problems.join('\n  - ')}`);
  // Keep the prototype so class-based plugins keep their methods and `this`.
  return Object.assign(Object.create(Object.getPrototypeOf(plugin) as object) as Plugin<P>, plugin, { manifest: deepFreeze(manifest) });
}

/** A problem with one per-account setting, named as the manifest names it. */
export interface SettingIssue {
  setting: string;
  message: LocalizedText;
}

/**
 * Every problem with an account's settings: each `required` setting left empty (after defaults),
 * then whatever the plugin's own `checkSettings` reports. The one rule hosts apply everywhere.
 */
export function settingIssues(
  plugin: Pick<Plugin, 'manifest' | 'checkSettings'>,
  raw: Readonly<Record<string, string | number | boolean | null | undefined>>,
): SettingIssue[] {
  const declared = plugin.manifest.settings ?? [];
  const settings: Record<string, string | number | boolean> = {};
  for (const s of declared) if (s.default !== undefined) settings[s.name] = s.default;
  for (const [k, v] of Object.entries(raw)) if (v !== null && v !== undefined) settings[k] = v;
  const issues: SettingIssue[] = [];
  for (const s of declared) {
    const v = settings[s.name];
    if (s.required && (v === undefined || (typeof v === 'string' && v.trim() === ''))) {
      issues.push({ setting: s.name, message: { zh: `必须填写“${s.label.zh}”`, en: `"${s.label.en}" is required` } });
    }
  }
  for (const issue of plugin.checkSettings?.(Object.freeze(settings)) ?? []) {
    if (!issues.some((i) => i.setting === issue.setting)) issues.push(issue);
  }
  return issues;
}

/** Whether the plugin declares a capability. */
export function hasCapability(plugin: Pick<Plugin, 'manifest'>, capability: Capability): boolean {
  return plugin.manifest.capabilities.includes(capability);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/** Re-exported so plugin authors import everything from one place. */
export type { Credentials };
