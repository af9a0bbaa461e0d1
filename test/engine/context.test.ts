// Engine v2: scores that survive padding, spans for every held label, severity of calls to kill.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadClassifier, LABELS } from '../../src/engine/index.js';
import { LinearClassifier } from '../../src/engine/classifier.js';
import { tokenize } from '../../src/engine/features.js';
import { isHeldOut, type Example } from '../../src/engine/training/data.js';
import { DEFAULT_TRAIN_OPTIONS, trainOnExamples } from '../../src/engine/training/train.js';
import { functionalSuite } from '../../src/engine/training/functional.js';
import type { Label } from '../../src/engine/labels.js';

const clf = loadClassifier();
const held = (scores: Record<Label, number>): Label[] => LABELS.filter((l) => scores[l] >= clf.thresholds[l].hold);

const NEUTRAL = [
  'The committee meets again in March.', 'I parked near the old post office.', 'The weather was fine for the parade.',
  'My daughter plays in the school orchestra.', 'The new crosswalk on Pine Street helps.', 'Bus fares did not change this year.',
];
const pad = (n: number): string[] => Array.from({ length: n }, (_, i) => NEUTRAL[i % NEUTRAL.length] as string);

test('clauses split sentences at commas, colons, dashes and brackets, and never change sentences', () => {
  const tk = tokenize('Nice park, shame about the fence: it fell (again) - sadly. Next sentence');
  assert.equal(tk.sentences, 2);
  assert.equal(tk.clauses, 6);
  assert.deepEqual(Array.from(tk.sentence), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
  assert.deepEqual(tokenize('well-known e-mail').clauses, 1, 'a hyphen inside a word is not a boundary');
});

test('the shipped model uses a segment floor', () => {
  const meta = (clf as LinearClassifier).model.meta;
  assert.ok(Array.isArray(meta.segmentFloor) && meta.segmentFloor.length === LABELS.length);
});

for (const harmful of ['Someone should put a bullet in that mayor.', 'Muslims are vermin and should be wiped out.', 'I will find you and kill you.']) {
  test(`padding keeps the label: ${harmful}`, () => {
    const alone = held(clf.score(harmful).scores);
    assert.ok(alone.length > 0, `held alone: ${JSON.stringify(clf.score(harmful).scores)}`);
    for (const n of [1, 5, 20]) {
      const text = [...pad(Math.ceil(n / 2)), harmful, ...pad(Math.floor(n / 2))].join(' ');
      const labels = held(clf.score(text).scores);
      assert.ok(labels.length > 0, `${n} neutral sentences: ${JSON.stringify(clf.score(text).scores)}`);
    }
    const commas = [...pad(3), harmful, ...pad(3)].map((s) => s.replace(/\.$/, '')).join(', ') + '.';
    assert.ok(held(clf.score(commas).scores).length > 0, `joined by commas: ${JSON.stringify(clf.score(commas).scores)}`);
  });
}

test('neutral text alone stays under every hold line, however long, with full stops or commas', () => {
  for (const n of [1, 5, 20, 60]) {
    assert.deepEqual(held(clf.score(pad(n).join(' ')).scores), [], `${n} sentences`);
    assert.deepEqual(held(clf.score(pad(n).map((s) => s.replace(/\.$/, '')).join(', ')).scores), [], `${n} clauses`);
  }
});

test('every label at or over its hold line has a span, on every case of the functional suite', () => {
  let heldCases = 0;
  for (const f of functionalSuite()) {
    for (const text of f.cases) {
      const r = clf.score(text);
      for (const l of held(r.scores)) {
        heldCases++;
        const spans = r.spans.filter((s) => s.label === l);
        assert.ok(spans.length > 0, `${f.id}: "${text}" held on ${l} with no span`);
        for (const s of spans) assert.ok(s.start >= 0 && s.end > s.start && s.end <= text.length);
      }
    }
  }
  assert.ok(heldCases > 300, `${heldCases} held labels checked`);
});

// (Threats without a violent word, "...before I do it for you", are not held by the shipped model: docs/model-card.md.)
test('threat spans point at the threatening words', () => {
  for (const [text, words] of [
    ['They should hang them publicly.', /hang|them/i],
    ['Kill every one of them.', /kill|every/i],
    ['Get a rope, hang them all.', /hang/i],
  ] as const) {
    const r = clf.score(text);
    assert.ok(r.scores.threat >= clf.thresholds.threat.hold, `${text}: threat ${r.scores.threat}`);
    const spans = r.spans.filter((s) => s.label === 'threat').map((s) => text.slice(s.start, s.end));
    assert.ok(spans.some((s) => words.test(s)), `${text}: threat spans ${JSON.stringify(spans)}`);
  }
});

test('severity: a clear call to kill is rejected on threat, harmless uses of the verbs are not held', () => {
  assert.ok(clf.thresholds.threat.reject < 0.99, `threat reject ${clf.thresholds.threat.reject}`);
  for (const text of ['Someone should put a bullet in that mayor.', 'They should hang them publicly, kill every one of them.']) {
    const s = clf.score(text).scores.threat;
    assert.ok(s >= clf.thresholds.threat.reject, `${text}: threat ${s} < reject ${clf.thresholds.threat.reject}`);
  }
  for (const text of ['This traffic is killing me.', 'Hang the photos in the hallway.', 'Police said the suspect was shot by officers.']) {
    assert.ok(clf.score(text).scores.threat < clf.thresholds.threat.hold, text);
  }
});

// A tiny corpus written for this test: the floor is a property of scoring, so it shows on a tiny model too.
test('a self-trained model with a segment floor keeps a padded or comma-joined harmful sentence', () => {
  const rows: Example[] = [];
  const mk = (id: string, text: string, toxic: number): Example => ({ id, source: 'test', text, y: new Float32Array([toxic, NaN, NaN, NaN, NaN, NaN]) });
  for (let i = 0; i < 40; i++) {
    rows.push(mk(`g${i}`, `what a lovely garden number ${i}`, 0));
    rows.push(mk(`h${i}`, `the hedge was trimmed on day ${i}`, 0));
    rows.push(mk(`b${i}`, `you rotten scoundrel number ${i}`, 1));
  }
  const opts = { ...DEFAULT_TRAIN_OPTIONS, files: [], dim: 1 << 12, epochs: 40, lr: 0.05, batch: 4, templates: false, log: () => {} };
  const train = rows.filter((r) => !isHeldOut(r.id));
  const withFloor = trainOnExamples(train, { ...opts, segmentFloor: true }).classifier;
  const without = trainOnExamples(train, { ...opts, segmentFloor: false }).classifier;
  const padding = Array.from({ length: 20 }, (_, i) => (i % 2 ? 'What a lovely garden.' : 'The hedge was trimmed.'));
  const long = [...padding.slice(0, 10), 'You rotten scoundrel.', ...padding.slice(10)].join(' ');
  const commas = long.replace(/\.(?= )/g, ',');
  const alone = withFloor.score('You rotten scoundrel.').scores.toxic;
  assert.ok(alone > 0.8, `alone ${alone}`);
  assert.ok(withFloor.score(commas).scores.toxic > without.score(commas).scores.toxic + 0.2, 'the floor lifts the comma-joined text');
  assert.ok(withFloor.score(commas).scores.toxic > 0.5, `comma-joined ${withFloor.score(commas).scores.toxic}`);
  assert.ok(withFloor.score(long).scores.toxic > 0.5, `padded ${withFloor.score(long).scores.toxic}`);
  assert.ok(withFloor.score(padding.join(' ')).scores.toxic < 0.2, 'padding alone stays low');
  assert.equal(without.model.meta.segmentFloor, undefined);
});
