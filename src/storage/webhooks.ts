// Each site's webhooks: where its events are posted, with which signing secret, for which event types.
import { sql, type Kysely } from 'kysely';
import type { Database, WebhookRow } from './schema.js';
import { newId } from './ids.js';
import { isPostgres } from './db.js';

export async function insertWebhook(
  db: Kysely<Database>,
  fields: { siteId: string; url: string; secret: string; events: readonly string[] },
  now = Date.now(),
): Promise<WebhookRow> {
  const row: WebhookRow = { id: newId(), site_id: fields.siteId, url: fields.url, secret: fields.secret, events: `,${fields.events.join(',')},`, created_at: now };
  await db.insertInto('webhooks').values(row).execute();
  return row;
}

/** A site's webhooks, oldest first. */
export async function listWebhooks(db: Kysely<Database>, siteId: string): Promise<WebhookRow[]> {
  return db.selectFrom('webhooks').selectAll().where('site_id', '=', siteId).orderBy('created_at').orderBy('id').execute();
}

/** What the `events` (stored as ",a,b,") of a webhook that receives this type contain. */
export const receiving = (type: string) => `,${type},`;

/**
 * Whether the webhook's `events` include this type: a plain substring test (instr, strpos), not LIKE, whose pattern
 * given as a parameter makes SQLite compile the statement again at each run (about 40 µs rather than 8 for the story read
 * of a post that carries this test).
 */
const receives = (db: Kysely<Database>, type: string) =>
  isPostgres(db) ? sql<boolean>`strpos(webhooks.events, ${receiving(type)}) > 0` : sql<boolean>`instr(webhooks.events, ${receiving(type)}) > 0`;

/** The webhooks that receive this event type: a site's, or every site's when siteId is null (a ban holds everywhere). */
export async function webhooksFor(db: Kysely<Database>, siteId: string | null, type: string): Promise<WebhookRow[]> {
  let query = db.selectFrom('webhooks').selectAll().where(receives(db, type));
  if (siteId !== null) query = query.where('site_id', '=', siteId);
  return query.execute();
}

/**
 * The ids of the webhooks of the site in the enclosing read (`sites.id`) that receive this event type,
 * comma-separated, null when none: for a write that reads its site anyway and tells its webhooks (one round trip less).
 */
export function webhookIdsOfSite(db: Kysely<Database>, type: string) {
  const joined = isPostgres(db) ? sql`string_agg(webhooks.id, ',')` : sql`group_concat(webhooks.id, ',')`;
  return sql<string | null>`(SELECT ${joined} FROM webhooks WHERE webhooks.site_id = sites.id AND ${receives(db, type)})`;
}

export async function findWebhook(db: Kysely<Database>, id: string): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Removes one of a site's webhooks; false when the site has none with this id. */
export async function deleteWebhook(db: Kysely<Database>, siteId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('webhooks').where('id', '=', id).where('site_id', '=', siteId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
