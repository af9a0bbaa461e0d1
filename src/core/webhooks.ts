// A site's webhooks, set by its admins: add (the signing secret is shown once), list, remove; and the log of
// deliveries with a replay of one.
import type { Storage } from '../storage/db.js';
import type { OutboxRow, UserRow, WebhookRow } from '../storage/schema.js';
import { deleteWebhook, insertWebhook, listWebhooks } from '../storage/webhooks.js';
import { enqueueDeliveries, findDelivery, outboxRow, readWebhookDeliveries } from '../storage/outbox.js';
import { findSite } from '../storage/sites.js';
import { newSecret } from '../storage/ids.js';
import { WEBHOOK_EVENTS } from '../contracts/limits.js';
import type { Webhook, WebhookDelivery, WebhookDeliveryPage } from '../contracts/api.js';
import type { Deliveries } from './deliveries.js';
import { decodeCursor, encodeCursor } from './cursors.js';
import { checkWebhookHost } from './addresses.js';
import { iso } from './time.js';
import { ParleyError, notFound, assertActsOnSite } from './errors.js';

const webhookView = (row: WebhookRow): Webhook => ({
  id: row.id,
  siteId: row.site_id,
  url: row.url,
  events: row.events.split(',').filter(Boolean) as Webhook['events'],
  createdAt: iso(row.created_at),
});

const deliveryView = (row: OutboxRow): WebhookDelivery => ({
  id: row.id,
  webhookId: row.target,
  eventId: row.event_id,
  event: row.topic,
  status: row.status,
  attempts: row.attempts,
  responseCode: row.last_status_code,
  error: row.last_error,
  createdAt: iso(row.created_at),
  sentAt: iso(row.sent_at),
  nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
});

/** A receiver's URL: http or https, with a host, as given (no credentials in it). */
function checkUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ParleyError(400, 'invalid_url', 'The webhook URL must be a full http:// or https:// address.');
  }
  if (!['http:', 'https:'].includes(url.protocol) || !url.hostname) {
    throw new ParleyError(400, 'invalid_url', 'The webhook URL must be a full http:// or https:// address.');
  }
  if (url.username || url.password) throw new ParleyError(400, 'invalid_url', 'The webhook URL must not carry a user name or password.');
  return url.toString();
}

export class WebhookService {
  /** @param allowInternal whether webhooks may call this machine and private networks (PARLEY_WEBHOOK_ALLOW_PRIVATE) */
  constructor(
    private readonly storage: Storage,
    private readonly deliveries: Deliveries,
    private readonly allowInternal = false,
  ) {}

  private get db() {
    return this.storage.db;
  }

  /** Admins of the site, or of every site; the site must exist. */
  private async assertAdminOf(admin: UserRow | null, siteId: string): Promise<void> {
    assertActsOnSite(admin, siteId);
    if (!(await findSite(this.db, siteId))) throw notFound('The site');
  }

  /**
   * Adds a webhook; the answer carries its signing secret, shown only this once.
   * @param admin null for the operator at the command line
   */
  async add(admin: UserRow | null, siteId: string, rawUrl: string, events: readonly string[]): Promise<Webhook & { secret: string }> {
    await this.assertAdminOf(admin, siteId);
    const url = checkUrl(rawUrl);
    if (!this.allowInternal) await checkWebhookHost(new URL(url));
    const unknown = events.filter((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e));
    if (unknown.length) throw new ParleyError(400, 'unknown_event', `Unknown event: ${unknown.join(', ')}. Known: ${WEBHOOK_EVENTS.join(', ')}.`);
    const chosen = events.length ? [...new Set(events)] : [...WEBHOOK_EVENTS];
    const row = await insertWebhook(this.db, { siteId, url, secret: `whsec_${newSecret()}`, events: chosen });
    return { ...webhookView(row), secret: row.secret };
  }

  async list(admin: UserRow | null, siteId: string): Promise<Webhook[]> {
    await this.assertAdminOf(admin, siteId);
    return (await listWebhooks(this.db, siteId)).map(webhookView);
  }

  async remove(admin: UserRow | null, siteId: string, webhookId: string): Promise<void> {
    await this.assertAdminOf(admin, siteId);
    if (!(await deleteWebhook(this.db, siteId, webhookId))) throw notFound('The webhook');
  }

  /** The site's deliveries, newest first: status, attempts, the receiver's last answer. */
  async log(admin: UserRow, siteId: string, cursor: string | null, limit: number): Promise<WebhookDeliveryPage> {
    await this.assertAdminOf(admin, siteId);
    const { rows, next } = await readWebhookDeliveries(this.db, siteId, cursor ? decodeCursor('deliveries', cursor) : null, limit);
    return { deliveries: rows.map(deliveryView), nextCursor: next ? encodeCursor('deliveries', next) : null };
  }

  /** Sends a delivery's event again to its webhook, as a new delivery with the same event id and body. */
  async replay(admin: UserRow, siteId: string, deliveryId: string): Promise<WebhookDelivery> {
    await this.assertAdminOf(admin, siteId);
    const original = await findDelivery(this.db, deliveryId);
    if (!original || original.kind !== 'webhook' || original.site_id !== siteId) throw notFound('The delivery');
    const { site_id, topic, target, event_id, payload_json } = original;
    const copy = outboxRow({ kind: 'webhook', site_id, topic, target, event_id, payload_json }, Date.now());
    await enqueueDeliveries(this.db, [copy]);
    this.deliveries.committed(1);
    return deliveryView({ ...copy, status: 'pending', attempts: 0, last_error: null, last_status_code: null, sent_at: null });
  }
}
