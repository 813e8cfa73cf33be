import 'reflect-metadata';
import { AppConfig, ConfigError } from '@tongfa/core';
import { createHub } from './bootstrap';
import { StartupService } from './startup.service';
import { PluginHost, PluginRegistry } from '@tongfa/plugins';
import { startSandbox } from '../../sandbox/src/sandbox';
import { connectDemoAccounts } from './demo/demo-accounts';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    // `npm start` is the embedded demo unless TONGFA_DEMO=0.
    const env = { ...process.env };
    if (env.TONGFA_DEMO === undefined && !env.REDIS_URL && !env.DATABASE_URL?.startsWith('mysql')) env.TONGFA_DEMO = '1';
    config = AppConfig.fromEnv(env);
  } catch (e) {
    process.stderr.write(`${e instanceof ConfigError || e instanceof Error ? e.message : String(e)}\n`);
    process.exit(78); // EX_CONFIG
  }
  const app = await createHub(config);
  await app.listen(config.env.PORT, config.env.HOST);
  const banner = [...app.get(StartupService).banner];
  if (config.demo) {
    // The demo's platforms: every plugin's simulator beside the hub, demo accounts connected to them.
    const sandbox = await startSandbox(app.get(PluginRegistry), {
      port: config.env.SANDBOX_PORT,
      onProblem: (l) => process.stderr.write(`${l}\n`),
    });
    // Sandbox accounts may reach exactly this origin (it may differ from SANDBOX_PORT's default).
    app.get(PluginHost).allowSandboxOrigin(sandbox.url);
    banner.push(...(await connectDemoAccounts(app, sandbox)));
  }
  const url = `http://localhost:${config.env.PORT}`;
  process.stdout.write(
    [
      '',
      `统发 Tongfa is listening on ${url}  (${config.embedded ? 'embedded: SQLite + in-process jobs' : 'distributed: MySQL + Bull'})`,
      `  API docs ${url}/api/docs   health ${url}/health/ready`,
      ...banner,
      '',
    ].join('\n'),
  );
}

void main();
