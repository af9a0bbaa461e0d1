import { Type } from 'typebox';
import type { App, AppContext } from '../context.js';
import { userView } from '../../core/accounts.js';
import { deleteSession, deleteShortLivedToken } from '../../storage/sessions.js';
import { SESSION_COOKIE, clearSessionCookie, requireUser, setSessionCookie } from '../auth.js';
import { LoginBody, SessionResponse, SignupBody, errors } from '../../contracts/schemas.js';

export async function authRoutes(app: App, { storage, accounts, config, banEvasion }: AppContext) {
  const authLimit = { rateLimit: { max: config.rateLimits.authPerMinute, timeWindow: '1 minute' }, skipCsrf: true };

  app.post(
    '/api/auth/signup',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'Create a commenter account and log in',
        body: SignupBody,
        response: { 201: SessionResponse, ...errors(400, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      const { username, email, password } = request.body;
      await banEvasion.refuseBannedDomain(email);
      const { user, session } = await accounts.signUp({ username, email, password }, config.core.sessionTtlMs);
      await banEvasion.onSignUp(user, request.ip);
      setSessionCookie(request, reply, session.secret, session.expiresAt);
      return reply.status(201).send({ user: userView(user), csrfToken: session.csrfToken });
    },
  );

  app.post(
    '/api/auth/login',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'Log in; sets the session cookie',
        body: LoginBody,
        response: { 200: SessionResponse, ...errors(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const { user, session } = await accounts.logIn(request.body.username, request.body.password, config.core.sessionTtlMs);
      setSessionCookie(request, reply, session.secret, session.expiresAt);
      return { user: userView(user), csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['accounts'], summary: 'End the current session', response: { 204: Type.Null(), ...errors(401, 403) } } },
    async (request, reply) => {
      requireUser(request);
      // The embed's sign-in token ends here too (tokens that do not expire are left alone).
      const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (bearer) await deleteShortLivedToken(storage.db, bearer);
      const secret = request.cookies[SESSION_COOKIE];
      if (secret) await deleteSession(storage.db, secret);
      clearSessionCookie(reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me',
    { schema: { tags: ['accounts'], summary: 'The signed-in account', response: { 200: SessionResponse, ...errors(401) } } },
    async (request) => {
      const user = requireUser(request);
      return { user: userView(user), csrfToken: request.viewer?.csrfToken ?? undefined };
    },
  );
}
