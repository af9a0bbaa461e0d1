// Sites: each with its moderation policy (stored as JSON, read by src/moderation/policy.ts).
import type { Kysely } from 'kysely';
import type { Database, SiteRow } from './schema.js';
import { idList, newId } from './ids.js';

/** Creates a site with a new id and its policy (JSON). */
export async function insertSite(db: Kysely<Database>, name: string, policyJson: string, now = Date.now()): Promise<SiteRow> {
  const row: SiteRow = { id: newId(), name, policy_json: policyJson, created_at: now, model_version: null, guest_comments: 'off' };
  await db.insertInto('sites').values(row).execute();
  return row;
}

/** One site by its id. */
export async function findSite(db: Kysely<Database>, id: string): Promise<SiteRow | undefined> {
  return db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The site a new story belongs to when the request names none: the first one created. */
export async function findDefaultSite(db: Kysely<Database>): Promise<SiteRow | undefined> {
  return db.selectFrom('sites').selectAll().orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
}

/** Creates the site with this id unless it exists: safe when several processes start at once. */
export async function ensureSite(db: Kysely<Database>, id: string, name: string, policyJson: string, now = Date.now()): Promise<void> {
  await db
    .insertInto('sites')
    .values({ id, name, policy_json: policyJson, created_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** These sites (null: every site), oldest first. */
export async function listSites(db: Kysely<Database>, ids: string[] | null): Promise<SiteRow[]> {
  let query = db.selectFrom('sites').selectAll().orderBy('created_at').orderBy('id');
  if (ids) query = query.where('id', 'in', idList(ids));
  return query.execute();
}

/** Changes a site's columns (its name, its policy). */
export async function updateSite(db: Kysely<Database>, id: string, changes: Partial<SiteRow>): Promise<void> {
  await db.updateTable('sites').set(changes).where('id', '=', id).execute();
}

/** The origins allowed to embed this site's threads, in alphabetical order. */
export async function listSiteOrigins(db: Kysely<Database>, siteId: string): Promise<string[]> {
  const rows = await db.selectFrom('site_origins').select('origin').where('site_id', '=', siteId).orderBy('origin').execute();
  return rows.map((r) => r.origin);
}

/** Allows an origin to embed the site's threads; allowing it twice changes nothing. */
export async function addSiteOrigin(db: Kysely<Database>, siteId: string, origin: string, now = Date.now()): Promise<void> {
  await db
    .insertInto('site_origins')
    .values({ site_id: siteId, origin, created_at: now })
    .onConflict((oc) => oc.columns(['site_id', 'origin']).doNothing())
    .execute();
}

/** Removes an origin from the site's list; true when it was there. */
export async function removeSiteOrigin(db: Kysely<Database>, siteId: string, origin: string): Promise<boolean> {
  const result = await db.deleteFrom('site_origins').where('site_id', '=', siteId).where('origin', '=', origin).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Replaces the site's whole list of origins, in one transaction. */
export async function replaceSiteOrigins(db: Kysely<Database>, siteId: string, origins: string[], now = Date.now()): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('site_origins').where('site_id', '=', siteId).execute();
    if (origins.length) await tx.insertInto('site_origins').values(origins.map((origin) => ({ site_id: siteId, origin, created_at: now }))).execute();
  });
}
