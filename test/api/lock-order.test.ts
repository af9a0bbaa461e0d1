// PostgreSQL: writers that meet on a comment finish without a deadlock. They take locks in one order: a comment's row,
// then its votes or reports, then the event lock (src/storage/events.ts); a new comment's statement takes the event lock and then
// its parent's row, so a deletion takes the event lock before it deletes comments. Each test drives the order that
// used to deadlock: one writer is held at a lock while the other comes after it, confirmed by polling
// pg_stat_activity, and then the lock is released. PostgreSQL found the deadlock and failed one of the two with a 500.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApp, type Agent, type TestApp } from '../helpers/app.js';
import { EVENT_LOCK } from '../../src/storage/events.js';

describe('lock order between writers of one comment [postgres]', () => {
  let app: TestApp | undefined;
  /** Deleting an account there erases the comments nobody answered. */
  let erasing: TestApp | undefined;
  before(async () => {
    app = await startTestApp('postgres');
    erasing = await startTestApp('postgres', { config: (config) => ({ ...config, core: { ...config.core, deletedAccountComments: 'erase' } }) });
  });
  after(async () => {
    await app?.close();
    await erasing?.close();
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

  /**
   * A comment by `author` that one reader voted on and another reported. A deletion stopped at a lock on the report
   * (`holdReport`) has deleted the comment's votes and not yet the comment; `revote` changes the reader's vote then.
   */
  async function votedAndReported(t: TestApp, author: Agent, story: string) {
    const voter = await t.agent('commenter');
    const reporter = await t.agent('commenter');
    const voted = await t.comment(author, story, 'A comment nobody answers, which a reader votes on and another reports.');
    assert.equal((await t.request('POST', `/api/comments/${voted.id}/vote`, { as: voter, body: { value: 1 } })).statusCode, 200);
    assert.equal((await t.request('POST', `/api/comments/${voted.id}/reports`, { as: reporter, body: { reason: 'spam', note: 'looks like spam' } })).statusCode, 201);
    const report = await t.db.selectFrom('reports').select('id').where('comment_id', '=', voted.id).executeTakeFirstOrThrow();
    return {
      voted,
      holdReport: (trx: TestApp['db']) => sql`SELECT id FROM reports WHERE id = ${report.id} FOR UPDATE`.execute(trx),
      revote: () => t.request('POST', `/api/comments/${voted.id}/vote`, { as: voter, body: { value: -1 } }),
    };
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

  it('deletes a story while a reader changes their vote on one of its comments', async () => {
    const t = app!;
    const admin = await t.agent('admin');
    const story = await t.story();
    const { voted, holdReport, revote } = await votedAndReported(t, await t.agent('commenter'), story);

    // The deletion stops at the report, after the votes, and the vote comes after it. When the deletion deleted the
    // votes before it locked the comments, it held the reader's vote and then waited for the comment's row, which the
    // vote held (it locks the comment, then the reader's vote) while waiting for that vote.
    const [deleted, revoted] = await raced(t, holdReport, () => t.request('DELETE', `/api/stories/${story}?deleteComments=true`, { as: admin }), revote);
    assert.equal(deleted.statusCode, 200, deleted.body);
    // The vote waited for the deletion to commit, and then found the comment gone.
    assert.ok([404, 409].includes(revoted.statusCode), revoted.body);
    assert.equal(await t.db.selectFrom('votes').select('user_id').where('comment_id', '=', voted.id).executeTakeFirst(), undefined);
  });

  it("deletes an account that erases its comments while a reader changes their vote on one of them", async () => {
    const t = erasing!;
    const leaver = await t.agent('commenter');
    const { voted, holdReport, revote } = await votedAndReported(t, leaver, await t.story());

    // The erasure stops at the report, after the votes, and the vote comes after it: the order that deadlocks when
    // the erased comments are not locked before their votes are deleted.
    const [deleted, revoted] = await raced(t, holdReport, () => t.request('DELETE', '/api/me', { as: leaver }), revote);
    assert.equal(deleted.statusCode, 200, deleted.body);
    assert.deepEqual(JSON.parse(deleted.body), { comments: 1, erased: 1 });
    assert.ok([404, 409].includes(revoted.statusCode), revoted.body);
    assert.equal(await t.db.selectFrom('comments').select('id').where('id', '=', voted.id).executeTakeFirst(), undefined);
  });

  it('deletes a story while a reader reports one of its comments', async () => {
    const t = app!;
    const admin = await t.agent('admin');
    const story = await t.story();
    const { voted, holdReport } = await votedAndReported(t, await t.agent('commenter'), story);
    const reporter = await t.agent('commenter');

    // The deletion stops at the first report, holding the comment, and a second report comes after it. When a report
    // inserted its row before it locked the comment, its foreign key took a key-share lock on the comment, which the
    // deletion's delete waited for, while the report waited for the comment's row to count itself.
    const [deleted, reported] = await raced(t, holdReport, () => t.request('DELETE', `/api/stories/${story}?deleteComments=true`, { as: admin }), () =>
      t.request('POST', `/api/comments/${voted.id}/reports`, { as: reporter, body: { reason: 'abuse', note: 'a second report' } }),
    );
    assert.equal(deleted.statusCode, 200, deleted.body);
    // The report waited for the deletion to commit, and then found the comment gone.
    assert.equal(reported.statusCode, 404, reported.body);
    assert.equal(await t.db.selectFrom('reports').select('id').where('comment_id', '=', voted.id).executeTakeFirst(), undefined);
  });
});
