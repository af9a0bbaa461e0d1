// Engine benchmark: model load time, comments/second on one core for ~300-character comments
// (scores + spans), resident memory. Run: node --import tsx bench/engine.ts [--seconds 5]
import { pathToFileURL } from 'node:url';
import { loadClassifier, DEFAULT_MODEL_PATH } from '../src/engine/index.js';

const CIVIL = [
  'I think the council should publish the full budget before the vote.',
  'The article misses the point about parking downtown, which has been a problem for years.',
  'My family has lived here since 1987 and we have never seen traffic this bad.',
  'Thanks for covering this, the school board meetings deserve more attention.',
  'Property taxes went up again and nobody can explain where the money goes.',
  'I disagree with the mayor, but I appreciate that she answered questions in public.',
  'The new bike lanes are great on weekends but empty on weekdays.',
  'Can someone explain why the library hours were cut when the budget grew?',
];
const TOXIC = [
  'You are a complete idiot and everyone here knows it.',
  'What a pathetic, lying piece of garbage this guy is.',
  'Shut the f*ck up, nobody cares about your stupid opinion.',
  'People like you should be run out of town.',
];

export interface EngineBenchResult {
  loadMs: number;
  comments: number;
  avgChars: number;
  commentsPerSecond: number;
  rssMb: number;
}

/** Deterministic ~300-character comments, about 1 in 5 with a toxic sentence. */
export function makeComments(n: number): string[] {
  const out: string[] = [];
  let seed = 12345;
  const next = (m: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % m;
  };
  for (let i = 0; i < n; i++) {
    let s = '';
    while (s.length < 280) {
      const pool = next(5) === 0 ? TOXIC : CIVIL;
      s += (s ? ' ' : '') + (pool[next(pool.length)] as string);
    }
    out.push(s.slice(0, 320));
  }
  return out;
}

export function runEngineBench(seconds = 5): EngineBenchResult {
  const t0 = performance.now();
  const clf = loadClassifier(DEFAULT_MODEL_PATH);
  const loadMs = performance.now() - t0;
  const texts = makeComments(2000);
  const avgChars = texts.reduce((a, t) => a + t.length, 0) / texts.length;
  for (let i = 0; i < 2000; i++) clf.score(texts[i % texts.length] as string); // warm-up
  let n = 0;
  let sink = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < 500; i++) {
      const r = clf.score(texts[n % texts.length] as string);
      sink += r.spans.length + r.scores.toxic;
      n++;
    }
  }
  const elapsed = (performance.now() - start) / 1000;
  if (sink < 0) console.log(sink);
  return { loadMs, comments: n, avgChars, commentsPerSecond: n / elapsed, rssMb: process.memoryUsage().rss / 2 ** 20 };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--seconds');
  const seconds = i > 0 ? Number(process.argv[i + 1]) : 5;
  const r = runEngineBench(seconds);
  console.log(
    `model load ${r.loadMs.toFixed(0)} ms; ${r.comments} comments of ${r.avgChars.toFixed(0)} chars on one core: ` +
      `${Math.round(r.commentsPerSecond)} comments/s (scores + spans); RSS ${r.rssMb.toFixed(0)} MB`,
  );
}
