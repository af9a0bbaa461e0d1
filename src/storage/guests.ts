// Guests' comments: whether a site takes them, the install's secret that signs their challenges, and their recent
// posts for the rate limits (by a keyed hash of the address, never the address, and by browser).
import type { Kysely } from 'kysely';
import type { CommentRow, Database, GuestMode } from './schema.js';
import { newSecret } from './ids.js';

/** The install's secret of this name, made at first use (safe when several processes ask at once). */
export async function installSecret(db: Kysely<Database>, name: string): Promise<string> {
  await db.insertInto('install_secrets').values({ name, value: newSecret(32) }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const row = await db.selectFrom('install_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}

/** Whether a site takes guests' comments, and how; undefined when there is no such site. */
export async function findGuestMode(db: Kysely<Database>, siteId: string): Promise<GuestMode | undefined> {
  return (await db.selectFrom('sites').select('guest_comments').where('id', '=', siteId).executeTakeFirst())?.guest_comments;
}

export async function setGuestMode(db: Kysely<Database>, siteId: string, mode: GuestMode): Promise<void> {
  await db.updateTable('sites').set({ guest_comments: mode }).where('id', '=', siteId).execute();
}

/** Notes a guest's comment for the rate limits; forgets those older than `keepMs`. */
export async function recordGuestPost(
  db: Kysely<Database>,
  post: { siteId: string; addressHash: string; browserId: string | null },
  keepMs: number,
  now = Date.now(),
): Promise<void> {
  await db.deleteFrom('guest_posts').where('created_at', '<', now - keepMs).execute();
  await db.insertInto('guest_posts').values({ site_id: post.siteId, address_hash: post.addressHash, browser_id: post.browserId, created_at: now }).execute();
}

/** Guests' comments since a time from one address and from one browser. */
export async function countGuestPosts(db: Kysely<Database>, addressHash: string, browserId: string | null, since: number) {
  const count = async (column: 'address_hash' | 'browser_id', value: string) =>
    Number(
      (await db.selectFrom('guest_posts').select((eb) => eb.fn.countAll<number>().as('n')).where(column, '=', value).where('created_at', '>=', since).executeTakeFirstOrThrow()).n,
    );
  return { address: await count('address_hash', addressHash), browser: browserId ? await count('browser_id', browserId) : 0 };
}

/** The guest accounts (of any site) whose guest gave this e-mail address, lower-cased. */
export async function guestAccountsWithEmail(db: Kysely<Database>, email: string): Promise<string[]> {
  const rows = await db
    .selectFrom('user_identities')
    .select('user_id')
    .distinct()
    .where('issuer', 'like', 'guest:%')
    .where('email', '=', email.toLowerCase())
    .execute();
  return rows.map((r) => r.user_id);
}

/** The comments of these accounts, deleted ones left out (they stay with nobody's name). */
export async function commentsOfAccounts(db: Kysely<Database>, authorIds: string[]): Promise<CommentRow[]> {
  if (authorIds.length === 0) return [];
  return db.selectFrom('comments').selectAll().where('author_id', 'in', authorIds).where('deleted_at', 'is', null).execute();
}

/** Moves comments to another author. */
export async function moveAuthorship(db: Kysely<Database>, commentIds: string[], authorId: string): Promise<void> {
  if (commentIds.length === 0) return;
  await db.updateTable('comments').set({ author_id: authorId }).where('id', 'in', commentIds).execute();
}
