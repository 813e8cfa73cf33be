import { existsSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { definePlugin, sdkIncompatibility, validateManifest, type Plugin, type PluginManifest } from '@tongfa/plugin-sdk';
import type { Simulator } from '@tongfa/plugin-sdk/testing';

/** Where a plugin came from: a package under plugins/ or an entry of TONGFA_PLUGINS. */
export interface PluginOrigin {
  kind: 'builtin' | 'third_party';
  /** The directory name, package name or path as configured. */
  spec: string;
}

export interface LoadedPlugin {
  plugin: Plugin<unknown>;
  manifest: PluginManifest;
  origin: PluginOrigin;
  /** The compiled entry file that was required. */
  entry: string;
}

export interface RefusedPlugin {
  origin: PluginOrigin;
  /** The manifest id when the code got far enough to tell. */
  id: string | null;
  /** One line, bilingual, no stack. */
  reason: string;
}

export interface PluginRegistryOptions {
  /** Compiled built-in plugins: every `<dir>/<name>/src/index.js` (default dist/plugins). Null: none. */
  builtinDir?: string | null;
  /** TONGFA_PLUGINS entries: npm package names or paths. */
  thirdParty?: readonly string[];
  /** Where third-party names and relative paths resolve from (default process.cwd()). */
  cwd?: string;
  /** Receives one line per refused plugin. */
  onRefused?: (line: string) => void;
}

// dist/libs/plugins/src → dist/plugins
const DEFAULT_BUILTIN_DIR = resolve(__dirname, '..', '..', '..', 'plugins');
// dist/libs/plugins/src → dist/libs/plugin-sdk/src/testing
const HOST_TESTING_KIT = resolve(__dirname, '..', '..', 'plugin-sdk', 'src', 'testing', 'index.js');

type ModuleExports = Record<string, unknown>;

/**
 * The plugins this process runs, loaded once at start: the built-in packages and the third-party
 * ones named in TONGFA_PLUGINS. A plugin is refused, with one clear line, when its code throws at
 * load, its manifest is invalid, its SDK range excludes this host's SDK, it lacks a method its
 * manifest promises, or its id is taken; the others load regardless.
 */
export class PluginRegistry {
  private readonly loaded = new Map<string, LoadedPlugin>();
  private readonly modules = new Map<string, ModuleExports>();
  readonly refused: RefusedPlugin[] = [];

  constructor(private readonly options: PluginRegistryOptions = {}) {
    const builtinDir = options.builtinDir === undefined ? DEFAULT_BUILTIN_DIR : options.builtinDir;
    if (builtinDir && existsSync(builtinDir)) {
      for (const dir of readdirSync(builtinDir).sort()) {
        const entry = join(builtinDir, dir, 'src', 'index.js');
        if (existsSync(entry)) this.load({ kind: 'builtin', spec: dir }, entry);
      }
    }
    for (const spec of options.thirdParty ?? []) {
      const origin: PluginOrigin = { kind: 'third_party', spec };
      const entry = this.resolveThirdParty(spec);
      if (entry) this.load(origin, entry);
      else this.refuse(origin, null, `无法找到（相对 ${this.cwd} 解析）/ cannot be resolved from ${this.cwd}`);
    }
  }

  private get cwd(): string {
    return this.options.cwd ?? process.cwd();
  }

  /** Plugins in load order (built-ins by directory name, then TONGFA_PLUGINS order). */
  list(): LoadedPlugin[] {
    return [...this.loaded.values()];
  }

  ids(): string[] {
    return [...this.loaded.keys()];
  }

  has(id: string): boolean {
    return this.loaded.has(id);
  }

  get(id: string): LoadedPlugin | undefined {
    return this.loaded.get(id);
  }

  /**
   * The plugin's simulator factory, for the sandbox: the one `manifest.simulator` names, else a
   * `create…Simulator` export of its entry or of a `simulator.js` beside it (0.1 scaffolds). Loaded only
   * when asked, so production hubs never load simulator code. `problem` says why there is none.
   */
  simulatorFactory(id: string): (() => Simulator) | undefined {
    return this.findSimulator(id).factory;
  }

  /** The simulator factory, or why the plugin has none (in Chinese and English, naming what to declare). */
  findSimulator(id: string): { factory?: () => Simulator; problem?: string } {
    const p = this.loaded.get(id);
    if (!p) return { problem: `插件 ${id} 未加载 / plugin ${id} is not loaded` };
    const declared = p.manifest.simulator;
    if (declared) {
      const file = resolve(dirname(p.entry), declared.module);
      let mod: ModuleExports;
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        mod = require(file) as ModuleExports;
      } catch (e) {
        return {
          problem: `清单 simulator.module（${declared.module}）无法加载 / manifest.simulator.module ${declared.module} does not load: ${e instanceof Error ? e.message : String(e)}`,
        };
      }
      const f = mod[declared.export];
      if (typeof f !== 'function') {
        return {
          problem: `${declared.module} 没有导出函数 ${declared.export} / ${declared.module} exports no function ${declared.export}`,
        };
      }
      return { factory: f as () => Simulator };
    }
    const fromExports = (mod: ModuleExports | undefined) => {
      for (const [name, v] of Object.entries(mod ?? {})) if (/^create\w*Simulator$/.test(name) && typeof v === 'function') return v;
      return undefined;
    };
    let factory = fromExports(this.modules.get(id));
    const sibling = join(dirname(p.entry), 'simulator.js');
    if (!factory && existsSync(sibling)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      factory = fromExports(require(sibling) as ModuleExports);
    }
    if (!factory) {
      return {
        problem: `插件 ${id} 没有模拟器：请在清单中声明 simulator: { module, export } / plugin ${id} has no simulator: declare manifest.simulator { module, export }`,
      };
    }
    return { factory: factory as () => Simulator };
  }

  /**
   * The SDK testing kit the plugin's simulator was built with. The harness keeps per-simulator state
   * in module-private maps, so a simulator must be served by its own copy of the kit (a third-party
   * plugin bundles its own SDK); built-ins share the host's.
   */
  simulatorHarness(id: string): typeof import('@tongfa/plugin-sdk/testing') {
    const p = this.loaded.get(id);
    if (p?.origin.kind === 'third_party') {
      try {
        const own = require.resolve('@tongfa/plugin-sdk/testing', { paths: [dirname(p.entry)] });
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require(own) as typeof import('@tongfa/plugin-sdk/testing');
      } catch {
        // no copy of its own: it was built against the host's
      }
    }
    // The host's compiled kit (dist/libs/plugin-sdk/src/testing), the one built-ins compile against;
    // required lazily so production hubs never load the testing kit.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(HOST_TESTING_KIT) as typeof import('@tongfa/plugin-sdk/testing');
  }

  private resolveThirdParty(spec: string): string | undefined {
    const looksLikePath = spec.startsWith('.') || isAbsolute(spec);
    try {
      return require.resolve(looksLikePath ? resolve(this.cwd, spec) : spec, { paths: [this.cwd] });
    } catch {
      return undefined;
    }
  }

  private load(origin: PluginOrigin, entry: string): void {
    let mod: ModuleExports;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require(entry) as ModuleExports;
    } catch (e) {
      return this.refuse(origin, null, `加载时抛出异常 / threw at load: ${oneLine(e)}`);
    }
    const candidate = (mod.default ?? mod) as Partial<Plugin<unknown>> | undefined;
    if (!candidate || typeof candidate !== 'object' || !('manifest' in candidate)) {
      return this.refuse(origin, null, '没有默认导出插件对象 / no default export with a manifest');
    }
    const raw = candidate.manifest as unknown;
    const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : null;
    const v = validateManifest(raw);
    if (!v.ok) return this.refuse(origin, id, `清单无效 / invalid manifest: ${v.errors.join('; ')}`);
    const incompatible = sdkIncompatibility(v.manifest);
    if (incompatible) return this.refuse(origin, id, `${incompatible.zh} / ${incompatible.en}`);
    let plugin: Plugin<unknown>;
    try {
      // Re-checks methods against capabilities with the host's own SDK, whatever copy the plugin bundled.
      plugin = definePlugin(candidate as Plugin<unknown>);
    } catch (e) {
      return this.refuse(origin, id, oneLine(e));
    }
    const taken = this.loaded.get(v.manifest.id);
    if (taken) {
      return this.refuse(origin, id, `id 与已加载的 ${taken.origin.spec} 重复 / id already loaded from ${taken.origin.spec}`);
    }
    this.loaded.set(v.manifest.id, { plugin, manifest: plugin.manifest, origin, entry });
    this.modules.set(v.manifest.id, mod);
  }

  private refuse(origin: PluginOrigin, id: string | null, reason: string): void {
    this.refused.push({ origin, id, reason });
    this.options.onRefused?.(
      `插件未加载 / plugin refused: ${origin.kind === 'builtin' ? `plugins/${origin.spec}` : origin.spec}${id ? ` (${id})` : ''}: ${reason}`,
    );
  }
}

function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)
    .join('; ')
    .slice(0, 1000);
}
