// Comparing models on a site's own decisions: ROC-AUC and hold rate per label, and the curve a site's thresholds
// are calibrated on. Rows are a site's labelled decisions; only those of the held-out split (the rows a site model
// never trains on, training/data.ts) are scored.
import { LABELS, type Classifier, type Label } from './labels.js';
import { isHeldOut } from './training/data.js';
import { rocAuc } from './training/metrics.js';

/** A labelled decision: per label 1, 0, or null when the decision says nothing about it. */
export interface LabelledRow {
  id: string;
  text: string;
  labels: Record<Label, 0 | 1 | null>;
}

export interface ModelFigures {
  /** null when the rows hold no positive or no negative of the label. */
  rocAuc: number | null;
  /** Share of the rows at or over the model's hold line for the label. */
  holdRate: number;
  hold: number;
}

export interface LabelComparison {
  label: Label;
  /** Rows that say something about the label, and how many of them say it applies. */
  rows: number;
  positives: number;
  models: Record<string, ModelFigures>;
}

/** The rows of the held-out split: those a site model trained on its decisions has not seen. */
export function heldOutRows<T extends { id: string }>(rows: readonly T[]): T[] {
  return rows.filter((r) => isHeldOut(r.id));
}

/** Each model's figures per label on these rows (score them once per model). */
export function compareModels(rows: readonly LabelledRow[], models: Readonly<Record<string, Classifier>>): LabelComparison[] {
  const scored = Object.fromEntries(Object.entries(models).map(([name, clf]) => [name, rows.map((r) => clf.score(r.text).scores)]));
  return LABELS.map((label) => {
    const idx = rows.flatMap((r, i) => (r.labels[label] === null ? [] : [i]));
    const truth = idx.map((i) => rows[i]!.labels[label] === 1);
    const positives = truth.filter(Boolean).length;
    const both = positives > 0 && positives < truth.length;
    const figures: Record<string, ModelFigures> = {};
    for (const [name, clf] of Object.entries(models)) {
      const scores = idx.map((i) => scored[name]![i]![label]);
      const hold = clf.thresholds[label].hold;
      figures[name] = {
        rocAuc: both ? Math.round(rocAuc(scores, truth) * 1e4) / 1e4 : null,
        holdRate: scores.length ? Math.round((scores.filter((s) => s >= hold).length / scores.length) * 1e4) / 1e4 : 0,
        hold,
      };
    }
    return { label, rows: idx.length, positives, models: figures };
  });
}

export interface CurvePoint {
  threshold: number;
  /** Share of the labelled rows at or over the threshold. */
  holdRate: number;
  /** Share of those that the decisions say the label applies to; null when none is over it. */
  precision: number | null;
}

/** Hold rate and precision of one label at thresholds 0.05, 0.10, ... 0.95: the curve a site calibrates a threshold on. */
export function calibrationCurve(rows: readonly LabelledRow[], clf: Classifier, label: Label): CurvePoint[] {
  const labelled = rows.filter((r) => r.labels[label] !== null);
  const scored = labelled.map((r) => ({ score: clf.score(r.text).scores[label], positive: r.labels[label] === 1 }));
  const points: CurvePoint[] = [];
  for (let k = 1; k <= 19; k++) {
    const threshold = k / 20;
    const over = scored.filter((s) => s.score >= threshold);
    points.push({
      threshold,
      holdRate: scored.length ? Math.round((over.length / scored.length) * 1e4) / 1e4 : 0,
      precision: over.length ? Math.round((over.filter((s) => s.positive).length / over.length) * 1e4) / 1e4 : null,
    });
  }
  return points;
}

/**
 * The lowest threshold on the curve whose hold rate is at most `holdRate`, or whose precision is at least `precision`:
 * a site's hold line for a target. null when no point meets it.
 */
export function calibrate(points: readonly CurvePoint[], target: { holdRate?: number; precision?: number }): number | null {
  for (const p of points) {
    if (target.holdRate !== undefined && p.holdRate <= target.holdRate) return p.threshold;
    if (target.precision !== undefined && p.precision !== null && p.precision >= target.precision) return p.threshold;
  }
  return null;
}
