import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorKind, isPluginError, type PluginContext, type PluginErrorKind } from '@tongfa/plugin-sdk';
import {
  createTestHost,
  sampleManuscript,
  SandboxClient,
  startSimulators,
  type RunningSimulators,
  type TestHost,
} from '@tongfa/plugin-sdk/testing';
import { wechatError } from './api';
import { manifest } from './manifest';
import { wechatPlugin as plugin } from './plugin';
import { decodeRemoteId } from './remote-id';
import { assetMarker, renderWechat } from './render';
import { createWechatSimulator, type WechatSimulator, type WechatSimulatorOptions } from './simulator';

const renderCtx = { account: { name: '测试政务号' }, settings: {} };
const rendition = (overrides = {}) => {
  const r = renderWechat(sampleManuscript(overrides), renderCtx);
  assert.deepEqual(r.violations, []);
  return r;
};

interface Env {
  sim: WechatSimulator;
  running: RunningSimulators;
  sandbox: SandboxClient;
}

async function startEnv(options?: WechatSimulatorOptions): Promise<Env> {
  const sim = createWechatSimulator(options);
  const running = await startSimulators([sim]);
  return { sim, running, sandbox: new SandboxClient(running.url) };
}

async function connect(env: Env, name = '某市发布') {
  const account = await env.sandbox.createAccount('wechat', name);
  const host = createTestHost({
    plugin,
    credentials: account.credentials,
    endpoints: env.sim.endpointsFor(env.running.url, ['api']),
    maxBackoffMs: 50,
  });
  await host.refresh();
  return { account, host, appid: account.credentials.appid };
}

async function rejection(p: Promise<unknown>): Promise<Error & { kind?: PluginErrorKind; platformCode?: unknown; retryAfterMs?: number }> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  assert.fail('expected the call to fail');
}

/** A raw WeChat API call, to check what the simulator itself refuses. */
async function wxRaw(env: Env, path: string, token: string | undefined, body?: unknown): Promise<Record<string, unknown>> {
  const url = `${env.running.url}/wechat${path}${token === undefined ? '' : `?access_token=${token}`}`;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  assert.equal(res.status, 200, 'WeChat answers errors with HTTP 200');
  return (await res.json()) as Record<string, unknown>;
}

async function wxUpload(env: Env, path: string, token: string, data: Uint8Array, type: string): Promise<Record<string, unknown>> {
  const fd = new FormData();
  fd.append('media', new Blob([data], { type }), 'a.bin');
  const res = await fetch(`${env.running.url}/wechat${path}${path.includes('?') ? '&' : '?'}access_token=${token}`, {
    method: 'POST',
    body: fd,
  });
  return (await res.json()) as Record<string, unknown>;
}

const JPEG = Buffer.from(
  '/9j/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAABAAEDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAf/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABgf/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCTADC6v//Z',
  'base64',
);

describe('wechat: error-code mapping', () => {
  const now = Date.parse('2025-07-01T04:00:00Z'); // 12:00 Beijing
  const table: Array<[number, PluginErrorKind]> = [
    [-1, 'transient'],
    [40001, 'auth_expired'],
    [40014, 'auth_expired'],
    [41001, 'auth_expired'],
    [42001, 'auth_expired'],
    [40125, 'auth_expired'],
    [40164, 'permanent'],
    [89503, 'permanent'],
    [45009, 'rate_limited'],
    [45011, 'rate_limited'],
    [45002, 'content_invalid'],
    [45003, 'content_invalid'],
    [45004, 'content_invalid'],
    [45166, 'content_invalid'],
    [40005, 'content_invalid'],
    [40009, 'content_invalid'],
    [53500, 'permanent'],
    [53501, 'rate_limited'],
    [53503, 'rejected_by_review'],
    [48001, 'permanent'],
    [88000, 'permanent'],
    [61500, 'permanent'],
    [99999, 'permanent'],
  ];
  for (const [code, kind] of table) {
    it(`maps errcode ${code} to ${kind}`, () => {
      const e = wechatError(code, 'some errmsg rid: 1-2', now);
      assert.ok(isPluginError(e));
      assert.equal(errorKind(e), kind);
      assert.equal((e as { platformCode?: unknown }).platformCode, code);
    });
  }
  it('names the constraint each content code breaks', () => {
    const names = (code: number) =>
      (wechatError(code, '', now) as unknown as { violations: Array<{ constraint: string }> }).violations[0].constraint;
    assert.equal(names(45002), 'body.max');
    assert.equal(names(45003), 'title.max');
    assert.equal(names(45004), 'summary.max');
    assert.equal(names(45166), 'content.links');
  });
  it('waits for midnight Beijing time after the daily quota (45009), a minute after 45011', () => {
    const daily = wechatError(45009, '', now) as unknown as { retryAfterMs: number };
    assert.equal(daily.retryAfterMs, 12 * 3600_000);
    const minute = wechatError(45011, '', now) as unknown as { retryAfterMs: number };
    assert.ok(minute.retryAfterMs > 0 && minute.retryAfterMs <= 61_000);
  });
  it('tells the operator in Chinese which IP to whitelist on 40164', () => {
    const e = wechatError(40164, 'invalid ip 198.51.100.23 ipv6 ::ffff:198.51.100.23, not in whitelist rid: x', now) as Error & {
      zh: string;
    };
    assert.match(e.zh, /198\.51\.100\.23/);
    assert.match(e.zh, /IP白名单/);
  });
  it('never repeats an access token an errmsg might echo', () => {
    const e = wechatError(40001, 'invalid credential access_token=tk_secret_value', now);
    assert.doesNotMatch(e.message, /tk_secret_value/);
  });
});

describe('wechat: render', () => {
  const img = (ref: string, extra = {}) => ({ ref, width: 1600, height: 1200, bytes: 800_000, format: 'jpeg', ...extra });

  it('binds <img> to manuscript images by data-media-id, else in order, and appends the unplaced ones', () => {
    const r = renderWechat(
      sampleManuscript({
        bodyHtml: '<p>甲</p><img src="https://hub.example/a2.jpg" data-media-id="a2"><p>乙</p><img src="https://hub.example/x.jpg">',
        images: [img('a1'), img('a2'), img('a3')],
      }),
      renderCtx,
    );
    const p = r.payload;
    assert.deepEqual(p.imageKeys, ['image-1', 'image-0', 'image-2']);
    assert.ok(p.content.indexOf(assetMarker('image-1')) < p.content.indexOf(assetMarker('image-0')));
    assert.ok(p.content.endsWith(`<p><img src="${assetMarker('image-2')}" /></p>`));
    assert.doesNotMatch(p.content, /hub\.example/);
  });
  it('drops images that are not the manuscript’s with a warning, as WeChat would filter them', () => {
    const r = renderWechat(sampleManuscript({ bodyHtml: '<p>正文</p><img src="https://evil.example/x.png">', images: [] }), renderCtx);
    assert.doesNotMatch(r.payload.content, /<img/);
    assert.ok(r.warnings.some((w) => w.constraint === 'images.external'));
  });
  it('strips scripts and embeds, unwraps links outside mp.weixin.qq.com and keeps links to articles', () => {
    const r = renderWechat(
      sampleManuscript({
        bodyHtml:
          '<p>见<a href="https://www.gov.cn/x">通知</a>和<a href="https://mp.weixin.qq.com/s/abc">前文</a></p><script>alert(1)</script><iframe src="https://v.qq.com"></iframe><p>完</p>',
      }),
      renderCtx,
    );
    const c = r.payload.content;
    assert.doesNotMatch(c, /script|alert|iframe|gov\.cn/);
    assert.match(c, /见通知和<a href="https:\/\/mp\.weixin\.qq\.com\/s\/abc">前文<\/a>/);
    assert.ok(r.warnings.some((w) => w.constraint === 'content.links'));
  });
  it('counts the title in UTF-16 units: 16 emoji fit in 32, 17 do not', () => {
    assert.deepEqual(renderWechat(sampleManuscript({ title: '😀'.repeat(16) }), renderCtx).violations, []);
    const v = renderWechat(sampleManuscript({ title: '😀'.repeat(17) }), renderCtx).violations;
    assert.deepEqual(
      v.map((x) => [x.constraint, x.actual]),
      [['title.max', 34]],
    );
  });
  it('keeps CJK, emoji sequences and escaped markup intact in the body', () => {
    const r = renderWechat(sampleManuscript({ bodyHtml: '<p>防汛👨‍👩‍👧‍👦🇨🇳 &lt;通知&gt; &amp; 说明</p>' }), renderCtx);
    assert.equal(r.payload.content.startsWith('<p>防汛👨‍👩‍👧‍👦🇨🇳 &lt;通知&gt; &amp; 说明</p>'), true);
  });
  it('counts HTML tags and a reserve per image URL against the 20,000-character limit', () => {
    const para = `<p>${'字'.repeat(993)}</p>`; // 1,000 characters with its tags
    const fits = renderWechat(sampleManuscript({ bodyHtml: para.repeat(19), images: [] }), renderCtx);
    assert.deepEqual(fits.violations, []);
    const tooLong = renderWechat(
      sampleManuscript({ bodyHtml: para.repeat(19) + `<p>${'字'.repeat(900)}</p>`, images: [img('a1'), img('a2'), img('a3')] }),
      renderCtx,
    );
    assert.deepEqual(
      tooLong.violations.map((v) => v.constraint),
      ['body.max'],
    );
  });
  it('uses the first image as cover when there is none, and refuses a manuscript with no image at all', () => {
    const fallback = renderWechat(sampleManuscript({ cover: undefined }), renderCtx);
    assert.deepEqual(fallback.violations, []);
    assert.equal(fallback.assets.find((a) => a.role === 'cover')?.ref, 'asset-1');
    assert.ok(fallback.warnings.some((w) => w.constraint === 'cover.fallback'));
    const none = renderWechat(sampleManuscript({ cover: undefined, images: [] }), renderCtx);
    assert.deepEqual(
      none.violations.map((v) => v.constraint),
      ['cover.required'],
    );
  });
  it('truncates the digest at 128 and the byline at 16 with warnings, and credits a reprint’s source', () => {
    const r = renderWechat(
      sampleManuscript({
        summary: '摘'.repeat(200),
        unitName: '某某省某某市某某县人民政府办公室新闻中心',
        category: 'reprint',
        source: { type: 'reprint', unitName: '新华社', url: 'https://www.news.cn/a.html' },
      }),
      renderCtx,
    );
    assert.equal(r.payload.digest.length, 128);
    assert.equal(r.payload.author.length, 16);
    assert.deepEqual(r.warnings.map((w) => w.constraint).sort(), ['content.author', 'summary.max']);
    assert.match(r.payload.content, /<p>来源：新华社<\/p>$/);
    assert.equal(r.payload.contentSourceUrl, 'https://www.news.cn/a.html');
  });
  it('falls back to the sourceUrl setting for 阅读原文 and refuses a non-http one', () => {
    assert.equal(
      renderWechat(sampleManuscript(), { ...renderCtx, settings: { sourceUrl: 'https://www.example.gov.cn/' } }).payload.contentSourceUrl,
      'https://www.example.gov.cn/',
    );
    const bad = renderWechat(sampleManuscript(), { ...renderCtx, settings: { sourceUrl: 'ftp://x' } });
    assert.deepEqual(
      bad.violations.map((v) => v.constraint),
      ['source.url'],
    );
  });
});

describe('wechat: publishing against the simulator', { concurrency: false }, () => {
  let env: Env;
  before(async () => {
    env = await startEnv();
  });
  after(async () => {
    await env.running.close();
  });

  class Crash extends Error {}

  /** Runs publish until its k-th checkpoint, then "crashes" (after storing the state, or before). */
  async function crashAt(host: TestHost, key: string, r: ReturnType<typeof rendition>, k: number, stored: boolean) {
    const ctx = host.context({ idempotencyKey: key });
    let n = 0;
    const crashing: PluginContext = {
      ...ctx,
      checkpoint: async (state) => {
        n++;
        if (n === k) {
          if (stored) await ctx.checkpoint(state);
          throw new Crash(`crash at checkpoint ${k}`);
        }
        await ctx.checkpoint(state);
      },
    };
    await assert.rejects(plugin.publish(crashing, r), Crash);
  }

  const steps = ['image uploaded', 'cover uploaded', 'draft about to be sent', 'draft created', 'submit about to be sent', 'submitted'];
  for (const stored of [true, false]) {
    steps.forEach((step, i) => {
      it(`resumes after a crash at "${step}" (${stored ? 'checkpoint stored' : 'checkpoint lost'}) with one draft and one publish`, async () => {
        const { host, appid, account } = await connect(env);
        const r = rendition();
        const key = `tf-crash-${i}-${stored}`;
        await crashAt(host, key, r, i + 1, stored);
        const out = await host.publish(r, { idempotencyKey: key });
        assert.equal(out.state, 'published', String(out.error));
        assert.equal(env.sim.wechat.jobs(appid).length, 1, 'exactly one freepublish/submit');
        assert.equal(env.sim.wechat.drafts(appid).length, 0, 'no draft left behind (a second draft would stay in the box)');
        // A cover uploaded but not recorded is uploaded again: an orphan material, never a second post.
        assert.equal(env.sim.wechat.materials(appid).length, !stored && i === 1 ? 2 : 1);
        const posts = (await env.sandbox.posts('wechat', account.id)).filter((p) => !p.deleted);
        assert.equal(posts.length, 1);
        assert.match(posts[0].idempotencyMarker ?? '', new RegExp(`tongfa_key=${key}`));
      });
    });
  }

  it('replaces every inline image with the mmbiz URL uploadimg returned, and sends a permanent cover', async () => {
    const { host, appid } = await connect(env);
    const r = rendition({
      bodyHtml: '<p>一</p><img src="https://hub/x.jpg"><p>二</p><img src="https://hub/y.jpg">',
      images: [
        { ref: 'a1', width: 800, height: 600, bytes: 1000, format: 'jpeg' },
        { ref: 'a2', width: 800, height: 600, bytes: 1000, format: 'png' },
      ],
    });
    assert.equal((await host.publish(r)).state, 'published');
    const [job] = env.sim.wechat.jobs(appid);
    const srcs = [...job.article.content.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(srcs.length, 2, 'the simulator keeps only uploadimg images');
    for (const s of srcs) assert.match(s, /^http:\/\/mmbiz\.qpic\.cn\/mmbiz_(jpg|png)\//);
    assert.ok(env.sim.wechat.materials(appid).includes(job.article.thumb_media_id));
  });

  it('accepts publish_id as a string and as a number', async () => {
    const { host } = await connect(env);
    const a = await host.publish(rendition());
    const b = await host.publish(rendition());
    assert.equal(a.state, 'published');
    assert.equal(b.state, 'published');
    const ids = [a, b].map((o) => Number(decodeRemoteId(o.result!.remoteId).publishId));
    // The simulator answers even ids as strings and odd ones as numbers; consecutive ids cover both.
    assert.equal(Math.abs(ids[0] - ids[1]), 1);
    assert.ok(ids.every((id) => Number.isSafeInteger(id) && id > 0));
  });

  it('fails a publish the platform review rejects (status 4) as RejectedByReview', async () => {
    const { host, appid } = await connect(env);
    env.sim.wechat.failNextPublish(appid, 4);
    const out = await host.publish(rendition());
    assert.equal(out.state, 'failed');
    assert.equal(errorKind(out.error), 'rejected_by_review');
  });

  it('fails a publish that ends in status 3 as permanent, and one whose words the review refuses as rejected', async () => {
    const { host, appid } = await connect(env);
    env.sim.wechat.failNextPublish(appid, 3);
    assert.equal(errorKind((await host.publish(rendition())).error), 'permanent');
    const out = await host.publish(rendition({ bodyHtml: '<p>审核不通过测试</p>' }));
    assert.equal(errorKind(out.error), 'rejected_by_review');
  });

  it('refuses with a clear whitelist message when the egress IP is not whitelisted (40164)', async () => {
    const { host, appid, account } = await connect(env);
    env.sim.wechat.blockIp(appid, '198.51.100.9');
    const e = await rejection(host.refresh());
    assert.equal(errorKind(e), 'permanent');
    assert.match(e.message, /198\.51\.100\.9/);
    assert.match(e.message, /IP白名单/);
    assert.doesNotMatch(e.message, new RegExp(account.credentials.secret));
    const pub = await host.publish(rendition());
    assert.equal(pub.state, 'failed');
    env.sim.wechat.unblockIp(appid);
  });

  it('reuses a valid token in normal mode but forces a new one when asked to refresh it; the old one works 5 more minutes', async () => {
    const { host } = await connect(env);
    const first = host.credentials.accessToken;
    await host.refresh();
    const second = host.credentials.accessToken;
    assert.notEqual(second, first, 'refreshCredentials must not hand back the token it was asked to replace');
    const old = await wxRaw(env, '/cgi-bin/draft/batchget', first, { offset: 0, count: 1 });
    assert.equal(old.errcode, undefined, 'the replaced token stays valid for 5 minutes');
    await env.sandbox.advanceClock('wechat', 5 * 60_000 + 1000);
    const late = await wxRaw(env, '/cgi-bin/draft/batchget', first, { offset: 0, count: 1 });
    assert.equal(late.errcode, 40001);
    const current = await wxRaw(env, '/cgi-bin/draft/batchget', second, { offset: 0, count: 1 });
    assert.equal(current.errcode, undefined);
  });

  it('retracts with freepublish/delete (index 0) and then reports the post deleted', async () => {
    const { host, account } = await connect(env);
    const out = await host.publish(rendition());
    const remoteId = out.result!.remoteId;
    await host.call((ctx) => plugin.retract!(ctx, remoteId));
    assert.equal((await env.sandbox.posts('wechat', account.id))[0].deleted, true);
    assert.equal((await host.call((ctx) => plugin.publishStatus(ctx, remoteId))).status, 'deleted');
  });

  it('reports a banned article (status 6) as deleted with the reason', async () => {
    const { host, appid } = await connect(env);
    const out = await host.publish(rendition());
    env.sim.wechat.banArticle(env.sim.wechat.jobs(appid)[0].articleId);
    const st = await host.call((ctx) => plugin.publishStatus(ctx, out.result!.remoteId));
    assert.equal(st.status, 'deleted');
    assert.match(st.reason ?? '', /封禁/);
  });

  it('maps a missing comment privilege (88000) to a permanent error', async () => {
    const { host, appid } = await connect(env);
    const out = await host.publish(rendition());
    env.sim.wechat.setCommentPermission(appid, false);
    const e = await rejection(host.call((ctx) => plugin.fetchComments!(ctx, out.result!.remoteId)));
    assert.equal(errorKind(e), 'permanent');
    assert.equal(e.platformCode, 88000);
  });

  it('finds comments and metrics of a post found by findExisting (msg_data_id from the article URL)', async () => {
    const { host, account } = await connect(env);
    const out = await host.publish(rendition());
    const found = await host.call((ctx) => plugin.findExisting({ ...ctx, lastCheckpoint: undefined }, out.idempotencyKey));
    assert.ok(found && decodeRemoteId(found.remoteId).articleId);
    assert.equal(found.status, 'published');
    const [post] = await env.sandbox.posts('wechat', account.id);
    await env.sandbox.addComment('wechat', post.id, '什么时候开始？', '市民');
    const { items } = await host.call((ctx) => plugin.fetchComments!(ctx, found.remoteId));
    assert.equal(items[0].text, '什么时候开始？');
    await host.call((ctx) => plugin.reply!(ctx, found.remoteId, items[0].id, '明天上午九点。'));
    assert.equal((await env.sandbox.posts('wechat', account.id))[0].comments[0].reply?.text, '明天上午九点。');
  });

  it('gives comments ids unique per account, though WeChat numbers them per article, and refuses one of another article', async () => {
    const { host, account } = await connect(env);
    const a = await host.publish(rendition());
    const b = await host.publish(rendition());
    const posts = await env.sandbox.posts('wechat', account.id);
    for (const p of posts) await env.sandbox.addComment('wechat', p.id, `第一条留言 ${p.id}`, '市民');
    const [ca] = (await host.call((ctx) => plugin.fetchComments!(ctx, a.result!.remoteId))).items;
    const [cb] = (await host.call((ctx) => plugin.fetchComments!(ctx, b.result!.remoteId))).items;
    assert.ok(ca && cb);
    assert.notEqual(ca.id, cb.id, 'the first comment of two articles must not share an id');
    // A comment id of article B used with article A never touches A's comment of the same number.
    const e = await rejection(host.call((ctx) => plugin.deleteComment!(ctx, a.result!.remoteId, cb.id)));
    assert.equal(errorKind(e), 'permanent');
    assert.ok((await env.sandbox.posts('wechat', account.id)).every((p) => p.comments.every((c) => !c.deleted)));
    await host.call((ctx) => plugin.deleteComment!(ctx, b.result!.remoteId, cb.id));
    const after = await env.sandbox.posts('wechat', account.id);
    assert.deepEqual(after.map((p) => p.comments.filter((c) => c.deleted).length).sort(), [0, 1]);
  });
});

describe('wechat: asynchronous publishing, quotas and expiry', { concurrency: false }, () => {
  let env: Env;
  before(async () => {
    env = await startEnv({
      publishDelayMs: 60_000,
      tokenTtlSec: 600,
      dailyQuota: { '/cgi-bin/get_api_domain_ip': 3 },
      minuteQuota: { '/cgi-bin/freepublish/getarticle': 1 },
    });
  });
  after(async () => {
    await env.running.close();
  });

  it('returns processing after submit and reports published with the article URL once WeChat finishes', async () => {
    const { host } = await connect(env);
    const ctx = host.context();
    const res = await plugin.publish(ctx, rendition());
    assert.equal(res.status, 'processing');
    assert.equal((await plugin.publishStatus(host.context(), res.remoteId)).status, 'processing');
    await env.sandbox.advanceClock('wechat', 61_000);
    const st = await plugin.publishStatus(host.context(), res.remoteId);
    assert.equal(st.status, 'published');
    assert.match(st.url ?? '', /^https:\/\/mp\.weixin\.qq\.com\/s\?/);
  });

  it('after a lost submit answer while still publishing, findExisting says processing and the post is found later', async () => {
    const { host, appid } = await connect(env);
    const key = 'tf-lost-submit';
    await env.sandbox.setFaults('wechat', { rate: 1, kinds: ['lost_response'], remaining: 1, after: 3 });
    const e = await rejection(plugin.publish(host.context({ idempotencyKey: key }), rendition()));
    assert.equal(errorKind(e), 'ambiguous');
    const found = await plugin.findExisting(host.context({ idempotencyKey: key }), key);
    assert.equal(found?.status, 'processing');
    assert.equal(decodeRemoteId(found!.remoteId).key, key);
    // A retry must not submit again either.
    const again = await plugin.publish(host.context({ idempotencyKey: key }), rendition());
    assert.equal(again.status, 'processing');
    assert.equal(env.sim.wechat.jobs(appid).length, 1);
    await env.sandbox.advanceClock('wechat', 61_000);
    await host.refresh();
    const st = await plugin.publishStatus(host.context(), found!.remoteId);
    assert.equal(st.status, 'published');
  });

  it('answers 42001 once a token outlives its lifetime, and the host refresh path recovers', async () => {
    const { host } = await connect(env);
    await env.sandbox.advanceClock('wechat', 601_000);
    const e = await rejection(plugin.getProfile(host.context()));
    assert.equal(errorKind(e), 'auth_expired');
    assert.equal(e.platformCode, 42001);
    const p = await host.call((ctx) => plugin.getProfile(ctx));
    assert.equal(p.name, '某市发布');
  });

  it('enforces the daily quota per API with 45009 and the minute quota with 45011', async () => {
    const { host } = await connect(env);
    for (let i = 0; i < 3; i++) await plugin.getProfile(host.context());
    const daily = await rejection(plugin.getProfile(host.context()));
    assert.equal(errorKind(daily), 'rate_limited');
    assert.equal(daily.platformCode, 45009);
    assert.ok(daily.retryAfterMs! > 0 && daily.retryAfterMs! <= 86_400_000);

    const out = await plugin.findExisting(host.context(), 'tf-none');
    assert.equal(out, null);
    const key = 'tf-minute-quota';
    await plugin.publish(host.context({ idempotencyKey: key }), rendition());
    await env.sandbox.advanceClock('wechat', 61_000);
    // Found by its marker in freepublish/batchget, the post is known by article_id: status reads use getarticle.
    const found = await plugin.findExisting(host.context(), key);
    const remoteId = found!.remoteId;
    assert.ok(decodeRemoteId(remoteId).articleId);
    await plugin.publishStatus(host.context(), remoteId);
    const minute = await rejection(plugin.publishStatus(host.context(), remoteId));
    assert.equal(errorKind(minute), 'rate_limited');
    assert.equal(minute.platformCode, 45011);
  });

  it('enforces the stable_token daily quota (2000 by default) with 45009', async () => {
    const small = await startEnv({ dailyQuota: { '/cgi-bin/stable_token': 2 } });
    try {
      const { host } = await connect(small); // 1 call
      await host.refresh(); // normal (same token) + forced: 3 calls, the forced one refused
      assert.fail('the third stable_token call must be refused');
    } catch (e) {
      assert.equal(errorKind(e), 'rate_limited');
      assert.equal((e as { platformCode?: unknown }).platformCode, 45009);
    } finally {
      await small.running.close();
    }
  });

  it('reads yesterday’s figures from datacube (end_date at most yesterday) for the post', async () => {
    const { host, account } = await connect(env, '数据账号');
    const res = await plugin.publish(host.context(), rendition());
    await env.sandbox.advanceClock('wechat', 61_000);
    const [post] = await env.sandbox.posts('wechat', account.id);
    env.sim.findPost(post.id)!.metrics.views = 321;
    env.sim.findPost(post.id)!.metrics.shares = 7;
    // Move to 09:00 Beijing time on the next day, when yesterday's figures are out.
    const now = env.sim.now();
    const local = now + 8 * 3600_000;
    const nextNine = Math.floor(local / 86_400_000 + 1) * 86_400_000 + 9 * 3600_000;
    await env.sandbox.advanceClock('wechat', nextNine - local);
    const mt = await host.call((ctx) => plugin.fetchMetrics!({ ...ctx, clock: { now: () => env.sim.now() } }, res.remoteId));
    assert.equal(mt.views, 321);
    assert.equal(mt.shares, 7);
    assert.ok(mt.asOf < env.sim.now());
  });
});

describe('wechat: what the simulator refuses', { concurrency: false }, () => {
  let env: Env;
  let token: string;
  let thumb: string;
  before(async () => {
    env = await startEnv();
    const { host } = await connect(env);
    token = host.credentials.accessToken;
    thumb = String((await wxUpload(env, '/cgi-bin/material/add_material?type=image', token, JPEG, 'image/jpeg')).media_id);
  });
  after(async () => {
    await env.running.close();
  });

  const article = (over: Record<string, unknown> = {}) => ({
    title: '标题',
    content: '<p>正文</p>',
    thumb_media_id: thumb,
    ...over,
  });
  const draft = async (over: Record<string, unknown>) =>
    (await wxRaw(env, '/cgi-bin/draft/add', token, { articles: [article(over)] })).errcode;

  it('refuses titles over 32, authors over 16, digests over 128 and content of 20,000 characters', async () => {
    assert.equal(await draft({ title: '标'.repeat(33) }), 45003);
    assert.equal(await draft({ author: '作'.repeat(17) }), 45110);
    assert.equal(await draft({ digest: '摘'.repeat(129) }), 45004);
    assert.equal(await draft({ content: `<p>${'字'.repeat(19_993)}</p>` }), 45002);
    assert.equal(await draft({ content: `<p>${'字'.repeat(19_992)}</p>` }), undefined);
  });
  it('refuses a thumb_media_id that is not this account’s permanent material (40007)', async () => {
    assert.equal(await draft({ thumb_media_id: 'not-a-media-id' }), 40007);
    const other = await connect(env, '另一账号');
    const otherThumb = await wxUpload(
      env,
      '/cgi-bin/material/add_material?type=image',
      other.host.credentials.accessToken,
      JPEG,
      'image/jpeg',
    );
    assert.equal(await draft({ thumb_media_id: otherThumb.media_id }), 40007);
  });
  it('refuses links outside mp.weixin.qq.com (45166) and filters images that did not come from uploadimg', async () => {
    assert.equal(await draft({ content: '<p><a href="https://www.gov.cn/">外链</a></p>' }), 45166);
    const up = await wxUpload(env, '/cgi-bin/media/uploadimg', token, JPEG, 'image/jpeg');
    const r = await wxRaw(env, '/cgi-bin/draft/add', token, {
      articles: [article({ content: `<p>图</p><img src="https://x.example/a.jpg"><img src="${String(up.url)}"><script>x()</script>` })],
    });
    const got = await wxRaw(env, '/cgi-bin/draft/get', token, { media_id: r.media_id });
    const content = (got.news_item as Array<{ content: string }>)[0].content;
    assert.doesNotMatch(content, /x\.example|script/);
    assert.ok(content.includes(String(up.url)));
  });
  it('refuses uploadimg images that are not jpg/png (40005) or reach 1 MB (40009)', async () => {
    const gif = Buffer.from('R0lGODlhAQABAAAAACw=', 'base64');
    assert.equal((await wxUpload(env, '/cgi-bin/media/uploadimg', token, gif, 'image/gif')).errcode, 40005);
    const big = Buffer.concat([JPEG, Buffer.alloc(1024 * 1024)]);
    assert.equal((await wxUpload(env, '/cgi-bin/media/uploadimg', token, big, 'image/jpeg')).errcode, 40009);
  });
  it('refuses calls without a token (41001) or with a malformed one (40014)', async () => {
    assert.equal((await wxRaw(env, '/cgi-bin/draft/batchget', undefined, { offset: 0, count: 1 })).errcode, 41001);
    assert.equal((await wxRaw(env, '/cgi-bin/draft/batchget', 'bogus', { offset: 0, count: 1 })).errcode, 40014);
  });
  it('refuses datacube spans over a day and end dates from today on (61500)', async () => {
    const day = (d: number) => new Date(env.sim.now() + 8 * 3600_000 + d * 86_400_000).toISOString().slice(0, 10);
    const call = (b: string, e: string) => wxRaw(env, '/datacube/getarticlesummary', token, { begin_date: b, end_date: e });
    assert.equal((await call(day(-3), day(-2))).errcode, 61500);
    assert.equal((await call(day(0), day(0))).errcode, 61500);
    assert.equal((await call('2025/01/01', '2025/01/01')).errcode, 61500);
    assert.ok(Array.isArray((await call(day(-2), day(-2))).list));
  });
  it('refuses comment pages of 50 or more', async () => {
    const { host } = await connect(env, '评论账号');
    const out = await host.publish(rendition());
    const msg = decodeRemoteId(out.result!.remoteId).msgDataId;
    const r = await wxRaw(env, '/cgi-bin/comment/list', host.credentials.accessToken, {
      msg_data_id: Number(msg),
      index: 0,
      begin: 0,
      count: 50,
      type: 0,
    });
    assert.equal(r.errcode, 40035);
  });
  it('declares the limits it enforces in the manifest', () => {
    assert.equal(manifest.constraints.title?.max, 32);
    assert.equal(manifest.constraints.summary?.max, 128);
    assert.equal(manifest.constraints.body?.max, 19_999);
  });
});

describe('wechat: listing posts and verifying URLs', { concurrency: false }, () => {
  let env: Env;
  before(async () => {
    env = await startEnv();
  });
  after(async () => {
    await env.running.close();
  });

  const list = (host: TestHost, params = {}) => host.call((ctx) => plugin.listPosts!(ctx, params));
  const byUrl = (host: TestHost, url: string) => host.call((ctx) => plugin.getPostByUrl!(ctx, url));

  it('lists an article published in the 公众号 backend with its 阅读原文 link, and ours without Tongfa’s marker', async () => {
    const { host, account } = await connect(env);
    const native = await env.sandbox.nativePost('wechat', {
      account: account.id,
      title: '转载：全市防汛工作部署会',
      text: '第一段\n第二段 <b>不是标签</b>',
      link: 'https://www.example.gov.cn/news/1.html',
    });
    assert.equal((await host.publish(rendition())).state, 'published');
    const { posts, nextCursor } = await list(host);
    assert.equal(nextCursor, undefined);
    assert.equal(posts.length, 2);
    const n = posts.find((p) => p.url === native.url)!;
    assert.equal(n.title, '转载：全市防汛工作部署会');
    assert.match(n.text, /第一段[\s\S]*第二段 <b>不是标签<\/b>/);
    assert.deepEqual(n.links, ['https://www.example.gov.cn/news/1.html']);
    assert.equal(n.kind, 'article');
    const ref = decodeRemoteId(n.remoteId);
    assert.ok(ref.articleId && ref.msgDataId, 'a listed post is named by article_id and msg_data_id');
    const ours = posts.find((p) => p !== n)!;
    assert.doesNotMatch(JSON.stringify(ours.links ?? []), /tongfa_key/, 'the idempotency marker is Tongfa’s, not the reader’s link');
  });

  it('spends one batchget call on another account’s article URL, and none on a foreign host or a typo', async () => {
    const a = await connect(env, '甲县发布');
    const b = await connect(env, '乙县发布');
    await env.sandbox.nativePost('wechat', { account: a.account.id, title: '甲县', text: '甲县的文章' });
    const other = await env.sandbox.nativePost('wechat', { account: b.account.id, title: '乙县', text: '乙县的文章' });
    const used = () => env.sim.wechat.quotaUsed(a.appid, '/cgi-bin/freepublish/batchget');
    const before = used();
    assert.equal(await byUrl(a.host, other.url!), null);
    assert.equal(used(), before + 1, 'the __biz of the first page tells another account apart');
    assert.equal(await byUrl(a.host, 'https://weibo.com/123/abc'), null);
    assert.equal(await byUrl(a.host, 'https://mp.weixin.qq.com/s?__biz=x&mid=abc'), null);
    assert.equal(used(), before + 1, 'junk costs no quota');
  });

  it('asks for the full link instead of a short one it cannot check', async () => {
    const { host } = await connect(env);
    const e = await rejection(byUrl(host, 'https://mp.weixin.qq.com/s/AbCdEfGh123'));
    assert.equal(errorKind(e), 'content_invalid');
    assert.match(e.message, /短链接/);
  });

  it('reads the quota error 45009 as RateLimited until midnight Beijing time, and the list again after it', async () => {
    const { host, appid } = await connect(env);
    for (let i = 0; i < 100; i++) await list(host);
    const e = await rejection(list(host));
    assert.equal(e.platformCode, 45009);
    assert.ok(Math.abs(e.retryAfterMs! - env.sim.untilQuotaReset()) < 5000, 'retry at the quota reset');
    assert.equal(env.sim.wechat.quotaUsed(appid, '/cgi-bin/freepublish/batchget'), 100);
  });
});
