// Vite build of the EOC situation console. pact-situation serves the built files at `/`.
//   PACT_CONSOLE_OUT_DIR   where the build goes (absolute path; default: dist/ beside this file)
//   PACT_CONSOLE_API_PORT  `npm run dev` only: the local pact-situation HTTP port that /api is proxied to
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(here, process.env.PACT_CONSOLE_OUT_DIR || 'dist');
const apiPort = process.env.PACT_CONSOLE_API_PORT || '8080';

export default defineConfig({
  root: here,
  base: './',
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2020',
    // Chart.js is the bulk of the bundle; one chunk keeps the served file set small and fixed.
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      // Server-sent events pass through the proxy unbuffered.
      '/api': { target: `http://127.0.0.1:${apiPort}`, changeOrigin: false },
    },
  },
});
