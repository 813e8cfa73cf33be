import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Simulator } from '@tongfa/plugin-sdk/testing';
import type { PluginRegistry } from '@tongfa/plugins';
import { createBotSimulators } from './bot-simulators';

type Handler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => Promise<void>;

export interface RunningSandbox {
  /** Base URL, e.g. http://127.0.0.1:3001 */
  url: string;
  port: number;
  /** Platforms with a simulator on this port. */
  platforms: string[];
  /** Plugins that brought no simulator (reported at start, not served). */
  missing: string[];
  simulators: Simulator[];
  server: Server;
  /** The endpoint map an account on `platform` uses to talk to its simulator here. */
  endpointsFor(platform: string): Record<string, string>;
  close(): Promise<void>;
}

/**
 * Serves every loaded plugin's simulator on one port through the SDK harness: each platform's API
 * under /<id>/… and the inspection API under /_sandbox/<id>/…. Simulators are grouped by the copy
 * of the SDK testing kit that built them (a third-party plugin brings its own) and each group is
 * served by its own kit's handler. A simulator factory that throws is skipped and reported.
 */
export async function startSandbox(
  registry: PluginRegistry,
  opts: { port?: number; host?: string; onProblem?: (line: string) => void } = {},
): Promise<RunningSandbox> {
  const sims: Simulator[] = [];
  const missing: string[] = [];
  const groups = new Map<(typeof import('@tongfa/plugin-sdk/testing'))['createSandboxHandler'], Simulator[]>();
  for (const p of registry.list()) {
    const id = p.manifest.id;
    try {
      const { factory, problem } = registry.findSimulator(id);
      if (!factory) {
        missing.push(id);
        opts.onProblem?.(`沙箱：${problem}`);
        continue;
      }
      const sim = factory();
      const make = registry.simulatorHarness(id).createSandboxHandler;
      groups.set(make, [...(groups.get(make) ?? []), sim]);
      sims.push(sim);
    } catch (e) {
      missing.push(id);
      opts.onProblem?.(`沙箱：${id} 的模拟器启动失败 / sandbox: simulator of ${id} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const shutdown = new AbortController();
  const handlers: Handler[] = [...groups].map(([make, group]) => make(group, { signal: shutdown.signal }) as Handler);
  // The group bots (政务微信, 钉钉) units send notifications to: not plugins, served before them.
  const bots = createBotSimulators();
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/_bots/') || req.url?.startsWith('/_sandbox/bots/')) {
      bots.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      return;
    }
    // Each kit's handler passes paths of platforms it does not serve to the next one.
    const run = (i: number): void => {
      const h = handlers[i];
      if (!h) {
        res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ error: 'not_found', message: `no simulator for ${req.url}` }));
        return;
      }
      void h(req, res, () => run(i + 1));
    };
    run(0);
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    platforms: sims.map((s) => s.platform),
    missing,
    simulators: sims,
    server,
    endpointsFor(platform: string) {
      const p = registry.get(platform);
      const sim = sims.find((s) => s.platform === platform);
      if (!p || !sim) throw new Error(`no simulator for ${platform}`);
      return sim.endpointsFor(url, Object.keys(p.manifest.endpoints ?? {}));
    },
    close: () =>
      new Promise<void>((resolve) => {
        shutdown.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
