import { Type } from 'typebox';
import type { App, AppContext } from '../context.js';
import { requireRole, requireUser } from '../auth.js';
import { Id, IdParams, errors, ref } from '../schemas.js';
import { LABELS } from '../../moderation/labels.js';
import type { CommentRow, UserRow } from '../../storage/schema.js';
import { LiveCounts } from '../live-counts.js';
import { userStatus } from '../../core/moderation.js';
import type { ActionResult, UserActionResult } from '../../contracts/api.js';

const Reason = Type.String({ minLength: 1, maxLength: 1000 });
const Cursor = Type.String({ minLength: 1, maxLength: 200 });
const LabelName = Type.Union(LABELS.map((l) => Type.Literal(l)));
const Threshold = Type.Number({ minimum: 0, maximum: 1 });
const WordList = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 2000 });

export const PolicySchema = Type.Object(
  {
    bannedWords: WordList,
    suspectWords: WordList,
    maxLength: Type.Integer({ minimum: 1, maximum: 20_000 }),
    maxLinks: Type.Integer({ minimum: 0, maximum: 100 }),
    thresholds: Type.Object(
      Object.fromEntries(LABELS.map((l) => [l, Type.Optional(Type.Object({ hold: Threshold, reject: Threshold }, { additionalProperties: false }))])),
      { additionalProperties: false },
    ),
    preModeration: Type.Union([Type.Literal('none'), Type.Literal('all'), Type.Literal('new_accounts')]),
    newAccountComments: Type.Integer({ minimum: 0, maximum: 1000 }),
    reportThreshold: Type.Integer({ minimum: 1, maximum: 1000 }),
  },
  { additionalProperties: false },
);

const nullableString = { type: ['string', 'null'] } as const;
const Scores = { anyOf: [{ type: 'object', additionalProperties: { type: 'number' } }, { type: 'null' }] } as const;
const Span = {
  type: 'object',
  properties: { start: { type: 'integer' }, end: { type: 'integer' }, label: { type: 'string' }, weight: { type: 'number' } },
} as const;
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

const staffOnly = (request: Parameters<typeof requireRole>[0]): UserRow => requireRole(request, 'moderator', 'admin');

export async function moderationRoutes(app: App, { moderation, config }: AppContext) {
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
      return moderation.queue(staffOnly(request), {
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
    async (request) => moderation.counts(staffOnly(request), request.query.siteId ?? null),
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
    async (request) => moderation.stats(staffOnly(request), request.query.days ?? 30),
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
      const staff = staffOnly(request);
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
        body: Type.Optional(Type.Object({ reason: Type.Optional(Reason), featured: Type.Optional(Type.Boolean()) }, { additionalProperties: false })),
        response: { 200: ActionResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      commentAction(await moderation.approve(staffOnly(request), request.params.id, request.body?.reason ?? null, request.body?.featured ?? false)),
  );

  app.post(
    '/api/moderation/comments/:id/reject',
    {
      schema: {
        tags,
        summary: 'Reject a comment, with a reason its author sees',
        params: IdParams,
        body: Type.Object({ reason: Reason }, { additionalProperties: false }),
        response: { 200: ActionResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => commentAction(await moderation.reject(staffOnly(request), request.params.id, request.body.reason)),
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
    async (request) => commentAction(await moderation.feature(staffOnly(request), request.params.id, request.body?.featured ?? true)),
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
            reason: Type.Optional(Reason),
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
      results: await moderation.bulk(staffOnly(request), request.body.action, request.body.ids, request.body.reason ?? null),
    }),
  );

  app.post(
    '/api/comments/:id/reports',
    {
      schema: {
        tags,
        summary: 'Report a published comment to the moderators (once per reader)',
        params: IdParams,
        body: Type.Object(
          {
            reason: Type.Union(['abuse', 'threat', 'spam', 'off_topic', 'other'].map((r) => Type.Literal(r))),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: { type: 'object', properties: { reported: { type: 'boolean' } } }, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await moderation.report(requireUser(request), request.params.id, request.body.reason as 'abuse', request.body.note ?? null);
      return reply.status(201).send({ reported: true });
    },
  );

  const UserAction = {
    type: 'object',
    properties: { id: { type: 'string' }, status: { type: 'string' }, suspendedUntil: { type: ['string', 'null'] }, reason: { type: ['string', 'null'] } },
  } as const;
  const userAction = (u: UserRow): UserActionResult => ({
    id: u.id,
    status: userStatus(u),
    suspendedUntil: u.suspended_until === null ? null : new Date(u.suspended_until).toISOString(),
    reason: u.sanction_reason,
  });

  app.post(
    '/api/moderation/users/:id/ban',
    {
      schema: { tags, summary: 'Ban a reader from commenting', params: IdParams, body: Type.Object({ reason: Reason }, { additionalProperties: false }), response: { 200: UserAction, ...errors(400, 401, 403, 404) } },
    },
    async (request) => userAction(await moderation.ban(staffOnly(request), request.params.id, request.body.reason)),
  );

  app.post(
    '/api/moderation/users/:id/suspend',
    {
      schema: {
        tags,
        summary: 'Suspend a reader from commenting until a time',
        params: IdParams,
        body: Type.Object({ until: Type.String({ maxLength: 40, description: 'ISO 8601 date and time' }), reason: Reason }, { additionalProperties: false }),
        response: { 200: UserAction, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request) => userAction(await moderation.suspend(staffOnly(request), request.params.id, request.body.until, request.body.reason)),
  );

  app.post(
    '/api/moderation/users/:id/unban',
    {
      schema: {
        tags,
        summary: 'Lift a ban or suspension',
        params: IdParams,
        body: Type.Optional(Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false })),
        response: { 200: UserAction, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => userAction(await moderation.unban(staffOnly(request), request.params.id, request.body?.reason ?? null)),
  );

  app.put(
    '/api/users/:id/role',
    {
      schema: {
        tags,
        summary: "Change an account's role (admins); staff may be tied to one site",
        params: IdParams,
        body: Type.Object(
          { role: Type.Union([Type.Literal('commenter'), Type.Literal('moderator'), Type.Literal('admin')]), siteId: Type.Optional(Type.Union([Id, Type.Null()])) },
          { additionalProperties: false },
        ),
        response: {
          200: { type: 'object', properties: { id: { type: 'string' }, role: { type: 'string' }, siteId: nullableString } },
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const user = await moderation.setRole(requireRole(request, 'admin'), request.params.id, request.body.role, request.body.siteId ?? null);
      return { id: user.id, role: user.role, siteId: user.site_id };
    },
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

  app.get(
    '/api/sites',
    {
      schema: {
        tags,
        summary: 'The sites this moderator or admin may act on',
        response: {
          200: {
            type: 'object',
            properties: {
              sites: {
                type: 'array',
                items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, reportThreshold: { type: 'integer' } } },
              },
            },
          },
          ...errors(401, 403),
        },
      },
    },
    async (request) => ({ sites: await moderation.sites(staffOnly(request)) }),
  );

  app.get(
    '/api/moderation/classifier',
    {
      schema: {
        tags,
        summary: "The shipped classifier's thresholds per label (used where a site's policy sets none); null without a classifier",
        response: {
          200: {
            type: 'object',
            properties: {
              thresholds: {
                anyOf: [
                  { type: 'object', additionalProperties: { type: 'object', properties: { hold: { type: 'number' }, reject: { type: 'number' } } } },
                  { type: 'null' },
                ],
              },
            },
          },
          ...errors(401, 403),
        },
      },
    },
    async (request) => {
      staffOnly(request);
      return { thresholds: moderation.shippedThresholds() };
    },
  );

  app.get(
    '/api/sites/:id/policy',
    { schema: { tags, summary: "A site's moderation policy", params: IdParams, response: { 200: PolicySchema, ...errors(401, 403, 404) } } },
    async (request) => moderation.getPolicy(staffOnly(request), request.params.id),
  );

  app.put(
    '/api/sites/:id/policy',
    {
      schema: {
        tags,
        summary: "Replace a site's moderation policy (admins); decisions already taken do not change",
        params: IdParams,
        body: PolicySchema,
        response: { 200: PolicySchema, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request) => moderation.putPolicy(requireRole(request, 'admin'), request.params.id, request.body),
  );

  app.post(
    '/api/moderation/check',
    {
      schema: {
        tags,
        summary: 'Dry run: what the policy would decide about a draft (the nudge before posting); nothing is stored',
        body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 20_000 }), storyId: Type.Optional(Id) }, { additionalProperties: false }),
        response: {
          200: {
            type: 'object',
            properties: {
              decision: { type: 'string', enum: ['published', 'pending', 'rejected'] },
              scores: Scores,
              spans: { type: 'array', items: Span },
              reasons: { type: 'array', items: ref('Reason') },
            },
          },
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
