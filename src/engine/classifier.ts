// Scoring: whole-text logit and max-over-sentences logit from one pass over the tokens, plus
// per-token contributions that become the spans.
import { LABELS, NUM_LABELS, type Classifier, type Label, type LabelScores, type LabelThresholds, type ScoreResult, type Span } from './labels.js';
import { bigramHash, charGrams, identityConjHash, identitySentences, TokenBuffers, tokenize, trigramHash, wordHash, type Tokens } from './features.js';
import type { LinearModel } from './model.js';
import { findThreats, NEGATED_THREAT_KEEP, NEGATED_THREAT_LABELS, THREAT_FLOOR, type ThreatMatch } from './threats.js';
import { lowerInScope, SCOPE_KEEP, SCOPED_LABELS, scopeOf, wholeStatements } from './scope.js';

const L = NUM_LABELS;
const THREAT = LABELS.indexOf('threat');

export interface RawScore {
  /** final logits per label */
  logits: Float64Array;
  /** whole-text logits and max-over-sentence logits per label */
  whole: Float64Array;
  maxSentence: Float64Array;
  /** max over sentences and clauses per label */
  maxSegment: Float64Array;
}

/**
 * Cache of the char n-gram buckets of recently seen words (open addressing on the word hash, keys
 * compared in full, so a hash collision never changes a result). Cleared when full. Each cached word also
 * keeps the per-label sums of its grams' weights (each bucket once) and its count of distinct buckets, from which
 * the scoring loop takes away the buckets already used in the sentence instead of adding up the others (the same
 * result to the bit for the models where `sumsExact` holds: every model read from a file).
 */
class GramCache {
  private static readonly SLOTS = 1 << 16; // 32,768 words before a clear: the vocabulary of ~9,000 real comments
  /**
   * per slot, one 32-byte record (one cache line per probe, where six arrays cost six): word hash, key length
   * (0: empty), start in `keys`, start in `pool`, gram count, count of distinct buckets
   */
  private readonly slots = new Int32Array(GramCache.SLOTS * 8);
  private keys = new Int32Array(1 << 18);
  private keysUsed = 0;
  pool = new Int32Array(1 << 20);
  private poolUsed = 0;
  private entries = 0;
  lastCount = 0;
  /** slot of the last word returned, or -1 when it is not cached (no sums) */
  lastSlot = -1;
  /** count of distinct buckets of the last word returned (when cached) */
  lastDistinct = 0;
  /** per slot: sums of the weights of the word's distinct buckets per label (slot * L + label) */
  readonly sums = new Float64Array(GramCache.SLOTS * L);
  /** scratch: the distinct buckets of the word being added */
  private distinctBuckets = new Int32Array(256);

  constructor(private readonly w: Float32Array) {}

  private clear(): void {
    this.slots.fill(0);
    this.keysUsed = 0;
    this.poolUsed = 0;
    this.entries = 0;
  }

  /** Reads the first slot that a word of hash h probes and its sums (classifier's readAhead). */
  peek(h: number): number {
    const slot = h & (GramCache.SLOTS - 1);
    return (this.slots[slot * 8] as number) + (this.sums[slot * L] as number);
  }

  /** Returns the start in `pool` of token t's gram buckets; their count is in `lastCount`. */
  grams(tk: Tokens, t: number, h: number, mask: number, scratch: number[]): number {
    const ka = tk.keyStart[t] as number;
    const klen = (tk.keyStart[t + 1] as number) - ka;
    const codes = tk.codes;
    const slots = this.slots;
    const SL = GramCache.SLOTS - 1;
    let slot = h & SL;
    for (let r = slot * 8; slots[r + 1] !== 0; r = slot * 8) {
      if (slots[r] === (h | 0) && slots[r + 1] === klen) {
        const ks = slots[r + 2] as number;
        let same = true;
        for (let k = 0; k < klen; k++) {
          if (this.keys[ks + k] !== codes[ka + k]) {
            same = false;
            break;
          }
        }
        if (same) {
          this.lastCount = slots[r + 4] as number;
          this.lastDistinct = slots[r + 5] as number;
          this.lastSlot = slot;
          return slots[r + 3] as number;
        }
      }
      slot = (slot + 1) & SL;
    }
    const n = charGrams(tk, t, mask, scratch, 0);
    if (n > this.pool.length) this.pool = new Int32Array(n * 2);
    if (this.entries * 2 >= GramCache.SLOTS || this.keysUsed + klen > this.keys.length || this.poolUsed + n > this.pool.length) {
      this.clear();
      slot = h & SL;
    }
    if (klen > 64 || n > this.pool.length / 4) {
      // very long tokens are not cached: put the grams at the end of the pool and forget them
      if (this.poolUsed + n > this.pool.length) this.clear();
      for (let k = 0; k < n; k++) this.pool[this.poolUsed + k] = scratch[k] as number;
      this.lastCount = n;
      this.lastSlot = -1;
      return this.poolUsed;
    }
    for (let k = 0; k < klen; k++) this.keys[this.keysUsed + k] = codes[ka + k] as number;
    for (let k = 0; k < n; k++) this.pool[this.poolUsed + k] = scratch[k] as number;
    // the distinct buckets first, then their weights in a loop of reads alone: a new word's weights are random reads
    // of the 24 MB table, and without the duplicate test's branches between them many of them are in flight at once
    if (this.distinctBuckets.length < n) this.distinctBuckets = new Int32Array(2 * n);
    const buckets = this.distinctBuckets;
    let distinct = 0;
    for (let k = 0; k < n; k++) {
      const g = scratch[k] as number;
      let again = false;
      for (let j = 0; j < k && !again; j++) again = scratch[j] === g;
      if (!again) buckets[distinct++] = g;
    }
    const w = this.w;
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0;
    for (let k = 0; k < distinct; k++) {
      const o = (buckets[k] as number) * L;
      c0 += w[o] as number;
      c1 += w[o + 1] as number;
      c2 += w[o + 2] as number;
      c3 += w[o + 3] as number;
      c4 += w[o + 4] as number;
      c5 += w[o + 5] as number;
    }
    const so = slot * L;
    const sums = this.sums;
    sums[so] = c0;
    sums[so + 1] = c1;
    sums[so + 2] = c2;
    sums[so + 3] = c3;
    sums[so + 4] = c4;
    sums[so + 5] = c5;
    const r = slot * 8;
    slots[r] = h | 0;
    slots[r + 1] = klen;
    slots[r + 2] = this.keysUsed;
    slots[r + 3] = this.poolUsed;
    slots[r + 4] = n;
    slots[r + 5] = distinct;
    const start = this.poolUsed;
    this.keysUsed += klen;
    this.poolUsed += n;
    this.entries++;
    this.lastCount = n;
    this.lastDistinct = distinct;
    this.lastSlot = slot;
    return start;
  }
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const NO_CONTRIB = new Float64Array(0);

/**
 * Whether every sum of up to 256 weights of one label is exact in doubles, so that the order of the additions and
 * subtractions never changes a bit of the result. True of every model read from a file: a label's weights are the
 * float32 values of int16 x scale, each a multiple of the float32 unit of the smallest nonzero one, and 256 times
 * the largest is far under 2^53 such units. (A word cached by GramCache has at most 3 x 66 grams.) Works on the
 * float32 exponents: the largest and smallest of each label may be at most 20 binades apart.
 */
function sumsExact(w: Float32Array): boolean {
  const bits = new Uint32Array(w.buffer, w.byteOffset, w.length);
  const lo = new Int32Array(L).fill(255);
  const hi = new Int32Array(L);
  for (let i = 0; i < bits.length; i += L) {
    for (let l = 0; l < L; l++) {
      const x = (bits[i + l] as number) & 0x7fffffff;
      if (x === 0) continue;
      const e = x >>> 23;
      if (e === 0 || e === 255) return false; // subnormal, infinite or NaN
      if (e < (lo[l] as number)) lo[l] = e;
      if (e > (hi[l] as number)) hi[l] = e;
    }
  }
  // a value of exponent e is a multiple of 2^(e-150) and under 2^(e-126): 256 values of exponent <= hi stay under
  // 2^(hi-118), which is under 2^53 units of 2^(lo-150) when hi - lo < 21
  for (let l = 0; l < L; l++) if ((hi[l] as number) - (lo[l] as number) >= 21) return false;
  return true;
}

/** Scoring options that are code, not part of the model file (for measuring one stage against its absence). */
export interface ScoringOptions {
  /** engine v4 scope stage (scope.ts): share kept of the harmful contribution of denied, reported or condemned words; 1 = off */
  scopeKeep?: number;
  /** engine v4 scope stage: whole statements that a sentence denies, condemns or quotes lose every word's harmful contribution (scope.ts, wholeStatements); default on */
  wholeStatements?: boolean;
  /** engine v4 threat stage (threats.ts): constructions floor the threat logit and point its span; default on */
  threatStage?: boolean;
  /** engine v4 threat stage: share kept of the harmful contribution of a negated construction's violent words; 1 = off */
  negatedThreatKeep?: number;
}

export class LinearClassifier implements Classifier {
  readonly thresholds: Record<Label, LabelThresholds>;
  readonly version: string;
  private readonly w: Float32Array;
  private readonly mask: number;
  private readonly bias: Float64Array;
  private readonly combine: Float64Array;
  private readonly spanMinWeight: Float64Array;
  private readonly spanMinScore: Float64Array;
  private readonly spanRelative: number;
  private readonly trigrams: boolean;
  private readonly identityConj: boolean;
  private readonly floor: Float64Array | null;
  private tw = new Int32Array(64);
  private tcount = new Int32Array(64);
  private hashes = new Uint32Array(64);
  // scratch buffers, grown on demand (scoring is synchronous, so one set per classifier is safe)
  private ws = new Float64Array(64 * L);
  private cs = new Float64Array(64 * L);
  private grams: number[] = [];
  // per sentence: feature counts (words, chars); per label: the sums and logits of one text (the `raw` of `run`)
  private nw = new Float64Array(16);
  /** per-token contributions of the text being scored, for its spans */
  private contrib = new Float64Array(64 * L);
  private nc = new Float64Array(16);
  private readonly whole = new Float64Array(L);
  private readonly maxS = new Float64Array(L);
  private readonly maxSeg = new Float64Array(L);
  private readonly logits = new Float64Array(L);
  private readonly sw = new Float64Array(L);
  private readonly sc = new Float64Array(L);
  private readonly aw = new Float64Array(L);
  private readonly ac = new Float64Array(L);
  /**
   * per-bucket stamp of the sentence that last used it (binary features within a sentence); 8 bits, so that the
   * 1 MB array stays in a core's cache more than 16 bits' 2 MB would (cleared once every 255 sentences: a 1 MB fill
   * every ~70 comments)
   */
  private readonly stamp: Uint8Array;
  private cur = 0;
  /** what readAhead read, kept so that its reads are not optimized away */
  private readAheadSum = 0;
  private readonly cache: GramCache;
  private readonly tokens = new TokenBuffers();

  /** engine v4: threat constructions floor the threat logit and point the threat span (threats.ts) */
  private readonly threatStage: boolean;
  private readonly scopeKeep: number;
  private readonly wholeStatements: boolean;
  private readonly negatedThreatKeep: number;

  /** whether sums of a word's n-gram weights are exact in doubles, in any order (sumsExact) */
  private readonly exactSums: boolean;

  constructor(readonly model: LinearModel, options: ScoringOptions = {}) {
    this.threatStage = options.threatStage ?? true;
    this.negatedThreatKeep = options.negatedThreatKeep ?? NEGATED_THREAT_KEEP;
    const m = model.meta;
    this.scopeKeep = options.scopeKeep ?? SCOPE_KEEP;
    this.wholeStatements = options.wholeStatements ?? true;
    this.thresholds = m.thresholds;
    this.version = m.version;
    this.w = model.weights;
    this.mask = m.dim - 1;
    this.bias = Float64Array.from(m.bias);
    this.combine = Float64Array.from(m.combine);
    this.spanMinWeight = Float64Array.from(m.spanMinWeight);
    this.spanMinScore = Float64Array.from(m.spanMinScore);
    this.spanRelative = m.spanRelative ?? 0;
    this.trigrams = m.wordTrigrams === true;
    this.identityConj = m.identityConj === true;
    this.floor = m.segmentFloor ? Float64Array.from(m.segmentFloor) : null;
    this.stamp = new Uint8Array(m.dim);
    this.cache = new GramCache(this.w);
    this.exactSums = sumsExact(this.w);
  }

  /** Whether token i's word, scored alone (its unigram and char n-grams), is at or over the toxic or insult hold line: an abusive word by itself. */
  private harmfulAlone(tk: Tokens, i: number): boolean {
    const h = this.hashes[i] as number;
    const gs = this.cache.grams(tk, i, h, this.mask, this.grams);
    const n = this.cache.lastCount;
    const pool = this.cache.pool;
    const u = (h & this.mask) * L;
    for (const l of [0, 4]) {
      let c = 0;
      for (let k = gs; k < gs + n; k++) c += this.w[(pool[k] as number) * L + l] as number;
      const z = (this.bias[l] as number) + (this.w[u + l] as number) + (n > 0 ? c / Math.sqrt(n) : 0);
      if (sigmoid(z) >= this.thresholds[LABELS[l] as Label].hold) return true;
    }
    return false;
  }

  score(text: string): ScoreResult {
    return this.run(text, true).result;
  }

  scoreBatch(texts: readonly string[]): ScoreResult[] {
    return texts.map((t) => this.run(t, true).result);
  }

  /** Scores without building spans (used by evaluation and the JSONL CLI). */
  scoreOnly(text: string): LabelScores {
    return this.run(text, false).result.scores;
  }

  raw(text: string): RawScore {
    const r = this.run(text, false).raw; // the classifier's own arrays, which the next text overwrites
    return { logits: r.logits.slice(), whole: r.whole.slice(), maxSentence: r.maxSentence.slice(), maxSegment: r.maxSegment.slice() };
  }

  /** Per-token contributions (for span tuning): original [start,end) of each token and its contribution per label. */
  tokenContributions(text: string): { start: number[]; end: number[]; contrib: Float64Array; scores: LabelScores } {
    const r = this.run(text, false, true);
    return { start: r.tokStart, end: r.tokEnd, contrib: r.contrib, scores: r.result.scores };
  }

  /**
   * Reads the weight rows of each token's unigram and bigram (both ends of a row, which may straddle two cache lines)
   * and its word cache slot before the scoring loop, in a loop of reads alone: they are random reads of the 24 MB
   * table and the cache, and here many are in flight at once, where the scoring loop, with its stamp tests and
   * branches between them, waits for each in turn.
   */
  private readAhead(tk: Tokens, T: number): void {
    const W = this.w;
    const mask = this.mask;
    const hs = this.hashes;
    let sum = 0;
    for (let t = 0; t < T; t++) {
      const h = hs[t] as number;
      const o = (h & mask) * L;
      sum += (W[o] as number) + (W[o + L - 1] as number) + this.cache.peek(h);
      if (t > 0 && tk.sentence[t - 1] === tk.sentence[t]) {
        const b = (bigramHash(hs[t - 1] as number, h) & mask) * L;
        sum += (W[b] as number) + (W[b + L - 1] as number);
      }
    }
    this.readAheadSum = sum;
  }

  private run(
    text: string,
    withSpans: boolean,
    withContrib = false,
  ): { result: ScoreResult; raw: RawScore; tokStart: number[]; tokEnd: number[]; contrib: Float64Array } {
    const tk = tokenize(text, this.tokens);
    const T = tk.start.length;
    const S = tk.sentences;
    if (this.ws.length < T * L) {
      this.ws = new Float64Array(T * L * 2);
      this.cs = new Float64Array(T * L * 2);
    }
    if (this.tw.length < T) {
      this.tw = new Int32Array(T * 2);
      this.tcount = new Int32Array(T * 2);
    }
    const tw = this.tw;
    const tcount = this.tcount;
    const ws = this.ws;
    const cs = this.cs;
    ws.fill(0, 0, T * L);
    cs.fill(0, 0, T * L);
    if (this.nw.length < S) {
      this.nw = new Float64Array(S * 2);
      this.nc = new Float64Array(S * 2);
    }
    const nw = this.nw;
    const nc = this.nc;
    nw.fill(0, 0, S);
    nc.fill(0, 0, S);
    const W = this.w;
    const mask = this.mask;
    const grams = this.grams;
    const stamp = this.stamp;
    const sums = this.cache.sums;
    let cur = this.cur;
    let prev = 0;
    let prev2 = 0;
    if (this.hashes.length < T) this.hashes = new Uint32Array(T * 2);
    for (let t = 0; t < T; t++) this.hashes[t] = wordHash(tk, t);
    this.readAhead(tk, T);
    const idSent = this.identityConj ? identitySentences(tk, this.hashes) : null;
    for (let t = 0; t < T; t++) {
      const s = tk.sentence[t] as number;
      if (t === 0 || tk.sentence[t - 1] !== s) {
        if (++cur > 0xff) {
          stamp.fill(0);
          cur = 1;
        }
      }
      const h = this.hashes[t] as number;
      const to = t * L;
      const nw0 = nw[s] as number;
      let u = h & mask;
      if (stamp[u] !== cur) {
        stamp[u] = cur;
        const o = u * L;
        for (let l = 0; l < L; l++) ws[to + l] = (ws[to + l] as number) + (W[o + l] as number);
        nw[s] = (nw[s] as number) + 1;
      }
      if (idSent !== null && idSent[s] === 1) {
        // identity conjunction: this word, in a sentence that names an identity group (features.ts)
        u = identityConjHash(h) & mask;
        if (stamp[u] !== cur) {
          stamp[u] = cur;
          const o = u * L;
          for (let l = 0; l < L; l++) ws[to + l] = (ws[to + l] as number) + (W[o + l] as number);
          nw[s] = (nw[s] as number) + 1;
        }
      }
      if (t > 0 && tk.sentence[t - 1] === s) {
        u = bigramHash(prev, h) & mask;
        if (stamp[u] !== cur) {
          stamp[u] = cur;
          const o = u * L;
          const po = to - L;
          for (let l = 0; l < L; l++) {
            const x = 0.5 * (W[o + l] as number);
            ws[po + l] = (ws[po + l] as number) + x;
            ws[to + l] = (ws[to + l] as number) + x;
          }
          nw[s] = (nw[s] as number) + 1;
        }
        if (this.trigrams && t > 1 && tk.sentence[t - 2] === s) {
          u = trigramHash(prev2, prev, h) & mask;
          if (stamp[u] !== cur) {
            stamp[u] = cur;
            const o = u * L;
            const po = to - L;
            const ppo = to - 2 * L;
            for (let l = 0; l < L; l++) {
              const x = (W[o + l] as number) / 3;
              ws[ppo + l] = (ws[ppo + l] as number) + x;
              ws[po + l] = (ws[po + l] as number) + x;
              ws[to + l] = (ws[to + l] as number) + x;
            }
            nw[s] = (nw[s] as number) + 1;
          }
        }
      }
      prev2 = prev;
      prev = h;
      const gs = this.cache.grams(tk, t, h, mask, grams);
      const pool = this.cache.pool;
      const gEnd = gs + (this.cache.lastCount as number);
      const slot = this.cache.lastSlot;
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0;
      let m = 0;
      if (this.exactSums && slot >= 0 && this.cache.lastDistinct === gEnd - gs) {
        // a cached word whose grams are distinct buckets: its cached sums, less the buckets already used in the
        // sentence, are exactly what the loop below adds (sumsExact); one pass, and no weight read for a new bucket
        const so = slot * L;
        c0 = sums[so] as number;
        c1 = sums[so + 1] as number;
        c2 = sums[so + 2] as number;
        c3 = sums[so + 3] as number;
        c4 = sums[so + 4] as number;
        c5 = sums[so + 5] as number;
        m = gEnd - gs;
        for (let k = gs; k < gEnd; k++) {
          const gi = pool[k] as number;
          if (stamp[gi] !== cur) {
            stamp[gi] = cur;
            continue;
          }
          m--;
          const g = gi * L;
          c0 -= W[g] as number;
          c1 -= W[g + 1] as number;
          c2 -= W[g + 2] as number;
          c3 -= W[g + 3] as number;
          c4 -= W[g + 4] as number;
          c5 -= W[g + 5] as number;
        }
      } else {
        for (let k = gs; k < gEnd; k++) {
          const gi = pool[k] as number;
          if (stamp[gi] === cur) continue;
          stamp[gi] = cur;
          m++;
          const g = gi * L;
          c0 += W[g] as number;
          c1 += W[g + 1] as number;
          c2 += W[g + 2] as number;
          c3 += W[g + 3] as number;
          c4 += W[g + 4] as number;
          c5 += W[g + 5] as number;
        }
      }
      cs[to] = c0;
      cs[to + 1] = c1;
      cs[to + 2] = c2;
      cs[to + 3] = c3;
      cs[to + 4] = c4;
      cs[to + 5] = c5;
      nc[s] = (nc[s] as number) + m;
      tw[t] = (nw[s] as number) - nw0;
      tcount[t] = m;
    }
    this.cur = cur;
    const bigramWeight = (h1: number, h2: number, l: number): number => W[(bigramHash(h1, h2) & mask) * L + l] as number;
    // ---- engine v4: words that the comment denies, reports or condemns (scope.ts) ----
    if (this.scopeKeep < 1) {
      const flags = scopeOf(tk, this.hashes);
      if (flags !== null) {
        const abusive = (i: number): boolean => this.harmfulAlone(tk, i);
        lowerInScope(tk, this.hashes, flags, ws, cs, nw, nc, this.scopeKeep, bigramWeight, abusive);
        const whole = this.wholeStatements ? wholeStatements(tk, this.hashes, abusive) : null;
        if (whole !== null) lowerInScope(tk, this.hashes, whole, ws, cs, nw, nc, this.scopeKeep, bigramWeight, abusive, SCOPED_LABELS, true);
      }
    }
    // ---- engine v4: threat constructions (threats.ts); a negated one's violent words are lowered like a scope's ----
    const found: ThreatMatch[] = this.threatStage ? findThreats(tk, this.hashes) : [];
    // one indexed pass, not filter() and for-of: V8's optimized code deoptimized again and again (hundreds of times a
    // second) on the array kinds of an empty and a non-empty list of matches
    const threats: ThreatMatch[] = [];
    let threatFloor = -Infinity;
    for (let k = 0; k < found.length; k++) {
      const m = found[k] as ThreatMatch;
      if (m.negated) continue;
      threats.push(m);
      threatFloor = Math.max(threatFloor, THREAT_FLOOR[m.kind]);
    }
    if (this.negatedThreatKeep < 1 && threats.length < found.length) {
      const violent = new Uint8Array(T);
      for (const m of found) if (m.negated) violent.fill(1, m.violentFirst, m.violentLast + 1);
      lowerInScope(tk, this.hashes, violent, ws, cs, nw, nc, this.negatedThreatKeep, bigramWeight, () => true, NEGATED_THREAT_LABELS);
    }
    // ---- end engine v4 ----
    // whole text
    let NW = 0;
    let NC = 0;
    for (let s = 0; s < S; s++) {
      NW += nw[s] as number;
      NC += nc[s] as number;
    }
    const { whole, maxS, sw, sc, aw, ac, maxSeg, logits } = this;
    maxS.fill(-Infinity);
    aw.fill(0);
    ac.fill(0);
    let t = 0;
    for (let s = 0; s < S; s++) {
      sw.fill(0);
      sc.fill(0);
      while (t < T && tk.sentence[t] === s) {
        const to = t * L;
        for (let l = 0; l < L; l++) {
          sw[l] = (sw[l] as number) + (ws[to + l] as number);
          sc[l] = (sc[l] as number) + (cs[to + l] as number);
        }
        t++;
      }
      const fw = (nw[s] as number) > 0 ? 1 / Math.sqrt(nw[s] as number) : 0;
      const fc = (nc[s] as number) > 0 ? 1 / Math.sqrt(nc[s] as number) : 0;
      for (let l = 0; l < L; l++) {
        const z = (this.bias[l] as number) + (sw[l] as number) * fw + (sc[l] as number) * fc;
        if (z > (maxS[l] as number)) maxS[l] = z;
        aw[l] = (aw[l] as number) + (sw[l] as number);
        ac[l] = (ac[l] as number) + (sc[l] as number);
      }
    }
    // max over clauses (only for sentences with more than one clause; the others are their sentence)
    maxSeg.set(maxS);
    if (this.floor !== null && tk.clauses > S) {
      let a = 0;
      while (a < T) {
        const c = tk.clause[a] as number;
        let b = a;
        while (b < T && tk.clause[b] === c) b++;
        const s = tk.sentence[a] as number;
        const wholeSentence = (a === 0 || tk.sentence[a - 1] !== s) && (b === T || tk.sentence[b] !== s);
        if (!wholeSentence) {
          sw.fill(0);
          sc.fill(0);
          let cw = 0;
          let cc = 0;
          for (let i = a; i < b; i++) {
            const to = i * L;
            for (let l = 0; l < L; l++) {
              sw[l] = (sw[l] as number) + (ws[to + l] as number);
              sc[l] = (sc[l] as number) + (cs[to + l] as number);
            }
            cw += tw[i] as number;
            cc += tcount[i] as number;
          }
          const fw = cw > 0 ? 1 / Math.sqrt(cw) : 0;
          const fc = cc > 0 ? 1 / Math.sqrt(cc) : 0;
          for (let l = 0; l < L; l++) {
            const z = (this.bias[l] as number) + (sw[l] as number) * fw + (sc[l] as number) * fc;
            if (z > (maxSeg[l] as number)) maxSeg[l] = z;
          }
        }
        a = b;
      }
    }
    const FW = NW > 0 ? 1 / Math.sqrt(NW) : 0;
    const FC = NC > 0 ? 1 / Math.sqrt(NC) : 0;
    const scores = {} as LabelScores;
    for (let l = 0; l < L; l++) {
      const zw = (this.bias[l] as number) + (aw[l] as number) * FW + (ac[l] as number) * FC;
      whole[l] = zw;
      if (S === 0) {
        maxS[l] = zw;
        maxSeg[l] = zw;
      }
      const g = this.combine[l] as number;
      let z = g * zw + (1 - g) * (maxS[l] as number);
      if (this.floor !== null) z = Math.max(z, (maxSeg[l] as number) + (this.floor[l] as number));
      if (l === THREAT) z = Math.max(z, threatFloor);
      logits[l] = z;
      scores[LABELS[l] as Label] = sigmoid(z);
    }
    const tokStart: number[] = [];
    const tokEnd: number[] = [];
    let contrib = NO_CONTRIB;
    const spans: Span[] = [];
    let anySpanLabel = false;
    for (let l = 0; l < L; l++) {
      const sc = scores[LABELS[l] as Label];
      if (sc >= (this.spanMinScore[l] as number) || sc >= this.thresholds[LABELS[l] as Label].hold) anySpanLabel = true;
    }
    if ((withSpans && anySpanLabel) || withContrib) {
      // the classifier's own array unless the caller keeps it (tokenContributions)
      if (withContrib) contrib = new Float64Array(T * L);
      else {
        if (this.contrib.length < T * L) this.contrib = new Float64Array(T * L * 2);
        contrib = this.contrib;
      }
      const ns = tk.norm.start;
      const ne = tk.norm.end;
      for (let i = 0; i < T; i++) {
        const s = tk.sentence[i] as number;
        const fw = 1 / Math.sqrt(Math.max(1, nw[s] as number));
        const fc = (nc[s] as number) > 0 ? 1 / Math.sqrt(nc[s] as number) : 0;
        for (let l = 0; l < L; l++) contrib[i * L + l] = (ws[i * L + l] as number) * fw + (cs[i * L + l] as number) * fc;
        if (withContrib) {
          tokStart.push(ns[tk.start[i] as number] as number);
          tokEnd.push(ne[(tk.end[i] as number) - 1] as number);
        }
      }
      if (withSpans) {
        for (let l = 0; l < L; l++) {
          const label = LABELS[l] as Label;
          if (scores[label] < (this.spanMinScore[l] as number)) continue;
          let maxC = 0;
          for (let i = 0; i < T; i++) maxC = Math.max(maxC, contrib[i * L + l] as number);
          const minW = Math.max(this.spanMinWeight[l] as number, this.spanRelative * maxC);
          let i = 0;
          while (i < T) {
            if ((contrib[i * L + l] as number) < minW) {
              i++;
              continue;
            }
            let j = i;
            let weight = 0;
            while (j < T && (contrib[j * L + l] as number) >= minW) {
              weight = Math.max(weight, contrib[j * L + l] as number);
              j++;
            }
            spans.push({
              start: ns[tk.start[i] as number] as number,
              end: ne[(tk.end[j - 1] as number) - 1] as number,
              label,
              weight: Math.round(weight * 1000) / 1000,
            });
            i = j;
          }
        }
        // engine v4: a threat at or over hold with a threat construction points at the construction's words
        // (model threat spans that overlap a construction give way to it)
        if (threats.length > 0 && scores.threat >= this.thresholds.threat.hold) {
          const made = threats.map((m) => ({
            start: ns[tk.start[m.first] as number] as number,
            end: ne[(tk.end[m.last] as number) - 1] as number,
            label: 'threat' as const,
            weight: Math.round((logits[THREAT] as number) * 1000) / 1000,
          }));
          for (let k = spans.length - 1; k >= 0; k--) {
            const x = spans[k] as Span;
            if (x.label === 'threat' && made.some((m) => m.start < x.end && x.start < m.end)) spans.splice(k, 1);
          }
          spans.push(...made);
        }
        // Every label at or over its hold threshold points at words: when the rule above found no span
        // for it, the token that contributes most to it, grown over its clause's neighbours that
        // contribute at least 30% as much, becomes the span.
        for (let l = 0; l < L; l++) {
          const label = LABELS[l] as Label;
          if (scores[label] < this.thresholds[label].hold || T === 0) continue;
          if (spans.some((x) => x.label === label)) continue;
          let best = 0;
          for (let i = 1; i < T; i++) if ((contrib[i * L + l] as number) > (contrib[best * L + l] as number)) best = i;
          const top = contrib[best * L + l] as number;
          if (!(top > 0)) continue;
          const min = 0.3 * top;
          const c = tk.clause[best] as number;
          let a = best;
          let b = best;
          while (a > 0 && tk.clause[a - 1] === c && (contrib[(a - 1) * L + l] as number) >= min) a--;
          while (b + 1 < T && tk.clause[b + 1] === c && (contrib[(b + 1) * L + l] as number) >= min) b++;
          spans.push({
            start: ns[tk.start[a] as number] as number,
            end: ne[(tk.end[b] as number) - 1] as number,
            label,
            weight: Math.round(top * 1000) / 1000,
          });
        }
        spans.sort((a, b) => a.start - b.start || b.weight - a.weight);
      }
    }
    return { result: { scores, spans }, raw: { logits, whole, maxSentence: maxS, maxSegment: maxSeg }, tokStart, tokEnd, contrib };
  }
}
