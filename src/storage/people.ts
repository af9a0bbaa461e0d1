// People as moderators see them: a person's comments, the reports against them, moderators' notes, and what their
// standing on a site is counted from.
import type { Kysely } from 'kysely';
import type { CommentStatus, Database, ReportReason, UserNoteRow } from './schema.js';
import { idList, newId } from './ids.js';

/** A person's latest comments (deleted ones left out) on these sites (null: every site), with their stories' titles. */
export async function commentsBy(db: Kysely<Database>, authorId: string, siteIds: string[] | null, limit: number) {
  let query = db
    .selectFrom('comments')
    .innerJoin('stories', 'stories.id', 'comments.story_id')
    .select(['comments.id', 'comments.story_id', 'comments.body_markdown', 'comments.status', 'comments.created_at', 'stories.title as story_title'])
    .where('comments.author_id', '=', authorId)
    .where('comments.deleted_at', 'is', null);
  if (siteIds) query = query.where('comments.site_id', 'in', idList(siteIds));
  return query.orderBy('comments.created_at', 'desc').orderBy('comments.id', 'desc').limit(limit).execute();
}

/** The latest reports readers filed against a person's comments on these sites (null: every site). */
export async function reportsAgainst(
  db: Kysely<Database>,
  authorId: string,
  siteIds: string[] | null,
  limit: number,
): Promise<Array<{ comment_id: string; reason: ReportReason; note: string | null; created_at: number }>> {
  let query = db
    .selectFrom('reports')
    .innerJoin('comments', 'comments.id', 'reports.comment_id')
    .select(['reports.comment_id', 'reports.reason', 'reports.note', 'reports.created_at'])
    .where('comments.author_id', '=', authorId);
  if (siteIds) query = query.where('comments.site_id', 'in', idList(siteIds));
  return query.orderBy('reports.created_at', 'desc').orderBy('reports.id', 'desc').limit(limit).execute();
}

/** Moderators' notes on a person, newest first, with their authors' names: those of these sites and of no site (null: all). */
export async function notesOn(db: Kysely<Database>, userId: string, siteIds: string[] | null): Promise<Array<UserNoteRow & { author_username: string | null }>> {
  let query = db
    .selectFrom('user_notes')
    .leftJoin('users', 'users.id', 'user_notes.author_id')
    .selectAll('user_notes')
    .select('users.username as author_username')
    .where('user_notes.user_id', '=', userId);
  if (siteIds) query = query.where((eb) => eb.or([eb('user_notes.site_id', 'in', idList(siteIds)), eb('user_notes.site_id', 'is', null)]));
  return query.orderBy('user_notes.created_at', 'desc').orderBy('user_notes.id', 'desc').execute();
}

/** Adds a moderator's note on a person (call it in the transaction of its audit entry). */
export async function insertNote(db: Kysely<Database>, note: Omit<UserNoteRow, 'id' | 'created_at'>, now = Date.now()): Promise<UserNoteRow> {
  const row: UserNoteRow = { ...note, id: newId(), created_at: now };
  await db.insertInto('user_notes').values(row).execute();
  return row;
}

/** A person's comments on one site written since a time, counted by status: what earned trust is decided on. */
export async function recentStatusCounts(db: Kysely<Database>, authorId: string, siteId: string, since: number): Promise<Record<CommentStatus, number>> {
  const rows = await db
    .selectFrom('comments')
    .select(['status'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('author_id', '=', authorId)
    .where('site_id', '=', siteId)
    .where('created_at', '>=', since)
    .where('deleted_at', 'is', null)
    .groupBy('status')
    .execute();
  const counts: Record<CommentStatus, number> = { published: 0, pending: 0, rejected: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}
