import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { initPlugin } from '../cli/init';
import type { AnyPlugin } from '../plugin';
import type { Simulator } from './simulator-harness';

/**
 * Scaffolds the init template into a temp dir and loads it in-process against THIS build of the SDK
 * (transpiled without type-checking, for speed; the init spec type-checks it with tsc). Lets the SDK's
 * own specs run the conformance suite on the very plugin every third party starts from.
 */
export function loadScaffoldedPlugin(id = 'demo-platform'): { plugin: AnyPlugin; createSimulator: () => Simulator; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tongfa-scaffold-'));
  initPlugin({ name: id, dir: join(dir, 'pkg'), nameZh: '演示平台', nameEn: 'Demo Platform' });
  const sdkMain = resolve(__dirname, '..', 'index.js');
  const sdkTesting = resolve(__dirname, 'index.js');
  const out = join(dir, 'out');
  mkdirSync(out);
  for (const name of ['index', 'simulator']) {
    const source = readFileSync(join(dir, 'pkg', 'src', `${name}.ts`), 'utf8');
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    writeFileSync(
      join(out, `${name}.js`),
      js
        .replace(/require\("@tongfa\/plugin-sdk\/testing"\)/g, `require(${JSON.stringify(sdkTesting)})`)
        .replace(/require\("@tongfa\/plugin-sdk"\)/g, `require(${JSON.stringify(sdkMain)})`),
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const plugin = (require(join(out, 'index.js')) as { default: AnyPlugin }).default;
  const pascal = id
    .split('-')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const createSimulator = (require(join(out, 'simulator.js')) as Record<string, () => Simulator>)[`create${pascal}Simulator`];
  return { plugin, createSimulator, dir };
}
