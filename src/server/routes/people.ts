// People: bans, suspensions and roles. Bans and suspensions hold on every site; roles are for admins.
import { Type } from 'typebox';
import type { App, AppContext } from '../context.js';
import { requireRole, requireStaff } from '../auth.js';
import { Id, IdParams, ReasonText, errors, nullableString } from '../schemas.js';
import type { UserRow } from '../../storage/schema.js';
import { userStatus } from '../../core/moderation.js';
import type { UserActionResult } from '../../contracts/api.js';

export async function peopleRoutes(app: App, { moderation }: AppContext) {
  const tags = ['moderation'];
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
      schema: { tags, summary: 'Ban a reader from commenting', params: IdParams, body: Type.Object({ reason: ReasonText }, { additionalProperties: false }), response: { 200: UserAction, ...errors(400, 401, 403, 404) } },
    },
    async (request) => userAction(await moderation.ban(requireStaff(request), request.params.id, request.body.reason)),
  );

  app.post(
    '/api/moderation/users/:id/suspend',
    {
      schema: {
        tags,
        summary: 'Suspend a reader from commenting until a time',
        params: IdParams,
        body: Type.Object({ until: Type.String({ maxLength: 40, description: 'ISO 8601 date and time' }), reason: ReasonText }, { additionalProperties: false }),
        response: { 200: UserAction, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request) => userAction(await moderation.suspend(requireStaff(request), request.params.id, request.body.until, request.body.reason)),
  );

  app.post(
    '/api/moderation/users/:id/unban',
    {
      schema: {
        tags,
        summary: 'Lift a ban or suspension',
        params: IdParams,
        body: Type.Optional(Type.Object({ reason: Type.Optional(ReasonText) }, { additionalProperties: false })),
        response: { 200: UserAction, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => userAction(await moderation.unban(requireStaff(request), request.params.id, request.body?.reason ?? null)),
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
}
