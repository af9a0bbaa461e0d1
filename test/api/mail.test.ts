// Mail against a real SMTP server (smtp-server, started here): confirming an address, resetting a password without
// telling which addresses have accounts, reply notifications with RFC 8058 one-click unsubscribe, the moderation
// outcome for the author and the moderators' digest; and, with no SMTP configured, nothing breaks.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { onEachDatabase } from '../helpers/suite.js';
import { startTestApp, type Agent, type TestApp } from '../helpers/app.js';
import { Mailbox } from '../helpers/mailbox.js';
import { createMailToken } from '../../src/storage/mail.js';
import { updateUser } from '../../src/storage/users.js';

const mailbox = await Mailbox.start();
after(() => mailbox.close());

const addressOf = (agent: Agent) => `${agent.username}@example.com`.toLowerCase();
const tokenIn = (body: string, path: string) => new RegExp(`${path}\\?token=([A-Za-z0-9_%-]+)`).exec(body)?.[1];

onEachDatabase(
  'mail',
  (t) => {
    const verified = async (agent: Agent) => updateUser(t().db, agent.userId, { email_verified_at: Date.now() });
    /** A new reader, once the link that confirms its address (mailed at sign-up) has arrived: the next mail is number 2. */
    const readerWithMail = async () => {
      const reader = await t().agent();
      await mailbox.next(addressOf(reader));
      return reader;
    };

    it('mails a new account a link to confirm its address, single-use and stored only as a digest', async () => {
      const reader = await t().agent();
      // Planned with the account itself: nobody asked for it.
      const mail = await mailbox.next(addressOf(reader));
      assert.match(mail.headers.get('subject') ?? '', /Confirm your e-mail address/);
      const token = decodeURIComponent(tokenIn(mail.body, '/verify-email')!);
      const stored = await t().db.selectFrom('mail_tokens').select('token_hash').where('user_id', '=', reader.userId).execute();
      assert.equal(stored.length, 1);
      assert.notEqual(stored[0]!.token_hash, token);
      // Once sent, the outbox keeps no usable link either.
      const rows = await t().db.selectFrom('outbox').select(['payload_json', 'status']).where('target', '=', addressOf(reader)).execute();
      assert.deepEqual(rows.map((r) => r.status), ['sent']);
      assert.ok(!rows[0]!.payload_json.includes(token));

      const page = await t().request('GET', `/verify-email?token=${encodeURIComponent(token)}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<form method="post" action="\/verify-email">/);
      const confirmed = await t().request('POST', '/api/auth/verify-email', { body: { token } });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      assert.deepEqual(confirmed.json(), { email: addressOf(reader), verified: true });
      const again = await t().request('POST', '/api/auth/verify-email', { body: { token } });
      assert.equal(again.statusCode, 400);
      assert.equal(again.json().error.code, 'invalid_token');
      const twice = await t().request('POST', '/api/me/email/verification', { as: reader });
      assert.equal(twice.statusCode, 409);
    });

    it('sends a new confirmation link when the reader asks for one', async () => {
      const reader = await readerWithMail();
      const asked = await t().request('POST', '/api/me/email/verification', { as: reader });
      assert.equal(asked.statusCode, 202, asked.body);
      const mail = await mailbox.next(addressOf(reader), 2);
      const token = decodeURIComponent(tokenIn(mail.body, '/verify-email')!);
      const confirmed = await t().request('POST', '/api/auth/verify-email', { body: { token } });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
    });

    it('plans no confirmation mail when the sign-up fails', async () => {
      const reader = await t().agent();
      const taken = await t().request('POST', '/api/auth/signup', { body: { username: `${reader.username}x`, email: addressOf(reader), password: 'a long enough password' } });
      assert.equal(taken.statusCode, 409);
      const rows = await t().db.selectFrom('outbox').select('id').where('target', '=', addressOf(reader)).execute();
      assert.equal(rows.length, 1, 'only the first account was sent a link');
    });

    it('resets a password by mail, answering alike whether or not the address has an account', async () => {
      const reader = await readerWithMail();
      const known = await t().request('POST', '/api/auth/password-reset/request', { body: { email: addressOf(reader).toUpperCase() } });
      const unknown = await t().request('POST', '/api/auth/password-reset/request', { body: { email: 'nobody-here@example.com' } });
      assert.equal(known.statusCode, 202);
      assert.equal(unknown.statusCode, 202);
      assert.deepEqual(known.json(), unknown.json());
      const mail = await mailbox.next(addressOf(reader), 2);
      assert.match(mail.headers.get('subject') ?? '', /password/i);
      assert.equal(mailbox.to('nobody-here@example.com').length, 0);
      const token = decodeURIComponent(tokenIn(mail.body, '/reset-password')!);

      const weak = await t().request('POST', '/api/auth/password-reset', { body: { token, password: 'short' } });
      assert.equal(weak.statusCode, 400);
      assert.equal(weak.json().error.code, 'weak_password');
      const reset = await t().request('POST', '/api/auth/password-reset', { body: { token, password: 'a brand new long password' } });
      assert.equal(reset.statusCode, 204, reset.body);
      // The old session ended with the old password.
      assert.equal((await t().request('GET', '/api/me', { as: reader })).statusCode, 401);
      const oldLogin = await t().request('POST', '/api/auth/login', { body: { username: reader.username, password: t().passwords.get(reader.username) } });
      assert.equal(oldLogin.statusCode, 401);
      const newLogin = await t().request('POST', '/api/auth/login', { body: { username: reader.username, password: 'a brand new long password' } });
      assert.equal(newLogin.statusCode, 200);
      const reused = await t().request('POST', '/api/auth/password-reset', { body: { token, password: 'yet another long password' } });
      assert.equal(reused.statusCode, 400);

      const expired = await createMailToken(t().db, { userId: reader.userId, purpose: 'reset', email: addressOf(reader), ttlMs: -1 });
      const late = await t().request('POST', '/api/auth/password-reset', { body: { token: expired, password: 'yet another long password' } });
      assert.equal(late.statusCode, 400);
      assert.equal(late.json().error.code, 'invalid_token');
      assert.match((await t().request('GET', '/login')).body, /<a href="\/forgot-password">Forgot your password\?<\/a>/);
      // The form page takes the same path.
      const form = await t().request('GET', `/reset-password?token=${encodeURIComponent(expired)}`);
      assert.match(form.body, /name="token" value="[^"]+"/);
    });

    it('mails a subscribed author about a reply, with a one-click unsubscribe (RFC 8058) that works', async () => {
      const storyId = await t().story();
      const author = await readerWithMail();
      const replier = await t().agent();
      await verified(author);
      const subscribed = await t().request('PUT', `/api/stories/${storyId}/subscription`, { as: author });
      assert.deepEqual(subscribed.json(), { storyId, subscribed: true });
      const parent = await t().comment(author, storyId, 'What do you all think of the new bridge?');
      const reply = await t().comment(replier, storyId, 'I think it is a fine bridge.', parent.id);
      const mail = await mailbox.next(addressOf(author), 2);
      assert.match(mail.headers.get('subject') ?? '', new RegExp(`${replier.username} replied to you`));
      assert.match(mail.body, /I think it is a fine bridge\./);
      assert.ok(mail.body.includes(`/comments/${reply.id}`));
      const unsubscribe = /^<(http[^>]+)>$/.exec(mail.headers.get('list-unsubscribe') ?? '')?.[1];
      assert.ok(unsubscribe, mail.headers.get('list-unsubscribe'));
      assert.equal(mail.headers.get('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');

      // What a mail client sends on one click: a form POST, no cookie; RFC 8058 allows it url-encoded or as
      // multipart/form-data. A link used twice answers alike.
      const path = new URL(unsubscribe).pathname;
      const clicks = [
        { type: 'application/x-www-form-urlencoded', payload: 'List-Unsubscribe=One-Click' },
        { type: 'multipart/form-data; boundary=b', payload: '--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b--\r\n' },
      ];
      for (const { type, payload } of clicks) {
        const clicked = await t().app.inject({ method: 'POST', url: path, headers: { 'content-type': type }, payload });
        assert.equal(clicked.statusCode, 200, clicked.body);
      }
      const elsewhere = await t().app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'multipart/form-data; boundary=b' }, payload: '--b--\r\n' });
      assert.equal(elsewhere.statusCode, 415, 'only the mail pages read multipart bodies');
      const planned = await t().db.selectFrom('outbox').select('id').where('target', '=', addressOf(author)).execute();
      await t().comment(replier, storyId, 'And another thought on it.', parent.id);
      const after = await t().db.selectFrom('outbox').select('id').where('target', '=', addressOf(author)).execute();
      assert.equal(after.length, planned.length, 'no mail is planned after unsubscribing');
    });

    it('tells nobody of replies who did not subscribe, or whose address is not confirmed', async () => {
      const storyId = await t().story();
      const unconfirmed = await t().agent();
      const quiet = await t().agent();
      await verified(quiet);
      await t().request('PUT', `/api/stories/${storyId}/subscription`, { as: unconfirmed });
      const replier = await t().agent();
      for (const author of [unconfirmed, quiet]) {
        const parent = await t().comment(author, storyId, 'A comment worth answering.');
        await t().comment(replier, storyId, 'An answer.', parent.id);
      }
      const rows = await t().db.selectFrom('outbox').select('id').where('topic', '=', 'reply').where('target', 'in', [addressOf(unconfirmed), addressOf(quiet)]).execute();
      assert.equal(rows.length, 0);
    });

    it('tells the author of a comment of a held reply when a moderator publishes it, and once only', async () => {
      const storyId = await t().story();
      const moderator = await t().agent('moderator');
      const author = await readerWithMail();
      await verified(author);
      await t().request('PUT', `/api/stories/${storyId}/subscription`, { as: author });
      const parent = await t().comment(author, storyId, 'Is the ferry running today?');
      await t().request('PATCH', `/api/stories/${storyId}`, { as: moderator, body: { state: 'premoderated' } });
      const reply = await t().comment(await t().agent(), storyId, 'Yes, every hour until nine.', parent.id);
      assert.equal(reply.status, 'pending');
      const replyMails = () => t().db.selectFrom('outbox').select('id').where('topic', '=', 'reply').where('target', '=', addressOf(author)).execute();
      assert.equal((await replyMails()).length, 0, 'a held reply tells nobody');

      const approved = await t().request('POST', `/api/moderation/comments/${reply.id}/approve`, { as: moderator, body: {} });
      assert.equal(approved.statusCode, 200, approved.body);
      const mail = await mailbox.next(addressOf(author), 2);
      assert.match(mail.body, /Yes, every hour until nine\./);
      assert.ok(mail.body.includes(`/comments/${reply.id}`));
      // Taken down and published again: the author was told already.
      for (const action of ['reject', 'approve']) {
        const res = await t().request('POST', `/api/moderation/comments/${reply.id}/${action}`, { as: moderator, body: { reason: 'Second thoughts' } });
        assert.equal(res.statusCode, 200, res.body);
      }
      assert.equal((await replyMails()).length, 1);
      assert.equal(mailbox.to(addressOf(author)).length, 2);
    });

    it('forgets mailed links once used or expired, in the hourly pruning', async () => {
      const reader = await readerWithMail();
      const spent = await t().request('POST', '/api/auth/verify-email', { body: { token: decodeURIComponent(tokenIn(mailbox.to(addressOf(reader))[0]!.body, '/verify-email')!) } });
      assert.equal(spent.statusCode, 200, spent.body);
      await createMailToken(t().db, { userId: reader.userId, purpose: 'reset', email: addressOf(reader), ttlMs: -1 });
      const live = await createMailToken(t().db, { userId: reader.userId, purpose: 'reset', email: addressOf(reader), ttlMs: 3600_000 });
      const tokens = () => t().db.selectFrom('mail_tokens').select('token_hash').where('user_id', '=', reader.userId).execute();
      assert.equal((await tokens()).length, 3);
      const pruned = await t().context.dispatcher.prune();
      assert.ok(pruned.mailTokens >= 2, JSON.stringify(pruned));
      assert.equal((await tokens()).length, 1, 'the link still usable stays');
      const reset = await t().request('POST', '/api/auth/password-reset', { body: { token: live, password: 'a brand new long password' } });
      assert.equal(reset.statusCode, 204, reset.body);
    });

    it("puts a reader's mailed links, subscriptions and mails in their download, and forgets them with the account", async () => {
      const storyId = await t().story();
      const reader = await readerWithMail();
      await t().request('PUT', `/api/stories/${storyId}/subscription`, { as: reader });
      const data = (await t().request('GET', '/api/me/data', { as: reader })).json();
      assert.deepEqual(data.mailLinks.map((l: { purpose: string; email: string; usedAt: unknown }) => [l.purpose, l.email, l.usedAt]), [['verify', addressOf(reader), null]]);
      assert.deepEqual(data.replySubscriptions.map((r: { storyId: string }) => r.storyId), [storyId]);
      assert.deepEqual(data.mails.map((m: { kind: string; status: string }) => [m.kind, m.status]), [['verify', 'sent']]);
      const token = tokenIn(mailbox.to(addressOf(reader))[0]!.body, '/verify-email')!;
      assert.ok(!JSON.stringify(data).includes(decodeURIComponent(token)), 'no link is in the download');

      assert.equal((await t().request('DELETE', '/api/me', { as: reader })).statusCode, 200);
      for (const table of ['mail_tokens', 'reply_subscriptions'] as const) {
        assert.equal((await t().db.selectFrom(table).select('user_id').where('user_id', '=', reader.userId).execute()).length, 0, table);
      }
      assert.equal((await t().db.selectFrom('outbox').select('id').where('target', '=', addressOf(reader)).execute()).length, 0);
    });

    it('mails the author the outcome of a moderator decision, and moderators the digest of their queues', async () => {
      const storyId = await t().story();
      const author = await readerWithMail();
      await verified(author);
      const comment = await t().comment(author, storyId, 'A comment a moderator will take down.');
      const moderator = await t().agent('moderator');
      const rejected = await t().request('POST', `/api/moderation/comments/${comment.id}/reject`, { as: moderator, body: { reason: 'Off topic for this story' } });
      assert.equal(rejected.statusCode, 200, rejected.body);
      const outcome = await mailbox.next(addressOf(author), 2);
      assert.match(outcome.headers.get('subject') ?? '', /not published/);
      assert.match(outcome.body, /Off topic for this story/);

      await t().db.updateTable('users').set({ email: `${moderator.username}@example.com`.toLowerCase(), email_verified_at: Date.now() }).where('id', '=', moderator.userId).execute();
      // The server's schedule: nothing before the hour (UTC), the digest once it has come, and once a day only,
      // whoever asks again (this process, another, or `parley mail digest` from cron).
      const day = Date.UTC(2020, 4, 6); // a past day: what it plans is due at once
      const outboxDigests = async () => (await t().db.selectFrom('outbox').select('id').where('topic', '=', 'digest').execute()).length;
      const before = await outboxDigests();
      assert.equal(await t().context.mail.planDueDigest(7, day + 6 * 3_600_000), null);
      assert.equal(await outboxDigests(), before, 'nothing planned before the hour');
      const planned = await t().context.mail.planDueDigest(7, day + 7 * 3_600_000);
      assert.ok(planned !== null && planned >= 1, `planned: ${planned}`);
      const digest = await mailbox.next(addressOf(moderator));
      assert.match(digest.headers.get('subject') ?? '', /Moderation queues on 2020-05-06: \d+ waiting, \d+ reported/);
      assert.equal(await t().context.mail.planDueDigest(7, day + 9 * 3_600_000), null);
      assert.equal(await t().context.mail.planDigest(day + 10 * 3_600_000), null, 'the day is marked in the database');
      assert.equal(await outboxDigests(), before + planned);
      // The next day's goes again.
      assert.ok(((await t().context.mail.planDigest(day + 31 * 3_600_000)) ?? 0) >= 1);
    });
  },
  { config: (c) => ({ ...c, delivery: { ...c.delivery, smtpUrl: mailbox.url, pollMs: 100, retryBaseMs: 100 } }) },
);

for (const dialect of ['sqlite'] as const) {
  let app: TestApp;
  before(async () => {
    app = await startTestApp(dialect);
  });
  after(() => app.close());

  it('works without SMTP: mail routes say so, posting and replying plan no mail', async () => {
    const reader = await app.agent();
    const reset = await app.request('POST', '/api/auth/password-reset/request', { body: { email: addressOf(reader) } });
    assert.equal(reset.statusCode, 409);
    assert.equal(reset.json().error.code, 'mail_off');
    assert.ok(!(await app.request('GET', '/login')).body.includes('/forgot-password'), 'no link to a form that cannot send');
    const storyId = await app.story();
    await updateUser(app.db, reader.userId, { email_verified_at: Date.now() });
    assert.equal((await app.request('PUT', `/api/stories/${storyId}/subscription`, { as: reader })).statusCode, 200);
    const parent = await app.comment(reader, storyId, 'Hello there.');
    await app.comment(await app.agent(), storyId, 'Hello back.', parent.id);
    const mails = await app.db.selectFrom('outbox').select('id').where('kind', '=', 'mail').execute();
    assert.equal(mails.length, 0);
  });
}
