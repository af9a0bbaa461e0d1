import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../../src/engine/training/csv.js';
import { deriveSevere, isHeldOut, loadCsv, splitGroup, type Example } from '../../src/engine/training/data.js';
import { prAuc, rocAuc, spanF1 } from '../../src/engine/training/metrics.js';
import { DEFAULT_TRAIN_OPTIONS, trainOnExamples, chooseThresholds, withinHoldCeiling } from '../../src/engine/training/train.js';
import { THREAT_FLOOR } from '../../src/engine/threats.js';
import { LinearModel } from '../../src/engine/model.js';
import { LinearClassifier } from '../../src/engine/classifier.js';
import { trainBaseline } from '../../src/engine/training/baseline.js';
import { textFeatures } from '../../src/engine/features.js';
import { NUM_LABELS } from '../../src/engine/labels.js';

const dir = mkdtempSync(join(tmpdir(), 'parley-engine-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

test('CSV: quotes, doubled quotes, newlines and commas inside fields', () => {
  const rows = parseCsv('a,b\r\n"x, ""y""","line1\nline2"\n3,\n');
  assert.deepEqual(rows, [['a', 'b'], ['x, "y"', 'line1\nline2'], ['3', '']]);
});

test('loadCsv: empty label cells are missing (NaN), soft labels kept, comment_text accepted', () => {
  const p = join(dir, 'a.csv');
  writeFileSync(p, 'id,comment_text,toxic,insult\n1,hello there,0,\n2,"you, fool",0.667,1\n3,bad,7,-1\n');
  const rows = loadCsv(p);
  assert.equal(rows.length, 3);
  assert.equal(rows[0]?.text, 'hello there');
  assert.equal(rows[0]?.y[0], 0);
  assert.ok(Number.isNaN(rows[0]?.y[4] as number), 'empty insult is missing');
  assert.ok(Number.isNaN(rows[0]?.y[2] as number), 'absent obscene column is missing');
  assert.ok(Math.abs((rows[1]?.y[0] as number) - 0.667) < 1e-6);
  assert.equal(rows[2]?.y[0], 1, 'clamped to [0,1]');
  assert.equal(rows[2]?.y[4], 0);
  assert.equal(rows[0]?.source, 'a', 'source falls back to the file name');
  const q = join(dir, 'b.csv');
  writeFileSync(q, 'id,body\n1,x\n');
  assert.throws(() => loadCsv(q), /text/);
});

test('held-out split is stable and keeps a post with its sentences', () => {
  assert.equal(splitGroup('cc-123'), splitGroup('cs-123-4'));
  assert.notEqual(splitGroup('cc-123'), splitGroup('cc-124'));
  let held = 0;
  for (let i = 0; i < 2000; i++) {
    assert.equal(isHeldOut(`cc-${i}`), isHeldOut(`cs-${i}-0`));
    if (isHeldOut(`row-${i}`)) held++;
  }
  assert.ok(held > 140 && held < 260, `${held} of 2000 held out`);
});

test('severe_toxic is derived only when it can be', () => {
  const y = new Float32Array([1, NaN, 1, 0, 1, 0]);
  deriveSevere(y);
  assert.equal(y[1], 1, 'toxic + obscene + insult');
  const z = new Float32Array([1, NaN, 0, 1, 0, 0]);
  deriveSevere(z);
  assert.equal(z[1], 0, 'a threat alone is not severe');
  const m = new Float32Array([1, NaN, NaN, NaN, NaN, 1]);
  deriveSevere(m);
  assert.ok(Number.isNaN(m[1] as number), 'not derivable: stays missing');
  const k = new Float32Array([0, 0.5, 1, 1, 1, 1]);
  deriveSevere(k);
  assert.equal(k[1], 0.5, 'a real label is kept');
});

test('metrics: ROC-AUC, PR-AUC and span F1 on hand-checked cases', () => {
  assert.equal(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]), 0.75);
  assert.equal(rocAuc([1, 1], [true, false]), 0.5);
  assert.ok(Number.isNaN(rocAuc([1, 2], [true, true])));
  assert.equal(prAuc([0.9, 0.8, 0.7], [true, false, true]), (1 / 2) * 1 + (1 / 2) * (2 / 3));
  assert.equal(spanF1(new Set([1, 2, 3, 4]), new Set([3, 4, 5, 6])), 0.5);
  assert.equal(spanF1(new Set(), new Set()), 1);
  assert.equal(spanF1(new Set([1]), new Set()), 0);
});

test('thresholds: hold maximises F1, reject needs high precision', () => {
  const scores = [0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.9, 0.92, 0.93, 0.94, 0.96, 0.97, 0.98, 0.99];
  const pos = [true, true, true, true, false, true, false, false, false, false, false, false, true, true, true, true, true, true, true, true];
  const t = chooseThresholds(scores, pos);
  assert.equal(t.hold, 0.6);
  assert.ok(t.reject >= 0.8 && t.reject <= 0.9, String(t.reject));
});

test('thresholds: a threat hold line chosen above the threat constructions\' lowest floor is lowered to it', () => {
  const lines: string[] = [];
  const floorScore = Math.min(...Object.values(THREAT_FLOOR).map((z) => 1 / (1 + Math.exp(-z))));
  const capped = withinHoldCeiling('threat', { hold: 0.81, reject: 0.95 }, (line) => lines.push(line));
  assert.ok(capped.hold <= floorScore && capped.hold > floorScore - 1e-4, String(capped.hold));
  assert.equal(capped.reject, 0.95);
  assert.equal(lines.length, 1);
  // under the ceiling, and for every other label, the chosen lines stand
  assert.deepEqual(withinHoldCeiling('threat', { hold: 0.6, reject: 0.9 }, (line) => lines.push(line)), { hold: 0.6, reject: 0.9 });
  assert.deepEqual(withinHoldCeiling('toxic', { hold: 0.81, reject: 0.95 }, (line) => lines.push(line)), { hold: 0.81, reject: 0.95 });
  assert.equal(lines.length, 1);
});

// A tiny corpus written for this test. "zorp" rows say nothing about toxic in one variant.
function corpus(zorpToxic: number): Example[] {
  const rows: Example[] = [];
  const mk = (id: string, text: string, toxic: number, obscene: number): Example => ({
    id,
    source: 'test',
    text,
    y: new Float32Array([toxic, NaN, obscene, NaN, NaN, NaN]),
  });
  for (let i = 0; i < 30; i++) {
    rows.push(mk(`g${i}`, `what a lovely garden number ${i}`, 0, 0));
    rows.push(mk(`b${i}`, `you rotten scoundrel number ${i}`, 1, 0));
    rows.push(mk(`m${i}`, `meh meh meh ${i}`, 0.3, 0));
    rows.push(mk(`z${i}`, `zorp zorp ${i}`, zorpToxic, 1));
  }
  return rows.filter((r) => !isHeldOut(r.id));
}

const tiny = { ...DEFAULT_TRAIN_OPTIONS, files: [], dim: 1 << 12, epochs: 40, lr: 0.05, batch: 4, templates: false, log: () => {} };

test('training honours soft labels, masks missing labels, and is deterministic', () => {
  const masked = trainOnExamples(corpus(NaN), tiny).classifier;
  const zeroed = trainOnExamples(corpus(0), tiny).classifier;
  const again = trainOnExamples(corpus(NaN), tiny).classifier;
  const good = masked.score('what a lovely garden').scores.toxic;
  const bad = masked.score('you rotten scoundrel').scores.toxic;
  const meh = masked.score('meh meh meh').scores.toxic;
  assert.ok(bad > 0.8 && good < 0.2, `bad ${bad}, good ${good}`);
  assert.ok(meh > 0.15 && meh < 0.5, `soft label 0.3 learned as ${meh}`);
  // a missing label is not read as 0
  const zm = masked.score('zorp zorp').scores.toxic;
  const zz = zeroed.score('zorp zorp').scores.toxic;
  assert.ok(zm > zz + 0.1, `masked ${zm} vs zero ${zz}`);
  assert.ok(masked.score('zorp zorp').scores.obscene > 0.8);
  assert.deepEqual(Array.from(again.model.weights), Array.from(masked.model.weights));
  assert.equal(again.version, masked.version);
});

test('a trained model survives save and load with identical scores', () => {
  const { model, classifier } = trainOnExamples(corpus(NaN), tiny);
  const p = join(dir, 'tiny.model');
  model.save(p);
  const loaded = new LinearClassifier(LinearModel.load(p));
  for (const t of ['you rotten scoundrel', 'meh', 'zorp', 'lovely garden', '']) assert.deepEqual(loaded.score(t), classifier.score(t));
});

test('the TF-IDF baseline learns from its training rows and only from labelled ones', () => {
  const rows = corpus(NaN);
  const baseline = trainBaseline(rows);
  const toxic = (t: string): number => baseline.score(t)[0] as number;
  assert.ok(toxic('you rotten scoundrel') > toxic('what a lovely garden') + 0.3, `${toxic('you rotten scoundrel')} vs ${toxic('what a lovely garden')}`);
  // obscene is labelled 1 only on "zorp" rows; severe_toxic is never labelled, so it scores 0
  assert.ok((baseline.score('zorp zorp')[2] as number) > (baseline.score('lovely garden')[2] as number));
  assert.equal(baseline.score('zorp zorp')[1], 0);
});

test('scoring sees exactly the features training saw, identity conjunctions included', () => {
  const rows = corpus(NaN);
  for (let i = 0; i < 10; i++) rows.push({ id: `i${i}`, source: 'test', text: `those immigrants are rotten scoundrels ${i}`, y: new Float32Array([1, NaN, 0, NaN, NaN, 1]) });
  const { model, classifier } = trainOnExamples(rows, { ...tiny, identityConj: true });
  const D = model.meta.dim;
  for (const text of ['Those immigrants are rotten scoundrels. What a lovely garden!', 'you rotten scoundrel', 'meh. Muslim garden, meh meh', '']) {
    const f = textFeatures(text, D, false, true);
    const whole = classifier.raw(text).whole;
    for (let l = 0; l < NUM_LABELS; l++) {
      let z = model.meta.bias[l] as number;
      for (let k = 0; k < f.index.length; k++) z += (f.value[k] as number) * (model.weights[(f.index[k] as number) * NUM_LABELS + l] as number);
      assert.ok(Math.abs(z - (whole[l] as number)) < 1e-6, `${text} label ${l}: training ${z}, scoring ${whole[l]}`);
    }
  }
  // a word gets its conjunction feature only in a sentence that names a group
  const count = (text: string, conj: boolean): number => textFeatures(text, D, false, conj).index.length;
  assert.ok(count('those immigrants are here', true) > count('those immigrants are here', false));
  assert.equal(count('those people are here', true), count('those people are here', false));
});
