import type { App, AppContext } from '../context.js';
import { storyView } from '../../core/stories.js';
import { requireRole } from '../auth.js';
import { IdParams, StoryBody, StoryModel, errors, refTo } from '../../contracts/schemas.js';

export async function storyRoutes(app: App, { stories }: AppContext) {
  app.post(
    '/api/stories',
    {
      schema: {
        tags: ['stories'],
        summary: 'Publish a story to discuss (admin or moderator)',
        body: StoryBody,
        response: { 201: refTo(StoryModel), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const staff = requireRole(request, 'admin', 'moderator');
      const story = await stories.create(staff, request.body);
      return reply.status(201).header('location', `/api/stories/${story.id}`).send(storyView(story));
    },
  );

  app.get(
    '/api/stories/:id',
    { schema: { tags: ['stories'], summary: 'A story', params: IdParams, response: { 200: refTo(StoryModel), ...errors(400, 404) } } },
    async (request) => storyView(await stories.get(request.params.id)),
  );
}
