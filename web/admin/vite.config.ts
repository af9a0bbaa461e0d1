// Builds the moderator console into web/dist/admin, which the server serves at /admin.
import { defineConfig } from 'vite';

const here = new URL('.', import.meta.url);

export default defineConfig({
  root: decodeURIComponent(here.pathname),
  base: '/admin/',
  // Preact through the automatic JSX runtime: no Babel, no React.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: decodeURIComponent(new URL('../dist/admin/', here).pathname),
    emptyOutDir: true,
    // No inline scripts or styles anywhere: the pages are served with script-src 'self'; style-src 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 400,
  },
  server: {
    // `npx vite --config web/admin/vite.config.ts` during development, with a Parley server on :8080.
    proxy: { '/api': 'http://127.0.0.1:8080', '/login': 'http://127.0.0.1:8080', '/static': 'http://127.0.0.1:8080' },
  },
});
