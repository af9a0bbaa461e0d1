// Live updates across real OS processes: two `parley serve` processes on one PostgreSQL database, a comment posted
// through one reaches an event-stream reader of the other, through PostgreSQL LISTEN/NOTIFY and through Redis
// pub/sub. And two installs on one Redis use channels of their own.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { insertSite } from '../../src/storage/sites.js';
import { insertStory } from '../../src/storage/stories.js';
import { insertUser } from '../../src/storage/users.js';
import { createApiToken } from '../../src/storage/sessions.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';
import { configFromEnv } from '../../src/config.js';
import { RedisBus } from '../../src/live/bus.js';
import { createTestDatabase } from '../helpers/databases.js';
import { ServerProcess } from '../helpers/server-process.js';
import { SseClient } from '../helpers/sse.js';

const REDIS_URL = process.env.PARLEY_TEST_REDIS ?? 'redis://127.0.0.1:6379';

describe('two server processes on one PostgreSQL database', () => {
  for (const [bus, env] of [
    ['PostgreSQL LISTEN/NOTIFY', {}],
    ['Redis pub/sub', { REDIS_URL }],
  ] as const) {
    it(`carries a comment posted on one to a reader of the other (${bus})`, async () => {
      const database = await createTestDatabase('postgres');
      const { db } = database.storage;
      const site = await insertSite(db, 'Two processes', JSON.stringify(DEFAULT_POLICY));
      const story = await insertStory(db, { site_id: site.id, url: 'https://news.example.com/two', title: 'Two', published_at: Date.now() });
      const writer = await insertUser(db, { username: 'two_writer', email: null, passwordHash: 'not-a-hash', role: 'commenter' });
      const token = await createApiToken(db, writer.id, 'two');
      const servers: ServerProcess[] = [];
      let reader: SseClient | undefined;
      try {
        servers.push(...(await Promise.all([1, 2].map(() => ServerProcess.start({ database: database.location, env })))));
        const [a, b] = servers as [ServerProcess, ServerProcess];
        reader = await SseClient.open(`${b.url}/api/events?stories=${story.id}`);
        const posted = await fetch(`${a.url}/api/stories/${story.id}/comments`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ body: `Posted on process ${a.child.pid}` }),
        });
        assert.equal(posted.status, 201);
        const { id } = (await posted.json()) as { id: string };
        const events = await reader.waitFor(1, 15_000);
        assert.deepEqual(events.map((e) => [e.type, e.commentId]), [['comment.created', id]]);
        assert.notEqual(a.child.pid, b.child.pid);
      } finally {
        reader?.close();
        await Promise.all(servers.map((s) => s.stop()));
        await database.drop();
      }
    });
  }
});

it('gives two installs on one Redis channels of their own', async () => {
  const one = configFromEnv({ DATABASE_URL: 'postgres://db.example/news_one' });
  const other = configFromEnv({ DATABASE_URL: 'postgres://db.example/news_two' });
  assert.notEqual(one.redisPrefix, other.redisPrefix);
  assert.equal(configFromEnv({ DATABASE_URL: 'postgres://db.example/news_one' }).redisPrefix, one.redisPrefix, 'the processes of one install agree');
  assert.equal(configFromEnv({ PARLEY_REDIS_PREFIX: 'gazette:' }).redisPrefix, 'gazette:');
  assert.ok(one.rateLimits.namespace.startsWith(one.redisPrefix), 'rate limits are namespaced too');

  const buses = [one, other].map((c) => new RedisBus(REDIS_URL, `${c.redisPrefix}thread-events`));
  const heard: Array<Array<number | null>> = [[], []];
  try {
    await Promise.all(buses.map((bus, i) => bus.start((id) => heard[i]!.push(id))));
    buses[0]!.publish(41);
    buses[1]!.publish(42);
    const deadline = Date.now() + 5000;
    while ((heard[0]!.length === 0 || heard[1]!.length === 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(heard, [[41], [42]], 'each install hears only its own events');
  } finally {
    await Promise.all(buses.map((bus) => bus.close()));
  }
});
