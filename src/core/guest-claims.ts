// Claiming guests' comments: a reader whose account has a verified e-mail takes the comments a guest posted with that
// same address into the account. Proving the mailbox (the verification link) is what shows they were that guest.
import type { Storage } from '../storage/db.js';
import type { UserRow } from '../storage/schema.js';
import { appendAudit } from '../storage/audit.js';
import { appendThreadEvent, inTransaction } from '../storage/events.js';
import { commentsOfAccounts, guestAccountsWithEmail, moveAuthorship } from '../storage/guests.js';
import { webhooksFor } from '../storage/webhooks.js';
import type { GuestClaimResult } from '../contracts/api.js';
import { publicView } from './comments.js';
import { commentEvent, type ThreadEventSink } from './events.js';
import type { Deliveries } from './deliveries.js';
import { ParleyError, conflict } from './errors.js';

export class GuestClaimService {
  constructor(
    private readonly storage: Storage,
    private readonly events: ThreadEventSink,
    private readonly deliveries: Deliveries,
  ) {}

  /** Moves every guest comment given with the reader's verified e-mail into the account, each with its thread event; audited. */
  async claim(user: UserRow): Promise<GuestClaimResult> {
    if (!user.email) throw conflict('no_email', 'Your account has no e-mail address; add and verify the one you gave as a guest.');
    if (user.email_verified_at === null) {
      throw new ParleyError(403, 'email_not_verified', 'Verify your e-mail address first (the link we mail you): it shows the guest comments are yours.');
    }
    const db = this.storage.db;
    const guests = (await guestAccountsWithEmail(db, user.email)).filter((id) => id !== user.id);
    const comments = await commentsOfAccounts(db, guests);
    if (comments.length === 0) throw new ParleyError(404, 'nothing_to_claim', `No guest comment was posted with ${user.email}.`);
    const now = Date.now();
    const { eventIds, planned } = await inTransaction(db, async (trx) => {
      await moveAuthorship(trx, comments.map((c) => c.id), user.id);
      await appendAudit(
        trx,
        {
          site_id: null,
          actor_id: user.id,
          action: 'user.claim_guest_comments',
          target_type: 'user',
          target_id: user.id,
          reason: null,
          before_json: JSON.stringify({ guestAccounts: guests }),
          after_json: JSON.stringify({ comments: comments.map((c) => c.id) }),
        },
        now,
      );
      const ids: number[] = [];
      let planned = 0;
      // Each site's webhooks read once, not once per comment: a guest may have posted hundreds.
      const hooksOfSite = new Map<string, string[]>();
      for (const comment of comments) {
        const moved = { ...comment, author_id: user.id };
        const payload = publicView({ ...moved, author_username: user.username });
        let hooks = hooksOfSite.get(comment.site_id);
        if (!hooks) {
          hooks = (await webhooksFor(trx, comment.site_id, 'comment.updated')).map((hook) => hook.id);
          hooksOfSite.set(comment.site_id, hooks);
        }
        // A new author is a change to the comment: the site's webhooks hear of it as of an edit.
        planned += await this.deliveries.commentUpdated(trx, moved, payload, now, hooks);
        ids.push(await appendThreadEvent(trx, commentEvent('comment.edited', moved, comment, payload, now)));
      }
      return { eventIds: ids, planned };
    });
    for (const id of eventIds) this.events.raised(id);
    this.deliveries.committed(planned);
    return { claimed: comments.length };
  }
}
