import type { PluginManifest } from '@tongfa/plugin-sdk';

/**
 * 南方号 has no public API [V-negative]. This manifest describes a signed content-ingestion contract
 * modelled on the signing schemes real provincial media platforms use; every limit below is [I] and a
 * deployment adapts the base URL, field names and categories through `endpoints` and `settings`.
 */
export const TITLE_MAX = 64;
export const SUMMARY_MAX = 120;
export const CONTENT_MAX = 100_000;
export const COVER_MAX_BYTES = 2 * 1024 * 1024;

export const manifest: PluginManifest = {
  id: 'nanfang',
  name: { zh: '南方号', en: 'Nanfang+ (南方号)' },
  version: '0.1.0',
  sdk: '^0.1.0',
  auth: { kind: 'hmac' },
  credentials: [
    {
      name: 'appKey',
      label: { zh: '接入应用 Key', en: 'App key' },
      secret: false,
      required: true,
      pattern: '^[A-Za-z0-9_-]{6,64}$',
      description: { zh: '由南方号运营方按合同分配', en: 'issued by the 南方号 operator under the ingestion contract' },
    },
    { name: 'appSecret', label: { zh: '签名密钥', en: 'Signing secret' }, secret: true, required: true },
  ],
  capabilities: ['article', 'retract', 'metrics', 'listPosts'],
  interaction: {
    unsupported: {
      zh: '南方号没有公开接口资料，内容推送按约定接口接入，未约定评论与私信接口；评论和私信须在南方+后台处理',
      en: 'Nanfang has no public API documents; the contract push covers content only, no comments or messages: answer them in the 南方+ backend',
    },
  },
  constraints: {
    title: { min: 1, max: TITLE_MAX, counter: 'codePoints' },
    // The HTML content as sent.
    body: { min: 1, max: CONTENT_MAX, counter: 'codePoints' },
    summary: { max: SUMMARY_MAX, counter: 'codePoints' },
    cover: { maxCount: 1, formats: ['jpeg', 'png'], maxBytes: COVER_MAX_BYTES, maxWidth: 1920, maxHeight: 1920 },
  },
  rateLimits: {
    perApp: { tokens: 600, intervalMs: 60_000 },
    perAccount: { tokens: 60, intervalMs: 60_000 },
  },
  allowedHosts: ['*.southcn.com'],
  endpoints: { api: 'https://ingest.nfapp.southcn.com/openapi' },
  postListing: {
    // The contract's list call; no public API exists [V-negative], so the number is ours to agree.
    dailyCallsPerAccount: 100,
    quotaBasis: 'assumed',
    quotaSource: 'no public 南方号 API; the ingestion contract is assumed to allow 100 list calls a day per key',
    quotaResetTimeZone: 'Asia/Shanghai',
    maxPageSize: 50,
    maxCallsPerUrlCheck: 1,
    postUrlHosts: ['*.southcn.com'],
    notes: {
      zh: '通过约定的签名接入接口读取（非公开 API，须与运营方约定）',
      en: 'Read through the signed ingestion contract (not a public API; to agree with the operator)',
    },
  },
  settings: [
    {
      name: 'fieldMap',
      label: {
        zh: '字段名映射（JSON，如 {"title":"bt"}），按部署的接入合同调整',
        en: 'Field-name map (JSON, e.g. {"title":"bt"}) per the deployment\'s contract',
      },
      default: '',
    },
    {
      name: 'categoryMap',
      label: {
        zh: '稿件类别到平台栏目的映射（JSON，如 {"news":"101"}）',
        en: 'Manuscript category → platform column map (JSON, e.g. {"news":"101"})',
      },
      default: '',
    },
  ],
};
