import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { SDK_VERSION } from '../manifest';

/** Options of initPlugin. */
export interface InitOptions {
  /** The plugin id, kebab-case (e.g. `city-app`). */
  name: string;
  /** Target directory (default `./<name>`); must be empty or absent. */
  dir?: string;
  /** Chinese display name (default: the id). */
  nameZh?: string;
  /** English display name (default: the id in title case). */
  nameEn?: string;
  /** How accounts sign in: `app-secret` (default; the account's own app id and secret) or `oauth2` (authorize page, code, refresh token). */
  auth?: 'app-secret' | 'oauth2';
  /**
   * What the generated package.json depends on for `@tongfa/plugin-sdk` (default `^<this SDK>`, from
   * the registry). A tarball works too: `file:../tongfa-plugin-sdk-0.2.0.tgz`.
   */
  sdk?: string;
}

export const AUTH_VARIANTS = ['app-secret', 'oauth2'] as const;

/**
 * Expands `{{#flag}}…{{/flag}}` (kept when the flag is on) and `{{^flag}}…{{/flag}}` (kept when off),
 * not nested; a block on lines of its own leaves no blank line behind.
 */
export function expandBlocks(text: string, flags: Record<string, boolean>): string {
  return text.replace(/(^[ \t]*)?\{\{([#^])(\w+)\}\}(\n)?([\s\S]*?)(^[ \t]*)?\{\{\/\3\}\}(\n)?/gm, (...m: string[]) => {
    const [, indent = '', kind, flag, openNewline, body, closeIndent = '', closeNewline = ''] = m;
    if (!(flag in flags)) throw new Error(`unknown template block {{${kind}${flag}}}`);
    const on = (kind === '#') === flags[flag];
    // A block whose tags sit on lines of their own vanishes with those lines; an inline one keeps its surroundings.
    if (openNewline) return on ? body : '';
    return indent + (on ? body + closeIndent : '') + closeNewline;
  });
}

// Templates ship beside dist/ in the package (and beside the compiled sources in the monorepo build),
// two levels above this file either way.
const TEMPLATE_DIR = resolve(__dirname, '..', '..', 'templates', 'plugin');

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

/**
 * Writes a working plugin package (manifest, plugin, simulator, conformance test, README) that passes
 * its own conformance suite before anyone edits it. Returns the files written, relative to the target.
 */
export function initPlugin(options: InitOptions): { dir: string; files: string[] } {
  const id = options.name;
  if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(id)) {
    throw new Error(`插件名须为小写短横线格式，如 city-app / the plugin name must be kebab-case, e.g. city-app (got "${id}")`);
  }
  const dir = resolve(options.dir ?? id);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new Error(`目录非空，未写入任何文件 / ${dir} is not empty; nothing written`);
  }
  if (!existsSync(TEMPLATE_DIR)) throw new Error(`模板缺失 / templates not found at ${TEMPLATE_DIR}`);
  const words = id.split('-');
  const vars: Record<string, string> = {
    id,
    pascal: words.map((w) => w[0].toUpperCase() + w.slice(1)).join(''),
    nameZh: options.nameZh ?? id,
    nameEn: options.nameEn ?? words.map((w) => w[0].toUpperCase() + w.slice(1)).join(' '),
    sdkRange: `^${SDK_VERSION}`,
    sdkDependency: options.sdk ?? `^${SDK_VERSION}`,
  };
  const auth = options.auth ?? 'app-secret';
  if (!(AUTH_VARIANTS as readonly string[]).includes(auth)) {
    throw new Error(`--auth 须为 ${AUTH_VARIANTS.join(' 或 ')} / --auth must be one of ${AUTH_VARIANTS.join(', ')} (got "${auth}")`);
  }
  const flags = { oauth2: auth === 'oauth2' };
  const written: string[] = [];
  for (const src of listFiles(TEMPLATE_DIR)
    .filter((f) => f.endsWith('.tpl'))
    .sort()) {
    let rel = relative(TEMPLATE_DIR, src).slice(0, -'.tpl'.length);
    // npm drops .gitignore files from published packages, so the template is stored without the dot.
    if (rel === 'gitignore') rel = '.gitignore';
    // Values land inside single-quoted TS strings and double-quoted JSON strings; escape for each.
    const escape = rel.endsWith('.ts')
      ? (v: string) => v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")
      : rel.endsWith('.json')
        ? (v: string) => JSON.stringify(v).slice(1, -1)
        : (v: string) => v;
    const text = expandBlocks(readFileSync(src, 'utf8'), flags).replace(/\{\{(\w+)\}\}/g, (m, k: string) => {
      const v = vars[k];
      if (v === undefined) throw new Error(`unknown template variable ${m} in ${src}`);
      return escape(v);
    });
    const out = join(dir, rel);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
    written.push(rel);
  }
  return { dir, files: written };
}

const USAGE = `用法 / usage: tongfa-plugin-sdk init <name> [--dir <path>] [--name-zh <中文名>] [--name-en <English name>]
       [--auth app-secret|oauth2] [--sdk <依赖写法 / dependency spec, e.g. file:../tongfa-plugin-sdk-${SDK_VERSION}.tgz>]
       tongfa-plugin-sdk --version`;

/** Runs the CLI; returns the exit code. */
export function runCli(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): number {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    out(SDK_VERSION);
    return 0;
  }
  if (command !== 'init') {
    err(USAGE);
    return command === '--help' || command === '-h' ? 0 : 2;
  }
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a.startsWith('--')) {
      const v = rest[i + 1];
      if (v === undefined || v.startsWith('--')) {
        err(`缺少参数值 / missing value for ${a}\n${USAGE}`);
        return 2;
      }
      flags[a.slice(2)] = v;
      i++;
    } else positional.push(a);
  }
  if (positional.length !== 1) {
    err(USAGE);
    return 2;
  }
  try {
    const unknown = Object.keys(flags).filter((f) => !['dir', 'name-zh', 'name-en', 'auth', 'sdk'].includes(f));
    if (unknown.length) {
      err(`未知选项 / unknown option --${unknown[0]}\n${USAGE}`);
      return 2;
    }
    const r = initPlugin({
      name: positional[0],
      dir: flags.dir,
      nameZh: flags['name-zh'],
      nameEn: flags['name-en'],
      auth: flags.auth as InitOptions['auth'],
      sdk: flags.sdk,
    });
    out(
      `已创建插件 / created plugin in ${r.dir}:\n${r.files.map((f) => `  ${f}`).join('\n')}\n\n下一步 / next:\n  cd ${relative(process.cwd(), r.dir) || '.'}\n  npm install\n  npm test`,
    );
    return 0;
  } catch (e) {
    err((e as Error).message);
    return 1;
  }
}
