// Guard rails of the engine v4 scope stage (src/engine/scope.ts): the shipped model scored without the
// stage (engine v3's scoring) and with it, on the same rows. Per file: ROC-AUC per label on the held-out split (--split all for
// files never trained on), and the rows whose decision (any label >= its hold line) flips, among the
// rows that carry a toxic or identity_hate label, with examples.
//   node --import tsx scripts/scope-eval.ts [--scope-keep K] [--split all] [--examples N] --data file.csv [--data ...]
//   node --import tsx scripts/scope-eval.ts --dev   (the dev cases of src/engine/training/scope-dev.ts at several strengths:
//   should-pass sets: cases passed; should-hold sets: cases still held, among those held without the stage; then the whole
//   statements' fresh cases, without -> with them)
// (--scope-keep: the share kept of in-scope harmful contributions; default the shipped SCOPE_KEEP)
//   node --import tsx scripts/scope-eval.ts --negated-threats [--split all] --data file.csv ...   (the same guard rails for the
//   lowering of negated threat constructions' violent words, threats.ts / NEGATED_THREAT_KEEP, without -> with; rows labelled
//   threat count as harmful too)
//   node --import tsx scripts/scope-eval.ts --whole-statements [--split all] --data file.csv ...   (the same guard rails for the
//   whole statements that a sentence denies, condemns or quotes, scope.ts / wholeStatements, without -> with)
//   --against OLD_SRC/engine/index.ts: the "without" side is another version of the code with the same model file
//   (git archive <commit> src models | tar -x -C /tmp/old; ln -s "$PWD/node_modules" /tmp/old/node_modules)
//   --speed: instead of the guard rails, µs per comment of each file's first 4,000 rows, without and with
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LinearClassifier } from '../src/engine/classifier.js';
import { DEFAULT_MODEL_PATH, LABELS, type Label } from '../src/engine/index.js';
import { LinearModel } from '../src/engine/model.js';
import { parseArgs } from '../src/engine/training/args.js';
import { isHeldOut, loadCsv } from '../src/engine/training/data.js';
import { rocAuc } from '../src/engine/training/metrics.js';
import { scopeDevSets, scopeFreshSets } from '../src/engine/training/scope-dev.js';

const { opts } = parseArgs(process.argv.slice(2));
const files = opts.get('data') ?? [];
const all = opts.get('split')?.at(-1) === 'all';
const nEx = Number(opts.get('examples')?.at(-1) ?? 5);
const model = LinearModel.load(DEFAULT_MODEL_PATH);
const negatedThreats = opts.has('negated-threats');
const whole = opts.has('whole-statements');
/** another version of the engine code (same model file): its classifier is the "without" side */
const against = opts.get('against')?.at(-1);
interface Scorer {
  thresholds: LinearClassifier['thresholds'];
  scoreOnly(text: string): Record<Label, number>;
  score(text: string): unknown;
}
const off: Scorer = against !== undefined
  ? ((await import(pathToFileURL(resolve(against)).href)) as { loadClassifier(path: string): Scorer }).loadClassifier(DEFAULT_MODEL_PATH)
  : new LinearClassifier(model, negatedThreats ? { negatedThreatKeep: 1 } : whole ? { wholeStatements: false } : { scopeKeep: 1 });
const keep = opts.get('scope-keep')?.at(-1);
const on = new LinearClassifier(model, keep !== undefined ? { scopeKeep: Number(keep) } : {});
const stage = against !== undefined ? `code of this tree (without: ${against})` : negatedThreats ? 'negated-threat lowering' : whole ? 'whole statements' : 'scope stage';
const held = (c: Scorer, s: Record<Label, number>): boolean => LABELS.some((l) => s[l] >= c.thresholds[l].hold);
const harmful = (y: Float32Array): boolean | null => {
  const t = y[0] as number;
  const h = y[5] as number;
  const th = negatedThreats ? (y[3] as number) : NaN;
  if (Number.isNaN(t) && Number.isNaN(h) && Number.isNaN(th)) return null;
  return t >= 0.5 || h >= 0.5 || th >= 0.5;
};
if (opts.has('dev')) {
  const v3 = new LinearClassifier(model, { scopeKeep: 1 });
  const heldBy = (c: Scorer, t: string): boolean => held(c, c.scoreOnly(t));
  for (const k of [1, 0.5, 0.25, 0]) {
    const c = new LinearClassifier(model, { scopeKeep: k });
    const row = scopeDevSets().map((set) => {
      const cases = set.expect === 'hold' ? set.cases.filter((t) => heldBy(v3, t)) : set.cases;
      const ok = cases.filter((t) => heldBy(c, t) === (set.expect === 'hold')).length;
      return `${set.id} ${ok}/${cases.length}`;
    });
    console.log(`scope keep ${k}: ${row.join(', ')}`);
  }
  // every set, and the whole statements' fresh cases (written after their rules, scored once): without (no scope stage) /
  // the "without" side (--against: the other code; else without whole statements) / this code; should-hold sets: among
  // the cases held without the scope stage
  const other: Scorer = against !== undefined ? off : new LinearClassifier(model, { wholeStatements: false });
  for (const set of [...scopeDevSets(), ...scopeFreshSets()]) {
    const cases = set.expect === 'hold' ? set.cases.filter((t) => heldBy(v3, t)) : set.cases;
    const ok = (c: Scorer): number => cases.filter((t) => heldBy(c, t) === (set.expect === 'hold')).length;
    const misses = cases.filter((t) => heldBy(on, t) !== (set.expect === 'hold'));
    console.log(`${set.id}: no scope stage ${ok(v3)}/${cases.length}, ${against ?? 'without whole statements'} ${ok(other)}/${cases.length}, this code ${ok(on)}/${cases.length}; missed: ${misses.join(' | ')}`);
  }
}
const speed = opts.has('speed');
for (const f of files) {
  const rows = loadCsv(f);
  if (speed) {
    // µs per comment (scores and spans) of the first 4,000 rows, both sides alternating, best of 5
    const texts = rows.slice(0, 4000).map((r) => r.text);
    const best = { without: Infinity, with: Infinity };
    for (let round = 0; round < 5; round++) {
      for (const [side, c] of [['with', on], ['without', off]] as const) {
        const t0 = performance.now();
        for (const t of texts) c.score(t);
        best[side] = Math.min(best[side], ((performance.now() - t0) * 1000) / texts.length);
      }
    }
    console.log(`${f.replace(/^.*[\\/]/, '')} (${texts.length} rows): µs per comment without ${best.without.toFixed(1)}, with the ${stage} ${best.with.toFixed(1)} (load average ${(loadavg()[0] as number).toFixed(1)})`);
    continue;
  }
  const a = rows.map((r) => off.scoreOnly(r.text));
  const b = rows.map((r) => on.scoreOnly(r.text));
  const name = f.replace(/^.*[\\/]/, '');
  const idx = rows.map((r, i) => (all || isHeldOut(r.id) ? i : -1)).filter((i) => i >= 0);
  const auc: string[] = [];
  for (let l = 0; l < LABELS.length; l++) {
    const label = LABELS[l] as Label;
    const s0: number[] = [], s1: number[] = [], p: boolean[] = [];
    for (const i of idx) {
      const y = (rows[i] as { y: Float32Array }).y[l] as number;
      if (Number.isNaN(y)) continue;
      s0.push((a[i] as Record<Label, number>)[label]);
      s1.push((b[i] as Record<Label, number>)[label]);
      p.push(y >= 0.5);
    }
    const pos = p.filter(Boolean).length;
    if (pos < 5 || pos === p.length) continue;
    auc.push(`${label} ${rocAuc(s0, p).toFixed(4)} -> ${rocAuc(s1, p).toFixed(4)} (${pos}/${p.length})`);
  }
  console.log(`## ${name}: ${idx.length} ${all ? '' : 'held-out '}rows\nROC-AUC without -> with the ${stage}: ${auc.join('; ')}`);
  let changed = 0;
  const moved = rows.filter((_, i) => LABELS.some((l) => (a[i] as Record<Label, number>)[l] !== (b[i] as Record<Label, number>)[l])).length;
  const fixed: string[] = [], missed: string[] = [], caught: string[] = [], falseHeld: string[] = [];
  let nFixed = 0, nMissed = 0, nCaught = 0, nFalse = 0, labelled = 0, heldBefore = 0;
  rows.forEach((r, i) => {
    const hz = harmful(r.y);
    if (hz === null) return;
    labelled++;
    const h0 = held(off, a[i] as Record<Label, number>);
    const h1 = held(on, b[i] as Record<Label, number>);
    if (h0) heldBefore++;
    if (h0 === h1) return;
    changed++;
    const ex = `${r.text.slice(0, 160).replace(/\s+/g, ' ')}`;
    if (!hz && h0 && !h1) { nFixed++; if (fixed.length < nEx) fixed.push(ex); }
    else if (hz && h0 && !h1) { nMissed++; if (missed.length < nEx) missed.push(ex); }
    else if (hz) { nCaught++; if (caught.length < nEx) caught.push(ex); }
    else { nFalse++; if (falseHeld.length < nEx) falseHeld.push(ex); }
  });
  console.log(`scores changed on ${moved} of ${rows.length} rows`);
  console.log(`decisions flipped among ${labelled} rows labelled toxic or identity_hate${negatedThreats ? ' or threat' : ''} (all rows; ${heldBefore} held without the ${stage}): ${changed}; released: ${nFixed} labelled not harmful (false holds fixed), ${nMissed} labelled harmful (newly missed); newly held: ${nCaught} labelled harmful, ${nFalse} labelled not harmful (new false holds)`);
  for (const x of fixed) console.log(`  released, labelled not harmful: ${x}`);
  for (const x of missed) console.log(`  released, labelled harmful: ${x}`);
  for (const x of caught) console.log(`  newly held, labelled harmful: ${x}`);
  for (const x of falseHeld) console.log(`  newly held, labelled not harmful: ${x}`);
  console.log('');
}
