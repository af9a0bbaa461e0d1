// Webhook calls: the event's JSON posted to the site's URL, signed with the webhook's secret as Stripe does
// (HMAC-SHA256 over "timestamp.body"), with a time limit so that a slow receiver holds nothing but its own call.
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, OutboxRow } from '../storage/schema.js';
import { findWebhook } from '../storage/webhooks.js';
import type { Sender, SendOutcome } from './dispatcher.js';

/** The Parley-Signature header of a body sent at `timestamp` (seconds since 1970). */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

export class WebhookSender implements Sender {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly timeoutMs: number,
  ) {}

  async send(row: OutboxRow, stop: AbortSignal): Promise<SendOutcome> {
    const hook = await findWebhook(this.db, row.target);
    // Removed since: nothing to send to, and nothing to retry.
    if (!hook) return { ok: false, statusCode: null, error: 'the webhook was removed', permanent: true };
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const response = await fetch(hook.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.any([stop, AbortSignal.timeout(this.timeoutMs)]),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Parley-Webhooks/1',
          'parley-event': row.topic,
          'parley-event-id': row.event_id,
          'parley-delivery': row.id,
          'parley-signature': signatureHeader(hook.secret, timestamp, row.payload_json),
        },
        body: row.payload_json,
      });
      await response.body?.cancel();
      const ok = response.status >= 200 && response.status < 300;
      return { ok, statusCode: response.status, error: ok ? null : `the receiver answered ${response.status}` };
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      return { ok: false, statusCode: null, error: timedOut ? `no answer within ${this.timeoutMs / 1000} s` : describe(error) };
    }
  }
}

/** A network failure's message with its cause (fetch says only "fetch failed"). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
