import {
  AmbiguousError,
  definePlugin,
  fitSpecFor,
  fitText,
  imageIssues,
  PermanentError,
  type AssetRequest,
  type ConstraintIssue,
  type PluginContext,
  type PluginManifest,
  type PostComment,
  type PublishResult,
  type PublishStatus,
} from '@tongfa/plugin-sdk';
import { connectUrl, exchangeCode, refreshUserToken, unwrap, userAuth, type CallTopic } from '@tongfa/douyin-openapi';
import { getPostByUrl, listPosts, type ListingDeps } from './listing';
import { handleDouyinWebhook } from './messages';
import { asJson, planVideo, uploadVideo, type UploadState, type VideoPlan } from '@tongfa/douyin-openapi';

export { createDouyinSimulator, type DouyinSimulatorOptions } from './simulator';

/** What render() produces: one video post or one 图文 (image-text) post. */
export interface DouyinPayload {
  kind: 'video' | 'image_text';
  /** The `text` field: the post's title as Douyin shows it. */
  text: string;
  video?: VideoPlan;
  /** Custom video cover, uploaded as an image (`custom_cover_image_url`). */
  coverKey?: string;
  /** 图文 images, in order. */
  imageKeys: string[];
}

/** Checkpointed progress of one publish. */
interface Progress extends UploadState {
  cover_image_id?: string;
  image_ids?: string[];
  /** 图文 only: when create_image_text was first sent and with which text, for findExisting. */
  creating_at?: number;
  creating_text?: string;
  item_id?: string;
}

const API = '/api/douyin/v1/video';
const TEXT_MAX = 30;

export const manifest: PluginManifest = {
  id: 'douyin',
  name: { zh: '抖音', en: 'Douyin' },
  version: '0.1.0',
  sdk: '^0.1.0',
  auth: {
    kind: 'oauth2',
    scopes: ['user_info', 'video.create.bind', 'video.data.bind', 'video.list.bind', 'video.delete.bind', 'item.comment'],
  },
  credentials: [
    { name: 'client_key', label: { zh: '应用 Client Key', en: 'Client key' }, secret: false, required: true, scope: 'app' },
    { name: 'client_secret', label: { zh: '应用 Client Secret', en: 'Client secret' }, secret: true, required: true, scope: 'app' },
    // Obtained through the OAuth flow, never typed in.
    { name: 'access_token', label: { zh: '用户访问令牌', en: 'User access token' }, secret: true, required: false },
    { name: 'refresh_token', label: { zh: '刷新令牌', en: 'Refresh token' }, secret: true, required: false },
    { name: 'open_id', label: { zh: '用户 open_id', en: 'User open_id' }, secret: false, required: false },
    { name: 'access_expires_at', label: { zh: '访问令牌到期时间', en: 'Access token expiry' }, secret: false, required: false },
    { name: 'refresh_expires_at', label: { zh: '刷新令牌到期时间', en: 'Refresh token expiry' }, secret: false, required: false },
  ],
  capabilities: ['video', 'image_text', 'retract', 'metrics', 'comments', 'messages', 'listPosts'],
  constraints: {
    // Douyin documents no limit for `text`; 30 is the creator tools' title rule [S], counted per code point [I].
    title: { min: 1, max: TEXT_MAX, counter: 'codePoints' },
    cover: {
      maxCount: 1,
      formats: ['jpeg', 'png'],
      maxBytes: 10_000_000,
      maxWidth: 4096,
      maxHeight: 4096,
      // The open platform documents no cover shape (720p vertical video is recommended [V: DY-upload]);
      // the profile's grid of works shows covers upright, 3:4 assumed [I]. Uploaded whole.
      display: {
        aspect: { width: 3, height: 4 },
        basis: 'assumed',
        note: {
          zh: '抖音未公开封面显示比例，按作品列表的 3:4 竖版估计',
          en: 'Douyin documents no cover shape; 3:4 upright, as in the grid of works, is assumed',
        },
      },
    },
    images: { maxCount: 30, formats: ['jpeg', 'png'], maxBytes: 10_000_000, maxWidth: 4096, maxHeight: 4096 },
    video: { maxBytes: 4 * 1024 * 1024 * 1024, maxDurationSec: 900, formats: ['mp4', 'webm'] },
  },
  // No public numbers (per-scope console quotas); conservative guesses [I].
  rateLimits: {
    perApp: { tokens: 600, intervalMs: 60_000 },
    perAccount: { tokens: 20, intervalMs: 60_000 },
  },
  allowedHosts: ['open.douyin.com'],
  endpoints: { open: 'https://open.douyin.com' },
  interaction: {
    comments: {
      // item/comment/list (scope item.comment): per-scope console quotas, no public numbers; assumed.
      dailyCallsPerAccount: 200,
      quotaBasis: 'assumed',
      quotaSource: 'Douyin sets per-scope quotas in the developer console and publishes no numbers; 200/day assumed',
      quotaResetTimeZone: 'Asia/Shanghai',
      maxPageSize: 50,
      // The open platform's comment scopes offer list, reply list, reply and (企业号 only) top; no API
      // deletes or hides a citizen's comment, so neither is declared.
      canHide: false,
      canDelete: false,
      replyMaxChars: 100,
      replyCounter: 'codePoints',
      notes: {
        zh: '按作品轮询一级评论（item/comment/list），楼中楼回复经 item/comment/reply/list 查询；回复长度上限未公开，按 100 字设定；开放平台无删除或隐藏评论的接口，须在抖音客户端处理',
        en: 'Top-level comments are polled per item; replies are read with item/comment/reply/list; the reply length limit is unpublished, 100 assumed; the open platform has no API to delete or hide a comment: do it in the Douyin app',
      },
    },
    messages: {
      // Not in the platform facts: the 48-hour window is assumed like WeChat's, and the send path is a setting.
      replyWindowHours: 48,
      replyMaxChars: 500,
      replyCounter: 'codePoints',
      signature: {
        zh: '请求头 X-Douyin-Signature = sha1(client_secret + 原始请求体)；verify_webhook 事件须原样回显 challenge',
        en: 'header X-Douyin-Signature = sha1(client_secret + raw body); the verify_webhook event is answered by echoing challenge',
      },
      retries: {
        zh: '未及时应答时抖音重试推送，请求头 Msg-Id 不变，由统发去重',
        en: 'Douyin retries a push not answered in time with the same Msg-Id header, deduplicated by the hub',
      },
      notes: {
        zh: '私信接口路径与 48 小时回复时限未经核实（可在设置中修改路径）；须另行开通私信权限',
        en: 'The send path and the 48-hour window are not verified (the path is a setting); needs the private-message permission granted separately',
      },
    },
  },
  postListing: {
    // video_list (scope video.list.bind): quotas are per scope in the developer console, no public
    // numbers [V: DY-glossary]; 100 a day is our conservative guess.
    dailyCallsPerAccount: 100,
    quotaBasis: 'assumed',
    quotaSource: 'Douyin sets per-scope quotas in the developer console and publishes no numbers; 100/day assumed',
    quotaResetTimeZone: 'Asia/Shanghai',
    // count per page: 20 assumed (the simulator refuses more) [I].
    maxPageSize: 20,
    maxCallsPerUrlCheck: 5,
    postUrlHosts: ['www.douyin.com', 'douyin.com', 'm.douyin.com', 'www.iesdouyin.com', 'iesdouyin.com', 'v.douyin.com'],
    notes: {
      zh: '列表只含审核通过、公开的作品；v.douyin.com 短链接无法核验，须提交完整链接',
      en: 'Lists reviewed, public posts only; v.douyin.com short links cannot be verified, full addresses can',
    },
  },
  settings: [
    { name: 'textMaxLength', label: { zh: '标题字数上限（只能调低）', en: 'Text limit (may only lower 30)' }, default: TEXT_MAX },
    { name: 'partBytes', label: { zh: '分片大小（字节，≥5 MB）', en: 'Part size (bytes, ≥5 MB)' }, default: 20 * 1024 * 1024 },
    { name: 'chunkAboveBytes', label: { zh: '超过此大小分片上传（字节）', en: 'Chunk uploads above (bytes)' }, default: 50 * 1024 * 1024 },
    { name: 'rateLimitRetryMs', label: { zh: '限流后等待（毫秒）', en: 'Wait after a frequency limit (ms)' }, default: 60_000 },
    {
      name: 'renewRefreshWithinMs',
      label: { zh: '刷新令牌到期前多久续期（毫秒）', en: 'Renew the refresh token this long before expiry (ms)' },
      default: 5 * 86_400_000,
    },
    {
      name: 'imSendPath',
      label: {
        zh: '私信发送接口路径（未经核实，可按开放平台文档修改）',
        en: 'Private-message send path (unverified; adjust to the open platform docs)',
      },
      default: '/im/send/msg/',
    },
    {
      name: 'scopes',
      label: { zh: '授权范围（逗号分隔，留空用默认）', en: 'OAuth scopes (comma-separated; empty: default)' },
      default: '',
    },
  ],
};

const base = (ctx: Pick<PluginContext, 'endpoints'>) => ctx.endpoints.open.replace(/\/$/, '');
const mapOpts = (ctx: PluginContext, topic: CallTopic = 'other') => ({
  clock: ctx.clock,
  retryAfterMs: Number(ctx.settings.rateLimitRetryMs) || 60_000,
  topic,
});

interface VideoItem {
  item_id: string;
  video_id?: string;
  title?: string;
  create_time?: number;
  video_status?: number;
  media_type?: number;
  share_url?: string;
  statistics?: Partial<Record<'play_count' | 'digg_count' | 'comment_count' | 'share_count' | 'forward_count' | 'download_count', number>>;
}

async function videoData(ctx: PluginContext, itemId: string): Promise<VideoItem | undefined> {
  const auth = userAuth(ctx);
  const res = await ctx.http.request({
    method: 'POST',
    url: `${base(ctx)}${API}/video_data/`,
    headers: auth.headers,
    query: auth.query,
    json: { item_ids: [itemId] },
  });
  return unwrap<{ list?: VideoItem[] }>(res, mapOpts(ctx)).list?.find((v) => String(v.item_id) === itemId);
}

function statusOf(v: VideoItem | undefined): PublishStatus {
  if (!v) return { status: 'deleted' };
  switch (v.video_status) {
    case 1:
    case 5:
      return { status: 'published', url: v.share_url };
    case 2:
      return { status: 'rejected', reason: '抖音审核：不适宜公开 / Douyin review: not suitable for public' };
    default:
      return { status: 'processing' };
  }
}

function resultOf(v: VideoItem): PublishResult {
  const s = statusOf(v);
  return { remoteId: String(v.item_id), url: s.url, status: s.status === 'published' ? 'published' : 'processing' };
}

/** Pages through the user's posts (newest first) until `match` finds one or the pages run out. */
async function scanVideos(
  ctx: PluginContext,
  match: (v: VideoItem) => boolean,
  stop: (v: VideoItem) => boolean,
): Promise<VideoItem | null> {
  const auth = userAuth(ctx);
  let cursor = 0;
  for (let page = 0; page < 10; page++) {
    const res = await ctx.http.request({
      method: 'GET',
      url: `${base(ctx)}${API}/video_list/`,
      headers: auth.headers,
      query: { ...auth.query, cursor, count: 20 },
    });
    const d = unwrap<{ list?: VideoItem[]; cursor?: number; has_more?: boolean }>(res, mapOpts(ctx));
    for (const v of d.list ?? []) {
      if (match(v)) return v;
      if (stop(v)) return null;
    }
    if (!d.has_more) return null;
    cursor = Number(d.cursor ?? 0);
  }
  throw new AmbiguousError({ zh: '作品列表过长，无法确认是否已发布', en: 'video list too long to tell whether the post exists' });
}

const listing: ListingDeps = {
  base,
  mapOpts: (ctx) => mapOpts(ctx),
  maxPageSize: manifest.postListing!.maxPageSize,
  postUrlHosts: manifest.postListing!.postUrlHosts,
  urlCheckPages: manifest.postListing!.maxCallsPerUrlCheck,
};

export const douyinPlugin = definePlugin<DouyinPayload>({
  manifest,

  authorizeUrl(ctx, { state, redirectUri }) {
    const configured = String(ctx.settings.scopes ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return connectUrl(base(ctx), ctx.credentials.client_key, configured.length ? configured : manifest.auth.scopes!, state, redirectUri);
  },

  exchangeCode(ctx, { code }) {
    return exchangeCode(ctx, base(ctx), code);
  },

  refreshCredentials(ctx) {
    return refreshUserToken(ctx, base(ctx), Number(ctx.settings.renewRefreshWithinMs) || 5 * 86_400_000);
  },

  async getProfile(ctx) {
    const auth = userAuth(ctx);
    const res = await ctx.http.request({
      method: 'POST',
      url: `${base(ctx)}/oauth/userinfo/`,
      form: { access_token: auth.headers['access-token'], open_id: auth.query.open_id },
    });
    const d = unwrap<{ open_id: string; nickname?: string; avatar?: string }>(res, mapOpts(ctx));
    return { platformAccountId: String(d.open_id), name: d.nickname || String(d.open_id), avatarUrl: d.avatar };
  },

  render(input, rctx) {
    const c = manifest.constraints;
    const warnings: ConstraintIssue[] = [];
    const violations: ConstraintIssue[] = [];
    const lowered = Number(rctx.settings.textMaxLength);
    const limit = { ...c.title!, max: lowered > 0 && lowered < TEXT_MAX ? Math.floor(lowered) : TEXT_MAX };
    // A post title is never cut: the editor rewrites it.
    // The editor's own caption and topics (各平台适配) replace the title; Douyin shows topics as #话题.
    const caption = input.adaptation?.caption?.trim() || input.title.trim();
    const topics = (input.adaptation?.topics ?? []).map((t) => ` #${t}`).join('');
    const text = fitText('title', caption + topics, limit, { truncate: false });
    if (text.violation) violations.push(text.violation);

    const kind = rctx.capability === 'image_text' || (rctx.capability !== 'video' && !input.video) ? 'image_text' : 'video';
    const assets: AssetRequest[] = [];
    const payload: DouyinPayload = { kind, text: text.text, imageKeys: [] };

    if (kind === 'video') {
      const v = input.video;
      const vc = c.video!;
      if (!v) {
        violations.push({ constraint: 'video', message: '抖音视频发布需要一个视频 / a Douyin video post needs a video' });
      } else {
        if (!(vc.formats as string[]).includes(v.format.toLowerCase())) {
          violations.push({
            constraint: 'video.formats',
            message: `视频格式须为 ${vc.formats.join('/')} / video must be ${vc.formats.join('/')}`,
          });
        }
        if (v.bytes > vc.maxBytes) {
          violations.push({
            constraint: 'video.maxBytes',
            message: '视频超过 4 GB / video over 4 GB',
            limit: vc.maxBytes,
            actual: v.bytes,
          });
        }
        if (v.durationSec > vc.maxDurationSec) {
          violations.push({
            constraint: 'video.maxDurationSec',
            message: `视频超过 ${vc.maxDurationSec / 60} 分钟 / video longer than ${vc.maxDurationSec / 60} min`,
            limit: vc.maxDurationSec,
            actual: v.durationSec,
          });
        }
        payload.video = planVideo({ ...v, format: v.format.toLowerCase() }, rctx.settings);
      }
      if (input.cover) {
        violations.push(...imageIssues(input.cover, c.cover!, 'cover'));
        payload.coverKey = 'cover';
        assets.push({
          key: 'cover',
          ref: input.cover.ref,
          role: 'cover',
          spec: { ...fitSpecFor(input.cover, c.cover!), focus: input.cover.focus },
        });
      }
    } else {
      const ic = c.images!;
      if (input.images.length === 0) {
        violations.push({
          constraint: 'images.minCount',
          message: '图文至少需要一张图片 / an image-text post needs an image',
          limit: 1,
          actual: 0,
        });
      }
      if (input.images.length > ic.maxCount) {
        warnings.push({
          constraint: 'images.maxCount',
          message: `仅发布前 ${ic.maxCount} 张图片 / only the first ${ic.maxCount} images are published`,
          limit: ic.maxCount,
          actual: input.images.length,
        });
      }
      input.images.slice(0, ic.maxCount).forEach((img, i) => {
        violations.push(...imageIssues(img, ic, `images[${i}]`));
        assets.push({ key: `image-${i}`, ref: img.ref, role: 'image', spec: fitSpecFor(img, ic) });
        payload.imageKeys.push(`image-${i}`);
      });
    }
    return { payload, fields: { title: text.text }, assets, warnings, violations };
  },

  async publish(ctx, rendition) {
    const p = rendition.payload;
    const cp: Progress = { ...((ctx.lastCheckpoint as Progress | undefined) ?? {}) };
    // A created post ends the publish: never create it twice.
    if (cp.item_id) return { remoteId: cp.item_id, status: 'processing' };
    const save = async (patch: Partial<Progress>) => {
      Object.assign(cp, patch);
      await ctx.checkpoint(asJson(cp));
    };
    const auth = userAuth(ctx);
    const uploadImage = async (key: string, topic: CallTopic): Promise<string> => {
      const asset = rendition.assets.find((a) => a.key === key);
      if (!asset) throw new PermanentError({ zh: `渲染结果缺少图片 ${key}`, en: `rendition lacks asset ${key}` });
      const img = await ctx.images.fit(asset.ref, asset.spec);
      const res = await ctx.http.request({
        method: 'POST',
        url: `${base(ctx)}${API}/upload_image/`,
        headers: auth.headers,
        query: auth.query,
        multipart: [
          {
            name: 'image',
            filename: `${key}.${img.format === 'jpeg' ? 'jpg' : img.format}`,
            contentType: `image/${img.format}`,
            data: img.bytes,
          },
        ],
      });
      return String(unwrap<{ image: { image_id: string } }>(res, mapOpts(ctx, topic)).image.image_id);
    };

    let created: { item_id: string };
    if (p.kind === 'video') {
      if (!p.video) throw new PermanentError({ zh: '渲染结果缺少视频', en: 'rendition has no video' });
      if (p.coverKey && !cp.cover_image_id) await save({ cover_image_id: await uploadImage(p.coverKey, 'cover') });
      const videoId = await uploadVideo(
        ctx,
        p.video,
        {
          single: `${base(ctx)}${API}/upload_video/`,
          init: `${base(ctx)}${API}/init_video_part_upload/`,
          part: `${base(ctx)}${API}/upload_video_part/`,
          complete: `${base(ctx)}${API}/complete_video_part_upload/`,
        },
        auth,
        cp,
        (s) => save(s),
        mapOpts(ctx),
      );
      const res = await ctx.http.request({
        method: 'POST',
        url: `${base(ctx)}${API}/create_video/`,
        headers: auth.headers,
        query: auth.query,
        json: { video_id: videoId, text: p.text, ...(cp.cover_image_id ? { custom_cover_image_url: cp.cover_image_id } : {}) },
      });
      created = unwrap<{ item_id: string }>(res, mapOpts(ctx, 'content'));
    } else {
      const ids = [...(cp.image_ids ?? [])];
      for (let i = ids.length; i < p.imageKeys.length; i++) {
        ids.push(await uploadImage(p.imageKeys[i], 'images'));
        await save({ image_ids: ids });
      }
      // Douyin keeps no client marker on 图文; findExisting looks for this text created after this time.
      if (!cp.creating_at) await save({ creating_at: ctx.clock.now(), creating_text: p.text });
      const res = await ctx.http.request({
        method: 'POST',
        url: `${base(ctx)}${API}/create_image_text/`,
        headers: auth.headers,
        query: auth.query,
        json: { image_list: ids, text: p.text },
      });
      created = unwrap<{ item_id: string }>(res, mapOpts(ctx, 'content'));
    }
    await save({ item_id: String(created.item_id) });
    // Posts stay visible only to their author until Douyin's review ends: the host polls publishStatus.
    return { remoteId: String(created.item_id), status: 'processing' };
  },

  async publishStatus(ctx, remoteId) {
    return statusOf(await videoData(ctx, remoteId));
  },

  async findExisting(ctx) {
    // Posts are only created after their marker was checkpointed, so no checkpoint means no post.
    const cp = ctx.lastCheckpoint as Progress | undefined;
    if (!cp) return null;
    if (cp.item_id) {
      const v = await videoData(ctx, cp.item_id);
      return v ? resultOf(v) : { remoteId: cp.item_id, status: 'processing' };
    }
    if (cp.video_id) {
      // The platform keeps the uploaded video_id on the post it was used for.
      const found = await scanVideos(
        ctx,
        (v) => String(v.video_id ?? '') === cp.video_id,
        () => false,
      );
      return found ? resultOf(found) : null;
    }
    if (cp.creating_at !== undefined) {
      const since = Math.floor(cp.creating_at / 1000) - 60;
      const found = await scanVideos(
        ctx,
        (v) => v.media_type === 2 && v.title === cp.creating_text && Number(v.create_time ?? 0) >= since,
        (v) => Number(v.create_time ?? 0) < since,
      );
      return found ? resultOf(found) : null;
    }
    return null;
  },

  async retract(ctx, remoteId) {
    const auth = userAuth(ctx);
    const res = await ctx.http.request({
      method: 'POST',
      url: `${base(ctx)}/video/delete/`,
      headers: auth.headers,
      query: auth.query,
      json: { item_id: remoteId },
    });
    unwrap(res, mapOpts(ctx));
  },

  async fetchMetrics(ctx, remoteId) {
    const v = await videoData(ctx, remoteId);
    if (!v) throw new PermanentError({ zh: '作品不存在或已删除', en: 'post not found or deleted' });
    const s = v.statistics ?? {};
    return {
      views: s.play_count,
      likes: s.digg_count,
      comments: s.comment_count,
      shares: (s.share_count ?? 0) + (s.forward_count ?? 0),
      asOf: ctx.clock.now(),
    };
  },

  async fetchComments(ctx, remoteId, params) {
    const auth = userAuth(ctx);
    const count = Math.max(1, Math.min(50, params?.limit ?? 20));
    const res = await ctx.http.request({
      method: 'GET',
      url: `${base(ctx)}/item/comment/list/`,
      headers: auth.headers,
      query: { ...auth.query, item_id: remoteId, cursor: params?.cursor ?? 0, count, sort_type: 'time' },
    });
    const d = unwrap<{
      list?: Array<{ comment_id: string; comment_user_id?: string; content: string; create_time: number }>;
      cursor?: number;
      has_more?: boolean;
    }>(res, mapOpts(ctx));
    const since = params?.since;
    const all: PostComment[] = (d.list ?? []).map((c) => ({
      id: String(c.comment_id),
      postRemoteId: remoteId,
      text: c.content,
      author: String(c.comment_user_id ?? ''),
      ...(c.comment_user_id ? { authorId: String(c.comment_user_id) } : {}),
      createdAt: Number(c.create_time) * 1000,
    }));
    const items = all.filter((c) => since === undefined || c.createdAt >= since);
    // Newest first: once a page reaches past `since`, older pages hold nothing wanted.
    return { items, nextCursor: d.has_more && items.length === all.length ? String(d.cursor ?? '') : undefined };
  },

  async findReply(ctx, remoteId, commentId) {
    // Douyin keeps no key of ours: the reply is the account's own answer among the comment's replies.
    const auth = userAuth(ctx);
    let cursor = 0;
    for (let page = 0; page < 5; page++) {
      const res = await ctx.http.request({
        method: 'GET',
        url: `${base(ctx)}/item/comment/reply/list/`,
        headers: auth.headers,
        query: { ...auth.query, item_id: remoteId, comment_id: commentId, cursor, count: 50, sort_type: 'time' },
      });
      const d = unwrap<{ list?: Array<{ comment_id: string; comment_user_id?: string }>; cursor?: number; has_more?: boolean }>(
        res,
        mapOpts(ctx),
      );
      const mine = (d.list ?? []).find((r) => String(r.comment_user_id ?? '') === ctx.credentials.open_id);
      if (mine) return { id: String(mine.comment_id) };
      if (!d.has_more) return null;
      cursor = Number(d.cursor ?? 0);
    }
    throw new AmbiguousError({ zh: '回复过多，无法确认回复是否已发出', en: `no reply of ours to ${commentId} within the scanned pages` });
  },

  handleWebhook: handleDouyinWebhook,

  async sendMessage(ctx, params) {
    const auth = userAuth(ctx);
    const path = String(ctx.settings.imSendPath || '/im/send/msg/');
    const res = await ctx.http.request({
      method: 'POST',
      url: `${base(ctx)}${path.startsWith('/') ? path : `/${path}`}`,
      headers: auth.headers,
      query: auth.query,
      json: {
        to_user_id: params.conversationId,
        message_type: 'text',
        content: { text: params.text },
        client_msg_id: params.idempotencyKey,
      },
    });
    const d = unwrap<{ msg_id?: string; server_message_id?: string }>(res, mapOpts(ctx, 'content'));
    return { id: String(d.msg_id ?? d.server_message_id ?? `dm-${params.idempotencyKey}`) };
  },

  listPosts: (ctx, params) => listPosts(ctx, listing, params),
  getPostByUrl: (ctx, url) => getPostByUrl(ctx, listing, url),

  async reply(ctx, remoteId, commentId, text) {
    const auth = userAuth(ctx);
    const res = await ctx.http.request({
      method: 'POST',
      url: `${base(ctx)}/item/comment/reply/`,
      headers: auth.headers,
      query: auth.query,
      json: { item_id: remoteId, comment_id: commentId, content: text },
    });
    return { id: String(unwrap<{ comment_id: string }>(res, mapOpts(ctx, 'content')).comment_id) };
  },
});

export default douyinPlugin;
