// The thread event log is pruned: events older than the retention go (the newest always stays), and a reader who
// comes back with a Last-Event-ID from before the retained window is told to reload (`reset`) instead of being
// given a thread with holes; a reader within the window resumes as before. On SQLite and PostgreSQL.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { onEachDatabase } from '../helpers/suite.js';
import { SseClient } from '../helpers/sse.js';

const DAY = 24 * 3_600_000;

onEachDatabase('thread event retention', (t) => {
  it('prunes old events, keeps the newest, and resets a reader from before the window', async () => {
    const app = t();
    const storyId = await app.story();
    const author = await app.agent();
    for (const n of [1, 2, 3]) await app.comment(author, storyId, `Comment ${n}`);
    const events = await app.db.selectFrom('thread_events').select('id').where('story_id', '=', storyId).orderBy('id').execute();
    const first = Number(events[0]!.id);
    // Every event was written three days ago; the newest of all stays even so.
    await app.db.updateTable('thread_events').set({ created_at: Date.now() - 3 * DAY }).execute();
    app.context.live.pruneEvery(2 * DAY, DAY);
    let left: number[] = [];
    for (let i = 0; i < 50; i++) {
      left = (await app.db.selectFrom('thread_events').select('id').orderBy('id').execute()).map((e) => Number(e.id));
      if (!left.includes(first)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(left.length, 1, 'only the newest event is left');

    await app.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.app.server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/api/events?stories=${storyId}`;
    const behind = await SseClient.open(url, { 'last-event-id': String(first) });
    const within = await SseClient.open(url, { 'last-event-id': String(left[0]) });
    try {
      assert.deepEqual((await behind.waitFor(1)).length, 1);
      assert.equal(behind.events[0]!.event, 'reset', 'a reader from before the window reloads');
      const { id } = await app.comment(author, storyId, 'Comment 4');
      const got = await within.waitFor(1);
      assert.deepEqual(got.map((e) => [e.type, e.commentId]), [['comment.created', id]], 'a reader within the window resumes');
    } finally {
      behind.close();
      within.close();
    }
  });
});
