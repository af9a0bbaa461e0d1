import { LABELS, type LabelScores } from '../../src/moderation/labels.js';
import type { Scorer } from '../../src/moderation/types.js';

/** A classifier driven by keywords: THREATWORD is held as a threat, REJECTWORD rejected as toxic; all else passes. */
export const keywordScorer: Scorer = {
  thresholds: Object.fromEntries(LABELS.map((l) => [l, { hold: 0.5, reject: 0.95 }])) as Scorer['thresholds'],
  score(text) {
    const scores = Object.fromEntries(LABELS.map((l) => [l, 0.01])) as LabelScores;
    if (text.includes('THREATWORD')) scores.threat = 0.8;
    if (text.includes('REJECTWORD')) scores.toxic = 0.99;
    return { scores, spans: [] };
  },
};
