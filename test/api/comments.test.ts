import { it } from 'node:test';
import assert from 'node:assert/strict';
import { onEachDatabase } from '../helpers/suite.js';
import { startTestApp } from '../helpers/app.js';

async function commentCount(t: { db: import('kysely').Kysely<import('../../src/storage/schema.js').Database> }) {
  const row = await t.db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

onEachDatabase(
  'comments',
  (t) => {
    it('posts a comment and a reply, renders Markdown safely, and lists them nested', async () => {
      const storyId = await t().story();
      const alice = await t().agent();
      const bob = await t().agent();
      const posted = await t().request('POST', `/api/stories/${storyId}/comments`, {
        as: alice,
        body: { body: 'I **agree** <script>alert(1)</script> see https://example.org' },
      });
      assert.equal(posted.statusCode, 201);
      const first = posted.json();
      assert.equal(first.status, 'published');
      assert.deepEqual(first.reasons, []);
      assert.match(first.comment.bodyHtml, /<strong>agree<\/strong>/);
      assert.doesNotMatch(first.comment.bodyHtml, /<script/);
      assert.match(first.comment.bodyHtml, /rel="nofollow ugc noopener"/);

      const reply = await t().comment(bob, storyId, 'A reply', first.id);
      const nested = await t().comment(alice, storyId, 'A reply to the reply', reply.id);
      const thread = (await t().request('GET', `/api/stories/${storyId}/comments`)).json();
      assert.equal(thread.comments.length, 1);
      const root = thread.comments[0];
      assert.equal(root.id, first.id);
      assert.equal(root.author.username, alice.username);
      assert.equal(root.replies[0].id, reply.id);
      assert.equal(root.replies[0].parentId, first.id);
      assert.equal(root.replies[0].replies[0].id, nested.id);
      assert.ok(!Number.isNaN(Date.parse(root.createdAt)));
      assert.equal(thread.nextCursor, null);
    });

    it('requires a login and a CSRF token to post', async () => {
      const storyId = await t().story();
      const anonymous = await t().request('POST', `/api/stories/${storyId}/comments`, { body: { body: 'hi' } });
      assert.equal(anonymous.statusCode, 401);
      const agent = await t().agent();
      const noCsrf = await t().request('POST', `/api/stories/${storyId}/comments`, { as: agent, body: { body: 'hi' }, noCsrf: true });
      assert.equal(noCsrf.statusCode, 403);
    });

    it('refuses bad input with 4xx and writes nothing', async () => {
      const storyId = await t().story();
      const otherStory = await t().story();
      const agent = await t().agent();
      const elsewhere = await t().comment(agent, otherStory, 'In the other story');
      const before = await commentCount(t());
      const cases: Array<[unknown, number, string?]> = [
        [{ body: '' }, 400],
        [{ body: '   \n  ' }, 400, 'empty_comment'],
        [{ body: 42 }, 400],
        [{}, 400],
        [{ body: 'x', parentId: 'nosuchcomment1' }, 404],
        [{ body: 'x', parentId: elsewhere.id }, 422, 'parent_in_other_story'],
        [{ body: 'x', extra: true }, 400],
        [{ body: 'x'.repeat(20_001) }, 400],
        [[1, 2, 3], 400],
      ];
      for (const [body, status, code] of cases) {
        const res = await t().request('POST', `/api/stories/${storyId}/comments`, { as: agent, body });
        assert.equal(res.statusCode, status, `${JSON.stringify(body).slice(0, 60)} -> ${res.body}`);
        if (code) assert.equal(res.json().error.code, code);
      }
      const unknownStory = await t().request('POST', '/api/stories/nosuchstory1/comments', { as: agent, body: { body: 'x' } });
      assert.equal(unknownStory.statusCode, 404);
      assert.equal(await commentCount(t()), before);
    });

    it('answers malformed JSON, wrong content types and oversized bodies with 4xx', async () => {
      const storyId = await t().story();
      const agent = await t().agent();
      const url = `/api/stories/${storyId}/comments`;
      const headers = { cookie: agent.cookie, 'x-csrf-token': agent.csrfToken };
      const malformed = await t().app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: '{"body": ' });
      assert.equal(malformed.statusCode, 400);
      assert.equal(malformed.json().error.code, 'malformed_json');
      const text = await t().app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'text/plain' }, payload: 'hello' });
      assert.equal(text.statusCode, 400);
      assert.equal(text.json().error.message, 'body must be a JSON object.');
      const huge = await t().app.inject({
        method: 'POST',
        url,
        headers: { ...headers, 'content-type': 'application/json' },
        payload: JSON.stringify({ body: 'x'.repeat(400_000) }),
      });
      assert.equal(huge.statusCode, 413);
      assert.equal(huge.json().error.code, 'body_too_large');
    });

    it('lets the author edit within the window (and re-moderates), but nobody else', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const other = await t().agent();
      const { id } = await t().comment(author, storyId, 'Frist');
      const edited = await t().request('PATCH', `/api/comments/${id}`, { as: author, body: { body: 'First, *edited*' } });
      assert.equal(edited.statusCode, 200);
      assert.match(edited.json().comment.bodyHtml, /<em>edited<\/em>/);
      assert.ok(edited.json().comment.editedAt);
      const stranger = await t().request('PATCH', `/api/comments/${id}`, { as: other, body: { body: 'hijack' } });
      assert.equal(stranger.statusCode, 403);
      const banned = await t().request('PATCH', `/api/comments/${id}`, { as: author, body: { body: 'now with forbiddenword' } });
      assert.equal(banned.json().status, 'rejected');
    });

    it('soft-deletes: replies stay attached under a [deleted] placeholder', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const replier = await t().agent();
      const parent = await t().comment(author, storyId, 'Soon gone');
      const reply = await t().comment(replier, storyId, 'Still here', parent.id);
      const lonely = await t().comment(author, storyId, 'Gone without a trace');
      const other = await t().request('DELETE', `/api/comments/${parent.id}`, { as: replier });
      assert.equal(other.statusCode, 403);
      assert.equal((await t().request('DELETE', `/api/comments/${parent.id}`, { as: author })).statusCode, 204);
      assert.equal((await t().request('DELETE', `/api/comments/${lonely.id}`, { as: author })).statusCode, 204);
      const again = await t().request('DELETE', `/api/comments/${parent.id}`, { as: author });
      assert.equal(again.statusCode, 409);
      const thread = (await t().request('GET', `/api/stories/${storyId}/comments`)).json();
      assert.equal(thread.comments.length, 1, 'the deleted comment without replies is gone');
      const placeholder = thread.comments[0];
      assert.equal(placeholder.id, parent.id);
      assert.equal(placeholder.deleted, true);
      assert.equal(placeholder.author, null);
      assert.equal(placeholder.bodyHtml, '');
      assert.equal(placeholder.replies[0].id, reply.id);
      const stored = await t().db.selectFrom('comments').select(['body_markdown']).where('id', '=', parent.id).executeTakeFirstOrThrow();
      assert.equal(stored.body_markdown, '', 'the text itself is erased');
      const replyToDeleted = await t().request('POST', `/api/stories/${storyId}/comments`, { as: replier, body: { body: 'x', parentId: parent.id } });
      assert.equal(replyToDeleted.statusCode, 409);
      const edit = await t().request('PATCH', `/api/comments/${parent.id}`, { as: author, body: { body: 'back' } });
      assert.equal(edit.statusCode, 409);
    });

    it('holds and rejects by the site word lists; others never see held or rejected comments', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const reader = await t().agent();
      const held = await t().comment(author, storyId, 'You are such a su$pectword');
      assert.equal(held.status, 'pending');
      const rejected = await t().request('POST', `/api/stories/${storyId}/comments`, { as: author, body: { body: 'F.O.R.B.I.D.D.E.N.W.O.R.D' } });
      assert.equal(rejected.statusCode, 201);
      assert.equal(rejected.json().status, 'rejected');
      assert.equal(rejected.json().reasons[0].code, 'banned_word');
      const links = await t().comment(author, storyId, 'http://a.example http://b.example http://c.example http://d.example');
      assert.equal(links.status, 'pending');

      const ownView = (await t().request('GET', `/api/stories/${storyId}/comments`, { as: author })).json();
      assert.equal(ownView.comments.length, 3);
      const heldView = ownView.comments.find((c: { id: string }) => c.id === held.id);
      assert.equal(heldView.status, 'pending');
      assert.equal(heldView.reasons[0].code, 'suspect_word');
      for (const viewer of [reader, null]) {
        const view = (await t().request('GET', `/api/stories/${storyId}/comments`, { as: viewer })).json();
        assert.equal(view.comments.length, 0);
      }
      const direct = await t().request('GET', `/api/comments/${held.id}`, { as: reader });
      assert.equal(direct.statusCode, 404);
      const replyToHeld = await t().request('POST', `/api/stories/${storyId}/comments`, { as: reader, body: { body: 'x', parentId: held.id } });
      assert.equal(replyToHeld.statusCode, 404);
    });
  },
  { policy: { bannedWords: ['forbiddenword'], suspectWords: ['suspectword'], maxLinks: 3 } },
);

for (const dialect of ['sqlite', 'postgres'] as const) {
  it(`closes the edit window after the configured time [${dialect}]`, async () => {
    const t = await startTestApp(dialect, { config: (c) => ({ ...c, core: { ...c.core, editWindowMs: 0 } }) });
    try {
      const storyId = await t.story();
      const author = await t.agent();
      const { id } = await t.comment(author, storyId, 'Too late to change');
      const res = await t.request('PATCH', `/api/comments/${id}`, { as: author, body: { body: 'changed' } });
      assert.equal(res.statusCode, 403);
      assert.match(res.json().error.message, /edited for 0 minutes/);
    } finally {
      await t.close();
    }
  });
}
