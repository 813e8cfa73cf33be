import { ConfigError, Env, parseEnv } from './env.schema';
import { loadOrCreateSecretKey, secretKeyFileFor, secretKeyWeakness } from './secret-key';
import { randomBytes } from 'node:crypto';

/** Where the secret key came from: the environment, the embedded data directory, or (in-memory databases) this process only. */
export type SecretKeySource = { kind: 'env' } | { kind: 'file'; file: string; created: boolean } | { kind: 'ephemeral' };

/** The validated process settings, derived values included. Injected by class. */
export class AppConfig {
  readonly env: Env;
  readonly embedded: boolean;
  readonly demo: boolean;
  readonly secretKeySource: SecretKeySource | null;
  private readonly key: string | null;

  constructor(env: Env, secret: { key: string; source: SecretKeySource } | null) {
    this.env = env;
    this.embedded = !env.REDIS_URL;
    this.demo = env.TONGFA_DEMO ?? false;
    this.key = secret?.key ?? null;
    this.secretKeySource = secret?.source ?? null;
  }

  /**
   * Signs tokens and derives the vault, TOTP and OIDC keys. From TONGFA_SECRET_KEY, else (embedded
   * SQLite) a random key generated once and kept in the data directory. Never derived from
   * anything guessable such as the database location.
   */
  get secretKey(): string {
    if (this.key === null) throw new Error('this process was configured without the secret key');
    return this.key;
  }

  /**
   * Validates the environment and resolves the secret key. `secretKey: false` is for tools that
   * never sign or unseal anything (migrations, audit verification), so they run without it.
   */
  static fromEnv(source: Record<string, string | undefined> = process.env, opts: { secretKey?: boolean } = {}): AppConfig {
    const env = parseEnv(source);
    return new AppConfig(env, opts.secretKey === false ? null : resolveSecretKey(env));
  }

  /**
   * The bot APIs unit notifications are sent to: as configured; else, when the demo runs, the
   * sandbox's bot simulators (so the demo's bots work without setup and nothing leaves the machine);
   * else the public 政务微信 and 钉钉 APIs. `fromSandbox` says the demo default applies.
   */
  get botUrls(): { wecom: string; dingtalk: string; fromSandbox: boolean } {
    const sandbox = this.demo ? (this.env.TONGFA_SANDBOX_URL ?? `http://127.0.0.1:${this.env.SANDBOX_PORT}`).replace(/\/$/, '') : null;
    return {
      wecom: this.env.TONGFA_WECOM_BOT_URL ?? (sandbox ? `${sandbox}/_bots/wecom` : 'https://qyapi.weixin.qq.com'),
      dingtalk: this.env.TONGFA_DINGTALK_BOT_URL ?? (sandbox ? `${sandbox}/_bots/dingtalk` : 'https://oapi.dingtalk.com'),
      fromSandbox: !!sandbox && !this.env.TONGFA_WECOM_BOT_URL && !this.env.TONGFA_DINGTALK_BOT_URL,
    };
  }

  get publicUrl(): string {
    return this.env.TONGFA_PUBLIC_URL ?? `http://localhost:${this.env.PORT}`;
  }
}

function resolveSecretKey(env: Env): { key: string; source: SecretKeySource } {
  if (env.TONGFA_SECRET_KEY) return { key: env.TONGFA_SECRET_KEY, source: { kind: 'env' } };
  const file = secretKeyFileFor(env.DATABASE_URL);
  if (file) {
    let kept: { key: string; created: boolean };
    try {
      kept = loadOrCreateSecretKey(file);
    } catch (e) {
      throw new ConfigError(
        `配置错误 invalid environment variable TONGFA_SECRET_KEY: 未设置，且无法在数据目录保存生成的密钥 / unset, and no generated key could be kept in ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    const weak = secretKeyWeakness(kept.key);
    if (weak) {
      throw new ConfigError(
        `配置错误 invalid environment variable TONGFA_SECRET_KEY: 未设置，而 ${file} 中保存的密钥${weak.split(' / ')[0]} / unset, and the key kept in ${file} is weak (${weak.split(' / ')[1] ?? weak}); set TONGFA_SECRET_KEY`,
      );
    }
    return { key: kept.key, source: { kind: 'file', file, created: kept.created } };
  }
  if (env.DATABASE_URL.startsWith('sqlite:')) {
    // An in-memory database forgets everything the key protects when the process ends.
    return { key: randomBytes(32).toString('hex'), source: { kind: 'ephemeral' } };
  }
  throw new ConfigError(
    '配置错误 invalid environment variable TONGFA_SECRET_KEY: 使用 MySQL 时必须设置，且每个 hub 与 worker 进程相同 / required with a MySQL database, the same in every hub and worker process (generate one with openssl rand -hex 32)',
  );
}
