// A reader who stops reading (a stalled tab, a dead network) is dropped once what waits for it passes a bound and
// it does not catch up within STALL_MS (10 s), instead of being buffered without end; a reader who keeps up gets
// every event of the same burst.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import { appendThreadEvent, inTransaction } from '../../src/storage/events.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { SseClient } from '../helpers/sse.js';

const EVENTS = 400;
const PAYLOAD_BYTES = 20_000;

let t: TestApp;
before(async () => {
  t = await startTestApp('sqlite');
});
after(async () => t?.close());

it('drops a reader who does not read, and keeps serving one who does', async () => {
  const storyId = await t.story();
  const author = await t.agent();
  const { id: commentId } = await t.comment(author, storyId, 'The comment the events are about');
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  const fast = await SseClient.open(`http://127.0.0.1:${port}/api/events?stories=${storyId}`);
  // The slow reader asks for the stream and then never reads: nothing is attached to its socket's data.
  const slow = net.connect(port, '127.0.0.1');
  slow.write(`GET /api/events?stories=${storyId} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
  try {
    for (let i = 0; i < 100 && t.context.live.readers < 2; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(t.context.live.readers, 2, 'both readers follow the story');
    const dropped = async () => (await t.context.metrics.droppedStreams.get()).values.reduce((sum, v) => sum + v.value, 0);
    const droppedBefore = await dropped();
    // Events far larger than any socket buffer between the two, raised straight into the log.
    const padding = 'x'.repeat(PAYLOAD_BYTES);
    const last = await inTransaction(t.db, async (trx) => {
      let id = 0;
      for (let i = 0; i < EVENTS; i++) {
        id = await appendThreadEvent(trx, {
          story_id: storyId,
          site_id: t.siteId,
          comment_id: commentId,
          parent_id: null,
          author_id: author.userId,
          type: 'comment.edited',
          status: 'published',
          was_public: 1,
          payload_json: JSON.stringify({ id: commentId, padding }),
          created_at: Date.now(),
        });
      }
      return id;
    });
    t.context.live.bus.publish(last);
    await fast.waitFor(EVENTS, 60_000);
    assert.equal(fast.events.at(-1)!.id, String(last), 'the reader who keeps up got every event');
    // The server drops the slow reader's stream once it has stalled past its bound (a guard of 30 s, not a measure).
    const deadline = Date.now() + 30_000;
    while ((await dropped()) === droppedBefore && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await dropped()) - droppedBefore, 1, 'the reader who did not read was dropped');
  } finally {
    fast.close();
    slow.destroy();
  }
});
