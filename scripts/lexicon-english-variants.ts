// Lists the one-letter variants of the engine's lexicon words that are English or identity-group words, for
// ENGLISH_VARIANTS in src/engine/lexicon.ts (the normalizer must never "repair" a real word).
// The English list is a development-time input, not a dependency:
//   npm install --no-save --prefix /tmp/wl word-list@4.1.0
//   node --import tsx scripts/lexicon-english-variants.ts /tmp/wl/node_modules/word-list/words.txt
import { readFileSync } from 'node:fs';
import { IDENTITY_WORDS } from '../src/engine/features.js';
import { LEXICON, oneEditVariants } from '../src/engine/lexicon.js';

const file = process.argv[2];
if (!file) throw new Error('usage: lexicon-english-variants.ts WORDS.txt');
const english = new Set([...readFileSync(file, 'utf8').split('\n'), ...IDENTITY_WORDS.split(/\s+/)]);
const found = new Set<string>();
for (const w of LEXICON) for (const v of oneEditVariants(w)) if (!LEXICON.has(v) && english.has(v)) found.add(v);
console.log([...found].sort().join(' '));
