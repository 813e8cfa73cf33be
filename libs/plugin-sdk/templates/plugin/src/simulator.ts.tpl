import { createSimulator, type SimRequest, type Simulator } from '@tongfa/plugin-sdk/testing';

/**
 * A fake of the platform's API, served under /{{id}}/… by the SDK's simulator harness. Replace these
 * routes with the real platform's paths, shapes and error codes as you learn them: the conformance
 * suite and the hub's sandbox both run your plugin against this.
 */
export function create{{pascal}}Simulator(): Simulator {
  const media = new Map<string, { account: string; bytes: number }>();

  const bearer = (req: SimRequest) => /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
  const unauthorized = { status: 401, json: { error: 'invalid_token' } };

  const postView = (p: { id: string; title: string; text: string; createdAt: string; extra: Record<string, unknown>; deleted: boolean }) => ({
    id: p.id,
    url: `https://www.example.com/p/${p.id}`,
    client_token: p.extra.client_token,
    deleted: p.deleted,
    title: p.title,
    content: p.text,
    published_at: p.createdAt,
  });
  /** The platform's daily quota of the list API per account (what the manifest declares). */
  const LIST_QUOTA = 100;

  return createSimulator({
    platform: '{{id}}',
    // The inspection API shows each post's public address, so tests can submit it as evidence.
    postUrl: (p) => `https://www.example.com/p/${p.id}`,
    createAccount: (account) => ({ appId: `app${account.id}`, appSecret: `sec_${account.id}_${Math.random().toString(36).slice(2, 12)}` }),
    tokenFrom: bearer,
    routes: [
      {
        method: 'POST',
        path: '/oauth/token',
        auth: true,
        handler: (req, sim) => {
          const account = sim.accounts.find((a) => a.credentials.appId === req.body.app_id && a.credentials.appSecret === req.body.app_secret);
          if (!account) return { status: 401, json: { error: 'invalid_client' } };
          const { token } = sim.issueToken(account.id, 7200_000);
          return { json: { access_token: token, expires_in: 7200 } };
        },
      },
      {
        method: 'GET',
        path: '/me',
        handler: (req, sim) => {
          const account = sim.tokenAccount(bearer(req));
          if (!account) return unauthorized;
          return { json: { id: account.id, name: account.name, verified_subject: account.name } };
        },
      },
      {
        method: 'POST',
        path: '/media',
        handler: (req, sim) => {
          const account = sim.tokenAccount(bearer(req));
          if (!account) return unauthorized;
          const file = req.files.media;
          if (!file || !/^image\/(jpeg|png)$/.test(file.contentType)) return { status: 400, json: { error: 'invalid_media', message: 'jpeg/png only' } };
          const id = sim.newId('m');
          media.set(id, { account: account.id, bytes: file.data.length });
          return { json: { media_id: id } };
        },
      },
      {
        method: 'POST',
        path: '/posts',
        handler: (req, sim) => {
          const account = sim.tokenAccount(bearer(req));
          if (!account) return unauthorized;
          const { title, content, client_token, media_ids } = req.body as Record<string, unknown>;
          if (typeof title !== 'string' || !title || typeof content !== 'string' || !content) {
            return { status: 400, json: { error: 'invalid_content', message: 'title and content are required' } };
          }
          const ids = Array.isArray(media_ids) ? media_ids.map(String) : [];
          if (ids.some((m) => media.get(m)?.account !== account.id)) return { status: 400, json: { error: 'invalid_media_id' } };
          const post = sim.createPost({
            account: account.id,
            title,
            text: content,
            idempotencyMarker: typeof client_token === 'string' ? client_token : undefined,
            extra: { client_token },
          });
          return { status: 201, json: postView(post) };
        },
      },
      {
        method: 'GET',
        path: '/posts',
        handler: (req, sim) => {
          const account = sim.tokenAccount(bearer(req));
          if (!account) return unauthorized;
          const items = sim.posts.filter((p) => p.account === account.id && (!req.query.client_token || p.extra.client_token === req.query.client_token));
          return { json: { items: items.map(postView) } };
        },
      },
      {
        method: 'GET',
        path: '/feed',
        handler: (req, sim) => {
          const account = sim.tokenAccount(bearer(req));
          if (!account) return unauthorized;
          if (!sim.takeDailyQuota(account.id, 'feed', LIST_QUOTA)) {
            return { status: 429, headers: { 'retry-after': String(Math.ceil(sim.untilQuotaReset() / 1000)) }, json: { error: 'daily_quota_exceeded' } };
          }
          const count = Number(req.query.count ?? 20);
          const offset = Number(req.query.cursor ?? 0);
          if (!Number.isInteger(count) || count < 1 || count > 20 || !Number.isInteger(offset) || offset < 0) {
            return { status: 400, json: { error: 'invalid_params' } };
          }
          // Newest first; deleted posts leave the list.
          const mine = sim.posts.filter((p) => p.account === account.id && !p.deleted).reverse();
          const page = mine.slice(offset, offset + count);
          const next = offset + page.length < mine.length ? String(offset + page.length) : undefined;
          return { json: { items: page.map(postView), next_cursor: next } };
        },
      },
      {
        method: 'GET',
        path: '/posts/:id',
        handler: (req, sim) => {
          const account = sim.tokenAccount(bearer(req));
          if (!account) return unauthorized;
          const post = sim.findPost(req.params.id);
          if (!post || post.account !== account.id) return { status: 404, json: { error: 'not_found' } };
          return { json: postView(post) };
        },
      },
      {
        method: 'DELETE',
        path: '/posts/:id',
        handler: (req, sim) => {
          const account = sim.tokenAccount(bearer(req));
          if (!account) return unauthorized;
          const post = sim.findPost(req.params.id);
          if (!post || post.account !== account.id) return { status: 404, json: { error: 'not_found' } };
          post.deleted = true;
          return { json: { deleted: true } };
        },
      },
      {
        method: 'GET',
        path: '/posts/:id/stats',
        handler: (req, sim) => {
          const account = sim.tokenAccount(bearer(req));
          if (!account) return unauthorized;
          const post = sim.findPost(req.params.id);
          if (!post || post.account !== account.id) return { status: 404, json: { error: 'not_found' } };
          return { json: post.metrics };
        },
      },
      {
        method: 'GET',
        path: '/posts/:id/comments',
        handler: (req, sim) => {
          const account = sim.tokenAccount(bearer(req));
          if (!account) return unauthorized;
          const post = sim.findPost(req.params.id);
          if (!post || post.account !== account.id) return { status: 404, json: { error: 'not_found' } };
          return {
            json: {
              items: post.comments.map((c) => ({
                id: c.id,
                text: c.text,
                author: c.author,
                created_at: c.createdAt,
                reply: c.reply ? { text: c.reply.text, created_at: c.reply.createdAt } : undefined,
              })),
            },
          };
        },
      },
      {
        method: 'POST',
        path: '/posts/:id/comments/:cid/reply',
        handler: (req, sim) => {
          const account = sim.tokenAccount(bearer(req));
          if (!account) return unauthorized;
          const post = sim.findPost(req.params.id);
          const comment = post?.comments.find((c) => c.id === req.params.cid);
          if (!post || post.account !== account.id || !comment) return { status: 404, json: { error: 'not_found' } };
          if (typeof req.body.text !== 'string' || !req.body.text) return { status: 400, json: { error: 'invalid_content' } };
          comment.reply = { id: sim.newId('r'), text: req.body.text, createdAt: new Date(sim.now()).toISOString() };
          return { json: { id: comment.reply.id } };
        },
      },
    ],
  });
}
