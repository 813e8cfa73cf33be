import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built into apps/console/dist, which the hub serves at `/` (the API stays under /api).
export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
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
