// Compares the scoring speed of two versions of the engine CODE (each with its model) in one process,
// in alternating 0.7 s slices so that the host's speed drift hits both alike (bench/engine.ts --against
// compares two model files under the same code). Run:
//   git archive <commit> src models package.json | tar -x -C /tmp/old && ln -s "$PWD/node_modules" /tmp/old/node_modules
//   node --import tsx bench/engine-versions.ts /tmp/old/src/engine/index.ts /tmp/old/models/parley-toxicity.model [rounds] [--data FILE ...] [--now-first]
// The copy needs package.json ("type": "module"): without it tsx compiles the old code to CommonJS, whose imported
// functions go through getters, and the old side ran about 1.1x slower than the same code here.
// --now-first: the working tree's slice first in each round (default: the old one first).
// Input: without --data, deterministic ~320-character comments (random words with commas and full stops, one in
// ten a random letter string, one in five with an insult sentence); with --data (a CSV with a `text` column, read
// in place, repeatable), its comments of 250 characters or more cut to 300 (real comments). Scores and spans.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { loadavg } from 'node:os';
import { loadClassifier } from '../src/engine/index.js';
import { loadCsv } from '../src/engine/training/data.js';

interface Scorer {
  score(text: string): unknown;
}
const argv = process.argv.slice(2).filter((a) => a !== '--now-first');
const nowFirst = process.argv.includes('--now-first');
const dataFiles = argv.flatMap((a, i) => (argv[i - 1] === '--data' ? [a] : []));
const [oldIndex, oldModel, roundsArg] = argv.filter((a, i) => a !== '--data' && argv[i - 1] !== '--data');
if (!oldIndex || !oldModel || argv.at(-1) === '--data') {
  process.stderr.write('usage: node --import tsx bench/engine-versions.ts OLD_SRC/engine/index.ts OLD.model [rounds] [--data FILE.csv ...] [--now-first]\n');
  process.exit(2);
}
const old = (await import(pathToFileURL(resolve(oldIndex)).href)) as { loadClassifier(path: string): Scorer };
const before = old.loadClassifier(resolve(oldModel));
const now: Scorer = loadClassifier();
const words = ('the council should publish budget before vote article misses point about parking downtown which has been problem for ' +
  'years family lived here since traffic this bad thanks covering school board meetings deserve more attention property taxes went ' +
  'again nobody explain where money goes disagree with mayor appreciate answered questions public').split(' ');
let seed = 12345;
const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
const texts: string[] = [];
for (const f of dataFiles) for (const r of loadCsv(f)) if (r.text.length >= 250) texts.push(r.text.slice(0, 300));
if (dataFiles.length > 0 && texts.length === 0) {
  process.stderr.write('no comment of 250 characters or more in the --data files\n');
  process.exit(2);
}
for (let i = 0; dataFiles.length === 0 && i < 2000; i++) {
  const parts: string[] = [];
  let len = 0;
  while (len < 300) {
    const w = rnd() < 0.1 ? Array.from({ length: 3 + Math.floor(rnd() * 6) }, () => String.fromCharCode(97 + Math.floor(rnd() * 26))).join('') : (words[Math.floor(rnd() * words.length)] as string);
    parts.push(w + (rnd() < 0.08 ? ', ' : rnd() < 0.1 ? '. ' : ' '));
    len += w.length + 1;
  }
  if (i % 5 === 0) parts.push('You are a complete idiot and everyone here knows it.');
  texts.push(parts.join(''));
}
// warm-up: the JIT and the scorers' caches, both versions alike
for (const c of [before, now]) for (let i = 0; i < 3000; i++) c.score(texts[i % texts.length] as string);
const rates: Record<'before' | 'now', number[]> = { before: [], now: [] };
let k = 0;
for (let round = 0; round < Number(roundsArg ?? 10); round++) {
  const sides = [['before', before], ['now', now]] as const;
  for (const [name, c] of nowFirst ? [sides[1], sides[0]] : sides) {
    const t0 = process.cpuUsage();
    const w0 = performance.now();
    let n = 0;
    while (performance.now() - w0 < 700) {
      c.score(texts[k++ % texts.length] as string);
      n++;
    }
    const cpu = process.cpuUsage(t0);
    rates[name].push(n / ((cpu.user + cpu.system) / 1e6));
  }
}
const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const avg = texts.reduce((a, t) => a + t.length, 0) / texts.length;
process.stdout.write(
  `${texts.length} ${dataFiles.length > 0 ? 'real' : 'generated'} ${avg.toFixed(0)}-character comments, comments per CPU-second, best / median of ${rates.now.length} slices: ` +
    `before ${Math.max(...rates.before).toFixed(0)} / ${med(rates.before).toFixed(0)}, now ${Math.max(...rates.now).toFixed(0)} / ${med(rates.now).toFixed(0)} ` +
    `(now/before ${(Math.max(...rates.now) / Math.max(...rates.before)).toFixed(2)} / ${(med(rates.now) / med(rates.before)).toFixed(2)}; ${nowFirst ? 'now' : 'before'} first); ` +
    `load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`,
);
