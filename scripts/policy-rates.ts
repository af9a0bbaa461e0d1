// What the default moderation policy does to the held-out split of labelled data: the share of comments
// it publishes, holds and rejects, and the share of truly toxic comments (toxic >= 0.5) it publishes.
// node --import tsx scripts/policy-rates.ts --data ../shared/data/train.csv --data ../shared/data/sentences.csv
import { loadClassifier } from '../src/engine/index.js';
import { isHeldOut, loadCsv } from '../src/engine/training/data.js';
import { ModerationStep } from '../src/moderation/step.js';
import { DEFAULT_POLICY, withRejectLines } from '../src/moderation/policy.js';
import { LABELS, type Label } from '../src/moderation/labels.js';

const files = process.argv.flatMap((arg, i, all) => (all[i - 1] === '--data' ? [arg] : []));
if (files.length === 0) {
  process.stderr.write('usage: node --import tsx scripts/policy-rates.ts --data file.csv [--data more.csv ...]\n');
  process.exit(2);
}

interface Tally {
  rows: number;
  published: number;
  pending: number;
  rejected: number;
  toxic: number;
  toxicPublished: number;
  clean: number;
  cleanHeldOrRejected: number;
}
const empty = (): Tally => ({ rows: 0, published: 0, pending: 0, rejected: 0, toxic: 0, toxicPublished: 0, clean: 0, cleanHeldOrRejected: 0 });

// As the server moderates: the shipped model with the newsroom's reject lines (src/moderation/policy.ts).
const step = new ModerationStep(withRejectLines(loadClassifier()));
/** Per label, over the rows that carry it: how often the decision names it, rejecting or holding, and on which rows. */
interface LabelTally {
  rows: number;
  positives: number;
  rejected: number;
  rejectedPositive: number;
  held: number;
  heldPositive: number;
}
const byLabel = new Map<Label, LabelTally>(LABELS.map((l) => [l, { rows: 0, positives: 0, rejected: 0, rejectedPositive: 0, held: 0, heldPositive: 0 }]));
const bySource = new Map<string, Tally>();
const all = empty();
for (const file of files) {
  for (const row of loadCsv(file)) {
    if (!isHeldOut(row.id)) continue;
    const decision = step.decide(row.text, DEFAULT_POLICY);
    const toxic = row.y[0]!;
    LABELS.forEach((label, i) => {
      const y = row.y[i]!;
      if (Number.isNaN(y)) return;
      const t = byLabel.get(label)!;
      const positive = y >= 0.5;
      t.rows++;
      if (positive) t.positives++;
      const named = decision.reasons.find((r) => r.label === label);
      if (named?.code === 'classifier_reject') {
        t.rejected++;
        if (positive) t.rejectedPositive++;
      } else if (named?.code === 'classifier_hold') {
        t.held++;
        if (positive) t.heldPositive++;
      }
    });
    for (const tally of [all, bySource.get(row.source) ?? bySource.set(row.source, empty()).get(row.source)!]) {
      tally.rows++;
      tally[decision.status]++;
      if (toxic >= 0.5) {
        tally.toxic++;
        if (decision.status === 'published') tally.toxicPublished++;
      } else if (toxic < 0.5) {
        tally.clean++;
        if (decision.status !== 'published') tally.cleanHeldOrRejected++;
      }
    }
  }
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : '—');
const line = (name: string, t: Tally) =>
  `| ${name} | ${t.rows} | ${pct(t.published, t.rows)} | ${pct(t.pending, t.rows)} | ${pct(t.rejected, t.rows)} | ${pct(t.toxicPublished, t.toxic)} (${t.toxicPublished}/${t.toxic}) | ${pct(t.cleanHeldOrRejected, t.clean)} (${t.cleanHeldOrRejected}/${t.clean}) |`;
console.log('| held-out rows | n | published | held | rejected | toxic rows published | non-toxic rows held or rejected |');
console.log('|---|---|---|---|---|---|---|');
for (const [source, tally] of [...bySource].sort()) console.log(line(source, tally));
console.log(line('all', all));

console.log('');
console.log('| label | reject line | hold line | labelled rows | positives | rejected for it | precision | recall | held for it | precision |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
const lines = step.shippedThresholds!;
for (const [label, t] of byLabel) {
  if (t.rows === 0) continue;
  console.log(
    `| ${label} | ${lines[label].reject.toFixed(3)} | ${lines[label].hold.toFixed(3)} | ${t.rows} | ${t.positives} | ${pct(t.rejected, t.rows)} (${t.rejected}) | ${pct(t.rejectedPositive, t.rejected)} | ${pct(t.rejectedPositive, t.positives)} | ${pct(t.held, t.rows)} (${t.held}) | ${pct(t.heldPositive, t.held)} |`,
  );
}
