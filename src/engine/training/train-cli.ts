// npm run model:train -- --data ../shared/data/train.csv [--data more.csv ...] [--spans spans.jsonl]
//   [--out models/parley-toxicity.model] [--dim 1048576] [--epochs 4] [--lr 0.005] [--sample 1] [--no-templates]
//   [--source-bias false] [--source-weight source=multiplier ...] [--mask source:label,label ...] [--trigrams]
//   [--identity-conj false] [--segment-floor false] [--context-templates none|identity|all] [--augment-evasions]
import { DEFAULT_MODEL_PATH } from '../index.js';
import { parseArgs } from './args.js';
import type { Label } from '../labels.js';
import { DEFAULT_TRAIN_OPTIONS, train } from './train.js';

const { opts } = parseArgs(process.argv.slice(2));
const files = opts.get('data') ?? [];
if (files.length === 0) {
  process.stderr.write('usage: npm run model:train -- --data file.csv [--data more.csv ...] [--spans spans.jsonl] [--out path]\n');
  process.exit(2);
}
const num = (name: string, dflt: number): number => {
  const v = opts.get(name)?.at(-1);
  return v === undefined ? dflt : Number(v);
};
const out = opts.get('out')?.at(-1) ?? DEFAULT_MODEL_PATH;
const context = opts.get('context-templates')?.at(-1) ?? DEFAULT_TRAIN_OPTIONS.contextTemplates;
if (context !== 'none' && context !== 'identity' && context !== 'all') {
  process.stderr.write('--context-templates must be none, identity or all\n');
  process.exit(2);
}
const spansFile = opts.get('spans')?.at(-1);
const result = train({
  ...DEFAULT_TRAIN_OPTIONS,
  files,
  ...(spansFile ? { spansFile } : {}),
  dim: num('dim', DEFAULT_TRAIN_OPTIONS.dim),
  epochs: num('epochs', DEFAULT_TRAIN_OPTIONS.epochs),
  lr: num('lr', DEFAULT_TRAIN_OPTIONS.lr),
  batch: num('batch', DEFAULT_TRAIN_OPTIONS.batch),
  weightDecay: num('weight-decay', DEFAULT_TRAIN_OPTIONS.weightDecay),
  seed: num('seed', DEFAULT_TRAIN_OPTIONS.seed),
  sample: num('sample', DEFAULT_TRAIN_OPTIONS.sample),
  templates: !opts.has('no-templates'),
  contextTemplates: context,
  maskLabels: Object.fromEntries(
    (opts.get('mask') ?? []).map((kv) => [kv.split(':')[0] as string, (kv.split(':')[1] ?? '').split(',') as Label[]]),
  ),
  trigrams: opts.has('trigrams') ? opts.get('trigrams')?.at(-1) !== 'false' : DEFAULT_TRAIN_OPTIONS.trigrams,
  sourceBias: opts.has('source-bias') ? opts.get('source-bias')?.at(-1) !== 'false' : DEFAULT_TRAIN_OPTIONS.sourceBias,
  sourceMultiplier: {
    ...DEFAULT_TRAIN_OPTIONS.sourceMultiplier,
    ...Object.fromEntries((opts.get('source-weight') ?? []).map((kv) => [kv.split('=')[0] as string, Number(kv.split('=')[1])])),
  },
  identityConj: opts.has('identity-conj') ? opts.get('identity-conj')?.at(-1) !== 'false' : DEFAULT_TRAIN_OPTIONS.identityConj,
  augmentEvasions: opts.has('augment-evasions') ? opts.get('augment-evasions')?.at(-1) !== 'false' : DEFAULT_TRAIN_OPTIONS.augmentEvasions,
  segmentFloor: opts.has('segment-floor') ? opts.get('segment-floor')?.at(-1) !== 'false' : DEFAULT_TRAIN_OPTIONS.segmentFloor,
  log: (m) => process.stderr.write(`${m}\n`),
});
result.model.save(out);
process.stderr.write(`saved ${out} (version ${result.model.meta.version})\n`);
