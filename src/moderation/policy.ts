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

/** The share of each label's hold threshold at which a guest's comment is held under the `stricter` setting. */
export const GUEST_HOLD_FACTOR = 0.6;

/**
 * The policy a guest's comment (no account) is moderated under: `premoderate` holds every one for a moderator;
 * `stricter` holds any link and holds each label at GUEST_HOLD_FACTOR of its usual threshold.
 */
export function guestPolicy(policy: SitePolicy, mode: 'premoderate' | 'stricter', shipped: Partial<Record<Label, LabelPolicy>> | null): SitePolicy {
  if (mode === 'premoderate') return { ...policy, preModeration: 'all' };
  const thresholds: Partial<Record<Label, LabelPolicy>> = {};
  for (const label of LABELS) {
    const usual = policy.thresholds[label] ?? shipped?.[label];
    if (usual) thresholds[label] = { hold: Math.min(usual.hold, usual.hold * GUEST_HOLD_FACTOR), reject: usual.reject };
  }
  return { ...policy, maxLinks: 0, thresholds };
}
