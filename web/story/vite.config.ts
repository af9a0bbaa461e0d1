// Builds the story page's script into web/dist/story/story.js (one file, no framework), which the server serves at
// /story/story.js. The build fails when the script grows past its share of the 12 KB gzipped budget it keeps
// with the embed loader.
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const here = new URL('.', import.meta.url);
/** The story script's budget, gzipped: what the 12 KB of embed loader + this script leave it. */
export const STORY_BUDGET_BYTES = 8 * 1024;

const budget: Plugin = {
  name: 'parley-size-budget',
  generateBundle(_options, bundle) {
    for (const file of Object.values(bundle)) {
      if (file.type !== 'chunk') continue;
      const size = gzipSync(file.code, { level: 9 }).length;
      this.info(`${file.fileName}: ${size} bytes gzipped (budget ${STORY_BUDGET_BYTES})`);
      if (size > STORY_BUDGET_BYTES) this.error(`${file.fileName} is ${size} bytes gzipped, over its budget of ${STORY_BUDGET_BYTES}`);
    }
  },
};

export default defineConfig({
  root: decodeURIComponent(here.pathname),
  plugins: [budget],
  build: {
    outDir: decodeURIComponent(new URL('../dist/story/', here).pathname),
    emptyOutDir: true,
    target: 'es2020',
    lib: { entry: decodeURIComponent(new URL('./src/story.ts', here).pathname), formats: ['iife'], name: 'ParleyStory', fileName: () => 'story.js' },
  },
});
