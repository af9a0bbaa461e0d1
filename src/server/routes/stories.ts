import { Type } from 'typebox';
import type { App, AppContext } from '../context.js';
import { storyView } from '../../core/stories.js';
import { requireRole } from '../auth.js';
import { Id, IdParams, errors, ref } from '../schemas.js';

const Text = (max: number) => Type.String({ maxLength: max });

export async function storyRoutes(app: App, { stories }: AppContext) {
  app.post(
    '/api/stories',
    {
      schema: {
        tags: ['stories'],
        summary: 'Publish a story to discuss (admin or moderator)',
        body: Type.Object(
          {
            url: Type.String({ minLength: 1, maxLength: 2000 }),
            title: Type.String({ minLength: 1, maxLength: 300 }),
            byline: Type.Optional(Text(200)),
            source: Type.Optional(Text(200)),
            imageUrl: Type.Optional(Text(2000)),
            imageCaption: Type.Optional(Text(1000)),
            body: Type.Optional(Text(200_000)),
            publishedAt: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 date and time' })),
            siteId: Type.Optional(Id),
          },
          { additionalProperties: false },
        ),
        response: { 201: ref('Story'), ...errors(400, 401, 403, 404, 409) },
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
    { schema: { tags: ['stories'], summary: 'A story', params: IdParams, response: { 200: ref('Story'), ...errors(400, 404) } } },
    async (request) => storyView(await stories.get(request.params.id)),
  );
}
