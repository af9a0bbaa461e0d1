// A small, self-written list of abusive words. It is NOT used to score text (the model does that);
// the normalizer uses it only to resolve spelling tricks that are ambiguous on their own:
// masked letters ("f*ck" -> "fuck") and stretched letters ("fuuuuck" -> "fuck", "asssss" -> "ass").
const WORDS = `
fuck fucks fucked fucker fuckers fucking fuckin fuckup motherfucker motherfucking mf
shit shits shitty shithead shithole bullshit horseshit dipshit
bitch bitches bitchy ass asses asshole assholes arse arsehole jackass dumbass smartass badass
bastard bastards damn dammit goddamn dick dicks dickhead cunt cunts cock cocks cocksucker crap crappy
piss pissed pussy pussies slut sluts slutty whore whores hoe hoes twat twats wanker wankers prick pricks
douche douchebag tits titties boob boobs penis vagina porn sex sexy
idiot idiots idiotic moron morons moronic stupid stupidity dumb dummy retard retards retarded imbecile imbeciles
loser losers scum scumbag jerk jerks clown clowns fool fools foolish pathetic ignorant trash garbage
pig pigs rat rats vermin filth filthy disgusting sick freak freaks creep creepy liar liars hypocrite hypocrites
nigger niggers nigga niggas faggot faggots fag fags dyke dykes tranny kike kikes spic spics chink chinks
gook wetback raghead towelhead paki coon coons beaner
kill kills killed killing die dies died dead death murder shoot shot hang hanged lynch burn rape raped
hate hates hated hell suck sucks sucked sucker
`;

export const LEXICON: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter((w) => w.length > 0));

/** Words of the lexicon grouped by length, for matching masked words such as "f**k". */
export const LEXICON_BY_LENGTH: ReadonlyMap<number, readonly string[]> = (() => {
  const map = new Map<number, string[]>();
  for (const w of LEXICON) {
    const list = map.get(w.length) ?? [];
    list.push(w);
    map.set(w.length, list);
  }
  return map;
})();

/**
 * One-letter misspellings of lexicon words ("fcuk", "idot", "lsoer") and the word each stands for:
 * adjacent swaps of two different letters and single deletions (never of the first letter: "hink",
 * a typo of "think", is not "chink"), of lexicon words of 4+ letters, that leave 4 letters or more. A 3-letter variant ("kil", "fck") is never one: short words have too many
 * real neighbours and typos ("hte" for "the"). Insertions are not repaired: measured, they turned
 * names into insults ("Mormon" -> "moron", "Morton"). A lexicon word, an English word, or a word
 * of the engine's identity-group list is never a misspelling.
 */
export function oneEditVariants(word: string): string[] {
  const out: string[] = [];
  if (word.length < 4) return out; // "ass" would claim "asst" and "assn"
  for (let i = 0; i + 1 < word.length; i++) {
    if (word[i] !== word[i + 1]) out.push(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
  }
  for (let i = 1; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out.filter((v) => v.length >= 4);
}

// Variants that are English words (word-list 4.1.0, MIT, 274,136 words) or identity-group words
// (features.ts); regenerate with scripts/lexicon-english-variants.ts after changing the lexicon. The
// English list is not shipped.
const ENGLISH_VARIANTS = new Set(
  `
ares arts bobs boos carp chik chiks chin chins clon clons clow clows cons coos crapy cree crepe crepey crepy cuts deid
douce dyes garage haed haes haet haets hats hose ides lair lairs lars lias lira liras lose loses lych moon moons morn
morns niger nigers paik peins peni pens pick picks psis puss pusses rase rast shist shoo sics sits soot suks tash tats
tawt tawts twas waker wakers wore
`
    .split(/\s+/)
    .filter((w) => w.length > 0),
);

/** Misspelling -> lexicon word (the first lexicon word in list order when two share a variant). */
export const MISSPELLINGS: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const w of LEXICON) {
    for (const v of oneEditVariants(w)) if (!LEXICON.has(v) && !ENGLISH_VARIANTS.has(v) && !map.has(v)) map.set(v, w);
  }
  return map;
})();

/** Hash of a word's char codes, updated one code at a time (FNV-1a), for the misspelling filter. */
export const misspellingHashStep = (h: number, code: number): number => Math.imul(h ^ code, 16777619);
export const MISSPELLING_HASH_SEED = 0x811c9dc5 | 0;
const FILTER_BITS = 20;

/** Bit set over the hashes of MISSPELLINGS' keys: a word whose bit is clear is not a misspelling (no string built). */
export const MISSPELLING_FILTER: Uint8Array = (() => {
  const bits = new Uint8Array(1 << (FILTER_BITS - 3));
  for (const v of MISSPELLINGS.keys()) {
    let h = MISSPELLING_HASH_SEED;
    for (let i = 0; i < v.length; i++) h = misspellingHashStep(h, v.charCodeAt(i));
    const k = (h >>> 0) & ((1 << FILTER_BITS) - 1);
    bits[k >>> 3] = (bits[k >>> 3] as number) | (1 << (k & 7));
  }
  return bits;
})();

export const misspellingFilterHas = (h: number): boolean => {
  const k = (h >>> 0) & ((1 << FILTER_BITS) - 1);
  return ((MISSPELLING_FILTER[k >>> 3] as number) & (1 << (k & 7))) !== 0;
};
