// Who is asking: a session cookie (browsers) or a bearer API token (scripts). Cookie-authenticated
// writes must also carry the session's CSRF token, in the X-CSRF-Token header or a form's _csrf field.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database, Role, UserRow } from '../storage/schema.js';
import { findSession, findUserByApiToken } from '../storage/sessions.js';
import { ParleyError, forbidden } from '../core/errors.js';

export const SESSION_COOKIE = 'parley_session';

export interface Viewer {
  user: UserRow;
  via: 'session' | 'token';
  /** The session's CSRF token; null for bearer tokens, which need none. */
  csrfToken: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | null;
  }
  interface FastifyContextConfig {
    /** Writes that do not act for a signed-in reader (log-in, sign-up) skip the CSRF check. */
    skipCsrf?: boolean;
    /** Routes that read the Authorization header themselves (the metrics token), not as an API token. */
    ownAuthorization?: boolean;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function installAuth(app: FastifyInstance, db: Kysely<Database>): void {
  app.decorateRequest('viewer', null);

  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.ownAuthorization) return;
    const header = request.headers.authorization;
    if (header) {
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      const user = token ? await findUserByApiToken(db, token) : undefined;
      if (!user) throw new ParleyError(401, 'invalid_token', 'The API token is not valid.');
      request.viewer = { user, via: 'token', csrfToken: null };
      return;
    }
    const secret = request.cookies[SESSION_COOKIE];
    if (!secret) return;
    const session = await findSession(db, secret);
    if (!session) return;
    const { csrf_token, ...user } = session;
    request.viewer = { user, via: 'session', csrfToken: csrf_token };
  });

  app.addHook('preHandler', async (request) => {
    if (!UNSAFE.has(request.method) || request.viewer?.via !== 'session' || request.routeOptions.config.skipCsrf) return;
    const sent = request.headers['x-csrf-token'] ?? (request.body as { _csrf?: unknown } | undefined)?._csrf;
    if (typeof sent !== 'string' || !sameSecret(sent, request.viewer.csrfToken!)) {
      throw new ParleyError(403, 'csrf_failed', 'The request is missing its CSRF token; reload the page and try again.');
    }
  });
}

export function requireUser(request: FastifyRequest): UserRow {
  if (!request.viewer) throw new ParleyError(401, 'unauthenticated', 'Log in first.');
  return request.viewer.user;
}

export function requireRole(request: FastifyRequest, ...roles: Role[]): UserRow {
  const user = requireUser(request);
  if (!roles.includes(user.role)) throw forbidden(`This needs the ${roles.join(' or ')} role.`);
  return user;
}

/** Moderators and admins: the console's users. */
export const requireStaff = (request: FastifyRequest): UserRow => requireRole(request, 'moderator', 'admin');

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, secret: string, expiresAt: number): void {
  reply.setCookie(SESSION_COOKIE, secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
