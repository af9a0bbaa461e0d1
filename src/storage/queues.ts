// The moderation queues: which comments wait for a person, how many, and what a moderator sees about their authors.
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { CommentRow, Database } from './schema.js';
import { idList } from './ids.js';
import type { QueueName, QueueSort } from '../contracts/api.js';

export type { QueueName, QueueSort } from '../contracts/api.js';

export interface QueueQuery {
  queue: QueueName;
  /** Only these sites; null for every site. */
  siteIds: string[] | null;
  storyId: string | null;
  label: string | null;
  sort: QueueSort;
  limit: number;
  cursor: QueueCursor | null;
  /** With the reported queue: the reports that put a comment there, site by site. */
  reportThresholds: ReportThresholds;
}

/** Where a page starts: the last item's sort key and id, and with the severity order its creation time too. */
export interface QueueCursor {
  key: number;
  time?: number;
  id: string;
}

/** Each site's report threshold: a comment with this many open reports is in the reported queue. */
export type ReportThresholds = ReadonlyArray<{ siteId: string; threshold: number }>;

/** Reported: as many open reports as the site's threshold, or one report of a threat whatever the threshold. */
function isReported(eb: ExpressionBuilder<Database, 'comments'>, thresholds: ReportThresholds) {
  return eb.or([
    eb('comments.threat_reports', '>', 0),
    ...thresholds.map(({ siteId, threshold }) => eb.and([eb('comments.site_id', '=', siteId), eb('comments.open_reports', '>=', threshold)])),
  ]);
}

export type QueueComment = CommentRow & { author_username: string; story_title: string };

/** A page of one moderation queue, most severe (then newest), newest, oldest or highest-scored first, with each comment's author name and story title. */
export async function readQueue(db: Kysely<Database>, q: QueueQuery): Promise<{ items: QueueComment[]; next: QueueCursor | null }> {
  let query = db
    .selectFrom('comments')
    .innerJoin('users', 'users.id', 'comments.author_id')
    .innerJoin('stories', 'stories.id', 'comments.story_id')
    .selectAll('comments')
    .select(['users.username as author_username', 'stories.title as story_title'])
    .where('comments.deleted_at', 'is', null);
  if (q.siteIds) query = query.where('comments.site_id', 'in', idList(q.siteIds));
  switch (q.queue) {
    case 'pending':
      query = query.where('comments.status', '=', 'pending');
      break;
    case 'rejected':
      query = query.where('comments.status', '=', 'rejected');
      break;
    case 'approved':
      query = query.where('comments.status', '=', 'published').where('comments.moderated_by', 'is not', null);
      break;
    case 'reported':
      query = query.where('comments.status', '=', 'published').where((eb) => isReported(eb, q.reportThresholds));
      break;
    case 'all':
      break;
  }
  if (q.storyId) query = query.where('comments.story_id', '=', q.storyId);
  if (q.label) query = query.where('comments.flagged_labels', 'like', `%,${q.label},%`);
  const direction = q.sort === 'oldest' ? 'asc' : 'desc';
  if (q.sort === 'severity') {
    // Most severe first (src/contracts/severity.ts), then newest, then id: a three-part key.
    const priority = sql<number>`comments.queue_priority`;
    if (q.cursor) {
      const { key: k, time = 0, id } = q.cursor;
      query = query.where((eb) =>
        eb.or([
          eb(priority, '<', k),
          eb.and([eb(priority, '=', k), eb('comments.created_at', '<', time)]),
          eb.and([eb(priority, '=', k), eb('comments.created_at', '=', time), eb('comments.id', '<', id)]),
        ]),
      );
    }
    const rows = await query
      .orderBy('comments.queue_priority', 'desc')
      .orderBy('comments.created_at', 'desc')
      .orderBy('comments.id', 'desc')
      .limit(q.limit + 1)
      .execute();
    const items = rows.slice(0, q.limit);
    const last = items[items.length - 1];
    const next = rows.length > q.limit && last ? { key: last.queue_priority, time: last.created_at, id: last.id } : null;
    return { items, next };
  }
  // Comments without scores sort as 0 by score.
  const key = q.sort === 'score' ? sql<number>`coalesce(comments.max_score, 0)` : sql<number>`comments.created_at`;
  if (q.cursor) {
    const { key: k, id } = q.cursor;
    query = query.where((eb) =>
      eb.or([eb(key, direction === 'asc' ? '>' : '<', k), eb.and([eb(key, '=', k), eb('comments.id', direction === 'asc' ? '>' : '<', id)])]),
    );
  }
  const rows = await query.orderBy(key, direction).orderBy('comments.id', direction).limit(q.limit + 1).execute();
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  const next: QueueCursor | null = rows.length > q.limit && last ? { key: q.sort === 'score' ? (last.max_score ?? 0) : last.created_at, id: last.id } : null;
  return { items, next };
}

/** How many comments wait in the pending and reported queues, for the console's badges. */
export async function queueCounts(db: Kysely<Database>, siteIds: string[] | null, reportThresholds: ReportThresholds) {
  let base = db.selectFrom('comments').where('deleted_at', 'is', null);
  if (siteIds) base = base.where('site_id', 'in', idList(siteIds));
  const count = async (q: typeof base) => Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const [pending, reported] = await Promise.all([
    count(base.where('status', '=', 'pending')),
    count(base.where('status', '=', 'published').where((eb) => isReported(eb, reportThresholds))),
  ]);
  return { pending, reported };
}

export interface AuthorHistory {
  published: number;
  pending: number;
  rejected: number;
  /** Published comments that a moderator approved. */
  approvedByModerator: number;
}

/** Each author's comments counted by status (deleted ones left out), for the moderator's view of who wrote a comment. */
export async function authorHistory(db: Kysely<Database>, authorIds: string[]): Promise<Map<string, AuthorHistory>> {
  const history = new Map<string, AuthorHistory>(authorIds.map((id) => [id, { published: 0, pending: 0, rejected: 0, approvedByModerator: 0 }]));
  if (authorIds.length === 0) return history;
  const rows = await db
    .selectFrom('comments')
    .select(['author_id', 'status'])
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.count<number>('moderated_by').as('moderated'),
    ])
    .where('author_id', 'in', authorIds)
    .where('deleted_at', 'is', null)
    .groupBy(['author_id', 'status'])
    .execute();
  for (const row of rows) {
    const h = history.get(row.author_id)!;
    h[row.status] = Number(row.n);
    if (row.status === 'published') h.approvedByModerator = Number(row.moderated);
  }
  return history;
}

/** A queued comment's parent as the queue shows it: its author's name and HTML (null and '' once deleted are the caller's call). */
export interface ParentSummary {
  id: string;
  body_html: string;
  deleted_at: number | null;
  username: string;
}

/** The comments these ids name, with their authors' names: the context a reply in a queue needs. */
export async function findParentSummaries(db: Kysely<Database>, ids: string[]): Promise<ParentSummary[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('comments')
    .innerJoin('users', 'users.id', 'comments.author_id')
    .select(['comments.id', 'comments.body_html', 'comments.deleted_at', 'users.username'])
    .where('comments.id', 'in', ids)
    .execute();
}
