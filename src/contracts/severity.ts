// How urgent a held comment is: a rank per label, so that the pending queue shows threats and calls for violence
// before insults and profanity, whatever their scores. Plain values, no TypeBox: storage (the queue's order and its
// migration), the moderation core and the console share them.
import type { Label } from '../engine/labels.js';

/** Each label's severity rank: higher ranks come first in the pending queue. 0 is left for "no label flagged". */
export const LABEL_SEVERITY: Readonly<Record<Label, number>> = {
  threat: 6,
  identity_hate: 5,
  severe_toxic: 4,
  insult: 3,
  toxic: 2,
  obscene: 1,
};

export interface Severity {
  /** The rank of the most severe flagged label, 0 when no label was flagged (held for links, words, pre-moderation). */
  rank: number;
  /**
   * The queue's sort key: 2 × rank + the score that ranks it (that label's score, or the highest score when no label
   * was flagged; 0 unscored). Scores lie in [0, 1], so every comment of a higher rank sorts before any of a lower one.
   */
  priority: number;
}

/** The severity of a decision: its flagged labels and the classifier's scores (null when nothing was scored). */
export function severityOf(flaggedLabels: readonly string[], scores: Readonly<Record<string, number>> | null): Severity {
  let label: Label | null = null;
  for (const l of flaggedLabels) {
    if (!(l in LABEL_SEVERITY)) continue;
    if (label === null || LABEL_SEVERITY[l as Label] > LABEL_SEVERITY[label]) label = l as Label;
  }
  const clamp = (x: number | undefined) => (typeof x === 'number' && Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
  if (label === null) {
    const max = scores ? Math.max(0, ...Object.values(scores).map(clamp)) : 0;
    return { rank: 0, priority: max };
  }
  const rank = LABEL_SEVERITY[label];
  return { rank, priority: 2 * rank + clamp(scores?.[label]) };
}

/**
 * The queue key of a comment a reader reported as a threat: that of a threat the classifier flagged with score 0.5, so
 * it comes before every other label, and after threats the classifier is surer of.
 */
export const THREAT_REPORT_PRIORITY = 2 * LABEL_SEVERITY.threat + 0.5;
