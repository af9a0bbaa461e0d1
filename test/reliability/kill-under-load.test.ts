// SIGKILL under write load, on SQLite and PostgreSQL: `parley serve --workers 2` as real processes, writers posting
// all the time; one worker is killed (the primary replaces it), then the whole server at once. After a restart
// every comment that was acknowledged (201) is there, whole. PARLEY_RELIABILITY_KILL_MS sets how long the writers
// write before each kill (default 1500 ms; and until 10, then 5 more, comments were acknowledged).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openStorage } from '../../src/storage/db.js';
import { insertSite } from '../../src/storage/sites.js';
import { insertStory } from '../../src/storage/stories.js';
import { insertUser } from '../../src/storage/users.js';
import { createApiToken } from '../../src/storage/sessions.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';
import { DIALECTS, createTestDatabase } from '../helpers/databases.js';
import { ServerProcess } from '../helpers/server-process.js';

const WRITE_MS = Number(process.env.PARLEY_RELIABILITY_KILL_MS ?? 1500);
const WRITERS = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const dialect of DIALECTS) {
  describe(`SIGKILL under write load [${dialect}]`, () => {
    it('loses no acknowledged comment when a worker, then the whole server, is killed', async () => {
      const database = await createTestDatabase(dialect);
      const { db } = database.storage;
      const site = await insertSite(db, 'Kill site', JSON.stringify(DEFAULT_POLICY));
      const story = await insertStory(db, { site_id: site.id, url: 'https://news.example.com/kill', title: 'Kill', published_at: Date.now() });
      const writer = await insertUser(db, { username: 'kill_writer', email: null, passwordHash: 'not-a-hash', role: 'commenter' });
      const token = await createApiToken(db, writer.id, 'kill');
      // The test's own connection is closed while the servers write (SQLite: one file, several processes).
      await database.storage.close();

      let server = await ServerProcess.start({ database: database.location, workers: 2 });
      const acknowledged = new Map<string, string>();
      let failed = 0;
      let writing = true;
      let sequence = 0;
      const write = async () => {
        while (writing) {
          const body = `Comment ${++sequence} written under load`;
          try {
            const res = await fetch(`${server.url}/api/stories/${story.id}/comments`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ body }),
            });
            if (res.status === 201) acknowledged.set(((await res.json()) as { id: string }).id, body);
            else {
              failed++;
              await res.body?.cancel();
            }
          } catch {
            // The connection died with the process: not acknowledged, so not counted.
            failed++;
            await sleep(20);
          }
        }
      };
      const writers = Array.from({ length: WRITERS }, write);
      // Writes for at least `ms`, and until `count` more comments were acknowledged (a busy machine is slow).
      const writeFor = async (ms: number, count: number) => {
        const target = acknowledged.size + count;
        const started = Date.now();
        while ((Date.now() - started < ms || acknowledged.size < target) && Date.now() - started < 60_000) await sleep(50);
        return acknowledged.size >= target;
      };
      try {
        await writeFor(WRITE_MS, 10);
        const [victim] = server.workerPids();
        assert.ok(victim, `a worker to kill:\n${server.log}`);
        process.kill(victim, 'SIGKILL');
        assert.ok(await writeFor(WRITE_MS, 5), 'the other worker (and the replacement) kept acknowledging');
        await server.killAll();
      } finally {
        writing = false;
        await Promise.all(writers);
      }
      assert.ok(acknowledged.size >= 15, `only ${acknowledged.size} comments were acknowledged`);

      server = await ServerProcess.start({ database: database.location });
      const check = await openStorage({ location: database.location });
      try {
        const rows = await check.db.selectFrom('comments').select(['id', 'body_markdown']).where('story_id', '=', story.id).execute();
        const stored = new Map(rows.map((r) => [r.id, r.body_markdown]));
        const lost = [...acknowledged].filter(([id, body]) => stored.get(id) !== body);
        assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.size} acknowledged comments lost`);
        // The restarted server serves them, and takes new ones.
        const thread = await fetch(`${server.url}/api/stories/${story.id}/comments?limit=1&sort=newest`);
        assert.equal(thread.status, 200);
        const more = await fetch(`${server.url}/api/stories/${story.id}/comments`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ body: 'After the restart' }),
        });
        assert.equal(more.status, 201);
        console.log(`kill [${dialect}]: ${acknowledged.size} acknowledged, ${failed} failed or cut, 0 lost`);
      } finally {
        await check.close();
        await server.stop();
        await database.drop();
      }
    });
  });
}
