import type { Kysely } from 'kysely';
import type { Database, SiteRow } from './schema.js';
import { idList, newId } from './ids.js';

export async function insertSite(db: Kysely<Database>, name: string, policyJson: string, now = Date.now()): Promise<SiteRow> {
  const row: SiteRow = { id: newId(), name, policy_json: policyJson, created_at: now };
  await db.insertInto('sites').values(row).execute();
  return row;
}

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

export async function listSites(db: Kysely<Database>, ids: string[] | null): Promise<SiteRow[]> {
  let query = db.selectFrom('sites').selectAll().orderBy('created_at').orderBy('id');
  if (ids) query = query.where('id', 'in', idList(ids));
  return query.execute();
}
