// People: bans, suspensions and roles. Bans and suspensions hold on every site; roles are for admins.
import type { App, AppContext } from '../context.js';
import { requireRole, requireStaff } from '../auth.js';
import { BanBody, IdParams, RoleBody, RoleResult, SuspendBody, UnbanBody, UserActionResult as UserAction, errors } from '../../contracts/schemas.js';
import { sanctionView } from '../../core/moderation.js';

export async function peopleRoutes(app: App, { moderation }: AppContext) {
  const tags = ['moderation'];
  app.post(
    '/api/moderation/users/:id/ban',
    {
      schema: { tags, summary: 'Ban a reader from commenting', params: IdParams, body: BanBody, response: { 200: UserAction, ...errors(400, 401, 403, 404) } },
    },
    async (request) => sanctionView(await moderation.ban(requireStaff(request), request.params.id, request.body.reason)),
  );

  app.post(
    '/api/moderation/users/:id/suspend',
    {
      schema: {
        tags,
        summary: 'Suspend a reader from commenting until a time',
        params: IdParams,
        body: SuspendBody,
        response: { 200: UserAction, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request) => sanctionView(await moderation.suspend(requireStaff(request), request.params.id, request.body.until, request.body.reason)),
  );

  app.post(
    '/api/moderation/users/:id/unban',
    {
      schema: {
        tags,
        summary: 'Lift a ban or suspension',
        params: IdParams,
        body: UnbanBody,
        response: { 200: UserAction, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => sanctionView(await moderation.unban(requireStaff(request), request.params.id, request.body?.reason ?? null)),
  );

  app.put(
    '/api/users/:id/role',
    {
      schema: {
        tags,
        summary: "Change an account's role (admins); staff may be tied to one site",
        params: IdParams,
        body: RoleBody,
        response: { 200: RoleResult, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = await moderation.setRole(requireRole(request, 'admin'), request.params.id, request.body.role, request.body.siteId ?? null);
      return { id: user.id, role: user.role, siteId: user.site_id };
    },
  );
}
