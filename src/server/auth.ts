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
  /**
   * On a route that reads the session again itself (`rechecksSession`): the session's cookie secret when `user` is
   * the account as this process read it a while ago rather than now. The route must not act on it before reading the
   * session again (`CommentService.post` does, in the post's one read; `reloadViewer` after a StaleSession).
   */
  remembered?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | null;
  }
  interface FastifyInstance {
    /**
     * After a StaleSession: forgets the remembered session, reads it again and makes it the request's viewer;
     * 401 when it has ended.
     */
    reloadViewer(request: FastifyRequest): Promise<UserRow>;
  }
  interface FastifyContextConfig {
    /** Writes that do not act for a signed-in reader (log-in, sign-up) skip the CSRF check. */
    skipCsrf?: boolean;
    /** Routes that read the Authorization header themselves (the metrics token), not as an API token. */
    ownAuthorization?: boolean;
    /**
     * Routes that read the session again with their own first read (posting a comment): a session this process read
     * lately is taken from memory (`Viewer.remembered`), saving the request a round trip to the database.
     */
    rechecksSession?: boolean;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** How long a remembered session is used before it is read again first; every use is checked by the route anyway. */
const REMEMBER_MS = 5 * 60_000;
/** Bound on the sessions a process remembers. */
const REMEMBERED_KEPT = 10_000;

export function installAuth(app: FastifyInstance, db: Kysely<Database>): void {
  app.decorateRequest('viewer', null);
  const remembered = new Map<string, { viewer: Viewer; at: number }>();

  /** Who sends this request's credentials (a bearer token or a session cookie), read from the database. */
  const identify = async (request: FastifyRequest, header: string | undefined, secret: string | undefined): Promise<void> => {
    if (header) {
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      const user = token ? await findUserByApiToken(db, token) : undefined;
      if (!user) throw new ParleyError(401, 'invalid_token', 'The API token is not valid.');
      request.viewer = { user, via: 'token', csrfToken: null };
      return;
    }
    if (!secret) return;
    const rechecks = request.routeOptions.config?.rechecksSession === true;
    const now = Date.now();
    const kept = rechecks ? remembered.get(secret) : undefined;
    if (kept && now - kept.at < REMEMBER_MS) {
      request.viewer = { ...kept.viewer, remembered: secret };
      return;
    }
    const session = await findSession(db, secret);
    if (!session) return;
    const { csrf_token, ...user } = session;
    request.viewer = { user, via: 'session', csrfToken: csrf_token };
    if (rechecks) {
      if (remembered.size >= REMEMBERED_KEPT) remembered.clear();
      remembered.set(secret, { viewer: request.viewer, at: now });
    }
  };
  // A callback hook, not an async one: a request without credentials (most reads) costs no promise.
  app.addHook('onRequest', (request, _reply, done) => {
    const header = request.headers.authorization;
    const secret = request.cookies[SESSION_COOKIE];
    if (request.routeOptions.config?.ownAuthorization || (!header && !secret)) return done();
    identify(request, header, secret).then(() => done(), done);
  });
  app.decorate('reloadViewer', async (request: FastifyRequest): Promise<UserRow> => {
    const secret = request.viewer?.remembered;
    if (secret) remembered.delete(secret);
    const session = secret ? await findSession(db, secret) : undefined;
    if (!session) throw new ParleyError(401, 'unauthenticated', 'Log in first.');
    const { csrf_token, ...user } = session;
    // The CSRF token checked was this session's: a session keeps its token for its whole life.
    request.viewer = { user, via: 'session', csrfToken: csrf_token };
    return user;
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
