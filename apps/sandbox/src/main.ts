import { AppConfig } from '@tongfa/core';
import { PluginRegistry } from '@tongfa/plugins';
import { startSandbox } from './sandbox';

/**
 * `node dist/apps/sandbox/src/main.js`: the platform simulators alone, on SANDBOX_PORT (default
 * 3001), for plugin authors, tests and benchmarks run against a separate hub.
 */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    // The simulators sign nothing of the hub's: they need no secret key.
    config = AppConfig.fromEnv(process.env, { secretKey: false });
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(78); // EX_CONFIG
  }
  const err = (line: string) => process.stderr.write(`${line}\n`);
  const registry = new PluginRegistry({ thirdParty: config.env.TONGFA_PLUGINS, onRefused: err });
  const sandbox = await startSandbox(registry, {
    port: config.env.SANDBOX_PORT,
    host: process.env.SANDBOX_HOST ?? '127.0.0.1',
    onProblem: err,
  });
  process.stdout.write(
    [
      `统发沙箱 Tongfa sandbox on ${sandbox.url}`,
      ...sandbox.platforms.map((p) => `  ${p.padEnd(12)} API ${sandbox.url}/${p}/…   inspect ${sandbox.url}/_sandbox/${p}/posts`),
      '',
    ].join('\n'),
  );
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
