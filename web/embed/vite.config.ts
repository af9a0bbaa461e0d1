// Builds the embed into web/dist/embed: embed.js (the loader on host pages, served at /embed.js) and frame.js (the
// frame's script, served at /embed/frame.js). Plain scripts: no imports, no exports. The build fails when what a
// reader's browser loads for an embed (embed.js, frame.js and the story page's in-place script when the frame
// loads it, web/dist/story/story.js, built before this) exceeds 12 KB gzipped.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const here = new URL('.', import.meta.url);
const path = (relative: string) => decodeURIComponent(new URL(relative, here).pathname);
const BUDGET = 12 * 1024;

function sizeBudget(): Plugin {
  return {
    name: 'parley-embed-budget',
    closeBundle() {
      const files = [path('../dist/embed/embed.js'), path('../dist/embed/frame.js'), path('../dist/story/story.js')].filter((f) => existsSync(f));
      let total = 0;
      for (const file of files) {
        const size = gzipSync(readFileSync(file), { level: 9 }).length;
        total += size;
        console.log(`embed budget: ${file.replace(/.*\/(web|public)\//, '$1/')} ${size} B gzipped`);
      }
      console.log(`embed budget: ${total} B gzipped in all, of ${BUDGET} B`);
      if (total > BUDGET) throw new Error(`the embed's scripts are ${total} B gzipped, over the budget of ${BUDGET} B`);
    },
  };
}

export default defineConfig({
  root: path('.'),
  plugins: [sizeBudget()],
  build: {
    outDir: path('../dist/embed/'),
    emptyOutDir: true,
    target: 'es2020',
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: { embed: path('embed.ts'), frame: path('frame.ts') },
      output: { entryFileNames: '[name].js', format: 'es' },
    },
  },
});
