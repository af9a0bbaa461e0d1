// npm run model:eval -- --data file.csv [--data more.csv ...] [--split heldout|all] [--model path]
//   [--spans spans.jsonl] [--bias] [--compare] [--baseline [--baseline-data file.csv ...]]
//   [--functional [--failures N]]
// --functional reports the self-written functional suite (functional.ts) per function at the hold thresholds.
// --split heldout (default) keeps only the rows of the stable held-out split (never trained on);
// use --split all for files the model was not trained on. --baseline also trains the TF-IDF logistic
// regression baseline on the rows outside the held-out split of --baseline-data (default: the --data
// files) and reports it on the same rows.
import { LinearClassifier } from '../classifier.js';
import { DEFAULT_MODEL_PATH } from '../index.js';
import { LinearModel } from '../model.js';
import { LABELS, type Label, type LabelThresholds } from '../labels.js';
import { parseArgs } from './args.js';
import { compareWordFilters } from './compare.js';
import { isHeldOut, loadCsv, type Example } from './data.js';
import { trainBaseline } from './baseline.js';
import { biasReport, formatBias, formatGroup, groupReport, HEADLINE_LABELS, scoreAll } from './evaluate.js';
import { loadSpans, meanSpanF1 } from './spans.js';
import { formatFunctional, runFunctional } from './functional.js';

const { opts } = parseArgs(process.argv.slice(2));
const files = opts.get('data') ?? [];
const modelPath = opts.get('model')?.at(-1) ?? DEFAULT_MODEL_PATH;
const split = opts.get('split')?.at(-1) ?? 'heldout';
if (split !== 'heldout' && split !== 'all') {
  process.stderr.write('--split must be heldout or all\n');
  process.exit(2);
}
const spansFile = opts.get('spans')?.at(-1);
if (files.length === 0 && !spansFile && !opts.has('bias') && !opts.has('functional')) {
  process.stderr.write('usage: npm run model:eval -- --data file.csv [--data ...] [--split heldout|all] [--model path] [--spans spans.jsonl] [--bias] [--compare] [--functional [--failures N]]\n');
  process.exit(2);
}
const t0 = Date.now();
const model = LinearModel.load(modelPath);
const clf = new LinearClassifier(model);
const out: string[] = [`# Parley model ${model.meta.version} (${modelPath.replace(/^.*[\\/]/, '')})`, ''];
out.push('thresholds: ' + Object.entries(clf.thresholds).map(([l, t]) => `${l} hold ${t.hold} / reject ${t.reject}`).join('; '), '');

if (files.length > 0) {
  let rows: Example[] = [];
  for (const f of files) rows.push(...loadCsv(f));
  if (split === 'heldout') rows = rows.filter((r) => isHeldOut(r.id));
  const scores = scoreAll(clf, rows);
  out.push(`split: ${split}; files: ${files.map((f) => f.replace(/^.*[\\/]/, '')).join(', ')}`, '');
  out.push(formatGroup(groupReport(clf.thresholds, 'all rows', rows, scores)), '');
  const sources = [...new Set(rows.map((r) => r.source))];
  for (const s of sources) {
    const idx = rows.map((r, i) => (r.source === s ? i : -1)).filter((i) => i >= 0);
    out.push(formatGroup(groupReport(clf.thresholds, `source ${s}`, idx.map((i) => rows[i] as Example), idx.map((i) => scores[i] as Float64Array))), '');
  }
  if (opts.has('baseline')) {
    const trainFiles = opts.get('baseline-data') ?? files;
    const trainRows = trainFiles.flatMap((f) => loadCsv(f)).filter((r) => !isHeldOut(r.id));
    const baseline = trainBaseline(trainRows);
    const names = trainFiles.map((f) => f.replace(/^.*[\\/]/, '')).join(', ');
    const half = Object.fromEntries(LABELS.map((l) => [l, { hold: 0.5, reject: 0.5 }])) as Record<Label, LabelThresholds>;
    const report = groupReport(half, `TF-IDF baseline trained on ${trainRows.length} rows of ${names} (P/R at 0.5)`, rows, rows.map((r) => baseline.score(r.text)));
    out.push(formatGroup(report), '');
  }
  if (opts.has('compare')) {
    out.push('## Word filters on the same rows', '', compareWordFilters(clf, rows, scores, HEADLINE_LABELS), '');
  }
}
if (spansFile) {
  let rows = loadSpans(spansFile);
  if (split === 'heldout') rows = rows.filter((r) => isHeldOut(r.id));
  out.push(`## Spans: mean character-level F1 vs majority spans (SemEval-2021 Task 5), ${rows.length} ${split} rows: ${meanSpanF1(clf, rows).toFixed(4)}`, '');
}
if (opts.has('bias')) {
  out.push('## Identity templates (neutral mentions; flagged = any label >= its hold threshold)', '', formatBias(biasReport(clf)), '');
}
if (opts.has('functional')) {
  const nFail = Number(opts.get('failures')?.at(-1) ?? 0);
  out.push('## Functional suite (held = a label of the function >= its hold threshold)', '', formatFunctional(runFunctional((t) => clf.scoreOnly(t), clf.thresholds), nFail), '');
}
out.push(`(${((Date.now() - t0) / 1000).toFixed(1)} s)`);
process.stdout.write(out.join('\n') + '\n');
