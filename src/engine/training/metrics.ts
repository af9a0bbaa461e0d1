// Ranking and threshold metrics for binary targets (label >= 0.5 counts as positive).

/** ROC-AUC (probability that a random positive outranks a random negative; ties count half). NaN if a class is absent. */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let pos = 0;
  let neg = 0;
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (positive[order[k] as number]) {
        pos++;
        rankSum += avgRank;
      } else neg++;
    }
    i = j + 1;
  }
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** PR-AUC as average precision (step-wise, ties grouped). NaN if there is no positive. */
export function prAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let totalPos = 0;
  for (let i = 0; i < n; i++) if (positive[i]) totalPos++;
  if (totalPos === 0) return NaN;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  let prevRecall = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    for (let k = i; k <= j; k++) {
      if (positive[order[k] as number]) tp++;
      else fp++;
    }
    const recall = tp / totalPos;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
    i = j + 1;
  }
  return ap;
}

export interface PR {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

export function prAt(pred: ArrayLike<boolean>, positive: ArrayLike<boolean>): PR {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < pred.length; i++) {
    if (pred[i] && positive[i]) tp++;
    else if (pred[i]) fp++;
    else if (positive[i]) fn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : NaN;
  const recall = tp + fn > 0 ? tp / (tp + fn) : NaN;
  const f1 = tp > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, tp, fp, fn };
}

/** Sets of character offsets -> F1 as in SemEval-2021 Task 5 (both empty = 1). */
export function spanF1(pred: ReadonlySet<number>, gold: ReadonlySet<number>): number {
  if (gold.size === 0) return pred.size === 0 ? 1 : 0;
  if (pred.size === 0) return 0;
  let inter = 0;
  for (const x of pred) if (gold.has(x)) inter++;
  if (inter === 0) return 0;
  const p = inter / pred.size;
  const r = inter / gold.size;
  return (2 * p * r) / (p + r);
}
