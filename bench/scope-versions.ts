// The scope stage's first step (src/engine/scope.ts, scopeOf) alone, in two versions of the code, in one process, in
// alternating 0.3 s slices. Input: bench/engine-versions.ts's kind of ~320-character comments (common words, about
// six in ten with the cue word "nobody", none with a group word), tokenized once. Run:
//   git archive <commit> src models | tar -x -C /tmp/old
//   node --import tsx bench/scope-versions.ts /tmp/old/src/engine/scope.ts [rounds]
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { tokenize, wordHash, type Tokens } from '../src/engine/features.js';
import { scopeOf } from '../src/engine/scope.js';

type ScopeOf = (tk: Tokens, hashes: ArrayLike<number>) => Uint8Array | null;
const [oldScope, roundsArg] = process.argv.slice(2);
if (!oldScope) {
  process.stderr.write('usage: node --import tsx bench/scope-versions.ts OLD_SRC/engine/scope.ts [rounds]\n');
  process.exit(2);
}
const before = ((await import(pathToFileURL(resolve(oldScope)).href)) as { scopeOf: ScopeOf }).scopeOf;
const words = ('the council should publish budget before vote article misses point about parking downtown which has been problem for ' +
  'years family lived here since traffic this bad thanks covering school board meetings deserve more attention property taxes went ' +
  'again nobody explain where money goes disagree with mayor appreciate answered questions public').split(' ');
let seed = 12345;
const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
const items: { tk: Tokens; hashes: number[] }[] = [];
for (let i = 0; i < 2000; i++) {
  let s = '';
  while (s.length < 320) s += (words[Math.floor(rnd() * words.length)] as string) + (rnd() < 0.1 ? ', ' : rnd() < 0.08 ? '. ' : ' ');
  const tk = tokenize(s);
  items.push({ tk, hashes: Array.from(tk.start, (_, k) => wordHash(tk, k)) });
}
const slice = (f: ScopeOf): number => {
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < 300) {
    for (const it of items) f(it.tk, it.hashes);
    n += items.length;
  }
  return ((performance.now() - t0) * 1000) / n;
};
const us: Record<'before' | 'now', number[]> = { before: [], now: [] };
for (let r = 0; r < Number(roundsArg ?? 10); r++) {
  us.before.push(slice(before));
  us.now.push(slice(scopeOf));
}
const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
process.stdout.write(
  `scopeOf, µs per ~320-character comment, best / median of ${us.now.length} slices: before ${Math.min(...us.before).toFixed(2)} / ` +
    `${med(us.before).toFixed(2)}, now ${Math.min(...us.now).toFixed(2)} / ${med(us.now).toFixed(2)} (load average ${(loadavg()[0] as number).toFixed(1)})\n`,
);
