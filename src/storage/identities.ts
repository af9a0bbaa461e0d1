// Identities from elsewhere: a site's sign-on key and the token ids it has used, the accounts linked to a site's own
// user ids or an OpenID provider's subjects, the providers a site offers and the sign-ins under way at them.
import type { Kysely } from 'kysely';
import type { Insertable, Selectable } from 'kysely';
import type { Database, OidcFlowsTable, SiteOidcProvidersTable, SiteSsoKeysTable, UserIdentitiesTable } from './schema.js';
import { oidcContext, seal, sealingKey, ssoContext, unseal } from './sealed.js';

export type SsoKey = Pick<SiteSsoKeysTable, 'algorithm' | 'key_material'>;

/** Sets (or replaces) a site's sign-on key; an HS256 secret is stored sealed (sealed.ts), a public key as it is. */
export async function setSsoKey(db: Kysely<Database>, siteId: string, key: SsoKey, now = Date.now()): Promise<void> {
  const stored = key.algorithm === 'HS256' ? { ...key, key_material: seal(await sealingKey(db), key.key_material, ssoContext(siteId)) } : key;
  await db
    .insertInto('site_sso_keys')
    .values({ site_id: siteId, ...stored, updated_at: now })
    .onConflict((oc) => oc.column('site_id').doUpdateSet({ ...stored, updated_at: now }))
    .execute();
}

/** A site's sign-on key, if it has one (an HS256 secret unsealed). */
export async function findSsoKey(db: Kysely<Database>, siteId: string): Promise<SsoKey | undefined> {
  const key = await db.selectFrom('site_sso_keys').select(['algorithm', 'key_material']).where('site_id', '=', siteId).executeTakeFirst();
  if (key?.algorithm !== 'HS256') return key;
  return { ...key, key_material: unseal(await sealingKey(db), key.key_material, ssoContext(siteId)) };
}

/**
 * Records a single-use id as used until it expires; false when it was already used (a replay). Forgets the ids
 * that have expired, which no longer verify anyway.
 */
export async function useNonce(db: Kysely<Database>, scope: string, nonce: string, expiresAt: number, now = Date.now()): Promise<boolean> {
  await db.deleteFrom('used_nonces').where('expires_at', '<', now).execute();
  const result = await db
    .insertInto('used_nonces')
    .values({ scope, nonce, expires_at: expiresAt })
    .onConflict((oc) => oc.columns(['scope', 'nonce']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The account linked to an identity, if any. */
export async function findIdentity(db: Kysely<Database>, issuer: string, subject: string) {
  return db.selectFrom('user_identities').selectAll().where('issuer', '=', issuer).where('subject', '=', subject).executeTakeFirst();
}

/** Links an identity to an account; the pair (issuer, subject) is unique, so the link never moves. */
export async function insertIdentity(db: Kysely<Database>, row: Insertable<UserIdentitiesTable>): Promise<void> {
  await db.insertInto('user_identities').values(row).execute();
}

/** Notes that an identity signed in now (and a guest's address as they gave it this time). */
export async function touchIdentity(db: Kysely<Database>, issuer: string, subject: string, now = Date.now(), email?: string | null): Promise<void> {
  await db
    .updateTable('user_identities')
    .set({ last_seen_at: now, ...(email === undefined ? {} : { email }) })
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .execute();
}

/** The identities linked to an account, oldest first. */
export async function listIdentitiesOfUser(db: Kysely<Database>, userId: string) {
  return db.selectFrom('user_identities').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
}

/** Whether an account already has this e-mail address (addresses are stored in lower case). */
export async function emailInUse(db: Kysely<Database>, email: string): Promise<boolean> {
  return Boolean(await db.selectFrom('users').select('id').where('email', '=', email.toLowerCase()).executeTakeFirst());
}

export type OidcProviderRow = Selectable<SiteOidcProvidersTable>;

/** Adds a site's OpenID provider, or replaces the one of that name; the client secret is stored sealed (sealed.ts). */
export async function upsertOidcProvider(db: Kysely<Database>, row: OidcProviderRow): Promise<void> {
  const sealed = { ...row, client_secret: seal(await sealingKey(db), row.client_secret, oidcContext(row.site_id, row.name)) };
  const { site_id: _site, name: _name, ...rest } = sealed;
  await db
    .insertInto('site_oidc_providers')
    .values(sealed)
    .onConflict((oc) => oc.columns(['site_id', 'name']).doUpdateSet(rest))
    .execute();
}

async function unsealed(db: Kysely<Database>, rows: OidcProviderRow[]): Promise<OidcProviderRow[]> {
  if (rows.length === 0) return rows;
  const key = await sealingKey(db);
  return rows.map((row) => ({ ...row, client_secret: unseal(key, row.client_secret, oidcContext(row.site_id, row.name)) }));
}

/** A site's OpenID providers, by name (client secrets unsealed). */
export async function listOidcProviders(db: Kysely<Database>, siteId: string): Promise<OidcProviderRow[]> {
  return unsealed(db, await db.selectFrom('site_oidc_providers').selectAll().where('site_id', '=', siteId).orderBy('name').execute());
}

/** One of a site's OpenID providers by its name (its client secret unsealed). */
export async function findOidcProvider(db: Kysely<Database>, siteId: string, name: string): Promise<OidcProviderRow | undefined> {
  const row = await db.selectFrom('site_oidc_providers').selectAll().where('site_id', '=', siteId).where('name', '=', name).executeTakeFirst();
  return row && (await unsealed(db, [row]))[0];
}

/** Removes a site's OpenID provider; true when there was one. */
export async function removeOidcProvider(db: Kysely<Database>, siteId: string, name: string): Promise<boolean> {
  const result = await db.deleteFrom('site_oidc_providers').where('site_id', '=', siteId).where('name', '=', name).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Records a sign-in under way; forgets those that expired unused. */
export async function insertOidcFlow(db: Kysely<Database>, flow: OidcFlowsTable, now = Date.now()): Promise<void> {
  await db.deleteFrom('oidc_flows').where('expires_at', '<', now).execute();
  await db.insertInto('oidc_flows').values(flow).execute();
}

/** Takes a sign-in under way by its state: it is deleted, so that it completes once. Undefined when unknown or expired. */
export async function takeOidcFlow(db: Kysely<Database>, state: string, now = Date.now()): Promise<OidcFlowsTable | undefined> {
  return db.transaction().execute(async (trx) => {
    const flow = await trx.selectFrom('oidc_flows').selectAll().where('state', '=', state).executeTakeFirst();
    if (!flow) return undefined;
    const deleted = await trx.deleteFrom('oidc_flows').where('state', '=', state).executeTakeFirst();
    return Number(deleted.numDeletedRows) > 0 && flow.expires_at > now ? flow : undefined;
  });
}
