// Learning from the newsroom: labels moderators confirm or correct on comments, and the moderators' decisions of a
// site as labelled training data (the CSV the engine's trainer reads).
import type { Storage } from '../storage/db.js';
import type { UserRow } from '../storage/schema.js';
import { readDecidedComments, setLabelDecisions, type DecidedComment, type LabelValues } from '../storage/label-decisions.js';
import { findSite } from '../storage/sites.js';
import { auditedUpdate } from '../storage/audit.js';
import { LABELS, type Label } from '../moderation/labels.js';
import type { LabelDecisions } from '../contracts/api.js';
import { conflict, notFound, ParleyError, assertActsOnSite } from './errors.js';

/** A labelled example: the comment's text and, per label, 1, 0 or null (the decisions say nothing about it). */
export interface DecisionExample {
  id: string;
  text: string;
  labels: Record<Label, 0 | 1 | null>;
  /** approved, rejected, or labelled (a moderator set labels without approving or rejecting). */
  decision: 'approved' | 'rejected' | 'labelled';
  reason: string | null;
  decidedAt: number;
}

/**
 * What a comment's decisions say about each label: a label a moderator set is what they set; otherwise an approval
 * says no label applies, and a rejection says the labels flagged when it was held apply (and nothing about the rest:
 * a comment rejected as spam is not thereby toxic).
 */
export function examplesFrom(rows: readonly DecidedComment[]): DecisionExample[] {
  const out: DecisionExample[] = [];
  for (const row of rows) {
    const approved = row.moderated_by !== null && row.status === 'published';
    const rejected = row.moderated_by !== null && row.status === 'rejected';
    const flagged = new Set((row.flagged_labels ?? '').split(',').filter(Boolean));
    const labels = Object.fromEntries(
      LABELS.map((l) => {
        const set = row.labels[l];
        if (set !== undefined) return [l, set];
        if (approved) return [l, 0];
        if (rejected && flagged.has(l)) return [l, 1];
        return [l, null];
      }),
    ) as Record<Label, 0 | 1 | null>;
    if (LABELS.every((l) => labels[l] === null)) continue;
    out.push({
      id: row.id,
      text: row.text,
      labels,
      decision: approved ? 'approved' : rejected ? 'rejected' : 'labelled',
      reason: rejected ? row.moderation_reason : null,
      decidedAt: row.decided_at,
    });
  }
  return out;
}

const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/**
 * The training CSV the engine's trainer reads (src/engine/training/data.ts): id, source, text and one column per
 * label (empty: unknown), then decision, reason and decided_at, which the trainer ignores.
 */
export function decisionsCsv(siteId: string, examples: readonly DecisionExample[]): string {
  const header = ['id', 'source', 'text', ...LABELS, 'decision', 'reason', 'decided_at'];
  const lines = [header.join(',')];
  for (const e of examples) {
    lines.push(
      [
        e.id,
        `site:${siteId}`,
        e.text,
        ...LABELS.map((l) => (e.labels[l] === null ? '' : String(e.labels[l]))),
        e.decision,
        e.reason ?? '',
        new Date(e.decidedAt).toISOString(),
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

export class LearningService {
  constructor(private readonly storage: Storage) {}

  private get db() {
    return this.storage.db;
  }

  /**
   * A moderator confirms or corrects labels on a comment of a site they act on: true, the label applies; false, it
   * does not. The latest decision per label wins; each call is one audit entry with the labels before and after.
   */
  async setLabels(staff: UserRow, commentId: string, labels: Partial<Record<Label, boolean>>): Promise<LabelDecisions> {
    const values: LabelValues = {};
    for (const [label, value] of Object.entries(labels)) {
      if (!(LABELS as readonly string[]).includes(label) || typeof value !== 'boolean') continue;
      values[label] = value ? 1 : 0;
    }
    if (Object.keys(values).length === 0) throw new ParleyError(400, 'no_labels', 'Name at least one label, true or false.');
    const after = await setLabelDecisions(this.db, commentId, (comment, before) => {
      assertActsOnSite(staff, comment.site_id);
      if (comment.deleted_at !== null) throw conflict('comment_deleted', 'The comment has been deleted by its author.');
      return {
        by: staff.id,
        values,
        audit: (afterValues) => ({
          site_id: comment.site_id,
          actor_id: staff.id,
          action: 'comment.labels',
          reason: null,
          before_json: JSON.stringify({ labels: before, excerpt: [...comment.body_markdown].slice(0, 140).join('') }),
          after_json: JSON.stringify({ labels: afterValues, excerpt: [...comment.body_markdown].slice(0, 140).join('') }),
        }),
      };
    });
    if (!after) throw notFound('The comment');
    return { id: commentId, labels: toBooleans(after) };
  }

  /**
   * An admin of the site switches it to its own model (the version of the file the server found) or back to the
   * shipped one (null). Audited with the model before and after; switching back is the same call with null.
   */
  async setSiteModel(admin: UserRow, siteId: string, version: string | null): Promise<string | null> {
    const site = await auditedUpdate(this.db, 'site', siteId, (row) => {
      assertActsOnSite(admin, row.id);
      return {
        changes: { model_version: version },
        audit: {
          site_id: row.id,
          actor_id: admin.id,
          action: 'site.model',
          reason: null,
          before_json: JSON.stringify({ model: row.model_version ?? 'shipped' }),
          after_json: JSON.stringify({ model: version ?? 'shipped' }),
        },
      };
    });
    if (!site) throw notFound('The site');
    return site.model_version;
  }

  /** The site and the version of the model its comments are scored with (null: shipped), for staff of the site. */
  async siteModel(staff: UserRow, siteId: string): Promise<string | null> {
    assertActsOnSite(staff, siteId);
    const site = await findSite(this.db, siteId);
    if (!site) throw notFound('The site');
    return site.model_version;
  }

  /** A site's decisions as labelled examples, oldest first; `since`: decided at or after it. */
  async examples(siteId: string, since: number | null = null): Promise<DecisionExample[]> {
    if (!(await findSite(this.db, siteId))) throw notFound('The site');
    return examplesFrom(await readDecidedComments(this.db, siteId, since));
  }
}

/** Stored label values as the API shows them. */
export function toBooleans(values: LabelValues): Partial<Record<Label, boolean>> {
  return Object.fromEntries(Object.entries(values).filter(([l]) => (LABELS as readonly string[]).includes(l)).map(([l, v]) => [l, v === 1]));
}
