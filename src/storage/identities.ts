// Identities from elsewhere: a site's sign-on key and the token ids it has used, the accounts linked to a site's own
// user ids or an OpenID provider's subjects, the providers a site offers and the sign-ins under way at them.
import type { Kysely } from 'kysely';
import type { Database, SiteSsoKeysTable, UserIdentitiesTable } from './schema.js';

export type SsoKey = Pick<SiteSsoKeysTable, 'algorithm' | 'key_material'>;

/** Sets (or replaces) a site's sign-on key. */
export async function setSsoKey(db: Kysely<Database>, siteId: string, key: SsoKey, now = Date.now()): Promise<void> {
  await db
    .insertInto('site_sso_keys')
    .values({ site_id: siteId, ...key, updated_at: now })
    .onConflict((oc) => oc.column('site_id').doUpdateSet({ ...key, updated_at: now }))
    .execute();
}

/** A site's sign-on key, if it has one. */
export async function findSsoKey(db: Kysely<Database>, siteId: string): Promise<SsoKey | undefined> {
  return db.selectFrom('site_sso_keys').select(['algorithm', 'key_material']).where('site_id', '=', siteId).executeTakeFirst();
}

/**
 * Records a token id as used until it expires; false when it was already used (a replay). Forgets the ids of
 * tokens that have expired, which no longer verify anyway.
 */
export async function useTokenId(db: Kysely<Database>, siteId: string, jti: string, expiresAt: number, now = Date.now()): Promise<boolean> {
  await db.deleteFrom('sso_used_tokens').where('expires_at', '<', now).execute();
  const result = await db
    .insertInto('sso_used_tokens')
    .values({ site_id: siteId, jti, expires_at: expiresAt })
    .onConflict((oc) => oc.columns(['site_id', 'jti']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The account linked to an identity, if any. */
export async function findIdentity(db: Kysely<Database>, issuer: string, subject: string) {
  return db.selectFrom('user_identities').selectAll().where('issuer', '=', issuer).where('subject', '=', subject).executeTakeFirst();
}

/** Links an identity to an account; the pair (issuer, subject) is unique, so the link never moves. */
export async function insertIdentity(db: Kysely<Database>, row: UserIdentitiesTable): Promise<void> {
  await db.insertInto('user_identities').values(row).execute();
}

/** Notes that an identity signed in now. */
export async function touchIdentity(db: Kysely<Database>, issuer: string, subject: string, now = Date.now()): Promise<void> {
  await db.updateTable('user_identities').set({ last_seen_at: now }).where('issuer', '=', issuer).where('subject', '=', subject).execute();
}

/** The identities linked to an account, oldest first. */
export async function listIdentitiesOfUser(db: Kysely<Database>, userId: string) {
  return db.selectFrom('user_identities').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
}

/** Whether an account already has this e-mail address (addresses are stored in lower case). */
export async function emailInUse(db: Kysely<Database>, email: string): Promise<boolean> {
  return Boolean(await db.selectFrom('users').select('id').where('email', '=', email.toLowerCase()).executeTakeFirst());
}
