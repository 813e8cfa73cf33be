import 'reflect-metadata';
import { AppConfig, ConfigError } from '@tongfa/core';
import { startHub } from './start';

/**
 * `npm start` is the embedded demo unless TONGFA_DEMO=0; production never seeds the demo unless
 * TONGFA_DEMO=1 asks for it.
 */
export function withDemoDefault(source: Record<string, string | undefined>): Record<string, string | undefined> {
  const env = { ...source };
  const embedded = !env.REDIS_URL && !/^(mysql|mariadb):/.test(env.DATABASE_URL ?? '');
  if (env.TONGFA_DEMO === undefined && embedded && env.NODE_ENV !== 'production') env.TONGFA_DEMO = '1';
  return env;
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = AppConfig.fromEnv(withDemoDefault(process.env));
  } catch (e) {
    process.stderr.write(`${e instanceof ConfigError || e instanceof Error ? e.message : String(e)}\n`);
    process.exit(78); // EX_CONFIG
  }
  const hub = await startHub(config);
  // Last of all, after every start-up log line: the address and the demo users.
  process.stdout.write(hub.banner.join('\n'));
}

if (require.main === module) void main();
