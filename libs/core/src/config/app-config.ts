import { createHash } from 'node:crypto';
import { ConfigError, Env, parseEnv } from './env.schema';

/** The validated process settings, derived values included. Injected by class. */
export class AppConfig {
  readonly env: Env;
  readonly embedded: boolean;
  readonly demo: boolean;
  readonly secretKey: string;

  constructor(env: Env) {
    this.env = env;
    this.embedded = !env.REDIS_URL;
    this.demo = env.TONGFA_DEMO ?? false;
    // Without TONGFA_SECRET_KEY (a newcomer's embedded start) a key is derived from the database
    // location, so tokens survive a restart; production deployments must set it (checked at boot).
    this.secretKey = env.TONGFA_SECRET_KEY ?? createHash('sha256').update(`tongfa-dev:${env.DATABASE_URL}`).digest('hex');
  }

  static fromEnv(source: Record<string, string | undefined> = process.env): AppConfig {
    const env = parseEnv(source);
    if (env.NODE_ENV === 'production' && !env.TONGFA_SECRET_KEY) {
      throw new ConfigError('配置错误 invalid environment variable TONGFA_SECRET_KEY: required when NODE_ENV=production');
    }
    return new AppConfig(env);
  }

  get publicUrl(): string {
    return this.env.TONGFA_PUBLIC_URL ?? `http://localhost:${this.env.PORT}`;
  }
}
