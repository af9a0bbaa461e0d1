// What the threat constructions (src/engine/threats.ts, engine v4) change on real labelled text: the shipped model
// scored with and without the stage in one process.
//   --mode holds: rows labelled non-toxic (toxic < 0.5) of the --data files that the stage newly holds (any label at
//                 or over its hold line), with their threat span; and rows it pushes over the threat reject line.
//   --mode auc:   ROC-AUC per source and label, without / with the stage (--split heldout|all, default heldout).
//   --mode dev:   the self-written dev and fresh cases (src/engine/training/threat-dev.ts): held on threat or not
//                 (session 8's SILENT_* lists: threats without a violent word or in a subordinate clause).
//   --mode negated: negated constructions' violent words kept at several shares (NEGATED_THREAT_KEEP): the negated dev
//                 cases passed (no label held), the threats with a negation elsewhere still held (among those held without
//                 the lowering), the dev threats held on threat, the dev harmless not held on threat, the scope dev sets.
//   --mode speed: scores and spans per CPU-second without / with the stage on the --data rows of 250+ characters cut to
//                 300, alternating 0.7 s slices (12 rounds) so that the host's drift hits both alike.
// node --import tsx scripts/threat-stage.ts --mode holds --data ../shared/data/sentences.csv [--data ...]
// node --import tsx scripts/threat-stage.ts --mode auc --data ../shared/data/train.csv --data ../shared/data/sentences.csv
// node --import tsx scripts/threat-stage.ts --mode dev
// node --import tsx scripts/threat-stage.ts --mode speed --data ../shared/data/civil_comments_sample.csv
import { DEFAULT_MODEL_PATH } from '../src/engine/index.js';
import { LinearClassifier } from '../src/engine/classifier.js';
import { LinearModel } from '../src/engine/model.js';
import { LABELS, type LabelScores } from '../src/engine/labels.js';
import { isHeldOut, loadCsv } from '../src/engine/training/data.js';
import { rocAuc } from '../src/engine/training/metrics.js';
import { DEV_NEGATED, DEV_NEGATED_HELD, DEV_SAFE, DEV_THREATS, FRESH_SAFE, FRESH_THREATS, SILENT_SAFE, SILENT_THREATS, BLIND8_SAFE, BLIND8_THREATS } from '../src/engine/training/threat-dev.js';
import { scopeDevSets } from '../src/engine/training/scope-dev.js';

const arg = (name: string) => process.argv.flatMap((a, i, all) => (all[i - 1] === `--${name}` ? [a] : []));
const files = arg('data');
const mode = arg('mode').at(-1) ?? 'holds';
const split = arg('split').at(-1) ?? 'heldout';
if ((files.length === 0 && mode !== 'dev' && mode !== 'negated') || !['holds', 'auc', 'dev', 'negated', 'speed'].includes(mode) || (split !== 'heldout' && split !== 'all')) {
  process.stderr.write('usage: node --import tsx scripts/threat-stage.ts --mode holds|auc --data file.csv [--data ...] [--split heldout|all] | --mode dev|negated | --mode speed --data file.csv\n');
  process.exit(2);
}
const model = LinearModel.load(DEFAULT_MODEL_PATH);
const on = new LinearClassifier(model);
const off = new LinearClassifier(model, { threatStage: false });
const th = on.thresholds;
const held = (s: LabelScores): boolean => LABELS.some((l) => s[l] >= th[l].hold);
const TOXIC = LABELS.indexOf('toxic');

if (mode === 'holds') {
  let n = 0;
  let gone = 0;
  let rejected = 0;
  const newly: string[] = [];
  for (const f of files) {
    for (const r of loadCsv(f)) {
      const tox = r.y[TOXIC] as number;
      if (Number.isNaN(tox) || tox >= 0.5) continue;
      n++;
      const a = off.scoreOnly(r.text);
      const b = on.score(r.text);
      if (!held(a) && held(b.scores)) {
        const spans = b.spans.filter((s) => s.label === 'threat').map((s) => r.text.slice(s.start, s.end));
        newly.push(`${r.id}: threat ${a.threat.toFixed(2)} -> ${b.scores.threat.toFixed(2)} [${spans.join(' | ')}] ${r.text.slice(0, 200).replace(/\s+/g, ' ')}`);
      }
      if (held(a) && !held(b.scores)) gone++;
      if (a.threat < th.threat.reject && b.scores.threat >= th.threat.reject) rejected++;
    }
  }
  process.stdout.write(`rows labelled non-toxic: ${n}; newly held by the stage: ${newly.length}; no longer held: ${gone}; newly over the threat reject line: ${rejected}\n`);
  for (const line of newly) process.stdout.write(`- ${line}\n`);
} else if (mode === 'dev') {
  const lists: ReadonlyArray<readonly [string, readonly string[], boolean]> = [
    ['dev threats', DEV_THREATS, true], ['dev safe', DEV_SAFE, false], ['fresh threats', FRESH_THREATS, true], ['fresh safe', FRESH_SAFE, false],
    ['session 8 threats', SILENT_THREATS, true], ['session 8 safe', SILENT_SAFE, false],
    ['session 8 blind threats', BLIND8_THREATS, true], ['session 8 blind safe', BLIND8_SAFE, false],
  ];
  for (const [name, texts, threat] of lists) {
    let before = 0;
    let after = 0;
    const wrong: string[] = [];
    for (const t of texts) {
      if ((off.scoreOnly(t).threat >= th.threat.hold) === threat) before++;
      const s = on.scoreOnly(t).threat;
      if ((s >= th.threat.hold) === threat) after++;
      else wrong.push(`  ${threat ? 'missed' : 'held'}: ${t} (threat ${s.toFixed(2)})`);
    }
    process.stdout.write(`${name}: decided as expected without the stage ${before}/${texts.length}, with it ${after}/${texts.length}\n${wrong.map((w) => w + '\n').join('')}`);
  }
} else if (mode === 'negated') {
  const none = new LinearClassifier(model, { negatedThreatKeep: 1 });
  const heldBy = (c: LinearClassifier, t: string): boolean => held(c.scoreOnly(t));
  const threatHeld = (c: LinearClassifier, t: string): boolean => c.scoreOnly(t).threat >= th.threat.hold;
  const stillHeld = DEV_NEGATED_HELD.filter((t) => heldBy(none, t));
  for (const k of [1, 0.5, 0.25, 0]) {
    const c = new LinearClassifier(model, { negatedThreatKeep: k });
    const cells = [
      `negated passed ${DEV_NEGATED.filter((t) => !heldBy(c, t)).length}/${DEV_NEGATED.length}`,
      `negation elsewhere still held ${stillHeld.filter((t) => heldBy(c, t)).length}/${stillHeld.length}`,
      `dev threats held on threat ${DEV_THREATS.filter((t) => threatHeld(c, t)).length}/${DEV_THREATS.length}`,
      `dev harmless not held on threat ${DEV_SAFE.filter((t) => !threatHeld(c, t)).length}/${DEV_SAFE.length}`,
      ...scopeDevSets().map((set) => `scope ${set.id} ${set.cases.filter((t) => heldBy(c, t) === (set.expect === 'hold')).length}/${set.cases.length}`),
    ];
    process.stdout.write(`keep ${k}: ${cells.join(', ')}\n`);
    if (k === 0.25) {
      for (const t of DEV_NEGATED) if (heldBy(c, t)) process.stdout.write(`  negated, still held: ${t}\n`);
      for (const t of stillHeld) if (!heldBy(c, t)) process.stdout.write(`  negation elsewhere, released: ${t}\n`);
    }
  }
  const notHeld = DEV_NEGATED_HELD.filter((t) => !heldBy(none, t));
  for (const t of notHeld) process.stdout.write(`  negation elsewhere, not held even without the lowering: ${t}\n`);
} else if (mode === 'speed') {
  const texts = files.flatMap((f) => loadCsv(f)).map((r) => r.text).filter((t) => t.length >= 250).map((t) => t.slice(0, 300)).slice(0, 2000);
  const rates: Record<'off' | 'on', number[]> = { off: [], on: [] };
  for (let round = 0; round < 12; round++) {
    for (const [k, c] of [['off', off], ['on', on]] as const) {
      const cpu = process.cpuUsage();
      const t0 = Date.now();
      let n = 0;
      while (Date.now() - t0 < 700) c.score(texts[n++ % texts.length] as string);
      const used = process.cpuUsage(cpu);
      rates[k].push(n / ((used.user + used.system) / 1e6));
    }
  }
  const bestMedian = (xs: number[]): string => {
    const s = [...xs].sort((a, b) => b - a);
    return `${Math.round(s[0] as number)} / ${Math.round(s[s.length >> 1] as number)}`;
  };
  process.stdout.write(`${texts.length} comments cut to 300 characters, per CPU-second best / median: without the stage ${bestMedian(rates.off)}, with it ${bestMedian(rates.on)}\n`);
} else {
  let rows = files.flatMap((f) => loadCsv(f));
  if (split === 'heldout') rows = rows.filter((r) => isHeldOut(r.id));
  const a = rows.map((r) => off.scoreOnly(r.text));
  const b = rows.map((r) => on.scoreOnly(r.text));
  const groups = new Map<string, number[]>([['all rows', rows.map((_, i) => i)]]);
  rows.forEach((r, i) => groups.set(r.source, [...(groups.get(r.source) ?? []), i]));
  for (const [group, idx] of groups) {
    const cells: string[] = [];
    LABELS.forEach((l, li) => {
      const ix = idx.filter((i) => !Number.isNaN(rows[i]?.y[li] as number));
      const pos = ix.map((i) => (rows[i]?.y[li] as number) >= 0.5);
      const np = pos.filter(Boolean).length;
      if (np === 0 || np === ix.length) return;
      const before = rocAuc(ix.map((i) => (a[i] as LabelScores)[l]), pos);
      const after = rocAuc(ix.map((i) => (b[i] as LabelScores)[l]), pos);
      cells.push(`${l} ${before.toFixed(4)} -> ${after.toFixed(4)} (${np})`);
    });
    process.stdout.write(`${group} (${idx.length} rows): ${cells.join(', ')}\n`);
  }
}
