// Webhooks against a real HTTP receiver (node:http, started here): configured by a site's admin, signed with
// HMAC-SHA256 over "timestamp.body", retried with back-off after a failure, logged and replayed; and a receiver
// that never answers does not hold up posting.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { onEachDatabase } from '../helpers/suite.js';
import { Receiver } from '../helpers/receiver.js';
import type { TestApp } from '../helpers/app.js';
import { insertWebhook } from '../../src/storage/webhooks.js';

/** What a receiver does (docs/delivery.md): recompute the signature over "t.body" and compare in constant time. */
function verifySignature(secret: string, header: string, body: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=') as [string, string]));
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const receivers: Receiver[] = [];
after(() => Promise.all(receivers.map((r) => r.close())));
const receiver = async () => {
  const r = await new Receiver().start();
  receivers.push(r);
  return r;
};

onEachDatabase(
  'webhooks',
  (t) => {
    const addWebhook = async (app: TestApp, url: string, events?: string[]) => {
      const admin = await app.agent('admin');
      const res = await app.request('POST', `/api/sites/${app.siteId}/webhooks`, { as: admin, body: { url, ...(events ? { events } : {}) } });
      assert.equal(res.statusCode, 201, res.body);
      return { admin, webhook: res.json() as { id: string; secret: string; events: string[] } };
    };

    it('posts each event signed with the secret shown once, to the webhooks of the site', async () => {
      const r = await receiver();
      const { admin, webhook } = await addWebhook(t(), r.url);
      assert.match(webhook.secret, /^whsec_/);
      assert.deepEqual(webhook.events, ['comment.created', 'comment.updated', 'comment.moderated', 'comment.reported', 'user.banned']);
      const listed = await t().request('GET', `/api/sites/${t().siteId}/webhooks`, { as: admin });
      assert.equal(listed.json().webhooks[0].id, webhook.id);
      assert.ok(!('secret' in listed.json().webhooks[0]), 'the secret is not shown again');

      const storyId = await t().story();
      const author = await t().agent();
      const comment = await t().comment(author, storyId, 'A first comment for the webhook.');
      const [call] = await r.waitFor(1);
      assert.equal(call!.headers['parley-event'], 'comment.created');
      assert.ok(verifySignature(webhook.secret, String(call!.headers['parley-signature']), call!.body));
      assert.ok(!verifySignature('whsec_wrong', String(call!.headers['parley-signature']), call!.body));
      const event = JSON.parse(call!.body);
      assert.equal(event.type, 'comment.created');
      assert.equal(event.siteId, t().siteId);
      assert.equal(event.data.comment.id, comment.id);
      assert.equal(event.data.comment.storyId, storyId);

      const edited = await t().request('PATCH', `/api/comments/${comment.id}`, { as: author, body: { body: 'A first comment, edited.' } });
      assert.equal(edited.statusCode, 200, edited.body);
      const reader = await t().agent();
      const reported = await t().request('POST', `/api/comments/${comment.id}/reports`, { as: reader, body: { reason: 'spam' } });
      assert.equal(reported.statusCode, 201, reported.body);
      const rejected = await t().request('POST', `/api/moderation/comments/${comment.id}/reject`, { as: admin, body: { reason: 'Spam' } });
      assert.equal(rejected.statusCode, 200, rejected.body);
      const banned = await t().request('POST', `/api/moderation/users/${author.userId}/ban`, { as: admin, body: { reason: 'Spammer' } });
      assert.equal(banned.statusCode, 200, banned.body);
      const calls = await r.waitFor(5);
      const types = calls.map((c) => JSON.parse(c.body).type).sort();
      assert.deepEqual(types, ['comment.created', 'comment.moderated', 'comment.reported', 'comment.updated', 'user.banned']);
      const moderated = JSON.parse(calls.find((c) => JSON.parse(c.body).type === 'comment.moderated')!.body);
      assert.equal(moderated.data.comment.status, 'rejected');
      assert.equal(moderated.data.previousStatus, 'published');
      for (const c of calls) assert.ok(verifySignature(webhook.secret, String(c.headers['parley-signature']), c.body));

      const removed = await t().request('DELETE', `/api/sites/${t().siteId}/webhooks/${webhook.id}`, { as: admin });
      assert.equal(removed.statusCode, 204);
      await t().comment(reader, storyId, 'Nobody is told of this one.');
      assert.equal((await t().db.selectFrom('outbox').select('id').where('target', '=', webhook.id).execute()).length, 5);
    });

    it('retries after a 500 with back-off, logs each delivery, and replays one with the same event id', async () => {
      const r = await receiver();
      r.answers.push(500, 503);
      const { admin, webhook } = await addWebhook(t(), r.url, ['comment.created']);
      const storyId = await t().story();
      await t().comment(await t().agent(), storyId, 'Delivered on the third try.');
      const calls = await r.waitFor(3);
      assert.equal(new Set(calls.map((c) => c.headers['parley-delivery'])).size, 1, 'three attempts of one delivery');
      assert.equal(new Set(calls.map((c) => c.body)).size, 1);
      let log = (await t().request('GET', `/api/sites/${t().siteId}/webhooks/deliveries`, { as: admin })).json();
      for (let i = 0; i < 100 && log.deliveries.find((d: { webhookId: string }) => d.webhookId === webhook.id)?.status !== 'sent'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        log = (await t().request('GET', `/api/sites/${t().siteId}/webhooks/deliveries`, { as: admin })).json();
      }
      const delivery = log.deliveries.find((d: { webhookId: string }) => d.webhookId === webhook.id);
      assert.equal(delivery.status, 'sent');
      assert.equal(delivery.attempts, 3);
      assert.equal(delivery.responseCode, 200);
      assert.equal(delivery.event, 'comment.created');

      const replay = await t().request('POST', `/api/sites/${t().siteId}/webhooks/deliveries/${delivery.id}/replay`, { as: admin });
      assert.equal(replay.statusCode, 202, replay.body);
      assert.equal(replay.json().eventId, delivery.eventId);
      const again = await r.waitFor(4);
      assert.equal(JSON.parse(again[3]!.body).id, delivery.eventId);
      assert.notEqual(again[3]!.headers['parley-delivery'], delivery.id);
    });

    it('gives up after the last attempt and records why', async () => {
      const r = await receiver();
      r.answers.push(500, 500, 500);
      const { admin, webhook } = await addWebhook(t(), r.url, ['comment.created']);
      await t().comment(await t().agent(), await t().story(), 'Never accepted.');
      await r.waitFor(3);
      let row;
      for (let i = 0; i < 100; i++) {
        row = await t().db.selectFrom('outbox').selectAll().where('target', '=', webhook.id).executeTakeFirstOrThrow();
        if (row.status === 'failed') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(row!.status, 'failed');
      assert.equal(row!.attempts, 3);
      assert.equal(row!.last_status_code, 500);
      const log = (await t().request('GET', `/api/sites/${t().siteId}/webhooks/deliveries?limit=5`, { as: admin })).json();
      assert.equal(log.deliveries.find((d: { webhookId: string }) => d.webhookId === webhook.id).error, 'the receiver answered 500');
    });

    it('keeps posting, and delivering to other receivers, while a receiver holds every call open', async () => {
      const r = await receiver();
      r.answers.push(...Array<'hang'>(10).fill('hang'));
      await addWebhook(t(), r.url, ['comment.created']);
      const healthy = await receiver();
      await addWebhook(t(), healthy.url, ['comment.created']);
      const storyId = await t().story();
      const author = await t().agent();
      await t().comment(author, storyId, 'The receiver will hold this one.');
      await r.waitFor(1);
      // The receiver has not answered the first call, and more comments go through all the same.
      for (let i = 0; i < 5; i++) await t().comment(author, storyId, `Still posting, number ${i}.`);
      assert.ok(r.held >= 1, 'a call is still held open by the receiver');
      const count = await t().db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).where('story_id', '=', storyId).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 6);
      // The healthy receiver gets all six while the other still holds its calls.
      await healthy.waitFor(6);
      assert.ok(r.held >= 1);
      // The calls still to make show in the metrics.
      const metrics = await t().app.inject({ method: 'GET', url: '/metrics' });
      const pending = Number(/^parley_outbox_pending (\d+)$/m.exec(metrics.body)?.[1]);
      assert.ok(pending >= 1, `outbox backlog ${pending}`);
    });

    it('refuses a webhook URL that is not http or https, and an unknown event', async () => {
      const admin = await t().agent('admin');
      for (const body of [{ url: 'file:///etc/passwd' }, { url: 'not a url' }, { url: 'https://user:pw@example.com/' }]) {
        const res = await t().request('POST', `/api/sites/${t().siteId}/webhooks`, { as: admin, body });
        assert.equal(res.statusCode, 400, JSON.stringify(body));
        assert.equal(res.json().error.code, 'invalid_url');
      }
      const unknown = await t().request('POST', `/api/sites/${t().siteId}/webhooks`, { as: admin, body: { url: 'https://example.com/', events: ['comment.eaten'] } });
      assert.equal(unknown.statusCode, 400);
    });
  },
  // The receivers listen on 127.0.0.1: this install allows internal addresses (the suite below does not).
  { config: (c) => ({ ...c, delivery: { ...c.delivery, pollMs: 100, retryBaseMs: 50, maxAttempts: 3, webhookTimeoutMs: 60_000, allowInternalWebhooks: true } }) },
);

onEachDatabase(
  'webhook addresses',
  (t) => {
    it('refuses a webhook URL on this machine, a private network or the metadata service, with a clear 400', async () => {
      const admin = await t().agent('admin');
      const r = await receiver();
      for (const url of [
        r.url,
        `http://localhost:${new URL(r.url).port}/hook`,
        'http://[::1]/',
        'http://169.254.169.254/latest/meta-data/',
        'http://10.1.2.3/',
        'https://192.168.0.10/',
        'http://[::ffff:127.0.0.1]/',
        'http://[fd00:ec2::254]/',
        'http://0.0.0.0/',
      ]) {
        const res = await t().request('POST', `/api/sites/${t().siteId}/webhooks`, { as: admin, body: { url } });
        assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
        assert.equal(res.json().error.code, 'internal_address');
        assert.match(res.json().error.message, /PARLEY_WEBHOOK_ALLOW_PRIVATE/);
      }
      // A name that does not resolve now is checked again at each call.
      const later = await t().request('POST', `/api/sites/${t().siteId}/webhooks`, { as: admin, body: { url: 'https://hooks.example.com/parley' } });
      assert.equal(later.statusCode, 201, later.body);
      assert.equal(r.calls.length, 0);
    });

    it('refuses at the call a webhook whose name resolves to an internal address now (DNS rebinding)', async () => {
      const r = await receiver();
      // As if "localhost" had been a public address when the webhook was added.
      const port = new URL(r.url).port;
      const ids: string[] = [];
      for (const url of [`http://localhost:${port}/rebound`, `http://127.0.0.1:${port}/literal`]) {
        ids.push((await insertWebhook(t().db, { siteId: t().siteId, url, secret: 'whsec_test', events: ['comment.created'] })).id);
      }
      const storyId = await t().story();
      await t().comment(await t().agent(), storyId, 'Where does this event go?');
      const rows = () => t().db.selectFrom('outbox').selectAll().where('kind', '=', 'webhook').where('target', 'in', ids).execute();
      for (let i = 0; i < 100 && (await rows()).some((row) => row.status === 'pending'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      const done = await rows();
      assert.equal(done.length, 2);
      for (const row of done) {
        assert.equal(row.status, 'failed', 'refused, and not retried');
        assert.match(row.last_error ?? '', /internal address/);
      }
      assert.equal(r.calls.length, 0, 'the receiver inside was never called');
    });
  },
  { config: (c) => ({ ...c, delivery: { ...c.delivery, pollMs: 100, retryBaseMs: 50 } }) },
);
