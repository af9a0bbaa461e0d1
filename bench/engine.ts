// Engine benchmark: model load time, comments/second on one core for ~300-character comments
// (scores + spans), resident memory. Run: node --import tsx bench/engine.ts [--seconds 5]
// [--against other.model]: also compare the shipped model with another model file in one process.
import { loadavg } from 'node:os';
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
  /** comments per wall-clock second */
  commentsPerSecond: number;
  /** comments per second of CPU time used by this process (fairer when other processes share the core) */
  commentsPerCpuSecond: number;
  loadCpuMs: number;
  rssMb: number;
}

/**
 * Deterministic ~300-character comments, about 1 in 5 with a toxic sentence. One word in ten is
 * replaced by a random string of letters, so that the vocabulary has a long tail like real comments
 * (the scorer caches per-word work; a benchmark of repeated sentences only would flatter it).
 */
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
    const words = s.slice(0, 320).split(' ');
    for (let w = 0; w < words.length; w++) {
      if (next(10) !== 0) continue;
      let r = '';
      const len = 3 + next(8);
      for (let k = 0; k < len; k++) r += String.fromCharCode(97 + next(26));
      words[w] = r;
    }
    out.push(words.join(' '));
  }
  return out;
}

export function runEngineBench(seconds = 5): EngineBenchResult {
  const t0 = performance.now();
  const u0 = process.cpuUsage();
  const clf = loadClassifier(DEFAULT_MODEL_PATH);
  const loadMs = performance.now() - t0;
  const ul = process.cpuUsage(u0);
  const loadCpuMs = (ul.user + ul.system) / 1000;
  const texts = makeComments(20000);
  const avgChars = texts.reduce((a, t) => a + t.length, 0) / texts.length;
  for (let i = 0; i < 2000; i++) clf.score(texts[i % texts.length] as string); // warm-up
  let n = 0;
  let sink = 0;
  const start = performance.now();
  const c0 = process.cpuUsage();
  const deadline = start + seconds * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < 500; i++) {
      const r = clf.score(texts[n % texts.length] as string);
      sink += r.spans.length + r.scores.toxic;
      n++;
    }
  }
  const elapsed = (performance.now() - start) / 1000;
  const cu = process.cpuUsage(c0);
  const cpu = (cu.user + cu.system) / 1e6;
  if (sink < 0) console.log(sink);
  return {
    loadMs,
    loadCpuMs,
    comments: n,
    avgChars,
    commentsPerSecond: n / elapsed,
    commentsPerCpuSecond: n / cpu,
    rssMb: process.memoryUsage().rss / 2 ** 20,
  };
}

/**
 * Two models in one process, in alternating slices of `sliceMs`, so that drift in the machine's
 * speed (other virtual machines on the host) hits both alike: best and median comments per
 * CPU-second of each.
 */
export function compareModels(paths: readonly [string, string], rounds = 12, sliceMs = 700): { path: string; best: number; median: number }[] {
  const classifiers = paths.map((p) => loadClassifier(p));
  const texts = makeComments(20000);
  for (const c of classifiers) for (let i = 0; i < 3000; i++) c.score(texts[i % texts.length] as string);
  const rates: number[][] = paths.map(() => []);
  let next = 0;
  for (let round = 0; round < rounds; round++) {
    classifiers.forEach((clf, k) => {
      const c0 = process.cpuUsage();
      const start = performance.now();
      let n = 0;
      while (performance.now() - start < sliceMs) {
        for (let i = 0; i < 200; i++) clf.score(texts[(next + n++) % texts.length] as string);
      }
      next += n;
      const cu = process.cpuUsage(c0);
      (rates[k] as number[]).push(n / ((cu.user + cu.system) / 1e6));
    });
  }
  return paths.map((path, k) => {
    const sorted = [...(rates[k] as number[])].sort((a, b) => a - b);
    return { path, best: sorted[sorted.length - 1] as number, median: sorted[sorted.length >> 1] as number };
  });
}

const osLoad = (): string => loadavg().map((x) => x.toFixed(1)).join(' ');

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--seconds');
  const seconds = i > 0 ? Number(process.argv[i + 1]) : 5;
  const r = runEngineBench(seconds);
  console.log(
    `model load ${r.loadMs.toFixed(0)} ms wall (${r.loadCpuMs.toFixed(0)} ms CPU); ${r.comments} comments of ${r.avgChars.toFixed(0)} chars, one thread: ` +
      `${Math.round(r.commentsPerSecond)} comments/s wall, ${Math.round(r.commentsPerCpuSecond)} comments per CPU-second (scores + spans); ` +
      `RSS ${r.rssMb.toFixed(0)} MB; load average ${(globalThis.process.platform === 'linux' ? osLoad() : 'n/a')}`,
  );
  const a = process.argv.indexOf('--against');
  const other = a > 0 ? process.argv[a + 1] : undefined;
  if (other !== undefined) {
    for (const m of compareModels([DEFAULT_MODEL_PATH, other])) {
      console.log(`${m.path}: best ${Math.round(m.best)}, median ${Math.round(m.median)} comments per CPU-second (alternating slices)`);
    }
  }
}
