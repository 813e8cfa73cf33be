import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  countWith,
  createHttpClient,
  errorKind,
  settingIssues,
  type AuthContext,
  type ManuscriptInput,
  type Rendition,
} from '@tongfa/plugin-sdk';
import {
  createTestHost,
  sampleManuscript,
  SandboxClient,
  startSimulators,
  type RunningSimulators,
  type TestHost,
} from '@tongfa/plugin-sdk/testing';
import { weiboError } from './errors';
import { createWeiboSimulator, markerValue, revokeAccess, weiboPlugin, type WeiboPayload } from './index';

const settings = { siteUrl: 'https://www.example.gov.cn/', rip: '203.0.113.7' };
/** A 头条文章 needs a cover URL (open.weibo.com/wiki/Toutiao/api marks `cover` required). */
const article = { ...settings, headlineArticle: true, articleCoverUrl: 'https://www.example.gov.cn/img/cover.jpg' };
const render = (input: ManuscriptInput, s: Record<string, string | number | boolean> = settings) =>
  weiboPlugin.render(input, { account: { name: '某市应急管理局' }, settings: s });

async function kindOf(p: Promise<unknown>): Promise<{ kind: string | undefined; error: unknown }> {
  try {
    await p;
  } catch (e) {
    return { kind: errorKind(e), error: e };
  }
  assert.fail('expected the call to fail');
}

describe('weibo settings', () => {
  const issues = (s: Record<string, string | number | boolean>) => settingIssues(weiboPlugin, s).map((i) => i.setting);

  it('needs rip and a link under the safe domain before an account may publish', () => {
    assert.deepEqual(issues({}), ['rip', 'siteUrl']);
    assert.deepEqual(issues(settings), []);
    assert.deepEqual(issues({ linkTemplate: 'https://www.example.gov.cn/art/{manuscriptId}.html', rip: '::1' }), []);
  });

  it('names the setting that is wrong, in Chinese first', () => {
    const [rip] = settingIssues(weiboPlugin, { ...settings, rip: 'not-an-ip' });
    assert.equal(rip?.setting, 'rip');
    assert.match(rip!.message.zh, /IP/);
    const [site] = settingIssues(weiboPlugin, { ...settings, safeDomain: 'other.gov.cn' });
    assert.equal(site?.setting, 'siteUrl');
    assert.match(site!.message.zh, /安全域名/);
    assert.deepEqual(issues({ ...settings, linkTemplate: 'ftp://x.example.gov.cn/{manuscriptId}' }), ['linkTemplate']);
  });
});

describe('weibo render', () => {
  it('builds 【title】summary link within 140 Weibo units, keeping the link and room for the marker', () => {
    const long = '防汛'.repeat(200);
    const r = render(sampleManuscript({ summary: long }));
    const p = r.payload as Extract<WeiboPayload, { kind: 'share' }>;
    assert.equal(p.kind, 'share');
    assert.ok(p.status.startsWith('【我市召开防汛工作部署会】防汛'));
    assert.ok(p.status.endsWith(' https://www.example.gov.cn/'), p.status);
    const withMarker = p.status.replace(p.link, `${p.link}?tfk=${'0'.repeat(16)}`);
    assert.ok(countWith('weibo', withMarker) <= 140, `counts ${countWith('weibo', withMarker)}`);
    assert.ok(r.warnings.some((w) => w.constraint === 'body.max'));
    assert.deepEqual(r.violations, []);
  });

  it('uses the editor’s own Weibo text (各平台适配) as the whole status, link kept', () => {
    const r = render({ ...sampleManuscript(), adaptation: { text: '今晚防汛会商，请关注最新预警' } });
    const p = r.payload as Extract<WeiboPayload, { kind: 'share' }>;
    assert.equal(p.status, '今晚防汛会商，请关注最新预警 https://www.example.gov.cn/');
    assert.deepEqual(r.violations, []);
  });

  it('counts CJK as 1 and two ASCII as 1, and never splits an emoji sequence when cutting', () => {
    const r = render(sampleManuscript({ title: '', summary: `${'👨‍👩‍👧‍👦'.repeat(80)}abc` }));
    const status = (r.payload as Extract<WeiboPayload, { kind: 'share' }>).status;
    assert.ok(!/\u200d…|\u200d$/.test(status.split(' ')[0]), 'cut inside a ZWJ sequence');
    assert.ok(countWith('weibo', status) <= 140);
  });

  it('replaces # by ＃ so no #topic# is formed, and warns', () => {
    const r = render(sampleManuscript({ summary: '请关注 #防汛# 信息' }));
    const status = (r.payload as Extract<WeiboPayload, { kind: 'share' }>).status;
    assert.ok(!status.includes('#'));
    assert.ok(status.includes('＃防汛＃'));
    assert.ok(r.warnings.some((w) => w.constraint === 'body.topic'));
  });

  it('refuses to render without a link, or with a link outside the safe domain', () => {
    assert.ok(render(sampleManuscript(), { rip: '203.0.113.7' }).violations.some((v) => v.constraint === 'body.link'));
    const r = render(sampleManuscript(), { ...settings, siteUrl: 'https://evil.example.com/', safeDomain: 'example.gov.cn' });
    assert.ok(r.violations.some((v) => v.constraint === 'body.link'));
  });

  it('refuses to render a 头条文章 without a cover URL, saying where to set one (Weibo requires `cover`)', () => {
    const r = render(sampleManuscript(), { ...settings, headlineArticle: true });
    const v = r.violations.find((x) => x.constraint === 'cover.required');
    assert.ok(v, JSON.stringify(r.violations));
    assert.match(v.message, /头条文章封面图网址/);
    assert.equal(render(sampleManuscript(), article).violations.length, 0);
  });

  it('links to the article URL from linkTemplate when set', () => {
    const r = render(sampleManuscript(), { ...settings, linkTemplate: 'https://www.example.gov.cn/art/{manuscriptId}.html' });
    assert.equal((r.payload as Extract<WeiboPayload, { kind: 'share' }>).link, 'https://www.example.gov.cn/art/ms-1.html');
  });

  it('renders a 头条文章 with the title kept whole: over 32 is a violation, not a cut', () => {
    const r = render(sampleManuscript({ title: '标'.repeat(33) }), article);
    assert.equal(r.payload.kind, 'article');
    assert.ok(r.violations.some((v) => v.constraint === 'title.max'));
    const huge = render(sampleManuscript({ bodyHtml: `<p>${'字'.repeat(90_001)}</p>` }), article);
    assert.ok(huge.violations.some((v) => v.constraint === 'content.max'));
  });
});

describe('weibo error codes', () => {
  const table: Array<[number, string]> = [
    [21327, 'auth_expired'],
    [21332, 'auth_expired'],
    [21314, 'auth_expired'],
    [21317, 'auth_expired'],
    [10022, 'rate_limited'],
    [10023, 'rate_limited'],
    [10024, 'rate_limited'],
    [20016, 'rate_limited'],
    [20012, 'content_invalid'],
    [20008, 'content_invalid'],
    [20018, 'content_invalid'],
    [20019, 'content_invalid'],
    [20111, 'content_invalid'],
    [20017, 'rejected_by_review'],
    [20020, 'rejected_by_review'],
    [20021, 'rejected_by_review'],
    [10001, 'transient'],
    [10002, 'transient'],
    [11003, 'ambiguous'],
    [10014, 'permanent'],
    [21322, 'permanent'],
    [20102, 'permanent'],
  ];
  for (const [code, kind] of table) {
    it(`maps ${code} to ${kind}`, () => assert.equal(weiboError(code, 'x', 400).kind, kind));
  }
  it('names the broken constraint for content codes', () => {
    const e = weiboError(20012, 'Text too long', 400) as unknown as { violations: Array<{ constraint: string }> };
    assert.equal(e.violations[0].constraint, 'body.max');
  });
});

describe('weibo against its simulator', () => {
  let running: RunningSimulators;
  let sandbox: SandboxClient;
  const endpoints = () => running.get('weibo').endpointsFor(running.url, ['api']);

  before(async () => {
    running = await startSimulators([createWeiboSimulator({ tokenTtlMs: 60_000, postsPerHour: 3 })]);
    sandbox = new SandboxClient(running.url);
  });
  after(() => running.close());

  async function account(s: Record<string, string | number | boolean> = settings): Promise<{ host: TestHost; id: string }> {
    const a = await sandbox.createAccount('weibo', '某市应急管理局');
    return { host: createTestHost({ plugin: weiboPlugin, credentials: a.credentials, endpoints: endpoints(), settings: s }), id: a.id };
  }

  const authCtx = (credentials: Record<string, string>): AuthContext => ({
    credentials,
    endpoints: endpoints(),
    settings: {},
    http: createHttpClient({ allowedHosts: ['api.weibo.com'], allowLoopback: true }),
    log: { debug() {}, info() {}, warn() {}, error() {} },
    clock: { now: () => Date.now() },
    signal: new AbortController().signal,
  });

  it('connects through authorize and access_token; expires_in comes as a string and becomes expiresAt', async () => {
    const a = await sandbox.createAccount('weibo', '某县融媒体中心');
    const app = { client_id: a.credentials.client_id, client_secret: a.credentials.client_secret };
    const redirectUri = 'http://127.0.0.1:3000/api/v1/accounts/oauth/callback';
    const to = await weiboPlugin.authorizeUrl!(authCtx(app), { state: 'st-1', redirectUri });
    const res = await fetch(`${to}&uid=${a.id}`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const cb = new URL(res.headers.get('location')!);
    assert.equal(cb.searchParams.get('state'), 'st-1');
    const before = Date.now();
    const up = await weiboPlugin.exchangeCode!(authCtx(app), { code: cb.searchParams.get('code')!, redirectUri });
    assert.equal(up.credentials.uid, a.id);
    assert.ok(up.credentials.access_token);
    assert.equal(up.credentials.refresh_token, undefined, 'web apps get no refresh token');
    assert.ok(up.expiresAt! >= before + 59_000 && up.expiresAt! <= Date.now() + 60_000);
    const again = await kindOf(weiboPlugin.exchangeCode!(authCtx(app), { code: cb.searchParams.get('code')!, redirectUri }));
    assert.equal(again.kind, 'auth_expired', 'a used code is invalid_grant');
  });

  it('refuses a redirect_uri other than the registered callback with 21322 (Permanent)', async () => {
    const a = await sandbox.createAccount('weibo', '某县融媒体中心');
    const app = { client_id: a.credentials.client_id, client_secret: a.credentials.client_secret };
    const to = await weiboPlugin.authorizeUrl!(authCtx(app), { state: 's', redirectUri: 'https://evil.example.com/cb' });
    const body = (await (await fetch(to, { redirect: 'manual' })).json()) as { error_code: number };
    assert.equal(body.error_code, 21322);
    const x = await kindOf(weiboPlugin.exchangeCode!(authCtx(app), { code: 'nope', redirectUri: 'https://evil.example.com/cb' }));
    assert.equal(x.kind, 'auth_expired', 'an unknown code is invalid_grant before the redirect check');
  });

  it('a web app whose token expired ends needs_reauth: refreshCredentials cannot renew it', async () => {
    const { host } = await account();
    await host.refresh(); // a valid token: get_token_info reports its expiry
    await sandbox.advanceClock('weibo', 61_000);
    const out = await host.publish(render(sampleManuscript()));
    assert.equal(out.state, 'needs_reauth');
    assert.ok(host.events.some((e) => e.type === 'refresh' && !e.ok));
  });

  it('publishes with the marker in the link, stored shortened to t.cn, and finds it again through short_url/expand', async () => {
    const { host, id } = await account();
    const out = await host.publish(render(sampleManuscript()));
    assert.equal(out.state, 'published');
    const [post] = await sandbox.posts('weibo', id);
    assert.match(post.text, /http:\/\/t\.cn\/[A-Za-z0-9]+$/);
    assert.ok(!post.text.includes('tfk='), 'the platform shows the short link only');
    assert.equal(post.idempotencyMarker, markerValue(out.idempotencyKey));
    const found = await host.call((ctx) => weiboPlugin.findExisting(ctx, out.idempotencyKey));
    assert.equal(found?.remoteId, out.result!.remoteId);
  });

  it('finds a post among 25 in two short_url/expand calls (20 links a call), and the simulator refuses 21', async () => {
    const { host, id } = await account();
    const out = await host.publish(render(sampleManuscript()));
    assert.equal(out.state, 'published');
    // 24 later weibos made in the app, each with a short link of its own.
    for (let i = 0; i < 24; i++) await sandbox.nativePost('weibo', { account: id, text: `第${i + 1}条 http://t.cn/Rk${i}x` });
    const paths: string[] = [];
    const found = await host.call((ctx) =>
      weiboPlugin.findExisting(
        { ...ctx, http: { request: (req) => (paths.push(new URL(req.url).pathname), ctx.http.request(req)) } },
        out.idempotencyKey,
      ),
    );
    assert.equal(found?.remoteId, out.result!.remoteId);
    // One timeline page (newest first, the oldest post last) and its 25 links in two lookups.
    assert.deepEqual(paths, ['/weibo/2/statuses/user_timeline.json', '/weibo/2/short_url/expand.json', '/weibo/2/short_url/expand.json']);
    const tooMany = await host.call((ctx) =>
      ctx.http.request({
        method: 'GET',
        url: `${ctx.endpoints.api.replace(/\/$/, '')}/2/short_url/expand.json`,
        query: { access_token: ctx.credentials.access_token, url_short: Array.from({ length: 21 }, (_, i) => `http://t.cn/x${i}`) },
      }),
    );
    assert.equal(tooMany.json<{ error_code: number }>().error_code, 10017);
  });

  it('uses idstr, not the JSON number id that loses precision beyond 2^53', async () => {
    const { host } = await account();
    const out = await host.publish(render(sampleManuscript()));
    const remoteId = out.result!.remoteId;
    assert.match(remoteId, /^\d{16,}$/);
    assert.ok(BigInt(remoteId) > BigInt(Number.MAX_SAFE_INTEGER));
    const st = await host.call((ctx) => weiboPlugin.publishStatus(ctx, remoteId));
    assert.equal(st.status, 'published');
    await host.call((ctx) => weiboPlugin.retract!(ctx, remoteId));
    assert.equal((await host.call((ctx) => weiboPlugin.publishStatus(ctx, remoteId))).status, 'deleted');
  });

  it('uploads the cover as pic and the simulator refuses a pic that is not JPEG/GIF/PNG', async () => {
    const { host, id } = await account();
    const r = render(sampleManuscript());
    assert.equal(r.assets[0]?.key, 'pic');
    assert.equal((await host.publish(r)).state, 'published');
    assert.equal((await sandbox.posts('weibo', id)).length, 1);
    const bad = createTestHost({
      plugin: weiboPlugin,
      credentials: host.credentials,
      endpoints: endpoints(),
      settings,
      images: { fit: async () => ({ bytes: new TextEncoder().encode('not an image'), format: 'jpeg', width: 1, height: 1 }) },
    });
    const out = await bad.publish(render(sampleManuscript({ summary: '另一条' })));
    assert.equal(out.state, 'failed');
    assert.equal((out.error as { platformCode?: number }).platformCode, 20005);
  });

  it('the simulator refuses a status without a safe-domain link, over 140, or with a #topic#', async () => {
    const { host } = await account();
    const base = render(sampleManuscript()) as Rendition<WeiboPayload>;
    const share = base.payload as Extract<WeiboPayload, { kind: 'share' }>;
    const variant = (status: string, link = share.link): Rendition<WeiboPayload> => ({
      ...base,
      assets: [],
      payload: { ...share, status, link, picKey: undefined },
    });
    const cases: Array<[Rendition<WeiboPayload>, number]> = [
      [variant('没有链接的微博', ''), 20018],
      [variant('外站 https://www.example.com/a', 'https://www.example.com/a'), 20018],
      [variant(`${'长'.repeat(141)} ${share.link}`), 20012],
      [variant(`#话题# ${share.link}`), 10017],
    ];
    for (const [r, code] of cases) {
      const e = await kindOf(weiboPlugin.publish(host.context(), r));
      assert.equal((e.error as { platformCode?: number }).platformCode, code, (e.error as Error).message);
      assert.ok(e.kind === 'content_invalid', `${code} → ${e.kind}`);
    }
  });

  it('needs rip: without the setting nothing is sent and the failure is Permanent', async () => {
    const { host, id } = await account({ siteUrl: settings.siteUrl });
    const out = await host.publish(render(sampleManuscript()));
    assert.equal(out.state, 'failed');
    assert.equal(errorKind(out.error), 'permanent');
    assert.equal((await sandbox.posts('weibo', id)).length, 0);
  });

  it('enforces the per-user hourly post limit and reports when it resets', async () => {
    const { host } = await account();
    for (let i = 0; i < 3; i++) assert.equal((await host.publish(render(sampleManuscript({ summary: `第${i}条` })))).state, 'published');
    const e = await kindOf(weiboPlugin.publish(host.context(), render(sampleManuscript({ summary: '第四条' }))));
    assert.equal(e.kind, 'rate_limited');
    const ms = (e.error as { retryAfterMs: number }).retryAfterMs;
    assert.ok(ms > 3_000_000 && ms <= 3_600_000, `retryAfterMs ${ms}`);
  });

  it('reports the verified subject from verified_reason without the account suffix', async () => {
    const { host, id } = await account();
    const p = await host.call((ctx) => weiboPlugin.getProfile(ctx));
    assert.equal(p.platformAccountId, id);
    assert.equal(p.verifiedSubject, '某市应急管理局');
  });

  it('revokeoauth2 ends the authorization: the next call is AuthExpired (21319)', async () => {
    const { host } = await account();
    await host.call((ctx) => revokeAccess(ctx));
    const e = await kindOf(weiboPlugin.getProfile(host.context()));
    assert.equal(e.kind, 'auth_expired');
    assert.equal((e.error as { platformCode?: number }).platformCode, 21319);
  });

  it('publishes a 头条文章 and maps a refused title (10008) to ContentInvalid', async () => {
    const s = article;
    const { host, id } = await account(s);
    const out = await host.publish(render(sampleManuscript(), s));
    assert.equal(out.state, 'published');
    assert.match(out.result!.url!, /ttarticle/);
    const [post] = await sandbox.posts('weibo', id);
    assert.equal(post.title, '我市召开防汛工作部署会');
    const r = render(sampleManuscript(), s);
    const bad = { ...r, payload: { ...r.payload, title: '标'.repeat(40) } } as Rendition<WeiboPayload>;
    const e = await kindOf(weiboPlugin.publish(host.context(), bad));
    assert.equal(e.kind, 'content_invalid');
  });

  it('the simulator refuses a 头条文章 without cover or without text (10008), as open.weibo.com/wiki/Toutiao/api marks both required', async () => {
    const { host, id } = await account(article);
    const r = render(sampleManuscript(), article) as Rendition<WeiboPayload>;
    for (const missing of [{ cover: undefined }, { text: '' }]) {
      const e = await kindOf(
        weiboPlugin.publish(host.context(), { ...r, payload: { ...r.payload, ...missing } } as Rendition<WeiboPayload>),
      );
      assert.equal(e.kind, 'content_invalid', JSON.stringify(missing));
      assert.equal((e.error as { platformCode?: number }).platformCode, 10008);
    }
    assert.equal((await sandbox.posts('weibo', id)).length, 0, 'nothing was published');
  });
});

describe('weibo mblogid', () => {
  it('converts between mid and the base62 id of web addresses (the well-known z0JH2lOMb example)', async () => {
    const { midToMblogId, mblogIdToMid } = await import('./mblog-id');
    assert.equal(midToMblogId('3501756485200075'), 'z0JH2lOMb');
    assert.equal(mblogIdToMid('z0JH2lOMb'), '3501756485200075');
    for (const mid of ['9100000123456789', '4500000000000001', '1000001']) assert.equal(mblogIdToMid(midToMblogId(mid)!), mid);
    assert.equal(mblogIdToMid('not-base62!'), undefined);
    assert.equal(midToMblogId('12ab'), undefined);
  });
});

describe('weibo: listing posts and verifying URLs', () => {
  let running: RunningSimulators;
  let sandbox: SandboxClient;
  before(async () => {
    running = await startSimulators([createWeiboSimulator()]);
    sandbox = new SandboxClient(running.url);
  });
  after(() => running.close());

  async function account(name = '某县发布') {
    const a = await sandbox.createAccount('weibo', name);
    const host = createTestHost({
      plugin: weiboPlugin,
      credentials: a.credentials,
      endpoints: running.get('weibo').endpointsFor(running.url, ['api']),
      settings,
      maxBackoffMs: 50,
    });
    return { host, id: a.id };
  }
  const list = (host: TestHost, params = {}) => host.call((ctx) => weiboPlugin.listPosts!(ctx, params));
  const byUrl = (host: TestHost, url: string) => host.call((ctx) => weiboPlugin.getPostByUrl!(ctx, url));

  it('names the original of a 转发 made in the app, so a repost of the city’s weibo can be matched exactly', async () => {
    const city = await account('某市发布');
    const county = await account('某县发布');
    assert.equal((await city.host.publish(render(sampleManuscript()) as Rendition<WeiboPayload>)).state, 'published');
    const [original] = (await list(city.host)).posts;
    const repost = await sandbox.nativePost('weibo', { account: county.id, text: '转发微博', repostOf: original.remoteId });
    const { posts } = await list(county.host);
    assert.equal(posts.length, 1);
    assert.equal(posts[0].repostOf, original.remoteId);
    assert.equal(posts[0].kind, 'short_post');
    assert.match(repost.url!, /^https:\/\/weibo\.com\/\d+\/[0-9A-Za-z]+$/, 'app posts are addressed weibo.com/<uid>/<mblogid>');
    assert.equal((await byUrl(county.host, repost.url!))?.remoteId, posts[0].remoteId);
    // The original is the city's: the county may not submit it as its own.
    assert.equal(await byUrl(county.host, `https://m.weibo.cn/status/${original.remoteId}`), null);
  });

  it('tells another account’s weibo.com/<uid>/… address apart without asking Weibo', async () => {
    const a = await account();
    const b = await account();
    const other = await sandbox.nativePost('weibo', { account: b.id, text: '乙的微博' });
    const sim = running.get('weibo');
    const before = sim.faults.injected;
    // A fault on every API call: a lookup that called Weibo would fail instead of answering null.
    await sandbox.setFaults('weibo', { rate: 1, kinds: ['server_error'] });
    try {
      assert.equal(await byUrl(a.host, other.url!), null);
    } finally {
      await sandbox.setFaults('weibo', { rate: 0, kinds: [] });
    }
    assert.equal(sim.faults.injected, before);
  });

  it('finds a 头条文章 by its page address through the card of its weibo', async () => {
    const a = await account();
    const out = await a.host.publish(render(sampleManuscript(), article) as Rendition<WeiboPayload>);
    assert.equal(out.state, 'published');
    assert.match(out.result!.url!, /ttarticle/);
    const found = await byUrl(a.host, out.result!.url!);
    assert.equal(found?.remoteId, out.result!.remoteId);
    assert.equal(found?.kind, 'article');
    assert.equal(found?.title, '我市召开防汛工作部署会');
    assert.ok(found?.links?.includes(out.result!.url!));
  });

  it('pages by max_id, so a weibo posted between two pages does not repeat one', async () => {
    const a = await account();
    for (const t of ['一', '二', '三']) await sandbox.nativePost('weibo', { account: a.id, text: `第${t}条` });
    const first = await list(a.host, { limit: 2 });
    assert.deepEqual(
      first.posts.map((p) => p.text),
      ['第三条', '第二条'],
    );
    await sandbox.nativePost('weibo', { account: a.id, text: '第四条' });
    const second = await list(a.host, { limit: 2, cursor: first.nextCursor });
    assert.deepEqual(
      second.posts.map((p) => p.text),
      ['第一条'],
    );
  });

  it('answers 10023 after 50 timeline calls a day, waiting for the reset rate_limit_status reports (at most an hour)', async () => {
    const a = await account();
    for (let i = 0; i < 50; i++) await list(a.host);
    const { kind, error } = await kindOf(list(a.host));
    assert.equal(kind, 'rate_limited');
    assert.equal((error as { platformCode: number }).platformCode, 10023);
    const wait = (error as { retryAfterMs: number }).retryAfterMs;
    const expected = Math.min(3_600_000, running.get('weibo').untilQuotaReset());
    assert.ok(Math.abs(wait - expected) <= 2000, `waits ${wait} ms, the reset is in ${expected} ms`);
  });
});
