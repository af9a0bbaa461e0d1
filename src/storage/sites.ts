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

