import { startSimulators, type RunningSimulators, type Simulator } from '@tongfa/plugin-sdk/testing';
import type { PluginRegistry } from '@tongfa/plugins';

export interface RunningSandbox {
  /** Base URL, e.g. http://127.0.0.1:3001 */
  url: string;
  port: number;
  /** Platforms with a simulator on this port. */
  platforms: string[];
  /** Plugins that brought no simulator (listed at start, not served). */
  missing: string[];
  /** The endpoint map an account on `platform` uses to talk to its simulator here. */
  endpointsFor(platform: string): Record<string, string>;
  close(): Promise<void>;
  readonly running: RunningSimulators;
}

/**
 * Serves every loaded plugin's simulator on one port through the SDK harness: each platform's API
 * under /<id>/… and the inspection API under /_sandbox/<id>/…. A simulator factory that throws is
 * skipped and reported, like a refused plugin, rather than taking the others down.
 */
export async function startSandbox(
  registry: PluginRegistry,
  opts: { port?: number; host?: string; onProblem?: (line: string) => void } = {},
): Promise<RunningSandbox> {
  const sims: Simulator[] = [];
  const missing: string[] = [];
  for (const p of registry.list()) {
    try {
      const factory = registry.simulatorFactory(p.manifest.id);
      if (!factory) {
        missing.push(p.manifest.id);
        opts.onProblem?.(`沙箱：插件 ${p.manifest.id} 没有模拟器 / sandbox: plugin ${p.manifest.id} exports no simulator`);
        continue;
      }
      sims.push(factory());
    } catch (e) {
      missing.push(p.manifest.id);
      opts.onProblem?.(
        `沙箱：${p.manifest.id} 的模拟器启动失败 / sandbox: simulator of ${p.manifest.id} failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  const running = await startSimulators(sims, { port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' });
  return {
    url: running.url,
    port: running.port,
    platforms: sims.map((s) => s.platform),
    missing,
    running,
    endpointsFor(platform: string) {
      const p = registry.get(platform);
      const sim = sims.find((s) => s.platform === platform);
      if (!p || !sim) throw new Error(`no simulator for ${platform}`);
      return sim.endpointsFor(running.url, Object.keys(p.manifest.endpoints ?? {}));
    },
    close: () => running.close(),
  };
}
