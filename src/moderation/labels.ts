// The classifier's vocabulary, re-exported so that nothing else in the server imports the engine's internals.
export { LABELS, type Label, type LabelScores, type Span } from '../engine/index.js';
