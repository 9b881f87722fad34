import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The server serves dist/ (index.html, /assets/*, /favicon.svg) on its own port; in `vite dev` the
// API is proxied to a running `cxc serve` on CX_PORT's default.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      output: {
        // ECharts is the bulk of the bundle and changes rarely: its own chunk caches across releases.
        manualChunks: (id) =>
          id.includes('node_modules/echarts') || id.includes('node_modules/zrender') ? 'charts' : undefined,
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' } },
});
