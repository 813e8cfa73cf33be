import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PluginManifest } from './manifest';
import { definePlugin, type Plugin } from './plugin';
import { pageSize, parsePostUrl } from './posts';

describe('parsePostUrl', () => {
  const hosts = ['mp.weixin.qq.com', '*.southcn.com'];

  it('accepts http(s) URLs on the declared hosts, subdomains for wildcards', () => {
    assert.equal(parsePostUrl(' https://mp.weixin.qq.com/s?__biz=MzA&mid=1 ', hosts)?.searchParams.get('mid'), '1');
    assert.equal(parsePostUrl('http://static.nfapp.southcn.com/content/1.html', hosts)?.hostname, 'static.nfapp.southcn.com');
  });

  it('gives undefined for anything a person might type that is not such a URL', () => {
    for (const junk of [
      undefined,
      42,
      '',
      'mp.weixin.qq.com/s?mid=1',
      'javascript:alert(1)',
      'ftp://mp.weixin.qq.com/s',
      'https://southcn.com/x',
      'https://mp.weixin.qq.com.evil.io/s',
      'https://user:pw@mp.weixin.qq.com/s',
      `https://mp.weixin.qq.com/s?x=${'a'.repeat(3000)}`,
    ]) {
      assert.equal(parsePostUrl(junk, hosts), undefined, String(junk).slice(0, 60));
    }
  });
});

describe('pageSize', () => {
  it('caps the wanted size at the platform page and defaults to it', () => {
    assert.equal(pageSize(undefined, 20), 20);
    assert.equal(pageSize(5, 20), 5);
    assert.equal(pageSize(500, 20), 20);
    assert.equal(pageSize(0, 20), 20);
    assert.equal(pageSize(2.7, 20), 2);
  });
});

describe('definePlugin with listPosts', () => {
  const manifest: PluginManifest = {
    id: 'list-demo',
    name: { zh: '演示', en: 'Demo' },
    version: '0.1.0',
    sdk: '^0.1.0',
    auth: { kind: 'api_key' },
    credentials: [],
    capabilities: ['article', 'listPosts'],
    constraints: {},
    rateLimits: { perApp: { tokens: 1, intervalMs: 1000 }, perAccount: { tokens: 1, intervalMs: 1000 } },
    allowedHosts: ['api.example.com'],
    endpoints: { api: 'https://api.example.com' },
    postListing: {
      dailyCallsPerAccount: 10,
      quotaBasis: 'assumed',
      maxPageSize: 20,
      maxCallsPerUrlCheck: 1,
      postUrlHosts: ['www.example.com'],
    },
  };
  const base = (): Plugin => ({
    manifest,
    refreshCredentials: async () => ({ credentials: {} }),
    getProfile: async () => ({ platformAccountId: '1', name: 'x' }),
    render: () => ({ payload: {}, fields: {}, assets: [], warnings: [], violations: [] }),
    publish: async () => ({ remoteId: '1', status: 'published' }),
    publishStatus: async () => ({ status: 'published' }),
    findExisting: async () => null,
  });

  it('refuses the capability without listPosts() and getPostByUrl()', () => {
    assert.throws(() => definePlugin(base()), /capability listPosts declared but listPosts\(\) missing[\s\S]*getPostByUrl\(\) missing/);
  });

  it('accepts it with both methods', () => {
    const p = definePlugin({ ...base(), listPosts: async () => ({ posts: [] }), getPostByUrl: async () => null });
    assert.equal(p.manifest.postListing?.dailyCallsPerAccount, 10);
  });
});
