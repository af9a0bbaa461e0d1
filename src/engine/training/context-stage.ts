// Fits the context stage (context.ts) on top of a trained linear model: per label, one weight per
// context feature, by L2-regularised logistic regression with the linear model's logit as a fixed
// offset and one intercept per source (fitted, then dropped, as in training: base rates differ by
// source and are not context). The linear weights do not change. Rows: the training files' rows outside the held-out
// split and the span-tuning slice (a stable sample), plus the self-written context-stage templates.
import { LinearClassifier } from '../classifier.js';
import { NUM_CONTEXT_FEATURES } from '../context.js';
import { NUM_LABELS } from '../labels.js';
import { LinearModel } from '../model.js';
import { cleanForTraining, deriveSevere, fnv1a, isHeldOut, isSpanTune, loadCsv, type Example } from './data.js';
import { contextStageExamples } from './templates.js';

export interface ContextStageOptions {
  files: readonly string[];
  /** at most this many real rows (a stable sample by id) */
  maxRows: number;
  /** weight of each template row against a real row */
  templateWeight: number;
  /** L2 penalty on the weights (in rows) */
  l2: number;
  /** [low, high] logits: the stage acts only there (null: everywhere) */
  band: [number, number] | null;
  log?: (m: string) => void;
}

export const DEFAULT_CONTEXT_STAGE: Omit<ContextStageOptions, 'files'> = { maxRows: 60000, templateWeight: 3, l2: 1, band: null };

interface Row {
  y: number;
  w: number;
  z: number;
  /** context features, then a one-hot of the source */
  f: Float64Array;
}

/** Returns a copy of `base` with `contextWeights` fitted, and a new version. */
export function fitContextStage(base: LinearModel, opts: ContextStageOptions): LinearModel {
  const L = NUM_LABELS;
  const K = NUM_CONTEXT_FEATURES;
  const log = opts.log ?? (() => {});
  const real: Example[] = [];
  for (const f of opts.files) for (const e of loadCsv(f)) if (!isHeldOut(e.id) && !isSpanTune(e.id)) real.push(e);
  const keep = Math.min(1, opts.maxRows / Math.max(1, real.length));
  const rows = real.filter((e) => (fnv1a(`stage:${e.id}`) % 10000) / 10000 < keep);
  const templates = contextStageExamples();
  log(`context stage: ${rows.length} real rows, ${templates.length} template rows`);
  const probe = new LinearModel({ ...base.meta, contextWeights: new Array<number>(L * K).fill(0) }, base.weights);
  const clf = new LinearClassifier(probe);
  const perLabel: Row[][] = Array.from({ length: L }, () => []);
  const sources = [...new Set([...rows, ...templates].map((e) => e.source))];
  const P = K + sources.length;
  for (const [list, weight] of [[rows, 1], [templates, opts.templateWeight]] as const) {
    for (const e of list) {
      const text = cleanForTraining(e.text);
      if (text.length === 0) continue;
      const y = Float32Array.from(e.y);
      deriveSevere(y);
      const r = clf.raw(text);
      const feats = r.context;
      if (feats === null) continue; // no token
      for (let l = 0; l < L; l++) {
        const yl = y[l] as number;
        if (Number.isNaN(yl)) continue;
        const f = new Float64Array(P);
        const z = r.logits[l] as number;
        if (opts.band === null || (z >= opts.band[0] && z <= opts.band[1])) f.set(feats.subarray(l * K, (l + 1) * K));
        f[K + sources.indexOf(e.source)] = 1;
        perLabel[l]!.push({ y: yl, w: weight, z: r.logits[l] as number, f });
      }
    }
  }
  const weights = new Array<number>(L * K).fill(0);
  for (let l = 0; l < L; l++) {
    const data = perLabel[l]!;
    const w = new Float64Array(P);
    const n = data.reduce((s, r) => s + r.w, 0);
    // Newton's method on the penalised log-loss (few parameters)
    for (let it = 0; it < 30 && n > 0; it++) {
      const g = new Float64Array(P);
      const H = new Float64Array(P * P);
      for (let k = 0; k < P; k++) {
        g[k] = opts.l2 * (w[k] as number);
        H[k * P + k] = opts.l2;
      }
      for (const r of data) {
        let z = r.z;
        for (let k = 0; k < P; k++) z += (w[k] as number) * (r.f[k] as number);
        const p = 1 / (1 + Math.exp(-z));
        const d = r.w * (p - r.y);
        const c = r.w * Math.max(p * (1 - p), 1e-6);
        for (let a = 0; a < P; a++) {
          if (r.f[a] === 0) continue;
          g[a] = (g[a] as number) + d * (r.f[a] as number);
          for (let b = 0; b < P; b++) if (r.f[b] !== 0) H[a * P + b] = (H[a * P + b] as number) + c * (r.f[a] as number) * (r.f[b] as number);
        }
      }
      const step = solve(H, g, P);
      let moved = 0;
      for (let k = 0; k < P; k++) {
        w[k] = (w[k] as number) - (step[k] as number);
        moved = Math.max(moved, Math.abs(step[k] as number));
      }
      if (moved < 1e-6) break;
    }
    for (let k = 0; k < K; k++) weights[l * K + k] = Math.round((w[k] as number) * 1e4) / 1e4;
    log(`  label ${l}: ${data.length} rows; context weights ${Array.from(w.subarray(0, K), (x) => x.toFixed(2)).join(' ')}; source intercepts (dropped) ${Array.from(w.subarray(K), (x) => x.toFixed(2)).join(' ')}`);
  }
  const meta = { ...base.meta, contextWeights: weights, ...(opts.band ? { contextBand: opts.band } : {}), training: { ...base.meta.training, contextStage: { rows: rows.length, templates: templates.length, ...opts, files: opts.files.map((f) => f.replace(/^.*[\\/]/, '')), log: undefined } } };
  let h = 0x811c9dc5;
  const key = `${base.meta.version}:${JSON.stringify(weights)}:${JSON.stringify(opts.band)}`;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  meta.version = `parley-linear-${(h >>> 0).toString(16).padStart(8, '0')}`;
  return new LinearModel(meta, base.weights);
}

/** Solves H x = g for a small symmetric positive definite H (Gaussian elimination). */
function solve(H: Float64Array, g: Float64Array, K: number): Float64Array {
  const A = Float64Array.from(H);
  const x = Float64Array.from(g);
  for (let c = 0; c < K; c++) {
    const p = A[c * K + c] as number;
    for (let r = c + 1; r < K; r++) {
      const f = (A[r * K + c] as number) / p;
      if (f === 0) continue;
      for (let k = c; k < K; k++) A[r * K + k] = (A[r * K + k] as number) - f * (A[c * K + k] as number);
      x[r] = (x[r] as number) - f * (x[c] as number);
    }
  }
  for (let r = K - 1; r >= 0; r--) {
    let s = x[r] as number;
    for (let k = r + 1; k < K; k++) s -= (A[r * K + k] as number) * (x[k] as number);
    x[r] = s / (A[r * K + r] as number);
  }
  return x;
}
