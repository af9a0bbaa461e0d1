// People as the newsroom sees them: finding a person, their history on the sites a staff member acts on, their
// standing (new, regular, trusted), moderators' notes, and trust set by hand. Bans, suspensions and roles are
// ModerationService's (src/core/moderation.ts).
import type { Storage } from '../storage/db.js';
import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../storage/schema.js';
import { findDefaultSite, findSite } from '../storage/sites.js';
import { findUserById, searchUsers } from '../storage/users.js';
import { countPublishedBy } from '../storage/comments.js';
import { authorHistory } from '../storage/queues.js';
import { commentsBy, insertNote, notesOn, recentStatusCounts, reportsAgainst } from '../storage/people.js';
import { appendAudit, auditedUpdate } from '../storage/audit.js';
import { inTransaction } from '../storage/events.js';
import { parsePolicy, type FullPolicy } from '../moderation/policy.js';
import type { Person, PersonNote, PersonSummary, Standing } from '../contracts/api.js';
import { userStatus } from './user-status.js';
import { iso } from './time.js';
import { ParleyError, forbidden, notFound, sitesActedOn } from './errors.js';

const DAY_MS = 86_400_000;

/**
 * Earned trust on a site: the policy's trustAfterApproved comments published (by the step or a moderator) and none
 * rejected in its last trustWindowDays. 0 approved turns earning off.
 */
async function earnedTrust(db: Kysely<Database>, user: UserRow, siteId: string, policy: FullPolicy, now: number): Promise<boolean> {
  if (policy.trustAfterApproved <= 0) return false;
  const counts = await recentStatusCounts(db, user.id, siteId, now - policy.trustWindowDays * DAY_MS);
  return counts.rejected === 0 && counts.published >= policy.trustAfterApproved;
}

/** Whether an author skips pre-moderation on a site: trusted by hand, or earned there. Never skips the classifier. */
export async function isTrusted(db: Kysely<Database>, user: UserRow, siteId: string, policy: FullPolicy, now = Date.now()): Promise<boolean> {
  return user.trusted_at !== null || (await earnedTrust(db, user, siteId, policy, now));
}

/** A person's standing on a site: trusted, regular (past the new-account threshold), or new. */
async function standingOf(db: Kysely<Database>, user: UserRow, siteId: string, policy: FullPolicy): Promise<Standing> {
  if (await isTrusted(db, user, siteId, policy)) return 'trusted';
  const published = await countPublishedBy(db, user.id, policy.newAccountComments);
  return published >= policy.newAccountComments ? 'regular' : 'new';
}

const COMMENTS_SHOWN = 50;
const REPORTS_SHOWN = 50;

export class PeopleService {
  constructor(private readonly storage: Storage) {}

  private get db() {
    return this.storage.db;
  }

  /** The site whose policy a staff member's view of standing is counted on: theirs, or the default site. */
  private async siteOf(staff: UserRow) {
    const site = staff.site_id ? await findSite(this.db, staff.site_id) : await findDefaultSite(this.db);
    if (!site) throw notFound('The site');
    return { id: site.id, policy: parsePolicy(site.policy_json) };
  }

  private async summary(user: UserRow, site: { id: string; policy: FullPolicy }): Promise<PersonSummary> {
    return {
      id: user.id,
      username: user.username,
      email: user.email,
      role: user.role,
      siteId: user.site_id,
      createdAt: iso(user.created_at)!,
      status: userStatus(user),
      suspendedUntil: iso(user.suspended_until),
      sanctionReason: user.sanction_reason,
      standing: await standingOf(this.db, user, site.id, site.policy),
      trustedByHand: user.trusted_at !== null,
    };
  }

  /** Accounts whose name or e-mail contains the text. */
  async search(staff: UserRow, text: string, limit: number): Promise<PersonSummary[]> {
    const site = await this.siteOf(staff);
    const users = await searchUsers(this.db, text, limit);
    return Promise.all(users.map((u) => this.summary(u, site)));
  }

  /** One person with their comments, the reports against them and the notes on them, on the staff member's sites. */
  async get(staff: UserRow, id: string): Promise<Person> {
    const user = await findUserById(this.db, id);
    if (!user) throw notFound('The person');
    const site = await this.siteOf(staff);
    const siteIds = sitesActedOn(staff);
    const [summary, history, comments, reports, notes] = await Promise.all([
      this.summary(user, site),
      authorHistory(this.db, [user.id]),
      commentsBy(this.db, user.id, siteIds, COMMENTS_SHOWN),
      reportsAgainst(this.db, user.id, siteIds, REPORTS_SHOWN),
      notesOn(this.db, user.id, siteIds),
    ]);
    return {
      ...summary,
      counts: history.get(user.id)!,
      comments: comments.map((c) => ({
        id: c.id,
        storyId: c.story_id,
        storyTitle: c.story_title,
        excerpt: [...c.body_markdown].slice(0, 140).join(''),
        status: c.status,
        createdAt: iso(c.created_at)!,
      })),
      reports: reports.map((r) => ({ commentId: r.comment_id, reason: r.reason, note: r.note, createdAt: iso(r.created_at)! })),
      notes: notes.map((n) => ({ id: n.id, author: n.author_username, body: n.body, createdAt: iso(n.created_at)! })),
    };
  }

  /** A moderator's note on a person, with its audit entry, in one transaction. */
  async addNote(staff: UserRow, id: string, body: string): Promise<PersonNote> {
    const text = body.trim();
    if (!text) throw new ParleyError(400, 'empty_note', 'The note is empty.');
    if (!(await findUserById(this.db, id))) throw notFound('The person');
    const note = await inTransaction(this.db, async (trx) => {
      const row = await insertNote(trx, { user_id: id, author_id: staff.id, site_id: staff.site_id, body: text });
      await appendAudit(
        trx,
        { site_id: staff.site_id, actor_id: staff.id, action: 'user.note', target_type: 'user', target_id: id, reason: null, before_json: null, after_json: JSON.stringify({ note: text }) },
        row.created_at,
      );
      return row;
    });
    return { id: note.id, author: staff.username, body: note.body, createdAt: iso(note.created_at)! };
  }

  /** Marks a person trusted by hand, or takes it back (earned trust still counts); audited. */
  async setTrusted(staff: UserRow, id: string, trusted: boolean): Promise<PersonSummary> {
    // Accounts are not per site, so trust by hand holds on every site, as bans do: only staff of every site set it.
    if (staff.site_id) throw forbidden('Trust set by hand applies on every site, so only staff of every site can set it; trust earned on your site still counts.');
    const changed = await auditedUpdate(this.db, 'user', id, (user, now) => ({
      changes: { trusted_at: trusted ? (user.trusted_at ?? now) : null },
      audit: {
        site_id: staff.site_id,
        actor_id: staff.id,
        action: 'user.trust',
        reason: null,
        before_json: JSON.stringify({ trustedByHand: user.trusted_at !== null }),
        after_json: JSON.stringify({ trustedByHand: trusted }),
      },
    }));
    if (!changed) throw notFound('The person');
    return this.summary(changed, await this.siteOf(staff));
  }
}
