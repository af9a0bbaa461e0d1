// Does a site model beat the shipped model on its own source? For each file: fine-tune the shipped model
// (src/engine/training/fine-tune.ts, as `parley model train --base shipped` does) on N rows of the file that are not in
// the held-out split, then score the file's held-out rows (which neither model trained on) with both.
// node --import tsx scripts/site-model.ts --rows 2000 --data ../shared/data/toxigen_annotated.csv [--data ...] [--epochs N] [--lr X]
import { loadClassifier, DEFAULT_MODEL_PATH } from '../src/engine/index.js';
import { LinearModel } from '../src/engine/model.js';
import { LABELS } from '../src/engine/labels.js';
import { cleanForTraining, deriveSevere, fnv1a, isHeldOut, loadCsv, type Example } from '../src/engine/training/data.js';
import { fineTuneOnExamples } from '../src/engine/training/fine-tune.js';
import { rocAuc } from '../src/engine/training/metrics.js';

const arg = (name: string) => process.argv.flatMap((a, i, all) => (all[i - 1] === `--${name}` ? [a] : []));
const files = arg('data');
const rows = Number(arg('rows').at(-1) ?? 2000);
const epochs = arg('epochs').length ? Number(arg('epochs').at(-1)) : undefined;
const lr = arg('lr').length ? Number(arg('lr').at(-1)) : undefined;
if (files.length === 0 || !Number.isInteger(rows) || rows < 1) {
  process.stderr.write('usage: node --import tsx scripts/site-model.ts --rows 2000 --data file.csv [--data more.csv]\n');
  process.exit(2);
}

const shipped = loadClassifier();
const base = LinearModel.load(DEFAULT_MODEL_PATH);
for (const file of files) {
  const all: Example[] = loadCsv(file).flatMap((e) => {
    const text = cleanForTraining(e.text);
    if (!text) return [];
    deriveSevere(e.y);
    return [{ ...e, text }];
  });
  const heldOut = all.filter((e) => isHeldOut(e.id));
  // N training rows, picked by a stable hash of their id: the same rows on every run.
  const pool = all.filter((e) => !isHeldOut(e.id)).sort((a, b) => fnv1a(`site:${a.id}`) - fnv1a(`site:${b.id}`) || (a.id < b.id ? -1 : 1));
  const picked = pool.slice(0, rows);
  const t0 = Date.now();
  const site = fineTuneOnExamples(picked, { base, files: [file], ...(epochs ? { epochs } : {}), ...(lr ? { lr } : {}) }).classifier;
  const seconds = (Date.now() - t0) / 1000;
  const source = all[0]?.source ?? file;
  const lines: string[] = [];
  for (const [i, label] of LABELS.entries()) {
    const labelled = heldOut.filter((e) => !Number.isNaN(e.y[i] as number));
    const truth = labelled.map((e) => (e.y[i] as number) >= 0.5);
    const positives = truth.filter(Boolean).length;
    if (positives < 5 || labelled.length - positives < 5) continue;
    const a = rocAuc(labelled.map((e) => shipped.score(e.text).scores[label]), truth);
    const b = rocAuc(labelled.map((e) => site.score(e.text).scores[label]), truth);
    lines.push(`| ${source} | ${label} | ${labelled.length} (${positives} positive) | ${a.toFixed(3)} | ${b.toFixed(3)} | ${b - a >= 0 ? '+' : ''}${(b - a).toFixed(3)} |`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stderr.write(`${source}: trained on ${picked.length} rows in ${seconds.toFixed(1)} s\n`);
}
