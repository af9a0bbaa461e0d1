// The moderation workflow: queues, decisions by people, reports, sanctions, site policy, and the audit
// log that records every action with its before and after. Every action and its audit entry are written
// in one transaction: both or neither.
import type { Storage } from '../storage/db.js';
import type { AuditEntry, CommentRow, ReportReason, ReportRow, UserRow } from '../storage/schema.js';
import { findComment, findThreadComment } from '../storage/comments.js';
import { appendThreadEvent } from '../storage/events.js';
import { findDefaultSite, findSite, listSites } from '../storage/sites.js';
import { findStoryWithPolicy } from '../storage/stories.js';
import { findUsersByIds } from '../storage/users.js';
import { authorHistory, findParentSummaries, queueCounts, readQueue, type QueueComment, type QueueName, type QueueSort } from '../storage/queues.js';
import { insertReport, reportsOn } from '../storage/reports.js';
import { auditedUpdate, findAuditEntry, loggedSince, readAudit, type AuditNote, type AuditTargets } from '../storage/audit.js';
import { decisionStats } from '../storage/stats.js';
import type { ModerationStep } from '../moderation/step.js';
import { parsePolicy, type SitePolicy } from '../moderation/policy.js';
import type { Decision, Reason } from '../moderation/types.js';
import type { ActionResult, AuditPage, BulkResult, Counts, QueueItem, QueuePage, Site, Stats, UserActionResult } from '../contracts/api.js';
import { LABELS, type LabelScores, type Span } from '../moderation/labels.js';
import { assertMayWrite, publicView } from './comments.js';
import { NO_EVENTS, commentEvent, type ThreadEventSink } from './events.js';
import { Deliveries } from './deliveries.js';
import { labelDecisionsFor } from '../storage/label-decisions.js';
import { activeClaims } from '../storage/desk.js';
import { claimView } from './desk.js';
import { toBooleans } from './learning.js';
import { decodeCursor, encodeCursor } from './cursors.js';
import { iso, utcDay } from './time.js';
import { DEFAULT_CORE_CONFIG } from './config.js';
import { userStatus } from './user-status.js';
import { ParleyError, conflict, forbidden, notFound, unprocessable, assertActsOnSite, sitesActedOn } from './errors.js';

export interface QueueParams {
  queue: QueueName;
  siteId: string | null;
  storyId: string | null;
  label: string | null;
  sort: QueueSort;
  limit: number;
  cursor: string | null;
}

/** The first 140 characters (not UTF-16 units, so no emoji is cut in half). */
function excerpt(text: string): string {
  const chars = [...text];
  return chars.length > 140 ? `${chars.slice(0, 140).join('')}…` : text;
}

/**
 * Since when a comment waits for a moderator: a reported one since its first report after the last review, any other
 * since it was written or last edited.
 */
function waitingSince(c: CommentRow, reports: readonly ReportRow[]): number {
  const written = c.edited_at ?? c.created_at;
  if (c.status !== 'published' || c.open_reports === 0) return written;
  const open = reports.filter((r) => r.created_at >= (c.moderated_at ?? 0));
  return open.length ? Math.min(...open.map((r) => r.created_at)) : written;
}

function actedOnText(stateJson: string | null): string | undefined {
  const state = stateJson ? (JSON.parse(stateJson) as { excerpt?: unknown }) : {};
  return typeof state.excerpt === 'string' ? state.excerpt : undefined;
}

export { userStatus } from './user-status.js';

/** A row as an undoable action left it, with the action to name when undoing it, and until when. */
export type Acted<T> = T & { undo?: { actionId: string; until: number } };

/** The `undo` of an action's answer: which action, and until when it can be undone. */
export function undoView(row: Acted<object>): { undo?: { actionId: string; until: string } } {
  return row.undo ? { undo: { actionId: row.undo.actionId, until: new Date(row.undo.until).toISOString() } } : {};
}

/** What approve, reject, feature and their undo answer with: the comment's state after the action. */
export function actionView(c: Acted<CommentRow>): ActionResult {
  return { id: c.id, status: c.status, featured: c.featured_at !== null, moderationReason: c.moderation_reason, ...undoView(c) };
}

/** What ban, suspend and unban answer with: the account's standing after the action. */
export function sanctionView(u: Acted<UserRow>): UserActionResult {
  return { id: u.id, status: userStatus(u), suspendedUntil: iso(u.suspended_until), reason: u.sanction_reason, ...undoView(u) };
}

/** The columns a change writes, as they were before it: what undoing it writes back. */
function undoState<T extends object>(before: T, changes: Partial<T>): string {
  return JSON.stringify(Object.fromEntries(Object.keys(changes).map((key) => [key, before[key as keyof T]])));
}

/**
 * An undo checks, in the transaction that writes it, that nothing else was logged on its target since the action
 * it undoes (another moderator's decision, an earlier undo).
 */
type UndoGuard = (trx: Storage['db'], undoEntry: AuditEntry) => Promise<void>;
const guardAgainstLater = (undone: AuditEntry): UndoGuard => async (trx, undoEntry) => {
  if (await loggedSince(trx, undone, undoEntry.id)) {
    throw conflict('changed_since', 'Something else was done to it since that action, so it can no longer be undone; take a new action instead.');
  }
};

/** The parts of a comment an audit entry records, before and after an action; the excerpt is the text acted on. */
const commentState = (c: CommentRow) =>
  JSON.stringify({
    status: c.status,
    moderationReason: c.moderation_reason,
    featured: c.featured_at !== null,
    openReports: c.open_reports,
    excerpt: excerpt(c.body_markdown),
  });
const userState = (u: UserRow) =>
  JSON.stringify({ status: userStatus(u), suspendedUntil: iso(u.suspended_until), reason: u.sanction_reason });

/**
 * Refuses a decision a moderator already took: two moderators acting on one comment at once make one action and one
 * audit entry (the row is locked while deciding, so the second sees the first's decision). A decision that still
 * changes something (clearing new reports, featuring) goes through.
 */
function assertUndecided(c: CommentRow, status: 'published' | 'rejected', featuring: boolean): Record<string, never> {
  if (c.status === status && c.moderated_by !== null && c.open_reports === 0 && (!featuring || c.featured_at !== null)) {
    throw conflict('already_decided', `A moderator has already ${status === 'published' ? 'approved' : 'rejected'} this comment.`);
  }
  return {};
}

export class ModerationService {
  constructor(
    private readonly storage: Storage,
    private readonly step: ModerationStep,
    private readonly events: ThreadEventSink = NO_EVENTS,
    /** Mails and webhooks an action causes, planned in its transaction. */
    private readonly deliveries = new Deliveries(false),
    /** How long the moderator who took an action may undo it. */
    private readonly undoWindowMs = DEFAULT_CORE_CONFIG.undoWindowMs,
  ) {}

  private get db() {
    return this.storage.db;
  }

  /** An action's row with what undoes it (its audit entry, for undoWindowMs); an undo itself is not undoable. */
  private withUndo<T extends object>(changed: T, logged: AuditEntry | undefined, undoGuard: UndoGuard | undefined): Acted<T> {
    return undoGuard || !logged ? changed : { ...changed, undo: { actionId: logged.id, until: logged.created_at + this.undoWindowMs } };
  }

  private async policyOf(siteId: string): Promise<SitePolicy> {
    const site = await findSite(this.db, siteId);
    if (!site) throw notFound('The site');
    return parsePolicy(site.policy_json);
  }

  async queue(staff: UserRow, p: QueueParams): Promise<QueuePage> {
    const siteIds = sitesActedOn(staff, p.siteId);
    const { items, next } = await readQueue(this.db, {
      queue: p.queue,
      siteIds,
      storyId: p.storyId,
      label: p.label,
      sort: p.sort,
      limit: p.limit,
      cursor: p.cursor ? decodeCursor(`queue.${p.sort}`, p.cursor) : null,
      reportThresholds: await this.reportThresholds(siteIds),
    });
    return { items: await this.views(items), nextCursor: next ? encodeCursor(`queue.${p.sort}`, next) : null };
  }

  private async views(items: QueueComment[]): Promise<QueueItem[]> {
    const authorIds = [...new Set(items.map((c) => c.author_id))];
    const parentIds = [...new Set(items.map((c) => c.parent_id).filter((id): id is string => id !== null))];
    const [history, reports, authors, parents, labelled, claims] = await Promise.all([
      authorHistory(this.db, authorIds),
      reportsOn(this.db, items.map((c) => c.id)),
      findUsersByIds(this.db, authorIds),
      findParentSummaries(this.db, parentIds),
      labelDecisionsFor(this.db, items.map((c) => c.id)),
      items.length ? activeClaims(this.db, { commentIds: items.map((c) => c.id) }, Date.now()) : [],
    ]);
    const claimById = new Map(claims.map((c) => [c.comment_id, claimView(c)]));
    const authorById = new Map(authors.map((u) => [u.id, u]));
    const parentById = new Map(parents.map((p) => [p.id, p]));
    return items.map((c) => {
      const author = authorById.get(c.author_id)!;
      const parent = c.parent_id ? parentById.get(c.parent_id) : undefined;
      return {
        comment: {
          id: c.id,
          storyId: c.story_id,
          parentId: c.parent_id,
          text: c.body_markdown,
          bodyHtml: c.body_html,
          status: c.status,
          createdAt: iso(c.created_at),
          editedAt: iso(c.edited_at),
          featured: c.featured_at !== null,
          openReports: c.open_reports,
          reasons: JSON.parse(c.reasons_json) as Reason[],
          scores: c.scores_json ? (JSON.parse(c.scores_json) as LabelScores) : null,
          spans: c.spans_json ? (JSON.parse(c.spans_json) as Span[]) : [],
          flaggedLabels: c.flagged_labels ? c.flagged_labels.split(',').filter(Boolean) : [],
          labelDecisions: toBooleans(labelled.get(c.id) ?? {}),
          severity: c.severity,
          waitingSince: iso(waitingSince(c, reports.get(c.id) ?? [])),
          moderation: { by: c.moderated_by, at: iso(c.moderated_at), reason: c.moderation_reason },
        },
        story: { id: c.story_id, title: c.story_title },
        parent: parent
          ? { id: parent.id, author: parent.deleted_at === null ? parent.username : null, bodyHtml: parent.deleted_at === null ? parent.body_html : '' }
          : null,
        author: {
          id: author.id,
          username: author.username,
          createdAt: iso(author.created_at),
          status: userStatus(author),
          suspendedUntil: iso(author.suspended_until),
          ...history.get(author.id)!,
        },
        reports: (reports.get(c.id) ?? []).map((r) => ({ reason: r.reason, note: r.note, createdAt: iso(r.created_at) })),
        claim: claimById.get(c.id) ?? null,
      };
    });
  }

  async counts(staff: UserRow, siteId: string | null): Promise<Counts> {
    const siteIds = sitesActedOn(staff, siteId);
    return queueCounts(this.db, siteIds, await this.reportThresholds(siteIds));
  }

  /** How many comments wait in each queue of every site: for the operator's metrics, not for staff. */
  async totals(): Promise<Counts> {
    return queueCounts(this.db, null, await this.reportThresholds(null));
  }

  /** Each site's own report threshold, for the sites a queue covers (null: every site). */
  private async reportThresholds(siteIds: string[] | null) {
    return (await listSites(this.db, siteIds)).map((site) => ({ siteId: site.id, threshold: parsePolicy(site.policy_json).reportThreshold }));
  }

  /**
   * One audited change of a comment, user or site: loads it inside the transaction, lets `decide` check it
   * and name the change and the log entry, and writes both (or, when `decide` throws, neither).
   */
  private async audited<K extends keyof AuditTargets>(
    type: K,
    id: string,
    missing: string,
    decide: (row: AuditTargets[K], now: number) => { changes: Partial<AuditTargets[K]>; audit: AuditNote },
    also?: (trx: typeof this.db, before: AuditTargets[K], after: AuditTargets[K], now: number, entry: AuditEntry) => Promise<void>,
  ): Promise<AuditTargets[K]> {
    const changed = await auditedUpdate(this.db, type, id, decide, also);
    if (!changed) throw notFound(missing);
    return changed;
  }

  /**
   * A moderator's action on a comment of a site they may act on, recorded with the comment's state before and after,
   * and raised as a thread event (approved: it appears; rejected: it goes) in the same transaction.
   */
  private async act(
    staff: UserRow,
    commentId: string,
    action: string,
    reason: string | null,
    change: (comment: CommentRow, now: number) => Partial<CommentRow>,
    /** Given when this undoes an action (which makes it not undoable itself). */
    undoGuard?: UndoGuard,
  ): Promise<Acted<CommentRow>> {
    let eventId: number | undefined;
    let planned = 0;
    let logged: AuditEntry | undefined;
    const recordEvent = async (trx: typeof this.db, before: CommentRow, after: CommentRow, now: number, entry: AuditEntry) => {
      await undoGuard?.(trx, entry);
      logged = entry;
      const withAuthor = await findThreadComment(trx, after.id);
      const payload = withAuthor ? publicView(withAuthor) : null;
      // Planned before the event, whose append holds PostgreSQL's event lock until the commit.
      planned = await this.deliveries.commentModerated(trx, before, after, payload, action, now);
      eventId = await appendThreadEvent(trx, commentEvent('comment.moderated', after, before, payload, now));
    };
    const changed = await this.audited('comment', commentId, 'The comment', (comment, now) => {
      assertActsOnSite(staff, comment.site_id);
      if (comment.deleted_at !== null) throw conflict('comment_deleted', 'The comment has been deleted by its author.');
      const changes = change(comment, now);
      return {
        changes,
        audit: {
          site_id: comment.site_id,
          actor_id: staff.id,
          action,
          reason,
          before_json: commentState(comment),
          after_json: commentState({ ...comment, ...changes }),
          undo_json: undoGuard ? null : undoState(comment, changes),
        },
      };
    }, recordEvent);
    if (eventId !== undefined) this.events.raised(eventId);
    this.deliveries.committed(planned);
    return this.withUndo(changed, logged, undoGuard);
  }

  /** @param featured also feature it, in the same action */
  approve(staff: UserRow, commentId: string, reason: string | null = null, featured = false): Promise<CommentRow> {
    return this.act(staff, commentId, featured ? 'comment.approve_and_feature' : 'comment.approve', reason, (c, now) => ({
      ...assertUndecided(c, 'published', featured),
      status: 'published',
      moderated_by: staff.id,
      moderated_at: now,
      moderation_reason: null,
      open_reports: 0,
      threat_reports: 0,
      ...(featured ? { featured_at: c.featured_at ?? now } : {}),
    }));
  }

  reject(staff: UserRow, commentId: string, reason: string): Promise<CommentRow> {
    const why = reason.trim();
    if (!why) throw new ParleyError(400, 'reason_required', 'Say why the comment is rejected: its author will see it.');
    return this.act(staff, commentId, 'comment.reject', why, (c, now) => ({
      ...assertUndecided(c, 'rejected', false),
      status: 'rejected',
      moderated_by: staff.id,
      moderated_at: now,
      moderation_reason: why,
      open_reports: 0,
      threat_reports: 0,
      featured_at: null,
    }));
  }

  feature(staff: UserRow, commentId: string, featured: boolean): Promise<CommentRow> {
    return this.act(staff, commentId, featured ? 'comment.feature' : 'comment.unfeature', null, (c, now) => {
      if (featured && c.status !== 'published') throw conflict('not_published', 'Only published comments can be featured.');
      return { featured_at: featured ? (c.featured_at ?? now) : null };
    });
  }

  async bulk(staff: UserRow, action: 'approve' | 'reject', ids: string[], reason: string | null): Promise<BulkResult['results']> {
    if (action === 'reject' && !reason?.trim()) {
      throw new ParleyError(400, 'reason_required', 'Say why the comments are rejected: their authors will see it.');
    }
    const results: BulkResult['results'] = [];
    for (const id of [...new Set(ids)]) {
      try {
        const comment = action === 'approve' ? await this.approve(staff, id, reason) : await this.reject(staff, id, reason!);
        results.push({ id, ok: true, status: comment.status, ...undoView(comment) });
      } catch (error) {
        if (!(error instanceof ParleyError)) throw error;
        results.push({ id, ok: false, error: { code: error.code, message: error.message } });
      }
    }
    return results;
  }

  async report(reader: UserRow, commentId: string, reason: ReportReason, note: string | null): Promise<void> {
    assertMayWrite(reader);
    const comment = await findComment(this.db, commentId);
    if (!comment || comment.status !== 'published' || comment.deleted_at !== null) throw notFound('The comment');
    if (comment.author_id === reader.id) throw forbidden('You cannot report your own comment.');
    let planned = 0;
    const result = await insertReport(this.db, { commentId, reporterId: reader.id, reason, note: note?.trim() || null }, Date.now(), async (trx, now) => {
      planned = await this.deliveries.commentReported(trx, comment, reason, now);
    });
    if (result === 'duplicate') throw conflict('already_reported', 'You have already reported this comment.');
    // Deleted (with its story, or erased with its author's account) after it was read above.
    if (result === 'missing') throw notFound('The comment');
    this.deliveries.committed(planned);
  }

  /** Bans and suspensions hold on every site (accounts are not per site), so only staff of every site set or lift them. */
  private async sanction(
    staff: UserRow,
    targetId: string,
    action: string,
    reason: string | null,
    changes: Partial<UserRow>,
    undoGuard?: UndoGuard,
  ): Promise<Acted<UserRow>> {
    if (staff.site_id) {
      throw forbidden('Bans and suspensions apply on every site, so only staff of every site can set or lift them; reject the comments instead.');
    }
    let planned = 0;
    let logged: AuditEntry | undefined;
    const announceBan = async (trx: typeof this.db, _before: UserRow, after: UserRow, now: number, entry: AuditEntry) => {
      await undoGuard?.(trx, entry);
      logged = entry;
      if (action === 'user.ban') planned = await this.deliveries.userBanned(trx, after, reason, now);
    };
    const changed = await this.audited('user', targetId, 'The user', (target) => {
      if (target.role !== 'commenter') throw forbidden('Moderators and admins cannot be banned or suspended; change their role first.');
      return {
        changes,
        audit: {
          site_id: staff.site_id,
          actor_id: staff.id,
          action,
          reason,
          before_json: userState(target),
          after_json: userState({ ...target, ...changes }),
          undo_json: undoGuard ? null : undoState(target, changes),
        },
      };
    }, announceBan);
    this.deliveries.committed(planned);
    return this.withUndo(changed, logged, undoGuard);
  }

  /**
   * Undoes one of this moderator's own actions on a comment or an account, within undoWindowMs of it: writes back
   * what it changed, through the same path as any action (one audit entry `comment.undo` / `user.undo`, the thread
   * event, webhooks). 409 once the window has passed, or when something else was done to the target since.
   */
  async undo(staff: UserRow, actionId: string): Promise<{ undid: string } & ({ comment: Acted<CommentRow> } | { user: Acted<UserRow> })> {
    const entry = await findAuditEntry(this.db, actionId);
    if (!entry || (staff.site_id !== null && entry.site_id !== staff.site_id)) throw notFound('The action');
    if (entry.actor_id !== staff.id) throw forbidden('Only the moderator who took an action can undo it; take a new action instead.');
    if (!entry.undo_json) throw conflict('not_undoable', 'This action cannot be undone; take a new action instead.');
    if (Date.now() >= entry.created_at + this.undoWindowMs) {
      throw conflict('undo_expired', `An action can be undone for ${this.undoWindowMs / 1000} seconds, and that time has passed; take a new action instead.`);
    }
    const restore = JSON.parse(entry.undo_json) as Record<string, unknown>;
    const why = `Undid ${entry.action}`;
    const guard = guardAgainstLater(entry);
    if (entry.target_type === 'comment') {
      return { undid: entry.action, comment: await this.act(staff, entry.target_id, 'comment.undo', why, () => restore as Partial<CommentRow>, guard) };
    }
    return { undid: entry.action, user: await this.sanction(staff, entry.target_id, 'user.undo', why, restore as Partial<UserRow>, guard) };
  }

  ban(staff: UserRow, targetId: string, reason: string) {
    const why = reason.trim();
    if (!why) throw new ParleyError(400, 'reason_required', 'Say why the user is banned: they will see it.');
    return this.sanction(staff, targetId, 'user.ban', why, { banned_at: Date.now(), suspended_until: null, sanction_reason: why });
  }

  suspend(staff: UserRow, targetId: string, until: string, reason: string) {
    const why = reason.trim();
    if (!why) throw new ParleyError(400, 'reason_required', 'Say why the user is suspended: they will see it.');
    const end = Date.parse(until);
    if (Number.isNaN(end)) throw new ParleyError(400, 'invalid_date', 'until must be a date and time such as 2026-12-01T12:00:00Z.');
    if (end <= Date.now()) throw unprocessable('until_in_past', 'A suspension must end in the future.');
    return this.sanction(staff, targetId, 'user.suspend', why, { suspended_until: end, banned_at: null, sanction_reason: why });
  }

  unban(staff: UserRow, targetId: string, reason: string | null) {
    return this.sanction(staff, targetId, 'user.unban', reason?.trim() || null, { banned_at: null, suspended_until: null, sanction_reason: null });
  }

  /** Gives an account a role, and staff a site (null: every site). Only admins; never their own account. */
  async setRole(admin: UserRow, targetId: string, role: UserRow['role'], siteId: string | null) {
    if (admin.id === targetId) throw forbidden('You cannot change your own role; ask another admin.');
    if (siteId) {
      assertActsOnSite(admin, siteId);
      if (!(await findSite(this.db, siteId))) throw notFound('The site');
    } else if (admin.site_id && role !== 'commenter') {
      throw forbidden('An admin of one site can only give staff roles on that site.');
    }
    return this.audited('user', targetId, 'The user', (target) => {
      // Staff with no site act on every site: only staff of every site may change them.
      if (admin.site_id && target.role !== 'commenter' && target.site_id !== admin.site_id) {
        throw forbidden('This account is staff of another site, or of every site.');
      }
      const changes = { role, site_id: role === 'commenter' ? null : siteId };
      return {
        changes,
        audit: {
          site_id: changes.site_id ?? admin.site_id,
          actor_id: admin.id,
          action: 'user.role',
          reason: null,
          before_json: JSON.stringify({ role: target.role, siteId: target.site_id }),
          after_json: JSON.stringify({ role: changes.role, siteId: changes.site_id }),
        },
      };
    });
  }

  /** @param actorId only this moderator's actions */
  async audit(staff: UserRow, cursor: string | null, limit: number, actorId: string | null = null): Promise<AuditPage> {
    // The filtered log keeps the whole log's order, so one cursor kind serves both.
    const { entries, next } = await readAudit(this.db, sitesActedOn(staff), cursor ? decodeCursor('audit', cursor) : null, limit, actorId);
    return {
      entries: entries.map((e) => ({
        id: e.id,
        siteId: e.site_id,
        actor: { id: e.actor_id, username: e.actor_username },
        action: e.action,
        target: {
          type: e.target_type,
          id: e.target_id,
          // The text as it was when the action was taken, not as the author may have edited it since.
          ...(e.comment_story_id ? { storyId: e.comment_story_id, excerpt: actedOnText(e.after_json) ?? excerpt(e.comment_text ?? '') } : {}),
        },
        reason: e.reason,
        before: e.before_json ? (JSON.parse(e.before_json) as unknown) : null,
        after: e.after_json ? (JSON.parse(e.after_json) as unknown) : null,
        createdAt: iso(e.created_at),
      })),
      nextCursor: next ? encodeCursor('audit', next) : null,
    };
  }

  async getPolicy(staff: UserRow, siteId: string): Promise<SitePolicy> {
    assertActsOnSite(staff, siteId);
    return this.policyOf(siteId);
  }

  /** Replaces a site's policy. Decisions already taken stay as they are: they are stored with each comment. */
  async putPolicy(admin: UserRow, siteId: string, policy: SitePolicy): Promise<SitePolicy> {
    assertActsOnSite(admin, siteId);
    for (const [label, t] of Object.entries(policy.thresholds)) {
      if (t && t.hold > t.reject) {
        throw unprocessable('thresholds_out_of_order', `For ${label}, the hold threshold must not be above the reject threshold.`);
      }
    }
    const clean: SitePolicy = {
      ...policy,
      bannedWords: [...new Set(policy.bannedWords.map((w) => w.trim()).filter(Boolean))],
      suspectWords: [...new Set(policy.suspectWords.map((w) => w.trim()).filter(Boolean))],
    };
    const json = JSON.stringify(clean);
    await this.audited('site', siteId, 'The site', (site) => ({
      changes: { policy_json: json },
      audit: {
        site_id: siteId,
        actor_id: admin.id,
        action: 'site.policy',
        reason: null,
        before_json: JSON.stringify(parsePolicy(site.policy_json)),
        after_json: json,
      },
    }));
    return clean;
  }

  /** Comments a day, hold and reject rates of the moderation step, and flags per label, over recent days. */
  async stats(staff: UserRow, days: number): Promise<Stats> {
    // The figures cover the staff member's site, or every site for staff of every site (siteId null).
    const siteId = staff.site_id;
    const dayMs = 86_400_000;
    const today = Math.floor(Date.now() / dayMs);
    const since = (today - days + 1) * dayMs;
    const { days: counted, perLabel } = await decisionStats(this.db, sitesActedOn(staff), since, LABELS);
    const byDay = new Map(counted.map((d) => [d.day, d]));
    const series = Array.from({ length: days }, (_, i) => {
      const day = today - days + 1 + i;
      const d = byDay.get(day);
      return {
        date: utcDay(day * dayMs),
        total: d?.total ?? 0,
        published: d?.published ?? 0,
        pending: d?.pending ?? 0,
        rejected: d?.rejected ?? 0,
      };
    });
    const total = series.reduce((n, d) => n + d.total, 0);
    const rate = (n: number) => (total ? n / total : 0);
    return {
      siteId,
      days: series,
      holdRate: rate(series.reduce((n, d) => n + d.pending, 0)),
      rejectRate: rate(series.reduce((n, d) => n + d.rejected, 0)),
      labels: perLabel,
    };
  }

  /** The sites this staff member may act on, each with its report threshold. */
  async sites(staff: UserRow): Promise<Site[]> {
    const rows = await listSites(this.db, sitesActedOn(staff));
    return rows.map((site) => ({ id: site.id, name: site.name, reportThreshold: parsePolicy(site.policy_json).reportThreshold }));
  }

  /** The classifier's own thresholds, which apply to every label a site's policy leaves out. */
  shippedThresholds() {
    return this.step.shippedThresholds;
  }

  /** The dry run behind the nudge: what the policy would decide about a draft, stored nowhere. */
  async check(text: string, storyId: string | null): Promise<Decision> {
    let policyJson: string | undefined;
    if (storyId) {
      const story = await findStoryWithPolicy(this.db, storyId);
      if (!story) throw notFound('The story');
      policyJson = story.site_policy_json;
    } else {
      policyJson = (await findDefaultSite(this.db))?.policy_json;
    }
    if (policyJson === undefined) throw notFound('The site');
    return this.step.decide(text, parsePolicy(policyJson));
  }
}
