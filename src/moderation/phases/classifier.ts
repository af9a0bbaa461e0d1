import type { Label, LabelScores } from '../labels.js';
import type { LabelPolicy } from '../policy.js';
import type { Reason, Verdict } from '../types.js';

const LABEL_NAMES: Record<Label, string> = {
  toxic: 'toxic',
  severe_toxic: 'severely toxic',
  obscene: 'obscene',
  threat: 'a threat',
  insult: 'an insult',
  identity_hate: 'an attack on an identity',
};

function over(scores: LabelScores, thresholds: Record<Label, LabelPolicy>, level: keyof LabelPolicy): Reason[] {
  return (Object.keys(thresholds) as Label[])
    .filter((label) => scores[label] >= thresholds[label][level])
    .sort((a, b) => scores[b] - scores[a])
    .map((label) => ({
      code: level === 'reject' ? 'classifier_reject' : 'classifier_hold',
      label,
      score: scores[label],
      message: `The comment reads as ${LABEL_NAMES[label]} (score ${scores[label].toFixed(2)}).`,
    }));
}

/** Rejects a comment whose score for any label reaches that label's reject threshold. */
export function checkClassifierReject(scores: LabelScores | null, thresholds: Record<Label, LabelPolicy>): Verdict | null {
  const reasons = scores ? over(scores, thresholds, 'reject') : [];
  return reasons.length ? { status: 'rejected', reasons } : null;
}

/** Holds a comment whose score for any label reaches that label's hold threshold. */
export function checkClassifierHold(scores: LabelScores | null, thresholds: Record<Label, LabelPolicy>): Verdict | null {
  const reasons = scores ? over(scores, thresholds, 'hold') : [];
  return reasons.length ? { status: 'pending', reasons } : null;
}
