// PostgreSQL: changes that meet at the event lock (src/storage/events.ts) finish without a deadlock. Each test drives
// the order that used to deadlock: one writer is held at a lock while the other comes after it, confirmed by
// polling pg_stat_activity, and then the lock is released. PostgreSQL found the deadlock and failed one of the two
// with a 500.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { EVENT_LOCK } from '../../src/storage/events.js';

describe('lock order at the event lock [postgres]', () => {
  let app: TestApp | undefined;
  before(async () => {
    app = await startTestApp('postgres');
  });
  after(async () => {
    await app?.close();
  });

  /** Polls until `n` of the app's connections wait for a lock (a row's or the event lock). */
  async function waitingForLocks(t: TestApp, n: number): Promise<void> {
    for (let tries = 0; tries < 200; tries++) {
      const { rows } = await sql<{ waiting: number }>`SELECT count(*)::int AS waiting FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(t.db);
      if ((rows[0]?.waiting ?? 0) >= n) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`fewer than ${n} connections came to wait for a lock`);
  }

  type Answer = { statusCode: number; body: string };

  /**
   * Holds a lock in a transaction of its own (`hold`), starts `first` and waits until it waits, starts `second` and
   * waits until it waits too, then releases the lock; the two answers.
   */
  async function raced(t: TestApp, hold: (trx: TestApp['db']) => Promise<unknown>, first: () => Promise<Answer>, second: () => Promise<Answer>): Promise<[Answer, Answer]> {
    let answers: [Promise<Answer>, Promise<Answer>] | undefined;
    await t.db.transaction().execute(async (trx) => {
      await hold(trx);
      const firstAnswer = first();
      await waitingForLocks(t, 1);
      answers = [firstAnswer, second()];
      await waitingForLocks(t, 2);
    });
    return Promise.all(answers!);
  }

  it('deletes an account while a moderator rejects one of its comments', async () => {
    const t = app!;
    const reader = await t.agent('commenter');
    const moderator = await t.agent('moderator');
    const story = await t.story();
    const first = await t.comment(reader, story, 'The first comment of a reader who leaves.');
    const second = await t.comment(reader, story, 'The second comment of a reader who leaves.');

    // Another writer holds the event lock: the deletion stops there with its first comment changed, and the
    // moderator's change of the second comment comes after it. When the deletion locked its comments one at a time,
    // it held the event lock and waited for the second comment's row, which the moderator held while waiting for the
    // event lock.
    const [deleted, rejected] = await raced(
      t,
      (trx) => sql`SELECT pg_advisory_xact_lock(${EVENT_LOCK})`.execute(trx),
      () => t.request('DELETE', '/api/me', { as: reader }),
      () => t.request('POST', `/api/moderation/comments/${second.id}/reject`, { as: moderator, body: { reason: 'Off topic.' } }),
    );
    assert.equal(deleted.statusCode, 200, deleted.body);
    // The rejection waited for the deletion to commit, and then found the comment deleted.
    assert.equal(rejected.statusCode, 409, rejected.body);
    assert.equal(JSON.parse(rejected.body).error.code, 'comment_deleted');
    for (const id of [first.id, second.id]) {
      const row = await t.db.selectFrom('comments').select(['deleted_at', 'body_markdown']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.ok(row.deleted_at, `comment ${id} is deleted`);
      assert.equal(row.body_markdown, '');
    }
  });

  it('deletes a story while a reader replies to one of its comments', async () => {
    const t = app!;
    const admin = await t.agent('admin');
    const reader = await t.agent('commenter');
    const story = await t.story();
    const parent = await t.comment(reader, story, 'The comment a reader answers.');
    const last = await t.comment(reader, story, 'A later comment, which the deletion reaches after the first.');

    // Another reader's foreign-key lock on the later comment (FOR KEY SHARE, what a reply's check takes) stops the
    // deletion in its delete, with the first comment's row already taken; the reply comes after it. When the deletion
    // took the event lock only at its delete's end, the reply's statement took the event lock and waited for its
    // parent's row, which the deletion held while waiting for the event lock.
    const [deleted, replied] = await raced(
      t,
      (trx) => sql`SELECT id FROM comments WHERE id = ${last.id} FOR KEY SHARE`.execute(trx),
      () => t.request('DELETE', `/api/stories/${story}?deleteComments=true`, { as: admin }),
      () => t.request('POST', `/api/stories/${story}/comments`, { as: reader, body: { body: 'A reply while the story goes.', parentId: parent.id } }),
    );
    assert.equal(deleted.statusCode, 200, deleted.body);
    assert.equal(JSON.parse(deleted.body).deletedComments, 2);
    // The reply waited for the deletion to commit, and then found the comment it answers gone.
    assert.equal(replied.statusCode, 404, replied.body);
    assert.match(JSON.parse(replied.body).error.message, /comment you reply to/i);
    assert.equal((await t.request('GET', `/api/stories/${story}`)).statusCode, 404);
    assert.equal(await t.db.selectFrom('comments').select('id').where('story_id', '=', story).executeTakeFirst(), undefined);
  });
});
