import { randomBytes } from 'node:crypto';
import {
  createSimulator,
  mp4DurationSec,
  videoContainer,
  type SimRequest,
  type SimResponse,
  type Simulator,
} from '@tongfa/plugin-sdk/testing';

/** The platform's simulator: chunked uploads through a gateway URL built from the request's own address. */
export function createCountyTvSimulator(): Simulator {
  const uploads = new Map<string, { account: string; bytes: number; parts: Buffer[]; tokens: Set<string> }>();
  const bearer = (req: SimRequest) => /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
  const denied: SimResponse = { status: 401, json: { error: 'invalid_token' } };
  const view = (p: { id: string; title: string; createdAt: string; deleted: boolean }) => ({
    video_id: p.id,
    title: p.title,
    share_url: `https://tv.county-tv.example/v/${p.id}`,
    created_at: Date.parse(p.createdAt),
    deleted: p.deleted,
  });
  return createSimulator({
    platform: 'county-tv',
    postUrl: (p) => `https://tv.county-tv.example/v/${p.id}`,
    createAccount: (a) => ({ appId: `tv${a.id}`, appSecret: `sec_${randomBytes(8).toString('hex')}` }),
    tokenFrom: bearer,
    routes: [
      {
        method: 'POST',
        path: '/oauth/token',
        auth: true,
        handler: (req, sim) => {
          const a = sim.accounts.find((x) => x.credentials.appId === req.body.app_id && x.credentials.appSecret === req.body.app_secret);
          if (!a) return { status: 401, json: { error: 'invalid_client' } };
          return { json: { access_token: sim.issueToken(a.id, 7_200_000).token, expires_in: 7200 } };
        },
      },
      {
        method: 'GET',
        path: '/me',
        handler: (req, sim) => {
          const a = sim.tokenAccount(bearer(req));
          return a ? { json: { id: a.id, name: a.name } } : denied;
        },
      },
      {
        method: 'POST',
        path: '/uploads',
        handler: (req, sim) => {
          const a = sim.tokenAccount(bearer(req));
          if (!a) return denied;
          const bytes = Number(req.body.bytes);
          if (!Number.isInteger(bytes) || bytes <= 0) return { status: 400, json: { error: 'invalid_bytes' } };
          const id = sim.newId('up');
          uploads.set(id, { account: a.id, bytes, parts: [], tokens: new Set() });
          return { json: { upload_id: id, upload_url: `${req.baseUrl}/gateway/${id}` } };
        },
      },
      {
        method: 'POST',
        path: '/uploads/:id/token',
        handler: (req, sim) => {
          const a = sim.tokenAccount(bearer(req));
          const u = uploads.get(req.params.id);
          if (!a || u?.account !== a.id) return denied;
          const token = `ut_${randomBytes(12).toString('hex')}`;
          u.tokens.add(token);
          return { json: { upload_token: token } };
        },
      },
      {
        method: 'PUT',
        path: '/gateway/:id',
        handler: (req) => {
          const u = uploads.get(req.params.id);
          // Each token authorises one part.
          if (!u || !u.tokens.delete(req.query.upload_token ?? '')) return { status: 401, json: { error: 'invalid_upload_token' } };
          const part = Number(req.query.part);
          // Parts go in order; sending a part again (its answer was lost) replaces it, as gateways do.
          if (!Number.isInteger(part) || part < 1 || part > u.parts.length + 1)
            return { status: 400, json: { error: 'part_out_of_order' } };
          u.parts[part - 1] = req.rawBody;
          return { json: { received: req.rawBody.length } };
        },
      },
      {
        method: 'POST',
        path: '/videos',
        handler: (req, sim) => {
          const a = sim.tokenAccount(bearer(req));
          if (!a) return denied;
          const u = uploads.get(String(req.body.upload_id ?? ''));
          if (!u || u.account !== a.id) return { status: 400, json: { error: 'unknown_upload' } };
          const file = Buffer.concat(u.parts);
          if (file.length !== u.bytes || videoContainer(file) !== 'mp4') return { status: 400, json: { error: 'incomplete_or_not_mp4' } };
          if ((mp4DurationSec(file) ?? 0) > 600) return { status: 400, json: { error: 'too_long' } };
          const title = String(req.body.title ?? '');
          if (!title) return { status: 400, json: { error: 'title_required' } };
          uploads.delete(String(req.body.upload_id));
          const post = sim.createPost({ account: a.id, title, text: String(req.body.description ?? '') });
          return { json: view(post) };
        },
      },
      {
        method: 'GET',
        path: '/videos',
        handler: (req, sim) => {
          const a = sim.tokenAccount(bearer(req));
          if (!a) return denied;
          const since = Number(req.query.since ?? 0);
          return { json: { items: sim.posts.filter((p) => p.account === a.id && Date.parse(p.createdAt) >= since).map(view) } };
        },
      },
      {
        method: 'GET',
        path: '/videos/:id',
        handler: (req, sim) => {
          const a = sim.tokenAccount(bearer(req));
          if (!a) return denied;
          const p = sim.findPost(req.params.id);
          return p && p.account === a.id ? { json: view(p) } : { status: 404, json: { error: 'not_found' } };
        },
      },
      {
        method: 'DELETE',
        path: '/videos/:id',
        handler: (req, sim) => {
          const a = sim.tokenAccount(bearer(req));
          if (!a) return denied;
          const p = sim.findPost(req.params.id);
          if (!p || p.account !== a.id) return { status: 404, json: { error: 'not_found' } };
          p.deleted = true;
          return { json: { deleted: true } };
        },
      },
    ],
  });
}
