// A site's moderation settings and their defaults: the one place where the defaults are written down.
import { LABELS, type Label } from './labels.js';
import type { LabelPolicy, SitePolicy } from '../contracts/api.js';
import type { Scorer } from './types.js';

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

/**
 * The newsroom's reject lines over a model's own, per label, for a label a site's policy leaves out: a call for
 * violence is refused outright rather than queued. The line is the lower of this and the model's reject threshold (and
 * never under its hold threshold). Why 0.80 for threat, with the rates it gives, is in docs/moderation.md.
 */
export const DEFAULT_REJECT_LINES: Partial<Record<Label, number>> = { threat: 0.8 };

/**
 * A model with the newsroom's reject lines over its own thresholds: what the server moderates with. Everything else
 * (its version, its scoring) is the model's own: the result reads through to it.
 */
export function withRejectLines<T extends Scorer>(scorer: T): T {
  const lines = Object.entries(scorer.thresholds).map(([label, t]) => {
    const line = DEFAULT_REJECT_LINES[label as Label];
    return [label, line === undefined ? t : { hold: t.hold, reject: Math.max(t.hold, Math.min(t.reject, line)) }];
  });
  const thresholds = Object.fromEntries(lines) as Scorer['thresholds'];
  return Object.defineProperty(Object.create(scorer) as T, 'thresholds', { value: thresholds, enumerable: true });
}

/** A policy with every setting filled in: what the core reads. */
export type FullPolicy = Required<SitePolicy>;

/** Policies read, by their stored text: every post reads its site's, and sites are few. */
const parsedPolicies = new Map<string, FullPolicy>();
const PARSED_POLICIES = 100;

/**
 * Reads a stored policy, filling in defaults for settings added after it was saved. The same text gives the same
 * object, frozen (its word lists and thresholds too): a caller that wants a different policy makes a new one.
 */
export function parsePolicy(json: string): FullPolicy {
  let policy = parsedPolicies.get(json);
  if (policy) return policy;
  const stored = JSON.parse(json) as Partial<SitePolicy>;
  const thresholds: Partial<Record<Label, LabelPolicy>> = {};
  for (const label of LABELS) {
    const t = stored.thresholds?.[label];
    if (t) thresholds[label] = Object.freeze({ hold: t.hold, reject: t.reject });
  }
  policy = { ...(DEFAULT_POLICY as FullPolicy), ...stored, thresholds: Object.freeze(thresholds) };
  Object.freeze(policy.bannedWords);
  Object.freeze(policy.suspectWords);
  if (parsedPolicies.size >= PARSED_POLICIES) parsedPolicies.delete(parsedPolicies.keys().next().value!);
  parsedPolicies.set(json, Object.freeze(policy));
  return policy;
}

/** The share of each label's hold threshold at which a guest's comment is held under the `stricter` setting. */
export const GUEST_HOLD_FACTOR = 0.6;

/**
 * The policy a guest's comment (no account) is moderated under: `premoderate` holds every one for a moderator;
 * `stricter` holds any link and holds each label at GUEST_HOLD_FACTOR of its usual threshold.
 */
export function guestPolicy<P extends SitePolicy>(policy: P, mode: 'premoderate' | 'stricter', shipped: Partial<Record<Label, LabelPolicy>> | null): P {
  if (mode === 'premoderate') return { ...policy, preModeration: 'all' };
  const thresholds: Partial<Record<Label, LabelPolicy>> = {};
  for (const label of LABELS) {
    const usual = policy.thresholds[label] ?? shipped?.[label];
    if (usual) thresholds[label] = { hold: Math.min(usual.hold, usual.hold * GUEST_HOLD_FACTOR), reject: usual.reject };
  }
  return { ...policy, maxLinks: 0, thresholds };
}
