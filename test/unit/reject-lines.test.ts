// The newsroom's reject lines over the shipped model (src/moderation/policy.ts): a call for violence is rejected,
// not queued behind profanity, and a civil comment still goes up. Scored by the real model, as the server loads it.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { loadScorer } from '../../src/server/scorer.js';
import { ModerationStep } from '../../src/moderation/step.js';
import { DEFAULT_POLICY, DEFAULT_REJECT_LINES, withRejectLines } from '../../src/moderation/policy.js';
import { keywordScorer } from '../helpers/scorers.js';

it('lowers a label reject line to the newsroom line, never under its hold line, and keeps the rest of the model', () => {
  const lowered = withRejectLines(keywordScorer);
  assert.equal(lowered.thresholds.threat.reject, Math.min(0.95, DEFAULT_REJECT_LINES.threat!));
  assert.equal(lowered.thresholds.threat.hold, 0.5);
  assert.deepEqual(lowered.thresholds.insult, keywordScorer.thresholds.insult);
  const high = withRejectLines({ ...keywordScorer, thresholds: { ...keywordScorer.thresholds, threat: { hold: 0.9, reject: 0.97 } } });
  assert.deepEqual(high.thresholds.threat, { hold: 0.9, reject: 0.9 });
  assert.deepEqual(lowered.score('THREATWORD'), keywordScorer.score('THREATWORD'));
});

it('rejects calls for violence with the shipped model and says which words drove it; publishes the civil comment', () => {
  const scorer = loadScorer({});
  assert.ok(scorer);
  assert.ok('version' in scorer, 'the model reads through the lines');
  const step = new ModerationStep(scorer);
  const decide = (text: string) => step.decide(text, DEFAULT_POLICY);
  const civil = decide('Oh sure, because the council has such a great track record with budgets. Brilliant plan.');
  assert.equal(civil.status, 'published');
  for (const call of ['They should hang them publicly.', 'These traitors should be hanged publicly, every last one of them.']) {
    const decision = decide(call);
    assert.equal(decision.status, 'rejected', call);
    assert.equal(decision.reasons[0]?.label, 'threat', call);
    assert.match(decision.reasons[0]!.message, /The words that weighed most: “/, call);
  }
});
