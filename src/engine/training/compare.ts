// Side-by-side with the word filters Node users reach for: obscenity, bad-words, leo-profanity.
// They answer yes/no, so they get precision/recall/F1 (and the ROC-AUC of that yes/no, which is
// (TPR + TNR) / 2); Parley gets ROC-AUC from its scores and P/R/F1 at its hold threshold.
import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import { Filter } from 'bad-words';
import leo from 'leo-profanity';
import { LABELS, type Label } from '../labels.js';
import type { LinearClassifier } from '../classifier.js';
import type { Example } from './data.js';
import { prAt, rocAuc } from './metrics.js';

export function compareWordFilters(clf: LinearClassifier, rows: readonly Example[], scores: readonly Float64Array[], labels: readonly Label[]): string {
  const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  const badWords = new Filter();
  const filters: [string, (t: string) => boolean][] = [
    ['obscenity 0.4 (englishDataset, recommended transformers)', (t) => matcher.hasMatch(t)],
    ['bad-words 4 (isProfane)', (t) => {
      try {
        return badWords.isProfane(t);
      } catch {
        return false;
      }
    }],
    ['leo-profanity (check)', (t) => leo.check(t)],
  ];
  const verdicts = filters.map(([, f]) => rows.map((r) => f(r.text)));
  const lines = ['| label | system | ROC-AUC | precision | recall | F1 |', '|---|---|---:|---:|---:|---:|'];
  const f3 = (x: number): string => (Number.isNaN(x) ? '-' : x.toFixed(3));
  for (const label of labels) {
    const l = LABELS.indexOf(label);
    const idx: number[] = [];
    rows.forEach((r, i) => {
      if (!Number.isNaN(r.y[l] as number)) idx.push(i);
    });
    const pos = idx.map((i) => ((rows[i] as Example).y[l] as number) >= 0.5);
    const s = idx.map((i) => (scores[i] as Float64Array)[l] as number);
    const ours = prAt(s.map((x) => x >= clf.thresholds[label].hold), pos);
    lines.push(`| ${label} | **Parley** (score; P/R/F1 at hold ${clf.thresholds[label].hold}) | **${f3(rocAuc(s, pos))}** | ${f3(ours.precision)} | ${f3(ours.recall)} | **${f3(ours.f1)}** |`);
    filters.forEach(([name], k) => {
      const v = idx.map((i) => (verdicts[k] as boolean[])[i] as boolean);
      const r = prAt(v, pos);
      lines.push(`| ${label} | ${name} | ${f3(rocAuc(v.map(Number), pos))} (yes/no) | ${f3(r.precision)} | ${f3(r.recall)} | ${f3(r.f1)} |`);
    });
  }
  return lines.join('\n');
}
