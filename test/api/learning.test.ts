// Learning from the newsroom: moderators confirm or correct labels in the queue, and their decisions become the
// site's labelled data (the CSV `parley model export-decisions` writes).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { onEachDatabase } from '../helpers/suite.js';
import { LABELS, type Label, type LabelScores } from '../../src/moderation/labels.js';
import type { Scorer } from '../../src/moderation/types.js';
import { decisionsCsv } from '../../src/core/learning.js';
import { parseCsv } from '../../src/engine/training/csv.js';

const scorer: Scorer = {
  thresholds: Object.fromEntries(LABELS.map((l) => [l, { hold: 0.5, reject: 0.95 }])) as Scorer['thresholds'],
  score(text) {
    const scores = Object.fromEntries(LABELS.map((l) => [l, 0.01])) as LabelScores;
    if (text.includes('THREATWORD')) scores.threat = 0.8;
    if (text.includes('INSULTWORD')) scores.insult = 0.7;
    return { scores, spans: [] };
  },
};

onEachDatabase(
  'learning from moderators',
  (t) => {
    it('records confirmed and corrected labels, audited, shown in the queue, and refuses bad requests', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const moderator = await t().agent('moderator');
      const held = await t().comment(author, storyId, 'INSULTWORD, you "said" that, twice');
      const set = await t().request('PUT', `/api/moderation/comments/${held.id}/labels`, { as: moderator, body: { labels: { insult: false, toxic: true } } });
      assert.equal(set.statusCode, 200, set.body);
      assert.deepEqual(set.json(), { id: held.id, labels: { insult: false, toxic: true } });
      // A later decision on one label changes that label only.
      const again = await t().request('PUT', `/api/moderation/comments/${held.id}/labels`, { as: moderator, body: { labels: { insult: true } } });
      assert.deepEqual(again.json().labels, { insult: true, toxic: true });
      const queue = (await t().request('GET', `/api/moderation/queue?storyId=${storyId}`, { as: moderator })).json();
      assert.deepEqual(queue.items[0].comment.labelDecisions, { insult: true, toxic: true });

      const admin = await t().agent('admin');
      const audit = (await t().request('GET', '/api/moderation/audit', { as: admin })).json();
      const entries = audit.entries.filter((e: { action: string }) => e.action === 'comment.labels');
      assert.equal(entries.length, 2);

      for (const body of [{ labels: {} }, { labels: { sarcasm: true } }, { labels: { insult: 'yes' } }, {}]) {
        const bad = await t().request('PUT', `/api/moderation/comments/${held.id}/labels`, { as: moderator, body });
        assert.equal(bad.statusCode, 400, JSON.stringify(body));
        assert.ok(bad.json().error.code);
      }
      const missing = await t().request('PUT', '/api/moderation/comments/nosuchcomment/labels', { as: moderator, body: { labels: { insult: true } } });
      assert.equal(missing.statusCode, 404);
      const reader = await t().request('PUT', `/api/moderation/comments/${held.id}/labels`, { as: author, body: { labels: { insult: true } } });
      assert.equal(reader.statusCode, 403);
    });

    it('turns approvals, rejections with reason and labels into training rows the trainer reads', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const moderator = await t().agent('moderator');
      const approved = await t().comment(author, storyId, 'INSULTWORD but a fair point');
      const rejected = await t().comment(author, storyId, 'THREATWORD tonight');
      const labelled = await t().comment(author, storyId, 'An ordinary comment, with a "quote"');
      const untouched = await t().comment(author, storyId, 'INSULTWORD nobody looked at');
      const ok = async (method: 'POST' | 'PUT', url: string, body: unknown) => {
        const res = await t().request(method, url, { as: moderator, body });
        assert.equal(res.statusCode, 200, res.body);
      };
      await ok('POST', `/api/moderation/comments/${approved.id}/approve`, {});
      await ok('POST', `/api/moderation/comments/${rejected.id}/reject`, { reason: 'Threatening the mayor' });
      await ok('PUT', `/api/moderation/comments/${labelled.id}/labels`, { labels: { obscene: true } });

      const examples = await t().context.learning.examples(t().siteId);
      const byId = new Map(examples.map((e) => [e.id, e]));
      assert.ok(!byId.has(untouched.id), 'a comment nobody decided on is no training row');
      assert.deepEqual(byId.get(approved.id)?.labels, Object.fromEntries(LABELS.map((l) => [l, 0])));
      const rej = byId.get(rejected.id)!;
      assert.equal(rej.labels.threat, 1);
      assert.equal(rej.labels.insult, null, 'a rejection says nothing of labels that were not flagged');
      assert.equal(rej.reason, 'Threatening the mayor');
      const lab = byId.get(labelled.id)!;
      assert.equal(lab.decision, 'labelled');
      assert.deepEqual(
        LABELS.filter((l: Label) => lab.labels[l] !== null),
        ['obscene'],
      );

      // The CSV: the trainer's columns, quoted text survives, unknown labels are empty cells.
      const rows = parseCsv(decisionsCsv(t().siteId, examples));
      assert.deepEqual(rows[0], ['id', 'source', 'text', ...LABELS, 'decision', 'reason', 'decided_at']);
      const line = rows.find((r) => r[0] === labelled.id)!;
      assert.equal(line[2], 'An ordinary comment, with a "quote"');
      assert.equal(line[1], `site:${t().siteId}`);
      assert.deepEqual(line.slice(3, 3 + LABELS.length), LABELS.map((l) => (l === 'obscene' ? '1' : '')));
      const rejLine = rows.find((r) => r[0] === rejected.id)!;
      assert.equal(rejLine[3 + LABELS.indexOf('threat')], '1');
      assert.equal(rejLine[3 + LABELS.length], 'rejected');
      assert.equal(rejLine[4 + LABELS.length], 'Threatening the mayor');
    });
  },
  { scorer },
);
