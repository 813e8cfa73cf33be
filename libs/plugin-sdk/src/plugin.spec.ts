import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PluginManifest } from './manifest';
import { definePlugin, type Plugin } from './plugin';

const manifest = (over: Partial<PluginManifest> = {}): PluginManifest => ({
  id: 'inbox-demo',
  name: { zh: '演示', en: 'Demo' },
  version: '0.1.0',
  sdk: '^0.2.0',
  auth: { kind: 'api_key' },
  credentials: [],
  capabilities: ['article'],
  constraints: {},
  rateLimits: { perApp: { tokens: 1, intervalMs: 1000 }, perAccount: { tokens: 1, intervalMs: 1000 } },
  allowedHosts: ['api.example.com'],
  endpoints: { api: 'https://api.example.com' },
  ...over,
});

const base = (m: PluginManifest): Plugin => ({
  manifest: m,
  refreshCredentials: async () => ({ credentials: {} }),
  getProfile: async () => ({ platformAccountId: '1', name: 'x' }),
  render: () => ({ payload: {}, fields: {}, assets: [], warnings: [], violations: [] }),
  publish: async () => ({ remoteId: '1', status: 'published' }),
  publishStatus: async () => ({ status: 'published' }),
  findExisting: async () => null,
});

const comments = {
  dailyCallsPerAccount: 100,
  quotaBasis: 'assumed' as const,
  maxPageSize: 20,
  canHide: true,
  canDelete: true,
  replyMaxChars: 140,
};
const messages = {
  replyWindowHours: 48,
  replyMaxChars: 600,
  signature: { zh: '签名', en: 'signature' },
  retries: { zh: '重试 3 次', en: '3 tries' },
};

describe('definePlugin with comments and messages (0.3)', () => {
  it('loads a 0.2 plugin with comments, fetchComments and reply only (no interaction)', () => {
    const p = definePlugin({
      ...base(manifest({ capabilities: ['article', 'comments'] })),
      fetchComments: async () => ({ items: [] }),
      reply: async () => ({ id: 'r' }),
    });
    assert.deepEqual(p.manifest.capabilities, ['article', 'comments']);
  });

  it('refuses messages without handleWebhook() and sendMessage()', () => {
    assert.throws(
      () => definePlugin(base(manifest({ capabilities: ['article', 'messages'], interaction: { messages } }))),
      /capability messages declared but handleWebhook\(\) missing[\s\S]*sendMessage\(\) missing/,
    );
  });

  it('refuses canHide/canDelete without hideComment()/deleteComment()', () => {
    assert.throws(
      () =>
        definePlugin({
          ...base(manifest({ capabilities: ['article', 'comments'], interaction: { comments } })),
          fetchComments: async () => ({ items: [] }),
          reply: async () => ({ id: 'r' }),
        }),
      /canHide 为 true 但缺少[\s\S]*hideComment\(\) missing[\s\S]*deleteComment\(\) missing/,
    );
  });

  it('refuses accountComments without fetchAccountComments(), and accepts it with one', () => {
    const declared = base(
      manifest({ capabilities: ['article', 'comments'], interaction: { comments: { ...comments, accountComments: true } } }),
    );
    const methods = {
      fetchComments: async () => ({ items: [] }),
      reply: async () => ({ id: 'r' }),
      hideComment: async () => undefined,
      deleteComment: async () => undefined,
    };
    assert.throws(() => definePlugin({ ...declared, ...methods }), /accountComments 为 true 但缺少[\s\S]*fetchAccountComments\(\) missing/);
    const p = definePlugin({ ...declared, ...methods, fetchAccountComments: async () => ({ items: [] }) });
    assert.equal(p.manifest.interaction?.comments?.accountComments, true);
  });

  it('accepts every method and freezes the interaction declaration', () => {
    const p = definePlugin({
      ...base(manifest({ capabilities: ['article', 'comments', 'messages'], interaction: { comments, messages } })),
      fetchComments: async () => ({ items: [] }),
      reply: async () => ({ id: 'r' }),
      hideComment: async () => undefined,
      deleteComment: async () => undefined,
      handleWebhook: async () => ({ kind: 'rejected', reason: 'x', response: { status: 401, body: '' } }),
      sendMessage: async () => ({ id: 'm' }),
    });
    assert.equal(p.manifest.interaction?.messages?.replyWindowHours, 48);
    assert.ok(Object.isFrozen(p.manifest.interaction?.comments));
  });
});
