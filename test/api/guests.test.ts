import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { onEachDatabase } from '../helpers/suite.js';
import type { TestApp } from '../helpers/app.js';
import { leadingZeroBits, proofDigest } from '../../src/core/guests.js';

/** What the story page's script does: the smallest number whose digest with the challenge has enough zero bits. */
export function solve(challenge: string, difficulty: number): string {
  for (let n = 0; ; n++) if (leadingZeroBits(proofDigest(challenge, String(n))) >= difficulty) return String(n);
}

/** A browser: its own guest cookie, a challenge, the proof, the comment. */
async function guestPost(t: TestApp, storyId: string, fields: Record<string, unknown>, cookie = 'parley_guest=browser-one-aaaaaaaaaaaa', remoteAddress = '127.0.0.1') {
  const res = await t.app.inject({ method: 'GET', url: `/api/stories/${storyId}/guest-challenge`, headers: { cookie }, remoteAddress });
  assert.equal(res.statusCode, 200, res.body);
  const { challenge, difficulty } = res.json() as { challenge: string; difficulty: number };
  const body = { name: 'Jane Walker', body: 'A guest says hello.', challenge, solution: solve(challenge, difficulty), ...fields };
  return { response: await t.app.inject({ method: 'POST', url: `/api/stories/${storyId}/guest-comments`, headers: { cookie }, payload: body, remoteAddress }), body, cookie };
}

onEachDatabase(
  "guests' comments",
  (t) => {
    it('are off by default', async () => {
      const story = await t().story();
      const res = await t().request('GET', `/api/stories/${story}/guest-challenge`);
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().error.code, 'guests_off');
    });

    it('are held for a moderator under "premoderate", shown to nobody else, under the guest\'s name', async () => {
      await t().context.sites.setGuestMode(null, t().siteId, 'premoderate');
      const story = await t().story();
      const challenge = await t().request('GET', `/api/stories/${story}/guest-challenge`);
      assert.ok(challenge.cookies.find((c) => c.name === 'parley_guest')?.httpOnly, 'a browser id cookie is set');
      assert.equal(challenge.json().difficulty, 16);
      const { response } = await guestPost(t(), story, { email: 'Jane@Example.com' });
      assert.equal(response.statusCode, 201, response.body);
      assert.equal(response.json().status, 'pending');
      assert.equal(response.json().reasons[0].code, 'pre_moderation');
      assert.equal(response.json().comment.author.username, 'Jane_Walker_guest');
      const thread = await t().request('GET', `/api/stories/${story}/comments`);
      assert.equal(thread.json().comments.length, 0);
      const link = await t().db.selectFrom('user_identities').selectAll().where('issuer', '=', `guest:${t().siteId}`).executeTakeFirstOrThrow();
      assert.equal(link.email, 'jane@example.com', "the guest's address is kept with the guest, unverified");
      const user = await t().db.selectFrom('users').selectAll().where('id', '=', link.user_id).executeTakeFirstOrThrow();
      assert.equal(user.email, null, 'an unverified address never becomes an account e-mail');
      assert.equal(user.password_hash, '', 'nobody logs in as a guest');
    });

    it('refuses what a curl loop can send: no proof, a replay, a forged or expired challenge, another browser\'s, the honeypot', async () => {
      await t().context.sites.setGuestMode(null, t().siteId, 'premoderate');
      const story = await t().story();
      const first = await guestPost(t(), story, {}, 'parley_guest=browser-two-bbbbbbbbbbbb');
      assert.equal(first.response.statusCode, 201);
      const send = (payload: object, cookie = first.cookie) => t().app.inject({ method: 'POST', url: `/api/stories/${story}/guest-comments`, headers: { cookie }, payload });
      const code = async (payload: object, expected: string, cookie?: string) => {
        const res = await send(payload, cookie);
        assert.equal(res.statusCode, 400, `${expected}: ${res.body}`);
        assert.equal(res.json().error.code, expected);
      };
      await code(first.body, 'challenge_used');
      const fresh = (await t().app.inject({ method: 'GET', url: `/api/stories/${story}/guest-challenge`, headers: { cookie: first.cookie } })).json();
      await code({ ...first.body, challenge: fresh.challenge, solution: '0' }, 'proof_of_work_failed');
      const [payload, signature] = (fresh.challenge as string).split('.');
      const easier = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), d: 0 })).toString('base64url');
      await code({ ...first.body, challenge: `${easier}.${signature}`, solution: '0' }, 'invalid_challenge');
      const secret = (await t().db.selectFrom('install_secrets').select('value').where('name', '=', 'guests').executeTakeFirstOrThrow()).value;
      const stale = Buffer.from(JSON.stringify({ s: t().siteId, b: '', n: 'old-one', e: Date.now() - 1000, d: 1 })).toString('base64url');
      const expired = `${stale}.${createHmac('sha256', secret).update(stale).digest('base64url')}`;
      await code({ ...first.body, challenge: expired, solution: solve(expired, 1) }, 'challenge_expired');
      await code({ ...first.body, challenge: fresh.challenge, solution: solve(fresh.challenge, 16) }, 'invalid_challenge', 'parley_guest=another-browser-cccccccc');
      await code({ ...first.body, challenge: fresh.challenge, solution: solve(fresh.challenge, 16), website: 'http://spam.example' }, 'spam_suspected');
      const count = await t().db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).where('story_id', '=', story).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1, 'only the honest comment was written');
    });

    it('limits guests per browser and per address', async () => {
      await t().context.sites.setGuestMode(null, t().siteId, 'premoderate');
      const story = await t().story();
      const a = 'parley_guest=rate-browser-a-dddddddd';
      const b = 'parley_guest=rate-browser-b-eeeeeeee';
      const address = '203.0.113.7';
      assert.equal((await guestPost(t(), story, {}, a, address)).response.statusCode, 201);
      assert.equal((await guestPost(t(), story, {}, a, address)).response.statusCode, 201);
      const third = (await guestPost(t(), story, {}, a, address)).response;
      assert.equal(third.statusCode, 429);
      assert.equal(third.json().error.code, 'guest_rate_limited');
      // Another browser from the same address: the address's own limit (3 an hour here) stops it next.
      assert.equal((await guestPost(t(), story, {}, b, address)).response.statusCode, 201);
      assert.equal((await guestPost(t(), story, {}, b, address)).response.statusCode, 429);
      assert.equal((await guestPost(t(), story, {}, b, '203.0.113.8')).response.statusCode, 201, 'another address is not limited');
    });

    it('are scored more strictly under "stricter": a link holds a guest\'s comment, not a member\'s', async () => {
      await t().context.sites.setGuestMode(null, t().siteId, 'stricter');
      const story = await t().story();
      const plain = await guestPost(t(), story, { name: 'Plain Guest' }, 'parley_guest=strict-browser-ffffffff', '198.51.100.1');
      assert.equal(plain.response.json().status, 'published');
      const thread = await t().request('GET', `/api/stories/${story}/comments`);
      assert.equal(thread.json().comments[0].author.username, 'Plain_Guest_guest');
      const linked = await guestPost(t(), story, { name: 'Plain Guest', body: 'See https://example.com/x' }, 'parley_guest=strict-browser-gggggggg', '198.51.100.1');
      assert.equal(linked.response.json().status, 'pending');
      assert.equal(linked.response.json().reasons[0].code, 'too_many_links');
      const member = await t().agent();
      assert.equal((await t().comment(member, story, 'See https://example.com/x')).status, 'published');
    });
  },
  { config: (config) => ({ ...config, core: { ...config.core, guests: { proofBits: 16, perAddressPerHour: 3, perBrowserPerHour: 2 } } }) },
);
