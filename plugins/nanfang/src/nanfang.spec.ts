import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { errorKind } from '@tongfa/plugin-sdk';
import {
  createTestHost,
  pollUntil,
  sampleManuscript,
  SandboxClient,
  startSimulators,
  type RunningSimulators,
  type TestHostOptions,
} from '@tongfa/plugin-sdk/testing';
import { Codes, nanfangError } from './api';
import { canonicalQuery, createNanfangSimulator, nanfangPlugin, sign, SIGN_HEADERS, stringToSign } from './index';

const ctx = { account: { name: '某市应急管理局' }, settings: {} };

describe('nanfang signing', () => {
  it('signs method, path, sorted RFC 3986 query, key, timestamp, nonce and body hash with HMAC-SHA256', () => {
    assert.equal(canonicalQuery({ b: '2', a: '中 文', c: "it's" }), 'a=%E4%B8%AD%20%E6%96%87&b=2&c=it%27s');
    const body = '{"title":"标题"}';
    const s = stringToSign({
      method: 'post',
      path: '/v1/articles',
      query: {},
      appKey: 'nf123',
      timestamp: '1700000000',
      nonce: 'abcdef0123456789',
      body,
    });
    const bodyHash = createHash('sha256').update(body).digest('hex');
    assert.equal(s, `POST\n/v1/articles\n\nnf123\n1700000000\nabcdef0123456789\n${bodyHash}`);
    assert.equal(sign('secret', s), createHmac('sha256', 'secret').update(s).digest('hex'));
  });

  it('maps contract errors: wrong signature Permanent, old timestamp Transient, replayed nonce Ambiguous on writes', () => {
    const e = nanfangError(Codes.signatureMismatch, 'signature mismatch', 401, { write: true });
    assert.equal(e.kind, 'permanent');
    assert.match(e.zh, /appKey/);
    assert.equal(nanfangError(Codes.timestampExpired, 'x', 401, { write: true }).kind, 'transient');
    assert.equal(nanfangError(Codes.nonceReplayed, 'x', 401, { write: true }).kind, 'ambiguous');
    assert.equal(nanfangError(Codes.nonceReplayed, 'x', 401, { write: false }).kind, 'transient');
    assert.equal(nanfangError(Codes.credentialsRevoked, 'x', 401, { write: true }).kind, 'auth_expired');
    assert.equal(nanfangError(Codes.titleTooLong, 'x', 200, { write: true }).kind, 'content_invalid');
    assert.equal(nanfangError(Codes.busy, 'x', 200, { write: true }).kind, 'transient');
    assert.equal(nanfangError(undefined, 'x', 502, { write: true }).kind, 'transient');
    assert.equal(nanfangError(Codes.forbidden, 'x', 200, { write: true }).kind, 'permanent');
  });
});

describe('nanfang render', () => {
  it('keeps the title whole (over 64 is a violation) and falls back to the body for the summary', () => {
    const r = nanfangPlugin.render(sampleManuscript({ title: '标'.repeat(65), summary: '' }), ctx);
    assert.ok(r.violations.some((v) => v.constraint === 'title.max'));
    assert.equal(r.payload.summary, '7月1日，我市召开防汛工作部署会议。 会议要求各单位压实责任，做好24小时值班值守。');
  });

  it('requires a reprint to name its source, and maps categories through categoryMap', () => {
    const r = nanfangPlugin.render(sampleManuscript({ category: 'reprint', source: { type: 'reprint' } }), ctx);
    assert.ok(r.violations.some((v) => v.constraint === 'source.unitName'));
    const m = nanfangPlugin.render(sampleManuscript(), { ...ctx, settings: { categoryMap: '{"news":"101"}' } });
    assert.equal(m.payload.category, '101');
    const bad = nanfangPlugin.render(sampleManuscript(), { ...ctx, settings: { categoryMap: '{oops' } });
    assert.ok(bad.violations.some((v) => v.constraint === 'category'));
  });
});

describe('nanfang against its simulator', () => {
  let running: RunningSimulators;
  let sandbox: SandboxClient;

  before(async () => {
    running = await startSimulators([createNanfangSimulator({ requestsPerMinute: 12, fieldMap: { title: 'bt' } })]);
    sandbox = new SandboxClient(running.url);
  });
  after(() => running.close());

  const settings = { fieldMap: '{"title":"bt"}' };
  async function host(extra: Partial<TestHostOptions> = {}) {
    const a = await sandbox.createAccount('nanfang', '某市应急管理局');
    const endpoints = running.get('nanfang').endpointsFor(running.url, ['api']);
    return {
      id: a.id,
      credentials: a.credentials,
      host: createTestHost({ plugin: nanfangPlugin, credentials: a.credentials, endpoints, settings, ...extra }),
    };
  }
  const rendition = (overrides = {}) => nanfangPlugin.render(sampleManuscript(overrides), ctx);

  it('publishes as processing, then review publishes it; the deployment field names are used on the wire', async () => {
    const { host: h, id } = await host();
    const out = await h.publish(rendition());
    assert.equal(out.state, 'published');
    assert.match(out.result!.url!, /^https:\/\/static\.nfapp\.southcn\.com\//);
    const posts = await sandbox.posts('nanfang', id);
    assert.equal(posts.length, 1);
    assert.equal(posts[0].title, '我市召开防汛工作部署会');
    assert.equal(posts[0].idempotencyMarker, out.idempotencyKey);
  });

  it('a deployment whose field names differ from the platform is refused as content, naming no secret', async () => {
    const { host: h, credentials } = await host({ settings: {} });
    const out = await h.publish(rendition());
    assert.equal(out.state, 'failed');
    assert.equal(errorKind(out.error), 'content_invalid');
    assert.ok(!String((out.error as Error).message).includes(credentials.appSecret));
  });

  it('the review rejects with a reason, and the host fails the target', async () => {
    const { host: h } = await host();
    const out = await h.publish(rendition({ bodyHtml: '<p>这里有违禁词。</p>' }));
    assert.equal(out.state, 'failed');
    assert.match(String((out.error as Error).message), /违禁词/);
  });

  it('a resubmit with the same client_request_id returns the same article', async () => {
    const { host: h, id } = await host();
    const key = 'tf-same-key-0001';
    const a = await nanfangPlugin.publish(h.context({ idempotencyKey: key }), rendition());
    const b = await nanfangPlugin.publish(h.context({ idempotencyKey: key }), rendition());
    assert.equal(a.remoteId, b.remoteId);
    assert.equal((await sandbox.posts('nanfang', id)).length, 1);
  });

  it('wrong signing secret: publish is Permanent with a clear message, refresh asks for reconnection', async () => {
    const { credentials } = await host();
    const endpoints = running.get('nanfang').endpointsFor(running.url, ['api']);
    const h = createTestHost({
      plugin: nanfangPlugin,
      credentials: { ...credentials, appSecret: 'wrong-secret-value' },
      endpoints,
      settings,
    });
    const out = await h.publish(rendition());
    assert.equal(out.state, 'failed');
    assert.equal(errorKind(out.error), 'permanent');
    assert.match(String((out.error as Error).message), /签名/);
    await assert.rejects(h.refresh(), (e: unknown) => errorKind(e) === 'auth_expired');
  });

  it('a timestamp older than 5 minutes is refused as Transient', async () => {
    const { host: h } = await host({ clock: { now: () => Date.now() - 6 * 60_000 } });
    await assert.rejects(nanfangPlugin.getProfile(h.context()), (e: unknown) => errorKind(e) === 'transient');
  });

  it('refuses a replayed nonce and a tampered body', async () => {
    const { credentials } = await host();
    const base = `${running.url}/nanfang`;
    const signed = (body: string, nonce: string) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const s = stringToSign({ method: 'GET', path: '/v1/account', query: {}, appKey: credentials.appKey, timestamp, nonce, body });
      return {
        [SIGN_HEADERS.appKey]: credentials.appKey,
        [SIGN_HEADERS.timestamp]: timestamp,
        [SIGN_HEADERS.nonce]: nonce,
        [SIGN_HEADERS.signature]: sign(credentials.appSecret, s),
      };
    };
    const headers = signed('', 'a1b2c3d4e5f6a7b8c9d0');
    const first = (await (await fetch(`${base}/v1/account`, { headers })).json()) as { code: number };
    assert.equal(first.code, 0);
    const replay = (await (await fetch(`${base}/v1/account`, { headers })).json()) as { code: number };
    assert.equal(replay.code, Codes.nonceReplayed);
    const tampered = signed('{"a":1}', 'f1e2d3c4b5a6f7e8d9c0');
    const res = await fetch(`${base}/v1/articles`, {
      method: 'POST',
      headers: { ...tampered, 'content-type': 'application/json' },
      body: '{"a":2}',
    });
    assert.equal(((await res.json()) as { code: number }).code, Codes.signatureMismatch);
  });

  it('answers 429 with Retry-After past the per-key limit, mapped to RateLimited', async () => {
    const { host: h } = await host();
    let caught: unknown;
    for (let i = 0; i < 15 && !caught; i++) {
      try {
        await nanfangPlugin.getProfile(h.context());
      } catch (e) {
        caught = e;
      }
    }
    assert.equal(errorKind(caught), 'rate_limited');
    const ms = (caught as { retryAfterMs: number }).retryAfterMs;
    assert.ok(ms >= 1000 && ms <= 60_000, `retryAfterMs ${ms}`);
  });

  it('withdraws, reports the withdrawn article as deleted, and reads metrics once published', async () => {
    const { host: h } = await host();
    const out = await h.publish(rendition());
    const remoteId = out.result!.remoteId;
    const m = await nanfangPlugin.fetchMetrics!(h.context(), remoteId);
    assert.ok((m.views ?? 0) > 0);
    await nanfangPlugin.retract!(h.context(), remoteId);
    await pollUntil(async () => (await nanfangPlugin.publishStatus(h.context(), remoteId)).status === 'deleted', 2000);
  });
});

describe('nanfang: listing through the contract', () => {
  let running: RunningSimulators;
  let sandbox: SandboxClient;
  before(async () => {
    // Review takes a simulated minute: a test moves the clock on to finish it, never waits for it.
    running = await startSimulators([createNanfangSimulator({ reviewMs: 60_000 })]);
    sandbox = new SandboxClient(running.url);
  });
  after(() => running.close());

  async function host() {
    const a = await sandbox.createAccount('nanfang', '某县融媒体中心');
    const endpoints = running.get('nanfang').endpointsFor(running.url, ['api']);
    return { h: createTestHost({ plugin: nanfangPlugin, credentials: a.credentials, endpoints, maxBackoffMs: 50 }), id: a.id };
  }

  it('lists an article entered in the platform’s backend and verifies its address, fragment and all; another key’s gives null', async () => {
    const a = await host();
    const b = await host();
    const mine = await sandbox.nativePost('nanfang', {
      account: a.id,
      title: '转载：市政府常务会议',
      text: '会议研究了 <重点> 工作',
      link: 'https://www.example.gov.cn/1.html',
    });
    const theirs = await sandbox.nativePost('nanfang', { account: b.id, title: '别的单位', text: '别的单位的稿件' });
    const { posts } = await a.h.call((ctx) => nanfangPlugin.listPosts!(ctx, {}));
    assert.deepEqual(
      posts.map((p) => [p.title, p.text, p.url]),
      [['转载：市政府常务会议', '会议研究了 <重点> 工作', mine.url]],
    );
    assert.equal((await a.h.call((ctx) => nanfangPlugin.getPostByUrl!(ctx, `${mine.url}#comments`)))?.remoteId, posts[0].remoteId);
    assert.equal(await a.h.call((ctx) => nanfangPlugin.getPostByUrl!(ctx, theirs.url!)), null);
  });

  it('leaves an article out while the platform still reviews it', async () => {
    const a = await host();
    const first = await nanfangPlugin.publish(a.h.context(), nanfangPlugin.render(sampleManuscript(), ctx));
    assert.equal(first.status, 'processing');
    await sandbox.advanceClock('nanfang', 61_000);
    assert.equal((await a.h.call((c) => nanfangPlugin.publishStatus(c, first.remoteId))).status, 'published');
    await sandbox.nativePost('nanfang', { account: a.id, text: '后台稿件' });
    // A second submit, still pending review, is not listed.
    const pending = await nanfangPlugin.publish(a.h.context(), nanfangPlugin.render(sampleManuscript({ title: '待审稿件' }), ctx));
    assert.equal(pending.status, 'processing');
    const { posts } = await a.h.call((c) => nanfangPlugin.listPosts!(c, {}));
    assert.deepEqual(
      posts.map((p) => p.title),
      ['后台稿件', '我市召开防汛工作部署会'],
    );
  });
});
