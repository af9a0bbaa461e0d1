// Who is told of a change, by mail or webhook: the rules that turn a change into deliveries in the outbox, written
// in the change's own transaction (so a delivery exists exactly when its change does). src/delivery sends them.
import type { Kysely } from 'kysely';
import type { CommentRow, Database, NewOutboxRow, UserRow } from '../storage/schema.js';
import { enqueueDeliveries, outboxRow } from '../storage/outbox.js';
import { webhooksFor } from '../storage/webhooks.js';
import { replySubscription } from '../storage/mail.js';
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

/** The first 280 characters of a text, for a mail. */
const excerpt = (text: string) => {
  const chars = [...text];
  return chars.length > 280 ? `${chars.slice(0, 280).join('')}…` : text;
};

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

  /** One event to every webhook that receives its type (of the site, or of every site when siteId is null). */
  async webhookEvent(trx: Kysely<Database>, siteId: string | null, type: WebhookEventType, data: unknown, now: number): Promise<number> {
    const hooks = await webhooksFor(trx, siteId, type);
    if (hooks.length === 0) return 0;
    const id = newId();
    const body: WebhookEventBody = { id, type, createdAt: iso(now), siteId, data };
    const json = JSON.stringify(body);
    await enqueueDeliveries(
      trx,
      hooks.map((hook) => outboxRow({ kind: 'webhook', site_id: hook.site_id, topic: type, target: hook.id, event_id: id, payload_json: json }, now)),
    );
    return hooks.length;
  }

  /** Mails to these addresses (nothing when mail is off). */
  async mail(trx: Kysely<Database>, siteId: string | null, messages: Array<{ to: string; message: MailMessage }>, now: number): Promise<number> {
    if (!this.mailOn || messages.length === 0) return 0;
    const rows: NewOutboxRow[] = messages.map(({ to, message }) =>
      outboxRow({ kind: 'mail', site_id: siteId, topic: message.template, target: to, event_id: newId(), payload_json: JSON.stringify(message) }, now),
    );
    await enqueueDeliveries(trx, rows);
    return rows.length;
  }

  /** A new comment: the site's webhooks, and the author of the comment it answers, when they asked to be told. */
  async commentCreated(trx: Kysely<Database>, comment: CommentRow, view: CommentFields, author: UserRow, parent: CommentRow | undefined, storyTitle: string) {
    let planned = await this.webhookEvent(trx, comment.site_id, 'comment.created', commentData(comment, view), comment.created_at);
    if (parent && parent.author_id !== author.id && comment.status === 'published') {
      const recipient = await this.verifiedRecipient(trx, parent.author_id);
      const unsubscribeToken = recipient && (await replySubscription(trx, recipient.id, comment.story_id));
      if (recipient && unsubscribeToken) {
        const message: MailMessage = {
          template: 'reply',
          username: recipient.username,
          replier: author.username,
          storyId: comment.story_id,
          storyTitle,
          commentId: comment.id,
          excerpt: excerpt(comment.body_markdown),
          unsubscribeToken,
        };
        planned += await this.mail(trx, comment.site_id, [{ to: recipient.email!, message }], comment.created_at);
      }
    }
    return planned;
  }

  commentUpdated(trx: Kysely<Database>, comment: CommentRow, view: CommentFields, now: number) {
    return this.webhookEvent(trx, comment.site_id, 'comment.updated', commentData(comment, view), now);
  }

  /** A moderator's action: the site's webhooks, and the author when an approval or rejection changed the status. */
  async commentModerated(trx: Kysely<Database>, before: CommentRow, after: CommentRow, view: CommentFields | null, action: string, now: number) {
    const data = { ...commentData(after, view), action, previousStatus: before.status, reason: after.moderation_reason };
    let planned = await this.webhookEvent(trx, after.site_id, 'comment.moderated', data, now);
    const outcome = after.status;
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
