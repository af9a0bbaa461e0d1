import { Type } from 'typebox';
import type { App, AppContext } from '../context.js';
import { requireUser } from '../auth.js';
import { markPrivate } from '../page-cache.js';
import { StaleSession } from '../../core/comments.js';
import type { UserRow } from '../../storage/schema.js';
import {
  CheckBody,
  CheckResult,
  CommentModel,
  EditCommentBody,
  IdParams,
  PostCommentBody,
  PostResult,
  RepliesPage,
  RepliesQuery,
  ReportBody,
  ReportResult,
  ThreadPage,
  ThreadQuery,
  VoteBody,
  VoteResult,
  errors,
  refTo,
} from '../../contracts/schemas.js';

export async function commentRoutes(app: App, { comments, moderation, config, pageCache, banEvasion }: AppContext) {
  const writeLimit = { rateLimit: { max: config.rateLimits.writesPerMinute, timeWindow: '1 minute' } };

  app.get(
    '/api/stories/:id/comments',
    {
      // An anonymous reader's page in memory is sent from here, before the query is validated.
      preParsing: pageCache.serveFromMemory,
      schema: {
        tags: ['comments'],
        summary: 'A page of top-level comments, each with its first replies nested',
        params: IdParams,
        querystring: ThreadQuery,
        response: {
          200: ThreadPage,
          ...errors(400, 404),
        },
      },
    },
    async (request, reply) => {
      const { sort = 'oldest', limit = 20, cursor } = request.query;
      const storyId = request.params.id;
      const options = { sort, limit, cursor: cursor ?? null };
      const viewer = request.viewer?.user ?? null;
      // Anonymous readers share one page, kept in memory until the thread changes.
      const shared = () =>
        pageCache.page(storyId, `json ${sort} ${limit} ${cursor ?? ''}`, 'application/json; charset=utf-8', async () => {
          const thread = await comments.thread(storyId, null, options);
          return { model: thread, body: reply.serialize(thread) };
        });
      if (!viewer) return pageCache.send(request, reply, await shared());
      // A signed-in reader gets the shared page with their votes laid over it, or a page of their own.
      markPrivate(reply);
      // A story hidden from readers has no shared page; its staff get a page of their own.
      const model = pageCache.enabled ? await shared().then((page) => page.model, () => null) : null;
      const personal = model ? await comments.personalize(storyId, model, viewer) : null;
      return personal ?? comments.thread(storyId, viewer, options);
    },
  );

  app.get(
    '/api/comments/:id',
    { schema: { tags: ['comments'], summary: 'One comment', params: IdParams, response: { 200: refTo(CommentModel), ...errors(400, 404) } } },
    async (request) => comments.one(request.params.id, request.viewer?.user ?? null),
  );

  app.get(
    '/api/comments/:id/replies',
    {
      schema: {
        tags: ['comments'],
        summary: 'More replies under a top-level comment, oldest first, flat (each names its parentId)',
        params: IdParams,
        querystring: RepliesQuery,
        response: {
          200: RepliesPage,
          ...errors(400, 404),
        },
      },
    },
    async (request) => {
      const viewer = request.viewer?.user ?? null;
      await comments.one(request.params.id, viewer);
      return comments.moreReplies(request.params.id, viewer, request.query.cursor ?? null, request.query.limit ?? 50);
    },
  );

  app.post(
    '/api/stories/:id/comments',
    {
      config: { ...writeLimit, rechecksSession: true },
      schema: {
        tags: ['comments'],
        summary: 'Post a comment or a reply; the moderation step decides whether it is published',
        params: IdParams,
        body: PostCommentBody,
        response: { 201: PostResult, ...errors(400, 401, 403, 404, 409, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      const post = (user: UserRow, remembered?: string) =>
        banEvasion.screened(user, request.ip, (screen) =>
          comments.post(user, request.params.id, request.body.body, request.body.parentId ?? null, undefined, undefined, screen, remembered),
        );
      const user = requireUser(request);
      // A session taken from memory is read again by the post itself; if it has changed, nothing was written.
      const { comment, decision, view } = await post(user, request.viewer?.remembered).catch(async (error: unknown) => {
        if (!(error instanceof StaleSession)) throw error;
        return post(await app.reloadViewer(request));
      });
      return reply
        .status(201)
        .header('location', `/api/comments/${comment.id}`)
        .send({ id: comment.id, status: decision.status, reasons: decision.reasons, comment: view });
    },
  );

  app.patch(
    '/api/comments/:id',
    {
      config: writeLimit,
      schema: {
        tags: ['comments'],
        summary: 'Edit your own comment within the edit window; it is moderated again',
        params: IdParams,
        body: EditCommentBody,
        response: { 200: PostResult, ...errors(400, 401, 403, 404, 409, 413, 429) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { comment, decision, view } = await comments.edit(user, request.params.id, request.body.body);
      return { id: comment.id, status: decision.status, reasons: decision.reasons, comment: view };
    },
  );

  app.delete(
    '/api/comments/:id',
    {
      config: writeLimit,
      schema: { tags: ['comments'], summary: 'Delete your own comment (a placeholder keeps its replies in place)', params: IdParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) } },
    },
    async (request, reply) => {
      await comments.remove(requireUser(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/comments/:id/vote',
    {
      config: writeLimit,
      schema: {
        tags: ['comments'],
        summary: 'Vote a comment up (1) or down (-1), or take the vote back (0)',
        params: IdParams,
        body: VoteBody,
        response: {
          200: VoteResult,
          ...errors(400, 401, 403, 404, 409, 429),
        },
      },
    },
    async (request) => comments.vote(requireUser(request), request.params.id, request.body.value),
  );

  // A reader's part in moderation: reporting a comment, and the dry run behind the nudge.
  const tags = ['moderation'];

  app.post(
    '/api/comments/:id/reports',
    {
      schema: {
        tags,
        summary: 'Report a published comment to the moderators (once per reader)',
        params: IdParams,
        body: ReportBody,
        response: { 201: ReportResult, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await moderation.report(requireUser(request), request.params.id, request.body.reason, request.body.note ?? null);
      return reply.status(201).send({ reported: true });
    },
  );

  app.post(
    '/api/moderation/check',
    {
      schema: {
        tags,
        summary: 'Dry run: what the policy would decide about a draft (the nudge before posting); nothing is stored',
        body: CheckBody,
        response: {
          200: CheckResult,
          ...errors(400, 401, 404),
        },
      },
    },
    async (request) => {
      requireUser(request);
      const decision = await moderation.check(request.body.text, request.body.storyId ?? null);
      return { decision: decision.status, scores: decision.scores, spans: decision.spans, reasons: decision.reasons };
    },
  );
}
