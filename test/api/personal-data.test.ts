import { it } from 'node:test';
import assert from 'node:assert/strict';
import { onEachDatabase } from '../helpers/suite.js';
import type { Agent, TestApp } from '../helpers/app.js';

/** A reader with a bit of everything: two comments (one answered), a vote, a report, an API token, a sign-on link. */
async function busyReader(t: TestApp) {
  const reader = await t.agent('commenter');
  const other = await t.agent('commenter');
  const story = await t.story();
  const answered = await t.comment(reader, story, 'A comment someone answers.');
  const alone = await t.comment(reader, story, 'A comment **nobody** answers.');
  const reply = await t.comment(other, story, 'An answer.', answered.id);
  const theirs = await t.comment(other, story, 'The other reader says something.');
  assert.equal((await t.request('POST', `/api/comments/${theirs.id}/vote`, { as: reader, body: { value: 1 } })).statusCode, 200);
  assert.equal((await t.request('POST', `/api/comments/${theirs.id}/reports`, { as: reader, body: { reason: 'spam', note: 'looks like spam' } })).statusCode, 201);
  const token = await t.token(reader);
  await t.db.insertInto('user_identities').values({ issuer: 'https://id.example.com', subject: `sub-${reader.userId}`, user_id: reader.userId, site_id: t.siteId, created_at: Date.now(), last_seen_at: Date.now() }).execute();
  return { reader, other, story, answered, alone, reply, theirs, token };
}

const audit = (t: TestApp, userId: string, action: string) =>
  t.db.selectFrom('audit_log').selectAll().where('target_id', '=', userId).where('action', '=', action).execute();

onEachDatabase("a reader's own data", (t) => {
  it('downloads everything Parley holds about the reader, and the download is audited', async () => {
    const { reader, alone, answered, theirs } = await busyReader(t());
    const res = await t().request('GET', '/api/me/data', { as: reader });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.headers['content-disposition'] as string, /attachment/);
    const data = res.json();
    assert.equal(data.account.id, reader.userId);
    assert.equal(data.account.email, `${reader.username}@example.com`);
    assert.equal(data.account.hasPassword, true);
    assert.deepEqual(data.comments.map((c: { id: string }) => c.id).sort(), [alone.id, answered.id].sort());
    const comment = data.comments.find((c: { id: string }) => c.id === alone.id);
    assert.equal(comment.body, 'A comment **nobody** answers.');
    assert.equal(comment.status, 'published');
    assert.ok(Array.isArray(comment.reasons));
    assert.deepEqual(data.votes.map((v: { commentId: string; value: number }) => [v.commentId, v.value]), [[theirs.id, 1]]);
    assert.deepEqual(data.reports.map((r: { commentId: string; reason: string; note: string }) => [r.commentId, r.reason, r.note]), [[theirs.id, 'spam', 'looks like spam']]);
    assert.ok(data.sessions.length >= 1);
    assert.equal(data.apiTokens.length, 1);
    assert.ok(!JSON.stringify(data).includes('pat_'), 'no secret is in the download');
    assert.deepEqual(data.signOnLinks.map((l: { issuer: string }) => l.issuer), ['https://id.example.com']);
    assert.equal((await audit(t(), reader.userId, 'user.data_export')).length, 1);
    assert.equal((await t().request('GET', '/api/me/data')).statusCode, 401);
  });

  it('deletes the account: sessions and tokens end, comments read "[deleted]", nothing names the reader, audited', async () => {
    const { reader, story, alone, answered, reply, token } = await busyReader(t());
    const withoutCsrf = await t().request('DELETE', '/api/me', { as: reader, noCsrf: true });
    assert.equal(withoutCsrf.statusCode, 403);
    const res = await t().request('DELETE', '/api/me', { as: reader });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { comments: 2, erased: 0 });
    assert.equal((await t().request('GET', '/api/me', { as: reader })).statusCode, 401);
    assert.equal((await t().request('GET', '/api/me', { headers: { authorization: `Bearer ${token}` } })).statusCode, 401);
    const login = await t().request('POST', '/api/auth/login', { body: { username: reader.username, password: t().passwords.get(reader.username)! } });
    assert.equal(login.statusCode, 401);

    const row = await t().db.selectFrom('users').selectAll().where('id', '=', reader.userId).executeTakeFirstOrThrow();
    assert.equal(row.email, null);
    assert.equal(row.password_hash, '');
    assert.ok(row.deleted_at);
    assert.ok(!row.username.includes(reader.username));
    assert.equal((await t().db.selectFrom('user_identities').selectAll().where('user_id', '=', reader.userId).execute()).length, 0);
    for (const id of [alone.id, answered.id]) {
      const comment = await t().db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(comment.body_markdown, '');
      assert.ok(comment.deleted_at);
    }
    const thread = await t().request('GET', `/stories/${story}`);
    assert.ok(!thread.body.includes('nobody'), 'the text is gone from the thread');
    assert.match(thread.body, /\[deleted\]/);
    assert.match(thread.body, /An answer\./, 'replies by others stay');
    assert.ok(await t().db.selectFrom('comments').select('id').where('id', '=', reply.id).executeTakeFirst());
    const [entry] = await audit(t(), reader.userId, 'user.delete');
    assert.equal(entry?.reason, 'comments: placeholder');
    assert.equal(entry?.before_json, null, 'the append-only log keeps nothing of the person');
    assert.equal((await t().request('DELETE', '/api/me')).statusCode, 401);
  });
});

onEachDatabase(
  "deleting an account under the 'erase' policy",
  (t) => {
    it('removes the comments nobody answered and keeps the answered ones as "[deleted]"', async () => {
      const { reader, alone, answered, reply }: { reader: Agent; alone: { id: string }; answered: { id: string }; reply: { id: string } } = await busyReader(t());
      const res = await t().request('DELETE', '/api/me', { as: reader });
      assert.deepEqual(res.json(), { comments: 2, erased: 1 });
      assert.equal(await t().db.selectFrom('comments').select('id').where('id', '=', alone.id).executeTakeFirst(), undefined);
      const kept = await t().db.selectFrom('comments').selectAll().where('id', '=', answered.id).executeTakeFirstOrThrow();
      assert.equal(kept.body_markdown, '');
      assert.ok(await t().db.selectFrom('comments').select('id').where('id', '=', reply.id).executeTakeFirst());
    });
  },
  { config: (config) => ({ ...config, core: { ...config.core, deletedAccountComments: 'erase' } }) },
);
