// The embed's JSON question, asked by the loader (embed.js) from the host page: which story is this canonical
// URL, created at its first view from an allowed origin. Answered to any origin (with CORS) so that the
// loader can print why a page gets nothing; only an allowed origin's request creates anything.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { App, AppContext } from '../context.js';
import { storyView } from '../../core/stories.js';
import { EmbedStory, EmbedStoryQuery, errors } from '../../contracts/schemas.js';

const EMBED_DIR = fileURLToPath(new URL('../../../web/dist/embed/', import.meta.url));

export async function embedRoutes(app: App, { stories }: AppContext) {
  // The loader, for host pages on other origins (so Cross-Origin-Resource-Policy: cross-origin), and the frame's
  // own script; both built by Vite into web/dist/embed (`npm run build`).
  const script = (file: string, crossOrigin: boolean) => async (_request: unknown, reply: import('fastify').FastifyReply) => {
    let code: string;
    try {
      code = await readFile(`${EMBED_DIR}${file}`, 'utf8');
    } catch {
      return reply.status(503).type('text/plain').send('The embed is not built yet: run `npm run build`.');
    }
    if (crossOrigin) reply.header('cross-origin-resource-policy', 'cross-origin');
    return reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(code);
  };
  app.get('/embed.js', { schema: { hide: true } }, script('embed.js', true));
  app.get('/embed/frame.js', { schema: { hide: true } }, script('frame.js', false));

  app.get(
    '/api/embed/story',
    {
      schema: {
        tags: ['stories'],
        summary:
          'The story of a canonical URL on a site, created at its first view: for the embed loader. The request\'s Origin must be one of the site\'s allowed origins, and so must the URL\'s',
        querystring: EmbedStoryQuery,
        response: { 200: EmbedStory, ...errors(400, 403, 404) },
      },
      onRequest: async (request, reply) => {
        // The loader reads the answer, errors included; no credentials are ever accepted from another origin.
        const origin = request.headers.origin;
        if (origin) reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
        reply.header('cross-origin-resource-policy', 'cross-origin').header('cache-control', 'no-store');
      },
    },
    async (request) => {
      const { siteId, url, title } = request.query;
      const story = await stories.forEmbed(siteId, request.headers.origin, url, title);
      return { story: storyView(story, story.current), framePath: `/embed/stories/${story.id}` };
    },
  );
}
