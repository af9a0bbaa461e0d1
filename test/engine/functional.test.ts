import { test } from 'node:test';
import assert from 'node:assert/strict';
import { functionalSuite, runFunctional } from '../../src/engine/training/functional.js';
import { biasTemplates, templateExamples } from '../../src/engine/training/templates.js';
import { LABELS } from '../../src/engine/labels.js';

const suite = functionalSuite();

test('the functional suite has at least 25 functions of at least 30 cases each, both kinds of expectation', () => {
  assert.ok(suite.length >= 25, `${suite.length} functions`);
  for (const f of suite) assert.ok(f.cases.length >= 30, `${f.id}: ${f.cases.length} cases`);
  assert.equal(new Set(suite.map((f) => f.id)).size, suite.length, 'function ids are unique');
  assert.ok(suite.some((f) => f.expect === 'hold') && suite.some((f) => f.expect === 'pass'));
  const ids = suite.map((f) => f.id);
  for (const need of ['threat_direct', 'threat_normative', 'threat_no_violent_word', 'call_violence_group', 'slur', 'slur_reclaimed_homonym',
    'profanity_at_person', 'profanity_not_at_person', 'identity_neutral', 'identity_positive', 'hate_negated', 'counter_speech', 'quoted_hate',
    'hate_question', 'hate_opinion', 'evasion_deletion', 'evasion_swap', 'evasion_insertion', 'evasion_spacing', 'evasion_leet',
    'evasion_homoglyph', 'long_1', 'long_5', 'long_20', 'long_commas']) assert.ok(ids.includes(need), need);
});

test('the functional suite is deterministic', () => {
  assert.deepEqual(functionalSuite(), suite);
});

test('no case of the functional suite, nor any sentence of one, is a training or bias template text (context templates included)', () => {
  const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9 ]+/g, ' ').replace(/\s+/g, ' ').trim();
  const training = new Set([...templateExamples('all').map((e) => key(e.text)), ...biasTemplates().map((b) => key(b.text))]);
  for (const f of suite) {
    for (const c of f.cases) {
      assert.ok(!training.has(key(c)), `${f.id}: "${c}" is a training text`);
      for (const s of c.split(/(?<=[.!?])\s+|,\s+/)) if (key(s).split(' ').length >= 3) assert.ok(!training.has(key(s)), `${f.id}: sentence "${s}" is a training text`);
    }
  }
});

test('the evasion functions really alter the word they probe', () => {
  const byId = new Map(suite.map((f) => [f.id, f.cases]));
  assert.ok(byId.get('evasion_deletion')!.includes('You are an idot.'));
  assert.ok(byId.get('evasion_homoglyph')!.every((c) => /[^\x00-\x7f]/.test(c)));
  assert.ok(byId.get('long_20')!.every((c) => c.split(/(?<=\.)\s+/).length === 21));
});

test('runFunctional counts a case as held when one of the function\'s labels reaches hold', () => {
  const th = Object.fromEntries(LABELS.map((l) => [l, { hold: 0.5, reject: 0.9 }])) as never;
  const zero = Object.fromEntries(LABELS.map((l) => [l, 0])) as Record<(typeof LABELS)[number], number>;
  const mini = [
    { id: 'a', about: '', expect: 'hold' as const, labels: LABELS, carrier: 'threat' as const, cases: ['x', 'y'] },
    { id: 'b', about: '', expect: 'pass' as const, labels: ['insult'] as const, cases: ['x', 'y'] },
  ];
  const r = runFunctional((t) => ({ ...zero, threat: t === 'x' ? 0.95 : 0, obscene: 0.7 }), th, mini);
  assert.equal(r[0]!.accuracy, 1);
  assert.equal(r[0]!.carrierRate, 0.5);
  assert.equal(r[0]!.carrierReject, 0.5);
  assert.equal(r[1]!.accuracy, 1, 'obscene does not count for a function that looks at insult only');
});
