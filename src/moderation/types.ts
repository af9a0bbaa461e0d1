// The seam every comment passes through: a draft and the site's policy in, a decision with its reasons out.
import type { Label, LabelScores, Span } from './labels.js';
import type { CommentStatus, Reason } from '../contracts/api.js';

export type { Reason, ReasonCode } from '../contracts/api.js';

export type ModerationStatus = CommentStatus;

export interface Decision {
  status: ModerationStatus;
  reasons: Reason[];
  /** The classifier's scores, kept with the comment for moderators even when they decided nothing. */
  scores: LabelScores | null;
  spans: Span[];
  /** Labels whose score reached their hold threshold, whatever the status. */
  flaggedLabels: Label[];
}

/** What the step knows about the author; gathered by the caller, so the step stays pure. */
export interface AuthorFacts {
  /** The author's comments that are published now. */
  publishedComments: number;
  /** Trusted (by hand, or earned on the site): skips pre-moderation, never the classifier's or word lists' lines. */
  trusted?: boolean;
  /** The story holds every new comment for a moderator (its state is premoderated). */
  storyPremoderated?: boolean;
  /** Why the author may be a banned reader under another account (src/core/ban-evasion.ts); null or absent: no sign. */
  banEvasion?: string | null;
}

/** What a phase says: a status with why, or nothing when the phase has no objection. */
export interface Verdict {
  status: Exclude<ModerationStatus, 'published'>;
  reasons: Reason[];
}

/** Anything that scores text; the moderation engine's Classifier fits this shape. */
export interface Scorer {
  score(text: string): { scores: LabelScores; spans: Span[] };
  readonly thresholds: Record<Label, { hold: number; reject: number }>;
}
