import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorKind, type HttpResponse, type PluginErrorLike, type VideoReader } from '@tongfa/plugin-sdk';
import {
  buildTestMp4,
  createTestHost,
  sampleManuscript,
  SandboxClient,
  startSimulators,
  type RunningSimulators,
} from '@tongfa/plugin-sdk/testing';
import { unwrap, untilChinaMidnight } from '@tongfa/douyin-openapi';
import { createDouyinSimulator, douyinPlugin } from './index';
import { chunkedSettings, MB, memoryVideos, testVideo, videoManuscript } from './test-support';

const clock = { now: () => Date.now() };
const fakeResponse = (status: number, json: unknown): HttpResponse => ({
  status,
  headers: {},
  body: JSON.stringify(json),
  bytes: new Uint8Array(),
  json: <T>() => json as T,
});
const env = (code: number) => ({ data: { error_code: code, description: `code ${code}` }, extra: { error_code: code } });

describe('douyin: error envelope mapping', () => {
  const cases: Array<[string, HttpResponse, string]> = [
    ['28003018 frequency', fakeResponse(200, env(28003018)), 'rate_limited'],
    ['28003017 daily quota', fakeResponse(200, env(28003017)), 'rate_limited'],
    ['28001008 token expired', fakeResponse(200, env(28001008)), 'auth_expired'],
    ['2190008 old token expired', fakeResponse(200, env(2190008)), 'auth_expired'],
    ['10010 refresh token expired', fakeResponse(200, { data: { error_code: 10010, description: 'x' }, message: 'error' }), 'auth_expired'],
    ['28001005 busy', fakeResponse(200, env(28001005)), 'transient'],
    ['2100004 old busy', fakeResponse(200, env(2100004)), 'transient'],
    ['28001007 params on create', fakeResponse(200, env(28001007)), 'content_invalid'],
    ['2100007 no permission', fakeResponse(200, env(2100007)), 'permanent'],
    ['28001016 app banned', fakeResponse(200, env(28001016)), 'permanent'],
    ['HTTP 502', fakeResponse(502, {}), 'transient'],
  ];
  for (const [name, res, kind] of cases) {
    it(`maps ${name} to ${kind}`, () => {
      assert.throws(
        () => unwrap(res, { clock, retryAfterMs: 1000, topic: 'content' }),
        (e) => errorKind(e) === kind,
      );
    });
  }
  it('a used-up daily quota waits until midnight in China', () => {
    const noonUtc = Date.UTC(2025, 0, 1, 4, 0, 0); // 12:00 in Beijing
    assert.equal(untilChinaMidnight(noonUtc), 12 * 3_600_000);
    assert.throws(
      () => unwrap(fakeResponse(200, env(28003017)), { clock: { now: () => noonUtc }, retryAfterMs: 1000 }),
      (e) => (e as PluginErrorLike).retryAfterMs === 12 * 3_600_000,
    );
  });
  it('params errors outside content calls are permanent (a plugin or setup bug, not the editor’s)', () => {
    assert.throws(
      () => unwrap(fakeResponse(200, env(28001007)), { clock, retryAfterMs: 1000, topic: 'other' }),
      (e) => errorKind(e) === 'permanent',
    );
  });
});

describe('douyin: render', () => {
  const render = (input = videoManuscript(), settings = {}) => douyinPlugin.render(input, { account: { name: 'x' }, settings });
  it('counts the text in code points: 30 emoji fit, 31 are a violation and the title is never cut', () => {
    assert.deepEqual(render(videoManuscript({ title: '😀'.repeat(30) })).violations, []);
    const r = render(videoManuscript({ title: '😀'.repeat(31) }));
    assert.deepEqual(
      r.violations.map((v) => [v.constraint, v.actual]),
      [['title.max', 31]],
    );
    assert.equal(r.payload.text, '😀'.repeat(31));
  });
  it('posts the editor’s own caption and topics (各平台适配) instead of the title, within the same limit', () => {
    const r = render({ ...videoManuscript(), adaptation: { caption: '防汛一线', topics: ['防汛', '应急'] } });
    assert.equal(r.payload.text, '防汛一线 #防汛 #应急');
    assert.deepEqual(r.violations, []);
    const long = render({ ...videoManuscript(), adaptation: { caption: '防'.repeat(28), topics: ['防汛'] } });
    assert.deepEqual(
      long.violations.map((v) => v.constraint),
      ['title.max'],
    );
  });
  it('a unit setting may lower the text limit', () => {
    assert.deepEqual(
      render(videoManuscript({ title: '一二三四五六七八九十一' }), { textMaxLength: 10 }).violations.map((v) => v.constraint),
      ['title.max'],
    );
  });
  it('plans chunks by the part size and refuses videos over 15 minutes', () => {
    const r = render(videoManuscript(), chunkedSettings);
    assert.deepEqual([r.payload.video!.mode, r.payload.video!.parts, r.payload.video!.partBytes], ['chunked', 3, 5 * MB]);
    assert.equal(render(videoManuscript()).payload.video!.mode, 'single');
    const long = render(videoManuscript({ video: { ref: 'v', bytes: 1000, durationSec: 901, width: 1, height: 1, format: 'mp4' } }));
    assert.deepEqual(
      long.violations.map((v) => v.constraint),
      ['video.maxDurationSec'],
    );
  });
  it('without a video renders 图文, and 图文 without images is a violation', () => {
    const r = render(sampleManuscript());
    assert.equal(r.payload.kind, 'image_text');
    assert.deepEqual(
      render(sampleManuscript({ images: [] })).violations.map((v) => v.constraint),
      ['images.minCount'],
    );
  });
});

describe('douyin: against the simulator', () => {
  let running: RunningSimulators;
  let sandbox: SandboxClient;
  let n = 0;
  before(async () => {
    running = await startSimulators([createDouyinSimulator({ accessTtlMs: 30 * 60_000, refreshTtlMs: 60 * 60_000 })]);
    sandbox = new SandboxClient(running.url);
  });
  after(() => running.close());

  const endpoints = () => running.get('douyin').endpointsFor(running.url, ['open']);
  async function host(
    reader: VideoReader = memoryVideos({ 'asset-video': testVideo }),
    settings: Record<string, string | number | boolean> = chunkedSettings,
  ) {
    const account = await sandbox.createAccount('douyin', `政务号${++n}`);
    const h = createTestHost({
      plugin: douyinPlugin,
      videos: reader,
      credentials: account.credentials,
      endpoints: endpoints(),
      settings,
      maxBackoffMs: 50,
    });
    return { h, account };
  }
  const rendition = (input = videoManuscript()) => douyinPlugin.render(input, { account: { name: 'x' }, settings: chunkedSettings });
  const call = async (
    account: { credentials: Record<string, string> },
    path: string,
    query: Record<string, string>,
    multipart?: Buffer,
  ) => {
    const u = new URL(`${running.url}/douyin${path}`);
    for (const [k, v] of Object.entries({ open_id: account.credentials.open_id, ...query })) u.searchParams.set(k, v);
    const fd = new FormData();
    if (multipart) fd.append('video', new Blob([multipart]), 'v.mp4');
    const res = await fetch(u, {
      method: 'POST',
      headers: { 'access-token': account.credentials.access_token },
      body: multipart ? fd : undefined,
    });
    return (await res.json()) as { data: Record<string, unknown> & { error_code: number; description: string } };
  };

  it('a crash after part 2 resumes at part 3: parts 1 and 2 are not sent again and one video is created', async () => {
    const inner = memoryVideos({ 'asset-video': testVideo });
    let failed = false;
    const flaky: VideoReader = {
      read: (ref, offset, length) => {
        if (offset === 10 * MB && !failed) {
          failed = true;
          throw new Error('worker crashed while reading part 3');
        }
        return inner.read(ref, offset, length);
      },
    };
    const { h, account } = await host(flaky);
    const out = await h.publish(rendition());
    assert.equal(out.state, 'published', String(out.error));
    assert.deepEqual(
      inner.reads.map((r) => r.offset / MB),
      [0, 5, 10],
    );
    const steps = h.events.filter((e) => e.type === 'checkpoint').map((e) => (e as { state: { parts_done?: number } }).state.parts_done);
    assert.deepEqual(steps.filter((s) => s !== undefined).slice(0, 4), [0, 1, 2, 3]);
    const posts = await sandbox.posts('douyin', account.id);
    assert.equal(posts.length, 1);
  });

  it('the simulator refuses parts out of order and a short part that is not the last', async () => {
    const { account } = await host();
    const init = await call(account, '/api/douyin/v1/video/init_video_part_upload/', {});
    const upload_id = String(init.data.upload_id);
    const part = (k: number, bytes: Buffer) =>
      call(account, '/api/douyin/v1/video/upload_video_part/', { upload_id, part_number: String(k) }, bytes);
    assert.match((await part(2, testVideo.subarray(0, 5 * MB))).data.description, /按顺序/);
    assert.equal((await part(1, testVideo.subarray(0, 1 * MB))).data.error_code, 0);
    assert.equal((await part(2, testVideo.subarray(1 * MB, 7 * MB))).data.error_code, 0);
    const done = await call(account, '/api/douyin/v1/video/complete_video_part_upload/', { upload_id });
    assert.equal(done.data.error_code, 28001007);
    assert.match(done.data.description, /分片 1 小于/);
  });

  it('the simulator reads the MP4 duration and refuses over 15 minutes, named as a video violation', async () => {
    const long = buildTestMp4(2 * MB, 16 * 60);
    const { h, account } = await host(memoryVideos({ 'asset-video': long }), {});
    // The rendition claims 30 s; the platform finds the truth in the file.
    const r = douyinPlugin.render(
      videoManuscript({ video: { ref: 'asset-video', bytes: long.length, durationSec: 30, width: 1, height: 1, format: 'mp4' } }),
      {
        account: { name: 'x' },
        settings: {},
      },
    );
    const out = await h.publish(r);
    assert.equal(out.state, 'failed');
    assert.equal(errorKind(out.error), 'content_invalid');
    assert.deepEqual(
      (out.error as PluginErrorLike).violations!.map((v) => v.constraint),
      ['video'],
    );
    assert.equal((await sandbox.posts('douyin', account.id)).length, 0);
  });

  it('review rejection ends the target as rejected', async () => {
    const { h, account } = await host();
    const out = await h.publish(rendition(videoManuscript({ title: '审核不通过测试视频' })));
    assert.equal(out.state, 'failed');
    assert.match(String((out.error as Error).message), /不适宜公开/);
    assert.equal((await sandbox.posts('douyin', account.id)).length, 1);
  });

  it('publishes 图文, and a lost create_image_text answer is found again by text and time', async () => {
    const { h, account } = await host();
    // upload_image ×1 passes, create_image_text loses its answer.
    await sandbox.setFaults('douyin', { rate: 1, kinds: ['lost_response'], remaining: 1, after: 1, seed: 1 });
    const out = await h.publish(rendition(sampleManuscript()));
    await sandbox.setFaults('douyin', { rate: 0, kinds: [] });
    assert.equal(out.state, 'published', String(out.error));
    assert.ok(h.events.some((e) => e.type === 'find_existing' && e.found));
    const posts = await sandbox.posts('douyin', account.id);
    assert.equal(posts.length, 1);
  });

  it('without the host video reader, video publishing fails permanently with a clear reason', async () => {
    const account = await sandbox.createAccount('douyin', '无读取器');
    const h = createTestHost({ plugin: douyinPlugin, credentials: account.credentials, endpoints: endpoints(), settings: chunkedSettings });
    const out = await h.publish(rendition());
    assert.equal(out.state, 'failed');
    assert.match(String((out.error as Error).message), /ctx\.videos/);
  });

  it('refresh renews a refresh token close to expiry and returns the new pair; the old one stops working', async () => {
    const { h } = await host();
    const oldRefresh = h.credentials.refresh_token;
    // Refresh tokens live 1 h in this simulator; renew when less than 2 h are left: always.
    const ctx = { ...h.context(), settings: { renewRefreshWithinMs: 2 * 3_600_000 } };
    const update = await douyinPlugin.refreshCredentials(ctx);
    assert.notEqual(update.credentials.refresh_token, oldRefresh);
    // The access token was still valid: Douyin hands the same one back with its expiry renewed.
    assert.equal(update.credentials.access_token, h.credentials.access_token);
    assert.ok(update.expiresAt! > Date.now());
    const stale = { ...h.context(), credentials: { ...h.credentials, refresh_expires_at: '' } };
    await assert.rejects(douyinPlugin.refreshCredentials(stale), (e) => errorKind(e) === 'auth_expired');
  });

  it('refresh_token gives back the same access token with its expiry renewed while it is valid, a new one after (open.douyin.com 刷新 access_token)', async () => {
    const account = await sandbox.createAccount('douyin', '续期测试');
    const refresh = async () => {
      const res = await fetch(`${running.url}/douyin/oauth/refresh_token/`, {
        method: 'POST',
        body: new URLSearchParams({
          client_key: account.credentials.client_key,
          grant_type: 'refresh_token',
          refresh_token: account.credentials.refresh_token,
        }),
      });
      return ((await res.json()) as { data: { access_token: string; expires_in: number; error_code: number } }).data;
    };
    const first = await refresh();
    assert.equal(first.error_code, 0);
    assert.equal(first.access_token, account.credentials.access_token, 'still valid: the same token');
    await sandbox.advanceClock('douyin', 20 * 60_000);
    const renewed = await refresh();
    assert.equal(renewed.access_token, account.credentials.access_token);
    // Renewed 20 minutes in, so it outlives its first expiry (30 minutes in this simulator).
    await sandbox.advanceClock('douyin', 20 * 60_000);
    const me = await fetch(`${running.url}/douyin/oauth/userinfo/`, {
      method: 'POST',
      headers: { 'access-token': renewed.access_token },
      body: new URLSearchParams({ open_id: account.credentials.open_id, access_token: renewed.access_token }),
    });
    assert.equal(((await me.json()) as { data: { error_code: number } }).data.error_code, 0, 'the renewed token still works');
    await sandbox.advanceClock('douyin', 15 * 60_000);
    const fresh = await refresh();
    assert.equal(fresh.error_code, 0);
    assert.notEqual(fresh.access_token, account.credentials.access_token, 'expired: a new token');
  });

  it('the simulator takes at most 30 images per 图文 post (create_image_text), and render publishes the first 30', async () => {
    const many = sampleManuscript({
      images: Array.from({ length: 31 }, (_, i) => ({ ref: `img-${i}`, width: 1200, height: 800, bytes: 100_000, format: 'jpeg' })),
    });
    const r = douyinPlugin.render(many, { account: { name: 'x' }, settings: {} });
    assert.ok(r.warnings.some((w) => w.constraint === 'images.maxCount' && w.limit === 30));
    const account = await sandbox.createAccount('douyin', '图文上限');
    const u = new URL(`${running.url}/douyin/api/douyin/v1/video/create_image_text/`);
    u.searchParams.set('open_id', account.credentials.open_id);
    const res = await fetch(u, {
      method: 'POST',
      headers: { 'access-token': account.credentials.access_token, 'content-type': 'application/json' },
      body: JSON.stringify({ text: '三十一张', image_list: Array.from({ length: 31 }, (_, i) => `@img${i}`) }),
    });
    const data = ((await res.json()) as { data: { error_code: number; description: string } }).data;
    assert.equal(data.error_code, 28001007);
    assert.match(data.description, /30/);
  });

  it('an expired refresh token ends in needs_reauth', async () => {
    const { h, account } = await host();
    await sandbox.advanceClock('douyin', 2 * 3_600_000);
    const out = await h.publish(rendition());
    assert.equal(out.state, 'needs_reauth');
    assert.equal((await sandbox.posts('douyin', account.id)).length, 0);
  });

  it('authorizes through the connect page and a code works once', async () => {
    const account = await sandbox.createAccount('douyin', '授权测试');
    const ctx = createTestHost({ plugin: douyinPlugin, credentials: account.credentials, endpoints: endpoints() }).context();
    const url = await douyinPlugin.authorizeUrl!(ctx, { state: 's-1', redirectUri: 'https://hub.example.gov.cn/cb' });
    assert.match(url, /scope=user_info%2Cvideo\.create\.bind/);
    const res = await fetch(`${url}&sandbox_account=${account.id}`, { redirect: 'manual' });
    const back = new URL(res.headers.get('location')!);
    assert.equal(back.searchParams.get('state'), 's-1');
    const code = back.searchParams.get('code')!;
    const update = await douyinPlugin.exchangeCode!(ctx, { code, redirectUri: 'https://hub.example.gov.cn/cb' });
    assert.equal(update.credentials.open_id, account.credentials.open_id);
    assert.match(update.credentials.access_token, /^act\./);
    await assert.rejects(douyinPlugin.exchangeCode!(ctx, { code, redirectUri: 'x' }), (e) => errorKind(e) === 'permanent');
  });
});

describe('douyin: listing posts and verifying URLs', () => {
  let running: RunningSimulators;
  let sandbox: SandboxClient;
  before(async () => {
    // A long review, so a post published through the API is still in review while the test lists.
    running = await startSimulators([createDouyinSimulator({ reviewMs: 60_000 })]);
    sandbox = new SandboxClient(running.url);
  });
  after(() => running.close());

  async function account() {
    const a = await sandbox.createAccount('douyin', '某县发布');
    const host = createTestHost({
      plugin: douyinPlugin,
      videos: memoryVideos({ 'asset-video': testVideo }),
      credentials: a.credentials,
      endpoints: running.get('douyin').endpointsFor(running.url, ['open']),
      settings: chunkedSettings,
      maxBackoffMs: 50,
      pollDeadlineMs: 300,
    });
    return { host, id: a.id };
  }

  it('lists public posts only: one still in Douyin’s review is left out until it passes', async () => {
    const { host, id } = await account();
    const app = await sandbox.nativePost('douyin', { account: id, text: '在抖音里转发的市政府视频' });
    const out = await host.publish(douyinPlugin.render(videoManuscript(), { account: { name: 'x' }, settings: {} }));
    assert.equal(out.state, 'processing', 'still in review');
    const { posts } = await host.call((ctx) => douyinPlugin.listPosts!(ctx, {}));
    assert.deepEqual(
      posts.map((p) => [p.text, p.kind, p.url]),
      [['在抖音里转发的市政府视频', 'video', app.url]],
    );
    assert.equal(await host.call((ctx) => douyinPlugin.getPostByUrl!(ctx, `https://www.douyin.com/video/${out.result!.remoteId}`)), null);
    await sandbox.advanceClock('douyin', 60_000);
    const after = await host.call((ctx) => douyinPlugin.listPosts!(ctx, {}));
    assert.equal(after.posts.length, 2);
    const found = await host.call((ctx) => douyinPlugin.getPostByUrl!(ctx, `https://www.douyin.com/video/${out.result!.remoteId}`));
    assert.equal(found?.remoteId, out.result!.remoteId, 'a douyin.com/video/<id> address resolves like the share_url');
  });

  it('asks for the full address instead of a v.douyin.com short link', async () => {
    const { host } = await account();
    const r = await host.call((ctx) => douyinPlugin.getPostByUrl!(ctx, 'https://v.douyin.com/iRNBho6u/')).catch((e: unknown) => e);
    assert.equal(errorKind(r), 'content_invalid');
    assert.match((r as Error).message, /短链接/);
  });

  it('answers 28003017 after 100 video_list calls a day, waiting until midnight China time', async () => {
    const { host } = await account();
    for (let i = 0; i < 100; i++) await host.call((ctx) => douyinPlugin.listPosts!(ctx, {}));
    const e = (await host.call((ctx) => douyinPlugin.listPosts!(ctx, {})).catch((x: unknown) => x)) as PluginErrorLike;
    assert.equal(errorKind(e), 'rate_limited');
    assert.equal(e.platformCode, 28003017);
    // The plugin counts on the host's clock; this simulator's runs a minute ahead (the review above).
    assert.ok(Math.abs(e.retryAfterMs! - running.get('douyin').untilQuotaReset()) < 65_000);
  });
});
