// SIGTERM to a real server process with readers connected: each event stream is told to come back soon (the SSE
// `retry:` field) and closed, and the process exits with code 0 within its grace.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { insertSite } from '../../src/storage/sites.js';
import { insertStory } from '../../src/storage/stories.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';
import { DRAIN_RETRY_MS } from '../../src/server/event-streams.js';
import { createTestDatabase } from '../helpers/databases.js';
import { ServerProcess } from '../helpers/server-process.js';
import { SseClient } from '../helpers/sse.js';

it('closes event streams with a retry hint and exits 0 when told to stop', async () => {
  const database = await createTestDatabase('sqlite');
  const site = await insertSite(database.storage.db, 'Drain site', JSON.stringify(DEFAULT_POLICY));
  const story = await insertStory(database.storage.db, { site_id: site.id, url: 'https://news.example.com/drain', title: 'Drain', published_at: Date.now() });
  await database.storage.close();
  const server = await ServerProcess.start({ database: database.location, env: { PARLEY_SHUTDOWN_GRACE_SECONDS: '20' } });
  try {
    const readers = await Promise.all([1, 2, 3].map(() => SseClient.open(`${server.url}/api/events?stories=${story.id}`)));
    assert.deepEqual(readers.map((r) => r.retry), [2000, 2000, 2000], 'a stream starts with its usual reconnection delay');
    const code = server.stop();
    await Promise.all(readers.map((r) => r.closedByServer()));
    assert.deepEqual(readers.map((r) => r.retry), [DRAIN_RETRY_MS, DRAIN_RETRY_MS, DRAIN_RETRY_MS], 'each was told to come back soon');
    assert.equal(await code, 0, `a clean exit, within the grace (not cut by it):\n${server.log}`);
  } finally {
    await database.drop();
  }
});
