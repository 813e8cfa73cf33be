import { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { AppConfig } from '@tongfa/core';
import { PluginHost, PluginRegistry } from '@tongfa/plugins';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/sandbox';
import { createHub } from './bootstrap';
import { connectDemoAccounts } from './demo/demo-accounts';
import { connectDemoBots } from './demo/demo-bots';
import { demoBanner } from './demo/demo-seeder';
import { StartupGate } from './ops/startup-gate';
import { StartupService } from './startup.service';

export interface StartedHub {
  app: INestApplication;
  /** Where the hub answers (the port actually bound, so PORT=0 works). */
  url: string;
  sandbox: RunningSandbox | null;
  /** What to print once everything is up, the demo users last. */
  banner: string[];
  close(): Promise<void>;
}

/**
 * Starts the hub as `npm start` does: the HTTP server (the demo province seeded before it
 * listens), then with TONGFA_DEMO the sandbox platforms beside it and the demo accounts connected
 * to them. `/health/ready` answers 503 until all of that is done.
 */
export async function startHub(
  config: AppConfig,
  opts: {
    /** How the demo accounts get connected (tests wrap the shipped one to look at the hub meanwhile). */
    connectAccounts?: (app: INestApplication, sandbox: RunningSandbox) => Promise<string[]>;
    quiet?: boolean;
  } = {},
): Promise<StartedHub> {
  const app = await createHub(config, { quiet: opts.quiet });
  const release = config.demo ? app.get(StartupGate).hold('demo') : () => undefined;
  await app.listen(config.env.PORT, config.env.HOST);
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  const lines: string[] = [];
  let sandbox: RunningSandbox | null = null;
  try {
    if (config.demo) {
      // The demo's platforms: every plugin's simulator beside the hub, demo accounts connected to them.
      sandbox = await startSandbox(app.get(PluginRegistry), {
        port: config.env.SANDBOX_PORT,
        onProblem: (l) => (opts.quiet ? undefined : process.stderr.write(`${l}\n`)),
      });
      // Sandbox accounts may reach exactly this origin (it may differ from SANDBOX_PORT's default).
      app.get(PluginHost).allowSandboxOrigin(sandbox.url);
      lines.push(...(await (opts.connectAccounts ?? connectDemoAccounts)(app, sandbox)));
      // Their notification bots post to the sandbox's simulated 政务微信 / 钉钉 groups.
      lines.push(...(await connectDemoBots(app, sandbox)));
    }
  } catch (e) {
    await sandbox?.close();
    await app.close();
    throw e;
  }
  release();
  const startup = app.get(StartupService);
  const demo = startup.demo;
  if (!startup.hasUsers) {
    lines.push(
      '尚无任何用户：设置 TONGFA_BOOTSTRAP_ADMIN=<用户名>:<密码> 后重启，创建第一个平台运维人员 / no users yet: set TONGFA_BOOTSTRAP_ADMIN=<username>:<password> and restart to create the first platform operator',
    );
  }
  const banner = [
    '',
    `统发 Tongfa is listening on ${url}  (${config.embedded ? 'embedded: SQLite + in-process jobs' : 'distributed: MySQL + Bull'})`,
    `  API docs ${url}/api/docs   health ${url}/health/ready`,
    ...lines,
    ...(demo ? demoBanner(demo, config.env.NODE_ENV === 'production') : []),
    '',
  ];
  return {
    app,
    url,
    sandbox,
    banner,
    async close() {
      await sandbox?.close();
      await app.close();
    },
  };
}
