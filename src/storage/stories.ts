// Stories: the articles that discussions hang under, one site each.
import type { Kysely } from 'kysely';
import type { Database, StoryRow } from './schema.js';
import { newId } from './ids.js';

/** A new story: where it is and what it is called; the byline, source, image and body are optional. */
export type NewStory = Pick<StoryRow, 'site_id' | 'url' | 'title' | 'published_at'> &
  Partial<Pick<StoryRow, 'byline' | 'source' | 'image_url' | 'image_caption' | 'body'>>;

/** Creates a story with a new id; its URL must be free on its site (a unique index refuses it otherwise). */
export async function insertStory(db: Kysely<Database>, story: NewStory, now = Date.now()): Promise<StoryRow> {
  const row: StoryRow = { byline: null, source: null, image_url: null, image_caption: null, body: null, ...story, id: newId(), created_at: now };
  await db.insertInto('stories').values(row).execute();
  return row;
}

/** One story by its id. */
export async function findStory(db: Kysely<Database>, id: string): Promise<StoryRow | undefined> {
  return db.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Whether a story with this id exists (reads its key alone). */
export async function storyExists(db: Kysely<Database>, id: string): Promise<boolean> {
  return (await db.selectFrom('stories').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** The story with this URL on this site, if any. */
export async function findStoryByUrl(db: Kysely<Database>, siteId: string, url: string): Promise<StoryRow | undefined> {
  return db.selectFrom('stories').selectAll().where('site_id', '=', siteId).where('url', '=', url).executeTakeFirst();
}

/** The latest stories, newest published first. */
export async function listStories(db: Kysely<Database>, limit: number): Promise<StoryRow[]> {
  return db.selectFrom('stories').selectAll().orderBy('published_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** A story with its site's policy (as stored), in one read: what posting to the story needs. */
export async function findStoryWithPolicy(
  db: Kysely<Database>,
  id: string,
): Promise<(StoryRow & { site_policy_json: string; site_model_version: string | null }) | undefined> {
  return db
    .selectFrom('stories')
    .innerJoin('sites', 'sites.id', 'stories.site_id')
    .selectAll('stories')
    .select(['sites.policy_json as site_policy_json', 'sites.model_version as site_model_version'])
    .where('stories.id', '=', id)
    .executeTakeFirst();
}
