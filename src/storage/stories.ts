// Stories: the articles that discussions hang under, one site each.
import { sql, type Kysely } from 'kysely';
import type { Database, GuestMode, StoryRow } from './schema.js';
import { idList, newId } from './ids.js';
import { receiving, webhookIdsOfSite } from './webhooks.js';
import { executeBuiltOnce } from './db.js';
import { publishedCountOf } from './comments.js';

/** A new story: where it is and what it is called; the byline, source, image and body are optional. */
export type NewStory = Pick<StoryRow, 'site_id' | 'url' | 'title' | 'published_at'> &
  Partial<Pick<StoryRow, 'byline' | 'source' | 'image_url' | 'image_caption' | 'body'>>;

/** Creates a story with a new id; its URL must be free on its site (a unique index refuses it otherwise). */
export async function insertStory(db: Kysely<Database>, story: NewStory, now = Date.now()): Promise<StoryRow> {
  const row: StoryRow = {
    byline: null,
    source: null,
    image_url: null,
    image_caption: null,
    body: null,
    ...story,
    id: newId(),
    created_at: now,
    state: 'open',
    closed_message: null,
  };
  await db.insertInto('stories').values(row).execute();
  return row;
}

/** One story by its id. */
export async function findStory(db: Kysely<Database>, id: string): Promise<StoryRow | undefined> {
  // Built once (executeBuiltOnce): every uncached page of the API's thread reads it.
  const [row] = await executeBuiltOnce(db, 'story', [id], () => db.selectFrom('stories').selectAll().where('id', '=', id).compile());
  return row;
}

/** The story with this URL on this site, if any. */
export async function findStoryByUrl(db: Kysely<Database>, siteId: string, url: string): Promise<StoryRow | undefined> {
  return db.selectFrom('stories').selectAll().where('site_id', '=', siteId).where('url', '=', url).executeTakeFirst();
}

/** The latest stories readers may see (hidden ones left out), newest published first. */
export async function listStories(db: Kysely<Database>, limit: number): Promise<StoryRow[]> {
  return db.selectFrom('stories').selectAll().where('state', '!=', 'hidden').orderBy('published_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** A story with its site's policy (as stored), in one read: what posting to the story needs. */
export async function findStoryWithPolicy(
  db: Kysely<Database>,
  id: string,
  webhookEvent?: string,
): Promise<(StoryRow & { site_policy_json: string; site_model_version: string | null; site_webhook_ids?: string | null }) | undefined> {
  // Built once per process (executeBuiltOnce); bound in this order: the webhooks' event (when asked for), the story.
  const parameters = webhookEvent === undefined ? [id] : [receiving(webhookEvent), id];
  const [row] = await executeBuiltOnce(db, `story-with-policy:${webhookEvent === undefined ? 'alone' : 'with-webhooks'}`, parameters, () =>
    db
      .selectFrom('stories')
      .innerJoin('sites', 'sites.id', 'stories.site_id')
      .selectAll('stories')
      .select(['sites.policy_json as site_policy_json', 'sites.model_version as site_model_version'])
      .$if(webhookEvent !== undefined, (query) => query.select(webhookIdsOfSite(db, webhookEvent!).as('site_webhook_ids')))
      .where('stories.id', '=', id)
      .compile(),
  );
  return row;
}

/**
 * What a story page shows around its thread, in one statement (one round trip on PostgreSQL instead of four): the
 * story with its site's policy and guest setting, the latest thread event (read before the thread, so that the
 * page's live updates miss nothing written after it) and the story's published comments.
 */
export async function findStoryPageHead(
  db: Kysely<Database>,
  id: string,
): Promise<(StoryRow & { site_policy_json: string; site_guest_comments: GuestMode; last_event_id: number | null; published_count: number }) | undefined> {
  const [row] = await executeBuiltOnce(db, 'story-page-head', [id], () =>
    db
      .selectFrom('stories')
      .innerJoin('sites', 'sites.id', 'stories.site_id')
      .selectAll('stories')
      .select(['sites.policy_json as site_policy_json', 'sites.guest_comments as site_guest_comments'])
      .select((eb) => eb.selectFrom('thread_events').select((inner) => inner.fn.max('id').as('id')).as('last_event_id'))
      .select(publishedCountOf(db, sql.ref('stories.id')).as('published_count'))
      .where('stories.id', '=', id)
      .compile(),
  );
  return row && { ...row, last_event_id: row.last_event_id === null ? null : Number(row.last_event_id), published_count: Number(row.published_count) };
}

/** Changes a story's columns (its fields and its state). */
export async function updateStory(db: Kysely<Database>, id: string, changes: Partial<Omit<StoryRow, 'id' | 'site_id' | 'created_at'>>): Promise<void> {
  await db.updateTable('stories').set(changes).where('id', '=', id).execute();
}

/** How many comments a story has, deleted ones included (they still hold their place in the thread). */
export async function countStoryComments(db: Kysely<Database>, storyId: string): Promise<number> {
  const row = await db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).where('story_id', '=', storyId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Deletes a story and everything that hangs off its comments (votes, reports, label decisions, thread events, import
 * keys). Call it inside a transaction. The audit log keeps its entries: it is append-only.
 */
export async function deleteStoryAndComments(db: Kysely<Database>, storyId: string): Promise<number> {
  const ids = db.selectFrom('comments').select('id').where('story_id', '=', storyId);
  await db.deleteFrom('votes').where('comment_id', 'in', ids).execute();
  await db.deleteFrom('reports').where('comment_id', 'in', ids).execute();
  await db.deleteFrom('label_decisions').where('comment_id', 'in', ids).execute();
  await db.deleteFrom('import_keys').where((eb) => eb.or([eb('parley_id', 'in', ids), eb('parley_id', '=', storyId)])).execute();
  await db.deleteFrom('thread_events').where('story_id', '=', storyId).execute();
  // Replies refer to their parents: drop the links first so that one statement deletes the whole tree.
  await db.updateTable('comments').set({ parent_id: null }).where('story_id', '=', storyId).execute();
  const deleted = await db.deleteFrom('comments').where('story_id', '=', storyId).executeTakeFirst();
  await db.deleteFrom('stories').where('id', '=', storyId).execute();
  return Number(deleted.numDeletedRows);
}

/** The latest stories of these sites (null: every site), newest published first, each with its number of comments. */
export async function listSiteStories(db: Kysely<Database>, siteIds: string[] | null, limit: number): Promise<Array<StoryRow & { comments: number }>> {
  let query = db
    .selectFrom('stories')
    .selectAll('stories')
    .select((eb) => eb.selectFrom('comments').select(eb.fn.countAll<number>().as('n')).whereRef('comments.story_id', '=', 'stories.id').as('comments'));
  if (siteIds) query = query.where('stories.site_id', 'in', idList(siteIds));
  const rows = await query.orderBy('stories.published_at', 'desc').orderBy('stories.id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ ...r, comments: Number(r.comments ?? 0) }));
}

/** Those of these stories that are hidden from readers. */
export async function hiddenStoryIds(db: Kysely<Database>, ids: readonly string[]): Promise<string[]> {
  const rows = await db.selectFrom('stories').select('id').where('id', 'in', idList(ids)).where('state', '=', 'hidden').execute();
  return rows.map((row) => row.id);
}
