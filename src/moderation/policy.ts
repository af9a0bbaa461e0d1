// A site's moderation settings and their defaults: the one place where the defaults are written down.
import { LABELS, type Label } from './labels.js';

export interface LabelPolicy {
  /** At or above this score a comment waits for a moderator. */
  hold: number;
  /** At or above this score a comment is rejected outright. */
  reject: number;
}

export type PreModeration = 'none' | 'all' | 'new_accounts';

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
  /** Hold every comment, only new accounts' first comments, or none, for a moderator to approve first. */
  preModeration: PreModeration;
  /** With new_accounts: how many published comments an account needs before its comments go straight up. */
  newAccountComments: number;
  /** Reports that put a published comment in the reported queue. */
  reportThreshold: number;
}

export const DEFAULT_POLICY: SitePolicy = {
  bannedWords: [],
  suspectWords: [],
  maxLength: 5000,
  maxLinks: 3,
  thresholds: {},
  preModeration: 'none',
  newAccountComments: 3,
  reportThreshold: 3,
};

/** Reads a stored policy, filling in defaults for settings added after it was saved. */
export function parsePolicy(json: string): SitePolicy {
  const stored = JSON.parse(json) as Partial<SitePolicy>;
  const thresholds: Partial<Record<Label, LabelPolicy>> = {};
  for (const label of LABELS) {
    const t = stored.thresholds?.[label];
    if (t) thresholds[label] = { hold: t.hold, reject: t.reject };
  }
  return { ...DEFAULT_POLICY, ...stored, thresholds };
}
