// The model: hashed linear weights (one column per label) plus the settings used at scoring time,
// stored as a gzip'd file: "PRLYMDL1", u32 length of the JSON metadata, the metadata, padding to
// 2 bytes, then int16 weights (dim x labels, row-major) with one scale per label.
import { readFileSync, writeFileSync } from 'node:fs';
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import { LABELS, NUM_LABELS, type Label, type LabelThresholds } from './labels.js';

const MAGIC = 'PRLYMDL1';

export interface ModelMeta {
  format: 'parley-linear-1';
  version: string;
  /** number of hash buckets (power of two) */
  dim: number;
  labels: Label[];
  bias: number[];
  /** per-label int16 scale of the weights */
  scales: number[];
  /** per label: final logit = combine * wholeTextLogit + (1 - combine) * maxOverSentencesLogit */
  combine: number[];
  /**
   * per label, when present: the final logit is at least (max over sentences and clauses) + segmentFloor[l],
   * so that a harmful sentence or clause keeps its score however much text surrounds it (absent: no floor)
   */
  segmentFloor?: number[];
  thresholds: Record<Label, LabelThresholds>;
  /** a token is part of a span for label l when its contribution to l's logit is >= spanMinWeight[l] and the text's score for l is >= spanMinScore[l] */
  spanMinWeight: number[];
  spanMinScore: number[];
  /** ...and its contribution is >= spanRelative x the largest contribution to l in the text */
  spanRelative?: number;
  /** word trigrams are features too (absent = false) */
  wordTrigrams?: boolean;
  /** identity-conjunction features (features.ts) are features too (absent = false) */
  identityConj?: boolean;
  /** free-form facts about how the model was trained */
  training: Record<string, unknown>;
}

export class LinearModel {
  constructor(
    public meta: ModelMeta,
    /** dim * NUM_LABELS weights, bucket-major: weights[bucket * NUM_LABELS + label] */
    public weights: Float32Array,
  ) {
    if (weights.length !== meta.dim * NUM_LABELS) throw new Error('weights do not match dim');
  }

  /** Rounds the weights to the int16 grid that the file stores, so that a saved model scores exactly like this one. */
  quantize(): void {
    const L = NUM_LABELS;
    const w = this.weights;
    const scales: number[] = [];
    for (let l = 0; l < L; l++) {
      let max = 0;
      for (let i = l; i < w.length; i += L) max = Math.max(max, Math.abs(w[i] as number));
      scales.push(max > 0 ? max / 32767 : 1);
    }
    for (let l = 0; l < L; l++) {
      const s = scales[l] as number;
      for (let i = l; i < w.length; i += L) w[i] = Math.round((w[i] as number) / s) * s;
    }
    this.meta.scales = scales;
  }

  toBuffer(): Buffer {
    const L = NUM_LABELS;
    if (this.meta.scales.length !== L) this.quantize();
    const meta = Buffer.from(JSON.stringify(this.meta), 'utf8');
    const headerLen = MAGIC.length + 4 + meta.length;
    const pad = headerLen % 2;
    const out = Buffer.alloc(headerLen + pad + this.weights.length * 2);
    out.write(MAGIC, 0, 'latin1');
    out.writeUInt32LE(meta.length, MAGIC.length);
    meta.copy(out, MAGIC.length + 4);
    const q = new Int16Array(out.buffer, out.byteOffset + headerLen + pad, this.weights.length);
    const w = this.weights;
    for (let i = 0; i < w.length; i++) {
      const s = this.meta.scales[i % L] as number;
      q[i] = Math.max(-32767, Math.min(32767, Math.round((w[i] as number) / s)));
    }
    return gzipSync(out, { level: 9 });
  }

  save(path: string): void {
    writeFileSync(path, this.toBuffer());
  }

  static fromBuffer(gz: Buffer): LinearModel {
    // Inflated into one buffer of the size the gzip trailer records (bounded by deflate's 1032:1), not into 16 KB
    // pieces joined by a copy at the end, which would stay in malloc's heap after the load. One byte to spare: when a
    // buffer comes back full, zlib allocates another of the same size (12 MB more here).
    const inflatedSize = Math.min(gz.length >= 4 ? gz.readUInt32LE(gz.length - 4) : 0, gz.length * 1032);
    const buf = gunzipSync(gz, { chunkSize: Math.max(inflatedSize + 1, zlibConstants.Z_MIN_CHUNK) });
    if (buf.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error('not a Parley model file');
    const metaLen = buf.readUInt32LE(MAGIC.length);
    const meta = JSON.parse(buf.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + metaLen)) as ModelMeta;
    if (meta.format !== 'parley-linear-1') throw new Error(`unsupported model format ${String(meta.format)}`);
    if (meta.labels.join() !== LABELS.join()) throw new Error('model labels differ from this engine');
    const headerLen = MAGIC.length + 4 + metaLen;
    const off = headerLen + (headerLen % 2);
    const n = meta.dim * NUM_LABELS;
    // Read in place, not copied: 12 MB less held until the next full collection. gunzipSync's buffer starts 8-byte
    // aligned (fresh or pooled), so the padded offset is 2-byte aligned; the copy is only a guard.
    if (buf.length < off + n * 2) throw new Error(`the model file is truncated: ${buf.length} bytes, its weights need ${off + n * 2}`);
    const at = buf.byteOffset + off;
    const weights = at % 2 === 0 ? new Int16Array(buf.buffer, at, n) : new Int16Array(buf.buffer.slice(at, at + n * 2));
    const w = new Float32Array(n);
    const L = NUM_LABELS;
    const sc = Float64Array.from(meta.scales);
    for (let l = 0; l < L; l++) {
      const f = sc[l] as number;
      for (let i = l; i < n; i += L) w[i] = (weights[i] as number) * f;
    }
    return new LinearModel(meta, w);
  }

  static load(path: string): LinearModel {
    return LinearModel.fromBuffer(readFileSync(path));
  }
}
