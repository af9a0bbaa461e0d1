import type { Label, LabelScores, Span } from '../labels.js';
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

/** The most words a reason quotes; the spans themselves go with the decision for highlighting. */
const QUOTED = 3;

/** Says which words drove a label, or, when the classifier points at none, that it judged the whole comment. */
function because(label: Label, text: string, spans: readonly Span[]): string {
  const words = [...new Set(spans.filter((s) => s.label === label).sort((a, b) => b.weight - a.weight).map((s) => text.slice(s.start, s.end).trim()))]
    .filter(Boolean)
    .slice(0, QUOTED);
  if (words.length === 0) return ' The classifier judged the comment as a whole and could not point at particular words.';
  return ` The words that weighed most: ${words.map((w) => `“${w}”`).join(', ')}.`;
}

function over(scores: LabelScores, thresholds: Record<Label, LabelPolicy>, level: keyof LabelPolicy, text: string, spans: readonly Span[]): Reason[] {
  return (Object.keys(thresholds) as Label[])
    .filter((label) => scores[label] >= thresholds[label][level])
    .sort((a, b) => scores[b] - scores[a])
    .map((label) => ({
      code: level === 'reject' ? 'classifier_reject' : 'classifier_hold',
      label,
      score: scores[label],
      message: `The comment reads as ${LABEL_NAMES[label]} (score ${scores[label].toFixed(2)}).${because(label, text, spans)}`,
    }));
}

/** What the classifier said about a text: its scores (null when it did not run) and the spans behind them. */
export interface ClassifierFacts {
  text: string;
  scores: LabelScores | null;
  spans: readonly Span[];
  thresholds: Record<Label, LabelPolicy>;
}

/** Rejects a comment whose score for any label reaches that label's reject threshold. */
export function checkClassifierReject({ text, scores, spans, thresholds }: ClassifierFacts): Verdict | null {
  const reasons = scores ? over(scores, thresholds, 'reject', text, spans) : [];
  return reasons.length ? { status: 'rejected', reasons } : null;
}

/** Holds a comment whose score for any label reaches that label's hold threshold. */
export function checkClassifierHold({ text, scores, spans, thresholds }: ClassifierFacts): Verdict | null {
  const reasons = scores ? over(scores, thresholds, 'hold', text, spans) : [];
  return reasons.length ? { status: 'pending', reasons } : null;
}
