// Guests' comments (no account), where a site takes them: a proof-of-work challenge, then the comment.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, AppContext } from '../context.js';
import { newSecret } from '../../storage/ids.js';
import { GuestChallengeResponse, GuestClaimResult, GuestCommentBody, IdParams, PostResult, errors } from '../../contracts/schemas.js';
import { requireUser } from '../auth.js';

/** A browser's own random id, for the rate limit per browser; not a sign-in and not shared with anyone. */
const GUEST_COOKIE = 'parley_guest';

function browserId(request: FastifyRequest, reply?: FastifyReply): string | null {
  const known = request.cookies[GUEST_COOKIE];
  if (known && /^[\w-]{16,64}$/.test(known)) return known;
  if (!reply) return null;
  const fresh = newSecret(18);
  reply.setCookie(GUEST_COOKIE, fresh, { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https', maxAge: 365 * 24 * 3600 });
  return fresh;
}

export async function guestRoutes(app: App, { guests, guestClaims, config }: AppContext) {
  const writeLimit = { rateLimit: { max: config.rateLimits.writesPerMinute, timeWindow: '1 minute' } };

  app.get(
    '/api/stories/:id/guest-challenge',
    {
      schema: {
        tags: ['comments'],
        summary: "A proof-of-work challenge for a guest's comment (where the site takes guests)",
        params: IdParams,
        response: { 200: GuestChallengeResponse, ...errors(400, 403, 404) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      // Bound to the browser only when it already had its id: a frame on another site, whose third-party cookies the
      // browser blocks, never sends the fresh one back, and its challenge must still be answerable.
      const known = browserId(request);
      if (!known) browserId(request, reply);
      return guests.challenge(request.params.id, known);
    },
  );

  app.post(
    '/api/stories/:id/guest-comments',
    {
      config: writeLimit,
      schema: {
        tags: ['comments'],
        summary: "Post a guest's comment: a name, an optional e-mail, and the solved challenge",
        params: IdParams,
        body: GuestCommentBody,
        response: { 201: PostResult, ...errors(400, 403, 404, 409, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      const { name, email, body, parentId, challenge, solution, website } = request.body;
      const { comment, decision, view } = await guests.post({
        storyId: request.params.id,
        name: name.trim(),
        email: email ?? null,
        body,
        parentId: parentId ?? null,
        challenge,
        solution,
        website,
        address: request.ip,
        browserId: browserId(request),
      });
      return reply
        .status(201)
        .header('location', `/api/comments/${comment.id}`)
        .send({ id: comment.id, status: decision.status, reasons: decision.reasons, comment: view });
    },
  );

  app.post(
    '/api/me/claim-guest-comments',
    {
      config: writeLimit,
      schema: {
        tags: ['accounts'],
        summary: 'Take into your account the guest comments posted with your verified e-mail address (audited)',
        response: { 200: GuestClaimResult, ...errors(401, 403, 404, 409, 429) },
      },
    },
    async (request) => guestClaims.claim(requireUser(request)),
  );
}
