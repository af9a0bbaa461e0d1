// The embed's JSON question, asked by the loader (embed.js) from the host page: which story is this canonical
// URL, created at its first view from an allowed origin. Answered to any origin (with CORS) so that the
// loader can print why a page gets nothing; only an allowed origin's request creates anything.
import type { App, AppContext } from '../context.js';
import { storyView } from '../../core/stories.js';
import { EmbedStory, EmbedStoryQuery, errors } from '../../contracts/schemas.js';

export async function embedRoutes(app: App, { stories }: AppContext) {
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
      return { story: storyView(story), framePath: `/embed/stories/${story.id}` };
    },
  );
}
