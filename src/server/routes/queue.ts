// The moderator's work: the queues and their counts (also as a live event stream), decisions on comments one
// by one or in bulk, the dashboard's figures and the audit log that records every decision.
import { Type } from 'typebox';
import type { App, AppContext } from '../context.js';
import { requireRole, requireStaff } from '../auth.js';
import { Cursor, Id, IdParams, ReasonText, Scores, Span, errors, nullableString, ref } from '../schemas.js';
import { LABELS } from '../../moderation/labels.js';
import type { CommentRow } from '../../storage/schema.js';
import { LiveCounts } from '../live-counts.js';
import type { ActionResult } from '../../contracts/api.js';

const LabelName = Type.Union(LABELS.map((l) => Type.Literal(l)));

const AuditEntry = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    siteId: nullableString,
    actor: { type: 'object', properties: { id: { type: 'string' }, username: nullableString } },
    action: { type: 'string', description: 'comment.approve, comment.approve_and_feature, comment.reject, comment.feature, comment.unfeature, user.ban, user.suspend, user.unban, user.role, site.policy' },
    target: {
      type: 'object',
      properties: {
        type: { type: 'string', enum: ['comment', 'user', 'site'] },
        id: { type: 'string' },
        storyId: { type: 'string', description: 'For a comment: its story' },
        excerpt: { type: 'string', description: 'For a comment: its first 140 characters when the action was taken' },
      },
    },
    reason: nullableString,
    before: { description: 'The state before the action' },
    after: { description: 'The state after the action' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;
const QueueItem = {
  type: 'object',
  properties: {
    comment: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        storyId: { type: 'string' },
        parentId: nullableString,
        text: { type: 'string', description: 'The text as written; spans are UTF-16 offsets into it' },
        bodyHtml: { type: 'string' },
        status: { type: 'string', enum: ['published', 'pending', 'rejected'] },
        createdAt: { type: 'string', format: 'date-time' },
        editedAt: nullableString,
        featured: { type: 'boolean' },
        openReports: { type: 'integer' },
        reasons: { type: 'array', items: ref('Reason') },
        scores: Scores,
        spans: { type: 'array', items: Span },
        flaggedLabels: { type: 'array', items: { type: 'string' } },
        moderation: { type: 'object', properties: { by: nullableString, at: nullableString, reason: nullableString } },
      },
    },
    story: { type: 'object', properties: { id: { type: 'string' }, title: { type: 'string' } } },
    parent: {
      anyOf: [{ type: 'object', properties: { id: { type: 'string' }, author: nullableString, bodyHtml: { type: 'string' } } }, { type: 'null' }],
    },
    author: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        username: { type: 'string' },
        createdAt: { type: 'string', format: 'date-time' },
        status: { type: 'string', enum: ['active', 'banned', 'suspended'] },
        suspendedUntil: nullableString,
        published: { type: 'integer' },
        pending: { type: 'integer' },
        rejected: { type: 'integer' },
        approvedByModerator: { type: 'integer' },
      },
    },
    reports: {
      type: 'array',
      items: { type: 'object', properties: { reason: { type: 'string' }, note: nullableString, createdAt: { type: 'string' } } },
    },
  },
} as const;
const ActionResponse = {
  type: 'object',
  properties: { id: { type: 'string' }, status: { type: 'string', enum: ['published', 'pending', 'rejected'] }, featured: { type: 'boolean' }, moderationReason: { type: ['string', 'null'] } },
} as const;

export async function queueRoutes(app: App, { moderation, config }: AppContext) {
  const tags = ['moderation'];
  const liveCounts = new LiveCounts(config.eventPollMs, (error) => app.log.warn({ err: error }, 'queue counts for live updates failed'));
  app.addHook('onClose', async () => liveCounts.close());

  app.get(
    '/api/moderation/queue',
    {
      schema: {
        tags,
        summary: 'A queue of comments for moderators, with context, author history, scores and spans',
        querystring: Type.Object({
          queue: Type.Optional(Type.Union(['pending', 'reported', 'rejected', 'approved', 'all'].map((q) => Type.Literal(q)), { default: 'pending' })),
          siteId: Type.Optional(Id),
          storyId: Type.Optional(Id),
          label: Type.Optional(LabelName),
          sort: Type.Optional(Type.Union([Type.Literal('newest'), Type.Literal('oldest'), Type.Literal('score')], { default: 'newest' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
          cursor: Type.Optional(Cursor),
        }),
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: QueueItem }, nextCursor: { type: ['string', 'null'] } } },
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const q = request.query;
      return moderation.queue(requireStaff(request), {
        queue: (q.queue ?? 'pending') as 'pending',
        siteId: q.siteId ?? null,
        storyId: q.storyId ?? null,
        label: q.label ?? null,
        sort: q.sort ?? 'newest',
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
        querystring: Type.Object({ siteId: Type.Optional(Id) }),
        response: { 200: { type: 'object', properties: { pending: { type: 'integer' }, reported: { type: 'integer' } } }, ...errors(401, 403) },
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
        querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, default: 30 })) }),
        response: {
          200: {
            type: 'object',
            properties: {
              siteId: nullableString,
              days: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    date: { type: 'string' },
                    total: { type: 'integer' },
                    published: { type: 'integer' },
                    pending: { type: 'integer' },
                    rejected: { type: 'integer' },
                  },
                },
              },
              holdRate: { type: 'number' },
              rejectRate: { type: 'number' },
              labels: { type: 'object', additionalProperties: { type: 'integer' } },
            },
          },
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
        summary: 'Server-sent events: "counts" with {pending, reported} on connect and whenever they change',
        querystring: Type.Object({ siteId: Type.Optional(Id) }),
      },
    },
    async (request, reply) => {
      const staff = requireStaff(request);
      const siteId = request.query.siteId ?? null;
      // Checked before the stream opens, so that a wrong site is a plain 403.
      await moderation.counts(staff, siteId);
      const headers = {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      };
      // HEAD gets the stream's headers and nothing else: no subscription, no timer, no open socket.
      if (request.method === 'HEAD') return reply.headers(headers).send();
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, headers);
      // Consoles that see the same sites share one feed.
      const scope = `${staff.site_id ?? '*'}:${siteId ?? '*'}`;
      const unsubscribe = liveCounts.subscribe(
        scope,
        () => moderation.counts(staff, siteId),
        (counts) => out.write(`event: counts\ndata: ${JSON.stringify(counts)}\n\n`),
      );
      const heartbeat = setInterval(() => out.write(': keep-alive\n\n'), 15_000);
      request.raw.on('close', () => {
        unsubscribe();
        clearInterval(heartbeat);
      });
    },
  );

  const commentAction = (comment: Pick<CommentRow, 'id' | 'status' | 'featured_at' | 'moderation_reason'>): ActionResult => ({
    id: comment.id,
    status: comment.status,
    featured: comment.featured_at !== null,
    moderationReason: comment.moderation_reason,
  });

  app.post(
    '/api/moderation/comments/:id/approve',
    {
      schema: {
        tags,
        summary: 'Publish a comment (clears its open reports); {featured: true} also features it',
        params: IdParams,
        body: Type.Optional(Type.Object({ reason: Type.Optional(ReasonText), featured: Type.Optional(Type.Boolean()) }, { additionalProperties: false })),
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
        body: Type.Object({ reason: ReasonText }, { additionalProperties: false }),
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
        body: Type.Optional(Type.Object({ featured: Type.Optional(Type.Boolean()) }, { additionalProperties: false })),
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
        body: Type.Object(
          {
            action: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
            ids: Type.Array(Id, { minItems: 1, maxItems: 200 }),
            reason: Type.Optional(ReasonText),
          },
          { additionalProperties: false },
        ),
        response: {
          200: { type: 'object', properties: { results: { type: 'array', items: { type: 'object', additionalProperties: true } } } },
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
        summary: 'The audit log, newest first (admins)',
        querystring: Type.Object({ cursor: Type.Optional(Cursor), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }),
        response: {
          200: { type: 'object', properties: { entries: { type: 'array', items: AuditEntry }, nextCursor: nullableString } },
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => moderation.audit(requireRole(request, 'admin'), request.query.cursor ?? null, request.query.limit ?? 50),
  );
}
