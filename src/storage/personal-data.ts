// Everything Parley holds about one person, read for their download, and what deleting their account changes.
import type { Kysely } from 'kysely';
import type { CommentRow, Database } from './schema.js';
import { idList } from './ids.js';

/** The rows that name or belong to an account, other than the account itself. */
export async function readPersonalData(db: Kysely<Database>, userId: string) {
  const [comments, votes, reports, sessions, apiTokens, identities] = await Promise.all([
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
  ]);
  return { comments, votes, reports, sessions, apiTokens, identities };
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

/** Removes comments from the database with what hangs off them (votes, reports, label decisions, their thread events). */
export async function eraseComments(db: Kysely<Database>, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  for (const table of ['votes', 'reports', 'label_decisions', 'thread_events'] as const) {
    await db.deleteFrom(table).where('comment_id', 'in', idList(ids)).execute();
  }
  await db.deleteFrom('comments').where('id', 'in', idList(ids)).execute();
}

/** Ends an account's sessions and API tokens and unlinks its identities elsewhere. */
export async function forgetCredentials(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  await db.deleteFrom('api_tokens').where('user_id', '=', userId).execute();
  await db.deleteFrom('user_identities').where('user_id', '=', userId).execute();
  // The hashed addresses they were seen at, and a hold put on them at sign-up (src/core/ban-evasion.ts).
  await db.deleteFrom('network_addresses').where('user_id', '=', userId).execute();
  await db.deleteFrom('evasion_holds').where('user_id', '=', userId).execute();
}
