// Mail: confirm an address, reset a forgotten password, and mails about replies on a story (docs/delivery.md).
import { Type } from 'typebox';
import type { App, AppContext } from '../context.js';
import { requireUser } from '../auth.js';
import { Accepted, EmailVerified, IdParams, PasswordResetBody, PasswordResetRequestBody, ReplySubscription, VerifyEmailBody, errors } from '../../contracts/schemas.js';

/** What a reset request answers, whether or not an account has the address. */
export const RESET_REQUESTED = 'If an account has this address, a link to reset its password is on its way.';

export async function mailRoutes(app: App, { mail, config }: AppContext) {
  const tags = ['mail'];
  // Anonymous writes whose proof is the link's token (or that only ask for a mail): no session, no CSRF token.
  const authLimit = { rateLimit: { max: config.rateLimits.authPerMinute, timeWindow: '1 minute' }, skipCsrf: true };

  app.post(
    '/api/me/email/verification',
    {
      config: { rateLimit: { max: config.rateLimits.authPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: "Mail a link to the account's address that confirms it is theirs",
        response: { 202: Accepted, ...errors(401, 403, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      await mail.requestVerification(requireUser(request));
      return reply.status(202).send({ message: 'A link to confirm your address is on its way.' });
    },
  );

  app.post(
    '/api/auth/verify-email',
    { config: authLimit, schema: { tags, summary: 'Confirm an address with the token of the mailed link (works once)', body: VerifyEmailBody, response: { 200: EmailVerified, ...errors(400, 429) } } },
    async (request) => {
      const user = await mail.verify(request.body.token);
      return { email: user.email!, verified: true };
    },
  );

  app.post(
    '/api/auth/password-reset/request',
    {
      config: authLimit,
      schema: {
        tags,
        summary: 'Mail a password reset link to this address, if an account has it (the answer is the same either way)',
        body: PasswordResetRequestBody,
        response: { 202: Accepted, ...errors(400, 409, 429) },
      },
    },
    async (request, reply) => {
      await mail.requestPasswordReset(request.body.email);
      return reply.status(202).send({ message: RESET_REQUESTED });
    },
  );

  app.post(
    '/api/auth/password-reset',
    {
      config: authLimit,
      schema: {
        tags,
        summary: "Set a new password with the token of the mailed link (works once, within an hour); ends the account's sessions",
        body: PasswordResetBody,
        response: { 204: Type.Null(), ...errors(400, 429) },
      },
    },
    async (request, reply) => {
      await mail.resetPassword(request.body.token, request.body.password);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/stories/:id/subscription',
    {
      schema: {
        tags,
        summary: 'Mail me when someone replies to my comments on this story (needs a confirmed address)',
        params: IdParams,
        response: { 200: ReplySubscription, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await mail.subscribe(requireUser(request), request.params.id);
      return { storyId: request.params.id, subscribed: true };
    },
  );

  app.delete(
    '/api/stories/:id/subscription',
    { schema: { tags, summary: 'Stop mails about replies on this story', params: IdParams, response: { 200: ReplySubscription, ...errors(400, 401, 403, 404) } } },
    async (request) => {
      await mail.unsubscribe(requireUser(request), request.params.id);
      return { storyId: request.params.id, subscribed: false };
    },
  );
}
