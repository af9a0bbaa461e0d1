// A site's moderation settings and their defaults: the one place where the defaults are written down.
import { LABELS, type Label } from './labels.js';

export interface LabelPolicy {
  /** At or above this score a comment waits for a moderator. */
  hold: number;
  /** At or above this score a comment is rejected outright. */
  reject: number;
}

export interface SitePolicy {
  /** Words and phrases that reject a comment. Matched through spelling tricks (see word-list.ts). */
  bannedWords: string[];
  /** Words and phrases that hold a comment for a moderator. */
  suspectWords: string[];
  /** Longest comment body, in characters. */
  maxLength: number;
  /** More links than this hold a comment for a moderator. */
  maxLinks: number;
  /** Per-label thresholds; a label left out uses the classifier's shipped thresholds. */
  thresholds: Partial<Record<Label, LabelPolicy>>;
}

export const DEFAULT_POLICY: SitePolicy = {
  bannedWords: [],
  suspectWords: [],
  maxLength: 5000,
  maxLinks: 3,
  thresholds: {},
};

/** Reads a stored policy, filling in defaults for settings added after it was saved. */
export function parsePolicy(json: string): SitePolicy {
  const stored = JSON.parse(json) as Partial<SitePolicy>;
  const thresholds: Partial<Record<Label, LabelPolicy>> = {};
  for (const label of LABELS) {
    const t = stored.thresholds?.[label];
    if (t) thresholds[label] = { hold: t.hold, reject: t.reject };
  }
  return {
    bannedWords: stored.bannedWords ?? DEFAULT_POLICY.bannedWords,
    suspectWords: stored.suspectWords ?? DEFAULT_POLICY.suspectWords,
    maxLength: stored.maxLength ?? DEFAULT_POLICY.maxLength,
    maxLinks: stored.maxLinks ?? DEFAULT_POLICY.maxLinks,
    thresholds,
  };
}
