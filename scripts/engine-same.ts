// Proves that a change to the engine's code preserves its behaviour: scores every text of the --data CSV files with
// the engine (code and model) of git commit --commit and with the working tree's, and checks that every score and
// every span is exactly identical (scores compared as numbers, spans as label, start, end, in order).
//   node --import tsx scripts/engine-same.ts --commit HEAD~1 --data ../shared/data/sentences.csv [--data ...] [--cut 300]
// --cut N also scores each text cut to its first N characters (the benchmarks' 300-character comments).
// Prints the number of texts compared and the first differences; exits 1 when any text differs.
// --holds: for a change that is meant to change behaviour, the rows labelled non-toxic (toxic < 0.5) that one
// version holds (any label at or over its hold line) and the other does not, listed; exits 0.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadClassifier } from '../src/engine/index.js';
import { loadCsv } from '../src/engine/training/data.js';

interface Result {
  scores: Record<string, number>;
  spans: ReadonlyArray<{ label: string; start: number; end: number }>;
}
interface Scorer {
  score(t: string): Result;
  thresholds: Record<string, { hold: number }>;
}
const arg = (name: string): string[] => process.argv.flatMap((a, i, all) => (all[i - 1] === `--${name}` ? [a] : []));
const commit = arg('commit').at(-1);
const files = arg('data');
const cut = Number(arg('cut').at(-1) ?? 0);
const holds = process.argv.includes('--holds');
if (commit === undefined || files.length === 0 || !Number.isInteger(cut) || cut < 0) {
  process.stderr.write('usage: node --import tsx scripts/engine-same.ts --commit COMMIT --data file.csv [--data ...] [--cut N]\n');
  process.exit(2);
}
const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'engine-same-'));
try {
  execFileSync('sh', ['-c', `git -C "$1" archive "$2" src/engine models | tar -x -C "$3"`, 'sh', root, commit, dir]);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const old = (await import(pathToFileURL(join(dir, 'src/engine/index.ts')).href)) as { loadClassifier(path: string): Scorer };
  const before = old.loadClassifier(join(dir, 'models/parley-toxicity.model'));
  const now: Scorer = loadClassifier();
  if (holds) {
    const held = (c: Scorer, t: string): string[] => {
      const r = c.score(t);
      return Object.keys(r.scores).filter((l) => (r.scores[l] as number) >= (c.thresholds[l] as { hold: number }).hold);
    };
    let rows = 0;
    const gained: string[] = [];
    const lost: string[] = [];
    for (const f of files) {
      for (const row of loadCsv(f)) {
        const tox = row.y[0] as number;
        if (Number.isNaN(tox) || tox >= 0.5) continue;
        rows++;
        const a = held(before, row.text);
        const b = held(now, row.text);
        const line = `${row.id}: [${a.join(' ')}] -> [${b.join(' ')}] ${row.text.slice(0, 200).replace(/\s+/g, ' ')}`;
        if (a.length === 0 && b.length > 0) gained.push(line);
        if (a.length > 0 && b.length === 0) lost.push(line);
      }
    }
    process.stdout.write(`${rows} rows labelled non-toxic: newly held ${gained.length}, no longer held ${lost.length} (working tree against ${commit})\n`);
    for (const l of gained) process.stdout.write(`+ ${l}\n`);
    for (const l of lost) process.stdout.write(`- ${l}\n`);
    process.exit(0);
  }
  const key = (r: Result): string => JSON.stringify([Object.entries(r.scores), r.spans.map((s) => [s.label, s.start, s.end])]);
  let n = 0;
  const differ: string[] = [];
  for (const f of files) {
    for (const row of loadCsv(f)) {
      const texts = cut > 0 && row.text.length > cut ? [row.text, row.text.slice(0, cut)] : [row.text];
      for (const t of texts) {
        n++;
        const a = key(before.score(t));
        const b = key(now.score(t));
        if (a !== b) differ.push(`${row.id}: ${t.slice(0, 120).replace(/\s+/g, ' ')}\n    ${commit}: ${a}\n    now: ${b}`);
      }
    }
  }
  process.stdout.write(`${n} texts scored by ${commit} and the working tree: ${n - differ.length} identical, ${differ.length} different\n`);
  for (const d of differ.slice(0, 20)) process.stdout.write(`- ${d}\n`);
  process.exitCode = differ.length === 0 ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
