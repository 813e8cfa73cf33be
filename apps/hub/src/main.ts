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
  const hub = await startHub(config).catch((e: unknown) => {
    const err = e as NodeJS.ErrnoException & { port?: number };
    if (err?.code !== 'EADDRINUSE') throw e;
    // The newcomer's most likely start-up failure: say which setting to change, not a stack.
    const which = err.port === config.env.SANDBOX_PORT ? 'SANDBOX_PORT' : 'PORT';
    process.stderr.write(
      `端口 ${err.port} 已被占用（${which}）：请停止占用它的进程，或设置 ${which}=<其他端口> / port ${err.port} is in use (${which}): stop what holds it or set ${which} to another port\n`,
    );
    process.exit(1);
  });
  // Last of all, after every start-up log line: the address and the demo users.
  process.stdout.write(hub.banner.join('\n'));
}

if (require.main === module) void main();
