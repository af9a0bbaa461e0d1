// The moderator's work: the queues and their counts (also as a live event stream), decisions on comments one
// by one or in bulk, the dashboard's figures and the audit log that records every decision.
import { Type } from 'typebox';
import type { App, AppContext } from '../context.js';
import { requireRole, requireStaff } from '../auth.js';
import {
  ActionResult as ActionResponse,
  ApproveBody,
  AuditPage,
  AuditQuery,
  BulkBody,
  BulkResult,
  Counts,
  FeatureBody,
  IdParams,
  QueuePage,
  QueueQuery,
  RejectBody,
  SiteQuery,
  Stats,
  StatsQuery,
  errors,
} from '../../contracts/schemas.js';
import { LiveCounts } from '../live-counts.js';
import type { ClaimList } from '../../contracts/api.js';
import { actionView as commentAction } from '../../core/moderation.js';

export async function queueRoutes(app: App, { moderation, desk, config, streams }: AppContext) {
  const tags = ['moderation'];
  const liveCounts = new LiveCounts(config.eventPollMs, (error) => app.log.warn({ err: error }, 'queue counts for live updates failed'));
  const liveClaims = new LiveCounts<ClaimList>(config.eventPollMs, (error) => app.log.warn({ err: error }, 'claims for live updates failed'));
  app.addHook('onClose', async () => {
    liveCounts.close();
    liveClaims.close();
  });

  app.get(
    '/api/moderation/queue',
    {
      schema: {
        tags,
        summary: 'A queue of comments for moderators, with context, author history, scores and spans',
        querystring: QueueQuery,
        response: {
          200: QueuePage,
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const queue = (q.queue ?? 'pending') as 'pending';
      return moderation.queue(requireStaff(request), {
        queue,
        siteId: q.siteId ?? null,
        storyId: q.storyId ?? null,
        label: q.label ?? null,
        // Where comments wait for a person, the worst first; the history queues newest first.
        sort: q.sort ?? (queue === 'pending' || queue === 'reported' ? 'severity' : 'newest'),
        limit: q.limit ?? 25,
        cursor: q.cursor ?? null,
      });
    },
  );

  app.get(
    '/api/moderation/counts',
    {
      schema: {
        tags,
        summary: 'How many comments wait in the pending and reported queues',
        querystring: SiteQuery,
        response: { 200: Counts, ...errors(401, 403) },
      },
    },
    async (request) => moderation.counts(requireStaff(request), request.query.siteId ?? null),
  );

  app.get(
    '/api/moderation/stats',
    {
      schema: {
        tags,
        summary: "Dashboard figures: comments a day by the moderation step's decision, hold and reject rates, flags per label",
        querystring: StatsQuery,
        response: {
          200: Stats,
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => moderation.stats(requireStaff(request), request.query.days ?? 30),
  );

  app.get(
    '/api/moderation/events',
    {
      config: { rateLimit: false },
      schema: {
        tags,
        summary:
          'Server-sent events: "counts" with {pending, reported}, and "claims" with {claims} (who reviews which item), on connect and whenever they change',
        querystring: SiteQuery,
        response: { 200: Type.Unknown({ description: 'A text/event-stream of "counts" events' }), ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const staff = requireStaff(request);
      const siteId = request.query.siteId ?? null;
      // Checked before the stream opens, so that a wrong site is a plain 403.
      await moderation.counts(staff, siteId);
      // HEAD gets the stream's headers and nothing else: no subscription, no timer, no open socket.
      if (request.method === 'HEAD') return streams.head(reply);
      const stream = streams.start(request, reply, 'moderation', 2000);
      // Consoles that see the same sites share one feed.
      const scope = `${staff.site_id ?? '*'}:${siteId ?? '*'}`;
      stream.onClose(
        liveCounts.subscribe(
          scope,
          () => moderation.counts(staff, siteId),
          (counts) => stream.write(`event: counts\ndata: ${JSON.stringify(counts)}\n\n`),
        ),
      );
      stream.onClose(
        liveClaims.subscribe(
          scope,
          () => desk.claims(staff, siteId),
          (claims) => stream.write(`event: claims\ndata: ${JSON.stringify(claims)}\n\n`),
        ),
      );
    },
  );

  app.post(
    '/api/moderation/comments/:id/approve',
    {
      schema: {
        tags,
        summary: 'Publish a comment (clears its open reports); {featured: true} also features it',
        params: IdParams,
        body: ApproveBody,
        response: { 200: ActionResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      commentAction(await moderation.approve(requireStaff(request), request.params.id, request.body?.reason ?? null, request.body?.featured ?? false)),
  );

  app.post(
    '/api/moderation/comments/:id/reject',
    {
      schema: {
        tags,
        summary: 'Reject a comment, with a reason its author sees',
        params: IdParams,
        body: RejectBody,
        response: { 200: ActionResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => commentAction(await moderation.reject(requireStaff(request), request.params.id, request.body.reason)),
  );

  app.post(
    '/api/moderation/comments/:id/feature',
    {
      schema: {
        tags,
        summary: 'Feature a published comment ({featured: false} takes it back)',
        params: IdParams,
        body: FeatureBody,
        response: { 200: ActionResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => commentAction(await moderation.feature(requireStaff(request), request.params.id, request.body?.featured ?? true)),
  );

  app.post(
    '/api/moderation/comments/bulk',
    {
      schema: {
        tags,
        summary: 'Approve or reject many comments; each succeeds or fails on its own',
        body: BulkBody,
        response: {
          200: BulkResult,
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => ({
      results: await moderation.bulk(requireStaff(request), request.body.action, request.body.ids, request.body.reason ?? null),
    }),
  );

  app.get(
    '/api/moderation/audit',
    {
      schema: {
        tags,
        summary: "The audit log, newest first (admins); actorId: one moderator's actions",
        querystring: AuditQuery,
        response: {
          200: AuditPage,
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) =>
      moderation.audit(requireRole(request, 'admin'), request.query.cursor ?? null, request.query.limit ?? 50, request.query.actorId ?? null),
  );
}
