// Several moderators on one desk: soft claims on queue items, undoing an action, saved queue filters and each
// moderator's week. The claims also reach consoles live, on /api/moderation/events (queue.ts).
import { Type } from 'typebox';
import type { App, AppContext } from '../context.js';
import { requireRole, requireStaff } from '../auth.js';
import {
  Claim,
  ClaimList,
  ClaimReleased,
  IdParams,
  ModeratorSummary,
  SavedFilter,
  SavedFilterBody,
  SavedFilterList,
  SiteQuery,
  SummaryQuery,
  UndoResult,
  errors,
} from '../../contracts/schemas.js';
import { actionView, sanctionView } from '../../core/moderation.js';

export async function deskRoutes(app: App, { moderation, desk }: AppContext) {
  const tags = ['moderation'];

  app.put(
    '/api/moderation/comments/:id/claim',
    {
      schema: {
        tags,
        summary: "Claim a queue item while reviewing it (90 s, renewed by claiming again); answers the claim in force, another moderator's if they hold it",
        params: IdParams,
        response: { 200: Claim, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => desk.claim(requireStaff(request), request.params.id),
  );

  app.delete(
    '/api/moderation/comments/:id/claim',
    {
      schema: { tags, summary: 'End your claim on a queue item', params: IdParams, response: { 200: ClaimReleased, ...errors(400, 401, 403, 404) } },
    },
    async (request) => desk.release(requireStaff(request), request.params.id),
  );

  app.get(
    '/api/moderation/claims',
    {
      schema: { tags, summary: 'The claims in force: who reviews which queue item', querystring: SiteQuery, response: { 200: ClaimList, ...errors(400, 401, 403) } },
    },
    async (request) => desk.claims(requireStaff(request), request.query.siteId ?? null),
  );

  app.post(
    '/api/moderation/actions/:id/undo',
    {
      schema: {
        tags,
        summary: 'Undo your own action (the undo.actionId of its answer) within 30 s (PARLEY_UNDO_WINDOW_SECONDS): 409 after that, or when something else was done since',
        params: IdParams,
        response: { 200: UndoResult, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const staff = requireStaff(request);
      const undone = await moderation.undo(staff, request.params.id);
      if ('user' in undone) return { undid: undone.undid, user: sanctionView(undone.user) };
      return { undid: undone.undid, comment: actionView(undone.comment) };
    },
  );

  app.get(
    '/api/moderation/filters',
    {
      schema: { tags, summary: 'Your saved queue filters for a site (none given: the every-site view)', querystring: SiteQuery, response: { 200: SavedFilterList, ...errors(400, 401, 403, 404) } },
    },
    async (request) => desk.filters(requireStaff(request), request.query.siteId ?? null),
  );

  app.post(
    '/api/moderation/filters',
    {
      schema: {
        tags,
        summary: 'Save a queue filter by name (a name already used is replaced)',
        body: SavedFilterBody,
        response: { 200: SavedFilter, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => desk.saveFilter(requireStaff(request), request.body.siteId ?? null, request.body.name, request.body.filter),
  );

  app.delete(
    '/api/moderation/filters/:id',
    { schema: { tags, summary: 'Delete one of your saved filters', params: IdParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404) } } },
    async (request, reply) => {
      await desk.deleteFilter(requireStaff(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/moderation/summary',
    {
      schema: {
        tags,
        summary: "Each moderator's actions over the last days (7 by default), by kind, with the median wait for their decisions (admins)",
        querystring: SummaryQuery,
        response: { 200: ModeratorSummary, ...errors(400, 401, 403) },
      },
    },
    async (request) => desk.summary(requireRole(request, 'admin'), request.query.days ?? 7),
  );
}
