import { z } from 'zod';
import {
  checkOidcEnv,
  jsonEnv,
  OIDC_CLIENTS_EXAMPLE,
  OIDC_MAPPING_EXAMPLE,
  oidcMappingSchema,
  oidcProviderClientsSchema,
} from './oidc-settings';
import { secretKeyWeakness } from './secret-key';

const bool = z.enum(['0', '1', 'true', 'false', 'yes', 'no']).transform((v) => v === '1' || v === 'true' || v === 'yes');

const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/**
 * Every environment variable Tongfa reads. `.env.example` documents the same list; a wrong
 * value stops start-up with one line naming the variable.
 */
const envFields = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  /**
   * The origin of the platform simulators (`http://127.0.0.1:3001`): the one place sandbox accounts
   * may reach. Unset: `http://127.0.0.1:<SANDBOX_PORT>` when the demo runs, otherwise none.
   */
  TONGFA_SANDBOX_URL: z
    .string()
    .regex(/^https?:\/\/[^/?#]+\/?$/, 'must be an origin, e.g. http://127.0.0.1:3001')
    .optional(),
  /**
   * Where unit bot notifications go: the 政务微信 (WeCom) group-bot API and the 钉钉 (DingTalk)
   * custom-robot API. Unset: the public APIs, or with TONGFA_DEMO the sandbox's bot simulators
   * (`AppConfig.botUrls`). Tests point them at a sandbox of their own.
   */
  TONGFA_WECOM_BOT_URL: z
    .string()
    .regex(/^https?:\/\/[^/?#]+(\/[^?#]*)?$/, 'must be a URL without query, e.g. https://qyapi.weixin.qq.com')
    .optional(),
  TONGFA_DINGTALK_BOT_URL: z
    .string()
    .regex(/^https?:\/\/[^/?#]+(\/[^?#]*)?$/, 'must be a URL without query, e.g. https://oapi.dingtalk.com')
    .optional(),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^(mysql|mariadb):\/\/.+|^sqlite:.+$/, 'must be mysql://user:pass@host:port/db or sqlite:<file>')
    .default('sqlite:data/tongfa.db'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'must be redis://host:port[/db]')
    .optional(),
  TONGFA_QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]{1,32}$/, 'must be 1–32 of a-z 0-9 _ -')
    .default('tongfa'),
  TONGFA_DEMO: bool.optional(),
  // The State Council's holiday notice for years the bundled calendar does not cover yet (JSON).
  TONGFA_HOLIDAYS_FILE: z.string().min(1).optional(),
  TONGFA_BOOTSTRAP_ADMIN: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,64}:.{10,128}$/, 'must be username:password (password 10+ characters)')
    .optional(),
  TONGFA_PLUGINS: csv.default([]),
  // One line per wrong variable: the length and the strength are one check. The value is never echoed.
  TONGFA_SECRET_KEY: z
    .string()
    .superRefine((key, ctx) => {
      if (key.length < 32)
        ctx.addIssue({ code: 'custom', message: '至少 32 个字符 / must be at least 32 characters (used to sign tokens and derive keys)' });
      else {
        const weak = secretKeyWeakness(key);
        if (weak) ctx.addIssue({ code: 'custom', message: `密钥强度不足，${weak}; generate one with openssl rand -hex 32` });
      }
    })
    .optional(),
  TONGFA_PUBLISH_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
  /** How long a worker holds a reply it is sending before another may assume it died (renewed while the call runs). */
  TONGFA_INBOX_REPLY_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
  /** The first wait before a failed reply is tried again; it doubles per attempt up to 16 times. */
  TONGFA_INBOX_REPLY_RETRY_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Publishing jobs one worker process runs at once (platform calls are mostly waiting on the network). */
  TONGFA_PUBLISH_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** `off` lifts the plugins' declared rate limits for sandbox accounts only (load and fault suites); real accounts are always limited. */
  TONGFA_SANDBOX_RATE_LIMITS: z.enum(['declared', 'off']).default('declared'),
  /**
   * `1` lets a platform operator point accounts at the sandbox (PUT /accounts/:id/sandbox) when
   * NODE_ENV=production, to try a newly installed plugin end to end; refused there otherwise.
   */
  TONGFA_ALLOW_SANDBOX_ACCOUNTS: z.enum(['0', '1']).default('0'),
  TONGFA_MEDIA_DIR: z.string().min(1).default('data/media'),
  /** Headless Chromium for the 通报 PDF and spot-check page snapshots (checked when used: a 503 names it when absent). */
  TONGFA_CHROMIUM: z.string().min(1).default('/usr/bin/chromium'),
  TONGFA_MEDIA_MAX_IMAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(30 * 1024 * 1024),
  TONGFA_MEDIA_MAX_VIDEO_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024 * 1024),
  TONGFA_MEDIA_MAX_PIXELS: z.coerce.number().int().min(10_000).default(100_000_000),
  TONGFA_VAULT_KEYS: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]{43,44}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]{43,44})*$/,
      'must be keyId:base64(32 bytes)[,keyId:base64…], the first one current',
    )
    .optional(),
  TONGFA_VAULT_ALGORITHM: z.enum(['aes-256-gcm', 'sm4']).default('aes-256-gcm'),
  TONGFA_PUBLIC_URL: z.string().url('must be an absolute URL').optional(),
  TONGFA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TONGFA_CORS_ORIGINS: csv.default([]),
  TONGFA_BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/i, 'must look like 1mb or 512kb')
    .default('1mb'),
  TONGFA_ACCESS_TOKEN_TTL: z.coerce.number().int().min(60).max(3600).default(900),
  TONGFA_REFRESH_TOKEN_TTL: z.coerce
    .number()
    .int()
    .min(600)
    .default(7 * 24 * 3600),
  TONGFA_IDLE_TIMEOUT: z.coerce.number().int().min(60).default(1800),
  TONGFA_PASSWORD_MAX_AGE_DAYS: z.coerce.number().int().min(0).default(90),
  TONGFA_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  TONGFA_LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  TONGFA_LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  TONGFA_QA_KEY_RATE_LIMIT: z.coerce.number().int().min(1).default(120),
  TONGFA_MFA_REQUIRED_ROLES: csv.default([]),
  TONGFA_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(180, 'must be at least 180 (网络安全法 requires 6 months)').default(180),
  TONGFA_OIDC_ISSUER: z.string().url('must be the issuer URL of the provincial identity provider').optional(),
  TONGFA_OIDC_CLIENT_ID: z.string().optional(),
  TONGFA_OIDC_CLIENT_SECRET: z.string().optional(),
  TONGFA_OIDC_REDIRECT_URI: z.string().url().optional(),
  TONGFA_OIDC_MAPPING: jsonEnv(oidcMappingSchema, OIDC_MAPPING_EXAMPLE).optional(),
  TONGFA_OIDC_PROVIDER_CLIENTS: jsonEnv(oidcProviderClientsSchema, OIDC_CLIENTS_EXAMPLE).optional(),
});

export const envSchema = envFields.superRefine(checkOidcEnv);

export type Env = z.infer<typeof envSchema>;

/** Parses the environment; throws one Error whose message has one line per wrong variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined && v !== '') cleaned[k] = v;
  const result = envSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `配置错误 invalid environment variable ${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(lines.join('\n'));
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
