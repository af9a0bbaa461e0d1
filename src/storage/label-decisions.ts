// Labels moderators confirm or correct on comments, and the moderators' decisions that become a site's training data.
import type { Kysely } from 'kysely';
import type { CommentRow, Database } from './schema.js';
import { appendAudit, type NewAuditEntry } from './audit.js';

/** A comment's label decisions: label -> 1 (applies) or 0 (does not). */
export type LabelValues = Record<string, 0 | 1>;

/** The label decisions on these comments, comment by comment (comments without any are left out). */
export async function labelDecisionsFor(db: Kysely<Database>, commentIds: readonly string[]): Promise<Map<string, LabelValues>> {
  const out = new Map<string, LabelValues>();
  if (commentIds.length === 0) return out;
  const rows = await db.selectFrom('label_decisions').select(['comment_id', 'label', 'value']).where('comment_id', 'in', [...commentIds]).execute();
  for (const row of rows) {
    const values = out.get(row.comment_id) ?? {};
    values[row.label] = row.value ? 1 : 0;
    out.set(row.comment_id, values);
  }
  return out;
}

/**
 * Sets labels on a comment (the latest decision per label wins) and appends `audit` (built from the values before and
 * after), in one transaction. `decide` gets the comment as it is in the transaction and the values before; it may
 * throw to refuse, and then nothing is written. Returns the values after, or undefined when there is no such comment.
 */
export async function setLabelDecisions(
  db: Kysely<Database>,
  commentId: string,
  decide: (comment: CommentRow, before: LabelValues, now: number) => { by: string; values: LabelValues; audit: (after: LabelValues) => Omit<NewAuditEntry, 'target_type' | 'target_id'> },
): Promise<LabelValues | undefined> {
  return db.transaction().execute(async (trx) => {
    const comment = await trx.selectFrom('comments').selectAll().where('id', '=', commentId).executeTakeFirst();
    if (!comment) return undefined;
    const before = (await labelDecisionsFor(trx, [commentId])).get(commentId) ?? {};
    const now = Date.now();
    const { by, values, audit } = decide(comment, before, now);
    for (const [label, value] of Object.entries(values)) {
      await trx
        .insertInto('label_decisions')
        .values({ comment_id: commentId, label, value, site_id: comment.site_id, decided_by: by, decided_at: now })
        .onConflict((oc) => oc.columns(['comment_id', 'label']).doUpdateSet({ value, decided_by: by, decided_at: now }))
        .execute();
    }
    const after = { ...before, ...values };
    await appendAudit(trx, { ...audit(after), target_type: 'comment', target_id: commentId }, now);
    return after;
  });
}

/** A comment a moderator decided on or labelled, with what they decided: one row of a site's training data. */
export interface DecidedComment {
  id: string;
  text: string;
  status: CommentRow['status'];
  /** Who approved or rejected it; null when a moderator only set labels. */
  moderated_by: string | null;
  moderated_at: number | null;
  moderation_reason: string | null;
  flagged_labels: string | null;
  scores_json: string | null;
  /** When the last decision on it (an approval, a rejection or a label) was taken. */
  decided_at: number;
  labels: LabelValues;
}

/**
 * The comments of a site that moderators approved, rejected or labelled (deleted ones left out), with their label
 * decisions, oldest decision first; `since`: only those decided at or after it.
 */
export async function readDecidedComments(db: Kysely<Database>, siteId: string, since: number | null = null): Promise<DecidedComment[]> {
  const rows = await db
    .selectFrom('comments')
    .select(['id', 'body_markdown', 'status', 'moderated_by', 'moderated_at', 'moderation_reason', 'flagged_labels', 'scores_json'])
    .where('site_id', '=', siteId)
    .where('deleted_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('moderated_by', 'is not', null),
        eb.exists(eb.selectFrom('label_decisions').select('label_decisions.label').whereRef('label_decisions.comment_id', '=', 'comments.id')),
      ]),
    )
    .execute();
  const labels = new Map<string, { values: LabelValues; at: number }>();
  const ids = rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const decided = await db.selectFrom('label_decisions').select(['comment_id', 'label', 'value', 'decided_at']).where('comment_id', 'in', chunk).execute();
    for (const d of decided) {
      const entry = labels.get(d.comment_id) ?? { values: {}, at: 0 };
      entry.values[d.label] = d.value ? 1 : 0;
      entry.at = Math.max(entry.at, Number(d.decided_at));
      labels.set(d.comment_id, entry);
    }
  }
  const out = rows.map((r) => {
    const l = labels.get(r.id);
    return {
      id: r.id,
      text: r.body_markdown,
      status: r.status,
      moderated_by: r.moderated_by,
      moderated_at: r.moderated_at === null ? null : Number(r.moderated_at),
      moderation_reason: r.moderation_reason,
      flagged_labels: r.flagged_labels,
      scores_json: r.scores_json,
      decided_at: Math.max(r.moderated_at === null ? 0 : Number(r.moderated_at), l?.at ?? 0),
      labels: l?.values ?? {},
    };
  });
  return out.filter((r) => since === null || r.decided_at >= since).sort((a, b) => a.decided_at - b.decided_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
