// A signed-in reader whose browser cannot send credentials to the event stream (the embed's frame: cookies blocked,
// and EventSource sends no Authorization header) opens it with a short-lived ticket got with the bearer token, and
// sees their own held comments live; a ticket opens nothing else, and an unknown or expired one is refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../helpers/databases.js';
import { startLiveServer, type LiveServer } from '../helpers/browser.js';
import { keywordScorer } from '../helpers/scorers.js';
import { SseClient } from '../helpers/sse.js';
import { createStreamTicket } from '../../src/storage/sessions.js';

for (const dialect of DIALECTS) {
  describe(`event stream tickets [${dialect}]`, () => {
    let server: LiveServer;
    before(async () => {
      server = await startLiveServer(dialect, { scorer: keywordScorer });
    });
    after(async () => server?.t.close());

    it("opens the reader's own view with a ticket got by bearer token: their held comment arrives, not for others", async () => {
      const { t, baseUrl } = server;
      const storyId = await t.story();
      const author = await t.agent();
      const bearer = { authorization: `Bearer ${await t.token(author)}` };
      const issued = await t.request('POST', '/api/events/tickets', { headers: bearer });
      assert.equal(issued.statusCode, 201, issued.body);
      const { ticket, expiresAt } = issued.json() as { ticket: string; expiresAt: string };
      assert.ok(Date.parse(expiresAt) > Date.now());

      const own = await SseClient.open(`${baseUrl}/api/events?stories=${storyId}&ticket=${ticket}`);
      const anonymous = await SseClient.open(`${baseUrl}/api/events?stories=${storyId}`);
      try {
        const post = (body: string) => t.request('POST', `/api/stories/${storyId}/comments`, { headers: bearer, body: { body } });
        const held = (await post('THREATWORD held for review')).json() as { id: string; status: string };
        assert.equal(held.status, 'pending');
        const published = (await post('A published comment')).json() as { id: string };
        const mine = await own.waitFor(2);
        assert.deepEqual(mine.map((e) => [e.commentId, e.status]), [[held.id, 'pending'], [published.id, 'published']]);
        const theirs = await anonymous.waitFor(1);
        assert.deepEqual(theirs.map((e) => e.commentId), [published.id], 'nobody else sees the held comment');
      } finally {
        own.close();
        anonymous.close();
      }
    });

    it('refuses a ticket as an API token, and an unknown or expired ticket; gives none to an anonymous reader', async () => {
      const { t } = server;
      const storyId = await t.story();
      const reader = await t.agent();
      const bearer = { authorization: `Bearer ${await t.token(reader)}` };
      const { ticket } = (await t.request('POST', '/api/events/tickets', { headers: bearer })).json() as { ticket: string };
      const asToken = await t.request('GET', '/api/me', { headers: { authorization: `Bearer ${ticket}` } });
      assert.equal(asToken.statusCode, 401, 'a ticket is no API token');
      const expired = await createStreamTicket(t.db, reader.userId, 60_000, Date.now() - 120_000);
      for (const bad of ['pet_unknown', expired]) {
        const res = await t.request('GET', `/api/events?stories=${storyId}&ticket=${bad}`);
        assert.equal(res.statusCode, 401);
        assert.equal(res.json().error.code, 'invalid_ticket');
      }
      assert.equal((await t.request('POST', '/api/events/tickets')).statusCode, 401);
      // With a cookie session the ticket is also given (with the CSRF token, as every cookie write).
      assert.equal((await t.request('POST', '/api/events/tickets', { as: reader })).statusCode, 201);
      assert.equal((await t.request('POST', '/api/events/tickets', { as: reader, noCsrf: true })).statusCode, 403);
    });
  });
}
