import { it } from 'node:test';
import assert from 'node:assert/strict';
import { onEachDatabase } from '../helpers/suite.js';
import { loadClassifier } from '../../src/engine/index.js';

// The shipped model, end to end: the moderation step scores every comment and acts on the shipped thresholds.
onEachDatabase(
  'moderation with the shipped classifier',
  (t) => {
    it('publishes a civil comment and keeps its scores', async () => {
      const storyId = await t().story();
      const reader = await t().agent();
      const { id, status } = await t().comment(reader, storyId, 'The council should publish the full budget before the vote on Tuesday.');
      assert.equal(status, 'published');
      const row = await t().db.selectFrom('comments').select('scores_json').where('id', '=', id).executeTakeFirstOrThrow();
      const scores = JSON.parse(row.scores_json!);
      assert.ok(scores.toxic < 0.5, JSON.stringify(scores));
    });

    it('keeps a threat and an insult from being published, with the label as the reason', async () => {
      const storyId = await t().story();
      const reader = await t().agent();
      for (const text of ['I will find you and kill you, you worthless piece of shit.', 'You are a pathetic moron and a disgusting idiot.']) {
        const res = await t().request('POST', `/api/stories/${storyId}/comments`, { as: reader, body: { body: text } });
        assert.equal(res.statusCode, 201);
        const body = res.json();
        assert.notEqual(body.status, 'published', text);
        assert.match(body.reasons[0].code, /^classifier_(hold|reject)$/);
        assert.ok(body.reasons[0].label);
      }
      const publicView = (await t().request('GET', `/api/stories/${storyId}/comments`)).json();
      assert.equal(publicView.comments.length, 0);
    });
  },
  { scorer: loadClassifier() },
);
