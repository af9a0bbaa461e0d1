// Accounts: commenters and staff (moderators and admins, of one site or of every site), with their sanctions.
import { sql, type Kysely } from 'kysely';
import type { Database, Role, UserRow } from './schema.js';
import { newId } from './ids.js';

export interface NewUser {
  username: string;
  email: string | null;
  passwordHash: string;
  role: Role;
  /** For staff of one site only. */
  siteId?: string | null;
}

/** The form of a username that uniqueness is checked on. */
export const usernameKey = (username: string) => username.normalize('NFKC').toLowerCase();

/** Creates an account; the username and email must be free (unique indexes refuse them otherwise). */
export async function insertUser(db: Kysely<Database>, user: NewUser, now = Date.now()): Promise<UserRow> {
  const row: UserRow = {
    id: newId(),
    username: user.username,
    username_key: usernameKey(user.username),
    email: user.email?.toLowerCase() ?? null,
    password_hash: user.passwordHash,
    role: user.role,
    created_at: now,
    site_id: user.siteId ?? null,
    banned_at: null,
    suspended_until: null,
    sanction_reason: null,
    deleted_at: null,
    trusted_at: null,
    email_verified_at: null,
  };
  await db.insertInto('users').values(row).execute();
  return row;
}

/** One account by its username, whatever its case or Unicode form. */
export async function findUserByUsername(db: Kysely<Database>, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username_key', '=', usernameKey(username)).executeTakeFirst();
}

/** One account by its id. */
export async function findUserById(db: Kysely<Database>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Which of a username and an email are already taken, to tell a reader which one to change. */
export async function takenIdentifiers(db: Kysely<Database>, username: string, email: string | null) {
  const rows = await db
    .selectFrom('users')
    .select(['username_key', 'email'])
    .where((eb) =>
      eb.or([eb('username_key', '=', usernameKey(username)), ...(email ? [eb('email', '=', email.toLowerCase())] : [])]),
    )
    .execute();
  return {
    username: rows.some((r) => r.username_key === usernameKey(username)),
    email: !!email && rows.some((r) => r.email === email.toLowerCase()),
  };
}

/** How many accounts there are (none: the first start). */
export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The accounts these ids name (those that exist), in no order. */
export async function findUsersByIds(db: Kysely<Database>, ids: string[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
}

/** Accounts whose username or e-mail contains this text (any case), most recent first; every account for ''. */
export async function searchUsers(db: Kysely<Database>, text: string, limit: number): Promise<UserRow[]> {
  let query = db.selectFrom('users').selectAll();
  const needle = text.trim().toLowerCase();
  if (needle) {
    // LIKE's own wildcards in the text are matched as themselves.
    const pattern = `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('username_key', 'like', sql<string>`${pattern} escape '\\'`), eb('email', 'like', sql<string>`${pattern} escape '\\'`)]),
    );
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Changes an account's columns (role, site, sanctions). */
export async function updateUser(db: Kysely<Database>, id: string, changes: Partial<UserRow>): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

/** The account an address belongs to, if any. */
export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}
