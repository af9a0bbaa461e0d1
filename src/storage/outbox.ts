// The outbox: mails and webhook calls written in the transaction of the change that causes them, then claimed,
// sent and marked by the dispatchers of every server process (src/delivery).
import { sql, type Kysely } from 'kysely';
import type { Database, NewOutboxRow, OutboxRow } from './schema.js';
import { newId } from './ids.js';
import { isPostgres } from './db.js';

/** Adds deliveries to make; call it inside the transaction of the change that causes them. */
export async function enqueueDeliveries(trx: Kysely<Database>, rows: readonly NewOutboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  await trx.insertInto('outbox').values(rows.map(pendingRow)).execute();
}

/**
 * A delivery as it is stored when enqueued: pending, no attempt yet. Its columns always in this order, so that a
 * statement writing such rows has one text per number of rows (`insertCommentWithEvent` on PostgreSQL).
 */
export function pendingRow(row: NewOutboxRow) {
  const { id, kind, site_id, topic, target, event_id, payload_json, next_attempt_at, created_at } = row;
  return { id, kind, site_id, topic, target, event_id, payload_json, status: 'pending' as const, attempts: 0, next_attempt_at, created_at };
}

/** Whether the outbox holds a delivery of this kind for this event (in any state, until it is pruned). */
export async function hasDelivery(db: Kysely<Database>, kind: OutboxRow['kind'], eventId: string): Promise<boolean> {
  const row = await db.selectFrom('outbox').select('id').where('event_id', '=', eventId).where('kind', '=', kind).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** A new delivery row, due at once. */
export function outboxRow(fields: Omit<NewOutboxRow, 'id' | 'next_attempt_at' | 'created_at'>, now: number): NewOutboxRow {
  return { ...fields, id: newId(), next_attempt_at: now, created_at: now };
}

/**
 * Claims up to `limit` due deliveries of these kinds for one attempt: each is pushed `leaseMs` into the future and
 * its attempts counted, so no other dispatcher takes it meanwhile, and one whose dispatcher died falls due again
 * when the lease ends. On PostgreSQL, rows another process is claiming are skipped (FOR UPDATE SKIP LOCKED), so
 * several processes share the work; SQLite has one writer anyway.
 */
export async function claimDueDeliveries(
  db: Kysely<Database>,
  kinds: readonly OutboxRow['kind'][],
  now: number,
  limit: number,
  leaseMs: number,
): Promise<OutboxRow[]> {
  if (kinds.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    let due = trx
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where('kind', 'in', [...kinds])
      .orderBy('next_attempt_at')
      .limit(limit);
    if (isPostgres(trx)) due = due.forUpdate().skipLocked();
    const ids = (await due.execute()).map((row) => row.id);
    if (ids.length === 0) return [];
    return trx
      .updateTable('outbox')
      .set({ next_attempt_at: now + leaseMs, attempts: sql<number>`attempts + 1` })
      .where('id', 'in', ids)
      .returningAll()
      .execute();
  });
}

/** What one attempt came to. */
export interface AttemptResult {
  statusCode: number | null;
  error: string | null;
}

/** A delivery went through; `payloadJson` replaces a payload that must not stay (a single-use link). */
export async function markDelivered(db: Kysely<Database>, id: string, result: AttemptResult, now: number, payloadJson?: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'sent', sent_at: now, last_status_code: result.statusCode, last_error: null, ...(payloadJson ? { payload_json: payloadJson } : {}) })
    .where('id', '=', id)
    .execute();
}

/** An attempt failed: try again at `retryAt`, or, when null, give up. */
export async function markAttemptFailed(db: Kysely<Database>, id: string, result: AttemptResult, retryAt: number | null): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      last_status_code: result.statusCode,
      last_error: result.error?.slice(0, 500) ?? null,
      ...(retryAt === null ? { status: 'failed' as const } : { next_attempt_at: retryAt }),
    })
    .where('id', '=', id)
    .execute();
}

/** Forgets deliveries sent or given up before `before` (the log keeps what is newer); returns how many. */
export async function deleteFinishedDeliveries(db: Kysely<Database>, before: number): Promise<number> {
  const result = await db.deleteFrom('outbox').where('status', 'in', ['sent', 'failed']).where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deliveries still to make: how many, and how old the oldest is (for metrics). */
export async function outboxBacklog(db: Kysely<Database>): Promise<{ pending: number; oldestCreatedAt: number | null }> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return { pending: Number(row.n), oldestCreatedAt: row.oldest === null ? null : Number(row.oldest) };
}

/** A page of a site's webhook deliveries, newest first. */
export async function readWebhookDeliveries(
  db: Kysely<Database>,
  siteId: string,
  cursor: { key: number; id: string } | null,
  limit: number,
): Promise<{ rows: OutboxRow[]; next: { key: number; id: string } | null }> {
  let query = db.selectFrom('outbox').selectAll().where('site_id', '=', siteId).where('kind', '=', 'webhook');
  if (cursor) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(cursor.key, cursor.id)));
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, next: rows.length > limit && last ? { key: last.created_at, id: last.id } : null };
}

/** One delivery by its id. */
export async function findDelivery(db: Kysely<Database>, id: string): Promise<OutboxRow | undefined> {
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

