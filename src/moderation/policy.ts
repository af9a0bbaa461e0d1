// A site's moderation settings and their defaults: the one place where the defaults are written down.
import { LABELS, type Label } from './labels.js';
import type { LabelPolicy, SitePolicy } from '../contracts/api.js';

// What each setting means is written beside its type in src/contracts/api.ts.
export type { LabelPolicy, PreModeration, SitePolicy } from '../contracts/api.js';

export const DEFAULT_POLICY: SitePolicy = {
  bannedWords: [],
  suspectWords: [],
  maxLength: 5000,
  maxLinks: 3,
  thresholds: {},
  preModeration: 'none',
  newAccountComments: 3,
  reportThreshold: 3,
  autoCloseDays: 0,
  trustAfterApproved: 10,
  trustWindowDays: 90,
};

/** A policy with every setting filled in: what the core reads. */
export type FullPolicy = Required<SitePolicy>;

/** Reads a stored policy, filling in defaults for settings added after it was saved. */
export function parsePolicy(json: string): FullPolicy {
  const stored = JSON.parse(json) as Partial<SitePolicy>;
  const thresholds: Partial<Record<Label, LabelPolicy>> = {};
  for (const label of LABELS) {
    const t = stored.thresholds?.[label];
    if (t) thresholds[label] = { hold: t.hold, reject: t.reject };
  }
  return { ...(DEFAULT_POLICY as FullPolicy), ...stored, thresholds };
}
