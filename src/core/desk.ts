// Several moderators on one desk: soft claims on queue items ("being reviewed by X", shown live to the others; they
// block nothing, the row lock of a decision already makes one action of two), named queue filters per moderator and
// site, and each moderator's week from the audit log.
import type { Storage } from '../storage/db.js';
import type { UserRow } from '../storage/schema.js';
import { findComment } from '../storage/comments.js';
import { findSite } from '../storage/sites.js';
import {
  actionsSince,
  activeClaims,
  claimComment,
  deleteSavedFilter,
  dropExpiredClaims,
  listSavedFilters,
  releaseClaim,
  saveFilter,
  type ClaimRow,
  type SavedFilterRow,
} from '../storage/desk.js';
import type { Claim, ClaimList, ModeratorSummary, QueueFilter, SavedFilter } from '../contracts/api.js';
import { assertActsOnSite, conflict, notFound, sitesActedOn } from './errors.js';

/** How long a claim holds without renewal; the console renews it every CLAIM_MS / 3 while the item is open. */
export const CLAIM_MS = 90_000;
/** The actions that decide on a comment: the summary's median time from arrival to decision counts these. */
const DECISIONS = new Set(['comment.approve', 'comment.approve_and_feature', 'comment.reject']);
const DAY_MS = 86_400_000;

export const claimView = (c: ClaimRow): Claim => ({
  commentId: c.comment_id,
  by: { id: c.user_id, username: c.username },
  until: new Date(c.expires_at).toISOString(),
});

const filterView = (f: SavedFilterRow): SavedFilter => ({
  id: f.id,
  name: f.name,
  siteId: f.site_scope || null,
  filter: JSON.parse(f.filter_json) as QueueFilter,
  createdAt: new Date(f.created_at).toISOString(),
});

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export class DeskService {
  constructor(private readonly storage: Storage) {}

  private get db() {
    return this.storage.db;
  }

  /**
   * Claims a comment for this moderator for CLAIM_MS (renewing their own claim). When another moderator holds it,
   * their claim stays and is answered: the console warns instead.
   */
  async claim(staff: UserRow, commentId: string): Promise<Claim> {
    const comment = await findComment(this.db, commentId);
    if (!comment || comment.deleted_at !== null) throw notFound('The comment');
    assertActsOnSite(staff, comment.site_id);
    const now = Date.now();
    // Claims that ran out an hour ago are of no use to anyone: they go as new ones come.
    await dropExpiredClaims(this.db, now - 3_600_000);
    const claim = { commentId, siteId: comment.site_id, userId: staff.id };
    // Another moderator's claim that ended between the write and the read leaves none: claiming again takes it.
    const held = (await claimComment(this.db, claim, now, now + CLAIM_MS)) ?? (await claimComment(this.db, claim, Date.now(), Date.now() + CLAIM_MS));
    if (!held) throw conflict('claim_contended', 'Another moderator claimed this comment at the same moment; try again.');
    return claimView(held);
  }

  /** Ends this moderator's claim (another's stays). */
  async release(staff: UserRow, commentId: string): Promise<{ released: boolean }> {
    const comment = await findComment(this.db, commentId);
    if (!comment) throw notFound('The comment');
    assertActsOnSite(staff, comment.site_id);
    await releaseClaim(this.db, commentId, staff.id);
    return { released: true };
  }

  /** Claims in force on the sites this staff member works on (or on one of them). */
  async claims(staff: UserRow, siteId: string | null): Promise<ClaimList> {
    const rows = await activeClaims(this.db, { siteIds: sitesActedOn(staff, siteId) }, Date.now());
    return { claims: rows.map(claimView) };
  }

  private async siteScope(staff: UserRow, siteId: string | null): Promise<string> {
    if (siteId) assertActsOnSite(staff, siteId);
    if (siteId && !(await findSite(this.db, siteId))) throw notFound('The site');
    return siteId ?? '';
  }

  /** This moderator's saved filters for a site (or for the every-site view), by name. */
  async filters(staff: UserRow, siteId: string | null): Promise<{ filters: SavedFilter[] }> {
    const rows = await listSavedFilters(this.db, staff.id, await this.siteScope(staff, siteId));
    return { filters: rows.map(filterView) };
  }

  /** Saves a filter by name; saving under a name already used replaces that filter. */
  async saveFilter(staff: UserRow, siteId: string | null, name: string, filter: QueueFilter): Promise<SavedFilter> {
    const siteScope = await this.siteScope(staff, siteId);
    const row = await saveFilter(this.db, { userId: staff.id, siteScope, name: name.trim(), filterJson: JSON.stringify(filter) }, Date.now());
    return filterView(row);
  }

  async deleteFilter(staff: UserRow, id: string): Promise<void> {
    if (!(await deleteSavedFilter(this.db, staff.id, id))) throw notFound('The saved filter');
  }

  /** Each moderator's audited actions over the last `days` days, by kind, and how long comments waited for their decisions. */
  async summary(staff: UserRow, days: number): Promise<ModeratorSummary> {
    const since = Date.now() - days * DAY_MS;
    const rows = await actionsSince(this.db, sitesActedOn(staff), since);
    const byActor = new Map<string, { id: string; username: string; total: number; actions: Record<string, number>; waits: number[] }>();
    for (const row of rows) {
      let actor = byActor.get(row.actor_id);
      if (!actor) byActor.set(row.actor_id, (actor = { id: row.actor_id, username: row.username, total: 0, actions: {}, waits: [] }));
      actor.total++;
      actor.actions[row.action] = (actor.actions[row.action] ?? 0) + 1;
      if (DECISIONS.has(row.action) && row.comment_created_at !== null) actor.waits.push(Math.max(0, row.created_at - row.comment_created_at));
    }
    const moderators = [...byActor.values()]
      .map(({ waits, ...actor }) => {
        const mid = median(waits);
        return { ...actor, decisions: waits.length, medianDecisionSeconds: mid === null ? null : Math.round(mid / 1000) };
      })
      .sort((a, b) => b.total - a.total || a.username.localeCompare(b.username));
    return { since: new Date(since).toISOString(), moderators };
  }
}
