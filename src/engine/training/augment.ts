// Training-time augmentation against one-letter evasions (engine v2, `--augment-evasions`): for a
// deterministic third of the training rows that contain a word of the normalizer's lexicon (4+
// letters), one more row with that word misspelled by deleting one inner letter or swapping two
// different inner neighbours ("idiot" -> "idot" / "idoit"), same labels. The model's char n-grams then
// see the misspellings that the normalizer cannot repair without a dictionary. Generic: it never
// looks at the functional suite, whose cases come from its own sentences.
import { LEXICON } from '../lexicon.js';
import { fnv1a, type Example } from './data.js';

export function misspell(word: string, k: number): string {
  const inner = word.length - 2;
  if (inner < 1) return word;
  if (k % 2 === 0) {
    const p = 1 + ((k >>> 1) % inner);
    return word.slice(0, p) + word.slice(p + 1);
  }
  // swap letters p and p+1, both inner when the word is long enough (the last letter stays put)
  const last = inner > 1 ? word.length - 2 : word.length - 1;
  for (let d = 0; d < inner; d++) {
    const p = 1 + (((k >>> 1) + d) % inner);
    if (p + 1 <= last && word[p] !== word[p + 1]) return word.slice(0, p) + (word[p + 1] as string) + (word[p] as string) + word.slice(p + 2);
  }
  return word.slice(0, 1) + word.slice(2);
}

/** The augmented copies (not the originals) for rows whose stable hash picks them (1 in `every`). */
export function evasionCopies(rows: readonly Example[], every = 3): Example[] {
  const out: Example[] = [];
  for (const e of rows) {
    if (e.source === 'parley_templates') continue; // the self-written set keeps its balance
    const h = fnv1a(`evasion:${e.id}`);
    if (h % every !== 0) continue;
    const words: { start: number; end: number }[] = [];
    for (const m of e.text.matchAll(/[A-Za-z]{4,}/g)) if (LEXICON.has(m[0].toLowerCase())) words.push({ start: m.index as number, end: (m.index as number) + m[0].length });
    if (words.length === 0) continue;
    const w = words[(h >>> 8) % words.length] as { start: number; end: number };
    const text = e.text.slice(0, w.start) + misspell(e.text.slice(w.start, w.end), h >>> 12) + e.text.slice(w.end);
    out.push({ ...e, id: `${e.id}~ev`, text });
  }
  return out;
}
