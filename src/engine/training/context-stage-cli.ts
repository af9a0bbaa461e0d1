// npm run model:context -- --data file.csv [--data ...] [--model models/parley-toxicity.model] [--out same]
//   [--max-rows 60000] [--template-weight 3] [--l2 1] [--band low,high (logits)]
// Fits the context stage on top of a trained model (training/context-stage.ts) and saves the model with it.
import { DEFAULT_MODEL_PATH } from '../index.js';
import { LinearModel } from '../model.js';
import { parseArgs } from './args.js';
import { DEFAULT_CONTEXT_STAGE, fitContextStage } from './context-stage.js';

const { opts } = parseArgs(process.argv.slice(2));
const files = opts.get('data') ?? [];
if (files.length === 0) {
  process.stderr.write('usage: npm run model:context -- --data file.csv [--data more.csv ...] [--model path] [--out path]\n');
  process.exit(2);
}
const num = (name: string, dflt: number): number => {
  const v = opts.get(name)?.at(-1);
  return v === undefined ? dflt : Number(v);
};
const modelPath = opts.get('model')?.at(-1) ?? DEFAULT_MODEL_PATH;
const out = opts.get('out')?.at(-1) ?? modelPath;
const model = fitContextStage(LinearModel.load(modelPath), {
  files,
  maxRows: num('max-rows', DEFAULT_CONTEXT_STAGE.maxRows),
  templateWeight: num('template-weight', DEFAULT_CONTEXT_STAGE.templateWeight),
  l2: num('l2', DEFAULT_CONTEXT_STAGE.l2),
  band: opts.has('band') ? ((opts.get('band')?.at(-1) ?? '').split(',').map(Number) as [number, number]) : DEFAULT_CONTEXT_STAGE.band,
  log: (m) => process.stderr.write(`${m}\n`),
});
model.save(out);
process.stderr.write(`saved ${out} (version ${model.meta.version})\n`);
