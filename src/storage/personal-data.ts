// Everything Parley holds about one person, read for their download, and what deleting their account changes.
import type { Kysely } from 'kysely';
import type { CommentRow, Database } from './schema.js';
import { idList } from './ids.js';
import { isPostgres } from './db.js';

/** The outbox's mails to an address: planned, sent or failed (each names the person and what it told them). */
const mailsTo = (db: Kysely<Database>, email: string) => db.selectFrom('outbox').where('kind', '=', 'mail').where('target', '=', email);

/** The rows that name or belong to an account, other than the account itself. */
export async function readPersonalData(db: Kysely<Database>, userId: string, email: string | null) {
  const [comments, votes, reports, sessions, apiTokens, identities, mailTokens, replySubscriptions, mails, networkAddresses, hold] = await Promise.all([
    db
      .selectFrom('comments')
      .innerJoin('stories', 'stories.id', 'comments.story_id')
      .selectAll('comments')
      .select(['stories.url as story_url', 'stories.title as story_title'])
      .where('comments.author_id', '=', userId)
      .orderBy('comments.created_at')
      .orderBy('comments.id')
      .execute(),
    db.selectFrom('votes').selectAll().where('user_id', '=', userId).orderBy('created_at').execute(),
    db.selectFrom('reports').selectAll().where('reporter_id', '=', userId).orderBy('created_at').execute(),
    db.selectFrom('sessions').select(['created_at', 'expires_at']).where('user_id', '=', userId).orderBy('created_at').execute(),
    db.selectFrom('api_tokens').select(['name', 'created_at', 'expires_at']).where('user_id', '=', userId).orderBy('created_at').execute(),
    db.selectFrom('user_identities').selectAll().where('user_id', '=', userId).orderBy('created_at').execute(),
    // The links mailed to them: never the token (only its digest is kept, and that opens nothing).
    db.selectFrom('mail_tokens').select(['purpose', 'email', 'created_at', 'expires_at', 'used_at']).where('user_id', '=', userId).orderBy('created_at').execute(),
    db
      .selectFrom('reply_subscriptions')
      .innerJoin('stories', 'stories.id', 'reply_subscriptions.story_id')
      .select(['reply_subscriptions.story_id', 'stories.url as story_url', 'reply_subscriptions.created_at'])
      .where('reply_subscriptions.user_id', '=', userId)
      .orderBy('reply_subscriptions.created_at')
      .execute(),
    // Which mails and when, not their text: a mail not sent yet still holds its single-use link.
    email ? mailsTo(db, email).select(['topic', 'status', 'created_at', 'sent_at']).orderBy('created_at').execute() : [],
    db.selectFrom('network_addresses').select(['address_hash', 'last_seen_at']).where('user_id', '=', userId).orderBy('last_seen_at').execute(),
    // Since when (the reason is on each held comment, among its reasons).
    db.selectFrom('evasion_holds').select('created_at').where('user_id', '=', userId).executeTakeFirst(),
  ]);
  return { comments, votes, reports, sessions, apiTokens, identities, mailTokens, replySubscriptions, mails, networkAddresses, hold };
}

/** An account's comments that are not deleted yet, with whether another comment answers each. */
export async function commentsToForget(db: Kysely<Database>, userId: string): Promise<Array<CommentRow & { has_replies: number }>> {
  const rows = await db
    .selectFrom('comments')
    .selectAll('comments')
    .select((eb) =>
      eb
        .exists(eb.selectFrom('comments as reply').select('reply.id').whereRef('reply.parent_id', '=', 'comments.id'))
        .$castTo<number | boolean>()
        .as('has_replies'),
    )
    .where('author_id', '=', userId)
    .where('deleted_at', 'is', null)
    .execute();
  return rows.map((row) => ({ ...row, has_replies: row.has_replies ? 1 : 0 }));
}

/**
 * These comments as they are now, those not deleted, locked on PostgreSQL as an update locks them (FOR NO KEY UPDATE),
 * all at once: for a transaction that then changes them one by one, each change taking the event lock (see
 * `EVENT_LOCK`). Locked one at a time, the transaction would hold the event lock while it waited for the next row,
 * which a moderator's change could hold while waiting for the event lock: a deadlock. A new reply's foreign-key check
 * (FOR KEY SHARE) does not wait for this lock.
 */
export async function lockCommentsToChange(db: Kysely<Database>, ids: readonly string[]): Promise<CommentRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('comments')
    .selectAll()
    .where('id', 'in', idList(ids))
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .$if(isPostgres(db), (query) => query.forNoKeyUpdate())
    .execute();
}

/** Removes comments from the database with what hangs off them (votes, reports, label decisions, their thread events). */
export async function eraseComments(db: Kysely<Database>, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  for (const table of ['votes', 'reports', 'label_decisions', 'thread_events'] as const) {
    await db.deleteFrom(table).where('comment_id', 'in', idList(ids)).execute();
  }
  await db.deleteFrom('comments').where('id', 'in', idList(ids)).execute();
}

/**
 * Ends an account's sessions and API tokens, unlinks its identities elsewhere, and forgets its mail: link tokens,
 * reply subscriptions, and the outbox's mails to its address (sent or not: none goes out after the deletion); and
 * the hashed addresses it was seen at and a hold put on it at sign-up (src/core/ban-evasion.ts).
 */
export async function forgetCredentials(db: Kysely<Database>, userId: string, email: string | null): Promise<void> {
  for (const table of ['sessions', 'api_tokens', 'user_identities', 'mail_tokens', 'reply_subscriptions', 'network_addresses', 'evasion_holds'] as const) {
    await db.deleteFrom(table).where('user_id', '=', userId).execute();
  }
  if (email) await db.deleteFrom('outbox').where('kind', '=', 'mail').where('target', '=', email).execute();
}
