// Moderators at scale: soft claims on queue items, saved queue filters, and what the audit log says about each
// moderator's week.
import type { Kysely } from 'kysely';
import type { Database, SavedFiltersTable } from './schema.js';
import { idList, newId } from './ids.js';

export interface ClaimRow {
  comment_id: string;
  site_id: string;
  user_id: string;
  username: string;
  expires_at: number;
}

/**
 * Claims a comment for `userId` until `expiresAt`, unless someone else holds an unexpired claim on it (then theirs
 * stays). Answers the claim that holds after the call.
 */
export async function claimComment(
  db: Kysely<Database>,
  claim: { commentId: string; siteId: string; userId: string },
  now: number,
  expiresAt: number,
): Promise<ClaimRow | undefined> {
  // One statement: the row is taken over only when it is the same moderator's or has run out.
  await db
    .insertInto('queue_claims')
    .values({ comment_id: claim.commentId, site_id: claim.siteId, user_id: claim.userId, claimed_at: now, expires_at: expiresAt })
    .onConflict((oc) =>
      oc
        .column('comment_id')
        .doUpdateSet({ user_id: claim.userId, claimed_at: now, expires_at: expiresAt })
        .where((eb) => eb.or([eb('queue_claims.user_id', '=', claim.userId), eb('queue_claims.expires_at', '<=', now)])),
    )
    .execute();
  return (await activeClaims(db, { commentIds: [claim.commentId] }, now))[0];
}

/** Ends `userId`'s claim on a comment (another moderator's stays). */
export async function releaseClaim(db: Kysely<Database>, commentId: string, userId: string): Promise<void> {
  await db.deleteFrom('queue_claims').where('comment_id', '=', commentId).where('user_id', '=', userId).execute();
}

/** Unexpired claims on these sites (null: every site) or on these comments, with their holders' names, oldest first. */
export async function activeClaims(
  db: Kysely<Database>,
  where: { siteIds?: string[] | null; commentIds?: string[] },
  now: number,
): Promise<ClaimRow[]> {
  let query = db
    .selectFrom('queue_claims')
    .innerJoin('users', 'users.id', 'queue_claims.user_id')
    .select(['queue_claims.comment_id', 'queue_claims.site_id', 'queue_claims.user_id', 'users.username', 'queue_claims.expires_at'])
    .where('queue_claims.expires_at', '>', now);
  if (where.siteIds) query = query.where('queue_claims.site_id', 'in', idList(where.siteIds));
  if (where.commentIds) query = query.where('queue_claims.comment_id', 'in', idList(where.commentIds));
  return query.orderBy('queue_claims.claimed_at').orderBy('queue_claims.comment_id').execute();
}

/** Claims that ran out long ago: nobody needs them any more. */
export async function dropExpiredClaims(db: Kysely<Database>, before: number): Promise<void> {
  await db.deleteFrom('queue_claims').where('expires_at', '<', before).execute();
}

export type SavedFilterRow = SavedFiltersTable;

export async function listSavedFilters(db: Kysely<Database>, userId: string, siteScope: string): Promise<SavedFilterRow[]> {
  return db.selectFrom('saved_filters').selectAll().where('user_id', '=', userId).where('site_scope', '=', siteScope).orderBy('name').execute();
}

/** Saves a filter under its name, replacing the user's filter of that name on that site. */
export async function saveFilter(
  db: Kysely<Database>,
  filter: { userId: string; siteScope: string; name: string; filterJson: string },
  now: number,
): Promise<SavedFilterRow> {
  const row: SavedFilterRow = { id: newId(), user_id: filter.userId, site_scope: filter.siteScope, name: filter.name, filter_json: filter.filterJson, created_at: now };
  await db
    .insertInto('saved_filters')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'site_scope', 'name']).doUpdateSet({ filter_json: filter.filterJson }))
    .execute();
  return db
    .selectFrom('saved_filters')
    .selectAll()
    .where('user_id', '=', filter.userId)
    .where('site_scope', '=', filter.siteScope)
    .where('name', '=', filter.name)
    .executeTakeFirstOrThrow();
}

/** Deletes one of the user's saved filters; false when they have none with this id. */
export async function deleteSavedFilter(db: Kysely<Database>, userId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('saved_filters').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Every audited action by staff since `since` on these sites (null: every site), with, for actions on a comment,
 * when the comment arrived: the weekly summary counts them per moderator.
 */
export async function actionsSince(db: Kysely<Database>, siteIds: string[] | null, since: number) {
  let query = db
    .selectFrom('audit_log')
    .innerJoin('users', 'users.id', 'audit_log.actor_id')
    .leftJoin('comments', (join) => join.onRef('comments.id', '=', 'audit_log.target_id').on('audit_log.target_type', '=', 'comment'))
    .select(['audit_log.actor_id', 'users.username', 'audit_log.action', 'audit_log.created_at', 'comments.created_at as comment_created_at'])
    .where('audit_log.created_at', '>=', since)
    .where('users.role', '!=', 'commenter');
  if (siteIds) query = query.where('audit_log.site_id', 'in', idList(siteIds));
  return query.execute();
}
