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
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
