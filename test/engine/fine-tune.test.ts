// Site models: the shipped model fine-tuned on a site's decisions starts from its weights, learns the site's line,
// keeps the base's scoring settings and is deterministic. Small self-written data and a tiny base model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TRAIN_OPTIONS, trainOnExamples } from '../../src/engine/training/train.js';
import { fineTuneOnExamples } from '../../src/engine/training/fine-tune.js';
import { LinearClassifier } from '../../src/engine/classifier.js';
import { LABELS, NUM_LABELS } from '../../src/engine/labels.js';
import type { Example } from '../../src/engine/training/data.js';

const y = (toxic: number, insult = toxic) => Float32Array.from(LABELS, (l) => (l === 'toxic' ? toxic : l === 'insult' ? insult : 0));
const neutral = ['the bridge repairs are late again', 'thanks for the report on the school board', 'parking downtown is hard', 'the council meets on tuesday'];
const rude = ['you are an idiot', 'what a moron you are', 'shut up you fool'];

function baseExamples(): Example[] {
  const out: Example[] = [];
  for (let i = 0; i < 120; i++) {
    const bad = i % 3 === 0;
    out.push({ id: `b${i}`, source: 'base', text: `${bad ? rude[i % rude.length] : neutral[i % neutral.length]} ${neutral[(i + 1) % neutral.length]}`, y: y(bad ? 1 : 0) });
  }
  return out;
}

/** A site whose readers call each other "muppet": its moderators reject that as an insult, which the base never saw. */
function siteExamples(): Example[] {
  const out: Example[] = [];
  for (let i = 0; i < 200; i++) {
    const bad = i % 2 === 0;
    const said = neutral[(i >> 1) % neutral.length];
    const text = bad ? `only a muppet would say ${said}` : `i would say ${said}`;
    out.push({ id: `s${i}`, source: 'site:demo', text, y: y(bad ? 1 : 0) });
  }
  return out;
}

const tinyBase = () =>
  trainOnExamples(baseExamples(), { ...DEFAULT_TRAIN_OPTIONS, files: [], dim: 1 << 12, epochs: 20, lr: 0.05, batch: 4, templates: false, log: () => {} }).model;

test('a site model starts from the base, learns the site\'s line, keeps the base\'s settings, and is deterministic', () => {
  const base = tinyBase();
  const baseCopy = Float32Array.from(base.weights);
  const muppet = 'only a muppet would say the council meets on tuesday';
  const first = fineTuneOnExamples(siteExamples(), { base, files: [], epochs: 4, lr: 0.05 });
  const second = fineTuneOnExamples(siteExamples(), { base, files: [], epochs: 4, lr: 0.05 });
  assert.deepEqual(base.weights, baseCopy, 'the base model is left as it was');
  assert.ok(first.model.toBuffer().equals(second.model.toBuffer()), 'the same rows and base give the same file');
  assert.equal(first.model.meta.training['base'], base.meta.version);
  assert.match(first.model.meta.version, /^parley-site-[0-9a-f]{8}$/);
  assert.deepEqual(first.model.meta.combine, base.meta.combine);
  assert.deepEqual(first.model.meta.spanMinWeight, base.meta.spanMinWeight);
  // Started from the base: weights of features the site never used are the base's.
  const idle = Array.from({ length: base.meta.dim * NUM_LABELS }, (_, i) => i).filter((i) => base.weights[i] !== 0 && Math.abs((first.model.weights[i] as number) - (base.weights[i] as number)) < 1e-3);
  assert.ok(idle.length > 0, 'some base weights carried over unchanged');
  // The site's word now raises insult; the base did not know it.
  const baseClf = new LinearClassifier(base);
  assert.ok(first.classifier.score(muppet).scores.insult > baseClf.score(muppet).scores.insult + 0.2, 'the site model learned the site\'s insult');
  assert.ok(first.classifier.score('you are an idiot').scores.insult > 0.5, 'and still knows the base\'s insults');
});

test('compares models per label and calibrates a hold line to a target hold rate or precision', async () => {
  const { calibrate, calibrationCurve, compareModels } = await import('../../src/engine/index.js');
  // A fake classifier: insult is the number in the text.
  const fake = (version: string) => ({
    version,
    thresholds: Object.fromEntries(LABELS.map((l) => [l, { hold: 0.5, reject: 0.9 }])) as Record<(typeof LABELS)[number], { hold: number; reject: number }>,
    score: (text: string) => ({ scores: Object.fromEntries(LABELS.map((l) => [l, l === 'insult' ? Number(text) : 0])) as Record<(typeof LABELS)[number], number>, spans: [] }),
    scoreBatch: () => [],
  });
  const none = Object.fromEntries(LABELS.map((l) => [l, null])) as Record<(typeof LABELS)[number], 0 | 1 | null>;
  // Ten rows: scores 0.05 ... 0.95; the top three are insults.
  const rows = Array.from({ length: 10 }, (_, i) => ({ id: `r${i}`, text: String((i + 0.5) / 10), labels: { ...none, insult: (i >= 7 ? 1 : 0) as 0 | 1 } }));
  const [insult] = compareModels(rows, { a: fake('a') }).filter((c) => c.label === 'insult');
  assert.equal(insult!.rows, 10);
  assert.equal(insult!.positives, 3);
  assert.equal(insult!.models.a!.rocAuc, 1);
  assert.equal(insult!.models.a!.holdRate, 0.5);
  assert.equal(compareModels(rows, { a: fake('a') }).find((c) => c.label === 'toxic')!.models.a!.rocAuc, null, 'no labelled rows: no ROC-AUC');
  const points = calibrationCurve(rows, fake('a'), 'insult');
  assert.equal(points.length, 19);
  assert.deepEqual(points.find((p) => p.threshold === 0.7), { threshold: 0.7, holdRate: 0.3, precision: 1 });
  assert.equal(calibrate(points, { holdRate: 0.3 }), 0.7);
  assert.equal(calibrate(points, { precision: 1 }), 0.7);
  assert.equal(calibrate(points, { precision: 0.75 }), 0.6);
  assert.equal(calibrate(points, { holdRate: -1 }), null);
});
