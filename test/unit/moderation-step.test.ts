import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ModerationStep } from '../../src/moderation/step.js';
import { DEFAULT_POLICY, parsePolicy, type SitePolicy } from '../../src/moderation/policy.js';
import { LABELS, type Label, type LabelScores } from '../../src/moderation/labels.js';
import type { Scorer } from '../../src/moderation/types.js';

const policy = (changes: Partial<SitePolicy> = {}): SitePolicy => ({ ...DEFAULT_POLICY, ...changes });
const zeros = () => Object.fromEntries(LABELS.map((l) => [l, 0])) as LabelScores;
const thresholds = Object.fromEntries(LABELS.map((l) => [l, { hold: 0.5, reject: 0.9 }])) as Scorer['thresholds'];

/** A scorer that gives fixed scores to texts containing a keyword, to drive the classifier phases. */
function fakeScorer(rules: Array<[string, Partial<Record<Label, number>>]>): Scorer {
  return {
    thresholds,
    score(text) {
      const scores = zeros();
      for (const [keyword, values] of rules) if (text.includes(keyword)) Object.assign(scores, values);
      return { scores, spans: [] };
    },
  };
}

it('publishes an ordinary comment and keeps the scores', () => {
  const step = new ModerationStep(fakeScorer([]));
  const decision = step.decide('The council should publish the budget.', policy());
  assert.equal(decision.status, 'published');
  assert.deepEqual(decision.reasons, []);
  assert.deepEqual(decision.scores, zeros());
});

it('rejects over the reject threshold and holds over the hold threshold, naming label and score', () => {
  const step = new ModerationStep(fakeScorer([['THREAT', { threat: 0.95, toxic: 0.7 }], ['RUDE', { insult: 0.6 }]]));
  const rejected = step.decide('THREAT', policy());
  assert.equal(rejected.status, 'rejected');
  assert.equal(rejected.reasons[0]!.code, 'classifier_reject');
  assert.equal(rejected.reasons[0]!.label, 'threat');
  assert.equal(rejected.reasons[0]!.score, 0.95);
  const held = step.decide('RUDE', policy());
  assert.equal(held.status, 'pending');
  assert.equal(held.reasons[0]!.label, 'insult');
});

it('lets a site override the shipped thresholds per label', () => {
  const step = new ModerationStep(fakeScorer([['RUDE', { insult: 0.6 }]]));
  assert.equal(step.decide('RUDE', policy({ thresholds: { insult: { hold: 0.7, reject: 0.95 } } })).status, 'published');
});

it('puts rejections before holds and stops at the first phase that decides', () => {
  const step = new ModerationStep(fakeScorer([]));
  const decision = step.decide('maybe-word and banned-word', policy({ bannedWords: ['banned-word'], suspectWords: ['maybe-word'] }));
  assert.equal(decision.status, 'rejected');
  assert.deepEqual(decision.reasons.map((r) => r.code), ['banned_word']);
});

it('enforces length and link limits', () => {
  const step = new ModerationStep(null);
  assert.equal(step.decide('x'.repeat(11), policy({ maxLength: 10 })).reasons[0]!.code, 'too_long');
  assert.equal(step.decide('🙂'.repeat(10), policy({ maxLength: 10 })).status, 'published', 'length counts characters, not UTF-16 units');
  const links = 'see https://a.example and www.b.example and c-spam.com';
  assert.equal(step.decide(links, policy({ maxLinks: 2 })).reasons[0]!.code, 'too_many_links');
  assert.equal(step.decide(links, policy({ maxLinks: 3 })).status, 'published');
});

it('holds a comment when the classifier fails, even when nothing else objects', () => {
  const broken: Scorer = {
    thresholds,
    score() {
      throw new Error('model file corrupt');
    },
  };
  const decision = new ModerationStep(broken).decide('perfectly polite', policy());
  assert.equal(decision.status, 'pending');
  assert.equal(decision.reasons[0]!.code, 'check_failed');
});

it('still rejects by the word list when the classifier fails', () => {
  const broken: Scorer = {
    thresholds,
    score() {
      throw new Error('boom');
    },
  };
  const decision = new ModerationStep(broken).decide('you scum', policy({ bannedWords: ['scum'] }));
  assert.equal(decision.status, 'rejected');
});

it('fills in defaults for settings a stored policy lacks', () => {
  const parsed = parsePolicy(JSON.stringify({ bannedWords: ['x'], thresholds: { threat: { hold: 0.2, reject: 0.4 } } }));
  assert.deepEqual(parsed.bannedWords, ['x']);
  assert.equal(parsed.maxLength, DEFAULT_POLICY.maxLength);
  assert.deepEqual(parsed.thresholds, { threat: { hold: 0.2, reject: 0.4 } });
});

it('holds a comment when the classifier gives scores that are not probabilities', () => {
  for (const bad of [NaN, -0.1, 1.5, Infinity]) {
    const broken: Scorer = { thresholds, score: () => ({ scores: { ...zeros(), insult: bad }, spans: [] }) };
    const decision = new ModerationStep(broken).decide('perfectly polite', policy());
    assert.equal(decision.status, 'pending', String(bad));
    assert.equal(decision.reasons[0]!.code, 'check_failed');
  }
});

it('does not score a text far over the length limit', () => {
  let scored = 0;
  const counting: Scorer = { thresholds, score: () => (scored++, { scores: zeros(), spans: [] }) };
  const decision = new ModerationStep(counting).decide('x'.repeat(50_000), policy({ maxLength: 1000 }));
  assert.equal(decision.status, 'rejected');
  assert.equal(decision.reasons[0]!.code, 'too_long');
  assert.equal(scored, 0);
});

it('holds an author the core suspects of ban evasion, with its reason, ahead of pre-moderation; rejections still win', () => {
  const step = new ModerationStep(fakeScorer([['THREAT', { threat: 0.95 }]]));
  const banEvasion = 'possible ban evasion: same network as banned user troll';
  const held = step.decide('A calm remark.', policy({ preModeration: 'all' }), { publishedComments: 0, banEvasion });
  assert.equal(held.status, 'pending');
  assert.deepEqual(held.reasons, [{ code: 'ban_evasion', message: banEvasion }]);
  assert.equal(step.decide('THREAT', policy(), { publishedComments: 0, banEvasion }).reasons[0]!.code, 'classifier_reject');
  assert.equal(step.decide('A calm remark.', policy(), { publishedComments: 0, banEvasion: null }).status, 'published');
});
