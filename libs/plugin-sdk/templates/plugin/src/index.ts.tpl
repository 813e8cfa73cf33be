import {
  AuthExpiredError,
  ContentInvalidError,
  definePlugin,
  fitSpecFor,
  fitText,
  htmlToText,
  imageIssues,
  pageSize,
  parsePostUrl,
  PermanentError,
  RateLimitedError,
  TransientError,
  truncate,
  type AssetRequest,
{{#oauth2}}
  type AuthContext,
  type CredentialUpdate,
{{/oauth2}}
  type ConstraintIssue,
  type HttpResponse,
  type JsonValue,
  type ListedPost,
  type PluginContext,
  type PluginManifest,
  type PublishResult,
} from '@tongfa/plugin-sdk';

/** What render() produces and publish() sends. Keep it JSON: the host stores it. */
export interface {{pascal}}Payload {
  title: string;
  content: string;
  summary: string;
  /** Asset keys, in order; publish() uploads each and sends the media ids. */
  imageKeys: string[];
  coverKey?: string;
}

export const manifest: PluginManifest = {
  id: '{{id}}',
  name: { zh: '{{nameZh}}', en: '{{nameEn}}' },
  version: '0.1.0',
  sdk: '{{sdkRange}}',
{{#oauth2}}
  // The person who runs the account signs in on the platform and grants these scopes to the hub's app.
  auth: { kind: 'oauth2', scopes: ['post.read', 'post.write'] },
  credentials: [
    // One app for the whole hub: the operator enters its key and secret once (scope 'app').
    { name: 'clientId', label: { zh: '应用 Key', en: 'Client ID' }, secret: false, required: true, scope: 'app' },
    { name: 'clientSecret', label: { zh: '应用密钥', en: 'Client secret' }, secret: true, required: true, scope: 'app' },
    // Obtained by exchangeCode and refreshCredentials; never typed in by a person.
    { name: 'accessToken', label: { zh: '访问令牌', en: 'Access token' }, secret: true, required: false },
    { name: 'refreshToken', label: { zh: '刷新令牌', en: 'Refresh token' }, secret: true, required: false },
  ],
{{/oauth2}}
{{^oauth2}}
  auth: { kind: 'app_secret' },
  credentials: [
    { name: 'appId', label: { zh: '应用 ID', en: 'App ID' }, secret: false, required: true },
    { name: 'appSecret', label: { zh: '应用密钥', en: 'App secret' }, secret: true, required: true },
    // Obtained by refreshCredentials; never typed in by a person.
    { name: 'accessToken', label: { zh: '访问令牌', en: 'Access token' }, secret: true, required: false },
  ],
{{/oauth2}}
  capabilities: ['article', 'retract', 'metrics', 'comments', 'listPosts'],
  constraints: {
    title: { min: 1, max: 30, counter: 'codePoints' },
    body: { min: 1, max: 5000, counter: 'codePoints' },
    summary: { max: 120, counter: 'codePoints' },
    cover: { maxCount: 1, formats: ['jpeg'], maxBytes: 1_000_000, maxWidth: 1880, aspectRatios: [{ width: 2.35, height: 1 }], minWidth: 200 },
    images: { maxCount: 9, formats: ['jpeg', 'png'], maxBytes: 2_000_000, maxWidth: 2048, maxHeight: 4096 },
  },
  rateLimits: {
    perApp: { tokens: 600, intervalMs: 60_000 },
    perAccount: { tokens: 30, intervalMs: 60 * 60_000 },
  },
  allowedHosts: ['api.example.com'],
  // The hub's sandbox serves this simulator (loaded only there, never in production).
  simulator: { module: './simulator', export: 'create{{pascal}}Simulator' },
  endpoints: { api: 'https://api.example.com' },
  // The post list: say what the platform documents; where it documents nothing, a conservative guess.
  postListing: {
    dailyCallsPerAccount: 100,
    quotaBasis: 'assumed',
    quotaSource: 'the imaginary platform publishes no quota; replace with the real one',
    maxPageSize: 20,
    maxCallsPerUrlCheck: 1,
    postUrlHosts: ['www.example.com'],
  },
};

// The platform's error conventions, mapped once to the SDK's typed errors the host acts on.
function check<T>(res: HttpResponse): T {
  if (res.status >= 200 && res.status < 300) return res.json<T>();
  const body = safeJson(res);
  const code = typeof body.error === 'string' ? body.error : undefined;
  if (res.status === 401) throw new AuthExpiredError({ platformCode: code });
  if (res.status === 429) {
    const seconds = Number(res.headers['retry-after']);
    throw new RateLimitedError(Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000, { platformCode: code });
  }
  if (res.status >= 500) throw new TransientError({ platformCode: code ?? res.status });
  if (res.status === 400 || res.status === 422) {
    throw new ContentInvalidError([{ constraint: 'content', message: String(body.message ?? code ?? 'invalid content') }], { platformCode: code });
  }
  throw new PermanentError({ en: `platform answered HTTP ${res.status}`, zh: `平台返回 HTTP ${res.status}`, platformCode: code });
}

function safeJson(res: HttpResponse): Record<string, unknown> {
  try {
    const v = res.json<unknown>();
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

{{#oauth2}}
/** The token endpoint's answer as the host stores it: the new pair replaces the old one (rotation). */
function tokens(ctx: AuthContext, res: HttpResponse): CredentialUpdate {
  // A used, expired or revoked code or refresh token: only a new grant by the person helps.
  if (res.status === 400 && safeJson(res).error === 'invalid_grant') {
    throw new AuthExpiredError({ zh: '授权已失效，请重新授权', en: 'the grant is no longer valid: reconnect the account', platformCode: 'invalid_grant' });
  }
  const body = check<{ access_token: string; refresh_token?: string; expires_in: number }>(res);
  const credentials: Record<string, string> = { accessToken: body.access_token };
  if (body.refresh_token) credentials.refreshToken = body.refresh_token;
  return { credentials, expiresAt: ctx.clock.now() + body.expires_in * 1000 };
}

{{/oauth2}}
function auth(ctx: PluginContext): Record<string, string> {
  // No token yet: the host refreshes on AuthExpired and calls again.
  if (!ctx.credentials.accessToken) throw new AuthExpiredError({ zh: '尚未获取访问令牌', en: 'no access token yet' });
  return { authorization: `Bearer ${ctx.credentials.accessToken}` };
}

interface PostView {
  id: string;
  url: string;
  client_token?: string;
  deleted?: boolean;
  title?: string;
  content?: string;
  published_at?: string;
}

const listed = (p: PostView): ListedPost => ({
  remoteId: String(p.id),
  title: p.title || undefined,
  text: p.content ?? '',
  url: p.url,
  publishedAt: Date.parse(p.published_at ?? ''),
  kind: 'article',
});

/** Progress of one publish, checkpointed after each upload so a retry never uploads twice. */
interface Progress {
  media: Record<string, string>;
}

export default definePlugin<{{pascal}}Payload>({
  manifest,

{{#oauth2}}
  // The hub sends the person here to grant access; `state` must come back untouched.
  authorizeUrl(ctx, { state, redirectUri }) {
    const q = new URLSearchParams({
      client_id: ctx.credentials.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: (manifest.auth.scopes ?? []).join(' '),
      state,
    });
    return `${ctx.endpoints.api}/oauth/authorize?${q.toString()}`;
  },

  async exchangeCode(ctx, { code, redirectUri }) {
    return tokens(
      ctx,
      await ctx.http.request({
        method: 'POST',
        url: `${ctx.endpoints.api}/oauth/token`,
        form: { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: ctx.credentials.clientId, client_secret: ctx.credentials.clientSecret },
      }),
    );
  },

  async refreshCredentials(ctx) {
    // Without a refresh token only the person can grant access again: AuthExpired makes the hub ask them.
    if (!ctx.credentials.refreshToken) throw new AuthExpiredError({ zh: '授权已失效，请重新授权', en: 'the grant has lapsed: reconnect the account' });
    return tokens(
      ctx,
      await ctx.http.request({
        method: 'POST',
        url: `${ctx.endpoints.api}/oauth/token`,
        form: {
          grant_type: 'refresh_token',
          refresh_token: ctx.credentials.refreshToken,
          client_id: ctx.credentials.clientId,
          client_secret: ctx.credentials.clientSecret,
        },
      }),
    );
  },
{{/oauth2}}
{{^oauth2}}
  async refreshCredentials(ctx) {
    const res = await ctx.http.request({
      method: 'POST',
      url: `${ctx.endpoints.api}/oauth/token`,
      json: { app_id: ctx.credentials.appId, app_secret: ctx.credentials.appSecret },
    });
    const body = check<{ access_token: string; expires_in: number }>(res);
    return { credentials: { accessToken: body.access_token }, expiresAt: ctx.clock.now() + body.expires_in * 1000 };
  },
{{/oauth2}}

  async getProfile(ctx) {
    const me = check<{ id: string; name: string; verified_subject?: string }>(
      await ctx.http.request({ method: 'GET', url: `${ctx.endpoints.api}/me`, headers: auth(ctx) }),
    );
    return { platformAccountId: String(me.id), name: me.name, verifiedSubject: me.verified_subject };
  },

  render(input) {
    const warnings: ConstraintIssue[] = [];
    const violations: ConstraintIssue[] = [];
    const take = (f: { warning?: ConstraintIssue; violation?: ConstraintIssue }) => {
      if (f.warning) warnings.push(f.warning);
      if (f.violation) violations.push(f.violation);
    };

    // Titles are not cut: a truncated headline changes its meaning, so the editor must rewrite it.
    const title = fitText('title', input.title.trim(), manifest.constraints.title, { truncate: false });
    take(title);
    const bodyText = htmlToText(input.bodyHtml);
    const body = fitText('body', bodyText, manifest.constraints.body, { truncate: true });
    take(body);
    const summarySource = input.summary.trim() || truncate(bodyText, 54, 'codePoints');
    const summary = fitText('summary', summarySource, manifest.constraints.summary, { truncate: true });
    take(summary);

    const assets: AssetRequest[] = [];
    const images = manifest.constraints.images!;
    if (input.images.length > images.maxCount) {
      warnings.push({
        constraint: 'images.maxCount',
        message: `仅发布前 ${images.maxCount} 张图片 / only the first ${images.maxCount} images are published`,
        limit: images.maxCount,
        actual: input.images.length,
      });
    }
    input.images.slice(0, images.maxCount).forEach((img, i) => {
      violations.push(...imageIssues(img, images, `images[${i}]`));
      assets.push({ key: `image-${i}`, ref: img.ref, role: 'image', spec: fitSpecFor(img, images) });
    });
    let coverKey: string | undefined;
    if (input.cover) {
      const cover = manifest.constraints.cover!;
      violations.push(...imageIssues(input.cover, cover, 'cover'));
      coverKey = 'cover';
      assets.push({ key: coverKey, ref: input.cover.ref, role: 'cover', spec: { ...fitSpecFor(input.cover, cover), focus: input.cover.focus } });
    }

    return {
      payload: {
        title: title.text,
        content: body.text,
        summary: summary.text,
        imageKeys: assets.filter((a) => a.role === 'image').map((a) => a.key),
        coverKey,
      },
      fields: { title: title.text, body: body.text, summary: summary.text },
      assets,
      warnings,
      violations,
    };
  },

  async publish(ctx, rendition) {
    const progress: Progress = (ctx.lastCheckpoint as unknown as Progress | undefined) ?? { media: {} };
    for (const asset of rendition.assets) {
      if (progress.media[asset.key]) continue; // uploaded by an earlier attempt
      const img = await ctx.images.fit(asset.ref, asset.spec);
      const up = check<{ media_id: string }>(
        await ctx.http.request({
          method: 'POST',
          url: `${ctx.endpoints.api}/media`,
          headers: auth(ctx),
          multipart: [{ name: 'media', filename: `${asset.key}.${img.format}`, contentType: `image/${img.format}`, data: img.bytes }],
        }),
      );
      progress.media[asset.key] = up.media_id;
      await ctx.checkpoint(progress as unknown as JsonValue);
    }
    const p = rendition.payload;
    const post = check<PostView>(
      await ctx.http.request({
        method: 'POST',
        url: `${ctx.endpoints.api}/posts`,
        headers: auth(ctx),
        json: {
          title: p.title,
          content: p.content,
          summary: p.summary,
          cover_media_id: p.coverKey ? progress.media[p.coverKey] : undefined,
          media_ids: p.imageKeys.map((k) => progress.media[k]),
          // The platform keeps this, so findExisting can recognise the post after a lost response.
          client_token: ctx.idempotencyKey,
        },
      }),
    );
    return { remoteId: String(post.id), url: post.url, status: 'published' };
  },

  async publishStatus(ctx, remoteId) {
    const res = await ctx.http.request({ method: 'GET', url: `${ctx.endpoints.api}/posts/${encodeURIComponent(remoteId)}`, headers: auth(ctx) });
    if (res.status === 404) return { status: 'deleted' };
    const post = check<PostView>(res);
    return post.deleted ? { status: 'deleted' } : { status: 'published', url: post.url };
  },

  async findExisting(ctx, idempotencyKey): Promise<PublishResult | null> {
    const list = check<{ items: PostView[] }>(
      await ctx.http.request({ method: 'GET', url: `${ctx.endpoints.api}/posts`, query: { client_token: idempotencyKey }, headers: auth(ctx) }),
    );
    const hit = list.items.find((p) => p.client_token === idempotencyKey && !p.deleted);
    return hit ? { remoteId: String(hit.id), url: hit.url, status: 'published' } : null;
  },

  async retract(ctx, remoteId) {
    const res = await ctx.http.request({ method: 'DELETE', url: `${ctx.endpoints.api}/posts/${encodeURIComponent(remoteId)}`, headers: auth(ctx) });
    if (res.status === 404) return; // already gone: retracting is idempotent
    check(res);
  },

  async fetchMetrics(ctx, remoteId) {
    const s = check<{ views: number; likes: number; shares: number; comments: number }>(
      await ctx.http.request({ method: 'GET', url: `${ctx.endpoints.api}/posts/${encodeURIComponent(remoteId)}/stats`, headers: auth(ctx) }),
    );
    return { views: s.views, likes: s.likes, shares: s.shares, comments: s.comments, asOf: ctx.clock.now() };
  },

  async fetchComments(ctx, remoteId) {
    const r = check<{ items: Array<{ id: string; text: string; author: string; created_at: string; reply?: { text: string; created_at: string } }> }>(
      await ctx.http.request({ method: 'GET', url: `${ctx.endpoints.api}/posts/${encodeURIComponent(remoteId)}/comments`, headers: auth(ctx) }),
    );
    return {
      items: r.items.map((c) => ({
        id: c.id,
        text: c.text,
        author: c.author,
        createdAt: Date.parse(c.created_at),
        reply: c.reply ? { text: c.reply.text, createdAt: Date.parse(c.reply.created_at) } : undefined,
      })),
    };
  },

  async listPosts(ctx, params) {
    // One call of the platform's list API per page: that is what its daily quota counts.
    const r = check<{ items: PostView[]; next_cursor?: string }>(
      await ctx.http.request({
        method: 'GET',
        url: `${ctx.endpoints.api}/feed`,
        headers: auth(ctx),
        query: { cursor: params.cursor, count: pageSize(params.limit, manifest.postListing!.maxPageSize) },
      }),
    );
    const since = params.since ?? 0;
    const posts = r.items.filter((p) => !p.deleted).map(listed);
    const fresh = posts.filter((p) => p.publishedAt >= since);
    // Newest first: once a post is older than `since`, so is everything after it.
    return { posts: fresh, nextCursor: fresh.length === posts.length ? r.next_cursor || undefined : undefined };
  },

  async getPostByUrl(ctx, input) {
    const url = parsePostUrl(input, manifest.postListing!.postUrlHosts);
    const id = url && /^\/p\/([A-Za-z0-9_-]+)$/.exec(url.pathname)?.[1];
    if (!id) return null;
    // The platform answers 404 for another account's post, so what comes back is this account's.
    const res = await ctx.http.request({ method: 'GET', url: `${ctx.endpoints.api}/posts/${encodeURIComponent(id)}`, headers: auth(ctx) });
    if (res.status === 404) return null;
    const post = check<PostView>(res);
    return post.deleted ? null : listed(post);
  },

  async reply(ctx, remoteId, commentId, text) {
    const r = check<{ id: string }>(
      await ctx.http.request({
        method: 'POST',
        url: `${ctx.endpoints.api}/posts/${encodeURIComponent(remoteId)}/comments/${encodeURIComponent(commentId)}/reply`,
        headers: auth(ctx),
        json: { text },
      }),
    );
    return { id: r.id };
  },
});
