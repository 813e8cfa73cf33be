import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorKind } from '@tongfa/plugin-sdk';
import {
  buildTestMp4,
  createTestHost,
  sampleManuscript,
  SandboxClient,
  startSimulators,
  type RunningSimulators,
} from '@tongfa/plugin-sdk/testing';
import { toutiaoHtml } from './article-contract';
import { createToutiaoSimulator, toutiaoPlugin } from './index';

const MB = 1024 * 1024;
const video = buildTestMp4(10.5 * MB, 20);
const chunked = { partBytes: 5 * MB, chunkAboveBytes: 0 };
const reader = {
  read: async (_ref: string, offset: number, length: number) => video.subarray(offset, offset + length),
};
const render = (input = sampleManuscript(), settings: Record<string, string | number | boolean> = {}) =>
  toutiaoPlugin.render(input, { account: { name: 'x' }, settings });
const img = (ref: string) => ({ ref, width: 1200, height: 800, bytes: 100_000, format: 'jpeg' });

describe('toutiao: render', () => {
  it('titles must have 5–30 code points and are never cut', () => {
    assert.deepEqual(
      render(sampleManuscript({ title: '四个字啊' })).violations.map((v) => v.constraint),
      ['title.min'],
    );
    assert.deepEqual(
      render(sampleManuscript({ title: '题'.repeat(31) })).violations.map((v) => v.constraint),
      ['title.max'],
    );
    assert.deepEqual(render(sampleManuscript({ title: '🇨🇳'.repeat(15) })).violations, []);
  });
  it('chooses the three-image layout when three images exist, and names the missing covers otherwise', () => {
    const three = render(sampleManuscript({ images: [img('a'), img('b')] }));
    assert.deepEqual(three.payload.coverKeys, ['cover-0', 'cover-1', 'cover-2']);
    const forced = render(sampleManuscript({ cover: undefined }), { coverLayout: 'three' });
    assert.deepEqual(
      forced.violations.map((v) => [v.constraint, v.actual]),
      [['cover.minCount', 1]],
    );
    assert.deepEqual(
      render(sampleManuscript({ cover: undefined, images: [] })).violations.map((v) => v.constraint),
      ['cover.minCount'],
    );
  });
  it('cleans the body as the 头条号 editor requires: links unwrapped, iframes and external images dropped', () => {
    const html = toutiaoHtml('<p>见<a href="https://x.cn">通知</a></p><iframe src="y"></iframe><p><img src="https://ext/a.jpg">图</p>', [
      'image-0',
    ]);
    assert.equal(html, '<p>见通知</p><p>图</p><p><img data-tongfa-key="image-0"></p>');
  });
});

describe('toutiao: against the simulator', () => {
  let running: RunningSimulators;
  let sandbox: SandboxClient;
  let n = 0;
  before(async () => {
    running = await startSimulators([createToutiaoSimulator()]);
    sandbox = new SandboxClient(running.url);
  });
  after(() => running.close());

  async function host(settings: Record<string, string | number | boolean> = {}) {
    const account = await sandbox.createAccount('toutiao', `头条号${++n}`);
    const h = createTestHost({
      plugin: toutiaoPlugin,
      videos: reader,
      credentials: account.credentials,
      endpoints: running.get('toutiao').endpointsFor(running.url, Object.keys(toutiaoPlugin.manifest.endpoints!)),
      settings,
      maxBackoffMs: 50,
    });
    return { h, account };
  }
  const videoInput = () =>
    sampleManuscript({ video: { ref: 'v', bytes: video.length, durationSec: 20, width: 720, height: 1280, format: 'mp4' } });

  it('publishes a chunked video through toutiao.video.create', async () => {
    const { h, account } = await host(chunked);
    const out = await h.publish(render(videoInput(), chunked));
    assert.equal(out.state, 'published', String(out.error));
    assert.match(out.result!.remoteId, /^video:/);
    assert.equal((await sandbox.posts('toutiao', account.id)).length, 1);
  });

  it('a lost create answer is retried with the same video_id and the platform answers the same video', async () => {
    const { h, account } = await host(chunked);
    // init, three parts and complete pass; create loses its answer.
    await sandbox.setFaults('toutiao', { rate: 1, kinds: ['lost_response'], remaining: 1, after: 5, seed: 1 });
    const out = await h.publish(render(videoInput(), chunked));
    await sandbox.setFaults('toutiao', { rate: 0, kinds: [] });
    assert.equal(out.state, 'published', String(out.error));
    assert.ok(h.events.some((e) => e.type === 'error' && e.kind === 'ambiguous'));
    assert.equal((await sandbox.posts('toutiao', account.id)).length, 1);
  });

  it('lists a video published through toutiao.video.create beside articles, with the remoteId the plugin uses', async () => {
    const { h, account } = await host(chunked);
    const out = await h.publish(render(videoInput(), chunked));
    assert.equal(out.state, 'published', String(out.error));
    await sandbox.advanceClock('toutiao', 1000); // past the review
    await sandbox.nativePost('toutiao', { account: account.id, title: '头条号后台直接发布', text: '在头条号后台写的文章' });
    const { posts } = await h.call((ctx) => toutiaoPlugin.listPosts!(ctx, {}));
    assert.deepEqual(
      posts.map((p) => [p.kind, p.title]),
      [
        ['article', '头条号后台直接发布'],
        ['video', '我市召开防汛工作部署会'],
      ],
    );
    assert.equal(posts[1].remoteId, out.result!.remoteId);
    assert.equal((await h.call((ctx) => toutiaoPlugin.getPostByUrl!(ctx, out.result!.url!)))?.remoteId, out.result!.remoteId);
  });

  it('refuses to list without the unit’s article token, since the list is part of the article contract', async () => {
    const { account } = await host();
    const { article_token: _dropped, ...videoOnly } = account.credentials;
    const h = createTestHost({
      plugin: toutiaoPlugin,
      credentials: videoOnly,
      endpoints: running.get('toutiao').endpointsFor(running.url, Object.keys(toutiaoPlugin.manifest.endpoints!)),
    });
    const e = await h.call((ctx) => toutiaoPlugin.listPosts!(ctx, {})).catch((x: unknown) => x);
    assert.equal(errorKind(e), 'permanent');
    assert.match((e as Error).message, /文章接口令牌/);
  });

  it('publishes a three-image article whose body images were uploaded first', async () => {
    const { h, account } = await host();
    const out = await h.publish(render(sampleManuscript({ images: [img('a'), img('b')] })));
    assert.equal(out.state, 'published', String(out.error));
    assert.match(out.result!.url!, /^https:\/\/www\.toutiao\.com\/item\//);
    const [post] = await sandbox.posts('toutiao', account.id);
    assert.equal(post.idempotencyMarker, out.idempotencyKey);
  });

  it('the contract dedupes on external_id: publishing again under the same key returns the same article', async () => {
    const { h, account } = await host();
    const a = await h.publish(render(), { idempotencyKey: 'tf-same-key' });
    const fresh = createTestHost({ ...h.options, credentials: h.credentials });
    const b = await fresh.publish(render(), { idempotencyKey: 'tf-same-key' });
    assert.equal(a.result!.remoteId, b.result!.remoteId);
    assert.equal((await sandbox.posts('toutiao', account.id)).length, 1);
  });

  it('review rejection fails the target with the platform reason', async () => {
    const { h } = await host();
    const out = await h.publish(render(sampleManuscript({ title: '审核不通过测试标题' })));
    assert.equal(out.state, 'failed');
    assert.match(String((out.error as Error).message), /不宜发布/);
  });

  it('a revoked article token cannot be refreshed and ends in needs_reauth', async () => {
    const { h, account } = await host();
    running.get('toutiao').revokeToken(account.credentials.article_token);
    const out = await h.publish(render());
    assert.equal(out.state, 'needs_reauth');
    assert.equal(errorKind(out.error), 'auth_expired');
    assert.equal((await sandbox.posts('toutiao', account.id)).length, 0);
  });

  it('the simulator refuses article HTML that still carries a link', async () => {
    const { h } = await host();
    const r = render();
    const bad = { ...r, payload: { ...r.payload, contentTemplate: '<p><a href="https://x.cn">外链</a></p>' } };
    const out = await h.publish(bad);
    assert.equal(out.state, 'failed');
    assert.equal(errorKind(out.error), 'content_invalid');
  });

  it('video retract is refused with a reason, since no public delete API exists', async () => {
    const { h } = await host(chunked);
    const out = await h.publish(render(videoInput(), chunked));
    await assert.rejects(
      h.call((ctx) => toutiaoPlugin.retract!(ctx, out.result!.remoteId)),
      (e) => errorKind(e) === 'permanent',
    );
  });
});
