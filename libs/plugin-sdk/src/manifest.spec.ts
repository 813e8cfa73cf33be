import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  hostAllowed,
  isSdkCompatible,
  satisfies,
  sdkIncompatibility,
  SDK_VERSION,
  validateManifest,
  type PluginManifest,
} from './manifest';

const good = (): PluginManifest => ({
  id: 'city-app',
  name: { zh: '市客户端', en: 'City app' },
  version: '1.2.3',
  sdk: '^0.1.0',
  auth: { kind: 'hmac' },
  credentials: [
    { name: 'appKey', label: { zh: '应用键', en: 'App key' }, secret: false, required: true },
    { name: 'appSecret', label: { zh: '密钥', en: 'Secret' }, secret: true, required: true },
  ],
  capabilities: ['article', 'retract'],
  constraints: { title: { max: 30, counter: 'codePoints' }, images: { maxCount: 9, formats: ['jpeg'], maxBytes: 1_000_000 } },
  rateLimits: { perApp: { tokens: 100, intervalMs: 60_000 }, perAccount: { tokens: 10, intervalMs: 60_000 } },
  allowedHosts: ['api.city.gov.cn', '*.cdn.city.gov.cn'],
  endpoints: { api: 'https://api.city.gov.cn/v1' },
});

describe('validateManifest', () => {
  it('accepts a complete manifest', () => {
    const r = validateManifest(good());
    assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
  });

  it('names each bad field by its path, Chinese first', () => {
    const m = {
      ...good(),
      id: 'City_App',
      version: 'one',
      sdk: 'latest!',
      rateLimits: { perApp: { tokens: 0, intervalMs: 1000 }, perAccount: { tokens: 1, intervalMs: 1 } },
    };
    const r = validateManifest(m);
    assert.equal(r.ok, false);
    const errors = r.ok ? [] : r.errors;
    assert.ok(
      errors.some((e) => e.startsWith('id: id 须为小写短横线格式')),
      errors.join('\n'),
    );
    assert.ok(errors.some((e) => e.startsWith('version: ')));
    assert.ok(errors.some((e) => e.startsWith('sdk: ')));
    assert.ok(errors.some((e) => e.startsWith('rateLimits.perApp.tokens: 必须大于 0')));
  });

  it('refuses an endpoint whose host is not in allowedHosts', () => {
    const r = validateManifest({ ...good(), endpoints: { api: 'https://evil.example.com' } });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.errors.join('\n'), /endpoints\.api: .*evil\.example\.com/);
  });

  it('refuses duplicate credential fields, unknown capabilities and a manifest that cannot publish', () => {
    const m = good();
    m.credentials.push({ ...m.credentials[0] });
    const r1 = validateManifest(m);
    assert.match(r1.ok ? '' : r1.errors.join('\n'), /credentials\.2\.name: .*duplicate/);
    const r2 = validateManifest({ ...good(), capabilities: ['retract', 'teleport'] });
    const e2 = r2.ok ? '' : r2.errors.join('\n');
    assert.match(e2, /capabilities\.1: /);
    const r3 = validateManifest({ ...good(), capabilities: ['retract'] });
    assert.match(r3.ok ? '' : r3.errors.join('\n'), /publishing capability/);
  });

  it('refuses a text limit whose min exceeds max and an unknown counter', () => {
    const r = validateManifest({
      ...good(),
      constraints: { title: { max: 5, min: 6, counter: 'codePoints' }, body: { max: 5, counter: 'words' } },
    });
    const e = r.ok ? '' : r.errors.join('\n');
    assert.match(e, /constraints\.title: min/);
    assert.match(e, /constraints\.body\.counter: /);
  });
});

describe('postListing', () => {
  const listing = () => ({
    dailyCallsPerAccount: 100,
    quotaBasis: 'documented' as const,
    quotaSource: 'https://developers.weixin.qq.com/doc/service/Message_Management/API_Call_Limits.html',
    maxPageSize: 20,
    maxCallsPerUrlCheck: 5,
    postUrlHosts: ['mp.weixin.qq.com'],
  });

  it('is not needed by a plugin without the listPosts capability (older plugins still validate)', () => {
    const r = validateManifest(good());
    assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
  });

  it('accepts the listPosts capability with its quota and paging', () => {
    const r = validateManifest({
      ...good(),
      capabilities: ['article', 'listPosts'],
      postListing: { ...listing(), quotaResetTimeZone: 'Asia/Shanghai' },
    });
    assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
  });

  it('requires postListing with the capability, and the capability with postListing', () => {
    const r1 = validateManifest({ ...good(), capabilities: ['article', 'listPosts'] });
    assert.match(r1.ok ? '' : r1.errors.join('\n'), /postListing: .*requires postListing/);
    const r2 = validateManifest({ ...good(), postListing: listing() });
    assert.match(r2.ok ? '' : r2.errors.join('\n'), /postListing: .*needs the listPosts capability/);
  });

  it('names a zero quota, an unknown basis, a bad time zone and a missing URL host', () => {
    const r = validateManifest({
      ...good(),
      capabilities: ['article', 'listPosts'],
      postListing: { ...listing(), dailyCallsPerAccount: 0, quotaBasis: 'guessed', quotaResetTimeZone: 'Mars/Olympus', postUrlHosts: [] },
    });
    const e = r.ok ? '' : r.errors.join('\n');
    assert.match(e, /postListing\.dailyCallsPerAccount: 必须大于 0/);
    assert.match(e, /postListing\.quotaBasis: /);
    assert.match(e, /postListing\.quotaResetTimeZone: /);
    assert.match(e, /postListing\.postUrlHosts: /);
  });
});

describe('satisfies', () => {
  const cases: Array<[string, string, boolean]> = [
    ['0.1.0', '^0.1.0', true],
    ['0.2.0', '^0.1.0', false],
    ['1.4.2', '^1.2.0', true],
    ['2.0.0', '^1.2.0', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['0.1.0', '>=0.1.0 <0.2.0', true],
    ['0.2.0', '>=0.1.0 <0.2.0', false],
    ['0.1.7', '0.1.x', true],
    ['0.1.0', '0.2.x || 0.1.x', true],
    ['0.1.0-beta.1', '^0.1.0', false],
  ];
  for (const [v, r, want] of cases) {
    it(`${v} ${want ? 'is' : 'is not'} in ${r}`, () => assert.equal(satisfies(v, r), want));
  }
  it('hosts plugins built for this SDK and for every earlier minor back to the oldest supported', () => {
    assert.equal(isSdkCompatible({ sdk: `^${SDK_VERSION}` }), true);
    // A plugin scaffolded under 0.1 declares ^0.1.0 (npm's meaning: <0.2.0); the hub reads it as "built for 0.1".
    assert.equal(isSdkCompatible({ sdk: '^0.1.0' }, '0.2.0'), true);
    assert.equal(isSdkCompatible({ sdk: '^0.1.0' }, '0.5.3'), true);
    assert.equal(isSdkCompatible({ sdk: '>=0.1.0 <0.2.0' }, '0.2.0'), true);
    assert.equal(isSdkCompatible({ sdk: '~0.2.1' }, '0.2.0'), true, 'a patch adds no API');
  });
  it('refuses a plugin built for a newer minor, one older than the oldest supported, and other majors after 1.0, saying why', () => {
    assert.equal(isSdkCompatible({ sdk: '^0.3.0' }, '0.2.0'), false);
    assert.equal(isSdkCompatible({ sdk: '^9.0.0' }), false);
    assert.match(sdkIncompatibility({ sdk: '^0.3.0' }, '0.2.0')!.zh, /须先升级平台/);
    assert.match(sdkIncompatibility({ sdk: '^0.1.0' }, '0.4.0', '0.2.0')!.en, /older than the oldest this host supports \(0\.2\.0\)/);
    assert.equal(isSdkCompatible({ sdk: '^1.2.0' }, '2.0.0'), false);
    assert.equal(isSdkCompatible({ sdk: '^2.0.0' }, '2.3.0'), true);
    assert.equal(isSdkCompatible({ sdk: 'not a range' }), false);
  });
});

describe('hostAllowed', () => {
  it('matches exact hosts case-insensitively and wildcards on subdomains only', () => {
    const list = ['api.weibo.com', '*.qpic.cn'];
    assert.equal(hostAllowed('API.weibo.com', list), true);
    assert.equal(hostAllowed('api.weibo.com.', list), true);
    assert.equal(hostAllowed('mmbiz.qpic.cn', list), true);
    assert.equal(hostAllowed('qpic.cn', list), false);
    assert.equal(hostAllowed('evilqpic.cn', list), false);
    assert.equal(hostAllowed('api.weibo.com.evil.io', list), false);
  });
});

describe('interaction (0.3)', () => {
  const comments = () => ({
    dailyCallsPerAccount: 1000,
    quotaBasis: 'assumed' as const,
    maxPageSize: 49,
    canHide: false,
    canDelete: true,
    replyMaxChars: 600,
  });
  const messages = () => ({
    replyWindowHours: 48,
    replyMaxChars: 600,
    signature: { zh: 'sha1(排序后的 token、timestamp、nonce)', en: 'sha1 of sorted token, timestamp, nonce' },
    retries: { zh: '5 秒未应答重试，共 3 次', en: 'retried after 5 s, 3 tries' },
  });

  it('keeps a plugin built for 0.1/0.2 that declares comments without interaction valid', () => {
    const r = validateManifest({ ...good(), sdk: '^0.2.0', capabilities: ['article', 'comments'] });
    assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
  });

  it('asks a plugin built for 0.3 that declares comments for interaction.comments', () => {
    const r = validateManifest({ ...good(), sdk: '^0.3.0', capabilities: ['article', 'comments'] });
    assert.match(r.ok ? '' : r.errors.join('\n'), /interaction\.comments: 声明了 comments 能力须同时声明/);
  });

  it('accepts comments and messages with their declarations', () => {
    const r = validateManifest({
      ...good(),
      capabilities: ['article', 'comments', 'messages'],
      interaction: { comments: { ...comments(), replyCounter: 'weibo' }, messages: messages() },
    });
    assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
  });

  it('requires interaction.messages with messages, and each declaration with its capability', () => {
    const r1 = validateManifest({ ...good(), capabilities: ['article', 'messages'] });
    assert.match(r1.ok ? '' : r1.errors.join('\n'), /interaction\.messages: 声明了 messages 能力须同时声明/);
    const r2 = validateManifest({ ...good(), interaction: { comments: comments(), messages: messages() } });
    const e2 = r2.ok ? '' : r2.errors.join('\n');
    assert.match(e2, /interaction\.comments: .*needs the comments capability/);
    assert.match(e2, /interaction\.messages: .*needs the messages capability/);
  });

  it('names bad fields Chinese first', () => {
    const r = validateManifest({
      ...good(),
      capabilities: ['article', 'comments', 'messages'],
      interaction: {
        comments: { ...comments(), dailyCallsPerAccount: 0, canHide: 'yes', replyCounter: 'words' },
        messages: { ...messages(), replyWindowHours: -1, signature: { zh: '', en: 'x' } },
      },
    });
    const e = r.ok ? '' : r.errors.join('\n');
    assert.match(e, /interaction\.comments\.dailyCallsPerAccount: 必须大于 0/);
    assert.match(e, /interaction\.comments\.canHide: canHide 须为布尔值/);
    assert.match(e, /interaction\.comments\.replyCounter: 计数方式须为/);
    assert.match(e, /interaction\.messages\.replyWindowHours: 必须大于 0/);
    assert.match(e, /interaction\.messages\.signature\.zh: 中文名称不能为空/);
  });
});
