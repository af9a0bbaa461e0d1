// Training: hashed word/char n-gram features -> one logistic output per label, trained jointly with
// lazy (sparse) AdamW on a masked, soft-label, class- and source-weighted binary cross-entropy.
import { LinearClassifier } from '../classifier.js';
import { textFeatures } from '../features.js';
import { LABELS, NUM_LABELS, type Label, type LabelThresholds } from '../labels.js';
import { LinearModel, type ModelMeta } from '../model.js';
import { cleanForTraining, deriveSevere, fnv1a, isHeldOut, isSpanTune, loadCsv, type Example } from './data.js';
import { prAt, rocAuc } from './metrics.js';
import { contribsOf, loadSpans, predictedChars, type TokenContribs } from './spans.js';
import { spanF1 } from './metrics.js';
import { templateExamples, type ContextTemplates } from './templates.js';
import { mulberry32 } from './random.js';
import { evasionCopies } from './augment.js';
import { THREAT_FLOOR } from '../threats.js';

const L = NUM_LABELS;

export interface TrainOptions {
  files: string[];
  /** spans.jsonl for tuning span thresholds on its non-held-out rows (optional) */
  spansFile?: string;
  dim: number;
  epochs: number;
  lr: number;
  batch: number;
  weightDecay: number;
  seed: number;
  /** fraction of the training rows to use (stable hash), for quick runs */
  sample: number;
  templates: boolean;
  /** also the engine-v2 context templates (templates.ts) */
  contextTemplates: ContextTemplates;
  /** learn one extra intercept per (source, label), dropped at scoring time, so that differences in base rate between sources are not learned from their style */
  sourceBias: boolean;
  /** multipliers of the per-source weights, e.g. { civil_comments_spans: 0.5 } */
  sourceMultiplier: Record<string, number>;
  /** labels to ignore per source, e.g. { toxigen_human: ['identity_hate'] } */
  maskLabels?: Record<string, Label[]>;
  /** add word trigrams to the features */
  trigrams: boolean;
  /** add identity-conjunction features (features.ts: word x "its sentence names an identity group") */
  identityConj: boolean;
  /** add one-letter-misspelled copies of training rows with a lexicon word (augment.ts) */
  augmentEvasions: boolean;
  /** tune a per-label floor from the max over sentences and clauses (model.ts segmentFloor) */
  segmentFloor: boolean;
  /**
   * fine-tune: start from this model's weights and intercepts (its dim and feature settings must be given too), keep
   * its scoring settings (sentence mix, segment floors, span rule), and retune only the thresholds of labels with
   * enough held-out positives and negatives (fine-tune.ts)
   */
  base?: LinearModel;
  log: (msg: string) => void;
}

export const DEFAULT_TRAIN_OPTIONS: Omit<TrainOptions, 'files' | 'log'> = {
  dim: 1 << 20,
  epochs: 4,
  lr: 0.005,
  batch: 32,
  weightDecay: 1e-5,
  seed: 20261125,
  sample: 1,
  templates: true,
  contextTemplates: 'identity',
  sourceBias: true,
  trigrams: false,
  identityConj: true,
  augmentEvasions: false,
  segmentFloor: true,
  sourceMultiplier: { civil_comments_spans: 0.5 },
};

/** Sources whose `toxic` column is (nearly) constant, so it only teaches the source's style: toxic is masked there. */
const MASK_TOXIC_SOURCES = new Set(['civil_comments_spans']);

/**
 * Sources whose rows were picked because they are toxic (or are mostly toxic): their held-out rows
 * would pull the thresholds far below what a news site's natural mix needs, so thresholds are chosen
 * on the held-out rows of the other sources.
 */
export const TOXIC_SELECTED_SOURCES = new Set(['civil_comments_spans', 'davidson2017_tweets', 'hatexplain_twitter_gab']);


export function prepareExamples(files: readonly string[], templates: boolean, contextTemplates: ContextTemplates = 'none'): Example[] {
  const all: Example[] = [];
  for (const f of files) all.push(...loadCsv(f));
  if (templates) all.push(...templateExamples(contextTemplates));
  const out: Example[] = [];
  for (const e of all) {
    const text = cleanForTraining(e.text);
    if (text.length === 0) continue;
    deriveSevere(e.y);
    out.push({ ...e, text });
  }
  return out;
}

export interface TrainResult {
  model: LinearModel;
  classifier: LinearClassifier;
  train: Example[];
  val: Example[];
}

export function train(opts: TrainOptions): TrainResult {
  return trainOnExamples(prepareExamples(opts.files, opts.templates, opts.contextTemplates), opts);
}

/** Trains on examples already loaded (and cleaned); rows of the held-out split are set aside for tuning. */
export function trainOnExamples(examples: Example[], opts: TrainOptions): TrainResult {
  const t0 = Date.now();
  const log = opts.log;
  const val = examples.filter((e) => e.source !== 'parley_templates' && isHeldOut(e.id));
  let trainSet = examples.filter((e) => e.source === 'parley_templates' || (!isHeldOut(e.id) && !isSpanTune(e.id)));
  if (opts.sample < 1) trainSet = trainSet.filter((e) => fnv1a(`sample:${e.id}`) / 4294967296 < opts.sample);
  log(`examples: ${examples.length} (train ${trainSet.length}, held out ${val.length})`);

  // ---- weights ----
  const bySource = new Map<string, number>();
  for (const e of trainSet) bySource.set(e.source, (bySource.get(e.source) ?? 0) + 1);
  const sizes = [...bySource.values()].sort((a, b) => a - b);
  const median = sizes[Math.floor(sizes.length / 2)] ?? 1;
  const sourceWeight = new Map<string, number>();
  for (const [s, n] of bySource) {
    const w = Math.min(3, Math.max(0.5, Math.sqrt(median / n))) * (opts.sourceMultiplier[s] ?? 1);
    sourceWeight.set(s, w);
    log(`  source ${s}: ${n} rows, weight ${w.toFixed(3)}`);
  }
  // evasion augmentation (augment.ts): copies weigh half of their source's rows; source weights and
  // intercepts are those of the originals
  const augmented = opts.augmentEvasions ? evasionCopies(trainSet) : [];
  if (augmented.length > 0) {
    log(`  evasion copies: ${augmented.length} rows, weight x0.5`);
    trainSet = [...trainSet, ...augmented];
  }
  const isCopy = (e: Example): boolean => e.id.endsWith('~ev');
  const N = trainSet.length;
  const Y = new Float32Array(N * L);
  const EW = new Float32Array(N);
  const pos = new Float64Array(L);
  const neg = new Float64Array(L);
  trainSet.forEach((e, i) => {
    EW[i] = (sourceWeight.get(e.source) ?? 1) * (isCopy(e) ? 0.5 : 1);
    for (let l = 0; l < L; l++) {
      let y = e.y[l] as number;
      if (l === 0 && MASK_TOXIC_SOURCES.has(e.source)) y = NaN;
      if (opts.maskLabels?.[e.source]?.includes(LABELS[l] as Label)) y = NaN;
      Y[i * L + l] = y;
      if (!Number.isNaN(y)) {
        pos[l] = (pos[l] as number) + (EW[i] as number) * y;
        neg[l] = (neg[l] as number) + (EW[i] as number) * (1 - y);
      }
    }
  });
  const posWeight = new Float64Array(L);
  for (let l = 0; l < L; l++) {
    posWeight[l] = Math.min(10, Math.max(1, Math.sqrt((neg[l] as number) / Math.max(1, pos[l] as number))));
    log(`  label ${LABELS[l]}: positives ${(pos[l] as number).toFixed(0)} / negatives ${(neg[l] as number).toFixed(0)} (weighted), pos weight ${(posWeight[l] as number).toFixed(2)}`);
  }

  // ---- features ----
  const D = opts.dim;
  const feats = trainSet.map((e) => textFeatures(e.text, D, opts.trigrams, opts.identityConj));
  const offs = new Int32Array(N + 1);
  for (let i = 0; i < N; i++) offs[i + 1] = (offs[i] as number) + (feats[i] as { index: Int32Array }).index.length;
  const total = offs[N] as number;
  const IDX = new Int32Array(total);
  const VAL = new Float32Array(total);
  feats.forEach((f, i) => {
    IDX.set(f.index, offs[i] as number);
    VAL.set(f.value, offs[i] as number);
  });
  feats.length = 0;
  log(`features: ${total} non-zeros (${(total / Math.max(1, N)).toFixed(0)} per row), ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // ---- lazy AdamW ----
  const W = new Float32Array(D * L);
  const M = new Float32Array(D * L);
  const V = new Float32Array(D * L);
  const G = new Float32Array(D * L);
  const flag = new Uint8Array(D);
  const touched = new Int32Array(D);
  const bias = new Float64Array(L);
  const sourceIds = new Map<string, number>();
  for (const e of trainSet) if (!sourceIds.has(e.source)) sourceIds.set(e.source, sourceIds.size);
  const SRC = Int32Array.from(trainSet, (e) => sourceIds.get(e.source) as number);
  const sbias = new Float64Array(sourceIds.size * L);
  const smb = new Float64Array(sourceIds.size * L);
  const svb = new Float64Array(sourceIds.size * L);
  const sg = new Float64Array(sourceIds.size * L);
  const mb = new Float64Array(L);
  const vb = new Float64Array(L);
  // start the biases at the weighted base rates
  for (let l = 0; l < L; l++) {
    const p = Math.min(0.99, Math.max(0.01, (pos[l] as number) / Math.max(1, (pos[l] as number) + (neg[l] as number))));
    bias[l] = Math.log(p / (1 - p));
  }
  if (opts.base) {
    if (opts.base.meta.dim !== D) throw new Error(`the base model has ${opts.base.meta.dim} buckets, not ${D}`);
    W.set(opts.base.weights);
    for (let l = 0; l < L; l++) bias[l] = opts.base.meta.bias[l] as number;
  }
  const b1 = 0.9;
  const b2 = 0.999;
  const eps = 1e-8;
  const rand = mulberry32(opts.seed);
  const order = new Int32Array(N);
  for (let i = 0; i < N; i++) order[i] = i;
  const z = new Float64Array(L);
  const g = new Float64Array(L);
  const gb = new Float64Array(L);
  const B = opts.batch;
  const stepsPerEpoch = Math.ceil(N / B);
  const totalSteps = stepsPerEpoch * opts.epochs;
  let step = 0;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = N - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
    let lossSum = 0;
    let lossW = 0;
    for (let b0 = 0; b0 < N; b0 += B) {
      const b1end = Math.min(N, b0 + B);
      let nt = 0;
      gb.fill(0);
      for (let bi = b0; bi < b1end; bi++) {
        const ex = order[bi] as number;
        const ka = offs[ex] as number;
        const kb = offs[ex + 1] as number;
        const so = (SRC[ex] as number) * L;
        for (let l = 0; l < L; l++) z[l] = (bias[l] as number) + (opts.sourceBias ? (sbias[so + l] as number) : 0);
        for (let k = ka; k < kb; k++) {
          const o = (IDX[k] as number) * L;
          const v = VAL[k] as number;
          for (let l = 0; l < L; l++) z[l] = (z[l] as number) + v * (W[o + l] as number);
        }
        const ew = EW[ex] as number;
        let any = false;
        for (let l = 0; l < L; l++) {
          const y = Y[ex * L + l] as number;
          if (Number.isNaN(y)) {
            g[l] = 0;
            continue;
          }
          any = true;
          const zl = z[l] as number;
          const p = 1 / (1 + Math.exp(-zl));
          const pw = posWeight[l] as number;
          g[l] = ew * (p * (pw * y + 1 - y) - pw * y);
          // loss for logging
          const lp = zl >= 0 ? -Math.log1p(Math.exp(-zl)) : zl - Math.log1p(Math.exp(zl));
          const lq = zl >= 0 ? -zl - Math.log1p(Math.exp(-zl)) : -Math.log1p(Math.exp(zl));
          lossSum += ew * -(pw * y * lp + (1 - y) * lq);
          lossW += ew;
          gb[l] = (gb[l] as number) + (g[l] as number);
          sg[so + l] = (sg[so + l] as number) + (g[l] as number);
        }
        if (!any) continue;
        for (let k = ka; k < kb; k++) {
          const row = IDX[k] as number;
          if (flag[row] === 0) {
            flag[row] = 1;
            touched[nt++] = row;
          }
          const o = row * L;
          const v = VAL[k] as number;
          for (let l = 0; l < L; l++) G[o + l] = (G[o + l] as number) + (g[l] as number) * v;
        }
      }
      step++;
      const lr = opts.lr * (1 - 0.9 * (step / totalSteps));
      const bc1 = 1 - Math.pow(b1, step);
      const bc2 = 1 - Math.pow(b2, step);
      const inv = 1 / (b1end - b0);
      const decay = 1 - lr * opts.weightDecay;
      for (let t = 0; t < nt; t++) {
        const row = touched[t] as number;
        flag[row] = 0;
        const o = row * L;
        for (let l = 0; l < L; l++) {
          const gi = (G[o + l] as number) * inv;
          G[o + l] = 0;
          if (gi === 0) continue;
          const m = b1 * (M[o + l] as number) + (1 - b1) * gi;
          const v = b2 * (V[o + l] as number) + (1 - b2) * gi * gi;
          M[o + l] = m;
          V[o + l] = v;
          W[o + l] = (W[o + l] as number) * decay - (lr * (m / bc1)) / (Math.sqrt(v / bc2) + eps);
        }
      }
      if (opts.sourceBias) {
        for (let k = 0; k < sg.length; k++) {
          const gi = (sg[k] as number) * inv + 1e-3 * (sbias[k] as number);
          sg[k] = 0;
          smb[k] = b1 * (smb[k] as number) + (1 - b1) * gi;
          svb[k] = b2 * (svb[k] as number) + (1 - b2) * gi * gi;
          sbias[k] = (sbias[k] as number) - (lr * ((smb[k] as number) / bc1)) / (Math.sqrt((svb[k] as number) / bc2) + eps);
        }
      } else sg.fill(0);
      for (let l = 0; l < L; l++) {
        const gi = (gb[l] as number) * inv;
        mb[l] = b1 * (mb[l] as number) + (1 - b1) * gi;
        vb[l] = b2 * (vb[l] as number) + (1 - b2) * gi * gi;
        bias[l] = (bias[l] as number) - (lr * ((mb[l] as number) / bc1)) / (Math.sqrt((vb[l] as number) / bc2) + eps);
      }
    }
    log(`epoch ${epoch + 1}/${opts.epochs}: weighted loss ${(lossSum / Math.max(1, lossW)).toFixed(4)}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }

  const thresholds = {} as Record<Label, LabelThresholds>;
  for (const l of LABELS) thresholds[l] = { hold: 0.5, reject: 0.9 };
  const meta: ModelMeta = {
    format: 'parley-linear-1',
    version: '',
    dim: D,
    labels: [...LABELS],
    bias: Array.from(bias),
    scales: [],
    combine: new Array<number>(L).fill(0.25),
    thresholds,
    spanMinWeight: new Array<number>(L).fill(0.3),
    spanMinScore: new Array<number>(L).fill(0.3),
    spanRelative: 0,
    wordTrigrams: opts.trigrams,
    identityConj: opts.identityConj,
    training: {
      files: opts.files.map((f) => f.replace(/^.*[\\/]/, '')),
      rows: N,
      heldOut: val.length,
      epochs: opts.epochs,
      lr: opts.lr,
      batch: opts.batch,
      weightDecay: opts.weightDecay,
      seed: opts.seed,
      sample: opts.sample,
      templates: opts.templates,
      sourceBias: opts.sourceBias,
      sourceIntercepts: opts.sourceBias ? Object.fromEntries([...sourceIds].map(([k, i]) => [k, Array.from(sbias.subarray(i * L, i * L + L), (x) => Math.round(x * 1000) / 1000)])) : undefined,
      sourceWeights: Object.fromEntries(sourceWeight),
      posWeights: Array.from(posWeight),
    },
  };
  if (opts.base) meta.training = { ...meta.training, base: opts.base.meta.version };
  const model = new LinearModel(meta, W);
  model.quantize();
  const classifier = opts.base ? retune(model, opts.base, val, opts) : tune(model, val, opts);
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { model, classifier, train: trainSet, val };
}

/** Segment floors tried (logit units; -Infinity = no floor), the tolerance, and the floor for labels with too few positives. */
const FLOORS = [-Infinity, -2, -1.5, -1, -0.5, 0];
const FLOOR_TOLERANCE = 0.003;
const DEFAULT_FLOOR = -1;

/** The final logit as the classifier computes it (classifier.ts). */
function zOf(g: number, floor: number, whole: Float64Array, maxS: Float64Array, maxSeg: Float64Array, l: number): number {
  const z = g * (whole[l] as number) + (1 - g) * (maxS[l] as number);
  return Number.isFinite(floor) ? Math.max(z, (maxSeg[l] as number) + floor) : z;
}

/** Chooses, on the held-out rows: the whole/max-sentence mix, thresholds per label; on spans' training rows: span thresholds. */
function tune(model: LinearModel, val: readonly Example[], opts: TrainOptions): LinearClassifier {
  const log = opts.log;
  const meta = model.meta;
  // raw logits once (a floor that never binds makes the classifier compute the clause maxima)
  if (opts.segmentFloor) meta.segmentFloor = new Array<number>(L).fill(-1000);
  let clf = new LinearClassifier(model);
  const whole: Float64Array[] = [];
  const maxS: Float64Array[] = [];
  const maxSeg: Float64Array[] = [];
  for (const e of val) {
    const r = clf.raw(e.text);
    whole.push(r.whole);
    maxS.push(r.maxSentence);
    maxSeg.push(r.maxSegment);
  }
  // per label: final logit = g * whole + (1 - g) * max over sentences, g chosen by held-out ROC-AUC
  const combine: number[] = [];
  const floors: number[] = [];
  for (let l = 0; l < L; l++) {
    const p: boolean[] = [];
    const rows: number[] = [];
    val.forEach((e, i) => {
      const y = e.y[l] as number;
      if (Number.isNaN(y)) return;
      rows.push(i);
      p.push(y >= 0.5);
    });
    let bestG = 0.25;
    let best = -1;
    const report: string[] = [];
    if (p.filter(Boolean).length >= 10) {
      for (const gmix of [0, 0.25, 0.5, 0.75, 1]) {
        const sc = rows.map((i) => gmix * ((whole[i] as Float64Array)[l] as number) + (1 - gmix) * ((maxS[i] as Float64Array)[l] as number));
        const a = rocAuc(sc, p);
        report.push(`${gmix}: ${a.toFixed(4)}`);
        if (a > best) {
          best = a;
          bestG = gmix;
        }
      }
    }
    combine.push(bestG);
    log(`  ${LABELS[l]}: whole-text weight ${bestG} (held-out ROC-AUC by weight: ${report.join(', ') || 'too few positives, default'})`);
    // segment floor: the final logit is at least (max over sentences and clauses) + floor. The highest
    // floor (the most robust to padding) whose held-out ROC-AUC is within FLOOR_TOLERANCE of the
    // best floor's (no floor included) is chosen.
    let chosen = -Infinity;
    if (opts.segmentFloor) {
      const auc = new Map<number, number>();
      for (const f of FLOORS) {
        const sc = rows.map((i) => zOf(bestG, f, whole[i] as Float64Array, maxS[i] as Float64Array, maxSeg[i] as Float64Array, l));
        auc.set(f, p.filter(Boolean).length >= 10 ? rocAuc(sc, p) : NaN);
      }
      const best = Math.max(...[...auc.values()].filter((x) => !Number.isNaN(x)));
      chosen = Number.isFinite(best) ? Math.max(...FLOORS.filter((f) => (auc.get(f) as number) >= best - FLOOR_TOLERANCE)) : DEFAULT_FLOOR;
      log(`  ${LABELS[l]}: segment floor ${chosen} (held-out ROC-AUC by floor: ${FLOORS.map((f) => `${f}: ${(auc.get(f) as number).toFixed(4)}`).join(', ')})`);
    }
    floors.push(chosen);
  }
  meta.combine = combine;
  if (opts.segmentFloor) meta.segmentFloor = floors.map((f) => (Number.isFinite(f) ? f : -1000));
  else delete meta.segmentFloor;
  // thresholds: on held-out rows of the sources that are not pre-selected to be mostly toxic
  for (let l = 0; l < L; l++) {
    const label = LABELS[l] as Label;
    const s: number[] = [];
    const p: boolean[] = [];
    val.forEach((e, i) => {
      const y = e.y[l] as number;
      if (Number.isNaN(y) || TOXIC_SELECTED_SOURCES.has(e.source)) return;
      const zz = zOf(combine[l] as number, floors[l] as number, whole[i] as Float64Array, maxS[i] as Float64Array, maxSeg[i] as Float64Array, l);
      s.push(1 / (1 + Math.exp(-zz)));
      p.push(y >= 0.5);
    });
    meta.thresholds[label] = withinHoldCeiling(label, chooseThresholds(s, p), log);
    log(`  ${label}: hold ${meta.thresholds[label].hold}, reject ${meta.thresholds[label].reject} (${p.filter(Boolean).length} positives in ${p.length})`);
  }
  // Severity: a threat is rejected outright when its score is above that of every held-out row that is
  // not a threat (rows labelled not-threat, and rows of any source labelled not toxic), when the
  // precision rule above finds no reject line for it (too few positives).
  for (const label of SEVERE_LABELS) {
    const l = LABELS.indexOf(label);
    if (meta.thresholds[label].reject < 0.99) continue;
    const neg: number[] = [];
    const pos: number[] = [];
    val.forEach((e, i) => {
      const y = e.y[l] as number;
      const notToxic = !Number.isNaN(e.y[0] as number) && (e.y[0] as number) < 0.5;
      if (Number.isNaN(y) && !notToxic) return;
      const zz = zOf(combine[l] as number, floors[l] as number, whole[i] as Float64Array, maxS[i] as Float64Array, maxSeg[i] as Float64Array, l);
      ((Number.isNaN(y) ? 0 : y) >= 0.5 ? pos : neg).push(1 / (1 + Math.exp(-zz)));
    });
    const reject = severeReject(neg, pos, meta.thresholds[label].hold);
    if (reject !== null) meta.thresholds[label].reject = reject;
    log(`  ${label}: severe reject ${meta.thresholds[label].reject} (above all ${neg.length} held-out negatives; ${pos.filter((x) => x >= meta.thresholds[label].reject).length} of ${pos.length} positives above it)`);
  }
  // span rule, tuned on the span-tuning slice of spans.jsonl (posts kept out of training and of the held-out split)
  meta.spanRelative = 0;
  if (opts.spansFile) {
    clf = new LinearClassifier(model);
    const rows = loadSpans(opts.spansFile).filter((r) => isSpanTune(r.id));
    const contribs: TokenContribs[] = rows.map((r) => contribsOf(clf, r.text));
    let bestF = -1;
    let bestW = 0.3;
    let bestS = 1;
    let bestR = 0;
    for (const minW of [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2, 2.5, 3]) {
      for (const frac of [0.75, 1, 1.25, 1.5, 2]) {
        for (const rel of [0, 0.25, 0.5, 0.75]) {
          const mw = new Array<number>(L).fill(minW);
          const ms = LABELS.map((lb) => meta.thresholds[lb].hold * frac);
          let f = 0;
          rows.forEach((r, i) => {
            f += spanF1(predictedChars(contribs[i] as TokenContribs, mw, ms, rel), r.gold);
          });
          f /= Math.max(1, rows.length);
          if (f > bestF) {
            bestF = f;
            bestW = minW;
            bestS = frac;
            bestR = rel;
          }
        }
      }
    }
    meta.spanMinWeight = new Array<number>(L).fill(bestW);
    meta.spanMinScore = LABELS.map((lb) => Math.min(0.99, Math.round(meta.thresholds[lb].hold * bestS * 1e4) / 1e4));
    meta.spanRelative = bestR;
    log(`  spans: min contribution ${bestW}, min score = ${bestS} x hold, relative ${bestR}; F1 on ${rows.length} span-tuning rows ${bestF.toFixed(4)}`);
  } else {
    meta.spanMinWeight = new Array<number>(L).fill(1);
    meta.spanMinScore = LABELS.map((lb) => meta.thresholds[lb].hold);
  }
  // version: content hash of the weights and of the scoring settings (so that a retuned model gets a new version)
  const w = new Uint8Array(model.weights.buffer);
  let h = 0x811c9dc5;
  for (let i = 0; i < w.length; i += 7) h = Math.imul(h ^ (w[i] as number), 16777619);
  if (meta.segmentFloor) {
    const settings = JSON.stringify([meta.combine, meta.segmentFloor, meta.thresholds, meta.spanMinWeight, meta.spanMinScore, meta.spanRelative]);
    for (let i = 0; i < settings.length; i++) h = Math.imul(h ^ settings.charCodeAt(i), 16777619);
  }
  meta.version = `parley-linear-${(h >>> 0).toString(16).padStart(8, '0')}`;
  return new LinearClassifier(model);
}

/** Fewest held-out positives and negatives of a label for a fine-tuned model to choose its own thresholds. */
const RETUNE_MIN_ROWS = 10;

/**
 * A fine-tuned model keeps its base's scoring settings (sentence mix, segment floors, span rule) and thresholds, and
 * chooses a new hold line only for the labels with at least RETUNE_MIN_ROWS positives and negatives among the held-out rows.
 */
function retune(model: LinearModel, base: LinearModel, val: readonly Example[], opts: TrainOptions): LinearClassifier {
  const meta = model.meta;
  const b = base.meta;
  meta.combine = [...b.combine];
  if (b.segmentFloor) meta.segmentFloor = [...b.segmentFloor];
  else delete meta.segmentFloor;
  meta.spanMinWeight = [...b.spanMinWeight];
  meta.spanMinScore = [...b.spanMinScore];
  meta.spanRelative = b.spanRelative ?? 0;
  meta.thresholds = Object.fromEntries(LABELS.map((l) => [l, { ...b.thresholds[l] }])) as Record<Label, LabelThresholds>;
  const clf = new LinearClassifier(model);
  const scored = val.map((e) => clf.score(e.text).scores);
  for (let l = 0; l < L; l++) {
    const label = LABELS[l] as Label;
    const s: number[] = [];
    const p: boolean[] = [];
    val.forEach((e, i) => {
      const y = e.y[l] as number;
      if (Number.isNaN(y)) return;
      s.push((scored[i] as Record<Label, number>)[label]);
      p.push(y >= 0.5);
    });
    const positives = p.filter(Boolean).length;
    if (positives >= RETUNE_MIN_ROWS && p.length - positives >= RETUNE_MIN_ROWS) {
      // A new hold line; the reject line stays the base's (chosen on far more rows), never below hold: a site model
      // sends more or fewer comments to people, it does not reject on a line drawn from a few hundred rows.
      const chosen = withinHoldCeiling(label, chooseThresholds(s, p), opts.log);
      meta.thresholds[label] = { hold: chosen.hold, reject: Math.max(chosen.hold, b.thresholds[label].reject) };
    }
    opts.log(`  ${label}: hold ${meta.thresholds[label].hold}, reject ${meta.thresholds[label].reject} (${positives} positives in ${p.length} held-out rows${positives >= RETUNE_MIN_ROWS && p.length - positives >= RETUNE_MIN_ROWS ? '' : '; the base model\'s'})`);
  }
  const w = new Uint8Array(model.weights.buffer);
  let h = 0x811c9dc5;
  for (let i = 0; i < w.length; i += 7) h = Math.imul(h ^ (w[i] as number), 16777619);
  const settings = JSON.stringify([meta.combine, meta.segmentFloor ?? null, meta.thresholds, meta.spanMinWeight, meta.spanMinScore, meta.spanRelative, b.version]);
  for (let i = 0; i < settings.length; i++) h = Math.imul(h ^ settings.charCodeAt(i), 16777619);
  meta.version = `parley-site-${(h >>> 0).toString(16).padStart(8, '0')}`;
  return new LinearClassifier(model);
}

/**
 * The highest hold line a label may take. A threat construction (threats.ts) guarantees only its floor's score, so a
 * threat hold line chosen above the lowest floor (on a handful of held-out positives) would silently stop holding
 * every threat those rules were written to catch.
 */
export function holdCeiling(label: Label): number {
  if (label !== 'threat') return 1;
  const lowestFloor = Math.min(...Object.values(THREAT_FLOOR));
  return Math.floor(1e4 / (1 + Math.exp(-lowestFloor))) / 1e4;
}

/** Thresholds with hold lowered to the label's ceiling when chosen above it (reject, already >= hold, is kept). */
export function withinHoldCeiling(label: Label, chosen: LabelThresholds, log: (line: string) => void): LabelThresholds {
  const ceiling = holdCeiling(label);
  if (chosen.hold <= ceiling) return chosen;
  log(`  ${label}: hold ${chosen.hold} chosen above the threat constructions' lowest floor; lowered to ${ceiling}`);
  return { hold: ceiling, reject: chosen.reject };
}

/** Labels whose clear cases are rejected by default even when few labelled positives exist (severity). */
export const SEVERE_LABELS: readonly Label[] = ['threat'];

/**
 * The reject line of a severe label: just above the highest score of any negative (precision 1 on the
 * rows given), never below hold; null when no positive reaches it.
 */
export function severeReject(negatives: readonly number[], positives: readonly number[], hold: number): number | null {
  const top = negatives.reduce((a, x) => Math.max(a, x), 0);
  const line = Math.max(hold, Math.ceil((top + 0.001) * 1e4) / 1e4);
  if (line >= 0.99 || !positives.some((x) => x >= line)) return null;
  return line;
}

/**
 * hold: the threshold with the best F1 on the held-out rows ("a person should look": the balance point
 * between missed and needless reviews); reject: the lowest threshold whose held-out precision is >= 0.95
 * with at least 10 positives above it (near-certain), never below hold; if no threshold reaches that, 0.99.
 */
export function chooseThresholds(scores: number[], positive: boolean[]): LabelThresholds {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  const totalPos = positive.filter(Boolean).length;
  if (totalPos === 0) return { hold: 0.5, reject: 0.99 };
  let tp = 0;
  let fp = 0;
  let hold = NaN;
  let reject = NaN;
  let bestF1 = -1;
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    if (positive[i]) tp++;
    else fp++;
    const next = k + 1 < n ? (scores[order[k + 1] as number] as number) : -1;
    if (next === scores[i]) continue;
    const thr = scores[i] as number;
    const prec = tp / (tp + fp);
    if (prec >= 0.95 && tp >= 10) reject = thr;
    const f1 = (2 * tp) / (2 * tp + fp + (totalPos - tp));
    if (f1 > bestF1) {
      bestF1 = f1;
      hold = thr;
    }
  }
  if (Number.isNaN(hold)) hold = 0.5;
  if (Number.isNaN(reject)) reject = 0.99;
  reject = Math.max(reject, hold);
  const r4 = (x: number): number => Math.floor(x * 1e4) / 1e4;
  return { hold: r4(hold), reject: r4(reject) };
}

export function predictAt(scores: number[], thr: number): boolean[] {
  return scores.map((s) => s >= thr);
}
export { prAt };
