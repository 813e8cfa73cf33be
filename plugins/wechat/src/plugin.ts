import {
  AmbiguousError,
  ContentInvalidError,
  countWith,
  definePlugin,
  errorKind,
  PermanentError,
  RejectedByReviewError,
  TransientError,
  utf8Bytes,
  type JsonValue,
  type PluginContext,
  type PostComment,
  type PostMetrics,
  type PublishResult,
  type PublishStatus,
  type Rendition,
} from '@tongfa/plugin-sdk';
import { accessToken, beijingDate, call, endOfBeijingDay, unwrap, upload } from './api';
import { getPostByUrl, listPosts } from './listing';
import { LIMITS, manifest } from './manifest';
import { handleWechatWebhook } from './messages';
import { decodeRemoteId, encodeRemoteId, msgDataIdFromUrl, type RemoteRef } from './remote-id';
import { assetMarker, MARKER_PARAM, renderWechat, type WechatPayload } from './render';

/**
 * Progress of one publish, checkpointed after every step that committed something on WeChat, and
 * just before the two steps whose duplicates matter (draft/add, freepublish/submit), so a retry
 * looks for what an unanswered request may have created instead of creating it twice.
 */
export interface Progress {
  /** Inline image asset key → mmbiz URL from uploadimg. */
  images: Record<string, string>;
  /** Permanent image material used as thumb_media_id. */
  coverMediaId?: string;
  draftSent?: boolean;
  draftMediaId?: string;
  submitSent?: boolean;
  publishId?: string;
  msgDataId?: string;
}

interface NewsItem {
  title?: string;
  content_source_url?: string;
  url?: string;
  is_deleted?: boolean;
}

interface PublishGet {
  publish_id?: string | number;
  publish_status: number;
  article_id?: string;
  article_detail?: { count: number; item: Array<{ idx: number; article_url: string }> };
  fail_idx?: number[];
}

const PAGE = 20;

/** Puts the idempotency key into the 阅读原文 URL, which WeChat stores and returns with the article. */
export function withMarker(base: string, key: string): string {
  const u = new URL(base);
  u.searchParams.set(MARKER_PARAM, key);
  return u.toString();
}

export function markerOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).searchParams.get(MARKER_PARAM) ?? undefined;
  } catch {
    return undefined;
  }
}

const scanLimit = (ctx: PluginContext) => {
  const n = Number(ctx.settings.findExistingScan ?? 200);
  return Number.isFinite(n) && n > 0 ? n : 200;
};

/**
 * Looks through freepublish/batchget (newest first) for the article carrying `key`. `unknown` when
 * the scan limit ran out before the list did: the post may be older than what was scanned.
 */
async function findPublished(ctx: PluginContext, key: string): Promise<{ articleId: string; url?: string } | null | 'unknown'> {
  const limit = scanLimit(ctx);
  for (let offset = 0; offset < limit; offset += PAGE) {
    const page = await call<{
      total_count: number;
      item_count: number;
      item?: Array<{ article_id: string; content: { news_item: NewsItem[] } }>;
    }>(ctx, '/cgi-bin/freepublish/batchget', { offset, count: PAGE, no_content: 1 });
    for (const it of page.item ?? []) {
      const news = it.content?.news_item ?? [];
      const hit = news.find((n) => markerOf(n.content_source_url) === key && !n.is_deleted);
      if (hit) return { articleId: String(it.article_id), url: hit.url };
    }
    if (offset + PAGE >= page.total_count || !page.item?.length) return null;
  }
  return 'unknown';
}

/** Looks through draft/batchget for a draft carrying `key` (a draft/add whose answer was lost). */
async function findDraft(ctx: PluginContext, key: string): Promise<string | null | 'unknown'> {
  const limit = scanLimit(ctx);
  for (let offset = 0; offset < limit; offset += PAGE) {
    const page = await call<{
      total_count: number;
      item?: Array<{ media_id: string; content: { news_item: NewsItem[] } }>;
    }>(ctx, '/cgi-bin/draft/batchget', { offset, count: PAGE, no_content: 1 });
    for (const it of page.item ?? []) {
      if ((it.content?.news_item ?? []).some((n) => markerOf(n.content_source_url) === key)) return String(it.media_id);
    }
    if (offset + PAGE >= page.total_count || !page.item?.length) return null;
  }
  return 'unknown';
}

/** Whether a draft is still in the draft box (a submitted draft leaves it). */
async function draftExists(ctx: PluginContext, mediaId: string): Promise<boolean> {
  try {
    await call(ctx, '/cgi-bin/draft/get', { media_id: mediaId });
    return true;
  } catch (e) {
    if ((e as { platformCode?: unknown }).platformCode === 40007) return false;
    throw e;
  }
}

function statusOf(r: PublishGet): PublishStatus {
  const url = r.article_detail?.item?.[0]?.article_url;
  switch (Number(r.publish_status)) {
    case 0:
      return { status: 'published', url };
    case 1:
      return { status: 'processing' };
    case 2:
      return { status: 'rejected', reason: '原创声明校验未通过 / original-content claim failed' };
    case 3:
      return { status: 'failed', reason: '微信发布失败 / publishing failed' };
    case 4:
      return { status: 'rejected', reason: '平台审核不通过 / rejected by the platform review' };
    case 5:
      return { status: 'deleted', reason: '文章已被删除 / deleted' };
    case 6:
      return { status: 'deleted', reason: '文章已被系统封禁 / banned by the platform' };
    default:
      return { status: 'failed', reason: `未知发布状态 ${r.publish_status} / unknown publish_status` };
  }
}

const getPublish = (ctx: PluginContext, publishId: string) => call<PublishGet>(ctx, '/cgi-bin/freepublish/get', { publish_id: publishId });

/** WeChat ids are numbers in some answers and strings in others; send numbers where they are numeric. */
const idValue = (id: string): string | number => (/^\d{1,15}$/.test(id) ? Number(id) : id);

async function uploadAll(ctx: PluginContext, rendition: Rendition<WechatPayload>, progress: Progress, save: () => Promise<void>) {
  const p = rendition.payload;
  for (const key of p.imageKeys) {
    if (progress.images[key]) continue; // uploaded by an earlier attempt
    const asset = rendition.assets.find((a) => a.key === key);
    if (!asset) throw new PermanentError({ en: `rendition has no asset ${key}`, zh: `渲染结果缺少图片 ${key}` });
    const img = await ctx.images.fit(asset.ref, asset.spec);
    const ext = img.format === 'png' ? 'png' : 'jpg';
    const r = await upload<{ url: string }>(
      ctx,
      '/cgi-bin/media/uploadimg',
      {},
      { name: 'media', filename: `${key}.${ext}`, contentType: `image/${img.format}`, data: img.bytes },
      { uploadField: `images[${key.replace(/^image-/, '')}]` },
    );
    progress.images[key] = r.url;
    await save();
  }
  if (!progress.coverMediaId) {
    const asset = rendition.assets.find((a) => a.key === p.coverKey);
    if (!asset) throw new ContentInvalidError([{ constraint: 'cover.required', message: '缺少封面图 / cover missing' }]);
    const img = await ctx.images.fit(asset.ref, asset.spec);
    const ext = img.format === 'png' ? 'png' : 'jpg';
    const r = await upload<{ media_id: string }>(
      ctx,
      '/cgi-bin/material/add_material',
      { type: 'image' },
      { name: 'media', filename: `cover.${ext}`, contentType: `image/${img.format}`, data: img.bytes },
      { uploadField: 'cover' },
    );
    progress.coverMediaId = String(r.media_id);
    await save();
  }
}

function article(ctx: PluginContext, p: WechatPayload, progress: Progress) {
  let content = p.content;
  for (const key of p.imageKeys) content = content.split(assetMarker(key)).join(progress.images[key]);
  const chars = countWith('utf16', content);
  if (chars > LIMITS.contentChars || utf8Bytes(content) > LIMITS.contentBytes) {
    throw new ContentInvalidError([
      {
        constraint: 'body.max',
        message: `加入图片地址后正文超过微信限制（${chars} 字符）/ content too long once image URLs are in (${chars})`,
        limit: LIMITS.contentChars,
        actual: chars,
      },
    ]);
  }
  return {
    article_type: 'news',
    title: p.title,
    author: p.author,
    digest: p.digest,
    content,
    content_source_url: withMarker(p.contentSourceUrl, ctx.idempotencyKey),
    thumb_media_id: progress.coverMediaId,
    need_open_comment: p.needOpenComment,
    only_fans_can_comment: p.onlyFansCanComment,
  };
}

/** After a submit whose answer never came: published, still publishing, or never submitted (null). */
async function resumeSubmit(ctx: PluginContext, progress: Progress): Promise<PublishResult | null> {
  const found = await findPublished(ctx, ctx.idempotencyKey);
  if (found === 'unknown')
    throw new AmbiguousError({ zh: '无法确认此前的发布请求是否成功', en: 'cannot tell whether the earlier submit went through' });
  if (found) {
    return {
      remoteId: encodeRemoteId({ articleId: found.articleId, msgDataId: msgDataIdFromUrl(found.url) }),
      url: found.url,
      status: 'published',
    };
  }
  if (await draftExists(ctx, progress.draftMediaId!)) return null;
  // The draft left the box, so WeChat took the submit; the article is listed once publishing ends.
  return { remoteId: encodeRemoteId({ key: ctx.idempotencyKey }), status: 'processing' };
}

async function publish(ctx: PluginContext, rendition: Rendition<WechatPayload>): Promise<PublishResult> {
  const p = rendition.payload;
  const progress: Progress = { images: {}, ...(ctx.lastCheckpoint as unknown as Progress | undefined) };
  const save = () => ctx.checkpoint(structuredClone(progress) as unknown as JsonValue);
  accessToken(ctx);

  await uploadAll(ctx, rendition, progress, save);

  if (!progress.draftMediaId && progress.draftSent) {
    const found = await findDraft(ctx, ctx.idempotencyKey);
    if (found === 'unknown')
      throw new AmbiguousError({ zh: '无法确认此前的草稿是否已创建', en: 'cannot tell whether the earlier draft/add went through' });
    if (found) {
      progress.draftMediaId = found;
      await save();
    }
  }
  if (!progress.draftMediaId) {
    const a = article(ctx, p, progress);
    progress.draftSent = true;
    await save();
    const r = await call<{ media_id: string }>(ctx, '/cgi-bin/draft/add', { articles: [a] });
    progress.draftMediaId = String(r.media_id);
    await save();
  }

  if (!progress.publishId) {
    if (progress.submitSent) {
      const resumed = await resumeSubmit(ctx, progress);
      if (resumed) return resumed;
    }
    progress.submitSent = true;
    await save();
    const r = await call<{ publish_id: string | number; msg_data_id?: string | number }>(ctx, '/cgi-bin/freepublish/submit', {
      media_id: progress.draftMediaId,
    });
    if (r.publish_id === undefined || r.publish_id === null || r.publish_id === '') {
      throw new AmbiguousError({ en: 'freepublish/submit answered without a publish_id', zh: '发布接口未返回 publish_id' });
    }
    progress.publishId = String(r.publish_id);
    if (r.msg_data_id !== undefined && r.msg_data_id !== null) progress.msgDataId = String(r.msg_data_id);
    await save();
  }

  const remoteId = encodeRemoteId({ publishId: progress.publishId, msgDataId: progress.msgDataId });
  let st: PublishStatus;
  try {
    st = statusOf(await getPublish(ctx, progress.publishId));
  } catch (e) {
    // The submit is committed and checkpointed: whatever stopped this first look, the host polls.
    ctx.log.warn('freepublish/get after submit failed; leaving it to publishStatus', { kind: errorKind(e) ?? 'unknown' });
    return { remoteId, status: 'processing' };
  }
  if (st.status === 'published') return { remoteId, url: st.url, status: 'published' };
  if (st.status === 'processing') return { remoteId, status: 'processing' };
  if (st.status === 'rejected') throw new RejectedByReviewError(st.reason);
  throw new PermanentError({ zh: `微信发布未成功：${st.reason}`, en: `WeChat publish did not succeed: ${st.reason}` });
}

async function findExisting(ctx: PluginContext, key: string): Promise<PublishResult | null> {
  const cp = ctx.lastCheckpoint as unknown as Progress | undefined;
  if (cp?.publishId) return { remoteId: encodeRemoteId({ publishId: cp.publishId, msgDataId: cp.msgDataId }), status: 'processing' };
  const found = await findPublished(ctx, key);
  if (found === 'unknown') throw new AmbiguousError({ zh: '已发布文章过多，无法确认', en: 'too many published items to tell' });
  if (found) {
    return {
      remoteId: encodeRemoteId({ articleId: found.articleId, msgDataId: msgDataIdFromUrl(found.url) }),
      url: found.url,
      status: 'published',
    };
  }
  if (cp?.submitSent && cp.draftMediaId && !(await draftExists(ctx, cp.draftMediaId))) {
    return { remoteId: encodeRemoteId({ key }), status: 'processing' };
  }
  return null;
}

async function publishStatus(ctx: PluginContext, remoteId: string): Promise<PublishStatus> {
  const ref = decodeRemoteId(remoteId);
  if (ref.publishId) return statusOf(await getPublish(ctx, ref.publishId));
  if (ref.articleId) {
    const r = await getArticle(ctx, ref.articleId);
    if (!r) return { status: 'deleted' };
    const item = r.news_item?.[0];
    return item?.is_deleted ? { status: 'deleted' } : { status: 'published', url: item?.url };
  }
  if (ref.key) {
    const found = await findPublished(ctx, ref.key);
    return found && found !== 'unknown' ? { status: 'published', url: found.url } : { status: 'processing' };
  }
  throw new PermanentError({ zh: `无法识别的远端 ID：${remoteId}`, en: `unrecognised remote id ${remoteId}` });
}

async function getArticle(ctx: PluginContext, articleId: string): Promise<{ news_item?: NewsItem[] } | null> {
  try {
    return await call<{ news_item?: NewsItem[] }>(ctx, '/cgi-bin/freepublish/getarticle', { article_id: articleId });
  } catch (e) {
    if ((e as { platformCode?: unknown }).platformCode === 53600) return null;
    throw e;
  }
}

/** The article_id and URL of a post, or null when there is nothing (left) to act on. */
async function resolveArticle(ctx: PluginContext, ref: RemoteRef): Promise<{ articleId: string; url?: string } | null> {
  if (ref.articleId) return { articleId: ref.articleId };
  if (ref.publishId) {
    const r = await getPublish(ctx, ref.publishId);
    const st = Number(r.publish_status);
    if (st === 1) throw new TransientError({ zh: '文章仍在发布中，稍后再试', en: 'still publishing; try again later' });
    if (st !== 0 || !r.article_id) return null;
    return { articleId: String(r.article_id), url: r.article_detail?.item?.[0]?.article_url };
  }
  if (ref.key) {
    const found = await findPublished(ctx, ref.key);
    if (found === 'unknown' || !found) {
      throw new TransientError({ zh: '尚未在已发布列表中找到该文章', en: 'the article is not listed as published yet' });
    }
    return found;
  }
  return null;
}

async function msgDataIdOf(ctx: PluginContext, remoteId: string): Promise<string> {
  const ref = decodeRemoteId(remoteId);
  if (ref.msgDataId) return ref.msgDataId;
  const art = await resolveArticle(ctx, ref);
  let url = art?.url;
  if (art && !url) url = (await getArticle(ctx, art.articleId))?.news_item?.[0]?.url;
  const id = msgDataIdFromUrl(url);
  if (!id) throw new PermanentError({ zh: '无法确定文章的 msg_data_id', en: 'cannot determine the msg_data_id of this article' });
  return id;
}

interface SummaryRow {
  ref_date: string;
  msgid: string;
  int_page_read_count?: number;
  share_count?: number;
  add_to_fav_count?: number;
}

interface WxComment {
  user_comment_id: number | string;
  create_time: number;
  content: string;
  openid?: string;
  reply?: { content?: string; create_time?: number };
}

/** Pages of comments findReply reads before it gives up as unsure. */
const COMMENT_SCAN_PAGES = 5;

/**
 * WeChat numbers comments per article (user_comment_id 1, 2, 3 … in each), while the SDK wants ids unique
 * per account: the id we give out is `<msg_data_id>_<user_comment_id>`. A bare number (ids handed out
 * before this) is taken as the user_comment_id of the post asked about.
 */
const commentIdOf = (msgDataId: string, c: WxComment) => `${msgDataId}_${String(c.user_comment_id)}`;

function userCommentId(msgDataId: string, commentId: string): string {
  const m = /^(\d+)_(\d+)$/.exec(commentId);
  if (!m) return commentId;
  if (m[1] !== msgDataId) {
    throw new PermanentError({ zh: '该留言不属于这篇文章', en: `comment ${commentId} is not on article ${msgDataId}` });
  }
  return m[2]!;
}

const toComment =
  (remoteId: string, msgDataId: string) =>
  (c: WxComment): PostComment => ({
    id: commentIdOf(msgDataId, c),
    postRemoteId: remoteId,
    text: c.content,
    // WeChat gives no reader names, only the openid.
    author: c.openid ?? '读者',
    ...(c.openid ? { authorId: c.openid } : {}),
    createdAt: Number(c.create_time) * 1000,
    reply: c.reply?.content
      ? { id: `${commentIdOf(msgDataId, c)}-reply`, text: c.reply.content, createdAt: Number(c.reply.create_time ?? 0) * 1000 }
      : undefined,
  });

export const wechatPlugin = definePlugin<WechatPayload>({
  manifest,

  async refreshCredentials(ctx) {
    const req = (force: boolean) =>
      ctx.http.request({
        method: 'POST',
        url: `${ctx.endpoints.api}/cgi-bin/stable_token`,
        json: { grant_type: 'client_credential', appid: ctx.credentials.appid, secret: ctx.credentials.secret, force_refresh: force },
      });
    let r = unwrap<{ access_token: string; expires_in: number }>(await req(false), ctx.clock.now());
    // Normal mode hands back the current token while WeChat thinks it valid; the host asks because it
    // was refused or is about to expire, so force a new one (the old one keeps working for 5 minutes).
    if (r.access_token === ctx.credentials.accessToken) r = unwrap(await req(true), ctx.clock.now());
    return { credentials: { accessToken: r.access_token }, expiresAt: ctx.clock.now() + Number(r.expires_in) * 1000 };
  },

  async getProfile(ctx) {
    // The API has no "who am I" for an account's own token; this cheap call proves the token works.
    const res = await ctx.http.request({
      method: 'GET',
      url: `${ctx.endpoints.api}/cgi-bin/get_api_domain_ip`,
      query: { access_token: accessToken(ctx) },
    });
    unwrap(res, ctx.clock.now());
    const appid = ctx.credentials.appid;
    return { platformAccountId: appid, name: ctx.credentials.accountName || appid };
  },

  render: renderWechat,
  publish,
  publishStatus,
  findExisting,

  async retract(ctx, remoteId) {
    const ref = decodeRemoteId(remoteId);
    const art = await resolveArticle(ctx, ref);
    if (!art) return; // never published, or already deleted or banned
    try {
      // index 0 deletes every article of the item; a listed post of a multi-article item names its own.
      await call(ctx, '/cgi-bin/freepublish/delete', { article_id: art.articleId, index: ref.idx ?? 0 });
    } catch (e) {
      // 53600: the article_id is no longer valid, i.e. the article is gone; retracting is idempotent.
      if ((e as { platformCode?: unknown }).platformCode === 53600) return;
      throw e;
    }
  },

  async fetchMetrics(ctx, remoteId): Promise<PostMetrics> {
    const msgDataId = await msgDataIdOf(ctx, remoteId);
    const now = ctx.clock.now();
    // Yesterday's figures are ready after 08:00 Beijing time; before that, the day before is the latest.
    const beijingHour = new Date(now + 8 * 3600_000).getUTCHours();
    const day = beijingDate(now, beijingHour < 8 ? -2 : -1);
    const r = await call<{ list?: SummaryRow[] }>(ctx, '/datacube/getarticlesummary', { begin_date: day, end_date: day });
    const row = (r.list ?? []).find((x) => String(x.msgid).split('_')[0] === msgDataId);
    const asOf = endOfBeijingDay(day);
    if (!row) return { asOf };
    return { views: row.int_page_read_count ?? 0, shares: row.share_count ?? 0, favorites: row.add_to_fav_count ?? 0, asOf };
  },

  async fetchComments(ctx, remoteId, params) {
    const msgDataId = await msgDataIdOf(ctx, remoteId);
    const begin = Math.max(0, Number(params?.cursor ?? 0) || 0);
    const count = Math.max(1, Math.min(LIMITS.commentPage, params?.limit ?? LIMITS.commentPage));
    const r = await call<{ comment?: WxComment[]; total?: number }>(ctx, '/cgi-bin/comment/list', {
      msg_data_id: idValue(msgDataId),
      index: 0,
      begin,
      count,
      type: 0,
    });
    const list = r.comment ?? [];
    const since = params?.since;
    const items = list.map(toComment(remoteId, msgDataId)).filter((c) => since === undefined || c.createdAt >= since);
    const next = begin + list.length;
    // Newest first: once a page reaches past `since`, older pages hold nothing wanted.
    const more = list.length > 0 && next < Number(r.total ?? 0) && items.length === list.length;
    return { items, nextCursor: more ? String(next) : undefined };
  },

  listPosts,
  getPostByUrl,

  async reply(ctx, remoteId, commentId, text) {
    // WeChat keeps one reply per comment and no key of ours: findReply looks for that reply.
    const msgDataId = await msgDataIdOf(ctx, remoteId);
    await call(ctx, '/cgi-bin/comment/reply/add', {
      msg_data_id: idValue(msgDataId),
      index: 0,
      user_comment_id: idValue(userCommentId(msgDataId, commentId)),
      content: text,
    });
    return { id: `${commentId}-reply` };
  },

  async findReply(ctx, remoteId, commentId) {
    const msgDataId = await msgDataIdOf(ctx, remoteId);
    const wanted = userCommentId(msgDataId, commentId);
    let begin = 0;
    for (let page = 0; page < COMMENT_SCAN_PAGES; page++) {
      const r = await call<{ comment?: WxComment[]; total?: number }>(ctx, '/cgi-bin/comment/list', {
        msg_data_id: idValue(msgDataId),
        index: 0,
        begin,
        count: LIMITS.commentPage,
        type: 0,
      });
      const list = r.comment ?? [];
      const c = list.find((x) => String(x.user_comment_id) === wanted);
      if (c) return c.reply?.content ? { id: `${commentId}-reply` } : null;
      begin += list.length;
      if (list.length === 0 || begin >= Number(r.total ?? 0)) return null; // the comment is gone: no reply to find
    }
    throw new AmbiguousError({ zh: '留言过多，无法确认回复是否已发出', en: `comment ${commentId} not within the scanned pages` });
  },

  async deleteComment(ctx, remoteId, commentId) {
    const msgDataId = await msgDataIdOf(ctx, remoteId);
    try {
      await call(ctx, '/cgi-bin/comment/delete', {
        msg_data_id: idValue(msgDataId),
        index: 0,
        user_comment_id: idValue(userCommentId(msgDataId, commentId)),
      });
    } catch (e) {
      if ((e as { platformCode?: unknown }).platformCode === 88003) return; // already deleted
      throw e;
    }
  },

  handleWebhook: handleWechatWebhook,

  async sendMessage(ctx, params) {
    // 客服消息: allowed within 48 hours of the citizen's last message; WeChat returns no message id.
    await call(ctx, '/cgi-bin/message/custom/send', {
      touser: params.conversationId,
      msgtype: 'text',
      text: { content: params.text },
    });
    return { id: `cs-${params.idempotencyKey}` };
  },
});
