// Raters' toxic spans (JSONL: {"id","text","annotators","spans":[{"start","end","type","annotator"}]},
// offsets in Unicode code points) and the engine's span F1 against the majority spans.
import { readFileSync } from 'node:fs';
import type { LinearClassifier } from '../classifier.js';
import { NUM_LABELS } from '../labels.js';
import { spanF1 } from './metrics.js';

export interface SpanRow {
  id: string;
  text: string;
  /** UTF-16 offsets of characters marked by more than half of the annotators */
  gold: Set<number>;
}

export function loadSpans(path: string): SpanRow[] {
  const out: SpanRow[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const o = JSON.parse(line) as {
      id: string;
      text: string;
      annotators: number;
      spans: { start: number; end: number; annotator: string }[];
    };
    // code point index -> UTF-16 index
    const cpToU16: number[] = [];
    let u = 0;
    for (const ch of o.text) {
      cpToU16.push(u);
      u += ch.length;
    }
    cpToU16.push(u);
    const marks = new Map<number, Set<string>>();
    for (const s of o.spans) {
      for (let cp = s.start; cp < s.end && cp < cpToU16.length - 1; cp++) {
        const a = cpToU16[cp] as number;
        const b = cpToU16[cp + 1] as number;
        for (let k = a; k < b; k++) {
          let set = marks.get(k);
          if (!set) marks.set(k, (set = new Set()));
          set.add(s.annotator);
        }
      }
    }
    const gold = new Set<number>();
    for (const [k, set] of marks) if (set.size * 2 > o.annotators) gold.add(k);
    out.push({ id: o.id, text: o.text, gold });
  }
  return out;
}

export interface TokenContribs {
  start: number[];
  end: number[];
  contrib: Float64Array;
  scores: number[];
}

export function contribsOf(clf: LinearClassifier, text: string): TokenContribs {
  const r = clf.tokenContributions(text);
  return { start: r.start, end: r.end, contrib: r.contrib, scores: Object.values(r.scores) };
}

/** Characters covered by spans of any label, with the given thresholds (same rule as the classifier). */
export function predictedChars(c: TokenContribs, minWeight: ArrayLike<number>, minScore: ArrayLike<number>, relative = 0): Set<number> {
  const L = NUM_LABELS;
  const set = new Set<number>();
  const T = c.start.length;
  for (let l = 0; l < L; l++) {
    if ((c.scores[l] as number) < (minScore[l] as number)) continue;
    let maxC = 0;
    for (let t = 0; t < T; t++) maxC = Math.max(maxC, c.contrib[t * L + l] as number);
    const minW = Math.max(minWeight[l] as number, relative * maxC);
    let i = 0;
    while (i < T) {
      if ((c.contrib[i * L + l] as number) < minW) {
        i++;
        continue;
      }
      let j = i;
      while (j < T && (c.contrib[j * L + l] as number) >= minW) j++;
      for (let k = c.start[i] as number; k < (c.end[j - 1] as number); k++) set.add(k);
      i = j;
    }
  }
  return set;
}

export function meanSpanF1(clf: LinearClassifier, rows: readonly SpanRow[]): number {
  let sum = 0;
  for (const r of rows) {
    const pred = new Set<number>();
    for (const s of clf.score(r.text).spans) for (let k = s.start; k < s.end; k++) pred.add(k);
    sum += spanF1(pred, r.gold);
  }
  return rows.length > 0 ? sum / rows.length : NaN;
}
