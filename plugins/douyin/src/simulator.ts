import { createHash, randomBytes, randomUUID } from 'node:crypto';
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

/** Options of the Douyin simulator; the defaults are the platform's (facts §3) where known. */
export interface DouyinSimulatorOptions {
  /** Access token lifetime (default 15 days). */
  accessTtlMs?: number;
  /** Refresh token lifetime (default 30 days). */
  refreshTtlMs?: number;
  /** How long review takes after create (simulated clock; default 150 ms). */
  reviewMs?: number;
  /** A text containing any of these is rejected by review (video_status 2). */
  rejectWords?: string[];
  /** Requests per user per minute before 28003018 (default 300). */
  userRequestsPerMinute?: number;
  /** Longest `text` accepted (default 30 code points; the real limit is undocumented). */
  textMax?: number;
  /** Minimum size of every part but the last (default 5 MB). */
  minPartBytes?: number;
  /** video_list calls per user per day before 28003017 (default 100, what the plugin declares) [I]. */
  videoListPerDay?: number;
}

const MB = 1024 * 1024;
const SINGLE_MAX = 128 * MB;
const TOTAL_MAX = 4 * 1024 * MB;
const MAX_DURATION = 900;
const UPLOAD_TTL = 2 * 3_600_000;
const MAX_RENEWALS = 5;

interface Upload {
  account: string;
  createdAt: number;
  parts: Map<number, number>;
  /** Bytes of the parts until complete; dropped afterwards to keep memory flat. */
  data: Map<number, Buffer>;
  videoId?: string;
}
interface Video {
  account: string;
  bytes: number;
  durationSec: number;
  format: string;
  used: boolean;
}

/** What the simulator answers a private message sent after the reply window (an assumption: not in the platform facts). */
export const IM_WINDOW_CODE = 28003020;

/**
 * Simulates the Douyin open platform at `/douyin/…` with the real paths, form/JSON/multipart bodies, the
 * `{data:{error_code,description}, extra:{…}}` envelope (HTTP 200 on errors), OAuth token lifetimes and
 * renewal limits, chunked uploads with order and size checks, review after create, and per-user limits.
 */
export function createDouyinSimulator(options: DouyinSimulatorOptions = {}): Simulator {
  const accessTtl = options.accessTtlMs ?? 15 * 86_400_000;
  const refreshTtl = options.refreshTtlMs ?? 30 * 86_400_000;
  const reviewMs = options.reviewMs ?? 150;
  const rejectWords = options.rejectWords ?? ['审核不通过测试'];
  const perMinute = options.userRequestsPerMinute ?? 300;
  const textMax = options.textMax ?? 30;
  const minPart = options.minPartBytes ?? 5 * MB;
  const videoListPerDay = options.videoListPerDay ?? 100;
  const clientKey = `aw${randomBytes(8).toString('hex')}`;
  const clientSecret = randomBytes(16).toString('hex');
  const msgIds = new Map<string, string>();
  const signedHeaders = (body: string, msgId: string) => ({
    'content-type': 'application/json',
    'x-douyin-signature': createHash('sha1')
      .update(clientSecret + body)
      .digest('hex'),
    'msg-id': msgId,
  });

  const refreshTokens = new Map<string, { account: string; expiresAt: number; renewals: number; dead: boolean }>();
  const codes = new Map<string, { account: string; used: boolean }>();
  const uploads = new Map<string, Upload>();
  const videos = new Map<string, Video>();
  const images = new Map<string, string>();
  const hits = new Map<string, number[]>();

  const envelope = (sim: Simulator, code: number, description: string, data: Record<string, unknown> = {}): SimResponse => ({
    status: 200,
    json: {
      data: { ...data, error_code: code, description },
      extra: {
        error_code: code,
        description,
        sub_error_code: 0,
        sub_description: '',
        logid: randomBytes(12).toString('hex'),
        now: sim.now(),
      },
    },
  });
  const ok = (sim: Simulator, data: Record<string, unknown>) => envelope(sim, 0, '', data);
  const oauth = (code: number, description: string, data: Record<string, unknown> = {}): SimResponse => ({
    status: 200,
    json: { data: { ...data, error_code: code, description }, message: code === 0 ? 'success' : 'error' },
  });
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  /** The access token each refresh token last handed out (raw, without the `act.` prefix). */
  const lastAccess = new Map<string, string>();
  const cp = (s: string) => [...s].length;

  function issue(sim: Simulator, account: SimAccount) {
    const access = sim.issueToken(account.id, accessTtl);
    const refresh = `rft.${randomBytes(20).toString('hex')}`;
    refreshTokens.set(refresh, { account: account.id, expiresAt: sim.now() + refreshTtl, renewals: 0, dead: false });
    lastAccess.set(refresh, access.token);
    return {
      access_token: `act.${access.token}`,
      expires_in: Math.floor(accessTtl / 1000),
      open_id: account.credentials?.open_id ?? '',
      refresh_token: refresh,
      refresh_expires_in: Math.floor(refreshTtl / 1000),
      scope: 'user_info,video.create.bind,video.data.bind,video.list.bind,video.delete.bind,item.comment',
    };
  }
  const rawToken = (req: SimRequest) => {
    const h = req.headers['access-token'];
    const t = (Array.isArray(h) ? h[0] : h) ?? req.query.access_token;
    return t?.startsWith('act.') ? t.slice(4) : undefined;
  };

  /** Checks token, open_id and the per-user frequency limit; returns the account or an error envelope. */
  function user(req: SimRequest, sim: Simulator): SimAccount | SimResponse {
    const token = rawToken(req);
    if (!token) return envelope(sim, 28001003, 'access_token无效');
    const account = sim.tokenAccount(token);
    if (!account) return envelope(sim, 28001008, 'access_token过期,请刷新或重新授权');
    if (req.query.open_id !== account.credentials.open_id) return envelope(sim, 28001015, 'access_token和open_id不匹配');
    const now = sim.now();
    const recent = (hits.get(account.id) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= perMinute) return envelope(sim, 28003018, '请求频率过高');
    recent.push(now);
    hits.set(account.id, recent);
    return account;
  }
  const isAccount = (a: SimAccount | SimResponse): a is SimAccount => 'credentials' in a;

  /** Review: in review (4) until reviewMs passed, then published (1) or not suitable for public (2). */
  function status(sim: Simulator, p: SimPost): number {
    if (p.deleted) return 0;
    // A post made in the app is shown to the sandbox once it was reviewed there.
    if (!p.native && sim.now() - Date.parse(p.createdAt) < reviewMs) return 4;
    return rejectWords.some((w) => p.text.includes(w)) ? 2 : 1;
  }
  function item(sim: Simulator, p: SimPost) {
    return {
      item_id: p.id,
      video_id: p.extra.media_type === 4 ? p.extra.video_id : undefined,
      title: p.text,
      create_time: Math.floor(Date.parse(p.createdAt) / 1000),
      video_status: status(sim, p),
      media_type: p.extra.media_type,
      is_reviewed: status(sim, p) !== 4,
      is_top: false,
      share_url: shareUrl(p),
      cover: `https://p3-sign.douyinpic.com/obj/${p.id}.jpeg`,
      statistics: {
        play_count: p.metrics.views,
        digg_count: p.metrics.likes,
        comment_count: p.comments.length,
        share_count: p.metrics.shares,
        forward_count: 0,
        download_count: 0,
      },
    };
  }

  /** Checks a whole video as the platform does after upload; returns an error description or the video. */
  function acceptVideo(account: string, data: Buffer): Video | string {
    const format = videoContainer(data);
    if (!format) return 'video format not supported: mp4 or webm only';
    if (data.length > TOTAL_MAX) return 'video larger than 4 GB';
    let durationSec = 0;
    if (format === 'mp4') {
      const d = mp4DurationSec(data);
      if (d === undefined) return 'mp4 without a readable duration (moov/mvhd)';
      if (d > MAX_DURATION) return `video duration ${Math.round(d)}s exceeds ${MAX_DURATION}s`;
      durationSec = d;
    }
    return { account, bytes: data.length, durationSec, format, used: false };
  }
  function storeVideo(v: Video): string {
    const id = `v0${randomBytes(9).toString('hex')}`;
    videos.set(id, v);
    return id;
  }

  const shareUrl = (p: SimPost) => `https://www.iesdouyin.com/share/${p.extra.media_type === 2 ? 'note' : 'video'}/${p.id}/`;

  const V = '/api/douyin/v1/video';
  return createSimulator({
    platform: 'douyin',
    // A video posted in the Douyin app: its caption is all the text a post has; links cannot be posted.
    nativePost: (input, sim) =>
      sim.createPost({
        account: input.account.id,
        title: [input.title, input.text].filter(Boolean).join(' '),
        text: [input.title, input.text].filter(Boolean).join(' '),
        extra: { media_type: 4, video_id: `v0${randomBytes(9).toString('hex')}` },
      }),
    postUrl: shareUrl,
    webhook: {
      push: (m, account, s) => {
        let msgId = msgIds.get(m.id);
        if (!msgId) msgIds.set(m.id, (msgId = `${Date.parse(m.createdAt)}${randomBytes(4).toString('hex')}`));
        const type = m.kind === 'event' ? 'card' : m.kind;
        const body = JSON.stringify({
          event: 'im_receive_msg',
          client_key: clientKey,
          from_user_id: m.from,
          to_user_id: account.credentials.open_id,
          content: JSON.stringify({
            message_type: type,
            ...(type === 'text' ? { text: m.text } : {}),
            server_message_id: msgId,
            create_time: Math.floor(Date.parse(m.createdAt) / 1000),
          }),
          log_id: `${s.now()}${randomBytes(6).toString('hex')}`,
        });
        return { method: 'POST', headers: signedHeaders(body, msgId), body };
      },
      challenge: () => {
        const challenge = randomBytes(4).readUInt32BE();
        const body = JSON.stringify({ event: 'verify_webhook', client_key: clientKey, content: { challenge } });
        return {
          push: { method: 'POST', headers: signedHeaders(body, `verify-${challenge}`), body },
          expect: JSON.stringify({ challenge }),
        };
      },
      // Douyin's retry policy is not in the platform facts: 3 tries of 5 s assumed, like WeChat [I].
      tries: 3,
      timeoutMs: 5000,
    },
    createAccount: (account, sim) => {
      const openId = randomUUID();
      const withOpenId = { ...account, subject: account.name, credentials: { open_id: openId }, createdAt: '' };
      const t = issue(sim, withOpenId);
      return {
        client_key: clientKey,
        client_secret: clientSecret,
        access_token: t.access_token,
        refresh_token: t.refresh_token,
        open_id: openId,
        access_expires_at: String(sim.now() + accessTtl),
        refresh_expires_at: String(sim.now() + refreshTtl),
      };
    },
    tokenFrom: rawToken,
    faultResponses: {
      rate_limit: (_req, sim) => envelope(sim, 28003018, '请求频率过高'),
      server_error: (_req, sim) => envelope(sim, 28001005, '系统繁忙，请稍后重试'),
      token_expired: (_req, sim) => envelope(sim, 28001008, 'access_token过期,请刷新或重新授权'),
    },
    routes: [
      {
        // The authorization page: the sandbox approves at once for the newest (or the named) account.
        method: 'GET',
        path: '/platform/oauth/connect',
        auth: true,
        handler: (req, sim) => {
          if (req.query.client_key !== clientKey || req.query.response_type !== 'code' || !req.query.redirect_uri) {
            return { status: 400, body: 'invalid client_key, response_type or redirect_uri' };
          }
          const account = sim.accounts.find((a) => a.id === req.query.sandbox_account) ?? sim.accounts.at(-1);
          if (!account) return { status: 400, body: 'no sandbox account to authorize' };
          const code = randomBytes(12).toString('hex');
          codes.set(code, { account: account.id, used: false });
          const to = new URL(req.query.redirect_uri);
          to.searchParams.set('code', code);
          to.searchParams.set('state', req.query.state ?? '');
          return { status: 302, headers: { location: to.toString() } };
        },
      },
      {
        method: 'POST',
        path: '/oauth/access_token',
        auth: true,
        handler: (req, sim) => {
          const b = req.body;
          if (!String(req.headers['content-type']).includes('x-www-form-urlencoded')) return oauth(10005, '参数不合法: form 表单');
          if (!b.client_key || !b.client_secret || !b.code || b.grant_type !== 'authorization_code') return oauth(10005, '缺少参数');
          if (b.client_key !== clientKey || b.client_secret !== clientSecret) return oauth(10013, 'client_key或client_secret错误');
          const c = codes.get(str(b.code));
          if (!c || c.used) return oauth(10007, '授权码过期或已使用');
          c.used = true;
          const account = sim.accounts.find((a) => a.id === c.account)!;
          return oauth(0, '', issue(sim, account));
        },
      },
      {
        method: 'POST',
        path: '/oauth/refresh_token',
        auth: true,
        handler: (req, sim) => {
          const b = req.body;
          if (b.client_key !== clientKey || b.grant_type !== 'refresh_token' || !b.refresh_token) return oauth(10005, '缺少参数');
          const r = refreshTokens.get(str(b.refresh_token));
          if (!r || r.dead || r.expiresAt <= sim.now()) return oauth(10010, 'refresh_token过期,请重新授权');
          const account = sim.accounts.find((a) => a.id === r.account);
          if (!account) return oauth(10010, 'refresh_token过期,请重新授权');
          // While the access token is still valid the same one comes back with its expiry renewed; once it
          // has expired, a new one (open.douyin.com 刷新 access_token; facts §3). The refresh token and its
          // expiry stay as they were.
          const last = lastAccess.get(str(b.refresh_token));
          const access = (last && sim.renewToken(last, accessTtl)) || sim.issueToken(account.id, accessTtl);
          lastAccess.set(str(b.refresh_token), access.token);
          return oauth(0, '', {
            access_token: `act.${access.token}`,
            expires_in: Math.floor(accessTtl / 1000),
            open_id: account.credentials.open_id,
            refresh_token: str(b.refresh_token),
            refresh_expires_in: Math.floor((r.expiresAt - sim.now()) / 1000),
            scope: 'user_info,video.create.bind',
          });
        },
      },
      {
        method: 'POST',
        path: '/oauth/renew_refresh_token',
        auth: true,
        handler: (req, sim) => {
          const b = req.body;
          if (b.client_key !== clientKey || !b.refresh_token) return oauth(10005, '缺少参数');
          const r = refreshTokens.get(str(b.refresh_token));
          if (!r || r.dead || r.expiresAt <= sim.now()) return oauth(10010, 'refresh_token过期,请重新授权');
          if (r.renewals >= MAX_RENEWALS) return oauth(10020, '刷新次数超过上限');
          r.dead = true;
          const next = `rft.${randomBytes(20).toString('hex')}`;
          refreshTokens.set(next, { account: r.account, expiresAt: sim.now() + refreshTtl, renewals: r.renewals + 1, dead: false });
          lastAccess.set(next, lastAccess.get(str(b.refresh_token)) ?? '');
          return oauth(0, '', { refresh_token: next, expires_in: Math.floor(refreshTtl / 1000) });
        },
      },
      {
        method: 'POST',
        path: '/oauth/userinfo',
        commits: false,
        handler: (req, sim) => {
          const account = sim.tokenAccount(str(req.body.access_token).replace(/^act\./, ''));
          if (!account) return envelope(sim, 2190008, 'access_token过期');
          if (req.body.open_id !== account.credentials.open_id) return envelope(sim, 28001015, 'access_token和open_id不匹配');
          return ok(sim, {
            open_id: account.credentials.open_id,
            union_id: account.id,
            nickname: account.name,
            avatar: '',
            e_account_role: 'EAccountM',
          });
        },
      },
      {
        method: 'POST',
        path: `${V}/upload_image`,
        handler: (req, sim) => {
          const a = user(req, sim);
          if (!isAccount(a)) return a;
          const f = req.files.image;
          if (!f) return envelope(sim, 28001007, '缺少 image');
          const jpeg = f.data[0] === 0xff && f.data[1] === 0xd8;
          const png = f.data.subarray(1, 4).toString('latin1') === 'PNG';
          if (!jpeg && !png) return envelope(sim, 28001007, '图片格式不支持，仅支持 jpg/png');
          if (f.data.length > 10_000_000) return envelope(sim, 28001007, '图片过大');
          const id = `@${randomBytes(12).toString('base64url')}`;
          images.set(id, a.id);
          return ok(sim, { image: { image_id: id, width: 1, height: 1 } });
        },
      },
      {
        method: 'POST',
        path: `${V}/upload_video`,
        handler: (req, sim) => {
          const a = user(req, sim);
          if (!isAccount(a)) return a;
          const f = req.files.video;
          if (!f) return envelope(sim, 28001007, '缺少 video');
          if (f.data.length > SINGLE_MAX) return envelope(sim, 28001007, '单次上传不得超过 128MB，请使用分片上传');
          const v = acceptVideo(a.id, f.data);
          if (typeof v === 'string') return envelope(sim, 28001007, v);
          return ok(sim, { video: { video_id: storeVideo(v), width: 720, height: 1280 } });
        },
      },
      {
        method: 'POST',
        path: `${V}/init_video_part_upload`,
        handler: (req, sim) => {
          const a = user(req, sim);
          if (!isAccount(a)) return a;
          const id = `@${randomBytes(15).toString('base64url')}`;
          uploads.set(id, { account: a.id, createdAt: sim.now(), parts: new Map(), data: new Map() });
          return ok(sim, { upload_id: id });
        },
      },
      {
        method: 'POST',
        path: `${V}/upload_video_part`,
        handler: (req, sim) => {
          const a = user(req, sim);
          if (!isAccount(a)) return a;
          const u = uploads.get(req.query.upload_id ?? '');
          if (!u || u.account !== a.id || u.createdAt + UPLOAD_TTL < sim.now()) return envelope(sim, 28001007, 'upload_id 无效或已过期');
          if (u.videoId) return envelope(sim, 28001007, '该 upload_id 已完成上传');
          const n = Number(req.query.part_number);
          const last = Math.max(0, ...u.parts.keys());
          if (!Number.isInteger(n) || n < 1) return envelope(sim, 28001007, 'part_number 须为从 1 开始的整数');
          // Parts arrive in order; re-sending an already stored part (a retry) replaces it.
          if (n > last + 1) return envelope(sim, 28001007, `分片须按顺序上传：期望 part_number ${last + 1}`);
          const f = req.files.video;
          if (!f || f.data.length === 0) return envelope(sim, 28001007, '缺少 video 分片');
          if (f.data.length > SINGLE_MAX) return envelope(sim, 28001007, '分片过大');
          const total = [...u.parts.entries()].reduce((s, [k, v]) => s + (k === n ? 0 : v), 0) + f.data.length;
          if (total > TOTAL_MAX) return envelope(sim, 28001007, '视频总大小不得超过 4GB');
          u.parts.set(n, f.data.length);
          u.data.set(n, f.data);
          return ok(sim, {});
        },
      },
      {
        method: 'POST',
        path: `${V}/complete_video_part_upload`,
        handler: (req, sim) => {
          const a = user(req, sim);
          if (!isAccount(a)) return a;
          const u = uploads.get(req.query.upload_id ?? '');
          if (!u || u.account !== a.id || u.createdAt + UPLOAD_TTL < sim.now()) return envelope(sim, 28001007, 'upload_id 无效或已过期');
          // Completing twice answers the same video [I: behaviour of a repeated complete is undocumented].
          if (u.videoId) return ok(sim, { video: { video_id: u.videoId, width: 720, height: 1280 } });
          const n = u.parts.size;
          if (n === 0) return envelope(sim, 28001007, '没有已上传的分片');
          for (let i = 1; i <= n; i++) {
            const size = u.parts.get(i);
            if (size === undefined) return envelope(sim, 28001007, `缺少分片 ${i}`);
            if (i < n && size < minPart) return envelope(sim, 28001007, `分片 ${i} 小于 ${minPart} 字节（仅最后一片可以更小）`);
          }
          const v = acceptVideo(a.id, Buffer.concat([...Array(n).keys()].map((i) => u.data.get(i + 1)!)));
          u.data.clear();
          if (typeof v === 'string') return envelope(sim, 28001007, v);
          u.videoId = storeVideo(v);
          return ok(sim, { video: { video_id: u.videoId, width: 720, height: 1280 } });
        },
      },
      {
        method: 'POST',
        path: `${V}/create_video`,
        handler: (req, sim) => {
          const a = user(req, sim);
          if (!isAccount(a)) return a;
          const b = req.body;
          const videoId = str(b.video_id);
          const v = videos.get(videoId);
          if (!v || v.account !== a.id) return envelope(sim, 28001007, 'video_id 无效');
          if (v.used) return envelope(sim, 28001007, 'video_id 已被使用，请重新上传');
          const text = str(b.text);
          if (cp(text) > textMax) return envelope(sim, 28001007, `text 超过 ${textMax} 字`);
          if (b.custom_cover_image_url !== undefined && images.get(str(b.custom_cover_image_url)) !== a.id) {
            return envelope(sim, 28001007, 'custom_cover_image_url 无效');
          }
          v.used = true;
          const post = sim.createPost({
            account: a.id,
            title: text,
            text,
            idempotencyMarker: videoId,
            extra: {
              media_type: 4,
              video_id: videoId,
              bytes: v.bytes,
              durationSec: v.durationSec,
              cover: b.custom_cover_image_url ?? null,
            },
          });
          return ok(sim, { item_id: post.id });
        },
      },
      {
        method: 'POST',
        path: `${V}/create_image_text`,
        handler: (req, sim) => {
          const a = user(req, sim);
          if (!isAccount(a)) return a;
          const list = Array.isArray(req.body.image_list) ? (req.body.image_list as unknown[]).map(str) : [];
          if (list.length === 0) return envelope(sim, 28001007, 'image_list 不能为空');
          // At most 30 images per 图文 post (open.douyin.com create_image_text; facts §3).
          if (list.length > 30) return envelope(sim, 28001007, 'image_list 最多 30 张');
          if (list.some((id) => images.get(id) !== a.id)) return envelope(sim, 28001007, 'image_id 无效');
          const text = str(req.body.text);
          if (cp(text) > textMax) return envelope(sim, 28001007, `text 超过 ${textMax} 字`);
          const post = sim.createPost({
            account: a.id,
            title: text,
            text,
            idempotencyMarker: list[0],
            extra: { media_type: 2, image_list: list },
          });
          return ok(sim, { item_id: post.id });
        },
      },
      {
        method: 'POST',
        path: `${V}/video_data`,
        commits: false,
        handler: (req, sim) => {
          const a = user(req, sim);
          if (!isAccount(a)) return a;
          const ids = Array.isArray(req.body.item_ids) ? (req.body.item_ids as unknown[]).map(str) : [];
          if (ids.length === 0 || ids.length > 20) return envelope(sim, 28001007, 'item_ids 须为 1–20 个');
          const list = sim.posts.filter((p) => p.account === a.id && !p.deleted && ids.includes(p.id)).map((p) => item(sim, p));
          return ok(sim, { list });
        },
      },
      {
        method: 'GET',
        path: `${V}/video_list`,
        handler: (req, sim) => {
          const a = user(req, sim);
          if (!isAccount(a)) return a;
          if (!sim.takeDailyQuota(a.id, 'video_list', videoListPerDay)) return envelope(sim, 28003017, '接口调用次数已达上限');
          const cursor = Number(req.query.cursor ?? 0);
          const count = Number(req.query.count ?? 10);
          if (!Number.isInteger(cursor) || cursor < 0 || !Number.isInteger(count) || count < 1 || count > 20) {
            return envelope(sim, 28001007, 'cursor/count 参数不合法');
          }
          const mine = sim.posts.filter((p) => p.account === a.id && !p.deleted).reverse();
          const page = mine.slice(cursor, cursor + count);
          return ok(sim, {
            list: page.map((p) => item(sim, p)),
            cursor: cursor + page.length,
            has_more: cursor + page.length < mine.length,
          });
        },
      },
      {
        method: 'POST',
        path: '/video/delete',
        handler: (req, sim) => {
          const a = user(req, sim);
          if (!isAccount(a)) return a;
          const p = sim.findPost(str(req.body.item_id));
          if (!p || p.account !== a.id) return envelope(sim, 28001007, 'item_id 无效');
          // Deleting a deleted post succeeds [I].
          p.deleted = true;
          return ok(sim, {});
        },
      },
      {
        method: 'GET',
        path: '/item/comment/list',
        handler: (req, sim) => {
          const a = user(req, sim);
          if (!isAccount(a)) return a;
          const p = sim.findPost(req.query.item_id ?? '');
          if (!p || p.account !== a.id) return envelope(sim, 28001007, 'item_id 无效');
          const count = Number(req.query.count ?? 10);
          if (!Number.isInteger(count) || count < 1 || count > 50) return envelope(sim, 28001007, 'count 须为 1–50');
          const cursor = Number(req.query.cursor ?? 0);
          // Top-level comments, newest first; answers to a comment are read with comment/reply/list.
          const top = p.comments.filter((c) => !c.parentId && !c.deleted).reverse();
          const page = top.slice(cursor, cursor + count);
          return ok(sim, {
            list: page.map((c) => ({
              comment_id: c.id,
              comment_user_id: c.author,
              content: c.text,
              create_time: Math.floor(Date.parse(c.createdAt) / 1000),
              digg_count: 0,
              reply_comment_total: (c.reply ? 1 : 0) + p.comments.filter((x) => x.parentId === c.id).length,
              top: false,
            })),
            cursor: cursor + page.length,
            has_more: cursor + page.length < top.length,
          });
        },
      },
      {
        method: 'GET',
        path: '/item/comment/reply/list',
        handler: (req, sim) => {
          const a = user(req, sim);
          if (!isAccount(a)) return a;
          const p = sim.findPost(req.query.item_id ?? '');
          if (!p || p.account !== a.id) return envelope(sim, 28001007, 'item_id 无效');
          const parent = p.comments.find((x) => x.id === req.query.comment_id);
          if (!parent) return envelope(sim, 28001007, 'comment_id 无效');
          const count = Number(req.query.count ?? 10);
          if (!Number.isInteger(count) || count < 1 || count > 50) return envelope(sim, 28001007, 'count 须为 1–50');
          const cursor = Number(req.query.cursor ?? 0);
          const replies = [
            ...p.comments
              .filter((x) => x.parentId === parent.id && !x.deleted)
              .map((x) => ({ id: x.id, user: x.authorId ?? x.author, text: x.text, at: x.createdAt })),
            ...(parent.reply
              ? [{ id: parent.reply.id, user: a.credentials.open_id, text: parent.reply.text, at: parent.reply.createdAt }]
              : []),
          ].sort((x, y) => Date.parse(y.at) - Date.parse(x.at));
          const page = replies.slice(cursor, cursor + count);
          return ok(sim, {
            list: page.map((r) => ({
              comment_id: r.id,
              comment_user_id: r.user,
              content: r.text,
              create_time: Math.floor(Date.parse(r.at) / 1000),
              digg_count: 0,
            })),
            cursor: cursor + page.length,
            has_more: cursor + page.length < replies.length,
          });
        },
      },
      {
        method: 'POST',
        path: '/im/send/msg',
        handler: (req, sim) => {
          const a = user(req, sim);
          if (!isAccount(a)) return a;
          const to = str(req.body.to_user_id);
          const text = str((req.body.content as { text?: unknown } | undefined)?.text);
          if (!text.trim()) return envelope(sim, 28001007, 'content 不能为空');
          if (sim.lastMessageAt(a.id, to) === undefined) return envelope(sim, 28001007, 'to_user_id 无效');
          // The window and its code are assumptions of this simulator [I].
          if (!sim.replyWindowOpen(a.id, to, 48)) return envelope(sim, IM_WINDOW_CODE, '超过私信回复时限');
          const r = sim.recordReply({
            kind: 'message',
            account: a.id,
            conversationId: to,
            text,
            idempotencyKey: str(req.body.client_msg_id) || undefined,
          });
          return ok(sim, { msg_id: r.id });
        },
      },
      {
        method: 'POST',
        path: '/item/comment/reply',
        handler: (req, sim) => {
          const a = user(req, sim);
          if (!isAccount(a)) return a;
          const p = sim.findPost(str(req.body.item_id));
          if (!p || p.account !== a.id) return envelope(sim, 28001007, 'item_id 无效');
          const c = p.comments.find((x) => x.id === str(req.body.comment_id));
          if (!c) return envelope(sim, 28001007, 'comment_id 无效');
          const content = str(req.body.content);
          if (!content.trim()) return envelope(sim, 28001007, 'content 不能为空');
          c.reply = { id: sim.newId('r'), text: content, createdAt: new Date(sim.now()).toISOString() };
          sim.recordReply({ id: c.reply.id, kind: 'comment', account: a.id, postId: p.id, commentId: c.id, text: content });
          return ok(sim, { comment_id: c.reply.id });
        },
      },
    ],
  });
}
