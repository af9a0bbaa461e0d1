// Bans by e-mail domain and by network address (docs/identity.md): staff of every site list, set and lift them.
import type { App, AppContext } from '../context.js';
import { requireStaff } from '../auth.js';
import { IdParams, IdentityBan, IdentityBanBody, IdentityBanList, LiftBanBody, errors } from '../../contracts/schemas.js';

export async function banRoutes(app: App, { banEvasion }: AppContext) {
  const tags = ['moderation'];
  app.get(
    '/api/moderation/bans',
    {
      schema: {
        tags,
        summary: 'Bans by e-mail domain and by network address in force (staff of every site)',
        response: { 200: IdentityBanList, ...errors(401, 403) },
      },
    },
    async (request) => ({ bans: await banEvasion.list(requireStaff(request)) }),
  );

  app.post(
    '/api/moderation/bans',
    {
      schema: {
        tags,
        summary: "Ban an e-mail domain, or a person's network addresses (kept as keyed hashes), until a time (staff of every site; audited)",
        body: IdentityBanBody,
        response: { 201: IdentityBanList, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => reply.status(201).send({ bans: await banEvasion.ban(requireStaff(request), request.body) }),
  );

  app.post(
    '/api/moderation/bans/:id/lift',
    {
      schema: {
        tags,
        summary: 'Lift a ban by domain or address before it expires (staff of every site; audited)',
        params: IdParams,
        body: LiftBanBody,
        response: { 200: IdentityBan, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => banEvasion.lift(requireStaff(request), request.params.id, request.body?.reason ?? null),
  );
}
