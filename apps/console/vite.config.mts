import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import type { OutputChunk } from 'rolldown';
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
 * src/boot.ts is an entry of its own, run before the app's bundle: index.html gets an async module
 * script for its chunk, which runs as soon as its few hundred bytes arrive. (Two module scripts in index.html would be merged by Vite into
 * one entry, which waits for the libraries — the very wait boot.ts exists to avoid.)
 */
function bootEntryFirst(): Plugin {
  return {
    name: 'tongfa-boot-entry-first',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const boot = Object.values(ctx.bundle ?? {}).find((c): c is OutputChunk => c.type === 'chunk' && c.isEntry && c.name === 'boot');
        if (!boot) throw new Error('the boot entry (src/boot.ts) is missing from the build');
        // async: a module script runs as soon as it is fetched, not after the app's bundle before it.
        return [{ tag: 'script', attrs: { type: 'module', async: true, crossorigin: true, src: `/${boot.fileName}` }, injectTo: 'head' }];
      },
    },
  };
}

// Built into apps/console/dist, which the hub serves at `/` (the API stays under /api).
export default defineConfig({
  base: '/',
  plugins: [cachedScrollbarSize(), bootEntryFirst(), react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        boot: fileURLToPath(new URL('./src/boot.ts', import.meta.url)),
      },
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
