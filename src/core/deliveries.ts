// Who is told of a change, by mail or webhook: the rules that turn a change into deliveries in the outbox, written
// in the change's own transaction (so a delivery exists exactly when its change does). src/delivery sends them.
import type { Kysely } from 'kysely';
import type { CommentRow, Database, NewOutboxRow, UserRow } from '../storage/schema.js';
import { enqueueDeliveries, hasDelivery, outboxRow } from '../storage/outbox.js';
import { findComment } from '../storage/comments.js';
import { findStory } from '../storage/stories.js';
import { webhooksFor } from '../storage/webhooks.js';
import { createMailToken, replySubscription } from '../storage/mail.js';
import { findUserById } from '../storage/users.js';
import { newId } from '../storage/ids.js';
import type { WEBHOOK_EVENTS } from '../contracts/limits.js';
import type { CommentFields, Counts } from '../contracts/api.js';
import { iso } from './time.js';

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** What a webhook receives: one event, the same body for every webhook it goes to and for a replay. */
export interface WebhookEventBody {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  /** null for an event of no one site (a ban holds on every site). */
  siteId: string | null;
  data: unknown;
}

/** Each mail Parley sends, with what its text needs; links are built by the sender from the public URL. */
export type MailMessage =
  | { template: 'verify'; username: string; token: string }
  | { template: 'reset'; username: string; token: string }
  | { template: 'reply'; username: string; replier: string; storyId: string; storyTitle: string; commentId: string; excerpt: string; unsubscribeToken: string }
  | { template: 'moderation'; username: string; storyId: string; commentId: string; outcome: 'published' | 'rejected'; reason: string | null; excerpt: string }
  | { template: 'digest'; username: string; counts: Counts; date: string };

/** How long a link that confirms an address works. */
const VERIFY_TTL_MS = 24 * 3600_000;

/** The first 280 characters of a text, for a mail. */
const excerpt = (text: string) => {
  const chars = [...text];
  return chars.length > 280 ? `${chars.slice(0, 280).join('')}…` : text;
};

/** The event of the mail that tells of a reply: one per reply, whenever it is published. */
const replyMailEvent = (reply: CommentRow) => `reply-${reply.id}`;

/** A comment as a webhook tells of it: its public fields, the story it is on and its status. */
const commentData = (comment: CommentRow, view: CommentFields | null) => ({
  comment: { ...(view ?? {}), id: comment.id, storyId: comment.story_id, parentId: comment.parent_id, authorId: comment.author_id, status: comment.status },
});

export class Deliveries {
  /**
   * @param mailOn whether this install sends mail (SMTP configured); when not, no mail is planned
   * @param wake told after a transaction that planned deliveries has committed (the dispatcher then looks at once)
   */
  constructor(
    readonly mailOn: boolean,
    private readonly wake: () => void = () => undefined,
  ) {}

  /** Call after the transaction commits, with what its planning returned. */
  committed(planned: number): void {
    if (planned > 0) this.wake();
  }

  /**
   * One event to every webhook that receives its type (of the site, or of every site when siteId is null).
   * @param siteHooks the ids of those webhooks when the caller read them already (the site's, with its story)
   */
  async webhookEvent(trx: Kysely<Database>, siteId: string | null, type: WebhookEventType, data: unknown, now: number, siteHooks?: readonly string[]): Promise<number> {
    const rows = await this.webhookRows(trx, siteId, type, data, now, siteHooks);
    await enqueueDeliveries(trx, rows);
    return rows.length;
  }

  /** The outbox rows of `webhookEvent`, written by the caller. */
  private async webhookRows(db: Kysely<Database>, siteId: string | null, type: WebhookEventType, data: unknown, now: number, siteHooks?: readonly string[]): Promise<NewOutboxRow[]> {
    const hooks = siteHooks && siteId !== null ? siteHooks.map((id) => ({ id, site_id: siteId })) : await webhooksFor(db, siteId, type);
    if (hooks.length === 0) return [];
    const id = newId();
    const body: WebhookEventBody = { id, type, createdAt: iso(now), siteId, data };
    const json = JSON.stringify(body);
    return hooks.map((hook) => outboxRow({ kind: 'webhook', site_id: hook.site_id, topic: type, target: hook.id, event_id: id, payload_json: json }, now));
  }

  /** Mails to these addresses (nothing when mail is off); `eventId` names a mail that must go once only. */
  async mail(trx: Kysely<Database>, siteId: string | null, messages: Array<{ to: string; message: MailMessage }>, now: number, eventId?: string): Promise<number> {
    const rows = this.mailRows(siteId, messages, now, eventId);
    await enqueueDeliveries(trx, rows);
    return rows.length;
  }

  /** The outbox rows of `mail`, written by the caller. */
  private mailRows(siteId: string | null, messages: Array<{ to: string; message: MailMessage }>, now: number, eventId?: string): NewOutboxRow[] {
    if (!this.mailOn) return [];
    return messages.map(({ to, message }) =>
      outboxRow({ kind: 'mail', site_id: siteId, topic: message.template, target: to, event_id: eventId ?? newId(), payload_json: JSON.stringify(message) }, now),
    );
  }

  /** A link that proves the address is the account's, mailed to it (sign-up, or the reader asks); nothing when mail is off. */
  async addressToConfirm(trx: Kysely<Database>, user: Pick<UserRow, 'id' | 'username' | 'email'>, now: number): Promise<number> {
    if (!this.mailOn || !user.email) return 0;
    const token = await createMailToken(trx, { userId: user.id, purpose: 'verify', email: user.email, ttlMs: VERIFY_TTL_MS }, now);
    return this.mail(trx, null, [{ to: user.email, message: { template: 'verify', username: user.username, token } }], now);
  }

  /**
   * A new comment: the site's webhooks, and the author of the comment it answers, when they asked to be told. Only
   * read here (the recipient, their subscription): the rows are returned, for the caller to write with the comment
   * (`insertCommentWithEvent`), then to call `committed` with their number.
   * @param siteHooks the site's webhooks for `comment.created`, read with the story before the write (under
   *   PostgreSQL's read committed, a webhook added while a post is written could miss it inside a transaction too)
   */
  async commentCreatedRows(db: Kysely<Database>, comment: CommentRow, view: CommentFields, author: UserRow, parent: Pick<CommentRow, 'author_id'> | undefined, storyTitle: string, siteHooks?: readonly string[]): Promise<NewOutboxRow[]> {
    const rows = await this.webhookRows(db, comment.site_id, 'comment.created', commentData(comment, view), comment.created_at, siteHooks);
    // A new comment's id is new: no mail of its can be in the outbox yet.
    const mail = parent && comment.status === 'published' ? await this.replyMessage(db, comment, author, parent, storyTitle) : undefined;
    return mail ? [...rows, ...this.mailRows(comment.site_id, [mail], comment.created_at, replyMailEvent(comment))] : rows;
  }

  /**
   * Tells the author of `parent` of a reply published by a moderator's approval, when they subscribed and confirmed
   * their address (as they would have been at posting). Once per reply: a reply approved again after a rejection
   * is not told twice (the outbox keeps the reply's mail under its id for PARLEY_OUTBOX_KEEP_DAYS).
   */
  private async replyMail(trx: Kysely<Database>, reply: CommentRow, replier: UserRow, parent: CommentRow, storyTitle: string, now: number): Promise<number> {
    const mail = await this.replyMessage(trx, reply, replier, parent, storyTitle);
    if (!mail || (await hasDelivery(trx, 'mail', replyMailEvent(reply)))) return 0;
    return this.mail(trx, reply.site_id, [mail], now, replyMailEvent(reply));
  }

  /** The mail that tells the author of `parent` of a reply, when they subscribed to the story and confirmed their address. */
  private async replyMessage(db: Kysely<Database>, reply: CommentRow, replier: UserRow, parent: Pick<CommentRow, 'author_id'>, storyTitle: string): Promise<{ to: string; message: MailMessage } | undefined> {
    if (parent.author_id === replier.id) return undefined;
    const recipient = await this.verifiedRecipient(db, parent.author_id);
    const unsubscribeToken = recipient && (await replySubscription(db, recipient.id, reply.story_id));
    if (!recipient || !unsubscribeToken) return undefined;
    const message: MailMessage = {
      template: 'reply',
      username: recipient.username,
      replier: replier.username,
      storyId: reply.story_id,
      storyTitle,
      commentId: reply.id,
      excerpt: excerpt(reply.body_markdown),
      unsubscribeToken,
    };
    return { to: recipient.email!, message };
  }

  /** @param siteHooks the site's webhooks for `comment.updated`, read with the story (as for `commentCreated`) */
  commentUpdated(trx: Kysely<Database>, comment: CommentRow, view: CommentFields, now: number, siteHooks?: readonly string[]) {
    return this.webhookEvent(trx, comment.site_id, 'comment.updated', commentData(comment, view), now, siteHooks);
  }

  /** A moderator's action: the site's webhooks, and the author when an approval or rejection changed the status. */
  async commentModerated(trx: Kysely<Database>, before: CommentRow, after: CommentRow, view: CommentFields | null, action: string, now: number) {
    const data = { ...commentData(after, view), action, previousStatus: before.status, reason: after.moderation_reason };
    let planned = await this.webhookEvent(trx, after.site_id, 'comment.moderated', data, now);
    const outcome = after.status;
    // A held reply published now: its parent's author is told of it, as they would have been at posting.
    if (before.status !== outcome && outcome === 'published' && after.parent_id) planned += await this.heldReplyPublished(trx, after, now);
    if (before.status !== outcome && (outcome === 'published' || outcome === 'rejected')) {
      const author = await this.verifiedRecipient(trx, after.author_id);
      if (author) {
        const message: MailMessage = {
          template: 'moderation',
          username: author.username,
          storyId: after.story_id,
          commentId: after.id,
          outcome,
          reason: after.moderation_reason,
          excerpt: excerpt(after.body_markdown),
        };
        planned += await this.mail(trx, after.site_id, [{ to: author.email!, message }], now);
      }
    }
    return planned;
  }

  private async heldReplyPublished(trx: Kysely<Database>, reply: CommentRow, now: number): Promise<number> {
    if (!this.mailOn) return 0;
    const [parent, replier, story] = await Promise.all([findComment(trx, reply.parent_id!), findUserById(trx, reply.author_id), findStory(trx, reply.story_id)]);
    return parent && replier && story ? this.replyMail(trx, reply, replier, parent, story.title, now) : 0;
  }

  commentReported(trx: Kysely<Database>, comment: CommentRow, reason: string, now: number) {
    const data = { comment: { id: comment.id, storyId: comment.story_id, authorId: comment.author_id, status: comment.status }, reason };
    return this.webhookEvent(trx, comment.site_id, 'comment.reported', data, now);
  }

  /** A ban holds on every site: every site's webhooks that receive user.banned are told. */
  userBanned(trx: Kysely<Database>, user: UserRow, reason: string | null, now: number) {
    return this.webhookEvent(trx, null, 'user.banned', { user: { id: user.id, username: user.username }, reason }, now);
  }

  /** The account, when mail is on and it has an address it proved is its own. */
  private async verifiedRecipient(trx: Kysely<Database>, userId: string): Promise<UserRow | undefined> {
    if (!this.mailOn) return undefined;
    const user = await findUserById(trx, userId);
    return user?.email && user.email_verified_at !== null ? user : undefined;
  }
}
