// Public API of Parley's moderation engine. The server imports only from this file.
import { fileURLToPath } from 'node:url';
import { LinearClassifier } from './classifier.js';
import { LinearModel } from './model.js';
import type { Classifier } from './labels.js';

export { LABELS } from './labels.js';
export type { Label, LabelScores, Span, ScoreResult, LabelThresholds, Classifier } from './labels.js';

/** File name of the shipped model under <repo>/models/. */
export const MODEL_FILE = 'parley-toxicity.model';

/** src/engine/*.ts and dist/engine/*.js are both two levels below the repository root. */
export const DEFAULT_MODEL_PATH: string = fileURLToPath(new URL(`../../models/${MODEL_FILE}`, import.meta.url));

/** Loads a model file (synchronously; default: the shipped model). */
export function loadClassifier(modelPath: string = DEFAULT_MODEL_PATH): Classifier {
  return new LinearClassifier(LinearModel.load(modelPath));
}

export {
  calibrate,
  calibrationCurve,
  compareModels,
  heldOutRows,
  type CurvePoint,
  type LabelComparison,
  type LabelledRow,
  type ModelFigures,
} from './site-eval.js';
