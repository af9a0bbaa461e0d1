// Readers' live updates (GET /api/events) on both databases: order, resuming with Last-Event-ID, one stream for
// several stories, and visibility: nothing held or rejected reaches anyone but its author and staff.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { DIALECTS } from '../helpers/databases.js';
import { startLiveServer, type LiveServer } from '../helpers/browser.js';
import { SseClient } from '../helpers/sse.js';
import type { Agent } from '../helpers/app.js';
import { LABELS, type LabelScores } from '../../src/moderation/labels.js';
import type { Scorer } from '../../src/moderation/types.js';

const scorer: Scorer = {
  thresholds: Object.fromEntries(LABELS.map((l) => [l, { hold: 0.5, reject: 0.95 }])) as Scorer['thresholds'],
  score(text) {
    const scores = Object.fromEntries(LABELS.map((l) => [l, 0.01])) as LabelScores;
    if (text.includes('THREATWORD')) scores.threat = 0.8;
    return { scores, spans: [] };
  },
};

for (const dialect of DIALECTS) {
  describe(`reader event stream [${dialect}]`, () => {
    let server: LiveServer;
    const open: SseClient[] = [];
    before(async () => {
      server = await startLiveServer(dialect, { scorer });
    });
    after(async () => {
      for (const client of open) client.close();
      await server?.t.close();
    });
    const follow = async (stories: string[], as?: Agent | null, headers: Record<string, string> = {}, query = '') => {
      const client = await SseClient.open(`${server.baseUrl}/api/events?stories=${stories.join(',')}${query}`, {
        ...headers,
        ...(as ? { cookie: as.cookie } : {}),
      });
      open.push(client);
      return client;
    };

    it('sends every change to a thread in order: created, edited, voted, deleted', async () => {
      const { t } = server;
      const storyId = await t.story();
      const author = await t.agent();
      const voter = await t.agent();
      const reader = await follow([storyId]);
      const posted = await t.comment(author, storyId, 'First words');
      const edit = await t.request('PATCH', `/api/comments/${posted.id}`, { as: author, body: { body: 'Second words' } });
      assert.equal(edit.statusCode, 200);
      const vote = await t.request('POST', `/api/comments/${posted.id}/vote`, { as: voter, body: { value: 1 } });
      assert.equal(vote.statusCode, 200);
      const reply = await t.comment(voter, storyId, 'A reply', posted.id);
      const removed = await t.request('DELETE', `/api/comments/${posted.id}`, { as: author });
      assert.equal(removed.statusCode, 204);

      const events = await reader.waitFor(5);
      assert.deepEqual(
        events.map((e) => [e.type, e.commentId]),
        [
          ['comment.created', posted.id],
          ['comment.edited', posted.id],
          ['comment.voted', posted.id],
          ['comment.created', reply.id],
          ['comment.deleted', posted.id],
        ],
      );
      const ids = reader.events.map((e) => Number(e.id));
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'ids grow');
      assert.equal(new Set(ids).size, ids.length);
      assert.deepEqual(ids, events.map((e) => e.id), 'the SSE id is the event id');
      assert.equal(events[0]!.comment.bodyHtml, '<p>First words</p>');
      assert.equal(events[0]!.comment.author.username, author.username);
      assert.equal(events[0]!.comment.source, undefined, 'no Markdown source in a public event');
      assert.equal(events[1]!.comment.bodyHtml, '<p>Second words</p>');
      assert.equal(events[2]!.score, 1);
      assert.equal(events[3]!.parentId, posted.id);
      assert.equal(events[4]!.comment, undefined);
      assert.equal(reader.events[0]!.event, 'comment.created', 'the SSE event name is the type');
    });

    it('resumes after Last-Event-ID (header or query) with no gap and no repeat', async () => {
      const { t } = server;
      const storyId = await t.story();
      const author = await t.agent();
      const first = await follow([storyId]);
      const comments = [];
      for (const n of [1, 2, 3]) comments.push(await t.comment(author, storyId, `Comment ${n}`));
      const seen = await first.waitFor(3);
      first.close();
      // While the reader is away, two more.
      for (const n of [4, 5]) comments.push(await t.comment(author, storyId, `Comment ${n}`));

      const resumed = await follow([storyId], null, { 'last-event-id': String(seen[0]!.id) });
      const afterFirst = await resumed.waitFor(4);
      assert.deepEqual(afterFirst.map((e) => e.commentId), comments.slice(1).map((c) => c.id));
      // Live events continue after the catch-up, once each.
      const sixth = await t.comment(author, storyId, 'Comment 6');
      const all = await resumed.waitFor(5);
      assert.equal(all[4]!.commentId, sixth.id);

      const byQuery = await follow([storyId], null, {}, `&lastEventId=${seen[2]!.id}`);
      const rest = await byQuery.waitFor(3);
      assert.deepEqual(rest.map((e) => e.commentId), [comments[3]!.id, comments[4]!.id, sixth.id]);
    });

    it('follows several stories on one connection, and only those', async () => {
      const { t } = server;
      const [a, b, c] = [await t.story(), await t.story(), await t.story()];
      const author = await t.agent();
      const reader = await follow([a, b]);
      await t.comment(author, c, 'Elsewhere');
      const onA = await t.comment(author, a, 'On A');
      const onB = await t.comment(author, b, 'On B');
      const events = await reader.waitFor(2);
      assert.deepEqual(events.map((e) => [e.storyId, e.commentId]), [[a, onA.id], [b, onB.id]]);
    });

    it('shows held comments only to their author and staff; an approval makes one appear, a rejection makes one go', async () => {
      const { t } = server;
      const storyId = await t.story();
      const author = await t.agent();
      const other = await t.agent();
      const moderator = await t.agent('moderator');
      const anonymous = await follow([storyId]);
      const reader = await follow([storyId], other);
      const own = await follow([storyId], author);
      const staff = await follow([storyId], moderator);

      const held = await t.comment(author, storyId, 'THREATWORD held for review');
      assert.equal(held.status, 'pending');
      const marker = await t.comment(other, storyId, 'A published marker');
      // Readers who may not see the held comment get the marker first: the held one never reached them.
      for (const client of [anonymous, reader]) {
        const [first] = await client.waitFor(1);
        assert.equal(first!.commentId, marker.id);
      }
      for (const client of [own, staff]) {
        const [first, second] = await client.waitFor(2);
        assert.deepEqual([first!.type, first!.commentId, first!.status], ['comment.created', held.id, 'pending']);
        assert.equal(second!.commentId, marker.id);
      }

      // Approved: it appears for everyone.
      const approve = await t.request('POST', `/api/moderation/comments/${held.id}/approve`, { as: moderator, body: {} });
      assert.equal(approve.statusCode, 200);
      for (const client of [anonymous, reader]) {
        const events = await client.waitFor(2);
        assert.deepEqual([events[1]!.type, events[1]!.commentId, events[1]!.status], ['comment.moderated', held.id, 'published']);
        assert.equal(events[1]!.comment.bodyHtml, '<p>THREATWORD held for review</p>');
      }

      // Rejected: it goes, and those who may not see it learn only that.
      const reject = await t.request('POST', `/api/moderation/comments/${held.id}/reject`, { as: moderator, body: { reason: 'Threat' } });
      assert.equal(reject.statusCode, 200);
      for (const client of [anonymous, reader]) {
        const events = await client.waitFor(3);
        assert.deepEqual(events[2], { id: events[2]!.id, type: 'comment.removed', storyId, commentId: held.id, parentId: null, at: events[2]!.at });
      }
      for (const client of [own, staff]) {
        const events = await client.waitFor(4);
        assert.deepEqual([events[3]!.type, events[3]!.status], ['comment.moderated', 'rejected']);
      }

      // An edit that is held again takes a published comment away from the public too.
      const published = await t.comment(author, storyId, 'Innocent at first');
      const edit = await t.request('PATCH', `/api/comments/${published.id}`, { as: author, body: { body: 'THREATWORD after all' } });
      assert.equal(edit.json().status, 'pending');
      const events = await anonymous.waitFor(5);
      assert.deepEqual([events[3]!.type, events[3]!.commentId], ['comment.created', published.id]);
      assert.deepEqual([events[4]!.type, events[4]!.commentId, events[4]!.comment], ['comment.removed', published.id, undefined]);
      const mine = await own.waitFor(6);
      assert.deepEqual([mine[5]!.type, mine[5]!.status], ['comment.edited', 'pending']);
    });

    it('a reader who resumes gets held comments of others neither live nor in the catch-up', async () => {
      const { t } = server;
      const storyId = await t.story();
      const author = await t.agent();
      const watcher = await follow([storyId]);
      const before = await t.comment(author, storyId, 'Before');
      await watcher.waitFor(1);
      await t.comment(author, storyId, 'THREATWORD hidden');
      const visible = await t.comment(author, storyId, 'Visible');
      const resumed = await follow([storyId], null, { 'last-event-id': String(watcher.data[0]!.id) });
      const [first] = await resumed.waitFor(1);
      assert.equal(first!.commentId, visible.id);
      assert.notEqual(first!.commentId, before.id);
    });

    it('answers HEAD at once with the stream headers, and refuses a malformed story list', async () => {
      const { t } = server;
      const storyId = await t.story();
      const head = await t.app.inject({ method: 'HEAD', url: `/api/events?stories=${storyId}` });
      assert.equal(head.statusCode, 200);
      assert.match(String(head.headers['content-type']), /text\/event-stream/);
      const bad = await t.app.inject({ method: 'GET', url: '/api/events?stories=NOT-AN-ID' });
      assert.equal(bad.statusCode, 400);
      assert.ok(bad.json().error.code);
      // A real GET over a socket opens the stream.
      await new Promise<void>((resolve, reject) => {
        const request = http.get(`${server.baseUrl}/api/events?stories=${storyId}`, (res) => {
          assert.equal(res.statusCode, 200);
          // The headers every answer carries, also on a stream the route writes itself.
          assert.ok(res.headers['x-content-type-options'] && res.headers['x-request-id'], JSON.stringify(res.headers));
          request.destroy();
          resolve();
        });
        request.on('error', (error) => (error.message === 'socket hang up' ? undefined : reject(error)));
      });
    });
  });
}
