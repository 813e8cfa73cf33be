import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { rolldown } from 'rolldown';
import react from '@vitejs/plugin-react';

/**
 * @rc-component/util's index re-exports its scrollbar measurement from './getScrollBarSize'; that
 * one import is pointed at src/lib/scrollbar-size.ts, which measures once per scrollbar style
 * instead of once per table (the file says why). Every other import is left alone.
 */
function cachedScrollbarSize(): Plugin {
  const shim = fileURLToPath(new URL('./src/lib/scrollbar-size.ts', import.meta.url));
  return {
    name: 'tongfa-cached-scrollbar-size',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === './getScrollBarSize' && importer && /[\\/]@rc-component[\\/]util[\\/]es[\\/]index\.js$/.test(importer)) return shim;
      return null;
    },
  };
}

/**
 * src/boot.ts, bundled on its own (no shared chunks) and inlined at the top of index.html's head:
 * it runs while the page is still parsing, so who is signed in and the workbench's lists are asked
 * before a single file of the app is fetched. The hub allows exactly this inline script in its CSP
 * by its hash (apps/hub/src/console/console-static.ts `consoleInlineScriptHashes`).
 */
function inlineBoot(): Plugin {
  const entry = fileURLToPath(new URL('./src/boot.ts', import.meta.url));
  return {
    name: 'tongfa-inline-boot',
    transformIndexHtml: {
      order: 'post',
      async handler(html) {
        const bundle = await rolldown({ input: entry, platform: 'browser', logLevel: 'warn' });
        try {
          const { output } = await bundle.generate({ format: 'iife', minify: true });
          // `</script` cannot occur in it (no such string in the source), but make sure.
          const code = output[0].code.trim();
          if (/<\/script/i.test(code)) throw new Error('the boot script contains </script>');
          // After <meta charset> and <title>, before the app's module script and stylesheet (a
          // classic script after a stylesheet would wait for it).
          if (!html.includes('</title>')) throw new Error('index.html has no <title> to put the boot script after');
          return html.replace('</title>', () => `</title>\n    <script>${code}</script>`);
        } finally {
          await bundle.close();
        }
      },
    },
  };
}

// Built into apps/console/dist, which the hub serves at `/` (the API stays under /api).
export default defineConfig({
  base: '/',
  plugins: [cachedScrollbarSize(), inlineBoot(), react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      input: { index: fileURLToPath(new URL('./index.html', import.meta.url)) },
      output: {
        // Everything the entry needs statically (the layout and the workbench, the first page of
        // nearly every visit) in two files, the libraries and our code, instead of ~35 small
        // chunks that a browser fetches six at a time; the other pages stay their own chunks.
        codeSplitting: {
          groups: [{ name: 'vendor', tags: ['$initial'], test: /node_modules/ }],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
