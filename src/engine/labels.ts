export const LABELS = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'] as const;
export type Label = (typeof LABELS)[number];
export type LabelScores = Record<Label, number>;
/** UTF-16 offsets into the ORIGINAL text, end exclusive. */
export interface Span {
  start: number;
  end: number;
  label: Label;
  weight: number;
}
export interface ScoreResult {
  scores: LabelScores;
  spans: Span[];
}
export interface LabelThresholds {
  hold: number;
  reject: number;
}
export interface Classifier {
  score(text: string): ScoreResult;
  scoreBatch(texts: readonly string[]): ScoreResult[];
  readonly thresholds: Record<Label, LabelThresholds>;
  readonly version: string;
}
export const NUM_LABELS = LABELS.length;
