// Lists, for src/engine/lexicon.ts, the letter pairs that fewer than 1 in 2,000 English words hold (RARE_PAIRS: a
// letter inserted into a lexicon word is repaired only if it makes one), then the one-letter variants of the
// engine's lexicon words that are English or identity-group words (ENGLISH_VARIANTS: the normalizer must never
// "repair" a real word), the variants computed with those pairs.
// The English list is a development-time input, not a dependency:
//   npm install --no-save --prefix /tmp/wl word-list@4.1.0
//   node --import tsx scripts/lexicon-english-variants.ts /tmp/wl/node_modules/word-list/words.txt
import { readFileSync } from 'node:fs';
import { IDENTITY_WORDS } from '../src/engine/features.js';
import { LEXICON, oneEditVariants } from '../src/engine/lexicon.js';

const file = process.argv[2];
if (!file) throw new Error('usage: lexicon-english-variants.ts WORDS.txt');
const words = readFileSync(file, 'utf8').split('\n').filter((w) => w.length > 0);
const holding = new Map<string, number>();
for (const w of words) for (const p of new Set(Array.from({ length: w.length - 1 }, (_, i) => w.slice(i, i + 2)))) holding.set(p, (holding.get(p) ?? 0) + 1);
const rare = new Set<string>();
for (let a = 97; a <= 122; a++) {
  for (let b = 97; b <= 122; b++) {
    const p = String.fromCharCode(a, b);
    if ((holding.get(p) ?? 0) * 2000 < words.length) rare.add(p);
  }
}
const english = new Set([...words, ...IDENTITY_WORDS.split(/\s+/)]);
const found = new Set<string>();
for (const w of LEXICON) for (const v of oneEditVariants(w, rare)) if (!LEXICON.has(v) && english.has(v)) found.add(v);
console.log(`RARE_PAIRS (${rare.size}):\n${[...rare].join(' ')}\n\nENGLISH_VARIANTS (${found.size}):\n${[...found].sort().join(' ')}`);
