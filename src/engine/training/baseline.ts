// The obvious baseline the issue measures Parley against: TF-IDF over word 1-2-grams and char
// 2-5-grams, one L2-regularised logistic regression per label, written here the way scikit-learn's
// TfidfVectorizer + LogisticRegression(C=1) work (lower-cased tokens of 2+ word characters; char
// n-grams over the whole lower-cased text; raw counts x smoothed idf; each family L2-normalised, then
// side by side), hashed into 2^20 buckets per family instead of a vocabulary.
import { fmix, hashString } from '../features.js';
import { LABELS, NUM_LABELS } from '../labels.js';
import type { Example } from './data.js';
import { mulberry32 } from './random.js';

const BUCKETS = 1 << 20;
const WORD_SEED = 0x3a8f05c5;
const CHAR_SEED = 0x1c9e8d4b;

interface Row {
  index: Int32Array;
  count: Float32Array;
}

/** Counts of hashed word 1-2-grams (first half of the buckets) and char 2-5-grams (second half). */
function countGrams(text: string): Row {
  const lower = text.toLowerCase();
  const counts = new Map<number, number>();
  const add = (b: number): void => {
    counts.set(b, (counts.get(b) ?? 0) + 1);
  };
  const words = lower.match(/\b\w\w+\b/gu) ?? [];
  for (let i = 0; i < words.length; i++) {
    add(hashString(WORD_SEED, words[i] as string) & (BUCKETS - 1));
    if (i > 0) add(hashString(WORD_SEED, `${words[i - 1] as string} ${words[i] as string}`) & (BUCKETS - 1));
  }
  const chars = lower.replace(/\s\s+/g, ' ');
  for (let p = 0; p < chars.length; p++) {
    let h = CHAR_SEED;
    for (let n = 0; n < 5 && p + n < chars.length; n++) {
      h = Math.imul(h ^ chars.charCodeAt(p + n), 16777619);
      if (n >= 1) add(BUCKETS + (fmix(h) & (BUCKETS - 1)));
    }
  }
  const index = Int32Array.from(counts.keys());
  const count = Float32Array.from(counts.values());
  return { index, count };
}

export interface Baseline {
  /** probability per label (0 for a label with no training positives) */
  score(text: string): Float64Array;
}

/** TF-IDF x L2 logistic regression per label (C = 1), fitted by AdaGrad over `epochs` shuffled passes. */
export function trainBaseline(rows: readonly Example[], epochs = 8, seed = 1): Baseline {
  const grams = rows.map((r) => countGrams(r.text));
  const df = new Float64Array(2 * BUCKETS);
  for (const g of grams) for (const b of g.index) df[b] = (df[b] as number) + 1;
  const idf = new Float32Array(2 * BUCKETS);
  for (let b = 0; b < idf.length; b++) idf[b] = Math.log((1 + rows.length) / (1 + (df[b] as number))) + 1;
  const vectorize = (g: Row): Float32Array => {
    const v = new Float32Array(g.index.length);
    let word = 0;
    let char = 0;
    for (let k = 0; k < v.length; k++) {
      const x = (g.count[k] as number) * (idf[g.index[k] as number] as number);
      v[k] = x;
      if ((g.index[k] as number) < BUCKETS) word += x * x;
      else char += x * x;
    }
    const nw = word > 0 ? 1 / Math.sqrt(word) : 0;
    const nc = char > 0 ? 1 / Math.sqrt(char) : 0;
    for (let k = 0; k < v.length; k++) v[k] = (v[k] as number) * ((g.index[k] as number) < BUCKETS ? nw : nc);
    return v;
  };
  const values = grams.map(vectorize);
  const weights: (Float32Array | undefined)[] = [];
  const biases: number[] = [];
  const rand = mulberry32(seed);
  for (let l = 0; l < NUM_LABELS; l++) {
    const idx = rows.map((r, i) => (Number.isNaN(r.y[l] as number) ? -1 : i)).filter((i) => i >= 0);
    if (!idx.some((i) => ((rows[i] as Example).y[l] as number) >= 0.5)) {
      weights.push(undefined);
      biases.push(NaN);
      continue;
    }
    const w = new Float32Array(2 * BUCKETS);
    const acc = new Float32Array(2 * BUCKETS);
    let bias = 0;
    let biasAcc = 0;
    // C = 1: the L2 term 0.5 |w|^2 is spread over the n examples of one pass
    const l2 = 1 / idx.length;
    const lr = 0.5;
    for (let e = 0; e < epochs; e++) {
      for (let i = idx.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
      }
      for (const i of idx) {
        const g = grams[i] as Row;
        const v = values[i] as Float32Array;
        let z = bias;
        for (let k = 0; k < v.length; k++) z += (v[k] as number) * (w[g.index[k] as number] as number);
        const y = ((rows[i] as Example).y[l] as number) >= 0.5 ? 1 : 0;
        const d = 1 / (1 + Math.exp(-z)) - y;
        biasAcc += d * d;
        bias -= (lr * d) / Math.sqrt(biasAcc + 1e-8);
        for (let k = 0; k < v.length; k++) {
          const b = g.index[k] as number;
          const gi = d * (v[k] as number) + l2 * (w[b] as number);
          acc[b] = (acc[b] as number) + gi * gi;
          w[b] = (w[b] as number) - (lr * gi) / Math.sqrt((acc[b] as number) + 1e-8);
        }
      }
    }
    weights.push(w);
    biases.push(bias);
  }
  return {
    score(text: string): Float64Array {
      const g = countGrams(text);
      const v = vectorize(g);
      return Float64Array.from(LABELS, (_, l) => {
        const w = weights[l];
        if (!w) return 0;
        let z = biases[l] as number;
        for (let k = 0; k < v.length; k++) z += (v[k] as number) * (w[g.index[k] as number] as number);
        return 1 / (1 + Math.exp(-z));
      });
    },
  };
}
