// Comments and their threads: writing a comment, and reading pages of a story's thread by keyset cursors.
import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import type { CommentRow, CommentUpdate, Database, NewComment, NewOutboxRow, NewThreadEvent, StoryRow } from './schema.js';
import { dialectOf, executeBuiltOnce, insertBuiltOnce, isPostgres } from './db.js';
import { appendThreadEvent, lockedAppend, lockedAppendMany, lockedAppendManyParameters, lockedAppendParameters } from './events.js';
import { enqueueDeliveries, pendingRow } from './outbox.js';
import { GroupWriter, inGroupCommit } from './group-commit.js';

export type { ThreadSort } from '../contracts/api.js';
import type { ThreadSort } from '../contracts/api.js';

/**
 * The columns of a comment that a thread shows, and its author's name. The Markdown source and the automatic
 * reasons are only read for the comment's own author (null for everyone else): a page never shows them to others,
 * and leaving them (and the scores and spans) out makes every page read cheaper.
 */
export type ThreadComment = PageComment & Pick<CommentRow, 'story_id' | 'site_id'>;

/**
 * A comment on a page of a thread (or of a branch's replies): its story and site, the same on every row of a page
 * and known to the caller, are not read.
 */
export type PageComment = Pick<CommentRow, (typeof PAGE_COLUMNS)[number]> & {
  author_username: string;
  /** The author-only columns (see authorOnly): not read at all for a reader who is not signed in. */
  body_markdown?: string | null;
  reasons_json?: string | null;
  spans_json?: string | null;
  flagged_labels?: string | null;
};

const PAGE_COLUMNS = [
  'id', 'parent_id', 'root_id', 'depth', 'author_id', 'body_html', 'status', 'score',
  'created_at', 'edited_at', 'deleted_at', 'featured_at', 'moderation_reason',
] as const;
const SHOWN_COLUMNS = [...PAGE_COLUMNS, 'story_id', 'site_id'] as const;

/** Where the next page starts: the sort key and id of the last comment shown. */
export interface ThreadCursor {
  key: number;
  id: string;
}

export interface ThreadPageQuery {
  storyId: string;
  sort: ThreadSort;
  limit: number;
  cursor: ThreadCursor | null;
  /** The reader: their own pending and rejected comments are shown to them. */
  viewerId: string | null;
  /** Replies loaded under each top-level comment; the rest wait for the reader to ask. */
  replyLimit: number;
  /** Also read the story's state and site, for the caller's visibility check (`ThreadPage.story`). */
  withStory?: boolean;
}

export interface ThreadPage {
  roots: PageComment[];
  /** Replies of each root, oldest first, at most replyLimit. */
  replies: Map<string, PageComment[]>;
  /** Roots that have more replies than were loaded. */
  truncated: Set<string>;
  nextCursor: ThreadCursor | null;
  /**
   * With `withStory`: the story's state and site, read with the top-level comments (joined to them), or by a
   * statement of its own when the page has none; undefined when there is no such story.
   */
  story?: Pick<StoryRow, 'state' | 'site_id'> | undefined;
}

/** Stores a new comment as given (its id, thread position and moderation decision included). */
export async function insertComment(db: Kysely<Database>, comment: NewComment): Promise<void> {
  await insertBuiltOnce(db, 'comments', comment);
}

/** A new comment to write with the deliveries it causes and its thread event (`insertCommentWithEvent`). */
interface NewCommentWrite {
  comment: NewComment;
  deliveries: readonly NewOutboxRow[];
  event: NewThreadEvent;
}

/**
 * A new comment, the deliveries it causes (`outboxRow`s, planned before) and its thread event, written together: all
 * of them or none, acknowledged (resolved) only once committed. Returns the event's id. On PostgreSQL the new
 * comments that arrive together (in one event-loop turn, or while the group before is being written; up to 64) are
 * one statement outside any transaction (`lockedAppendMany`: no BEGIN, no COMMIT, one round trip, one turn at the
 * event lock and one commit for all of them), and a comment alone is one statement too (`lockedAppend`); should a
 * group's statement fail, each of its comments is written alone, so that only the failing one fails. On SQLite in
 * the transaction of a group commit (`inGroupCommit`).
 */
export async function insertCommentWithEvent(db: Kysely<Database>, comment: NewComment, deliveries: readonly NewOutboxRow[], event: NewThreadEvent): Promise<number> {
  if (!isPostgres(db)) {
    return inGroupCommit(db, async (trx) => {
      await insertComment(trx, comment);
      await enqueueDeliveries(trx, deliveries);
      return appendThreadEvent(trx, event);
    });
  }
  return newComments.write(db, columnsOf(comment).join(','), { comment, deliveries, event });
}

/** The columns a new comment gives (those not undefined), in its key order. */
const columnsOf = (comment: NewComment): string[] => Object.keys(comment).filter((column) => comment[column as keyof NewComment] !== undefined);

/** PostgreSQL: new comments written in groups, one statement per group (all of one set of columns). */
const newComments = new GroupWriter<NewCommentWrite, number>(insertCommentsWithEvents, insertOneCommentWithEvent, 64);

/** PostgreSQL: one comment, its deliveries and its event in one statement; its text built once per set of comment columns and number of deliveries. */
async function insertOneCommentWithEvent(db: Kysely<Database>, { comment, deliveries, event }: NewCommentWrite): Promise<number> {
  const entries = Object.entries(comment).filter(([, value]) => value !== undefined);
  const outbox = deliveries.map(pendingRow);
  const parameters = [...entries.map(([, value]) => value), ...outbox.flatMap((row) => Object.values(row)), ...lockedAppendParameters(event)];
  const shape = `insert-comment-with-event:${entries.map(([column]) => column).join(',')}:${outbox.length}`;
  const [row] = await executeBuiltOnce<{ id: number }>(db, shape, parameters, () => {
    const writes = [db.insertInto('comments').values(Object.fromEntries(entries) as NewComment)];
    return lockedAppend(db, event, outbox.length ? [...writes, db.insertInto('outbox').values(outbox)] : writes);
  });
  return Number(row!.id);
}

/**
 * PostgreSQL: several comments (of the same columns), all their deliveries and their events in one statement, each
 * table's rows bound as one JSON array; its text built once per set of comment columns, whatever the numbers of
 * comments and deliveries. Returns the events' ids in the comments' order.
 */
async function insertCommentsWithEvents(db: Kysely<Database>, writes: readonly NewCommentWrite[]): Promise<number[]> {
  const columns = columnsOf(writes[0]!.comment);
  const comments = JSON.stringify(writes.map(({ comment }) => comment));
  const outbox = JSON.stringify(writes.flatMap(({ deliveries }) => deliveries.map(pendingRow)));
  const events = writes.map(({ event }) => event);
  const rows = await executeBuiltOnce<{ id: number; comment_id: string }>(db, `insert-comments-with-events:${columns.join(',')}`, [comments, outbox, ...lockedAppendManyParameters(events)], () =>
    lockedAppendMany(db, events, [fromJson('comments', columns, comments), fromJson('outbox', OUTBOX_COLUMNS, outbox)]),
  );
  const ids = new Map(rows.map((row) => [row.comment_id, Number(row.id)]));
  return writes.map(({ comment }) => ids.get(comment.id)!);
}

/** The columns of a delivery as enqueued (`pendingRow`). */
const OUTBOX_COLUMNS = Object.keys(pendingRow({} as NewOutboxRow));

/** PostgreSQL: inserts the rows of a JSON array into `table` (these columns of each; a key absent from a row is null). */
const fromJson = (table: 'comments' | 'outbox', columns: readonly string[], json: string) => {
  const list = sql.join(columns.map((column) => sql.ref(column)));
  return sql`INSERT INTO ${sql.table(table)} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${sql.table(table)}, ${json}::json)`;
};

/** Stores many new comments in one statement (an import's batch). */
export async function insertComments(db: Kysely<Database>, comments: readonly NewComment[]): Promise<void> {
  if (comments.length) await db.insertInto('comments').values([...comments]).execute();
}

/** Where these comments sit in their threads (story, top-level comment, depth), by id. */
export async function findPlacements(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, Pick<CommentRow, 'id' | 'story_id' | 'root_id' | 'depth'>>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('comments').select(['id', 'story_id', 'root_id', 'depth']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/** One comment row by its id, whatever its status. */
export async function findComment(db: Kysely<Database>, id: string): Promise<CommentRow | undefined> {
  const [row] = await executeBuiltOnce(db, 'comment', [id], () => db.selectFrom('comments').selectAll().where('id', '=', id).compile());
  return row;
}

/** Changes a comment's columns (an edit, a deletion, a moderator's decision). */
export async function updateComment(db: Kysely<Database>, id: string, changes: CommentUpdate): Promise<void> {
  await db.updateTable('comments').set(changes).where('id', '=', id).execute();
}

/** Who sees a comment in a thread: everyone once it is published, its author always. One rule for every read. */
function visibleTo(viewerId: string | null) {
  // A reader who is not signed in is no comment's author.
  if (viewerId === null) return sql<boolean>`comments.status = 'published'`;
  return sql<boolean>`(comments.status = 'published' OR comments.author_id = ${viewerId})`;
}

/**
 * What only a comment's author is shown of it: its Markdown source, why it was held and the words that drove it.
 * Not selected for a reader who is not signed in (four null columns on every row cost SQLite and the driver about
 * a microsecond a row).
 */
function authorOnly(viewerId: string | null) {
  if (viewerId === null) return [];
  return [
    sql<string | null>`CASE WHEN comments.author_id = ${viewerId} THEN comments.body_markdown END`.as('body_markdown'),
    sql<string | null>`CASE WHEN comments.author_id = ${viewerId} THEN comments.reasons_json END`.as('reasons_json'),
    sql<string | null>`CASE WHEN comments.author_id = ${viewerId} THEN comments.spans_json END`.as('spans_json'),
    sql<string | null>`CASE WHEN comments.author_id = ${viewerId} THEN comments.flagged_labels END`.as('flagged_labels'),
  ];
}

/** A comment's shown columns (SHOWN_COLUMNS for a ThreadComment, PAGE_COLUMNS for a PageComment) and its author's name. */
function threadColumns<C extends (typeof SHOWN_COLUMNS)[number]>(db: Kysely<Database>, viewerId: string | null, columns: readonly C[]) {
  return db
    .selectFrom('comments')
    .innerJoin('users', 'users.id', 'comments.author_id')
    .select(columns.map((column) => `comments.${column}` as const))
    .select('users.username as author_username')
    .select(authorOnly(viewerId));
}

/** The sort key the cursor carries for a comment under a sort order. */
export function sortKey(comment: Pick<CommentRow, 'score' | 'created_at'>, sort: ThreadSort): number {
  return sort === 'top' ? comment.score : comment.created_at;
}

/**
 * One page of a story's thread. Every query is an index range scan bounded by the page size and the
 * reply limit, so a page costs the same on a thread of ten comments or a hundred thousand.
 */
export async function readThreadPage(db: Kysely<Database>, q: ThreadPageQuery): Promise<ThreadPage> {
  assertBounded(q);
  const { rows, found } = dialectOf(db) === 'postgres' ? await pageOnPostgres(db, q) : await pageOnSqlite(db, q);
  return threadPageOf(db, q, rows, found);
}

function assertBounded(q: ThreadPageQuery): void {
  if (!Number.isSafeInteger(q.limit)) throw new Error(`a page size must be an integer, not ${q.limit}`);
  if (!Number.isSafeInteger(q.replyLimit)) throw new Error(`a reply limit must be an integer, not ${q.replyLimit}`);
}

/** A statement whose one row (or none) is read in the same statement as a page (`readThreadPageWithRow`). */
export interface PageCompanion<Row> {
  /** Names the statement among those built once. */
  shape: string;
  /** Built only when the statement is (once per process and shape): building a query costs CPU on every request. */
  query: () => Expression<Row>;
  /** What `query` binds, in order. */
  parameters: readonly unknown[];
}

/**
 * PostgreSQL: a page (as `readThreadPage`) and the row of another query, in one statement: one
 * round trip, and one snapshot for both. The row comes back as JSON (`row_to_json`) in a row of the page's shape
 * whose columns are all null (a left join on false), so sorted last (`ORDER BY depth`: nulls last); its integers
 * are numbers, as the driver gives them.
 */
export async function readThreadPageWithRow<Row>(db: Kysely<Database>, q: Omit<ThreadPageQuery, 'withStory'>, companion: PageCompanion<Row>): Promise<{ page: ThreadPage; row: Row | undefined }> {
  assertBounded(q);
  const { rows, found, companionJson } = await pageOnPostgres(db, q, companion);
  return { page: await threadPageOf(db, q, rows, found), row: companionJson === undefined ? undefined : (JSON.parse(companionJson) as Row) };
}

async function threadPageOf(db: Kysely<Database>, q: ThreadPageQuery, rows: RootRow[], found: PageComment[]): Promise<ThreadPage> {
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > q.limit && last ? { key: sortKey(last, q.sort), id: last.id } : null;

  const replies = new Map<string, PageComment[]>(page.map((root) => [root.id, []]));
  const truncated = new Set<string>();
  for (const reply of found) replies.get(reply.root_id)!.push(reply);
  for (const [rootId, list] of replies) {
    // UNION ALL promises no order: put each branch back in posting order.
    list.sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (list.length > q.replyLimit) {
      truncated.add(rootId);
      list.length = q.replyLimit;
    }
  }
  if (!q.withStory) return { roots: page, replies, truncated, nextCursor };
  const first = rows[0];
  const story = first ? { state: first.story_state!, site_id: first.story_site_id! } : await findStoryVisibility(db, q.storyId);
  return { roots: page, replies, truncated, nextCursor, story };
}

/** A story's state and site (what deciding whether a reader may see it takes). */
async function findStoryVisibility(db: Kysely<Database>, storyId: string): Promise<Pick<StoryRow, 'state' | 'site_id'> | undefined> {
  const [row] = await executeBuiltOnce(db, 'story-visibility', [storyId], () =>
    db.selectFrom('stories').select(['state', 'site_id']).where('id', '=', storyId).compile(),
  );
  return row;
}

/** A top-level comment as `rootsQuery` reads it: with its story's state and site when asked for (withStory). */
type RootRow = PageComment & { story_state?: StoryRow['state']; story_site_id?: string };

/** A page's top-level comments and one more (whether there is a next page), in the page's order. */
function rootsQuery(db: Kysely<Database>, q: ThreadPageQuery, limit: number | RawBuilder<number>) {
  const keyColumn = q.sort === 'top' ? 'comments.score' : 'comments.created_at';
  const direction = q.sort === 'oldest' ? 'asc' : 'desc';
  const { cursor } = q;
  let roots = threadColumns(db, q.viewerId, PAGE_COLUMNS)
    .$if(q.withStory === true, (query) =>
      query.innerJoin('stories', 'stories.id', 'comments.story_id').select(['stories.state as story_state', 'stories.site_id as story_site_id']),
    )
    .where(visibleTo(q.viewerId))
    .where('comments.story_id', '=', q.storyId)
    .where('comments.depth', '=', sql.lit(0));
  if (cursor) {
    roots = roots.where((eb) =>
      eb(eb.refTuple(keyColumn, 'comments.id'), direction === 'asc' ? '>' : '<', eb.tuple(cursor.key, cursor.id)),
    );
  }
  return roots.orderBy(keyColumn, direction).orderBy('comments.id', direction).limit(limit);
}

/** What `rootsQuery` binds, in order: the author-only columns and the visibility rule (a signed-in reader's), the story, the cursor. */
const rootsParameters = (q: ThreadPageQuery) => [...viewerParameters(q.viewerId), q.storyId, ...(q.cursor ? [q.cursor.key, q.cursor.id] : [])];

const pageShape = (q: ThreadPageQuery) => `${q.sort}:${q.cursor ? 'after' : 'first'}:${readerOf(q.viewerId)}${q.withStory ? ':with-story' : ''}`;

/**
 * SQLite: the top-level comments, then their replies (readBranches). The page size is written as a literal (SQLite
 * ran `LIMIT ?` a quarter slower; see readBranches): one statement per page size, at most 100 of them (the API's
 * largest page).
 */
async function pageOnSqlite(db: Kysely<Database>, q: ThreadPageQuery): Promise<{ rows: RootRow[]; found: PageComment[] }> {
  const rows = await executeBuiltOnce(db, `roots:${pageShape(q)}:${q.limit + 1}`, rootsParameters(q), () => rootsQuery(db, q, sql.lit(q.limit + 1)).compile());
  return { rows, found: await readBranches(db, rows.slice(0, q.limit).map((root) => root.id), q.viewerId, q.replyLimit + 1) };
}

/**
 * PostgreSQL: the top-level comments and the first replies of those shown, in one statement (a page's time there is
 * mostly round trips): the roots as a CTE, a LATERAL join for each shown root's replies, one bounded index range scan
 * each. Roots come first (depth 0), in the page's order. The limits are literals (one statement per page size and
 * reply limit): with `LIMIT $n` the planner priced the generic plan for a tenth of the story's comments, kept a
 * custom plan, and planned the statement anew on every read (0.4–1.2 ms of PostgreSQL's CPU, about what running it
 * took).
 */
async function pageOnPostgres(
  db: Kysely<Database>,
  q: ThreadPageQuery,
  companion?: PageCompanion<unknown>,
): Promise<{ rows: RootRow[]; found: PageComment[]; companionJson?: string }> {
  const perRoot = q.replyLimit + 1;
  const parameters = [...(companion?.parameters ?? []), ...rootsParameters(q), ...viewerParameters(q.viewerId)];
  const shape = `page:${pageShape(q)}:${q.limit}:${perRoot}${companion ? `:with:${companion.shape}` : ''}`;
  const all = await executeBuiltOnce(db, shape, parameters, () => {
    const key = sql.ref(q.sort === 'top' ? 'score' : 'created_at');
    const direction = sql.raw(q.sort === 'oldest' ? 'asc' : 'desc');
    // With a companion: its statement first (its parameters bind first), a column for its JSON on every row.
    const withCompanion = companion ? sql`companion AS (${companion.query()}),` : sql``;
    const companionColumn = companion ? sql`, NULL::text AS companion_json` : sql``;
    return sql<RootRow & { companion_json?: string | null }>`
    WITH ${withCompanion} roots AS (${rootsQuery(db, q, sql.lit(q.limit + 1))}),
      shown AS (SELECT id FROM roots ORDER BY ${key} ${direction}, id ${direction} LIMIT ${sql.lit(q.limit)})
    SELECT * ${companionColumn} FROM roots
    UNION ALL
    SELECT r.* ${companionColumn} FROM shown AS root CROSS JOIN LATERAL (
      SELECT ${sql.join([
        ...PAGE_COLUMNS.map((column) => sql.ref(`comments.${column}`)),
        sql`users.username AS author_username`,
        ...authorOnly(q.viewerId),
        // The roots' story columns (withStory), in the same place: a UNION's rows have one shape.
        ...(q.withStory ? [sql`NULL AS story_state`, sql`NULL AS story_site_id`] : []),
      ])}
      FROM comments JOIN users ON users.id = comments.author_id
      WHERE comments.root_id = root.id AND comments.depth > 0
        AND ${visibleTo(q.viewerId)}
      ORDER BY comments.created_at, comments.id
      LIMIT ${sql.lit(perRoot)}
    ) AS r
    ${companion ? sql`UNION ALL SELECT none.*, row_to_json(companion)::text FROM companion LEFT JOIN roots AS none ON false` : sql``}
    ORDER BY depth, ${key} ${direction}, id ${direction}`.compile(db);
  });
  const companionJson = companion && all[all.length - 1]?.depth === null ? all.pop()!.companion_json! : undefined;
  const firstReply = all.findIndex((row) => row.depth > 0);
  const page = firstReply < 0 ? { rows: all, found: [] } : { rows: all.slice(0, firstReply), found: all.slice(firstReply) };
  return companionJson === undefined ? page : { ...page, companionJson };
}

/** A page's statements differ for a reader who is not signed in (see authorOnly and visibleTo). */
const readerOf = (viewerId: string | null) => (viewerId === null ? 'anonymous' : 'signed-in');

/** What `authorOnly` and `visibleTo` bind, in that order: the reader five times, or nothing for no reader. */
const viewerParameters = (viewerId: string | null) => (viewerId === null ? [] : [viewerId, viewerId, viewerId, viewerId, viewerId]);

/**
 * SQLite: the first replies under each of several top-level comments, in one statement, a UNION ALL of one
 * bounded index range scan per top-level comment. The depth and the limit are written as literals: SQLite ran this
 * statement two to three times as slowly with `LIMIT ?` (its planner does not know the limit; docs/performance.md,
 * round 5). perRoot is the configured reply limit, one integer per process, so the statement is still built once
 * per number of branches.
 */
async function readBranches(db: Kysely<Database>, rootIds: string[], viewerId: string | null, perRoot: number): Promise<PageComment[]> {
  if (rootIds.length === 0) return [];
  // Bound in this order, for each branch: the four author-only columns and the visibility rule (a signed-in
  // reader's), then the branch's top-level comment.
  const viewer = viewerParameters(viewerId);
  const parameters = rootIds.flatMap((rootId) => [...viewer, rootId]);
  return executeBuiltOnce(db, `branches:${rootIds.length}:${perRoot}:${readerOf(viewerId)}`, parameters, () => {
    const branches = rootIds.map((rootId) =>
      db
        .selectFrom(
          threadColumns(db, viewerId, PAGE_COLUMNS)
            .where(visibleTo(viewerId))
            .where('comments.root_id', '=', rootId)
            .where('comments.depth', '>', sql.lit(0))
            .orderBy('comments.created_at')
            .orderBy('comments.id')
            .limit(sql.lit(perRoot))
            .as('r'),
        )
        .selectAll(),
    );
    const [first, ...rest] = branches;
    return rest.reduce((union, branch) => union.unionAll(branch), first!).compile();
  });
}

/** Replies under one top-level comment after the ones already shown, for "more replies". */
export async function readReplies(
  db: Kysely<Database>,
  rootId: string,
  viewerId: string | null,
  after: ThreadCursor | null,
  limit: number,
): Promise<{ replies: PageComment[]; nextCursor: ThreadCursor | null }> {
  let query = threadColumns(db, viewerId, PAGE_COLUMNS)
    .where(visibleTo(viewerId))
    .where('comments.root_id', '=', rootId)
    .where('comments.depth', '>', 0);
  if (after) {
    query = query.where((eb) =>
      eb(eb.refTuple('comments.created_at', 'comments.id'), '>', eb.tuple(after.key, after.id)),
    );
  }
  const rows = await query.orderBy('comments.created_at').orderBy('comments.id').limit(limit + 1).execute();
  const replies = rows.slice(0, limit);
  const last = replies[replies.length - 1];
  return { replies, nextCursor: rows.length > limit && last ? { key: last.created_at, id: last.id } : null };
}

/**
 * One comment with its author's name, whatever its status (the caller decides who may see it).
 * @param viewerId the reader: their own comment comes with its source and reasons
 */
export async function findThreadComment(db: Kysely<Database>, id: string, viewerId: string | null = null): Promise<ThreadComment | undefined> {
  return threadColumns(db, viewerId, SHOWN_COLUMNS).where('comments.id', '=', id).executeTakeFirst();
}

/** Whether this author has a comment on this story that only they may see (held or rejected). */
export async function hasUnpublishedOn(db: Kysely<Database>, storyId: string, authorId: string): Promise<boolean> {
  const row = await db
    .selectFrom('comments')
    .select('id')
    .where('author_id', '=', authorId)
    .where('story_id', '=', storyId)
    .where('status', '!=', 'published')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The Markdown source of these comments, by id. */
export async function findSources(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('comments').select(['id', 'body_markdown']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((row) => [row.id, row.body_markdown]));
}

/** The author's published comments, counted up to `upTo` (all that a threshold needs to know). */
export async function countPublishedBy(db: Kysely<Database>, authorId: string, upTo: number): Promise<number> {
  const rows = await db
    .selectFrom('comments')
    .select('id')
    .where('author_id', '=', authorId)
    .where('status', '=', 'published')
    .where('deleted_at', 'is', null)
    .limit(upTo)
    .execute();
  return rows.length;
}

/** How many replies under a top-level comment come before this key (oldest first), counted up to `upTo`. */
export async function countRepliesBefore(db: Kysely<Database>, rootId: string, before: ThreadCursor, upTo: number): Promise<number> {
  const rows = await db
    .selectFrom('comments')
    .select('id')
    .where('root_id', '=', rootId)
    .where('depth', '>', 0)
    .where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(before.key, before.id)))
    .limit(upTo)
    .execute();
  return rows.length;
}

/**
 * The published comments on a story that have not been deleted: the count a story page shows, kept per story by
 * triggers on comments (migrations 0022, SQLite, and 0024, PostgreSQL).
 */
export async function countPublishedOnStory(db: Kysely<Database>, storyId: string): Promise<number> {
  const [row] = await executeBuiltOnce(db, 'story comment count', [storyId], () => db.selectNoFrom(publishedCountOf(sql`${storyId}`).as('n')).compile());
  return Number(row?.n ?? 0);
}

/** `countPublishedOnStory` as a scalar subquery, for the story given as a value or a column (one statement with others). */
export function publishedCountOf(storyId: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`coalesce((SELECT published FROM story_comment_counts WHERE story_id = ${storyId}), 0)`;
}
