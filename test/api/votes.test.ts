import { it } from 'node:test';
import assert from 'node:assert/strict';
import { onEachDatabase } from '../helpers/suite.js';

onEachDatabase('votes', (t) => {
  it('counts one vote per reader, changeable and retractable', async () => {
    const storyId = await t().story();
    const author = await t().agent();
    const voter = await t().agent();
    const { id } = await t().comment(author, storyId, 'Vote on me');
    const vote = (value: number) => t().request('POST', `/api/comments/${id}/vote`, { as: voter, body: { value } });
    assert.deepEqual((await vote(1)).json(), { score: 1, myVote: 1 });
    assert.deepEqual((await vote(1)).json(), { score: 1, myVote: 1 }, 'the same vote twice counts once');
    assert.deepEqual((await vote(-1)).json(), { score: -1, myVote: -1 });
    assert.deepEqual((await vote(0)).json(), { score: 0, myVote: 0 });
    await vote(1);
    const thread = (await t().request('GET', `/api/stories/${storyId}/comments`, { as: voter })).json();
    assert.equal(thread.comments[0].score, 1);
    assert.equal(thread.comments[0].myVote, 1);
  });

  it('refuses votes on your own, deleted, unknown comments and bad values', async () => {
    const storyId = await t().story();
    const author = await t().agent();
    const voter = await t().agent();
    const { id } = await t().comment(author, storyId, 'Mine');
    const own = await t().request('POST', `/api/comments/${id}/vote`, { as: author, body: { value: 1 } });
    assert.equal(own.statusCode, 403);
    for (const value of [2, '1', null, 0.5]) {
      const res = await t().request('POST', `/api/comments/${id}/vote`, { as: voter, body: { value } });
      assert.equal(res.statusCode, 400, String(value));
    }
    const unknown = await t().request('POST', '/api/comments/nosuchcomment/vote', { as: voter, body: { value: 1 } });
    assert.equal(unknown.statusCode, 404);
    const anonymous = await t().request('POST', `/api/comments/${id}/vote`, { body: { value: 1 } });
    assert.equal(anonymous.statusCode, 401);
    await t().request('DELETE', `/api/comments/${id}`, { as: author });
    const deleted = await t().request('POST', `/api/comments/${id}/vote`, { as: voter, body: { value: 1 } });
    assert.equal(deleted.statusCode, 409);
    assert.equal(deleted.json().error.code, 'comment_deleted');
    const votes = await t().db.selectFrom('votes').selectAll().where('comment_id', '=', id).execute();
    assert.equal(votes.length, 0);
  });

  it('keeps the score right under concurrent votes', async () => {
    const storyId = await t().story();
    const author = await t().agent();
    const { id } = await t().comment(author, storyId, 'Popular');
    const voters = await Promise.all(Array.from({ length: 24 }, () => t().agent()));
    // Every reader votes up, and a third of them change their minds to down at the same moment.
    await Promise.all(voters.map((v) => t().request('POST', `/api/comments/${id}/vote`, { as: v, body: { value: 1 } })));
    const changers = voters.slice(0, 8);
    const results = await Promise.all([
      ...changers.map((v) => t().request('POST', `/api/comments/${id}/vote`, { as: v, body: { value: -1 } })),
      ...changers.map((v) => t().request('POST', `/api/comments/${id}/vote`, { as: v, body: { value: -1 } })),
    ]);
    assert.ok(results.every((r) => r.statusCode === 200), results.map((r) => r.body).join('\n'));
    const expected = 16 - 8;
    const row = await t().db.selectFrom('comments').select('score').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.score, expected);
    const sum = await t().db.selectFrom('votes').select((eb) => eb.fn.sum<number>('value').as('total')).where('comment_id', '=', id).executeTakeFirstOrThrow();
    assert.equal(Number(sum.total), expected, 'the stored score equals the sum of the votes');
  });
});
