// Serves the story page's script, built by Vite into web/dist/story (see web/story/README.md).
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { App } from '../context.js';

const STORY_DIR = fileURLToPath(new URL('../../../web/dist/story/', import.meta.url));

export async function storyScriptRoutes(app: App) {
  // The name does not change with the content: revalidated, not cached for a year.
  await app.register(fastifyStatic, { root: STORY_DIR, prefix: '/story/', decorateReply: false, maxAge: '5m' });
}
