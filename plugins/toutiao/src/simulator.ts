import { randomBytes, randomUUID } from 'node:crypto';
import {
  createSimulator,
  mp4DurationSec,
  videoContainer,
  type SimAccount,
  type SimPost,
  type SimRequest,
  type SimResponse,
  type Simulator,
} from '@tongfa/plugin-sdk/testing';

/** Options of the toutiao simulator. */
export interface ToutiaoSimulatorOptions {
  /** Douyin open-platform access token lifetime (default 15 days) and refresh token lifetime (30 days). */
  accessTtlMs?: number;
  refreshTtlMs?: number;
  /** How long 头条号 review takes (simulated clock; default 150 ms). */
  reviewMs?: number;
  /** Article or title text containing any of these is rejected by review. */
  rejectWords?: string[];
  /** Minimum size of every video part but the last (default 5 MB). */
  minPartBytes?: number;
  /** Article list calls per account per day before HTTP 429 + 1002 (default 100, what the plugin declares). */
  listPerDay?: number;
}

const MB = 1024 * 1024;
const UPLOAD_TTL = 2 * 3_600_000;
const IMAGE_HOST = 'https://p3-sign.toutiaoimg.com/tos-cn-i-sandbox/';

/**
 * Simulates both halves of the toutiao plugin under `/toutiao`: the Douyin open-platform video API of
 * scope `toutiao.video.create` (`/toutiao/video/…`, OAuth under `/oauth/…`, the HTTP-200 envelope), and the
 * article CONTRACT modelled on the 头条号 backend (`/mp/agw/…`, not an official API), with review.
 */
export function createToutiaoSimulator(options: ToutiaoSimulatorOptions = {}): Simulator {
  const accessTtl = options.accessTtlMs ?? 15 * 86_400_000;
  const refreshTtl = options.refreshTtlMs ?? 30 * 86_400_000;
  const reviewMs = options.reviewMs ?? 150;
  const rejectWords = options.rejectWords ?? ['审核不通过测试'];
  const minPart = options.minPartBytes ?? 5 * MB;
  const listPerDay = options.listPerDay ?? 100;
  const clientKey = `aw${randomBytes(8).toString('hex')}`;
  const refreshTokens = new Map<string, { account: string; expiresAt: number; renewals: number; dead: boolean }>();
  const uploads = new Map<string, { account: string; createdAt: number; data: Map<number, Buffer>; videoId?: string }>();
  const videos = new Map<string, { account: string; itemId?: string }>();
  const pictures = new Map<string, string>();

  const envelope = (sim: Simulator, code: number, description: string, data: Record<string, unknown> = {}): SimResponse => ({
    json: {
      data: { ...data, error_code: code, description },
      extra: {
        error_code: code,
        description,
        sub_error_code: 0,
        sub_description: '',
        logid: randomBytes(8).toString('hex'),
        now: sim.now(),
      },
    },
  });
  const contract = (code: number, message: string, data: unknown = null): SimResponse => ({ json: { code, message, data } });
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  const cp = (s: string) => [...s].length;
  const isMp = (req: SimRequest) => req.path.startsWith('/mp/');
  const rawToken = (req: SimRequest) => {
    const h = req.headers['access-token'];
    const t = (Array.isArray(h) ? h[0] : h) ?? req.query.access_token;
    return t?.startsWith('act.') ? t.slice(4) : undefined;
  };

  function videoUser(req: SimRequest, sim: Simulator): SimAccount | SimResponse {
    const account = sim.tokenAccount(rawToken(req));
    if (!account) return envelope(sim, 28001008, 'access_token过期,请刷新或重新授权');
    if (req.query.open_id !== account.credentials.open_id) return envelope(sim, 28001015, 'access_token和open_id不匹配');
    return account;
  }
  function articleUser(req: SimRequest, sim: Simulator): SimAccount | SimResponse {
    const m = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''));
    const account = sim.tokenAccount(m?.[1]);
    return account ?? contract(1001, '登录已过期，请重新提供令牌');
  }
  const isAccount = (a: SimAccount | SimResponse): a is SimAccount => 'credentials' in a;

  const itemUrl = (p: SimPost) => `https://www.toutiao.com/item/${p.id}/`;

  function articleView(sim: Simulator, p: SimPost) {
    const age = sim.now() - Date.parse(p.createdAt);
    const rejected = rejectWords.some((w) => p.title.includes(w) || p.text.includes(w));
    // Posts made in the 头条号 backend itself are shown once reviewed there.
    const status = p.deleted ? 'deleted' : age < reviewMs && !p.native ? 'reviewing' : rejected ? 'rejected' : 'published';
    return {
      pgc_id: p.id,
      status,
      url: status === 'published' ? itemUrl(p) : undefined,
      reason: status === 'rejected' ? '内容含有不宜发布的信息' : undefined,
      // Contract extensions for listing: what the backend's article list shows.
      type: p.extra.kind === 'video' ? 'video' : 'article',
      title: p.title,
      abstract: p.text.slice(0, 120),
      publish_time: Math.floor(Date.parse(p.createdAt) / 1000),
    };
  }

  function videoOk(data: Buffer): string | undefined {
    const format = videoContainer(data);
    if (!format) return 'video format not supported: mp4 or webm only';
    if (format === 'mp4') {
      const d = mp4DurationSec(data);
      if (d === undefined) return 'mp4 without a readable duration';
      if (d > 900) return `video duration ${Math.round(d)}s exceeds 900s`;
    }
    return undefined;
  }
  const newVideo = (account: string) => {
    const id = `v0${randomBytes(9).toString('hex')}`;
    videos.set(id, { account });
    return id;
  };

  return createSimulator({
    platform: 'toutiao',
    // An article written in the 头条号 backend: no external_id, reviewed there already.
    nativePost: (input, sim) =>
      sim.createPost({
        account: input.account.id,
        title: input.title ?? [...input.text].slice(0, 30).join(''),
        text: input.link ? `${input.text}\n${input.link}` : input.text,
        extra: { kind: 'article' },
      }),
    postUrl: itemUrl,
    createAccount: (account, sim) => {
      const openId = randomUUID();
      const access = sim.issueToken(account.id, accessTtl);
      const refresh = `rft.${randomBytes(20).toString('hex')}`;
      refreshTokens.set(refresh, { account: account.id, expiresAt: sim.now() + refreshTtl, renewals: 0, dead: false });
      // The unit-supplied article token; long-lived, and never expired by the fault injector (it cannot be refreshed).
      const article = sim.issueToken(account.id, 10 * 365 * 86_400_000);
      return {
        article_token: article.token,
        client_key: clientKey,
        client_secret: randomBytes(16).toString('hex'),
        access_token: `act.${access.token}`,
        refresh_token: refresh,
        open_id: openId,
        access_expires_at: String(sim.now() + accessTtl),
        refresh_expires_at: String(sim.now() + refreshTtl),
      };
    },
    tokenFrom: rawToken,
    faultResponses: {
      rate_limit: (req, sim) =>
        isMp(req)
          ? {
              status: 429,
              headers: { 'retry-after': String(sim.faults.retryAfterSec ?? 1) },
              json: { code: 1002, message: '操作过于频繁' },
            }
          : envelope(sim, 28003018, '请求频率过高'),
      server_error: (req, sim) => (isMp(req) ? { status: 502, body: '<html>502 Bad Gateway</html>' } : envelope(sim, 28001005, '系统繁忙')),
      token_expired: (req, sim) => (isMp(req) ? contract(1001, '登录已过期，请重新提供令牌') : envelope(sim, 28001008, 'access_token过期')),
    },
    routes: [
      {
        method: 'POST',
        path: '/oauth/refresh_token',
        auth: true,
        handler: (req, sim) => {
          const r = refreshTokens.get(str(req.body.refresh_token));
          if (req.body.client_key !== clientKey || req.body.grant_type !== 'refresh_token')
            return { json: { data: { error_code: 10005, description: '缺少参数' } } };
          if (!r || r.dead || r.expiresAt <= sim.now())
            return { json: { data: { error_code: 10010, description: 'refresh_token过期' }, message: 'error' } };
          const account = sim.accounts.find((a) => a.id === r.account)!;
          const access = sim.issueToken(r.account, accessTtl);
          return {
            json: {
              data: {
                access_token: `act.${access.token}`,
                expires_in: accessTtl / 1000,
                open_id: account.credentials.open_id,
                refresh_token: str(req.body.refresh_token),
                refresh_expires_in: Math.floor((r.expiresAt - sim.now()) / 1000),
                error_code: 0,
                description: '',
              },
              message: 'success',
            },
          };
        },
      },
      {
        method: 'POST',
        path: '/oauth/userinfo',
        commits: false,
        handler: (req, sim) => {
          const a = sim.tokenAccount(str(req.body.access_token).replace(/^act\./, ''));
          if (!a) return envelope(sim, 2190008, 'access_token过期');
          return envelope(sim, 0, '', { open_id: a.credentials.open_id, nickname: a.name });
        },
      },
      {
        method: 'GET',
        path: '/mp/agw/media/get_media_info',
        auth: true,
        handler: (req, sim) => {
          const a = articleUser(req, sim);
          if (!isAccount(a)) return a;
          return contract(0, 'success', {
            user: { id: Number(a.id), screen_name: a.name, https_avatar_url: 'https://p3.toutiaoimg.com/avatar.jpg' },
          });
        },
      },
      {
        method: 'POST',
        path: '/mp/agw/article_material/photo/upload_picture',
        handler: (req, sim) => {
          const a = articleUser(req, sim);
          if (!isAccount(a)) return a;
          if (req.query.type !== 'ueditor') return { json: { state: 'type 参数错误' } };
          const f = req.files.upfile;
          if (!f) return { json: { state: '未收到文件 upfile' } };
          const jpeg = f.data[0] === 0xff && f.data[1] === 0xd8;
          const png = f.data.subarray(1, 4).toString('latin1') === 'PNG';
          if (!jpeg && !png) return { json: { state: '图片格式不支持' } };
          if (f.data.length > 5_000_000) return { json: { state: '图片超过 5MB' } };
          const uri = randomBytes(10).toString('hex');
          pictures.set(`${IMAGE_HOST}${uri}`, a.id);
          return { json: { state: 'SUCCESS', url: `${IMAGE_HOST}${uri}`, original: `tos-cn-i-sandbox/${uri}` } };
        },
      },
      {
        method: 'POST',
        path: '/mp/agw/article/publish',
        handler: (req, sim) => {
          const a = articleUser(req, sim);
          if (!isAccount(a)) return a;
          const b = req.body;
          if (req.query.source !== 'mp' || req.query.type !== 'article') return contract(400, 'source/type 参数错误');
          if (!String(req.headers['content-type']).includes('x-www-form-urlencoded')) return contract(400, '须为表单提交');
          const externalId = str(b.external_id);
          if (!externalId || externalId.length > 128) return contract(400, 'external_id 必填且不超过 128 字符');
          const seen = sim.posts.find((p) => p.account === a.id && p.idempotencyMarker === externalId);
          // The contract dedupes on external_id: the same article again returns the first pgc_id.
          if (seen) return contract(0, 'success', { pgc_id: seen.id });
          const title = str(b.title);
          if (cp(title) < 5 || cp(title) > 30) return contract(2001, '标题需为 5-30 个字');
          const content = str(b.content);
          if (!content.trim()) return contract(2002, '正文不能为空');
          if (/<(iframe|script|svg)\b/i.test(content)) return contract(2002, '正文含有不支持的元素');
          if (/<a\b/i.test(content)) return contract(2002, '正文不能包含外链');
          for (const m of content.matchAll(/<img\b[^>]*\bsrc="([^"]*)"/gi)) {
            if (pictures.get(m[1]) !== a.id) return contract(2002, '正文图片须先上传到头条号');
          }
          let covers: Array<{ url?: string }>;
          try {
            covers = JSON.parse(str(b.pgc_feed_covers)) as Array<{ url?: string }>;
          } catch {
            return contract(2003, 'pgc_feed_covers 不是合法 JSON');
          }
          if (!Array.isArray(covers) || (covers.length !== 1 && covers.length !== 3)) return contract(2003, '封面须为 1 张或 3 张');
          if (covers.some((c) => pictures.get(str(c.url)) !== a.id)) return contract(2003, '封面图须先上传');
          if (!['2', '3'].includes(str(b.article_ad_type))) return contract(400, 'article_ad_type 不合法');
          if (str(b.save) !== '1') return contract(400, 'save=0 只保存草稿；本模拟器只接受发布');
          const text = content.replace(/<[^>]+>/g, '');
          const post = sim.createPost({
            account: a.id,
            title,
            text,
            idempotencyMarker: externalId,
            extra: { covers: covers.length, kind: 'article' },
          });
          return contract(0, 'success', { pgc_id: post.id });
        },
      },
      {
        method: 'GET',
        path: '/mp/agw/article/status',
        handler: (req, sim) => {
          const a = articleUser(req, sim);
          if (!isAccount(a)) return a;
          const p = sim.findPost(req.query.pgc_id ?? '');
          if (!p || p.account !== a.id) return contract(4004, '文章不存在');
          return contract(0, 'success', articleView(sim, p));
        },
      },
      {
        method: 'GET',
        path: '/mp/agw/article/list',
        handler: (req, sim) => {
          const a = articleUser(req, sim);
          if (!isAccount(a)) return a;
          if (!sim.takeDailyQuota(a.id, 'article/list', listPerDay)) {
            return {
              status: 429,
              headers: { 'retry-after': String(Math.ceil(sim.untilQuotaReset() / 1000)) },
              json: { code: 1002, message: '今日查询次数已用完' },
            };
          }
          const count = Number(req.query.count ?? 20);
          const offset = Number(req.query.cursor ?? 0);
          if (!Number.isInteger(count) || count < 1 || count > 20 || !Number.isInteger(offset) || offset < 0) {
            return contract(400, 'cursor/count 参数错误');
          }
          // Newest first, everything the account has in the backend; deleted items leave the list.
          const mine = sim.posts.filter((p) => p.account === a.id && !p.deleted).reverse();
          const page = mine.slice(offset, offset + count);
          const more = offset + page.length < mine.length;
          return contract(0, 'success', {
            items: page.map((p) => articleView(sim, p)),
            has_more: more,
            next_cursor: more ? String(offset + page.length) : '',
          });
        },
      },
      {
        method: 'GET',
        path: '/mp/agw/article/lookup',
        handler: (req, sim) => {
          const a = articleUser(req, sim);
          if (!isAccount(a)) return a;
          const p = sim.posts.find((x) => x.account === a.id && x.idempotencyMarker === req.query.external_id);
          return contract(0, 'success', p ? articleView(sim, p) : null);
        },
      },
      {
        method: 'POST',
        path: '/mp/agw/article/delete',
        handler: (req, sim) => {
          const a = articleUser(req, sim);
          if (!isAccount(a)) return a;
          const p = sim.findPost(str(req.body.pgc_id));
          if (!p || p.account !== a.id) return contract(4004, '文章不存在');
          p.deleted = true;
          return contract(0, 'success', {});
        },
      },
      {
        method: 'POST',
        path: '/toutiao/video/upload',
        handler: (req, sim) => {
          const a = videoUser(req, sim);
          if (!isAccount(a)) return a;
          const f = req.files.video;
          if (!f) return envelope(sim, 2100005, '缺少 video');
          if (f.data.length > 128 * MB) return envelope(sim, 2100005, '单次上传不得超过 128MB');
          const bad = videoOk(f.data);
          if (bad) return envelope(sim, 2100005, bad);
          return envelope(sim, 0, '', { video: { video_id: newVideo(a.id), width: 720, height: 1280 } });
        },
      },
      {
        method: 'POST',
        path: '/toutiao/video/part/init',
        handler: (req, sim) => {
          const a = videoUser(req, sim);
          if (!isAccount(a)) return a;
          const id = `@${randomBytes(12).toString('base64url')}`;
          uploads.set(id, { account: a.id, createdAt: sim.now(), data: new Map() });
          return envelope(sim, 0, '', { upload_id: id });
        },
      },
      {
        method: 'POST',
        path: '/toutiao/video/part/upload',
        handler: (req, sim) => {
          const a = videoUser(req, sim);
          if (!isAccount(a)) return a;
          const u = uploads.get(req.query.upload_id ?? '');
          if (!u || u.account !== a.id || u.createdAt + UPLOAD_TTL < sim.now() || u.videoId)
            return envelope(sim, 2100005, 'upload_id 无效');
          const n = Number(req.query.part_number);
          if (!Number.isInteger(n) || n < 1 || n > u.data.size + 1)
            return envelope(sim, 2100005, `分片须按顺序上传：期望 ${u.data.size + 1}`);
          const f = req.files.video;
          if (!f || f.data.length === 0) return envelope(sim, 2100005, '缺少分片');
          u.data.set(n, f.data);
          return envelope(sim, 0, '', {});
        },
      },
      {
        method: 'POST',
        path: '/toutiao/video/part/complete',
        handler: (req, sim) => {
          const a = videoUser(req, sim);
          if (!isAccount(a)) return a;
          const u = uploads.get(req.query.upload_id ?? '');
          if (!u || u.account !== a.id || u.createdAt + UPLOAD_TTL < sim.now()) return envelope(sim, 2100005, 'upload_id 无效');
          if (u.videoId) return envelope(sim, 0, '', { video: { video_id: u.videoId } });
          const parts = [...Array(u.data.size).keys()].map((i) => u.data.get(i + 1));
          if (parts.length === 0 || parts.some((p) => !p)) return envelope(sim, 2100005, '分片不完整');
          if (parts.slice(0, -1).some((p) => p!.length < minPart))
            return envelope(sim, 2100005, `除最后一片外，分片不得小于 ${minPart} 字节`);
          const bad = videoOk(Buffer.concat(parts as Buffer[]));
          u.data.clear();
          if (bad) return envelope(sim, 2100005, bad);
          u.videoId = newVideo(a.id);
          return envelope(sim, 0, '', { video: { video_id: u.videoId } });
        },
      },
      {
        method: 'POST',
        path: '/toutiao/video/create',
        handler: (req, sim) => {
          const a = videoUser(req, sim);
          if (!isAccount(a)) return a;
          const videoId = str(req.body.video_id);
          const v = videos.get(videoId);
          if (!v || v.account !== a.id) return envelope(sim, 2100005, 'video_id 无效');
          // A repeated video_id creates no new video: it answers the first one.
          if (v.itemId) return envelope(sim, 0, '', { item_id: v.itemId });
          const text = str(req.body.text);
          if (cp(text) < 1 || cp(text) > 30) return envelope(sim, 2100005, 'text 长度不合法');
          const post = sim.createPost({ account: a.id, title: text, text, idempotencyMarker: videoId, extra: { kind: 'video' } });
          v.itemId = post.id;
          return envelope(sim, 0, '', { item_id: post.id });
        },
      },
    ],
  });
}
