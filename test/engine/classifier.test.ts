import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DEFAULT_MODEL_PATH, LABELS, loadClassifier } from '../../src/engine/index.js';
import { LinearModel } from '../../src/engine/model.js';
import { LinearClassifier } from '../../src/engine/classifier.js';

const clf = loadClassifier();

test('the shipped model exists and loads', () => {
  assert.ok(existsSync(DEFAULT_MODEL_PATH));
  assert.match(clf.version, /^parley-linear-[0-9a-f]{8}$/);
  for (const l of LABELS) {
    const t = clf.thresholds[l];
    assert.ok(t.hold > 0 && t.hold < 1, `${l} hold`);
    assert.ok(t.reject >= t.hold && t.reject <= 1, `${l} reject`);
  }
});

test('scores are probabilities for all six labels', () => {
  for (const text of ['', '   ', 'Hello', 'x'.repeat(5000), '😀😀😀', 'I disagree with the mayor.']) {
    const r = clf.score(text);
    assert.deepEqual(Object.keys(r.scores).sort(), [...LABELS].sort());
    for (const l of LABELS) assert.ok(r.scores[l] >= 0 && r.scores[l] <= 1, `${l} of ${JSON.stringify(text)}`);
  }
});

test('insults score above civil disagreement', () => {
  const rude = clf.score('you are a f*cking idiot').scores;
  const civil = clf.score('I disagree with the mayor').scores;
  assert.ok(rude.insult > civil.insult + 0.3, `insult ${rude.insult} vs ${civil.insult}`);
  assert.ok(rude.toxic > civil.toxic + 0.3, `toxic ${rude.toxic} vs ${civil.toxic}`);
  assert.ok(rude.obscene > civil.obscene, `obscene ${rude.obscene} vs ${civil.obscene}`);
  assert.ok(rude.insult >= clf.thresholds.insult.hold, 'the insult would be held');
  assert.ok(civil.toxic < clf.thresholds.toxic.hold, 'civil text is not held');
});

test('threats score above harmless uses of the same verbs', () => {
  const threat = clf.score('I know where you live and I will kill you').scores.threat;
  for (const harmless of ['This traffic is killing me', 'Please hang the picture in the hall']) {
    const s = clf.score(harmless).scores.threat;
    assert.ok(threat > s, `${threat} vs ${s} for ${harmless}`);
  }
});

test('spelling tricks do not hide an insult', () => {
  const plain = clf.score('you are an idiot').scores.insult;
  for (const tricky of ['you are an 1d10t', 'you are an i.d.i.o.t', 'you are an IDIOOOOT', 'you are an \u0456di\u043et', 'you are an i\u200bdiot']) {
    const s = clf.score(tricky).scores.insult;
    assert.ok(Math.abs(s - plain) < 0.05, `${tricky}: ${s} vs ${plain}`);
  }
});

test('a toxic sentence is not diluted by a long civil comment', () => {
  const civil = 'The council met on Tuesday to discuss the budget for the new library. ' +
    'Several residents asked about parking and the opening hours. The vote is next month. ';
  const alone = clf.score(civil).scores.insult;
  const mixed = clf.score(civil + 'The mayor is a pathetic moron.').scores.insult;
  assert.ok(mixed > alone + 0.3, `${mixed} vs ${alone}`);
});

test('spans point at the original characters that drove the score', () => {
  const text = 'Thanks for the article. But you are a stupid 1d10t, honestly.';
  const r = clf.score(text);
  assert.ok(r.spans.length > 0, 'some span');
  const covered = r.spans.map((s) => text.slice(s.start, s.end)).join(' | ');
  assert.ok(/1d10t|stupid/.test(covered), covered);
  for (const s of r.spans) {
    assert.ok(s.start >= 0 && s.end <= text.length && s.start < s.end);
    assert.ok(LABELS.includes(s.label));
    assert.ok(s.weight > 0);
    // spans start and end on word characters of the original
    assert.match(text.slice(s.start, s.end), /^[\p{L}\p{N}].*[\p{L}\p{N}]$|^[\p{L}\p{N}]$/u);
  }
  assert.ok(!covered.includes('Thanks'), covered);
  // offsets are UTF-16 units of the original: an emoji before the insult shifts them by 2
  const shifted = clf.score('😀 ' + text);
  const first = r.spans[0];
  const firstShifted = shifted.spans.find((s) => s.label === first?.label);
  assert.ok(first && firstShifted);
  assert.equal(firstShifted.start, first.start + 3);
  assert.equal(clf.score('I disagree with the mayor').spans.length, 0);
});

test('each label gets its own reasons', () => {
  const text = 'You stupid b!tch. I will find you and k1ll you.';
  const r = clf.score(text);
  const of = (label: string): string[] => r.spans.filter((s) => s.label === label).map((s) => text.slice(s.start, s.end));
  assert.ok(r.scores.threat >= clf.thresholds.threat.hold, `threat ${r.scores.threat}`);
  assert.ok(of('threat').some((t) => t.includes('k1ll')), JSON.stringify(r.spans));
  assert.ok(of('insult').some((t) => t.includes('stupid')), JSON.stringify(r.spans));
  assert.ok(!of('threat').some((t) => t.includes('stupid')), 'the insult is not given as the reason for the threat');
});

test('scoreBatch gives the same results as score', () => {
  const texts = ['you are a moron', 'lovely weather today', '', 'I will hurt you'];
  assert.deepEqual(clf.scoreBatch(texts), texts.map((t) => clf.score(t)));
  assert.deepEqual(clf.scoreBatch([]), []);
});

test('save -> load round trip gives identical scores', () => {
  const model = LinearModel.load(DEFAULT_MODEL_PATH);
  const again = LinearModel.fromBuffer(model.toBuffer());
  assert.deepEqual(again.meta, model.meta);
  const a = new LinearClassifier(model);
  const b = new LinearClassifier(again);
  for (const t of ['you are a f*cking idiot', 'I disagree with the mayor', 'They should all be hanged.', 'ok']) {
    assert.deepEqual(b.score(t), a.score(t));
  }
});

test('loading a missing or corrupt file fails clearly', () => {
  assert.throws(() => loadClassifier('/nonexistent/model.bin'), /ENOENT/);
  assert.throws(() => LinearModel.fromBuffer(Buffer.from('not gzip')));
  // a file cut short inside its weights (gzipped again whole, so only the model's own check can see it)
  const inflated = gunzipSync(LinearModel.load(DEFAULT_MODEL_PATH).toBuffer());
  assert.throws(() => LinearModel.fromBuffer(gzipSync(inflated.subarray(0, inflated.length - 1000))), /the model file is truncated/);
});

test('scores and spans do not depend on the texts scored before (word cache, reused buffers), on or off the int16 grid', () => {
  const texts = [
    'You are a complete idiot and everyone here knows it.',
    'the theme of the thermal theatre, the the the',
    'Idiots, idiots. IDIOTS idiot idiot! f*cking idiot',
    'Someone should put a bullet in that mayor, the idiot.',
    'x'.repeat(300) + ' idiot ' + 'y'.repeat(80),
  ];
  const shipped = LinearModel.load(DEFAULT_MODEL_PATH);
  // weights off the grid of a model file (as right after training): the scorer's exact-sums shortcut is off
  const offGrid = new LinearModel(shipped.meta, shipped.weights.map((w) => w * 1.001 + 1e-9));
  for (const model of [shipped, offGrid]) {
    const warm = new LinearClassifier(model);
    for (const t of texts) warm.score(t);
    for (const t of [...texts].reverse()) assert.deepEqual(warm.score(t), new LinearClassifier(model).score(t), t.slice(0, 40));
  }
});
