// Stories: the articles that discussions hang under, one site each.
import { sql, type Kysely } from 'kysely';
import type { CommentRow, Database, GuestMode, StoryRow, UserRow } from './schema.js';
import { sessionId } from './sessions.js';
import { idList, newId } from './ids.js';
import { receiving, webhookIdsOfSite } from './webhooks.js';
import { executeBuiltOnce, isPostgres } from './db.js';
import { publishedCountOf, readThreadPage, readThreadPageWithRow, type ThreadPage, type ThreadPageQuery } from './comments.js';
import { takeEventLock } from './events.js';
import { EVASION_FACT_COLUMNS, evasionFactColumns, evasionFactParameters, evasionFactsOf, type CommentEvasionFacts, type CommentEvasionQuery, type EvasionFactRow } from './ban-evasion.js';

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

/** A story with its site's policy (as stored), and the ids of its site's webhooks for an event when asked for. */
export type StoryWithPolicyRow = StoryRow & { site_policy_json: string; site_model_version: string | null; site_webhook_ids?: string | null };

/** The story with its site's policy (and webhooks for `webhookEvent`): the read the others below build on. */
const storyWithPolicy = (db: Kysely<Database>, id: string, webhookEvent: string | undefined) =>
  db
    .selectFrom('stories')
    .innerJoin('sites', 'sites.id', 'stories.site_id')
    .selectAll('stories')
    .select(['sites.policy_json as site_policy_json', 'sites.model_version as site_model_version'])
    .$if(webhookEvent !== undefined, (query) => query.select(webhookIdsOfSite(db, webhookEvent!).as('site_webhook_ids')))
    .where('stories.id', '=', id);

/** A story with its site's policy (as stored), in one read: what posting to the story needs. */
export async function findStoryWithPolicy(db: Kysely<Database>, id: string, webhookEvent?: string): Promise<StoryWithPolicyRow | undefined> {
  // Built once per process (executeBuiltOnce); bound in this order: the webhooks' event (when asked for), the story.
  const parameters = webhookEvent === undefined ? [id] : [receiving(webhookEvent), id];
  const [row] = await executeBuiltOnce(db, `story-with-policy:${webhookEvent === undefined ? 'alone' : 'with-webhooks'}`, parameters, () =>
    storyWithPolicy(db, id, webhookEvent).compile(),
  );
  return row;
}

/** What a story page shows around its thread (`findStoryPageHead`). */
export type StoryPageHeadRow = StoryRow & { site_policy_json: string; site_guest_comments: GuestMode; last_event_id: number | null; published_count: number };

/**
 * The story with its site's policy and guest setting, the latest thread event (read before the thread, or in the
 * same statement, so that the page's live updates miss nothing written after it) and the story's published comments.
 */
const storyPageHead = (db: Kysely<Database>, id: string) =>
  db
    .selectFrom('stories')
    .innerJoin('sites', 'sites.id', 'stories.site_id')
    .selectAll('stories')
    .select(['sites.policy_json as site_policy_json', 'sites.guest_comments as site_guest_comments'])
    .select((eb) => eb.selectFrom('thread_events').select((inner) => inner.fn.max('id').as('id')).as('last_event_id'))
    .select(publishedCountOf(sql.ref('stories.id')).as('published_count'))
    .where('stories.id', '=', id);

/** The count and the event id as numbers, however the driver gave them. */
const pageHeadOf = (row: Omit<StoryPageHeadRow, 'last_event_id' | 'published_count'> & { last_event_id: unknown; published_count: unknown }): StoryPageHeadRow => ({
  ...row,
  last_event_id: row.last_event_id === null ? null : Number(row.last_event_id),
  published_count: Number(row.published_count),
});

/** What a story page shows around its thread, in one statement (one round trip on PostgreSQL instead of four). */
export async function findStoryPageHead(db: Kysely<Database>, id: string): Promise<StoryPageHeadRow | undefined> {
  const [row] = await executeBuiltOnce(db, 'story-page-head', [id], () => storyPageHead(db, id).compile());
  return row && pageHeadOf(row);
}

/**
 * A story page's head (`findStoryPageHead`) and its thread's page (`readThreadPage`; none when there is no such
 * story). PostgreSQL: one statement, one round trip (`readThreadPageWithRow`); SQLite, where a statement costs no
 * round trip: the head, then the page.
 */
export async function readStoryPage(
  db: Kysely<Database>,
  q: Omit<ThreadPageQuery, 'withStory'>,
): Promise<{ head: StoryPageHeadRow; page: ThreadPage } | undefined> {
  if (!isPostgres(db)) {
    const head = await findStoryPageHead(db, q.storyId);
    return head && { head, page: await readThreadPage(db, q) };
  }
  const { page, row } = await readThreadPageWithRow(db, q, { shape: 'story-page-head', query: () => storyPageHead(db, q.storyId), parameters: [q.storyId] });
  return row && { head: pageHeadOf(row), page };
}

/** What a reply needs of the comment it answers: the fields the posting read selects of it, the id first. */
const PARENT_FIELDS = ['id', 'story_id', 'root_id', 'depth', 'author_id', 'status', 'deleted_at'] as const satisfies readonly (keyof CommentRow)[];
export type ParentComment = Pick<CommentRow, (typeof PARENT_FIELDS)[number]>;

/** Their columns in the posting read (`parent_<field>`), in the same order; the parent's id is null when there is none. */
const PARENT_COLUMNS = PARENT_FIELDS.map((field) => `parent_${field}` as const);
const [PARENT_ID_COLUMN] = PARENT_COLUMNS as [string];

/** A session to read again with a post's other reads: its cookie secret, and the columns of its account to read. */
export interface SessionRecheck {
  secret: string;
  /** The account's columns (those of a `UserRow`, in the order its statement was first built with). */
  columns: readonly string[];
}

export interface PostingTarget {
  /** The story with its site's policy and the ids of its site's webhooks for `comment.created`. */
  story: StoryWithPolicyRow;
  /** The comment replied to, when there is one by that id (on whichever story). */
  parent: ParentComment | undefined;
  /** The author's ban-evasion facts, when asked for. */
  evasion: CommentEvasionFacts | undefined;
  /** With a session to read again: its account as it is now, or undefined when the session has ended or expired. */
  sessionUser?: UserRow | undefined;
}

/**
 * Everything a new comment needs read before it is written, in one statement (one round trip on PostgreSQL, where
 * each costs a socket write and its answer): the story with its site's policy and webhooks for `comment.created`,
 * the comment it replies to (when `parentId` is given), the author's ban-evasion facts (when `evasion` is given) and
 * the account of a session as it is now (when `session` is given: a session the caller read earlier). Undefined
 * when there is no such story.
 */
export async function findPostingTarget(
  db: Kysely<Database>,
  { storyId, parentId, evasion, session = null, now = Date.now() }: { storyId: string; parentId: string | null; evasion: CommentEvasionQuery | null; session?: SessionRecheck | null; now?: number },
): Promise<PostingTarget | undefined> {
  // Built once per process per shape (with or without the evasion facts, with or without the session); bound in
  // this order: the webhooks' event, the evasion facts' parameters, the parent's id (null matches none), the
  // session's id and the time, the story.
  const parameters = [
    receiving('comment.created'),
    ...(evasion ? evasionFactParameters(evasion) : []),
    parentId,
    ...(session ? [sessionId(session.secret), now] : []),
    storyId,
  ];
  const shape = `posting-target:${evasion ? 'screened' : 'unscreened'}:${session ? 'session' : 'no-session'}`;
  const [row] = await executeBuiltOnce<Record<string, unknown>>(db, shape, parameters, () =>
    storyWithPolicy(db, storyId, 'comment.created')
      .$if(evasion !== null, (query) => query.select(evasionFactColumns(db, evasion!)))
      .leftJoin('comments as parent', (join) => join.on('parent.id', '=', parentId))
      .$if(session !== null, (query) =>
        query
          .leftJoin('sessions as posting_session', (join) => join.on('posting_session.id', '=', sessionId(session!.secret)).on('posting_session.expires_at', '>', now))
          .leftJoin('users as session_account', 'session_account.id', 'posting_session.user_id')
          .select(session!.columns.map((column) => `session_account.${column} as ${SESSION_USER}${column}` as never)),
      )
      .select(PARENT_FIELDS.map((field, i) => `parent.${field} as ${PARENT_COLUMNS[i]}` as never))
      .compile(),
  );
  if (!row) return undefined;
  // The row is split by copying its values out, not by deleting keys from it: a deleted key turns it into a dictionary
  // object, slow to copy the rest of (about 11 µs a post against 2 µs, measured apart).
  let sessionUser: UserRow | undefined;
  if (session) {
    const user: Record<string, unknown> = {};
    for (const column of session.columns) user[column] = row[sessionUserKey(column)];
    sessionUser = user.id === null ? undefined : (user as unknown as UserRow);
  }
  const story: Record<string, unknown> = {};
  for (const key in row) if (!NOT_STORY_COLUMNS.has(key) && !key.startsWith(SESSION_USER)) story[key] = row[key];
  let parent: ParentComment | undefined;
  if (row[PARENT_ID_COLUMN] !== null) {
    const fields: Record<string, unknown> = {};
    for (let i = 0; i < PARENT_FIELDS.length; i++) fields[PARENT_FIELDS[i]!] = row[PARENT_COLUMNS[i]!];
    parent = fields as ParentComment;
  }
  return { story: story as StoryWithPolicyRow, parent, evasion: evasion ? evasionFactsOf(row as EvasionFactRow, evasion) : undefined, ...(session ? { sessionUser } : {}) };
}

/** The prefix of a session's account columns in the posting read. */
const SESSION_USER = 'session_account_';

/** A session's account column's name in the posting read, made once per column (a new string each time is slower to look up). */
const sessionUserKeys = new Map<string, string>();
const sessionUserKey = (column: string): string => {
  let key = sessionUserKeys.get(column);
  if (key === undefined) sessionUserKeys.set(column, (key = `${SESSION_USER}${column}`));
  return key;
};

/** The posting read's columns that are neither the story's nor the session's account's. */
const NOT_STORY_COLUMNS = new Set<string>([...PARENT_COLUMNS, ...EVASION_FACT_COLUMNS]);

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
  // Replies refer to their parents: the links are dropped first so that one statement deletes the whole tree. The
  // update also locks every comment of the story (as an update locks: a new reply's foreign-key check does not wait
  // for it) before their votes are deleted: the comment, then its votes, the order in which a vote takes them.
  await db.updateTable('comments').set({ parent_id: null }).where('story_id', '=', storyId).execute();
  const ids = db.selectFrom('comments').select('id').where('story_id', '=', storyId);
  await db.deleteFrom('votes').where('comment_id', 'in', ids).execute();
  await db.deleteFrom('reports').where('comment_id', 'in', ids).execute();
  await db.deleteFrom('label_decisions').where('comment_id', 'in', ids).execute();
  await db.deleteFrom('import_keys').where((eb) => eb.or([eb('parley_id', 'in', ids), eb('parley_id', '=', storyId)])).execute();
  await db.deleteFrom('thread_events').where('story_id', '=', storyId).execute();
  // The event lock is taken before the delete, which a reply's foreign-key check does wait for: a reply's statement
  // takes the event lock and then waits for its parent's row, so deleting the rows first and then waiting for the
  // event lock (the count's trigger takes it at the delete) deadlocked with a reply posted meanwhile.
  await takeEventLock(db);
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
