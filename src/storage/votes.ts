// Readers' votes on comments, and the score each comment keeps as their sum.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Records a reader's vote (1, -1, or 0 to take it back) and moves the comment's score by the difference.
 * The first statement locks the comment row, so concurrent votes on one comment apply one after another.
 * Returns the new score, or undefined when the comment cannot be voted on. `onChange`, when the score moved, runs
 * in the same transaction with the new score (to record the change with it).
 */
export async function castVote(
  db: Kysely<Database>,
  commentId: string,
  userId: string,
  value: -1 | 0 | 1,
  now = Date.now(),
  onChange?: (trx: Kysely<Database>, score: number) => Promise<void>,
): Promise<number | undefined> {
  return db.transaction().execute(async (trx) => {
    const locked = await trx
      .updateTable('comments')
      .set((eb) => ({ score: eb.ref('score') }))
      .where('id', '=', commentId)
      .where('deleted_at', 'is', null)
      .returning('score')
      .executeTakeFirst();
    if (!locked) return undefined;
    const previous = await trx
      .deleteFrom('votes')
      .where('comment_id', '=', commentId)
      .where('user_id', '=', userId)
      .returning('value')
      .executeTakeFirst();
    if (value !== 0) {
      await trx.insertInto('votes').values({ comment_id: commentId, user_id: userId, value, created_at: now }).execute();
    }
    const delta = value - (previous?.value ?? 0);
    if (delta === 0) return locked.score;
    const updated = await trx
      .updateTable('comments')
      .set((eb) => ({ score: eb(eb.ref('score'), '+', delta) }))
      .where('id', '=', commentId)
      .returning('score')
      .executeTakeFirstOrThrow();
    await onChange?.(trx, updated.score);
    return updated.score;
  });
}

/** The viewer's votes on a set of comments, to mark the buttons they pressed. */
export async function viewerVotes(db: Kysely<Database>, userId: string, commentIds: string[]): Promise<Map<string, number>> {
  if (commentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('votes')
    .select(['comment_id', 'value'])
    .where('user_id', '=', userId)
    .where('comment_id', 'in', commentIds)
    .execute();
  return new Map(rows.map((r) => [r.comment_id, r.value]));
}
