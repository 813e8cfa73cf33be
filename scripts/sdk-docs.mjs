// Generates the plugin SDK's API reference (HTML) with TypeDoc from the sources and their doc comments:
// the main entry, the testing kit and the sharp image fitter, as a plugin author imports them.
// Usage: node scripts/sdk-docs.mjs [--out <dir>]   (default: artifacts/sdk-docs). Prints the index path.
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sdk = resolve(root, 'libs/plugin-sdk');
const at = process.argv.indexOf('--out');
const out = resolve(at > 0 ? process.argv[at + 1] : resolve(root, 'artifacts/sdk-docs'));
const { version } = JSON.parse(
  execFileSync(process.execPath, ['-p', `JSON.stringify(require(${JSON.stringify(resolve(sdk, 'package.json'))}))`], { encoding: 'utf8' }),
);

execFileSync(
  process.execPath,
  [
    resolve(root, 'node_modules/typedoc/bin/typedoc'),
    '--tsconfig',
    resolve(sdk, 'tsconfig.json'),
    '--entryPoints',
    resolve(sdk, 'src/index.ts'),
    resolve(sdk, 'src/testing/index.ts'),
    resolve(sdk, 'src/images-sharp.ts'),
    '--readme',
    resolve(sdk, 'README.md'),
    '--name',
    `@tongfa/plugin-sdk ${version}`,
    '--out',
    out,
    '--excludePrivate',
    '--excludeInternal',
    '--treatWarningsAsErrors',
    'false',
    '--logLevel',
    'Error',
  ],
  { stdio: ['ignore', 'inherit', 'inherit'], cwd: root },
);
console.log(resolve(out, 'index.html'));
