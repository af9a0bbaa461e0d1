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
 * Letter pairs that fewer than 1 in 2,000 English words hold (word-list 4.1.0, 274,136 words: "fx", "bz", "zk",
 * "hc", "uh", ...): a letter inserted into a word that makes one of them is foreign to the word, which an evader
 * wants ("fxuck", "imbzecile"), where a name or a typo of a real word that is one insertion from a lexicon word
 * makes pairs English has ("Mormon", "Morton", "Damon", "Titus", "Huang", "comon" for "c'mon"). Regenerate with
 * scripts/lexicon-english-variants.ts.
 */
export const RARE_PAIRS: ReadonlySet<string> = new Set(
  `
bf bg bh bk bn bp bq bv bw bx bz cb cd cf cg cj cm cn cp cv cw cx cz dk dq dt dx dz fb fc fd fg fh fj fk fm fn fp fq
fv fw fx fz gc gd gf gj gk gp gq gt gv gw gx gz hc hd hg hh hj hk hp hq hv hx hz ii ij iw iy jb jc jd jf jg jh jj jk
jl jm jn jp jq jr js jt jv jw jx jy jz kc kd kg kj kk kp kq kv kx kz lj lq lr lx lz mc md mg mh mj mk mq mr mt mv mw
mx mz nx pc pd pf pg pj pk pm pq pv pw px pz qa qb qc qd qe qf qg qh qi qj qk ql qm qn qo qp qq qr qs qt qv qw qx qy
qz rj rq rx rz sj sv sx sz tj tk tq tv tx uh uj uq uu uw uy vb vc vd vf vg vh vj vk vl vm vn vp vq vr vs vt vv vw vx
vy vz wc wf wg wj wm wp wq wu wv ww wx wy wz xb xd xf xg xh xj xk xl xm xn xq xr xs xv xw xx xz yf yh yj yk yq yv yx
yy zb zc zd zf zg zh zj zk zm zn zp zq zr zs zt zu zv zw zx
`
    .split(/\s+/)
    .filter((w) => w.length > 0),
);

const VOWELS = /[aeiouy]/;

/**
 * One-letter misspellings of lexicon words ("fcuk", "idot", "lsoer", "fxuck", "fck") and the word each stands for:
 * - adjacent swaps of two different letters and single deletions (never of the first letter: "hink", a typo of
 *   "think", is not "chink"), of lexicon words of 4+ letters, that leave 4 letters or more;
 * - deletions that leave 3 letters only in the two shapes evaders write short profanity in: no vowel left ("fck",
 *   "sht", "dck") or "ck" written "k" ("fuk"), and not ending in "s" (abbreviated plurals: "pgs", "rts"). Other
 *   3-letter variants ("kil", "hte" for "the", "dan") have too many real neighbours and typos; normalize.ts never
 *   repairs a 3-letter word written in capitals (an acronym: "SPC", "D.M.N.");
 * - insertions of one letter inside the word (not before the first letter or after the last: "hella", "damne" are
 *   slang and inflections) that make a letter pair of RARE_PAIRS with a neighbour.
 * A lexicon word, an English word, or a word of the engine's identity-group list is never a misspelling
 * (ENGLISH_VARIANTS). `rare` is the pair set (the regenerating script passes its own).
 */
export function oneEditVariants(word: string, rare: ReadonlySet<string> = RARE_PAIRS): string[] {
  const out: string[] = [];
  if (word.length < 4) return out; // "ass" would claim "asst" and "assn"
  for (let i = 0; i + 1 < word.length; i++) {
    if (word[i] !== word[i + 1]) out.push(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
  }
  for (let i = 1; i < word.length; i++) {
    const v = word.slice(0, i) + word.slice(i + 1);
    if (v.length >= 4 || (v.length === 3 && !v.endsWith('s') && (!VOWELS.test(v) || (word[i] === 'c' && word[i + 1] === 'k')))) out.push(v);
  }
  for (let i = 1; i < word.length; i++) {
    for (let x = 97; x <= 122; x++) {
      const c = String.fromCharCode(x);
      if (rare.has((word[i - 1] as string) + c) || rare.has(c + (word[i] as string))) out.push(word.slice(0, i) + c + word.slice(i));
    }
  }
  return out.filter((v) => v.length >= 3);
}

// Variants that are English words (word-list 4.1.0, MIT, 274,136 words) or identity-group words
// (features.ts); regenerate with scripts/lexicon-english-variants.ts after changing the lexicon. The
// English list is not shipped.
const ENGLISH_VARIANTS = new Set(
  `
ares arts bobs boos carp chik chiks chin chins clon clons clow clows cons coos crapy cree crepe crepey crepy cuts deid
douce dyes garage haed haes haet haets hats hose ides lair lairs lars lias lira liras lose loses lych moon moons morn
morns niger nigers paik peins peni pens pick picks psis puss pusses rase rast shist shoo sics sik sits soot suk suks
tash tats tawt tawts twas waker wakers wore
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
