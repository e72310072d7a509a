import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// `npm run web:dev` proxies the API of a running local stack (API_ORIGIN, default http://localhost:3000);
// `npm start` serves the built files itself (same origin as the API).
const api = process.env.API_ORIGIN ?? 'http://localhost:3000';

export default defineConfig({
  root: here('.'),
  publicDir: 'public',
  resolve: {
    // The programme's rules are the API's own modules (layers/domain), never copies.
    alias: { '@domain': here('../layers/domain') },
  },
  // esbuild compiles TSX with React's automatic runtime: no React plugin needed (no fast refresh either).
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Every browser the DSFR supports preloads modules natively.
    modulePreload: { polyfill: false },
    sourcemap: false,
    // Icons stay files: inlined, every icon of a family would weigh on the first page's CSS.
    assetsInlineLimit: (file: string) => (file.endsWith('.svg') ? false : undefined),
    rollupOptions: {
      // The domain modules declare their zod schemas at top level; a page that only formats a date must not
      // carry zod for them. Building a schema has no side effect, so unused ones can go.
      treeshake: { manualPureFunctions: ['z'] },
    },
  },
  server: {
    proxy: Object.fromEntries(['/v1', '/local', '/config.json'].map((path) => [path, { target: api, changeOrigin: false }])),
  },
});
