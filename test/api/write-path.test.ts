// The write path returns what it wrote: the comment a post or an edit answers with is the one a read gives
// back, and a text is scored once per request, through the API and through the HTML form alike.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { onEachDatabase } from '../helpers/suite.js';
import { loadClassifier } from '../../src/engine/index.js';
import type { Scorer } from '../../src/moderation/types.js';

const classifier = loadClassifier();
const scored: string[] = [];
const countingScorer: Scorer = {
  score(text) {
    scored.push(text);
    return classifier.score(text);
  },
  thresholds: classifier.thresholds,
};

onEachDatabase(
  'the write path',
  (t) => {
    it('answers a post and an edit with the comment as a read returns it', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const posted = await t().request('POST', `/api/stories/${storyId}/comments`, { as: author, body: { body: 'A *first* thought on the story.' } });
      assert.equal(posted.statusCode, 201);
      const { id, comment } = posted.json();
      const read = await t().request('GET', `/api/comments/${id}`, { as: author });
      assert.deepEqual(comment, read.json());

      const edited = await t().request('PATCH', `/api/comments/${id}`, { as: author, body: { body: 'A second thought, edited.' } });
      assert.equal(edited.statusCode, 200);
      const reread = await t().request('GET', `/api/comments/${id}`, { as: author });
      assert.deepEqual(edited.json().comment, reread.json());
    });

    it('answers a held post with the comment and its reasons as a read returns them', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const posted = await t().request('POST', `/api/stories/${storyId}/comments`, {
        as: author,
        body: { body: 'You are a pathetic moron and a disgusting idiot.' },
      });
      const { id, status, comment } = posted.json();
      assert.notEqual(status, 'published');
      assert.deepEqual(comment, (await t().request('GET', `/api/comments/${id}`, { as: author })).json());
    });

    it('scores a text once per request, through the API and through the form', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      scored.length = 0;
      await t().comment(author, storyId, 'The council should publish the full budget before the vote.');
      assert.equal(scored.length, 1, 'API post');

      scored.length = 0;
      const form = await t().app.inject({
        method: 'POST',
        url: `/stories/${storyId}/comments`,
        headers: { cookie: author.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: author.csrfToken, body: 'Thanks for the reporting on the bridge.' }).toString(),
      });
      assert.equal(form.statusCode, 303);
      assert.equal(scored.length, 1, 'form post that passes the nudge');
    });

    it('reads a session it remembers again with the post: a ban, a lifted ban, a reply and an ended session all count at once', async () => {
      const storyId = await t().story();
      const moderator = await t().agent('moderator');
      const author = await t().agent();
      const post = (body: object) => t().request('POST', `/api/stories/${storyId}/comments`, { as: author, body });
      const first = await post({ body: 'The first post reads the session and remembers it.' });
      assert.equal(first.statusCode, 201);
      assert.equal((await t().request('POST', `/api/moderation/users/${author.userId}/ban`, { as: moderator, body: { reason: 'Spam' } })).statusCode, 200);
      const banned = await post({ body: 'Posted with the session remembered from before the ban.' });
      assert.equal(banned.statusCode, 403);
      assert.equal(banned.json().error.code, 'banned');
      // The first of these remembers the banned account; the second posts with it remembered.
      for (let i = 0; i < 2; i++) {
        const elsewhere = await t().request('POST', '/api/stories/nosuchstory/comments', { as: author, body: { body: 'On no story.' } });
        assert.equal(elsewhere.statusCode, 403, 'the ban is answered before the story is looked for, as without the memory');
      }
      await t().request('POST', `/api/moderation/users/${author.userId}/unban`, { as: moderator, body: {} });
      const reply = await post({ body: 'Back, and replying.', parentId: first.json().id });
      assert.equal(reply.statusCode, 201);
      assert.equal(reply.json().comment.parentId, first.json().id);
      assert.equal((await post({ body: 'Once more, remembered and unchanged.' })).statusCode, 201);
      // Another process's log-out (or an expiry) ends the session in the database only.
      await t().db.deleteFrom('sessions').where('user_id', '=', author.userId).execute();
      const ended = await post({ body: 'After the session ended.' });
      assert.equal(ended.statusCode, 401);
      const written = await t().db.selectFrom('comments').select('body_markdown').where('author_id', '=', author.userId).execute();
      assert.deepEqual(written.map((c) => c.body_markdown).sort(), ['Back, and replying.', 'Once more, remembered and unchanged.', 'The first post reads the session and remembers it.']);
    });
  },
  { scorer: countingScorer },
);
