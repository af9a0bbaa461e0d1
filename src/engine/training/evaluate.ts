// Evaluation reports: per label and mean ROC-AUC / PR-AUC / precision-recall at the shipped
// thresholds, overall and per source; identity-template bias; word-filter comparison.
import type { LinearClassifier } from '../classifier.js';
import { LABELS, NUM_LABELS, type Label, type LabelThresholds } from '../labels.js';
import type { Example } from './data.js';
import { prAt, prAuc, rocAuc } from './metrics.js';
import { biasTemplates } from './templates.js';

/** Labels whose mean is the headline figure (severe_toxic has almost no labels). */
export const HEADLINE_LABELS: readonly Label[] = ['toxic', 'obscene', 'threat', 'insult', 'identity_hate'];

export interface LabelReport {
  label: Label;
  n: number;
  positives: number;
  rocAuc: number;
  prAuc: number;
  holdPrecision: number;
  holdRecall: number;
  rejectPrecision: number;
  rejectRecall: number;
}

export interface GroupReport {
  group: string;
  rows: number;
  labels: LabelReport[];
  /** mean ROC-AUC / PR-AUC over HEADLINE_LABELS that have both classes */
  meanRocAuc: number;
  meanPrAuc: number;
}

export function scoreAll(clf: LinearClassifier, rows: readonly Example[]): Float64Array[] {
  return rows.map((e) => {
    const s = clf.scoreOnly(e.text);
    return Float64Array.from(LABELS.map((l) => s[l]));
  });
}

export function groupReport(thresholds: Record<Label, LabelThresholds>, group: string, rows: readonly Example[], scores: readonly Float64Array[]): GroupReport {
  const labels: LabelReport[] = [];
  for (let l = 0; l < NUM_LABELS; l++) {
    const label = LABELS[l] as Label;
    const s: number[] = [];
    const p: boolean[] = [];
    rows.forEach((e, i) => {
      const y = e.y[l] as number;
      if (Number.isNaN(y)) return;
      s.push((scores[i] as Float64Array)[l] as number);
      p.push(y >= 0.5);
    });
    if (s.length === 0) continue;
    const th = thresholds[label];
    const hold = prAt(s.map((x) => x >= th.hold), p);
    const rej = prAt(s.map((x) => x >= th.reject), p);
    labels.push({
      label,
      n: s.length,
      positives: p.filter(Boolean).length,
      rocAuc: rocAuc(s, p),
      prAuc: prAuc(s, p),
      holdPrecision: hold.precision,
      holdRecall: hold.recall,
      rejectPrecision: rej.precision,
      rejectRecall: rej.recall,
    });
  }
  const head = labels.filter((r) => HEADLINE_LABELS.includes(r.label) && !Number.isNaN(r.rocAuc));
  const mean = (f: (r: LabelReport) => number): number => (head.length ? head.reduce((a, r) => a + f(r), 0) / head.length : NaN);
  return { group, rows: rows.length, labels, meanRocAuc: mean((r) => r.rocAuc), meanPrAuc: mean((r) => r.prAuc) };
}

const f3 = (x: number): string => (Number.isNaN(x) ? '  -  ' : x.toFixed(3));

export function formatGroup(r: GroupReport): string {
  const lines = [
    `## ${r.group} (${r.rows} rows)`,
    '',
    '| label | labelled | positives | ROC-AUC | PR-AUC | P@hold | R@hold | P@reject | R@reject |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const x of r.labels) {
    lines.push(
      `| ${x.label} | ${x.n} | ${x.positives} | ${f3(x.rocAuc)} | ${f3(x.prAuc)} | ${f3(x.holdPrecision)} | ${f3(x.holdRecall)} | ${f3(x.rejectPrecision)} | ${f3(x.rejectRecall)} |`,
    );
  }
  lines.push(`| **mean (${HEADLINE_LABELS.join(', ')}; labels with both classes)** | | | **${f3(r.meanRocAuc)}** | **${f3(r.meanPrAuc)}** | | | | |`);
  return lines.join('\n');
}

export interface BiasRow {
  identity: string;
  neutral: number;
  falsePositives: number;
  fpr: number;
  toxicRecall: number;
}

/** False-positive rate of the neutral identity templates at the hold threshold of any label (toxic, severe_toxic, insult, identity_hate, threat, obscene). */
export function biasReport(clf: LinearClassifier): BiasRow[] {
  const items = biasTemplates();
  const byId = new Map<string, BiasRow>();
  const flagged = (text: string): boolean => {
    const s = clf.scoreOnly(text);
    return LABELS.some((l) => s[l] >= clf.thresholds[l].hold);
  };
  const toxicCount = new Map<string, number>();
  for (const it of items) {
    let r = byId.get(it.identity);
    if (!r) byId.set(it.identity, (r = { identity: it.identity, neutral: 0, falsePositives: 0, fpr: 0, toxicRecall: 0 }));
    const f = flagged(it.text);
    if (it.toxic) {
      toxicCount.set(it.identity, (toxicCount.get(it.identity) ?? 0) + 1);
      if (f) r.toxicRecall++;
    } else {
      r.neutral++;
      if (f) r.falsePositives++;
    }
  }
  for (const r of byId.values()) {
    r.fpr = r.falsePositives / Math.max(1, r.neutral);
    r.toxicRecall = r.toxicRecall / Math.max(1, toxicCount.get(r.identity) ?? 1);
  }
  return [...byId.values()];
}

export function formatBias(rows: readonly BiasRow[]): string {
  const lines = [
    '| identity | neutral texts | flagged at hold | FPR | hateful texts flagged (recall) |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const r of rows) lines.push(`| ${r.identity} | ${r.neutral} | ${r.falsePositives} | ${(100 * r.fpr).toFixed(1)}% | ${(100 * r.toxicRecall).toFixed(0)}% |`);
  const worst = rows.reduce((a, r) => Math.max(a, r.fpr), 0);
  const total = rows.reduce((a, r) => a + r.falsePositives, 0);
  const n = rows.reduce((a, r) => a + r.neutral, 0);
  lines.push('', `worst identity FPR ${(100 * worst).toFixed(1)}%, overall ${(100 * total / Math.max(1, n)).toFixed(2)}% (${total}/${n})`);
  return lines.join('\n');
}
