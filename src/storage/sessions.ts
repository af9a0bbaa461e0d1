// Who is signed in: browser sessions (cookies) and API tokens (scripts), both stored only as SHA-256 digests.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, UserRow } from './schema.js';
import { newSecret } from './ids.js';
import { executeBuiltOnce } from './db.js';

const digest = (secret: string) => createHash('sha256').update(secret).digest('base64url');

/** The stored id of a session: its cookie secret's digest (for reads that join a session, `findPostingTarget`). */
export const sessionId = digest;

export interface CreatedSession {
  /** The cookie value; only its digest is stored. */
  secret: string;
  csrfToken: string;
  expiresAt: number;
}

/** Opens a session for an account: a new cookie secret and CSRF token, stored only as the secret's digest. */
export async function createSession(db: Kysely<Database>, userId: string, ttlMs: number, now = Date.now()): Promise<CreatedSession> {
  const secret = newSecret();
  const csrfToken = newSecret(24);
  const expiresAt = now + ttlMs;
  await db
    .insertInto('sessions')
    .values({ id: digest(secret), user_id: userId, csrf_token: csrfToken, created_at: now, expires_at: expiresAt })
    .execute();
  return { secret, csrfToken, expiresAt };
}

/** The account and CSRF token of an unexpired session, by its cookie secret. */
export async function findSession(db: Kysely<Database>, secret: string, now = Date.now()): Promise<(UserRow & { csrf_token: string }) | undefined> {
  const id = digest(secret);
  // Built once per process (executeBuiltOnce): every signed-in request reads it.
  const [row] = await executeBuiltOnce(db, 'session', [id, now], () =>
    db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .select(['sessions.csrf_token'])
      .where('sessions.id', '=', id)
      .where('sessions.expires_at', '>', now)
      .compile(),
  );
  return row;
}

/** Ends a session (log-out). */
export async function deleteSession(db: Kysely<Database>, secret: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', digest(secret)).execute();
}

/** Ends every session of an account (its password was reset). */
export async function deleteUserSessions(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Forgets every expired session. */
export async function deleteExpiredSessions(db: Kysely<Database>, now = Date.now()): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

/** Issues an API token for an account; returns the secret, which is stored only as its digest. */
export async function createApiToken(db: Kysely<Database>, userId: string, name: string, now = Date.now()): Promise<string> {
  const secret = `pat_${newSecret()}`;
  await db.insertInto('api_tokens').values({ id: digest(secret), user_id: userId, name, created_at: now }).execute();
  return secret;
}

/** Issues a bearer token that stops working after ttlMs (the embed's sign-in); returns the secret, stored only as its digest. */
export async function createShortLivedToken(db: Kysely<Database>, userId: string, name: string, ttlMs: number, now = Date.now()): Promise<string> {
  const secret = `pst_${newSecret()}`;
  await db.insertInto('api_tokens').values({ id: digest(secret), user_id: userId, name, created_at: now, expires_at: now + ttlMs }).execute();
  return secret;
}

/** Event-stream tickets start so: they open a reader's event stream and are refused as API tokens. */
const STREAM_TICKET_PREFIX = 'pet_';

/**
 * Issues a ticket that opens the account's event stream (`GET /api/events?ticket=`), for browsers whose EventSource
 * cannot send a bearer token; it expires after ttlMs. Expired short-lived tokens and tickets are forgotten meanwhile.
 */
export async function createStreamTicket(db: Kysely<Database>, userId: string, ttlMs: number, now = Date.now()): Promise<string> {
  await db.deleteFrom('api_tokens').where('expires_at', '<=', now).execute();
  const secret = `${STREAM_TICKET_PREFIX}${newSecret()}`;
  await db.insertInto('api_tokens').values({ id: digest(secret), user_id: userId, name: 'event stream ticket', created_at: now, expires_at: now + ttlMs }).execute();
  return secret;
}

/** The account an unexpired event-stream ticket belongs to. */
export async function findUserByStreamTicket(db: Kysely<Database>, ticket: string, now = Date.now()): Promise<UserRow | undefined> {
  return ticket.startsWith(STREAM_TICKET_PREFIX) ? findUnexpiredToken(db, ticket, now) : undefined;
}

/** The account an API token belongs to, unless the token has expired (an event-stream ticket is no API token). */
export async function findUserByApiToken(db: Kysely<Database>, secret: string, now = Date.now()): Promise<UserRow | undefined> {
  return secret.startsWith(STREAM_TICKET_PREFIX) ? undefined : findUnexpiredToken(db, secret, now);
}

function findUnexpiredToken(db: Kysely<Database>, secret: string, now: number): Promise<UserRow | undefined> {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .where('api_tokens.id', '=', digest(secret))
    .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now)]))
    .executeTakeFirst();
}

/** Revokes a short-lived token (log-out from the embed); tokens that do not expire are left alone. */
export async function deleteShortLivedToken(db: Kysely<Database>, secret: string): Promise<void> {
  await db.deleteFrom('api_tokens').where('id', '=', digest(secret)).where('expires_at', 'is not', null).execute();
}
