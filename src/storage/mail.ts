// What mail needs to keep: single-use link tokens (as digests), readers' reply subscriptions, and who gets the digest.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, MailTokensTable, UserRow } from './schema.js';
import { newSecret } from './ids.js';

const digest = (secret: string) => createHash('sha256').update(secret).digest('base64url');

/** Issues a single-use link token; returns the secret, which is stored only as its digest. */
export async function createMailToken(
  db: Kysely<Database>,
  token: { userId: string; purpose: MailTokensTable['purpose']; email: string; ttlMs: number },
  now = Date.now(),
): Promise<string> {
  const secret = newSecret();
  await db
    .insertInto('mail_tokens')
    .values({ token_hash: digest(secret), user_id: token.userId, purpose: token.purpose, email: token.email, expires_at: now + token.ttlMs, used_at: null, created_at: now })
    .execute();
  return secret;
}

/**
 * Uses a token once: marks it used and returns whose it is, when it exists for this purpose, is unused and has not
 * expired; else undefined. A second use, even at the same moment, gets undefined (the update is conditional).
 */
export async function consumeMailToken(
  db: Kysely<Database>,
  secret: string,
  purpose: MailTokensTable['purpose'],
  now = Date.now(),
): Promise<{ user_id: string; email: string } | undefined> {
  return db
    .updateTable('mail_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', digest(secret))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['user_id', 'email'])
    .executeTakeFirst();
}

/** Subscribes a reader to replies on a story (idempotent); returns the unsubscribe token. */
export async function subscribeToReplies(db: Kysely<Database>, userId: string, storyId: string, now = Date.now()): Promise<string> {
  await db
    .insertInto('reply_subscriptions')
    .values({ user_id: userId, story_id: storyId, token: newSecret(24), created_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'story_id']).doNothing())
    .execute();
  // The token of the subscription just made, or of the one that was already there.
  return (await replySubscription(db, userId, storyId))!;
}

export async function unsubscribeFromReplies(db: Kysely<Database>, userId: string, storyId: string): Promise<void> {
  await db.deleteFrom('reply_subscriptions').where('user_id', '=', userId).where('story_id', '=', storyId).execute();
}

/** Ends the subscription this token names; false when there is none (already ended, or never was). */
export async function unsubscribeByToken(db: Kysely<Database>, token: string): Promise<boolean> {
  const result = await db.deleteFrom('reply_subscriptions').where('token', '=', token).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The unsubscribe token of a reader's subscription to a story, or undefined when they are not subscribed. */
export async function replySubscription(db: Kysely<Database>, userId: string, storyId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('reply_subscriptions')
    .select('token')
    .where('user_id', '=', userId)
    .where('story_id', '=', storyId)
    .executeTakeFirst();
  return row?.token;
}

/** Staff with a verified address: who gets the daily digest of the queues. */
export async function staffWithVerifiedEmail(db: Kysely<Database>): Promise<UserRow[]> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('role', 'in', ['moderator', 'admin'])
    .where('email', 'is not', null)
    .where('email_verified_at', 'is not', null)
    .execute();
}

/** Forgets link tokens that can no longer be used (spent, or expired before `now`); returns how many. */
export async function deleteSpentMailTokens(db: Kysely<Database>, now: number): Promise<number> {
  const result = await db
    .deleteFrom('mail_tokens')
    .where((eb) => eb.or([eb('used_at', 'is not', null), eb('expires_at', '<=', now)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Marks a day's digest as planned; false when it already was (by another process, or a cron job). */
/** Whether a digest was planned for this day already (a cheap check before counting queues; the claim decides). */
export async function digestDayClaimed(db: Kysely<Database>, day: string): Promise<boolean> {
  return (await db.selectFrom('digest_days').select('day').where('day', '=', day).executeTakeFirst()) !== undefined;
}

export async function claimDigestDay(db: Kysely<Database>, day: string, now: number): Promise<boolean> {
  const result = await db.insertInto('digest_days').values({ day, planned_at: now }).onConflict((oc) => oc.column('day').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}
