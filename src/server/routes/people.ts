// People: bans, suspensions and roles. Bans and suspensions hold on every site; roles are for admins.
import type { App, AppContext } from '../context.js';
import { requireRole, requireStaff } from '../auth.js';
import {
  BanBody,
  IdParams,
  NoteBody,
  PeopleList,
  PeopleQuery,
  Person,
  PersonNote,
  PersonSummary,
  RoleBody,
  RoleResult,
  SuspendBody,
  TrustBody,
  UnbanBody,
  UserActionResult as UserAction,
  errors,
} from '../../contracts/schemas.js';
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

/** The people screen: finding a person, their history and standing, moderators' notes and trust by hand. */
export async function personRoutes(app: App, { people }: AppContext) {
  const tags = ['people'];
  app.get(
    '/api/people',
    {
      schema: {
        tags,
        summary: 'Find people by part of their username or e-mail (staff)',
        querystring: PeopleQuery,
        response: { 200: PeopleList, ...errors(400, 401, 403) },
      },
    },
    async (request) => ({ people: await people.search(requireStaff(request), request.query.q ?? '', request.query.limit ?? 25) }),
  );

  app.get(
    '/api/people/:id',
    {
      schema: {
        tags,
        summary: "A person: standing, sanctions, comments and reports against them on the staff member's sites, moderators' notes (staff)",
        params: IdParams,
        response: { 200: Person, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => people.get(requireStaff(request), request.params.id),
  );

  app.post(
    '/api/people/:id/notes',
    {
      schema: {
        tags,
        summary: 'Add a note on a person, visible to moderators (staff; audited)',
        params: IdParams,
        body: NoteBody,
        response: { 201: PersonNote, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.status(201).send(await people.addNote(requireStaff(request), request.params.id, request.body.body)),
  );

  app.put(
    '/api/people/:id/trust',
    {
      schema: {
        tags,
        summary: 'Trust a person by hand (they skip pre-moderation, never the classifier), or take it back (staff; audited)',
        params: IdParams,
        body: TrustBody,
        response: { 200: PersonSummary, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => people.setTrusted(requireStaff(request), request.params.id, request.body.trusted),
  );
}
