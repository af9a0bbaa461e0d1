// parley model train --base shipped|path.model --data file.csv [--data more.csv] [--out path.model] [--epochs 3] [--lr 0.001] [--seed N]
// Fine-tunes a site model from the base model's weights on the rows of the CSV files (the format of
// `parley model export-decisions`), and prints its held-out figures next to the base model's.
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DEFAULT_MODEL_PATH } from '../engine/index.js';
import { LinearModel } from '../engine/model.js';
import { LinearClassifier } from '../engine/classifier.js';
import { fineTune } from '../engine/training/fine-tune.js';
import { LABELS } from '../engine/labels.js';
import { rocAuc } from '../engine/training/metrics.js';

const USAGE = 'usage: parley model train --base shipped|path.model --data file.csv [--data more.csv] [--out path.model] [--epochs N] [--lr X] [--seed N]\n';

export async function train(args: string[]): Promise<number> {
  const values = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = args[i + 1];
    if (!a.startsWith('--') || next === undefined || next.startsWith('--')) {
      process.stderr.write(USAGE);
      return 2;
    }
    values.set(a.slice(2), [...(values.get(a.slice(2)) ?? []), next]);
    i++;
  }
  const one = (name: string) => values.get(name)?.at(-1);
  const files = values.get('data') ?? [];
  const baseName = one('base');
  const num = (name: string) => (one(name) === undefined ? undefined : Number(one(name)));
  const epochs = num('epochs');
  const lr = num('lr');
  const seed = num('seed');
  const bad = (x: number | undefined, ok: (x: number) => boolean) => x !== undefined && !(Number.isFinite(x) && ok(x));
  if (!baseName || files.length === 0 || bad(epochs, (x) => Number.isInteger(x) && x >= 1 && x <= 50) || bad(lr, (x) => x > 0 && x < 1) || bad(seed, Number.isInteger)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const out = one('out') ?? join('models', 'sites', `${basename(files[0]!).replace(/\.csv$/i, '')}.model`);
  let base: LinearModel;
  try {
    base = LinearModel.load(baseName === 'shipped' ? DEFAULT_MODEL_PATH : baseName);
  } catch (error) {
    process.stderr.write(`cannot read the base model ${baseName}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const baseVersion = base.meta.version;
  // Fine-tuning copies the base's weights and leaves the base as it is, to score the held-out rows as the base model.
  const shipped = new LinearClassifier(base);
  let result;
  try {
    result = fineTune({
      base,
      files,
      ...(epochs !== undefined ? { epochs } : {}),
      ...(lr !== undefined ? { lr } : {}),
      ...(seed !== undefined ? { seed } : {}),
      log: (m) => process.stderr.write(`${m}\n`),
    });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  mkdirSync(dirname(out), { recursive: true });
  result.model.save(out);
  // Held-out ROC-AUC per label, base and site model, on the rows kept out of training.
  const lines: string[] = [];
  for (const [i, label] of LABELS.entries()) {
    const rows = result.val.filter((e) => !Number.isNaN(e.y[i] as number));
    const truth = rows.map((e) => (e.y[i] as number) >= 0.5);
    const positives = truth.filter(Boolean).length;
    if (positives === 0 || positives === rows.length) continue;
    const a = rocAuc(rows.map((e) => shipped.score(e.text).scores[label]), truth);
    const b = rocAuc(rows.map((e) => result.classifier.score(e.text).scores[label]), truth);
    lines.push(`  ${label}: base ${a.toFixed(3)}, site ${b.toFixed(3)} (${positives} positives in ${rows.length})`);
  }
  process.stderr.write(`held-out ROC-AUC (${result.val.length} rows):\n${lines.join('\n') || '  too few held-out rows of both kinds'}\n`);
  process.stdout.write(`saved ${out} (version ${result.model.meta.version}, from ${baseVersion}, ${result.train.length} training rows)\n`);
  return 0;
}
