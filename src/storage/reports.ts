// Readers' reports on comments.
import { sql, type Kysely } from 'kysely';
import { THREAT_REPORT_PRIORITY } from '../contracts/severity.js';
import type { Database, ReportReason, ReportRow } from './schema.js';
import { newId } from './ids.js';
import { isPostgres } from './db.js';

/**
 * Files a reader's report and counts it on the comment, in one transaction; 'duplicate' when they reported it already,
 * 'missing' when the comment is gone.
 * `also`, when given, runs last in the same transaction after a new report (to record what it causes).
 */
export async function insertReport(
  db: Kysely<Database>,
  report: { commentId: string; reporterId: string; reason: ReportReason; note: string | null },
  now = Date.now(),
  also?: (trx: Kysely<Database>, now: number) => Promise<void>,
): Promise<'created' | 'duplicate' | 'missing'> {
  return db.transaction().execute(async (trx) => {
    // The comment's row first, then the report's (PostgreSQL): the report's foreign key would otherwise take a key-share
    // lock on the comment before the count's update waits for the row, and a deletion holding the row would wait for
    // that key-share lock: a deadlock (test/api/lock-order.test.ts).
    const comment = await trx
      .selectFrom('comments')
      .select('id')
      .where('id', '=', report.commentId)
      .$if(isPostgres(trx), (query) => query.forNoKeyUpdate())
      .executeTakeFirst();
    if (!comment) return 'missing';
    const inserted = await trx
      .insertInto('reports')
      .values({ id: newId(), comment_id: report.commentId, reporter_id: report.reporterId, reason: report.reason, note: report.note, created_at: now })
      .onConflict((oc) => oc.columns(['comment_id', 'reporter_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return 'duplicate';
    const threat = report.reason === 'threat';
    await trx
      .updateTable('comments')
      .set((eb) => ({
        open_reports: eb(eb.ref('open_reports'), '+', 1),
        ...(threat
          ? {
              threat_reports: eb(eb.ref('threat_reports'), '+', 1),
              // A reported threat sorts with the threats the classifier flagged (src/contracts/severity.ts).
              queue_priority: sql<number>`case when queue_priority < ${THREAT_REPORT_PRIORITY} then ${THREAT_REPORT_PRIORITY} else queue_priority end`,
            }
          : {}),
      }))
      .where('id', '=', report.commentId)
      .execute();
    await also?.(trx, now);
    return 'created';
  });
}

/** The reports on each of these comments, oldest first. */
export async function reportsOn(db: Kysely<Database>, commentIds: string[]): Promise<Map<string, ReportRow[]>> {
  const byComment = new Map<string, ReportRow[]>();
  if (commentIds.length === 0) return byComment;
  const rows = await db.selectFrom('reports').selectAll().where('comment_id', 'in', commentIds).orderBy('created_at').execute();
  for (const row of rows) byComment.set(row.comment_id, [...(byComment.get(row.comment_id) ?? []), row]);
  return byComment;
}

