// Loads the shipped classifier for the moderation step. A model that fails to load stops the server:
// running on without it would publish what it should have held. PARLEY_CLASSIFIER=off opts out knowingly.
import { loadClassifier } from '../engine/index.js';
import type { Scorer } from '../moderation/types.js';

export function loadScorer(env: NodeJS.ProcessEnv = process.env): Scorer | null {
  if (env.PARLEY_CLASSIFIER === 'off') return null;
  return loadClassifier(env.PARLEY_MODEL || undefined);
}
