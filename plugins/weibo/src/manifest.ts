import type { PluginManifest } from '@tongfa/plugin-sdk';

/** A status (微博) may hold 140 汉字, counted the Weibo way: full width 1, two half width 1. */
export const STATUS_MAX = 140;
/** 头条文章 limits from open.weibo.com/wiki/Toutiao/api. */
export const ARTICLE_TITLE_MAX = 32;
export const ARTICLE_CONTENT_MAX = 90_000;
/** `pic` must be smaller than 5 MB (WB-share). */
export const PIC_MAX_BYTES = 5 * 1024 * 1024 - 1;

export const manifest: PluginManifest = {
  id: 'weibo',
  name: { zh: '新浪微博', en: 'Sina Weibo' },
  version: '0.1.0',
  sdk: '^0.1.0',
  auth: { kind: 'oauth2', scopes: [] },
  credentials: [
    { name: 'client_id', label: { zh: 'App Key', en: 'App Key' }, secret: false, required: true, scope: 'app', pattern: '^[0-9]+$' },
    { name: 'client_secret', label: { zh: 'App Secret', en: 'App Secret' }, secret: true, required: true, scope: 'app' },
    // Obtained through OAuth (exchangeCode); never typed in by a person.
    { name: 'access_token', label: { zh: '访问令牌', en: 'Access token' }, secret: true, required: false },
    { name: 'uid', label: { zh: '微博用户 ID', en: 'Weibo uid' }, secret: false, required: false },
    {
      name: 'refresh_token',
      label: { zh: '刷新令牌', en: 'Refresh token' },
      secret: true,
      required: false,
      description: {
        zh: '仅官方移动 SDK 授权的应用才有；网站应用没有，令牌过期后须重新授权',
        en: 'Only apps authorised through the official mobile SDK get one; web apps must reconnect when the token expires',
      },
    },
  ],
  capabilities: ['short_post', 'article', 'retract', 'comments', 'listPosts'],
  constraints: {
    // The article title; a short post has no title.
    title: { max: ARTICLE_TITLE_MAX, counter: 'codePoints' },
    // The status text (short post) or the article's bound status (`text`), both shown as a weibo.
    body: { min: 1, max: STATUS_MAX, counter: 'weibo' },
    // The article summary (导语); its platform limit is not documented [I].
    summary: { max: 120, counter: 'codePoints' },
    // `pic` of statuses/share: one JPEG/GIF/PNG under 5 MB. The cover, or the first body image.
    cover: { maxCount: 1, formats: ['jpeg', 'png', 'gif'], maxBytes: PIC_MAX_BYTES, maxWidth: 4096, maxHeight: 4096 },
  },
  rateLimits: {
    // Per IP and hour (legacy 普通 tier: 10,000; current example 15,000) [V: WB-rate].
    perApp: { tokens: 10_000, intervalMs: 3_600_000 },
    // Publishing: 30 per authorised user per app per hour (current example and legacy 普通 tier).
    perAccount: { tokens: 30, intervalMs: 3_600_000 },
  },
  allowedHosts: ['api.weibo.com'],
  endpoints: { api: 'https://api.weibo.com' },
  interaction: {
    comments: {
      // comments/show shares the per-user quota with every other call (example: 100 calls a day per
      // user for all APIs [V: WB-rate]); listing takes 50, publishing needs some, 30 is our conservative share.
      dailyCallsPerAccount: 30,
      quotaBasis: 'assumed',
      quotaSource:
        'open.weibo.com/wiki/Rate-limiting: per-user limits depend on the app; example 100 calls/day per user for all APIs; 30 assumed for comments',
      quotaResetTimeZone: 'Asia/Shanghai',
      maxPageSize: 50,
      // comments/to_me lists the comments on all the account's weibos since a since_id [V: Rweibo
      // comments.to_me.R; open.weibo.com/wiki/2/comments/to_me]: one call per account, not per weibo.
      accountComments: true,
      // No API hides a comment. comments/destroy deletes one on the account's own weibo: the business
      // variant (comments/destroy/biz) documents exactly that rule [V]; the public v2 path is [I].
      canHide: false,
      canDelete: true,
      replyMaxChars: STATUS_MAX,
      replyCounter: 'weibo',
      notes: {
        zh: '按账号轮询本账号全部微博收到的评论（comments/to_me，since_id 游标），回复为本账号对该评论的评论（comments/reply）；可删除本账号微博下的评论（comments/destroy），无屏蔽接口',
        en: "Comments on all the account's weibos are polled per account (comments/to_me, since_id cursor); a reply is the account's comment on it (comments/reply); comments on the account's own weibos can be deleted (comments/destroy); no API hides a comment",
      },
    },
    unsupported: {
      zh: '微博开放平台未向政务账号提供私信推送与回复接口，私信须在微博客户端处理',
      en: "Weibo's open API offers government accounts no private-message push or reply: answer private messages in the Weibo app",
    },
  },
  postListing: {
    // statuses/user_timeline. Weibo limits each authorised user per app per hour and per day, by the app's
    // quality score; its published example is 100 calls a day per user for all APIs together [V: WB-rate].
    // Half of that for listing is our conservative choice, leaving the rest to publishing and comments.
    dailyCallsPerAccount: 50,
    quotaBasis: 'assumed',
    quotaSource:
      'open.weibo.com/wiki/Rate-limiting: per-user limits depend on the app; example 100 calls/day per user for all APIs; half assumed for listing',
    quotaResetTimeZone: 'Asia/Shanghai',
    maxPageSize: 100,
    maxCallsPerUrlCheck: 3,
    postUrlHosts: ['weibo.com', 'www.weibo.com', 'm.weibo.cn', 'weibo.cn', 'card.weibo.com'],
    notes: {
      zh: '列表为本账号自己发布的微博（含转发，repostOf 为原微博 ID）；头条文章链接在最近 300 条微博中查找',
      en: "Lists the account's own weibos (reposts included, repostOf naming the original); a 头条文章 link is looked up among the newest 300 weibos",
    },
  },
  settings: [
    {
      name: 'siteUrl',
      label: {
        zh: '单位网站地址（安全域名下，微博须含此类链接）',
        en: "The unit's site URL (under the app's safe domain; every weibo must link there)",
      },
      default: '',
    },
    {
      name: 'linkTemplate',
      label: {
        zh: '稿件公开网址模板，可用 {manuscriptId}、{versionId}；为空时链接到单位网站',
        en: "Public article URL template with {manuscriptId}, {versionId}; empty links to the unit's site",
      },
      default: '',
    },
    {
      name: 'safeDomain',
      label: { zh: '应用的安全域名（为空时取单位网站的域名）', en: "The app's safe domain (安全域名); empty: the site URL's host" },
      default: '',
    },
    {
      name: 'rip',
      label: { zh: '上报的操作用户真实 IP（rip，必填）', en: 'Real user IP reported as rip (required)' },
      default: '',
      required: true,
    },
    {
      name: 'headlineArticle',
      label: {
        zh: '以头条文章发布（须为开通该权限的政务/媒体/机构账号）',
        en: 'Publish as 头条文章 (government/media accounts with that permission only)',
      },
      default: false,
    },
    {
      name: 'articleCoverUrl',
      label: { zh: '头条文章封面图网址（发头条文章时必填）', en: 'Cover image URL for 头条文章 (required to publish one)' },
      default: '',
    },
    {
      name: 'findExistingScan',
      label: { zh: '查找已发微博时检查的最近微博条数', en: 'How many recent weibos findExisting checks' },
      default: 50,
    },
  ],
};
