import type { App, AppContext } from '../context.js';
import { storyView } from '../../core/stories.js';
import { requireRole, requireStaff } from '../auth.js';
import { IdParams, StoryBody, StoryDeleteQuery, StoryDeleted, StoryList, StoryListQuery, StoryModel, StoryPatch, errors, refTo } from '../../contracts/schemas.js';

export async function storyRoutes(app: App, { stories, pageCache }: AppContext) {
  const tags = ['stories'];
  app.post(
    '/api/stories',
    {
      schema: {
        tags,
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
    '/api/stories',
    {
      schema: {
        tags,
        summary: 'The latest stories of the sites a staff member acts on, with their states and comment counts',
        querystring: StoryListQuery,
        response: { 200: StoryList, ...errors(400, 401, 403) },
      },
    },
    async (request) => ({ stories: await stories.listForStaff(requireStaff(request), request.query.siteId ?? null, request.query.limit ?? 50) }),
  );

  app.get(
    '/api/stories/:id',
    {
      schema: { tags, summary: 'A story (a hidden one only for staff of its site)', params: IdParams, response: { 200: refTo(StoryModel), ...errors(400, 404) } },
    },
    async (request) => {
      const story = await stories.get(request.params.id, request.viewer?.user ?? null);
      return storyView(story, story.current);
    },
  );

  app.patch(
    '/api/stories/:id',
    {
      schema: {
        tags,
        summary: "Edit a story and set its comments' state: open, closed (with a message), premoderated or hidden (staff of its site)",
        params: IdParams,
        body: StoryPatch,
        response: { 200: refTo(StoryModel), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const story = await stories.update(requireStaff(request), request.params.id, request.body);
      return storyView(story, story.current);
    },
  );

  app.delete(
    '/api/stories/:id',
    {
      schema: {
        tags,
        summary: 'Delete a story; one with comments only with ?deleteComments=true, which deletes them too (staff of its site; audited)',
        params: IdParams,
        querystring: StoryDeleteQuery,
        response: { 200: StoryDeleted, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const deletedComments = await stories.remove(requireStaff(request), request.params.id, request.query.deleteComments === true);
      // The story's events went with it: this process's pages of it go now, other processes' within the cache's age
      // bound (PARLEY_PAGE_CACHE_MAX_AGE_SECONDS).
      pageCache.invalidate(request.params.id);
      return { id: request.params.id, deletedComments };
    },
  );
}
