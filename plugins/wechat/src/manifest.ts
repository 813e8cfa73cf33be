import type { PluginManifest } from '@tongfa/plugin-sdk';

/** The WeChat limits the plugin relies on; the simulator enforces the same numbers. */
export const LIMITS = {
  /** draft/add: title ≤ 32, author ≤ 16, digest ≤ 128 characters. */
  title: 32,
  author: 16,
  digest: 128,
  /** content < 20,000 characters, HTML tags included, and < 1 MB. */
  contentChars: 19_999,
  contentBytes: 1024 * 1024 - 1,
  /** content_source_url ≤ 1 KB. */
  sourceUrlBytes: 1024,
  /** uploadimg: jpg/png < 1 MB. */
  inlineImageBytes: 1024 * 1024 - 1,
  /** comment/list refuses count ≥ 50. */
  commentPage: 49,
  /** 客服消息 may answer a citizen within 48 hours of their last message (45015 after). */
  replyWindowHours: 48,
} as const;

export const manifest: PluginManifest = {
  id: 'wechat',
  name: { zh: '微信公众号', en: 'WeChat Official Account' },
  version: '0.1.0',
  sdk: '^0.1.0',
  auth: { kind: 'app_secret' },
  credentials: [
    {
      name: 'appid',
      label: { zh: '开发者ID（AppID）', en: 'AppID' },
      secret: false,
      required: true,
      pattern: '^wx[0-9a-f]{16}$',
      description: {
        zh: '公众平台「设置与开发 - 基本配置」中的 AppID',
        en: 'AppID from the Official Account platform, Basic configuration',
      },
    },
    {
      name: 'secret',
      label: { zh: '开发者密码（AppSecret）', en: 'AppSecret' },
      secret: true,
      required: true,
      description: {
        zh: '同一页面的 AppSecret；并须把统发的出口 IP 加入 IP 白名单',
        en: 'The AppSecret from the same page; the hub egress IP must be on the IP whitelist',
      },
    },
    // Obtained by refreshCredentials from /cgi-bin/stable_token; nobody types it in.
    { name: 'accessToken', label: { zh: '接口调用凭据', en: 'Access token' }, secret: true, required: false },
    {
      name: 'originalId',
      label: { zh: '原始 ID（gh_ 开头）', en: 'Original ID (gh_…)' },
      secret: false,
      required: false,
      pattern: '^gh_[0-9a-f]{12}$',
      description: {
        zh: '「设置与开发 - 公众号设置」中的原始 ID；消息推送以它标明收信的公众号，接收私信时必填',
        en: 'The original ID from the account settings; message pushes name the account by it (needed for messages)',
      },
    },
    {
      name: 'callbackToken',
      label: { zh: '服务器配置令牌（Token）', en: 'Server configuration token' },
      secret: true,
      required: false,
      scope: 'app',
      description: {
        zh: '统发消息接收地址所用的令牌，各公众号「服务器配置」填写同一令牌，消息加解密方式选「明文模式」',
        en: "The token of Tongfa's callback URL, the same in every account's server configuration, in plain-text mode",
      },
    },
    {
      name: 'accountName',
      label: { zh: '公众号名称', en: 'Account name' },
      secret: false,
      required: false,
      description: {
        zh: '微信接口不提供公众号自身名称，用于显示',
        en: 'The API does not return the account name; shown in the console',
      },
    },
  ],
  capabilities: ['article', 'retract', 'comments', 'messages', 'metrics', 'listPosts'],
  constraints: {
    title: { min: 1, max: LIMITS.title, counter: 'utf16' },
    // The body is the article HTML, tags included, with each image URL counted at a fixed reserve.
    body: { min: 1, max: LIMITS.contentChars, counter: 'utf16' },
    summary: { max: LIMITS.digest, counter: 'utf16' },
    cover: {
      maxCount: 1,
      formats: ['jpeg', 'png'],
      // add_material accepts 10 MB images today; older documents say 2 MB, so stay under both.
      maxBytes: 2 * 1024 * 1024,
      minWidth: 200,
      aspectRatios: [{ width: 2.35, height: 1 }],
      aspectTolerance: 0.02,
    },
    images: { maxCount: 50, formats: ['jpeg', 'png'], maxBytes: 1_000_000 },
  },
  rateLimits: {
    // Each official account has its own AppID and quotas; the hub shares nothing across accounts.
    perApp: { tokens: 600, intervalMs: 60_000 },
    perAccount: { tokens: 20, intervalMs: 60_000 },
  },
  allowedHosts: ['api.weixin.qq.com', 'api2.weixin.qq.com', 'sh.api.weixin.qq.com', 'sz.api.weixin.qq.com'],
  endpoints: { api: 'https://api.weixin.qq.com' },
  postListing: {
    // freepublish/batchget ("published list"): 100 calls a day per account, reset at midnight Beijing
    // time; findExisting pages through the same list and spends the same quota.
    dailyCallsPerAccount: 100,
    quotaBasis: 'documented',
    quotaSource: 'https://developers.weixin.qq.com/doc/service/Message_Management/API_Call_Limits.html',
    quotaResetTimeZone: 'Asia/Shanghai',
    maxPageSize: 20,
    maxCallsPerUrlCheck: 5,
    postUrlHosts: ['mp.weixin.qq.com'],
    notes: {
      zh: '列表只含「发表」（freepublish）的文章，不含「群发」的文章；短链接 mp.weixin.qq.com/s/… 无法核验，须提交含 __biz、mid 的完整链接',
      en: 'Lists free-published (发表) articles only, never mass-sent (群发) ones; short links mp.weixin.qq.com/s/… cannot be verified, the full link with __biz and mid can',
    },
  },
  interaction: {
    comments: {
      // The comment APIs share the account's general API quota; WeChat publishes no number of its own.
      dailyCallsPerAccount: 500,
      quotaBasis: 'assumed',
      quotaSource: 'WeChat documents no separate quota for comment/list; a conservative share of the account quota',
      quotaResetTimeZone: 'Asia/Shanghai',
      maxPageSize: LIMITS.commentPage,
      canHide: false,
      canDelete: true,
      replyMaxChars: 600,
      replyCounter: 'utf16',
      notes: {
        zh: '每条留言只有一条作者回复；留言只有 openid，没有昵称；须有留言功能权限（88000）',
        en: 'One reply per comment; comments carry an openid, no nickname; needs the comment privilege (88000)',
      },
    },
    messages: {
      replyWindowHours: LIMITS.replyWindowHours,
      replyMaxChars: 600,
      replyCounter: 'utf16',
      signature: {
        zh: 'URL 参数 signature = sha1(排序拼接的 Token、timestamp、nonce)，Token 为统发的服务器配置令牌',
        en: 'query signature = sha1 of the sorted Token, timestamp and nonce; Token is the hub callback token',
      },
      retries: {
        zh: '5 秒内未应答则重试，共 3 次；同一消息 MsgId 相同，由统发去重',
        en: 'retried when not answered within 5 s, 3 tries in all; the same MsgId each time, deduplicated by the hub',
      },
      accountCredential: 'originalId',
      notes: {
        zh: '仅支持明文模式；客服消息须在用户最后一次发消息后 48 小时内回复（45015），且不返回消息 ID',
        en: 'Plain-text mode only; customer-service replies within 48 h of the last message (45015); no message id is returned',
      },
    },
  },
  settings: [
    {
      name: 'author',
      label: { zh: '作者署名（留空用单位名称，最多 16 字）', en: 'Byline (defaults to the unit name, 16 characters at most)' },
      default: '',
    },
    {
      name: 'sourceUrl',
      label: {
        zh: '「阅读原文」链接（稿件无来源链接时使用；统发在其查询串中附加发布标记）',
        en: '"Read more" link when the manuscript has no source URL (Tongfa appends its publish marker to its query)',
      },
      default: 'https://mp.weixin.qq.com/',
    },
    { name: 'openComment', label: { zh: '打开留言', en: 'Open comments' }, default: true },
    { name: 'onlyFansCanComment', label: { zh: '仅粉丝可留言', en: 'Only followers may comment' }, default: false },
    {
      name: 'findExistingScan',
      label: { zh: '查找已发布文章时最多检查的条数', en: 'Most published items findExisting scans' },
      default: 200,
    },
  ],
};
