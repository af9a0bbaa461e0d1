// A reader's own data: everything Parley holds about them, as JSON to download, and deleting their account. Both
// are written to the audit log, without copying the person's data into it (the log is append-only).
import type { Storage } from '../storage/db.js';
import type { UserRow } from '../storage/schema.js';
import type { PersonalData } from '../contracts/api.js';
import { appendAudit, auditedUpdate } from '../storage/audit.js';
import { commentsToForget, eraseComments, forgetCredentials, lockCommentsToChange, readPersonalData } from '../storage/personal-data.js';
import { updateComment } from '../storage/comments.js';
import { usernameKey } from '../storage/users.js';
import { appendThreadEvent } from '../storage/events.js';
import type { CoreConfig } from './config.js';
import { commentEvent, type ThreadEventSink } from './events.js';
import { iso } from './time.js';
import { notFound } from './errors.js';

const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

export class PersonalDataService {
  constructor(
    private readonly storage: Storage,
    private readonly config: Pick<CoreConfig, 'deletedAccountComments'>,
    private readonly events: ThreadEventSink,
  ) {}

  private get db() {
    return this.storage.db;
  }

  /** Everything Parley holds about the reader; the download itself is audited. */
  async export(user: UserRow): Promise<PersonalData> {
    const now = Date.now();
    const data = await readPersonalData(this.db, user.id, user.email);
    await appendAudit(this.db, {
      site_id: null,
      actor_id: user.id,
      action: 'user.data_export',
      target_type: 'user',
      target_id: user.id,
      reason: null,
      before_json: null,
      after_json: JSON.stringify({ comments: data.comments.length, votes: data.votes.length, reports: data.reports.length }),
    }, now);
    return {
      exportedAt: iso(now),
      account: {
        id: user.id,
        username: user.username,
        email: user.email,
        role: user.role,
        siteId: user.site_id,
        createdAt: iso(user.created_at),
        bannedAt: iso(user.banned_at),
        suspendedUntil: iso(user.suspended_until),
        sanctionReason: user.sanction_reason,
        hasPassword: Boolean(user.password_hash),
      },
      comments: data.comments.map((c) => ({
        id: c.id,
        storyId: c.story_id,
        storyUrl: c.story_url,
        storyTitle: c.story_title,
        parentId: c.parent_id,
        body: c.body_markdown,
        status: c.status,
        automaticStatus: c.auto_status,
        reasons: parseJson(c.reasons_json),
        scores: parseJson(c.scores_json),
        moderatedAt: iso(c.moderated_at),
        moderationReason: c.moderation_reason,
        score: c.score,
        createdAt: iso(c.created_at),
        editedAt: iso(c.edited_at),
        deletedAt: iso(c.deleted_at),
      })),
      votes: data.votes.map((v) => ({ commentId: v.comment_id, value: v.value, createdAt: iso(v.created_at) })),
      reports: data.reports.map((r) => ({ commentId: r.comment_id, reason: r.reason, note: r.note, createdAt: iso(r.created_at) })),
      sessions: data.sessions.map((s) => ({ createdAt: iso(s.created_at), expiresAt: iso(s.expires_at) })),
      apiTokens: data.apiTokens.map((t) => ({ name: t.name, createdAt: iso(t.created_at), expiresAt: iso(t.expires_at ?? null) })),
      signOnLinks: data.identities.map((i) => ({
        issuer: i.issuer,
        subject: i.subject,
        siteId: i.site_id,
        createdAt: iso(i.created_at),
        lastSeenAt: iso(i.last_seen_at),
      })),
      mailLinks: data.mailTokens.map((m) => ({ purpose: m.purpose, email: m.email, createdAt: iso(m.created_at), expiresAt: iso(m.expires_at), usedAt: iso(m.used_at) })),
      replySubscriptions: data.replySubscriptions.map((r) => ({ storyId: r.story_id, storyUrl: r.story_url, createdAt: iso(r.created_at) })),
      mails: data.mails.map((m) => ({ kind: m.topic, status: m.status, createdAt: iso(m.created_at), sentAt: iso(m.sent_at) })),
      networkAddresses: data.networkAddresses.map((a) => ({ addressHash: a.address_hash, lastSeenAt: iso(a.last_seen_at) })),
      heldForReviewSince: iso(data.hold?.created_at ?? null),
    };
  }

  /**
   * Deletes the reader's account in one transaction: the row stays (their comments and votes point at it) with
   * nothing that names them; sessions, tokens, sign-on links, mailed links, reply subscriptions and the
   * mails to their address go; each comment becomes "[deleted]", or under the
   * `erase` policy is removed when nobody answered it. Audited, with the policy applied and nothing of the person.
   */
  async deleteAccount(user: UserRow): Promise<{ comments: number; erased: number }> {
    const eventIds: number[] = [];
    const counts = { comments: 0, erased: 0 };
    const placeholder = `deleted-${user.id}`;
    const deleted = await auditedUpdate(
      this.db,
      'user',
      user.id,
      (_row, now) => ({
        changes: {
          username: placeholder,
          username_key: usernameKey(placeholder),
          email: null,
          password_hash: '',
          role: 'commenter' as const,
          site_id: null,
          deleted_at: now,
        },
        audit: { site_id: null, actor_id: user.id, action: 'user.delete', reason: `comments: ${this.config.deletedAccountComments}`, before_json: null, after_json: null },
      }),
      async (trx, _before, _after, now) => {
        await forgetCredentials(trx, user.id, user.email);
        const comments = await commentsToForget(trx, user.id);
        const erase = this.config.deletedAccountComments === 'erase' ? comments.filter((c) => !c.has_replies) : [];
        const erased = new Set(erase.map((c) => c.id));
        // Every one of the comments is locked before its votes are deleted and before any comment is changed or
        // deleted (each of which takes the event lock): the comment, then its votes, then the event lock, the order in
        // which a vote and a moderator's change take them.
        const locked = await lockCommentsToChange(trx, comments.map((c) => c.id));
        await eraseComments(trx, erase.map((c) => c.id));
        for (const comment of locked.filter((c) => !erased.has(c.id))) {
          const changes = { body_markdown: '', body_html: '', deleted_at: now, scores_json: null, spans_json: null };
          await updateComment(trx, comment.id, changes);
          eventIds.push(await appendThreadEvent(trx, commentEvent('comment.deleted', { ...comment, ...changes }, comment, null, now)));
        }
        counts.comments = comments.length;
        counts.erased = erase.length;
      },
    );
    if (!deleted) throw notFound('The account');
    for (const id of eventIds) this.events.raised(id);
    return counts;
  }
}
