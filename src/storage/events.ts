// The thread event log: every change to a thread, appended in the transaction of the change, read back in id order.
import { sql, type CompiledQuery, type Kysely, type OperationNodeSource } from 'kysely';
import type { Database, NewThreadEvent, ThreadEventRow } from './schema.js';
import { idList } from './ids.js';
import { executeBuiltOnce, insertBuiltOnce, isPostgres } from './db.js';

/** The PostgreSQL channel on which a committed event's id is announced to every process. */
export const THREAD_EVENTS_CHANNEL = 'parley_thread_events';
/**
 * Serializes event writers on PostgreSQL until they commit, so that ids commit in the order they were given. Taken
 * after the rows a change writes: a transaction that changes several comments locks them all before it changes the
 * first (`lockCommentsToChange`), or it would wait for a row while holding this lock, and deadlock with a writer
 * that holds that row and waits here.
 */
export const EVENT_LOCK = 0x7061726c; // "parl"; migration 0024's triggers take it by this value too

/** Takes the event lock now, until the commit, on PostgreSQL (SQLite runs one writer at a time anyway). */
export async function takeEventLock(trx: Kysely<Database>): Promise<void> {
  if (isPostgres(trx)) await sql`SELECT pg_advisory_xact_lock(${EVENT_LOCK})`.execute(trx);
}


/**
 * Appends one event; call it inside the transaction of the change it records. Returns its id. On PostgreSQL the
 * writers of events take turns until they commit (a transaction-scoped advisory lock), so a later id never commits
 * before an earlier one and a reader that resumes after an id misses nothing; the id is announced on
 * THREAD_EVENTS_CHANNEL when (and only if) the transaction commits. The lock, the insert and the announcement are one
 * statement, one round trip: the turn each writer holds lasts that round trip and the commit, no more. SQLite
 * serializes writers anyway.
 */
export async function appendThreadEvent(trx: Kysely<Database>, event: NewThreadEvent): Promise<number> {
  if (!isPostgres(trx)) {
    const [row] = await insertBuiltOnce<{ id: number }>(trx, 'thread_events', event, 'id');
    return Number(row!.id);
  }
  // Built once per process (executeBuiltOnce).
  const [row] = await executeBuiltOnce<{ id: number }>(trx, 'append-thread-event', lockedAppendParameters(event), () => lockedAppend(trx, event));
  return Number(row!.id);
}

/**
 * PostgreSQL: one statement that takes the event lock, appends `event` and announces its id on commit (as
 * `appendThreadEvent`), with the other writes of the same change in `alongside`, each run as a part (CTE) of the
 * statement: outside a transaction it commits all of them or none, in one round trip, the lock held until its
 * commit. Its parameters: those of `alongside` in their order, then `lockedAppendParameters(event)`.
 */
export function lockedAppend(db: Kysely<Database>, event: NewThreadEvent, alongside: readonly OperationNodeSource[] = []): CompiledQuery<{ id: number }> {
  const insert = db
    .insertInto('thread_events')
    .columns(EVENT_COLUMNS)
    // Selected from the lock, so the lock is taken before the id is drawn from its sequence.
    .expression((eb) => eb.selectFrom(sql`(SELECT pg_advisory_xact_lock(${EVENT_LOCK}))`.as('turn')).select(EVENT_COLUMNS.map((c) => typed(c, event[c]).as(c))))
    .returning('id');
  return sql<{ id: number }>`WITH ${ctesOf(alongside)}appended AS (${insert}) SELECT id, pg_notify(${THREAD_EVENTS_CHANNEL}, id::text) FROM appended`.compile(db);
}

/**
 * PostgreSQL: as `lockedAppend` for several events at once (bound as one JSON array of rows): one turn at the lock
 * for all of them, their ids drawn in their order, each announced on commit; one text for any number of events.
 * Returns each event's id with its comment's id. Its parameters: those of `alongside` in their order, then
 * `lockedAppendManyParameters(events)`.
 */
export function lockedAppendMany(db: Kysely<Database>, events: readonly NewThreadEvent[], alongside: readonly OperationNodeSource[]): CompiledQuery<{ id: number; comment_id: string }> {
  const columns = sql.join(EVENT_COLUMNS.map((c) => sql.ref(c)));
  const picked = sql.join(EVENT_COLUMNS.map((c) => sql.ref(`e.${c}`)));
  // The lock is taken before the first id is drawn: the rows are ordered (by their place in the array) first.
  return sql<{ id: number; comment_id: string }>`WITH ${ctesOf(alongside)}appended AS (INSERT INTO thread_events (${columns}) SELECT ${picked} FROM (SELECT pg_advisory_xact_lock(${EVENT_LOCK})) AS turn, json_populate_recordset(NULL::thread_events, ${eventsJson(events)}::json) WITH ORDINALITY AS e ORDER BY e.ordinality RETURNING id, comment_id) SELECT id, comment_id, pg_notify(${THREAD_EVENTS_CHANNEL}, id::text) FROM appended`.compile(db);
}

/** The other writes of a locked append, each a part (CTE) of its statement: `write_0 AS (...), write_1 AS (...), `. */
const ctesOf = (alongside: readonly OperationNodeSource[]) => sql.join(alongside.map((write, i) => sql`${sql.raw(`write_${i}`)} AS (${write}), `), sql``);

/** The parameters `lockedAppendMany` binds for its events, in order. */
export const lockedAppendManyParameters = (events: readonly NewThreadEvent[]): unknown[] => [EVENT_LOCK, eventsJson(events), THREAD_EVENTS_CHANNEL];

const eventsJson = (events: readonly NewThreadEvent[]): string => JSON.stringify(events.map((event) => Object.fromEntries(EVENT_COLUMNS.map((c) => [c, event[c]]))));

/** The parameters `lockedAppend` binds for the event, in order: its columns (the select list), the lock, the channel. */
export const lockedAppendParameters = (event: NewThreadEvent): unknown[] => [...EVENT_COLUMNS.map((c) => event[c]), EVENT_LOCK, THREAD_EVENTS_CHANNEL];

/** A value for the select list: numbers cast to their column's type (an untyped parameter there would be text). */
const typed = (column: (typeof EVENT_COLUMNS)[number], value: unknown) =>
  column === 'created_at' ? sql`${value}::bigint` : column === 'was_public' ? sql`${value}::integer` : sql`${value}::text`;

const EVENT_COLUMNS = ['story_id', 'site_id', 'comment_id', 'parent_id', 'author_id', 'type', 'status', 'was_public', 'payload_json', 'created_at'] as const satisfies ReadonlyArray<keyof NewThreadEvent>;

/** Events after an id, oldest first, at most `limit`; only those of these stories when given. */
export async function readThreadEventsAfter(
  db: Kysely<Database>,
  afterId: number,
  limit: number,
  storyIds?: string[],
): Promise<ThreadEventRow[]> {
  let query = db.selectFrom('thread_events').selectAll().where('id', '>', afterId);
  if (storyIds) query = query.where('story_id', 'in', idList(storyIds));
  const rows = await query.orderBy('id').limit(limit).execute();
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}

/** The id of the latest event (0 when there is none). */
export async function latestThreadEventId(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('thread_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** The id of the oldest event still in the log (0 when there is none): a reader who last saw an earlier one may have missed pruned events. */
export async function oldestThreadEventId(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('thread_events').select((eb) => eb.fn.min('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}

/**
 * Deletes the events written before `cutoff` (epoch ms), always keeping the newest, so that the log still says where
 * it stands. Returns how many went.
 */
export async function pruneThreadEvents(db: Kysely<Database>, cutoff: number): Promise<number> {
  const newest = await latestThreadEventId(db);
  const result = await db.deleteFrom('thread_events').where('created_at', '<', cutoff).where('id', '<', newest).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Runs `work` in one transaction: all of it or none. */
export function inTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}
