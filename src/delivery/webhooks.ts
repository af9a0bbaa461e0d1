// Webhook calls: the event's JSON posted to the site's URL, signed with the webhook's secret as Stripe does
// (HMAC-SHA256 over "timestamp.body"), with a time limit so that a slow receiver holds nothing but its own call.
// Unless the install allows it, a call connects only to a public address: the name is resolved for the connection
// itself and refused when an address is internal, so a DNS answer that changed since the webhook was added (DNS
// rebinding) reaches nothing inside.
import { createHmac } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Kysely } from 'kysely';
import type { Database, OutboxRow } from '../storage/schema.js';
import { findWebhook } from '../storage/webhooks.js';
import { isInternalAddress, literalAddress } from '../core/addresses.js';
import type { Sender, SendOutcome } from './dispatcher.js';

/** The Parley-Signature header of a body sent at `timestamp` (seconds since 1970). */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

class InternalAddressError extends Error {
  constructor(host: string, address: string) {
    super(`${host} is at ${address}, an internal address (set PARLEY_WEBHOOK_ALLOW_PRIVATE=true to allow it)`);
  }
}

/** Resolves a name as the connection asks, refusing it when any of its addresses is internal. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const internal = addresses.find((a) => isInternalAddress(a.address));
    if (internal) return callback(new InternalAddressError(hostname, internal.address), '', 0);
    if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/** POSTs a body and answers the response's status; redirects are not followed. */
function post(url: URL, headers: Record<string, string>, body: string, signal: AbortSignal, lookup: LookupFunction | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, signal, agent: false, ...(lookup ? { lookup } : {}) },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

export class WebhookSender implements Sender {
  /** @param allowInternal whether calls may go to this machine and private networks (PARLEY_WEBHOOK_ALLOW_PRIVATE) */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly timeoutMs: number,
    private readonly allowInternal = false,
  ) {}

  async send(row: OutboxRow, stop: AbortSignal): Promise<SendOutcome> {
    const hook = await findWebhook(this.db, row.target);
    // Removed since: nothing to send to, and nothing to retry.
    if (!hook) return { ok: false, statusCode: null, error: 'the webhook was removed', permanent: true };
    const url = new URL(hook.url);
    const literal = literalAddress(url);
    if (!this.allowInternal && literal && isInternalAddress(literal)) {
      return { ok: false, statusCode: null, error: new InternalAddressError(literal, literal).message, permanent: true };
    }
    const timestamp = Math.floor(Date.now() / 1000);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Parley-Webhooks/1',
      'parley-event': row.topic,
      'parley-event-id': row.event_id,
      'parley-delivery': row.id,
      'parley-signature': signatureHeader(hook.secret, timestamp, row.payload_json),
    };
    try {
      const status = await post(url, headers, row.payload_json, AbortSignal.any([stop, timeout]), this.allowInternal ? undefined : publicOnlyLookup);
      const ok = status >= 200 && status < 300;
      return { ok, statusCode: status, error: ok ? null : `the receiver answered ${status}` };
    } catch (error) {
      if (timeout.aborted) return { ok: false, statusCode: null, error: `no answer within ${this.timeoutMs / 1000} s` };
      // An internal address stays internal: retrying cannot mend it (a fixed DNS record needs a replay).
      if (error instanceof InternalAddressError) return { ok: false, statusCode: null, error: error.message, permanent: true };
      return { ok: false, statusCode: null, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
