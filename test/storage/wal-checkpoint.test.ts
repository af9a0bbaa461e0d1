// Checkpoints off the event loop (src/storage/wal-checkpoint.ts): group commits that never pause keep the WAL within
// its bound, a checkpoint asked of a worker that ends settles, and closing the storage ends the worker.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { sql } from 'kysely';
import { insertCommentWithEvent } from '../../src/storage/comments.js';
import { newId } from '../../src/storage/ids.js';
import { insertSite } from '../../src/storage/sites.js';
import { insertStory } from '../../src/storage/stories.js';
import { insertUser } from '../../src/storage/users.js';
import { WAL_BOUND_FRAMES, checkpointerOf } from '../../src/storage/wal-checkpoint.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';

/** Posts `count` comments from `posters` writers, each posting its next as soon as its last is acknowledged. */
async function postWithoutPause(database: TestDatabase, count: number, posters = 16, onPosted = () => {}): Promise<void> {
  const db = database.storage.db;
  const site = await insertSite(db, 'WAL site', '{}');
  const story = await insertStory(db, { site_id: site.id, url: `https://news.example.com/wal-${newId()}`, title: 'WAL', published_at: 1_700_000_000_000 });
  const author = await insertUser(db, { username: `wal_${newId().slice(0, 8)}`, email: null, passwordHash: 'x', role: 'commenter' });
  const body = 'A comment long enough to fill a page a few times over. '.repeat(8);
  let left = count;
  const poster = async () => {
    while (left-- > 0) {
      const id = newId();
      const at = Date.now();
      await insertCommentWithEvent(
        db,
        {
          id, story_id: story.id, site_id: site.id, parent_id: null, root_id: id, depth: 0, author_id: author.id,
          body_markdown: body, body_html: `<p>${body}</p>`, status: 'published', auto_status: 'published', reasons_json: '[]',
          scores_json: null, created_at: at, edited_at: null, deleted_at: null, spans_json: null, flagged_labels: null,
          max_score: null, moderated_by: null, moderated_at: null, moderation_reason: null, featured_at: null,
        },
        [],
        { story_id: story.id, site_id: site.id, comment_id: id, parent_id: null, author_id: author.id, type: 'comment.created', status: 'published', was_public: 0, payload_json: '{}', created_at: at },
      );
      onPosted();
    }
  };
  await Promise.all(Array.from({ length: posters }, poster));
}

const pageSize = async (database: TestDatabase) =>
  Number((await sql<{ page_size: number }>`pragma page_size`.execute(database.storage.db)).rows[0]!.page_size);

describe('WAL checkpoints [sqlite]', () => {
  it('keeps the WAL within its bound while group commits never pause, and reads its length as SQLite counts it', async () => {
    const database = await createTestDatabase('sqlite');
    try {
      const checkpointer = checkpointerOf(database.storage.db)!;
      let workerSeen = false;
      await postWithoutPause(database, 4000, 16, () => (workerSeen ||= checkpointer.thread !== undefined));
      assert.ok(workerSeen, 'the checkpoints ran on a worker thread');
      // The WAL file never shrinks (it starts over from its beginning): its size is the longest it has been.
      const frameSize = (await pageSize(database)) + 24;
      const bound = 32 + (WAL_BOUND_FRAMES + 200) * frameSize;
      const walBytes = statSync(`${database.location}-wal`).size;
      assert.ok(walBytes <= bound, `WAL ${walBytes} bytes, bound ${bound}`);
      const count = await sql<{ n: number }>`select count(*) as n from comments`.execute(database.storage.db);
      assert.equal(Number(count.rows[0]!.n), 4000);
      await checkpointer.onWorker(); // the checkpoint under way, if any: another would find SQLite busy
      const { frames } = checkpointer.walIndex();
      const [result] = (await sql<{ log: number }>`pragma wal_checkpoint(PASSIVE)`.execute(database.storage.db)).rows;
      assert.ok(frames > 0);
      assert.equal(frames, Number(result!.log), "mxFrame in the -shm file is the checkpoint's count of the WAL's frames");
      assert.equal(checkpointer.walIndex().backfilled, frames);
    } finally {
      await database.drop();
    }
  });

  it('settles a checkpoint asked of a worker that ends, and writes go on; closing the storage ends the worker', async () => {
    const database = await createTestDatabase('sqlite');
    try {
      const checkpointer = checkpointerOf(database.storage.db)!;
      await postWithoutPause(database, 3000);
      // Read through a function: an assertion on the property would narrow its type for the rest of the test.
      const thread = () => checkpointer.thread;
      const worker = thread();
      assert.ok(worker, 'a worker runs after frequent checkpoints');
      await checkpointer.onWorker(); // the checkpoint under way, if any
      const ended = worker.terminate();
      const asked = checkpointer.onWorker();
      assert.equal(await asked, undefined, 'the checkpoint asked of a worker ending settles without an answer');
      await ended;
      assert.equal(thread(), undefined);
      await postWithoutPause(database, 2000);
      const frameSize = (await pageSize(database)) + 24;
      assert.ok(statSync(`${database.location}-wal`).size <= 32 + (WAL_BOUND_FRAMES + 200) * frameSize, 'the bound holds through it');
      const running = thread();
      assert.ok(running, 'a new worker was started');
      let exited = false;
      running.on('exit', () => (exited = true));
      await database.storage.close();
      assert.ok(exited, 'closing the storage ended the worker, and waited for it');
    } finally {
      await database.drop();
    }
  });
});
