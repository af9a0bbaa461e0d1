// Tokenization, sentence segmentation and feature hashing, shared by training and scoring.
//
// Features of a segment (a sentence, or the whole text):
//   - word unigrams and word bigrams (bigrams never cross a sentence boundary),
//   - character 3-, 4- and 5-grams inside each word, with word-boundary markers ("^idiot$").
// Features are binary within a sentence (a bucket counts once per sentence; the whole text is the sum
// of its sentences), and each family is L2-normalised per segment: value 1/sqrt(count of that family).
// Features are hashed into `dim` buckets (a power of two).
import { normalize, type NormalizedText, type OffsetBuffers } from './normalize.js';

export const SEED_WORD = 0x2f1a9c3d;
export const SEED_BIGRAM = 0x5bd1e995;
export const SEED_CHAR = 0x1b873593;
export const CHAR_MIN = 3;
export const CHAR_MAX = 5;

export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const isWordCode = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && c !== 0x2019 && c !== 0x2018);

export interface Tokens {
  norm: NormalizedText;
  /** token i spans normalized [start[i], end[i]) */
  start: Int32Array;
  end: Int32Array;
  /** key code units of token i: codes[keyStart[i] .. keyStart[i+1]) (letters and digits only) */
  codes: Int32Array;
  keyStart: Int32Array;
  /** sentence index of token i */
  sentence: Int32Array;
  sentences: number;
  /**
   * clause index of token i: clauses split sentences at commas, colons, dashes and brackets. Features
   * do not depend on clauses; scoring takes a max over them (classifier.ts).
   */
  clause: Int32Array;
  clauses: number;
}

/**
 * The arrays that tokenize (and normalize's offset map) write into, for a caller that tokenizes many texts
 * one after the other: reused from call to call, so that scoring a comment allocates almost nothing (the
 * garbage collector took about a sixth of the scoring time). A Tokens made with them is valid until their next use.
 */
export class TokenBuffers {
  start = new Int32Array(256);
  end = new Int32Array(256);
  codes = new Int32Array(256);
  keyStart = new Int32Array(256);
  sentence = new Int32Array(256);
  clause = new Int32Array(256);
  readonly offsets: OffsetBuffers = { start: new Int32Array(256), end: new Int32Array(256) };

  /** Room for the tokens of a normalized text of n code units (at most one token per two units, one key code per unit). */
  fit(n: number): void {
    if (this.codes.length >= n + 2) return;
    const cap = 2 * (n + 2);
    this.start = new Int32Array(cap);
    this.end = new Int32Array(cap);
    this.codes = new Int32Array(cap);
    this.keyStart = new Int32Array(cap);
    this.sentence = new Int32Array(cap);
    this.clause = new Int32Array(cap);
  }
}

/**
 * Splits normalized text into word tokens and sentences. Apostrophes and masks inside words are kept in the token span but
 * left out of its key. Without `buffers`, the Tokens has arrays of its own.
 */
export function tokenize(text: string, buffers?: TokenBuffers): Tokens {
  const bufs = buffers ?? new TokenBuffers();
  const norm = normalize(text, bufs.offsets);
  const t = norm.text;
  const n = t.length;
  bufs.fit(n);
  const { start, end, codes, keyStart, sentence, clause } = bufs;
  let count = 0;
  let ncodes = 0;
  let sent = 0;
  let cl = 0;
  let boundary = false;
  let clauseBoundary = false;
  let i = 0;
  while (i < n) {
    const c = t.charCodeAt(i);
    if (!isWordCode(c)) {
      if (c === 32) {
        i++;
        continue;
      }
      if (c === 46 || c === 33 || c === 63 || c === 59 || c === 10 || c === 0x2026) boundary = true;
      // , : ( ) [ ] en/em dash, and a hyphen with a space on either side
      else if (c === 44 || c === 58 || c === 40 || c === 41 || c === 91 || c === 93 || c === 0x2013 || c === 0x2014 || (c === 45 && (t.charCodeAt(i - 1) === 32 || t.charCodeAt(i + 1) === 32))) clauseBoundary = true;
      i++;
      continue;
    }
    // a word: word chars, plus ' ’ * # joining word chars
    let j = i;
    const ks = ncodes;
    while (j < n) {
      const x = t.charCodeAt(j);
      if (isWordCode(x)) {
        codes[ncodes++] = x;
        j++;
      } else if ((x === 39 || x === 0x2019 || x === 42 || x === 35) && j + 1 < n && isWordCode(t.charCodeAt(j + 1))) {
        j++;
      } else break;
    }
    if ((boundary || clauseBoundary) && count > 0) cl++;
    if (boundary && count > 0) sent++;
    boundary = false;
    clauseBoundary = false;
    start[count] = i;
    end[count] = j;
    keyStart[count] = ks;
    sentence[count] = sent;
    clause[count] = cl;
    count++;
    i = j;
  }
  keyStart[count] = ncodes;
  const some = count > 0;
  return {
    norm,
    start: start.subarray(0, count),
    end: end.subarray(0, count),
    codes: codes.subarray(0, ncodes),
    keyStart: keyStart.subarray(0, count + 1),
    sentence: sentence.subarray(0, count),
    sentences: some ? sent + 1 : 0,
    clause: clause.subarray(0, count),
    clauses: some ? cl + 1 : 0,
  };
}

/** FNV-1a with a seed, then the murmur finalizer: the hash of a string, as wordHash hashes a token's key. */
export function hashString(seed: number, s: string): number {
  let h = seed;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 16777619);
  return fmix(h);
}

/** Hash of token i's key (before bucketing). */
export function wordHash(tk: Tokens, i: number): number {
  let h = SEED_WORD;
  const a = tk.keyStart[i] as number;
  const b = tk.keyStart[i + 1] as number;
  for (let k = a; k < b; k++) h = Math.imul(h ^ (tk.codes[k] as number), 16777619);
  return fmix(h);
}

export function bigramHash(h1: number, h2: number): number {
  return fmix(Math.imul(h1 ^ SEED_BIGRAM, 0x9e3779b1) ^ h2);
}

export function trigramHash(h1: number, h2: number, h3: number): number {
  return fmix(Math.imul(bigramHash(h1, h2) ^ SEED_TRIGRAM, 0x85ebca6b) ^ h3);
}
export const SEED_TRIGRAM = 0x27d4eb2f;

/**
 * Writes the bucket index of each char n-gram of token i (n = 3..5 over "^key$") into `out` from
 * position `at` (growing it if needed) and returns the number of n-grams written.
 */
export function charGrams(tk: Tokens, i: number, mask: number, out: number[], at: number): number {
  const a = tk.keyStart[i] as number;
  const b = tk.keyStart[i + 1] as number;
  const len = b - a + 2;
  let k = at;
  for (let p = 0; p + CHAR_MIN <= len; p++) {
    let h = SEED_CHAR;
    const stop = Math.min(len, p + CHAR_MAX);
    for (let q = p; q < stop; q++) {
      const c = q === 0 ? 94 : q === len - 1 ? 36 : (tk.codes[a + q - 1] as number);
      h = Math.imul(h ^ c, 16777619);
      if (q - p + 1 >= CHAR_MIN) out[k++] = fmix(h) & mask;
    }
  }
  return k - at;
}

// ---- identity conjunctions ---------------------------------------------------------------------
// In a sentence that names an identity group, every word also yields a second feature, "word, in a
// sentence about a group" (hashed with its own seed). A linear model can then tell "you are vermin"
// (an insult) from "those people are vermin" when the sentence is about a group (identity hate),
// which word features alone cannot express. Self-written list of group words (normalized keys:
// lower case letters/digits only).
export const IDENTITY_WORDS = `
muslim muslims moslem moslems islam islamic islamist islamists jew jews jewish judaism zionist zionists christian christians
catholic catholics protestant protestants evangelical evangelicals hindu hindus sikh sikhs buddhist buddhists mormon mormons
atheist atheists black blacks white whites negro negroes asian asians african africans arab arabs latino latinos latina latinas
hispanic hispanics mexican mexicans chinese indian indians native natives indigenous aboriginal immigrant immigrants migrant
migrants refugee refugees illegals alien aliens foreigner foreigners gay gays lesbian lesbians bisexual transgender trans
transgenders queer queers homosexual homosexuals homosexuality lgbt lgbtq women woman female females feminist feminists
girls disabled race races racial ethnic minorities minority jewry semitic
`;
const SEED_IDENTITY = 0x68e31da4;
/** wordHash of each group word */
const IDENTITY_HASHES: ReadonlySet<number> = new Set(
  IDENTITY_WORDS.split(/\s+/).filter((w) => w.length > 0).map((w) => hashString(SEED_WORD, w)),
);
export function identityConjHash(h: number): number {
  return fmix(Math.imul(h ^ SEED_IDENTITY, 0xcc9e2d51) ^ 0x7f4a7c15);
}
/** cheap pre-filter on the low 16 bits of a word hash before the set lookup */
const IDENTITY_FILTER: Uint8Array = (() => {
  const f = new Uint8Array(1 << 16);
  for (const h of IDENTITY_HASHES) f[h & 0xffff] = 1;
  return f;
})();
/** Whether a word hash (wordHash) is an identity-group word. */
export function isIdentityWord(h: number): boolean {
  return IDENTITY_FILTER[h & 0xffff] === 1 && IDENTITY_HASHES.has(h);
}
/** Per sentence: 1 when one of its words is an identity word. */
export function identitySentences(tk: Tokens, hashes: ArrayLike<number>): Uint8Array {
  const flags = new Uint8Array(tk.sentences);
  for (let i = 0; i < tk.start.length; i++) {
    const h = hashes[i] as number;
    if (isIdentityWord(h)) flags[tk.sentence[i] as number] = 1;
  }
  return flags;
}

/** Sparse feature vector of the whole text, as used in training. */
export interface SparseVector {
  index: Int32Array;
  value: Float32Array;
}

const FEATURE_BUFFERS = new TokenBuffers();

export function textFeatures(text: string, dim: number, trigrams = false, identityConj = false): SparseVector {
  const tk = tokenize(text, FEATURE_BUFFERS);
  const hashes = Array.from(tk.start, (_, i) => wordHash(tk, i));
  const idSent = identityConj ? identitySentences(tk, hashes) : null;
  const mask = dim - 1;
  const words: number[] = [];
  const chars: number[] = [];
  const grams: number[] = [];
  // binary features within a sentence: a bucket counts once per sentence (first occurrence)
  let seen = new Set<number>();
  let prev = 0;
  let prev2 = 0;
  for (let i = 0; i < tk.start.length; i++) {
    if (i > 0 && tk.sentence[i - 1] !== tk.sentence[i]) seen = new Set<number>();
    const h = hashes[i] as number;
    const u = h & mask;
    if (!seen.has(u)) {
      seen.add(u);
      words.push(u);
    }
    if (idSent !== null && idSent[tk.sentence[i] as number] === 1) {
      const c = identityConjHash(h) & mask;
      if (!seen.has(c)) {
        seen.add(c);
        words.push(c);
      }
    }
    if (i > 0 && tk.sentence[i - 1] === tk.sentence[i]) {
      const b = bigramHash(prev, h) & mask;
      if (!seen.has(b)) {
        seen.add(b);
        words.push(b);
      }
      if (trigrams && i > 1 && tk.sentence[i - 2] === tk.sentence[i]) {
        const c = trigramHash(prev2, prev, h) & mask;
        if (!seen.has(c)) {
          seen.add(c);
          words.push(c);
        }
      }
    }
    prev2 = prev;
    prev = h;
    const n = charGrams(tk, i, mask, grams, 0);
    for (let k = 0; k < n; k++) {
      const g = grams[k] as number;
      if (!seen.has(g)) {
        seen.add(g);
        chars.push(g);
      }
    }
  }
  const index = new Int32Array(words.length + chars.length);
  const value = new Float32Array(words.length + chars.length);
  const vw = words.length > 0 ? 1 / Math.sqrt(words.length) : 0;
  const vc = chars.length > 0 ? 1 / Math.sqrt(chars.length) : 0;
  for (let k = 0; k < words.length; k++) {
    index[k] = words[k] as number;
    value[k] = vw;
  }
  for (let k = 0; k < chars.length; k++) {
    index[words.length + k] = chars[k] as number;
    value[words.length + k] = vc;
  }
  return { index, value };
}
