// What readers and staff do with mail: prove an address, reset a forgotten password, ask for (and stop) mails about
// replies, and the daily digest of the queues. Each mail is planned in the outbox (deliveries.ts) with its change.
import type { Storage } from '../storage/db.js';
import type { UserRow } from '../storage/schema.js';
import { inTransaction } from '../storage/events.js';
import { claimDigestDay, consumeMailToken, digestDayClaimed, createMailToken, staffWithVerifiedEmail, subscribeToReplies, unsubscribeByToken, unsubscribeFromReplies } from '../storage/mail.js';
import { findUserByEmail, findUserById, updateUser } from '../storage/users.js';
import { deleteUserSessions } from '../storage/sessions.js';
import { findStory } from '../storage/stories.js';
import type { Counts } from '../contracts/api.js';
import { hashPassword } from './accounts.js';
import type { Deliveries } from './deliveries.js';
import { ParleyError, conflict, notFound } from './errors.js';
import { utcDay } from './time.js';

const RESET_TTL_MS = 3600_000;

const mailOff = () => new ParleyError(409, 'mail_off', 'This server sends no mail (no SMTP server is configured).');
const badLink = () => new ParleyError(400, 'invalid_token', 'This link is not valid: it was used already, has expired, or was mistyped. Ask for a new one.');

export class MailService {
  /** The last day this process asked for the digest (planDueDigest), so that it asks the database once a day. */
  private digestAskedFor: string | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly deliveries: Deliveries,
    /** The queue counts a staff member sees (ModerationService.counts), for the digest. */
    private readonly countsFor: (staff: UserRow) => Promise<Counts>,
  ) {}

  private get db() {
    return this.storage.db;
  }

  get enabled(): boolean {
    return this.deliveries.mailOn;
  }

  /** Sends the account's address a link that proves it is theirs. */
  async requestVerification(user: UserRow): Promise<void> {
    if (!this.enabled) throw mailOff();
    if (!user.email) throw new ParleyError(422, 'no_email', 'Your account has no e-mail address to confirm.');
    if (user.email_verified_at !== null) throw conflict('already_verified', 'Your e-mail address is already confirmed.');
    await this.withMail((trx, now) => this.deliveries.addressToConfirm(trx, user, now));
  }

  /** Uses a verification link: the address it was sent to is confirmed, if it is still the account's. */
  async verify(token: string): Promise<UserRow> {
    const used = await consumeMailToken(this.db, token, 'verify');
    const user = used && (await findUserById(this.db, used.user_id));
    if (!used || !user || user.email !== used.email) throw badLink();
    const now = Date.now();
    await updateUser(this.db, user.id, { email_verified_at: now });
    return { ...user, email_verified_at: now };
  }

  /**
   * Sends a reset link when an account has this address. Answers the same whether or not one does, so that nobody
   * learns which addresses have accounts.
   */
  async requestPasswordReset(email: string): Promise<void> {
    if (!this.enabled) throw mailOff();
    const user = await findUserByEmail(this.db, email.trim());
    if (!user?.email || !user.password_hash) return;
    const to = user.email;
    await this.withMail(async (trx, now) => {
      const token = await createMailToken(trx, { userId: user.id, purpose: 'reset', email: to, ttlMs: RESET_TTL_MS }, now);
      return this.deliveries.mail(trx, null, [{ to, message: { template: 'reset', username: user.username, token } }], now);
    });
  }

  /** Uses a reset link: a new password, every session ended, and the address proven (the link reached it). */
  async resetPassword(token: string, password: string): Promise<void> {
    // One transaction: a weak password (refused by hashPassword) does not spend the link.
    await inTransaction(this.db, async (trx) => {
      const used = await consumeMailToken(trx, token, 'reset');
      const user = used && (await findUserById(trx, used.user_id));
      if (!used || !user) throw badLink();
      const passwordHash = await hashPassword(password, user.username);
      await updateUser(trx, user.id, { password_hash: passwordHash, ...(user.email === used.email ? { email_verified_at: user.email_verified_at ?? Date.now() } : {}) });
      await deleteUserSessions(trx, user.id);
    });
  }

  /** Mails about replies to this reader's comments on a story, from now on. */
  async subscribe(user: UserRow, storyId: string): Promise<void> {
    if (!(await findStory(this.db, storyId))) throw notFound('The story');
    await subscribeToReplies(this.db, user.id, storyId);
  }

  async unsubscribe(user: UserRow, storyId: string): Promise<void> {
    if (!(await findStory(this.db, storyId))) throw notFound('The story');
    await unsubscribeFromReplies(this.db, user.id, storyId);
  }

  /** The one-click unsubscribe of a mail's link; answers the same when it was already used. */
  async unsubscribeByLink(token: string): Promise<void> {
    await unsubscribeByToken(this.db, token);
  }

  /**
   * Plans today's (UTC) digest for every moderator and admin with a confirmed address; returns how many, or null when
   * today's was planned already (by this or another process, or a cron job): a digest goes once a day.
   */
  async planDigest(now = Date.now()): Promise<number | null> {
    if (!this.enabled) throw mailOff();
    const date = utcDay(now);
    if (await digestDayClaimed(this.db, date)) return null;
    const messages = await Promise.all(
      (await staffWithVerifiedEmail(this.db)).map(async (staff) => ({
        to: staff.email!,
        message: { template: 'digest' as const, username: staff.username, counts: await this.countsFor(staff), date },
        siteId: staff.site_id,
      })),
    );
    let first = true;
    const planned = await this.withMail(async (trx) => {
      first = await claimDigestDay(trx, date, now);
      let count = 0;
      if (first) for (const { siteId, ...mail } of messages) count += await this.deliveries.mail(trx, siteId, [mail], now);
      return count;
    });
    return first ? planned : null;
  }

  /**
   * The server's schedule: plans today's digest once the hour (UTC) has come. Every process asks; the day's mark in the
   * database lets one of them plan it. Null when there was nothing to do.
   */
  async planDueDigest(hourUtc: number, now = Date.now()): Promise<number | null> {
    const day = utcDay(now);
    if (this.digestAskedFor === day || new Date(now).getUTCHours() < hourUtc) return null;
    const planned = await this.planDigest(now);
    this.digestAskedFor = day;
    return planned;
  }

  /** Runs `plan` in one transaction and wakes the dispatcher after it commits. */
  private async withMail(plan: (trx: typeof this.db, now: number) => Promise<number>): Promise<number> {
    const planned = await inTransaction(this.db, (trx) => plan(trx, Date.now()));
    this.deliveries.committed(planned);
    return planned;
  }
}
