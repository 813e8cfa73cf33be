{{#oauth2}}
import { randomBytes } from 'node:crypto';
{{/oauth2}}
import { createSimulator, type SimRequest, {{#oauth2}}type SimResponse, {{/oauth2}}type Simulator } from '@tongfa/plugin-sdk/testing';

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
{{#oauth2}}

  // The hub's app on this platform; every account grants access to it. Sandbox accounts come with a
  // grant already made (access and refresh token), as if their owner had been through the authorize page.
  const clientId = 'tongfa-hub';
  const clientSecret = `cs_${randomBytes(12).toString('hex')}`;
  const codes = new Map<string, { account: string; redirectUri: string; expiresAt: number; used: boolean }>();
  const refreshTokens = new Map<string, string>();
  const grant = (sim: Simulator, account: string) => {
    const { token } = sim.issueToken(account, 7200_000);
    const refresh = `rt_${randomBytes(16).toString('hex')}`;
    refreshTokens.set(refresh, account);
    return { access_token: token, refresh_token: refresh, expires_in: 7200 };
  };
  const escapeHtml = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
{{/oauth2}}

  return createSimulator({
    platform: '{{id}}',
    // The inspection API shows each post's public address, so tests can submit it as evidence.
    postUrl: (p) => `https://www.example.com/p/${p.id}`,
{{#oauth2}}
    createAccount: (account, sim) => {
      const g = grant(sim, account.id);
      return { clientId, clientSecret, accessToken: g.access_token, refreshToken: g.refresh_token };
    },
{{/oauth2}}
{{^oauth2}}
    createAccount: (account) => ({ appId: `app${account.id}`, appSecret: `sec_${account.id}_${Math.random().toString(36).slice(2, 12)}` }),
{{/oauth2}}
    tokenFrom: bearer,
    routes: [
{{#oauth2}}
      {
        // The authorize page. A person picks the account to grant access with; a test names it with
        // `sandbox_account=<id>` and is redirected at once (what the conformance suite does).
        method: 'GET',
        path: '/oauth/authorize',
        auth: true,
        handler: (req, sim): SimResponse => {
          const q = req.query;
          if (q.client_id !== clientId) return { status: 400, json: { error: 'invalid_client' } };
          if (q.response_type !== 'code') return { status: 400, json: { error: 'unsupported_response_type' } };
          if (!q.redirect_uri || !/^https?:\/\//.test(q.redirect_uri)) return { status: 400, json: { error: 'invalid_redirect_uri' } };
          const chosen = q.sandbox_account;
          if (!chosen) {
            const links = sim.accounts.map((a) => {
              const u = new URLSearchParams({ ...q, sandbox_account: a.id });
              return `<li><a href="?${escapeHtml(u.toString())}">以“${escapeHtml(a.name)}”授权 / grant as ${escapeHtml(a.name)}</a></li>`;
            });
            return {
              headers: { 'content-type': 'text/html; charset=utf-8' },
              body: `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>授权 / Authorize</title><h1>授权统发发布 / Authorize Tongfa</h1><ul>${links.join('')}</ul></html>`,
            };
          }
          if (!sim.accounts.some((a) => a.id === chosen)) return { status: 400, json: { error: 'access_denied' } };
          const code = randomBytes(16).toString('hex');
          codes.set(code, { account: chosen, redirectUri: q.redirect_uri, expiresAt: sim.now() + 10 * 60_000, used: false });
          const to = new URL(q.redirect_uri);
          to.searchParams.set('code', code);
          if (q.state !== undefined) to.searchParams.set('state', q.state);
          return { status: 302, headers: { location: to.toString() }, body: '' };
        },
      },
      {
        method: 'POST',
        path: '/oauth/token',
        auth: true,
        handler: (req, sim) => {
          const b = req.body as Record<string, string | undefined>;
          if (b.client_id !== clientId || b.client_secret !== clientSecret) return { status: 401, json: { error: 'invalid_client' } };
          if (b.grant_type === 'authorization_code') {
            const c = b.code ? codes.get(b.code) : undefined;
            // A code is good once, for ten minutes, with the redirect_uri it was issued for.
            if (!c || c.used || c.expiresAt <= sim.now() || c.redirectUri !== b.redirect_uri) return { status: 400, json: { error: 'invalid_grant' } };
            c.used = true;
            return { json: grant(sim, c.account) };
          }
          if (b.grant_type === 'refresh_token') {
            const account = b.refresh_token ? refreshTokens.get(b.refresh_token) : undefined;
            if (!account) return { status: 400, json: { error: 'invalid_grant' } };
            refreshTokens.delete(b.refresh_token!); // rotation: each refresh token works once
            return { json: grant(sim, account) };
          }
          return { status: 400, json: { error: 'unsupported_grant_type' } };
        },
      },
{{/oauth2}}
{{^oauth2}}
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
{{/oauth2}}
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
