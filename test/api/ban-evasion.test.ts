// Ban evasion: bans by e-mail domain and by network address (stored only as a keyed hash), a banned reader who signs
// up again held for review with the reason, guests from a banned network held, expiry and lifting; and claiming the
// comments one posted as a guest once the e-mail is verified through a real SMTP server (smtp-server).
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { onEachDatabase } from '../helpers/suite.js';
import type { Agent, TestApp } from '../helpers/app.js';
import { Mailbox } from '../helpers/mailbox.js';
import { leadingZeroBits, proofDigest } from '../../src/core/guests.js';
import { BanEvasionService, normalizeEmail } from '../../src/core/ban-evasion.js';
import { insertWebhook } from '../../src/storage/webhooks.js';
import { SignJWT } from 'jose';

const mailbox = await Mailbox.start();
after(() => mailbox.close());

/** A reader who signs up (and so logs in) from a network address. */
async function signUpFrom(t: TestApp, address: string, username: string, email = `${username}@example.com`) {
  const password = 'a long enough password';
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/signup', payload: { username, email, password }, remoteAddress: address });
  if (res.statusCode !== 201) return { res, agent: null };
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const body = res.json() as { user: { id: string }; csrfToken: string };
  const agent: Agent = { username, userId: body.user.id, cookie, csrfToken: body.csrfToken };
  return { res, agent };
}

async function commentFrom(t: TestApp, agent: Agent, storyId: string, address: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/stories/${storyId}/comments`,
    headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrfToken },
    payload: { body: 'Nothing to see here, a perfectly calm remark.' },
    remoteAddress: address,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; status: string; reasons: Array<{ code: string; message: string }> };
}

/** A guest's comment from a browser and an address, with the proof of work the page's script would find. */
async function guestFrom(t: TestApp, storyId: string, address: string, fields: Record<string, unknown> = {}) {
  const cookie = `parley_guest=evasion-browser-${Math.random().toString(36).slice(2, 12)}`;
  const { challenge, difficulty } = (await t.app.inject({ method: 'GET', url: `/api/stories/${storyId}/guest-challenge`, headers: { cookie }, remoteAddress: address })).json();
  let n = 0;
  while (leadingZeroBits(proofDigest(challenge, String(n))) < difficulty) n++;
  const payload = { name: 'Drifter', body: 'A guest passes by.', challenge, solution: String(n), ...fields };
  return t.app.inject({ method: 'POST', url: `/api/stories/${storyId}/guest-comments`, headers: { cookie }, payload, remoteAddress: address });
}

onEachDatabase(
  'ban evasion',
  (t) => {
    const admin = () => t().agent('admin');
    const ban = async (staff: Agent, reader: Agent, reason = 'Abuse') => {
      const res = await t().request('POST', `/api/moderation/users/${reader.userId}/ban`, { as: staff, body: { reason } });
      assert.equal(res.statusCode, 200, res.body);
    };

    it('holds a banned reader who signs up again from the same network, with a reason a moderator understands', async () => {
      const staff = await admin();
      const story = await t().story();
      const first = (await signUpFrom(t(), '198.51.100.20', 'troll_one')).agent!;
      assert.equal((await commentFrom(t(), first, story, '198.51.100.20')).status, 'published');
      await ban(staff, first);
      const again = await signUpFrom(t(), '198.51.100.20', 'fresh_face');
      assert.equal(again.res.statusCode, 201, 'the account is created');
      const held = await commentFrom(t(), again.agent!, story, '198.51.100.99');
      assert.equal(held.status, 'pending');
      assert.deepEqual(held.reasons, [{ code: 'ban_evasion', message: 'possible ban evasion: same network as banned user troll_one' }]);
      const queue = await t().request('GET', '/api/moderation/queue?queue=pending', { as: staff });
      const item = queue.json().items.find((i: { comment: { id: string } }) => i.comment.id === held.id);
      assert.equal(item?.comment.reasons[0].code, 'ban_evasion', queue.body);
      // The address itself is stored nowhere; only its keyed hash.
      const stored = await t().db.selectFrom('network_addresses').select('address_hash').execute();
      assert.ok(stored.length > 0 && stored.every((r) => !r.address_hash.includes('198.51')));
      // Their own download shows the hold and the networks they were seen at, as kept: hashes, never the address.
      const data = (await t().request('GET', '/api/me/data', { as: again.agent! })).json();
      assert.ok(data.heldForReviewSince, 'the hold is in the download');
      assert.equal(data.networkAddresses.length, 2, 'the sign-up network and the comment\'s');
      assert.ok(!JSON.stringify(data.networkAddresses).includes('198.51'));
      // Another reader on another network is not touched.
      const other = (await signUpFrom(t(), '192.0.2.44', 'someone_else')).agent!;
      assert.equal((await commentFrom(t(), other, story, '192.0.2.44')).status, 'published');
      // A moderator who trusts the person by hand has looked: the hold ends.
      assert.equal((await t().request('PUT', `/api/people/${again.agent!.userId}/trust`, { as: staff, body: { trusted: true } })).statusCode, 200);
      assert.equal((await commentFrom(t(), again.agent!, story, '198.51.100.20')).status, 'published');
    });

    it('holds a banned reader who comes back through the newsroom\'s sign-on from the same network', async () => {
      const staff = await admin();
      const story = await t().story();
      const first = (await signUpFrom(t(), '198.51.100.25', 'sso_troll')).agent!;
      await commentFrom(t(), first, story, '198.51.100.25');
      await ban(staff, first);
      const secret = 'the-newsrooms-sign-on-secret-32-bytes-long';
      await t().context.identity.configureSso(t().siteId, { hs256Secret: secret });
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ name: 'Brand New Subscriber', jti: `jti-${now}-${Math.random()}` })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(`subscriber-${now}`)
        .setAudience(t().siteId)
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(new TextEncoder().encode(secret));
      const signIn = await t().app.inject({ method: 'POST', url: '/api/auth/sso', payload: { token }, remoteAddress: '198.51.100.25' });
      assert.equal(signIn.statusCode, 200, signIn.body);
      const body = signIn.json() as { user: { id: string; username: string }; csrfToken: string };
      const agent: Agent = { username: body.user.username, userId: body.user.id, cookie: signIn.cookies.map((c) => `${c.name}=${c.value}`).join('; '), csrfToken: body.csrfToken };
      const held = await commentFrom(t(), agent, story, '203.0.113.99');
      assert.equal(held.status, 'pending');
      assert.equal(held.reasons[0]!.message, 'possible ban evasion: same network as banned user sso_troll');
    });

    it('holds the same mailbox written another way (Gmail dots, +tags)', async () => {
      assert.equal(normalizeEmail('J.Doe+news@GoogleMail.com'), 'jdoe@gmail.com');
      const staff = await admin();
      const story = await t().story();
      const first = (await signUpFrom(t(), '198.51.100.30', 'mailbox_one', 'j.doe@gmail.com')).agent!;
      await ban(staff, first);
      const again = (await signUpFrom(t(), '203.0.113.30', 'mailbox_two', 'jdoe+again@gmail.com')).agent!;
      const held = await commentFrom(t(), again, story, '203.0.113.30');
      assert.equal(held.status, 'pending');
      assert.equal(held.reasons[0]!.message, 'possible ban evasion: same e-mail address as banned user mailbox_one');
    });

    it('bans a person\'s network address: list, hold new sign-ups and guests from it, lift, audited', async () => {
      const staff = await admin();
      const story = await t().story();
      await t().context.sites.setGuestMode(null, t().siteId, 'stricter');
      const person = (await signUpFrom(t(), '198.51.100.40', 'net_person')).agent!;
      const made = await t().request('POST', '/api/moderation/bans', { as: staff, body: { kind: 'address', userId: person.userId, reason: 'Sock puppets' } });
      assert.equal(made.statusCode, 201, made.body);
      const [addressBan] = made.json().bans;
      assert.equal(addressBan.kind, 'address');
      assert.equal(addressBan.domain, null);
      assert.deepEqual(addressBan.sourceUser, { id: person.userId, username: 'net_person' });
      const listed = await t().request('GET', '/api/moderation/bans', { as: staff });
      assert.deepEqual(listed.json().bans.map((b: { id: string }) => b.id), [addressBan.id]);

      const newcomer = (await signUpFrom(t(), '198.51.100.40', 'net_newcomer')).agent!;
      const held = await commentFrom(t(), newcomer, story, '203.0.113.41');
      assert.equal(held.reasons[0]!.message, 'possible ban evasion: same network as banned user net_person');
      const guest = await guestFrom(t(), story, '198.51.100.40');
      assert.equal(guest.statusCode, 201, guest.body);
      assert.equal(guest.json().status, 'pending');
      assert.equal(guest.json().reasons[0].code, 'ban_evasion');
      const elsewhere = await guestFrom(t(), story, '192.0.2.77');
      assert.equal(elsewhere.json().status, 'published', 'a guest from another network is not held');

      const lifted = await t().request('POST', `/api/moderation/bans/${addressBan.id}/lift`, { as: staff, body: { reason: 'Shared office network' } });
      assert.equal(lifted.statusCode, 200, lifted.body);
      assert.equal((await t().request('GET', '/api/moderation/bans', { as: staff })).json().bans.length, 0);
      const after = await guestFrom(t(), story, '198.51.100.40');
      assert.equal(after.json().status, 'published');
      const audit = await t().db.selectFrom('audit_log').select(['action', 'after_json', 'before_json']).where('target_id', '=', addressBan.id).orderBy('created_at').execute();
      assert.deepEqual(audit.map((a) => a.action), ['ban.create', 'ban.lift']);
      assert.ok(!JSON.stringify(audit).includes('198.51'), 'the audit log never holds the address');
      const again = await t().request('POST', `/api/moderation/bans/${addressBan.id}/lift`, { as: staff, body: {} });
      assert.equal(again.statusCode, 404, again.body);
    });

    it('never uses an address past the retention, and prunes it', async () => {
      const staff = await admin();
      const story = await t().story();
      const banned = (await signUpFrom(t(), '198.51.100.70', 'long_gone')).agent!;
      await ban(staff, banned);
      const retention = t().context.config.core.addressRetentionMs;
      await t().db.updateTable('network_addresses').set({ last_seen_at: Date.now() - retention - 1000 }).where('user_id', '=', banned.userId).execute();
      const newcomer = (await signUpFrom(t(), '198.51.100.70', 'years_later')).agent!;
      assert.equal((await commentFrom(t(), newcomer, story, '198.51.100.70')).status, 'published');
      // A process's first recording prunes (then at most once a minute).
      const user = (await t().db.selectFrom('users').selectAll().where('id', '=', newcomer.userId).executeTakeFirstOrThrow());
      await new BanEvasionService(t().context.storage, retention).commented(user, '198.51.100.70');
      const left = await t().db.selectFrom('network_addresses').select('user_id').where('user_id', '=', banned.userId).execute();
      assert.deepEqual(left, []);
    });

    it('bans an address given as such; for IPv6, its whole /64', async () => {
      const staff = await admin();
      const story = await t().story();
      const made = await t().request('POST', '/api/moderation/bans', { as: staff, body: { kind: 'address', address: '2001:db8:7:1::5', reason: 'Spam run' } });
      assert.equal(made.statusCode, 201, made.body);
      assert.equal(made.json().bans[0].sourceUser, null);
      const sameNetwork = (await signUpFrom(t(), '2001:db8:7:1:aaaa:bbbb:cccc:dddd', 'v6_neighbour')).agent!;
      const held = await commentFrom(t(), sameNetwork, story, '2001:db8:7:1:aaaa:bbbb:cccc:dddd');
      assert.deepEqual(held.reasons, [{ code: 'ban_evasion', message: 'possible ban evasion: from a network address a moderator banned (Spam run)' }]);
      const otherNetwork = (await signUpFrom(t(), '2001:db8:7:2::5', 'v6_elsewhere')).agent!;
      assert.equal((await commentFrom(t(), otherNetwork, story, '2001:db8:7:2::5')).status, 'published');
    });

    it('bans an e-mail domain: sign-ups and guests from it are refused with 403, its readers held, until it expires', async () => {
      const staff = await admin();
      const story = await t().story();
      await t().context.sites.setGuestMode(null, t().siteId, 'stricter');
      const existing = (await signUpFrom(t(), '192.0.2.50', 'old_timer', 'old@spam.example')).agent!;
      const made = await t().request('POST', '/api/moderation/bans', { as: staff, body: { kind: 'domain', domain: '@Spam.Example', reason: 'Throw-away addresses' } });
      assert.equal(made.statusCode, 201, made.body);
      assert.equal(made.json().bans[0].domain, 'spam.example');
      const refused = await signUpFrom(t(), '192.0.2.51', 'new_spammer', 'x@spam.example');
      assert.equal(refused.res.statusCode, 403);
      assert.equal(refused.res.json().error.code, 'email_domain_banned');
      assert.equal(await t().db.selectFrom('users').select('id').where('username', '=', 'new_spammer').executeTakeFirst(), undefined, 'nothing written');
      const guest = await guestFrom(t(), story, '192.0.2.52', { email: 'g@spam.example' });
      assert.equal(guest.statusCode, 403);
      assert.equal(guest.json().error.code, 'email_domain_banned');
      const held = await commentFrom(t(), existing, story, '192.0.2.50');
      assert.equal(held.status, 'pending');
      assert.match(held.reasons[0]!.message, /e-mail domain spam\.example is banned/);

      // Expired: the ban is gone from the list and refuses nothing.
      await t().db.updateTable('identity_bans').set({ expires_at: Date.now() - 1 }).execute();
      assert.equal((await t().request('GET', '/api/moderation/bans', { as: staff })).json().bans.length, 0);
      assert.equal((await signUpFrom(t(), '192.0.2.53', 'later_reader', 'y@spam.example')).res.statusCode, 201);
    });

    it('refuses bad bans with a clear 4xx, and staff of one site, and readers', async () => {
      const staff = await admin();
      const send = (body: object, as: Agent = staff) => t().request('POST', '/api/moderation/bans', { as, body });
      const expect = async (body: object, status: number, code: string, as?: Agent) => {
        const res = await send(body, as);
        assert.equal(res.statusCode, status, res.body);
        assert.equal(res.json().error.code, code);
      };
      await expect({ kind: 'domain', domain: 'not a domain', reason: 'x' }, 400, 'invalid_domain');
      await expect({ kind: 'domain', reason: 'x' }, 400, 'domain_required');
      await expect({ kind: 'address', reason: 'x' }, 400, 'address_required');
      await expect({ kind: 'address', address: 'nonsense', reason: 'x' }, 400, 'invalid_address');
      await expect({ kind: 'domain', domain: 'spam.example', reason: '  ' }, 400, 'reason_required');
      await expect({ kind: 'domain', domain: 'spam.example', reason: 'x', expiresAt: '2001-01-01T00:00:00Z' }, 422, 'expiry_in_past');
      await expect({ kind: 'domain', domain: 'spam.example', reason: 'x', expiresAt: '3001-01-01T00:00:00Z' }, 422, 'expiry_too_far');
      await expect({ kind: 'address', userId: 'no-such-person', reason: 'x' }, 404, 'not_found');
      const reader = await t().agent();
      await expect({ kind: 'domain', domain: 'spam.example', reason: 'x' }, 403, 'forbidden', reader);
      const siteModerator = await t().agent('moderator');
      await t().request('PUT', `/api/users/${siteModerator.userId}/role`, { as: staff, body: { role: 'moderator', siteId: t().siteId } });
      await expect({ kind: 'domain', domain: 'spam.example', reason: 'x' }, 403, 'forbidden', siteModerator);
      assert.equal((await t().request('GET', '/api/moderation/bans', { as: siteModerator })).statusCode, 403);
    });

    it('lets a reader claim the comments they posted as a guest once their e-mail is verified', async () => {
      await t().context.sites.setGuestMode(null, t().siteId, 'stricter');
      const story = await t().story();
      // Each run has its own mailbox on the one SMTP server.
      const address = `walker-${Math.random().toString(36).slice(2, 8)}@example.com`;
      const posted = await guestFrom(t(), story, '192.0.2.60', { email: address.toUpperCase() });
      assert.equal(posted.statusCode, 201, posted.body);
      const reader = (await signUpFrom(t(), '192.0.2.61', 'walker', address)).agent!;
      const claim = () => t().request('POST', '/api/me/claim-guest-comments', { as: reader });

      const early = await claim();
      assert.equal(early.statusCode, 403);
      assert.equal(early.json().error.code, 'email_not_verified');
      // The verification link, through the real SMTP server.
      assert.equal((await t().request('POST', '/api/me/email/verification', { as: reader })).statusCode, 202);
      const mail = await mailbox.next(address);
      const token = decodeURIComponent(/\/verify-email\?token=([A-Za-z0-9_%-]+)/.exec(mail.body)![1]!);
      assert.equal((await t().request('POST', '/api/auth/verify-email', { body: { token } })).statusCode, 200);

      const hook = await insertWebhook(t().db, { siteId: t().siteId, url: 'https://hooks.example.invalid/parley', secret: 'whsec_claims', events: ['comment.updated'] });
      const claimed = await claim();
      assert.equal(claimed.statusCode, 200, claimed.body);
      // The site's webhooks hear of the new author as of an edit.
      const told = await t().db.selectFrom('outbox').select('payload_json').where('target', '=', hook.id).where('topic', '=', 'comment.updated').execute();
      assert.equal(told.length, 1);
      assert.ok(told[0]!.payload_json.includes(posted.json().id), told[0]!.payload_json);
      assert.deepEqual(claimed.json(), { claimed: 1 });
      const comment = await t().db.selectFrom('comments').select('author_id').where('id', '=', posted.json().id).executeTakeFirstOrThrow();
      assert.equal(comment.author_id, reader.userId);
      const audit = await t().db.selectFrom('audit_log').select('action').where('actor_id', '=', reader.userId).execute();
      assert.deepEqual(audit.map((a) => a.action), ['user.claim_guest_comments']);
      const events = await t().db.selectFrom('thread_events').select(['type', 'author_id']).where('comment_id', '=', posted.json().id).orderBy('id').execute();
      assert.deepEqual(events.at(-1), { type: 'comment.edited', author_id: reader.userId });

      const twice = await claim();
      assert.equal(twice.statusCode, 404);
      assert.equal(twice.json().error.code, 'nothing_to_claim');
      // Someone else, verified, with another address, claims nothing of it.
      const other = (await signUpFrom(t(), '192.0.2.62', 'not_walker', 'other@example.com')).agent!;
      await t().db.updateTable('users').set({ email_verified_at: Date.now() }).where('id', '=', other.userId).execute();
      const wrong = await t().request('POST', '/api/me/claim-guest-comments', { as: other });
      assert.equal(wrong.statusCode, 404);
      assert.equal((await t().request('POST', '/api/me/claim-guest-comments')).statusCode, 401);
    });
  },
  { config: (c) => ({ ...c, delivery: { ...c.delivery, smtpUrl: mailbox.url, pollMs: 100, retryBaseMs: 100 } }) },
);
