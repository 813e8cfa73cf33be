// The SDK guide's worked example (shipped in the SDK package under examples/county-tv): a video platform
// that keeps no idempotency key of ours and uploads through a gateway whose address it hands out at run
// time. It has the scaffold's layout; the SDK's own tests and the author-path test run it through the
// conformance suite, so the guide's example is known to pass.
import {
  AuthExpiredError,
  ContentInvalidError,
  definePlugin,
  fitText,
  htmlToText,
  PermanentError,
  RateLimitedError,
  TransientError,
  type ConstraintIssue,
  type HttpResponse,
  type JsonValue,
  type PluginContext,
  type PluginManifest,
} from '@tongfa/plugin-sdk';

export interface CountyTvPayload {
  title: string;
  description: string;
  videoRef: string;
  videoBytes: number;
  partBytes: number;
}

/** What a publish has done so far: checkpointed after each committed step. */
interface Progress {
  uploadId?: string;
  uploadUrl?: string;
  partsDone: number;
  /** When the create call was first sent and what it said: findExisting looks for exactly that. */
  createSentAt?: number;
  title?: string;
}

const PART = 5 * 1024 * 1024;

export const countyTvManifest: PluginManifest = {
  id: 'county-tv',
  name: { zh: '县融媒视频号', en: 'County TV' },
  version: '1.0.0',
  sdk: '^0.2.0',
  auth: { kind: 'app_secret' },
  credentials: [
    { name: 'appId', label: { zh: '应用 ID', en: 'App ID' }, secret: false, required: true },
    { name: 'appSecret', label: { zh: '应用密钥', en: 'App secret' }, secret: true, required: true },
    { name: 'accessToken', label: { zh: '访问令牌', en: 'Access token' }, secret: true, required: false },
  ],
  capabilities: ['video', 'retract'],
  constraints: {
    title: { min: 1, max: 30, counter: 'codePoints' },
    body: { max: 500, counter: 'codePoints' },
    video: { maxBytes: 512 * 1024 * 1024, maxDurationSec: 600, formats: ['mp4'] },
  },
  // One token per plugin call the host makes (a publish attempt, a findExisting, a retract), not per HTTP request.
  rateLimits: { perApp: { tokens: 300, intervalMs: 60_000 }, perAccount: { tokens: 20, intervalMs: 3_600_000 } },
  // The upload gateway's host comes back at run time: its domain is allowed with a wildcard.
  allowedHosts: ['api.county-tv.example', '*.upload.county-tv.example'],
  endpoints: { api: 'https://api.county-tv.example' },
  // The gateway authorises each part with a short-lived token in the query: never in a log or an error.
  sensitiveParams: ['upload_token'],
  // The platform keeps nothing of ours: after an ambiguous failure we look the video up by title and time.
  idempotency: 'lookup',
  simulator: { module: './simulator', export: 'createCountyTvSimulator' },
};

function check<T>(res: HttpResponse): T {
  if (res.status >= 200 && res.status < 300) return res.json<T>();
  let code: string | undefined;
  try {
    code = res.json<{ error?: string }>().error;
  } catch {
    code = undefined;
  }
  if (res.status === 401) throw new AuthExpiredError({ platformCode: code });
  if (res.status === 429) throw new RateLimitedError(Number(res.headers['retry-after'] ?? 1) * 1000, { platformCode: code });
  if (res.status >= 500) throw new TransientError({ platformCode: code ?? res.status });
  if (res.status === 400) throw new ContentInvalidError([{ constraint: 'content', message: code ?? 'invalid' }], { platformCode: code });
  throw new PermanentError({ zh: `平台返回 HTTP ${res.status}`, en: `platform answered HTTP ${res.status}`, platformCode: code });
}

const auth = (ctx: PluginContext) => {
  if (!ctx.credentials.accessToken) throw new AuthExpiredError();
  return { authorization: `Bearer ${ctx.credentials.accessToken}` };
};

interface VideoView {
  video_id: string;
  title: string;
  share_url: string;
  created_at: number;
  deleted?: boolean;
}

const countyTvPlugin = definePlugin<CountyTvPayload>({
  manifest: countyTvManifest,

  async refreshCredentials(ctx) {
    const t = check<{ access_token: string; expires_in: number }>(
      await ctx.http.request({
        method: 'POST',
        url: `${ctx.endpoints.api}/oauth/token`,
        json: { app_id: ctx.credentials.appId, app_secret: ctx.credentials.appSecret },
      }),
    );
    return { credentials: { accessToken: t.access_token }, expiresAt: ctx.clock.now() + t.expires_in * 1000 };
  },

  async getProfile(ctx) {
    const me = check<{ id: string; name: string }>(
      await ctx.http.request({ method: 'GET', url: `${ctx.endpoints.api}/me`, headers: auth(ctx) }),
    );
    return { platformAccountId: me.id, name: me.name, verifiedSubject: me.name };
  },

  render(input) {
    const violations: ConstraintIssue[] = [];
    const v = input.video;
    if (!v) violations.push({ constraint: 'video.required', message: '县融媒视频号只发布视频 / County TV publishes videos only' });
    else if (v.durationSec > 600) {
      violations.push({
        constraint: 'video.maxDurationSec',
        message: '视频超过 10 分钟 / longer than 10 minutes',
        limit: 600,
        actual: v.durationSec,
      });
    }
    // Titles are never cut (a cut headline changes its meaning); the description may be.
    const t = fitText('title', input.title.trim(), countyTvManifest.constraints.title, { truncate: false });
    const d = fitText('body', (input.summary || htmlToText(input.bodyHtml)).trim(), countyTvManifest.constraints.body, { truncate: true });
    for (const f of [t, d]) if (f.violation) violations.push(f.violation);
    const title = t.text;
    const description = d.text;
    return {
      payload: { title, description, videoRef: v?.ref ?? '', videoBytes: v?.bytes ?? 0, partBytes: PART },
      fields: { title, body: description },
      assets: [],
      warnings: [t, d].flatMap((f) => (f.warning ? [f.warning] : [])),
      violations,
    };
  },

  async publish(ctx, rendition) {
    const p = rendition.payload;
    const progress: Progress = (ctx.lastCheckpoint as unknown as Progress | undefined) ?? { partsDone: 0 };
    const save = () => ctx.checkpoint(progress as unknown as JsonValue);
    if (!ctx.videos) throw new PermanentError({ zh: '宿主未提供视频读取接口', en: 'the host provides no ctx.videos' });
    if (!progress.uploadId) {
      // The platform answers with a gateway URL of its choosing (a host known only at run time).
      const up = check<{ upload_id: string; upload_url: string }>(
        await ctx.http.request({ method: 'POST', url: `${ctx.endpoints.api}/uploads`, headers: auth(ctx), json: { bytes: p.videoBytes } }),
      );
      Object.assign(progress, { uploadId: up.upload_id, uploadUrl: up.upload_url });
      await save();
    }
    const parts = Math.ceil(p.videoBytes / p.partBytes);
    for (let n = progress.partsDone; n < parts; n++) {
      // Chunked reads of the manuscript's video, one part at a time: nothing holds the whole file.
      const bytes = await ctx.videos.read(p.videoRef, n * p.partBytes, p.partBytes);
      const token = check<{ upload_token: string }>(
        await ctx.http.request({ method: 'POST', url: `${ctx.endpoints.api}/uploads/${progress.uploadId}/token`, headers: auth(ctx) }),
      ).upload_token;
      check(
        await ctx.http.request({
          method: 'PUT',
          url: progress.uploadUrl!,
          query: { part: n + 1, upload_token: token },
          body: Buffer.from(bytes),
          headers: { 'content-type': 'application/octet-stream' },
        }),
      );
      progress.partsDone = n + 1;
      await save();
    }
    // No client token exists on this platform: remember what we send and when, before sending it.
    progress.createSentAt ??= ctx.clock.now();
    progress.title = p.title;
    await save();
    const v = check<VideoView>(
      await ctx.http.request({
        method: 'POST',
        url: `${ctx.endpoints.api}/videos`,
        headers: auth(ctx),
        json: { upload_id: progress.uploadId, title: p.title, description: p.description },
      }),
    );
    return { remoteId: v.video_id, url: v.share_url, status: 'published' };
  },

  async publishStatus(ctx, remoteId) {
    const res = await ctx.http.request({
      method: 'GET',
      url: `${ctx.endpoints.api}/videos/${encodeURIComponent(remoteId)}`,
      headers: auth(ctx),
    });
    if (res.status === 404) return { status: 'deleted' };
    const v = check<VideoView>(res);
    return v.deleted ? { status: 'deleted' } : { status: 'published', url: v.share_url };
  },

  async findExisting(ctx) {
    const sent = ctx.lastCheckpoint as unknown as Progress | undefined;
    // Never sent the create call: positively absent.
    if (!sent?.createSentAt) return null;
    const list = check<{ items: VideoView[] }>(
      await ctx.http.request({
        method: 'GET',
        url: `${ctx.endpoints.api}/videos`,
        headers: auth(ctx),
        // A minute of clock skew either way; the title must match exactly.
        query: { since: sent.createSentAt - 60_000 },
      }),
    );
    const hit = list.items.find((v) => !v.deleted && v.title === sent.title && v.created_at >= sent.createSentAt! - 60_000);
    return hit ? { remoteId: hit.video_id, url: hit.share_url, status: 'published' } : null;
  },

  async retract(ctx, remoteId) {
    const res = await ctx.http.request({
      method: 'DELETE',
      url: `${ctx.endpoints.api}/videos/${encodeURIComponent(remoteId)}`,
      headers: auth(ctx),
    });
    if (res.status !== 404) check(res);
  },
});

export default countyTvPlugin;
export { countyTvPlugin };
export { createCountyTvSimulator } from './simulator';
