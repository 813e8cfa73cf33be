import {
  AuthExpiredError,
  definePlugin,
  fitSpecFor,
  fitText,
  htmlToText,
  imageIssues,
  PermanentError,
  type AssetRequest,
  type ConstraintIssue,
  type CredentialUpdate,
  type PluginContext,
  type PluginManifest,
  type PublishResult,
  type PublishStatus,
} from '@tongfa/plugin-sdk';
import { articleAuth, contractData, contractUrl, CONTRACT_PATHS, fillImages, toutiaoHtml, uploadAnswer } from './article-contract';
import { connectUrl, exchangeCode, refreshUserToken, unwrap, type CallTopic } from '@tongfa/douyin-openapi';
import { getPostByUrl, listPosts, type ListingDeps } from './listing';
import { asJson, planVideo, uploadVideo, type UploadState, type VideoPlan } from '@tongfa/douyin-openapi';

export { createToutiaoSimulator, type ToutiaoSimulatorOptions } from './simulator';

/** What render() produces: an article for the contract, or a video for `toutiao.video.create`. */
export interface ToutiaoPayload {
  kind: 'article' | 'video';
  title: string;
  /** Article HTML with `<img data-tongfa-key>` placeholders, filled with uploaded URLs at publish. */
  contentTemplate?: string;
  /** 1 (single-image layout) or 3 (three-image layout) cover asset keys. */
  coverKeys: string[];
  imageKeys: string[];
  video?: VideoPlan;
}

interface Uploaded {
  url: string;
  original: string;
  width: number;
  height: number;
}
interface Progress extends UploadState {
  kind?: 'article' | 'video';
  uploaded?: Record<string, Uploaded>;
  pgc_id?: string;
  item_id?: string;
}

const TITLE = { min: 5, max: 30 };
const VIDEO_PREFIX = 'video:';

export const manifest: PluginManifest = {
  id: 'toutiao',
  name: { zh: '今日头条（头条号）', en: 'Toutiao' },
  version: '0.1.0',
  sdk: '^0.1.0',
  // The article token is supplied by the unit; the video half uses Douyin open-platform OAuth tokens
  // (scope toutiao.video.create), which authorizeUrl/exchangeCode can obtain.
  auth: { kind: 'api_key', scopes: ['toutiao.video.create', 'user_info'] },
  credentials: [
    {
      name: 'article_token',
      label: { zh: '头条号文章接口令牌（非官方接口）', en: 'Toutiao article token (not an official API)' },
      secret: true,
      required: false,
      description: {
        zh: '由本单位按插件说明中的约定接口提供；头条号没有公开的文章发布 API',
        en: 'Supplied by the unit for the contract in the plugin README; Toutiao has no public article API',
      },
    },
    {
      name: 'client_key',
      label: { zh: '抖音开放平台 Client Key', en: 'Douyin open platform client key' },
      secret: false,
      required: false,
      scope: 'app',
    },
    {
      name: 'client_secret',
      label: { zh: '抖音开放平台 Client Secret', en: 'Douyin open platform client secret' },
      secret: true,
      required: false,
      scope: 'app',
    },
    { name: 'access_token', label: { zh: '视频授权访问令牌', en: 'Video access token' }, secret: true, required: false },
    { name: 'refresh_token', label: { zh: '视频授权刷新令牌', en: 'Video refresh token' }, secret: true, required: false },
    { name: 'open_id', label: { zh: 'open_id', en: 'open_id' }, secret: false, required: false },
    { name: 'access_expires_at', label: { zh: '访问令牌到期时间', en: 'Access token expiry' }, secret: false, required: false },
    { name: 'refresh_expires_at', label: { zh: '刷新令牌到期时间', en: 'Refresh token expiry' }, secret: false, required: false },
  ],
  capabilities: ['article', 'video', 'retract', 'listPosts'],
  interaction: {
    unsupported: {
      zh: '头条号没有公开的评论与私信接口（平台资料未见），评论和私信须在头条号后台处理',
      en: 'Toutiao has no public comment or private-message API (none found in the platform facts): answer them in the 头条号 backend',
    },
  },
  constraints: {
    // 5–30 is the common 头条号 rule [I]; counted per code point [I].
    title: { min: TITLE.min, max: TITLE.max, counter: 'codePoints' },
    body: { min: 1, max: 100_000, counter: 'codePoints' },
    cover: {
      maxCount: 3,
      formats: ['jpeg', 'png'],
      maxBytes: 5_000_000,
      maxWidth: 4096,
      maxHeight: 4096,
      // No cover shape is documented (no public article API, §4 of the platform notes); feed covers are
      // shown landscape, 16:9 assumed [I]. Uploaded whole with their size (thumb_width/height).
      display: {
        aspect: { width: 16, height: 9 },
        basis: 'assumed',
        note: {
          zh: '头条号未公开封面显示比例，按信息流横版 16:9 估计',
          en: 'Toutiao documents no cover shape; 16:9 landscape, as in the feed, is assumed',
        },
      },
    },
    images: { maxCount: 50, formats: ['jpeg', 'png'], maxBytes: 5_000_000, maxWidth: 4096, maxHeight: 4096 },
    video: { maxBytes: 4 * 1024 * 1024 * 1024, maxDurationSec: 900, formats: ['mp4', 'webm'] },
  },
  rateLimits: {
    perApp: { tokens: 300, intervalMs: 60_000 },
    perAccount: { tokens: 10, intervalMs: 60_000 },
  },
  allowedHosts: ['mp.toutiao.com', 'open.douyin.com', 'open.snssdk.com'],
  endpoints: { mp: 'https://mp.toutiao.com', open: 'https://open.douyin.com', video: 'https://open.snssdk.com' },
  postListing: {
    // Through the article CONTRACT (not an official API); Toutiao publishes no list API or quota.
    dailyCallsPerAccount: 100,
    quotaBasis: 'assumed',
    quotaSource: 'no public Toutiao API; the contract list (articleListPath) is assumed to allow 100 calls a day',
    quotaResetTimeZone: 'Asia/Shanghai',
    maxPageSize: 20,
    maxCallsPerUrlCheck: 1,
    postUrlHosts: ['www.toutiao.com', 'toutiao.com', 'm.toutiao.com'],
    notes: {
      zh: '通过非官方的约定接口读取（须配置文章接口令牌）；头条号没有公开的作品列表 API',
      en: 'Read through the unofficial contract (needs the article token); Toutiao has no public list API',
    },
  },
  settings: [
    {
      name: 'coverLayout',
      label: { zh: '封面版式：auto / single（单图）/ three（三图）', en: 'Cover layout: auto / single / three' },
      default: 'auto',
    },
    ...Object.entries(CONTRACT_PATHS).map(([name, path]) => ({
      name,
      label: { zh: `文章约定接口路径（非官方）：${name}`, en: `Article contract path (not official): ${name}` },
      default: path,
    })),
    { name: 'videoUploadPath', label: { zh: '视频上传路径', en: 'Video upload path' }, default: '/toutiao/video/upload/' },
    { name: 'videoPartInitPath', label: { zh: '分片初始化路径 [I]', en: 'Part init path [I]' }, default: '/toutiao/video/part/init/' },
    { name: 'videoPartUploadPath', label: { zh: '分片上传路径 [I]', en: 'Part upload path [I]' }, default: '/toutiao/video/part/upload/' },
    {
      name: 'videoPartCompletePath',
      label: { zh: '分片完成路径 [I]', en: 'Part complete path [I]' },
      default: '/toutiao/video/part/complete/',
    },
    { name: 'videoCreatePath', label: { zh: '视频发布路径', en: 'Video create path' }, default: '/toutiao/video/create/' },
    { name: 'partBytes', label: { zh: '分片大小（字节，≥5 MB）', en: 'Part size (bytes, ≥5 MB)' }, default: 20 * 1024 * 1024 },
    { name: 'chunkAboveBytes', label: { zh: '超过此大小分片上传（字节）', en: 'Chunk uploads above (bytes)' }, default: 50 * 1024 * 1024 },
    { name: 'rateLimitRetryMs', label: { zh: '限流后等待（毫秒）', en: 'Wait after a rate limit (ms)' }, default: 60_000 },
    {
      name: 'publishSaveValue',
      label: { zh: '发布接口 save 参数（1 发布，0 存草稿）[I]', en: 'publish `save` value (1 publish, 0 draft) [I]' },
      default: 1,
    },
  ],
};

const retryMs = (ctx: PluginContext) => Number(ctx.settings.rateLimitRetryMs) || 60_000;
const videoPath = (ctx: PluginContext, name: string, fallback: string) => {
  const v = ctx.settings[name];
  return `${ctx.endpoints.video.replace(/\/$/, '')}${typeof v === 'string' && v.startsWith('/') ? v : fallback}`;
};
const mapOpts = (ctx: PluginContext, topic: CallTopic = 'other') => ({ clock: ctx.clock, retryAfterMs: retryMs(ctx), topic });

/** The legacy open-platform convention of the toutiao video API: token and open_id in the query. */
function videoAuth(ctx: PluginContext) {
  const { access_token, open_id } = ctx.credentials;
  if (!access_token || !open_id)
    throw new AuthExpiredError({ zh: '尚未授权头条视频发布', en: 'Toutiao video publishing not authorized yet' });
  return { headers: { 'access-token': access_token }, query: { open_id, access_token } };
}

const articleUrl = (pgcId: string) => `https://www.toutiao.com/item/${pgcId}/`;

interface ArticleView {
  pgc_id: string | number;
  status: 'reviewing' | 'published' | 'rejected' | 'deleted';
  url?: string;
  reason?: string;
}
function articleStatus(a: ArticleView): PublishStatus {
  switch (a.status) {
    case 'published':
      return { status: 'published', url: a.url ?? articleUrl(String(a.pgc_id)) };
    case 'rejected':
      return { status: 'rejected', reason: a.reason ?? '头条号审核未通过' };
    case 'deleted':
      return { status: 'deleted' };
    default:
      return { status: 'processing' };
  }
}

const listing: ListingDeps = {
  retryMs,
  maxPageSize: manifest.postListing!.maxPageSize,
  postUrlHosts: manifest.postListing!.postUrlHosts,
};

export const toutiaoPlugin = definePlugin<ToutiaoPayload>({
  manifest,

  authorizeUrl(ctx, { state, redirectUri }) {
    return connectUrl(ctx.endpoints.open.replace(/\/$/, ''), ctx.credentials.client_key, manifest.auth.scopes!, state, redirectUri);
  },

  exchangeCode(ctx, { code }) {
    return exchangeCode(ctx, ctx.endpoints.open.replace(/\/$/, ''), code);
  },

  // Two halves: Douyin OAuth tokens refresh; the unit's article token cannot, so it is only checked,
  // and a refused token ends in needs_reauth (the unit must supply a new one).
  async refreshCredentials(ctx) {
    let update: CredentialUpdate = { credentials: {} };
    if (ctx.credentials.refresh_token) update = await refreshUserToken(ctx, ctx.endpoints.open.replace(/\/$/, ''), 5 * 86_400_000);
    if (ctx.credentials.article_token) {
      const res = await ctx.http.request({ method: 'GET', url: contractUrl(ctx, 'mediaInfoPath'), headers: articleAuth(ctx) });
      contractData(res, retryMs(ctx));
    }
    if (!ctx.credentials.refresh_token && !ctx.credentials.article_token) {
      throw new AuthExpiredError({
        zh: '未配置头条号令牌或视频授权',
        en: 'neither an article token nor a video authorization is configured',
      });
    }
    return update;
  },

  async getProfile(ctx) {
    if (ctx.credentials.article_token) {
      const res = await ctx.http.request({ method: 'GET', url: contractUrl(ctx, 'mediaInfoPath'), headers: articleAuth(ctx) });
      const user = contractData<{ user: { id: string | number; screen_name: string; https_avatar_url?: string } }>(res, retryMs(ctx)).user;
      return { platformAccountId: String(user.id), name: user.screen_name, avatarUrl: user.https_avatar_url };
    }
    const auth = videoAuth(ctx);
    const res = await ctx.http.request({
      method: 'POST',
      url: `${ctx.endpoints.open.replace(/\/$/, '')}/oauth/userinfo/`,
      form: { access_token: auth.query.access_token, open_id: auth.query.open_id },
    });
    const d = unwrap<{ open_id: string; nickname?: string }>(res, mapOpts(ctx));
    return { platformAccountId: String(d.open_id), name: d.nickname || String(d.open_id) };
  },

  render(input, rctx) {
    const c = manifest.constraints;
    const warnings: ConstraintIssue[] = [];
    const violations: ConstraintIssue[] = [];
    const take = (f: { warning?: ConstraintIssue; violation?: ConstraintIssue }) => {
      if (f.warning) warnings.push(f.warning);
      if (f.violation) violations.push(f.violation);
    };
    const title = fitText('title', input.title.trim(), c.title, { truncate: false });
    take(title);
    const kind = rctx.capability === 'video' || (rctx.capability !== 'article' && input.video) ? 'video' : 'article';
    const assets: AssetRequest[] = [];
    const payload: ToutiaoPayload = { kind, title: title.text, coverKeys: [], imageKeys: [] };

    if (kind === 'video') {
      const v = input.video;
      const vc = c.video!;
      if (!v) violations.push({ constraint: 'video', message: '视频发布需要一个视频 / a video post needs a video' });
      else {
        if (!(vc.formats as string[]).includes(v.format.toLowerCase()))
          violations.push({
            constraint: 'video.formats',
            message: `视频格式须为 ${vc.formats.join('/')} / video must be ${vc.formats.join('/')}`,
          });
        if (v.bytes > vc.maxBytes)
          violations.push({
            constraint: 'video.maxBytes',
            message: '视频超过 4 GB / video over 4 GB',
            limit: vc.maxBytes,
            actual: v.bytes,
          });
        if (v.durationSec > vc.maxDurationSec)
          violations.push({
            constraint: 'video.maxDurationSec',
            message: '视频超过 15 分钟 / video longer than 15 min',
            limit: vc.maxDurationSec,
            actual: v.durationSec,
          });
        payload.video = planVideo({ ...v, format: v.format.toLowerCase() }, rctx.settings);
      }
      return { payload, fields: { title: title.text }, assets, warnings, violations };
    }

    // Body: manuscript HTML cleaned for the 头条号 editor, with uploaded images appended.
    const ic = c.images!;
    if (input.images.length > ic.maxCount) {
      warnings.push({
        constraint: 'images.maxCount',
        message: `仅发布前 ${ic.maxCount} 张图片 / only the first ${ic.maxCount} images`,
        limit: ic.maxCount,
        actual: input.images.length,
      });
    }
    input.images.slice(0, ic.maxCount).forEach((img, i) => {
      violations.push(...imageIssues(img, ic, `images[${i}]`));
      assets.push({ key: `image-${i}`, ref: img.ref, role: 'image', spec: fitSpecFor(img, ic) });
      payload.imageKeys.push(`image-${i}`);
    });
    const template = toutiaoHtml(input.bodyHtml, payload.imageKeys);
    const body = fitText('body', htmlToText(template), c.body, { truncate: false });
    take(body);
    if (!htmlToText(template).trim() && payload.imageKeys.length === 0) {
      violations.push({ constraint: 'body.min', message: '正文不能为空 / the body must not be empty', limit: 1, actual: 0 });
    }
    payload.contentTemplate = template;

    // Covers: the single-image layout takes the cover (or the first image); the three-image layout takes
    // the cover and the first two images.
    const sources = [...(input.cover ? [input.cover] : []), ...input.images];
    const layout = String(rctx.settings.coverLayout ?? 'auto');
    const want = layout === 'three' || (layout === 'auto' && sources.length >= 3) ? 3 : 1;
    if (sources.length < want) {
      violations.push({
        constraint: 'cover.minCount',
        message: `${want === 3 ? '三图' : '单图'}版式需要 ${want} 张封面图 / the ${want === 3 ? 'three' : 'single'}-image layout needs ${want} cover image(s)`,
        limit: want,
        actual: sources.length,
      });
    }
    sources.slice(0, want).forEach((img, i) => {
      violations.push(...imageIssues(img, c.cover!, `cover[${i}]`));
      const key = `cover-${i}`;
      assets.push({ key, ref: img.ref, role: 'cover', spec: { ...fitSpecFor(img, c.cover!), focus: img.focus } });
      payload.coverKeys.push(key);
    });
    return { payload, fields: { title: title.text, body: body.text }, assets, warnings, violations };
  },

  async publish(ctx, rendition) {
    const p = rendition.payload;
    const cp: Progress = { ...((ctx.lastCheckpoint as Progress | undefined) ?? {}) };
    const save = async (patch: Partial<Progress>) => {
      Object.assign(cp, patch, { kind: p.kind });
      await ctx.checkpoint(asJson(cp));
    };

    if (p.kind === 'video') {
      if (cp.item_id) return { remoteId: VIDEO_PREFIX + cp.item_id, url: articleUrl(cp.item_id), status: 'published' };
      if (!p.video) throw new PermanentError({ zh: '渲染结果缺少视频', en: 'rendition has no video' });
      const auth = videoAuth(ctx);
      const videoId = await uploadVideo(
        ctx,
        p.video,
        {
          single: videoPath(ctx, 'videoUploadPath', '/toutiao/video/upload/'),
          init: videoPath(ctx, 'videoPartInitPath', '/toutiao/video/part/init/'),
          part: videoPath(ctx, 'videoPartUploadPath', '/toutiao/video/part/upload/'),
          complete: videoPath(ctx, 'videoPartCompletePath', '/toutiao/video/part/complete/'),
        },
        auth,
        cp,
        (s) => save(s),
        mapOpts(ctx),
      );
      // Creating with the same video_id again makes no new video [V], so a retry here is safe.
      const res = await ctx.http.request({
        method: 'POST',
        url: videoPath(ctx, 'videoCreatePath', '/toutiao/video/create/'),
        headers: auth.headers,
        query: auth.query,
        json: { video_id: videoId, text: p.title },
      });
      const itemId = String(unwrap<{ item_id: string }>(res, mapOpts(ctx, 'content')).item_id);
      await save({ item_id: itemId });
      return { remoteId: VIDEO_PREFIX + itemId, url: articleUrl(itemId), status: 'published' };
    }

    if (cp.pgc_id) return { remoteId: cp.pgc_id, status: 'processing' };
    const headers = articleAuth(ctx);
    const uploaded: Record<string, Uploaded> = { ...(cp.uploaded ?? {}) };
    for (const asset of rendition.assets) {
      if (uploaded[asset.key]) continue;
      const img = await ctx.images.fit(asset.ref, asset.spec);
      const res = await ctx.http.request({
        method: 'POST',
        url: contractUrl(ctx, 'imageUploadPath'),
        query: { type: 'ueditor' },
        headers,
        multipart: [
          {
            name: 'upfile',
            filename: `${asset.key}.${img.format === 'jpeg' ? 'jpg' : img.format}`,
            contentType: `image/${img.format}`,
            data: img.bytes,
          },
        ],
      });
      uploaded[asset.key] = { ...uploadAnswer(res, retryMs(ctx)), width: img.width, height: img.height };
      await save({ uploaded });
    }
    const content = fillImages(p.contentTemplate ?? '', Object.fromEntries(Object.entries(uploaded).map(([k, v]) => [k, v.url])));
    const covers = p.coverKeys.map((k) => ({
      id: 0,
      url: uploaded[k].url,
      uri: uploaded[k].original,
      origin_uri: uploaded[k].original,
      thumb_width: uploaded[k].width,
      thumb_height: uploaded[k].height,
    }));
    const res = await ctx.http.request({
      method: 'POST',
      url: contractUrl(ctx, 'articlePublishPath'),
      query: { source: 'mp', type: 'article' },
      headers,
      form: {
        title: p.title,
        content,
        pgc_feed_covers: JSON.stringify(covers),
        // 2: no ads next to a government article.
        article_ad_type: 2,
        article_type: 0,
        save: Number(ctx.settings.publishSaveValue ?? 1),
        pgc_id: 0,
        // Contract extension: the receiver keeps it and dedupes on it; findExisting looks it up.
        external_id: ctx.idempotencyKey,
      },
    });
    const pgcId = String(contractData<{ pgc_id: string | number }>(res, retryMs(ctx)).pgc_id);
    await save({ pgc_id: pgcId });
    // 头条号 reviews every article before it is public: the host polls publishStatus.
    return { remoteId: pgcId, status: 'processing' };
  },

  async publishStatus(ctx, remoteId) {
    // No status API is known for toutiao videos [I]: a created video counts as published.
    if (remoteId.startsWith(VIDEO_PREFIX)) return { status: 'published', url: articleUrl(remoteId.slice(VIDEO_PREFIX.length)) };
    const res = await ctx.http.request({
      method: 'GET',
      url: contractUrl(ctx, 'articleStatusPath'),
      query: { pgc_id: remoteId },
      headers: articleAuth(ctx),
    });
    return articleStatus(contractData<ArticleView>(res, retryMs(ctx)));
  },

  async findExisting(ctx, idempotencyKey): Promise<PublishResult | null> {
    const cp = ctx.lastCheckpoint as Progress | undefined;
    if (cp?.kind === 'video') {
      if (cp.item_id) return { remoteId: VIDEO_PREFIX + cp.item_id, url: articleUrl(cp.item_id), status: 'published' };
      // Without an item_id nothing is known to exist; a retry re-sends create with the same video_id,
      // which the platform answers with the same video instead of a second one [V].
      return null;
    }
    if (!ctx.credentials.article_token) return null;
    const res = await ctx.http.request({
      method: 'GET',
      url: contractUrl(ctx, 'articleLookupPath'),
      query: { external_id: idempotencyKey },
      headers: articleAuth(ctx),
    });
    const found = contractData<ArticleView | null>(res, retryMs(ctx));
    if (!found) return null;
    const s = articleStatus(found);
    return { remoteId: String(found.pgc_id), url: s.url, status: s.status === 'published' ? 'published' : 'processing' };
  },

  listPosts: (ctx, params) => listPosts(ctx, listing, params),
  getPostByUrl: (ctx, url) => getPostByUrl(ctx, listing, url),

  async retract(ctx, remoteId) {
    if (remoteId.startsWith(VIDEO_PREFIX)) {
      throw new PermanentError({
        zh: '头条视频没有公开的删除接口，请在头条号后台删除',
        en: 'Toutiao videos have no public delete API; delete it in the 头条号 backend',
      });
    }
    const res = await ctx.http.request({
      method: 'POST',
      url: contractUrl(ctx, 'articleDeletePath'),
      headers: articleAuth(ctx),
      form: { pgc_id: remoteId },
    });
    contractData(res, retryMs(ctx));
  },
});

export default toutiaoPlugin;
