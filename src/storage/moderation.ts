// Queries behind moderation: queues, reports, sanctions, author history and the audit log.
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { AuditEntry, CommentRow, Database, ReportReason, ReportRow } from './schema.js';
import { idList, newId } from './ids.js';

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
  cursor: { key: number; id: string } | null;
  /** With the reported queue: the reports that put a comment there, site by site. */
  reportThresholds: ReportThresholds;
}

/** Each site's report threshold: a comment with this many open reports is in the reported queue. */
export type ReportThresholds = ReadonlyArray<{ siteId: string; threshold: number }>;

function isReported(eb: ExpressionBuilder<Database, 'comments'>, thresholds: ReportThresholds) {
  if (thresholds.length === 0) return sql<boolean>`1 = 0`;
  return eb.or(
    thresholds.map(({ siteId, threshold }) => eb.and([eb('comments.site_id', '=', siteId), eb('comments.open_reports', '>=', threshold)])),
  );
}

export type QueueComment = CommentRow & { author_username: string; story_title: string };

export async function readQueue(db: Kysely<Database>, q: QueueQuery): Promise<{ items: QueueComment[]; next: { key: number; id: string } | null }> {
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
  // Comments without scores sort as 0 by score.
  const key = q.sort === 'score' ? sql<number>`coalesce(comments.max_score, 0)` : sql<number>`comments.created_at`;
  const direction = q.sort === 'oldest' ? 'asc' : 'desc';
  if (q.cursor) {
    const { key: k, id } = q.cursor;
    query = query.where((eb) =>
      eb.or([eb(key, direction === 'asc' ? '>' : '<', k), eb.and([eb(key, '=', k), eb('comments.id', direction === 'asc' ? '>' : '<', id)])]),
    );
  }
  const rows = await query.orderBy(key, direction).orderBy('comments.id', direction).limit(q.limit + 1).execute();
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  const next = rows.length > q.limit && last ? { key: q.sort === 'score' ? (last.max_score ?? 0) : last.created_at, id: last.id } : null;
  return { items, next };
}

/** How many comments wait in each queue, for the console's badges. */
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

export async function insertReport(
  db: Kysely<Database>,
  report: { commentId: string; reporterId: string; reason: ReportReason; note: string | null },
  now = Date.now(),
): Promise<'created' | 'duplicate'> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('reports')
      .values({ id: newId(), comment_id: report.commentId, reporter_id: report.reporterId, reason: report.reason, note: report.note, created_at: now })
      .onConflict((oc) => oc.columns(['comment_id', 'reporter_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return 'duplicate';
    await trx
      .updateTable('comments')
      .set((eb) => ({ open_reports: eb(eb.ref('open_reports'), '+', 1) }))
      .where('id', '=', report.commentId)
      .execute();
    return 'created';
  });
}

export async function reportsOn(db: Kysely<Database>, commentIds: string[]): Promise<Map<string, ReportRow[]>> {
  const byComment = new Map<string, ReportRow[]>();
  if (commentIds.length === 0) return byComment;
  const rows = await db.selectFrom('reports').selectAll().where('comment_id', 'in', commentIds).orderBy('created_at').execute();
  for (const row of rows) byComment.set(row.comment_id, [...(byComment.get(row.comment_id) ?? []), row]);
  return byComment;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'created_at'>;

export async function appendAudit(db: Kysely<Database>, entry: NewAuditEntry, now = Date.now()): Promise<AuditEntry> {
  const row: AuditEntry = { ...entry, id: newId(), created_at: now };
  await db.insertInto('audit_log').values(row).execute();
  return row;
}

export async function readAudit(
  db: Kysely<Database>,
  siteIds: string[] | null,
  cursor: { key: number; id: string } | null,
  limit: number,
): Promise<{
  entries: Array<AuditEntry & { actor_username: string | null; comment_story_id: string | null; comment_text: string | null }>;
  next: { key: number; id: string } | null;
}> {
  let query = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_id')
    // The comment an entry is about, so that the log can say which one and link to it.
    .leftJoin('comments', (join) => join.onRef('comments.id', '=', 'audit_log.target_id').on('audit_log.target_type', '=', 'comment'))
    .selectAll('audit_log')
    .select(['users.username as actor_username', 'comments.story_id as comment_story_id', 'comments.body_markdown as comment_text']);
  if (siteIds) query = query.where((eb) => eb.or([eb('audit_log.site_id', 'in', idList(siteIds)), eb('audit_log.site_id', 'is', null)]));
  if (cursor) {
    query = query.where((eb) => eb(eb.refTuple('audit_log.created_at', 'audit_log.id'), '<', eb.tuple(cursor.key, cursor.id)));
  }
  const rows = await query.orderBy('audit_log.created_at', 'desc').orderBy('audit_log.id', 'desc').limit(limit + 1).execute();
  const entries = rows.slice(0, limit);
  const last = entries[entries.length - 1];
  return { entries, next: rows.length > limit && last ? { key: last.created_at, id: last.id } : null };
}

export interface DayCounts {
  /** Days since 1970-01-01 (UTC). */
  day: number;
  total: number;
  published: number;
  pending: number;
  rejected: number;
}

/** Comments a day by the moderation step's decision, and comments flagged per label, since a time. */
export async function decisionStats(db: Kysely<Database>, siteIds: string[] | null, since: number, labels: readonly string[]) {
  let base = db.selectFrom('comments').where('created_at', '>=', since);
  if (siteIds) base = base.where('site_id', 'in', idList(siteIds));
  const dayExpr = sql<number>`created_at / 86400000`;
  const [days, flagged] = await Promise.all([
    base
      .select([dayExpr.as('day'), 'auto_status'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .groupBy([dayExpr, 'auto_status'])
      .execute(),
    base
      .select((eb) =>
        labels.map((label) =>
          eb.fn
            .sum<number>(eb.case().when('flagged_labels', 'like', `%,${label},%`).then(1).else(0).end())
            .as(label),
        ),
      )
      .executeTakeFirstOrThrow(),
  ]);
  const byDay = new Map<number, DayCounts>();
  for (const row of days) {
    const day = Math.floor(Number(row.day));
    const counts = byDay.get(day) ?? { day, total: 0, published: 0, pending: 0, rejected: 0 };
    counts[row.auto_status] += Number(row.n);
    counts.total += Number(row.n);
    byDay.set(day, counts);
  }
  const perLabel = Object.fromEntries(labels.map((l) => [l, Number((flagged as Record<string, unknown>)[l] ?? 0)]));
  return { days: [...byDay.values()].sort((a, b) => a.day - b.day), perLabel };
}
