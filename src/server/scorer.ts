// Loads the shipped classifier for the moderation step. A model that fails to load stops the server:
// running on without it would publish what it should have held. PARLEY_CLASSIFIER=off opts out knowingly.
import { loadClassifier } from '../engine/index.js';
import type { Scorer } from '../moderation/types.js';
import { withRejectLines } from '../moderation/policy.js';

/** The shipped model with the newsroom's reject lines over its thresholds (src/moderation/policy.ts). */
export function loadScorer(env: NodeJS.ProcessEnv = process.env): Scorer | null {
  if (env.PARLEY_CLASSIFIER === 'off') return null;
  return withRejectLines(loadClassifier(env.PARLEY_MODEL || undefined));
}
