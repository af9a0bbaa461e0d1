// A site model: the shipped model fine-tuned on a site's own labelled decisions (parley model export-decisions):
// it starts from the base model's weights and intercepts, trains a few epochs at a lower learning rate on the site's
// rows alone (no templates, no per-source intercepts: the site's base rate is what it should learn), keeps the base's
// scoring settings, and retunes thresholds only where the site's held-out rows have enough of both kinds.
// Deterministic: the same rows, base and options give the same model, byte for byte.
import type { LinearModel } from '../model.js';
import type { Example } from './data.js';
import { DEFAULT_TRAIN_OPTIONS, prepareExamples, trainOnExamples, type TrainOptions, type TrainResult } from './train.js';

export interface FineTuneOptions {
  base: LinearModel;
  files: string[];
  epochs?: number;
  lr?: number;
  seed?: number;
  log?: (msg: string) => void;
}

export const FINE_TUNE_DEFAULTS = { epochs: 4, lr: 0.003 } as const;

export function fineTune(o: FineTuneOptions): TrainResult {
  return fineTuneOnExamples(prepareExamples(o.files, false, 'none'), o);
}

/** Fine-tunes on examples already loaded and cleaned (prepareExamples); rows of the held-out split tune the hold lines. */
export function fineTuneOnExamples(examples: Example[], o: FineTuneOptions): TrainResult {
  const b = o.base.meta;
  const opts: TrainOptions = {
    ...DEFAULT_TRAIN_OPTIONS,
    files: o.files,
    dim: b.dim,
    trigrams: b.wordTrigrams ?? false,
    identityConj: b.identityConj ?? false,
    epochs: o.epochs ?? FINE_TUNE_DEFAULTS.epochs,
    lr: o.lr ?? FINE_TUNE_DEFAULTS.lr,
    seed: o.seed ?? DEFAULT_TRAIN_OPTIONS.seed,
    weightDecay: 0,
    templates: false,
    contextTemplates: 'none',
    sourceBias: false,
    sourceMultiplier: {},
    augmentEvasions: false,
    segmentFloor: b.segmentFloor !== undefined,
    base: o.base,
    log: o.log ?? (() => {}),
  };
  return trainOnExamples(examples, opts);
}
