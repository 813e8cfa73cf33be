import {
  AuthExpiredError,
  definePlugin,
  errorKind,
  pageSize,
  parsePostUrl,
  PermanentError,
  type JsonValue,
  type ListedPost,
  type Plugin,
  type PluginContext,
  type PublishResult,
  type PublishStatus,
} from '@tongfa/plugin-sdk';
import { Codes, signedCall } from './api';
import { manifest } from './manifest';
import { renderNanfang, type NanfangPayload } from './render';
import { fieldMapOf, type FieldMap, type FieldName } from './settings';

/** An article as the contract returns it. */
interface ArticleView {
  article_id: string | number;
  status: 'pending' | 'published' | 'rejected' | 'withdrawn';
  reason?: string;
  url?: string;
  client_request_id?: string;
  /** Contract extensions for listing. */
  title?: string;
  summary?: string;
  /** Unix seconds. */
  published_at?: number;
}

function listed(a: ArticleView): ListedPost {
  return {
    remoteId: String(a.article_id),
    ...(a.title ? { title: a.title } : {}),
    text: a.summary ?? '',
    url: a.url ?? '',
    publishedAt: Number(a.published_at ?? 0) * 1000,
    kind: 'article',
  };
}

/** Progress of one publish: the cover is uploaded once, even when the submit is retried. */
interface Progress {
  coverId?: string;
}

const CONSTRAINT_OF: Record<FieldName, string> = {
  title: 'title',
  summary: 'summary',
  content: 'body',
  cover: 'cover',
  source: 'source',
  sourceType: 'source',
  sourceUrl: 'source',
  category: 'category',
  clientRequestId: 'content',
};

function fieldsOf(ctx: PluginContext): FieldMap {
  try {
    return fieldMapOf(ctx.settings);
  } catch (e) {
    throw new PermanentError({
      zh: `南方号插件设置错误：${(e as Error).message}`,
      en: `nanfang settings are invalid: ${(e as Error).message}`,
    });
  }
}

function toConstraint(fields: FieldMap): (wire: string) => string | undefined {
  return (wire) => {
    const logical = (Object.keys(fields) as FieldName[]).find((k) => fields[k] === wire);
    return logical ? CONSTRAINT_OF[logical] : undefined;
  };
}

function resultOf(a: ArticleView): PublishResult {
  return { remoteId: String(a.article_id), url: a.url, status: a.status === 'published' ? 'published' : 'processing' };
}

const path = (id: string, tail = '') => `/v1/articles/${encodeURIComponent(id)}${tail}`;

export const nanfangPlugin: Plugin<NanfangPayload> = definePlugin<NanfangPayload>({
  manifest,

  // Signed requests need no token. "Refreshing" checks the credentials, so a person hears about a wrong
  // or disabled key when connecting the account, not at the first publish.
  async refreshCredentials(ctx) {
    try {
      await signedCall(ctx, { method: 'GET', path: '/v1/account' });
    } catch (e) {
      const code = (e as { platformCode?: unknown }).platformCode;
      if (code === Codes.signatureMismatch || code === Codes.unknownAppKey) {
        throw new AuthExpiredError({
          platformCode: code,
          zh: '南方号接入凭据无效，请核对 appKey 与签名密钥',
          en: `南方号 credentials are invalid (${code})`,
        });
      }
      throw e;
    }
    return { credentials: {} };
  },

  async getProfile(ctx) {
    const a = await signedCall<{
      account_id: string | number;
      name: string;
      verified_subject?: string;
      avatar_url?: string;
      followers?: number;
    }>(ctx, {
      method: 'GET',
      path: '/v1/account',
    });
    return {
      platformAccountId: String(a.account_id),
      name: a.name,
      verifiedSubject: a.verified_subject,
      avatarUrl: a.avatar_url,
      followers: a.followers,
    };
  },

  render: renderNanfang,

  async publish(ctx, rendition) {
    const p = rendition.payload;
    const fields = fieldsOf(ctx);
    const progress: Progress = { ...((ctx.lastCheckpoint as Progress | undefined) ?? {}) };
    const coverAsset = p.coverKey ? rendition.assets.find((a) => a.key === p.coverKey) : undefined;
    if (coverAsset && !progress.coverId) {
      const img = await ctx.images.fit(coverAsset.ref, coverAsset.spec);
      const up = await signedCall<{ image_id: string | number }>(ctx, {
        method: 'POST',
        path: '/v1/images',
        json: {
          filename: `cover.${img.format === 'jpeg' ? 'jpg' : img.format}`,
          content_type: `image/${img.format}`,
          data: Buffer.from(img.bytes).toString('base64'),
        },
        fieldToConstraint: () => 'cover',
      });
      progress.coverId = String(up.image_id);
      await ctx.checkpoint(progress as unknown as JsonValue);
    }
    const body: Record<string, string> = {
      [fields.title]: p.title,
      [fields.summary]: p.summary,
      [fields.content]: p.content,
      [fields.source]: p.source,
      [fields.sourceType]: p.sourceType,
      [fields.category]: p.category,
      // The platform dedupes on it: a retried submit returns the article the first one created.
      [fields.clientRequestId]: ctx.idempotencyKey,
    };
    if (p.sourceUrl) body[fields.sourceUrl] = p.sourceUrl;
    if (progress.coverId) body[fields.cover] = progress.coverId;
    const a = await signedCall<ArticleView>(ctx, {
      method: 'POST',
      path: '/v1/articles',
      json: body,
      fieldToConstraint: toConstraint(fields),
    });
    return resultOf(a);
  },

  async publishStatus(ctx, remoteId): Promise<PublishStatus> {
    let a: ArticleView;
    try {
      a = await signedCall<ArticleView>(ctx, { method: 'GET', path: path(remoteId) });
    } catch (e) {
      if ((e as { platformCode?: unknown }).platformCode === Codes.notFound) return { status: 'deleted' };
      throw e;
    }
    switch (a.status) {
      case 'published':
        return { status: 'published', url: a.url };
      case 'rejected':
        return { status: 'rejected', reason: a.reason ?? '审核未通过' };
      case 'withdrawn':
        return { status: 'deleted' };
      default:
        return { status: 'processing' };
    }
  },

  async findExisting(ctx, idempotencyKey) {
    const r = await signedCall<{ items: ArticleView[] }>(ctx, {
      method: 'GET',
      path: '/v1/articles',
      query: { client_request_id: idempotencyKey },
    });
    const hit = r.items.find((a) => a.client_request_id === undefined || a.client_request_id === idempotencyKey);
    return hit ? resultOf(hit) : null;
  },

  async retract(ctx, remoteId) {
    try {
      await signedCall(ctx, { method: 'POST', path: path(remoteId, '/withdraw') });
    } catch (e) {
      // Gone already: retracting is idempotent.
      if (errorKind(e) === 'permanent' && (e as { platformCode?: unknown }).platformCode === Codes.notFound) return;
      throw e;
    }
  },

  /** The contract's article list (`GET /v1/articles?since&cursor&limit`), published articles newest first. */
  async listPosts(ctx, params) {
    const listing = manifest.postListing!;
    const query: Record<string, string> = { limit: String(pageSize(params.limit, listing.maxPageSize)) };
    if (params.cursor) query.cursor = params.cursor;
    if (params.since !== undefined) query.since = String(Math.floor(params.since / 1000));
    const r = await signedCall<{ items?: ArticleView[]; next_cursor?: string | null }>(ctx, { method: 'GET', path: '/v1/articles', query });
    const since = params.since ?? -Infinity;
    const posts = (r.items ?? [])
      .filter((a) => a.status === 'published' && a.url)
      .map(listed)
      .filter((p) => p.publishedAt >= since);
    return { posts, nextCursor: r.next_cursor || undefined };
  },

  /** One lookup by public address (`GET /v1/articles?url=`); the contract answers this key's articles only. */
  async getPostByUrl(ctx, input) {
    const u = parsePostUrl(input, manifest.postListing!.postUrlHosts);
    if (!u) return null;
    u.hash = '';
    const r = await signedCall<{ items?: ArticleView[] }>(ctx, { method: 'GET', path: '/v1/articles', query: { url: u.toString() } });
    const hit = (r.items ?? []).find((a) => a.status === 'published' && a.url);
    return hit ? listed(hit) : null;
  },

  async fetchMetrics(ctx, remoteId) {
    const m = await signedCall<{
      read_count?: number;
      like_count?: number;
      share_count?: number;
      comment_count?: number;
      stat_time?: number;
    }>(ctx, {
      method: 'GET',
      path: path(remoteId, '/metrics'),
    });
    return {
      views: m.read_count,
      likes: m.like_count,
      shares: m.share_count,
      comments: m.comment_count,
      asOf: typeof m.stat_time === 'number' ? m.stat_time * 1000 : ctx.clock.now(),
    };
  },
});
