// Text normalization that spelling tricks do not get past, with a map back to the original text.
//
// Every character of the normalized text carries the UTF-16 range [start, end) of the original
// characters it came from, so that spans found on the normalized text can be reported on the
// original. Steps, in order:
//   1. per code point: NFKC, strip combining marks and invisible format characters (zero-width
//      space/joiners, soft hyphen, BOM...), lower-case, map look-alike letters from other scripts
//      (Cyrillic, Greek...) to Latin; whitespace runs become one space (or "\n" if they hold a newline);
//      emoji and other symbols become separators.
//   2. single letters separated by spaces ("f u c k") are joined when there are three or more.
//   3. in each word: single letters separated by one repeated separator ("f.u.c.k", "f-u-c-k") are
//      joined; leetspeak digits and symbols inside words are mapped to letters ("sh1t", "@ss", "$hit");
//      masked letters ("f*ck", "a**hole") are filled in from a small lexicon; stretched letters
//      ("fuuuuck") are collapsed; a one-letter misspelling of a lexicon word that is not an English
//      word ("fcuk", "idot", "lsoer", "fxuck", "fck"; lexicon.ts says which) becomes that word.
import { LEXICON, LEXICON_BY_LENGTH, MISSPELLING_HASH_SEED, MISSPELLINGS, misspellingFilterHas, misspellingHashStep } from './lexicon.js';

export interface NormalizedText {
  /** Normalized text (lower case, mostly ASCII). */
  text: string;
  /** For each UTF-16 unit of `text`, the start offset of its source in the original text. */
  start: Int32Array;
  /** For each UTF-16 unit of `text`, the end offset (exclusive) of its source in the original text. */
  end: Int32Array;
}

const SP = 32;
const NL = 10;

const HOMOGLYPHS: Record<string, string> = {
  // Cyrillic
  а: 'a', б: 'b', в: 'b', г: 'r', д: 'd', е: 'e', ё: 'e', з: '3', и: 'u', й: 'u', к: 'k', л: 'n', м: 'm',
  н: 'h', о: 'o', п: 'n', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ц: 'u', ч: '4', ш: 'w', щ: 'w', ь: 'b',
  ы: 'bi', ѕ: 's', і: 'i', ї: 'i', ј: 'j', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l', һ: 'h', ү: 'y', ғ: 'f', ҝ: 'k',
  // Greek
  α: 'a', β: 'b', γ: 'y', δ: 'd', ε: 'e', ζ: 'z', η: 'n', θ: 'o', ι: 'i', κ: 'k', λ: 'l', μ: 'u', ν: 'v',
  ξ: 'e', ο: 'o', π: 'n', ρ: 'p', σ: 'o', ς: 's', τ: 't', υ: 'u', φ: 'o', χ: 'x', ψ: 'w', ω: 'w',
  // Latin-like letters and symbols that NFKC leaves alone
  ɑ: 'a', ɡ: 'g', ı: 'i', ȷ: 'j', ł: 'l', ø: 'o', đ: 'd', ħ: 'h', ŧ: 't', ƅ: 'b', ɩ: 'i', ʋ: 'u', ᴀ: 'a',
  ʙ: 'b', ᴄ: 'c', ᴅ: 'd', ᴇ: 'e', ɢ: 'g', ʜ: 'h', ɪ: 'i', ᴊ: 'j', ᴋ: 'k', ʟ: 'l', ᴍ: 'm', ɴ: 'n', ᴏ: 'o',
  ᴘ: 'p', ʀ: 'r', ꜱ: 's', ᴛ: 't', ᴜ: 'u', ᴠ: 'v', ᴡ: 'w', ʏ: 'y', ᴢ: 'z', ß: 'ss', æ: 'ae', œ: 'oe',
  '€': 'e', '£': 'l', '¢': 'c', '¡': 'i', '×': 'x',
};

const LEET: Record<number, number> = {
  48: 111, // 0 -> o
  49: 105, // 1 -> i
  50: 122, // 2 -> z
  51: 101, // 3 -> e
  52: 97, // 4 -> a
  53: 115, // 5 -> s
  55: 116, // 7 -> t
  56: 98, // 8 -> b
  57: 103, // 9 -> g
  64: 97, // @ -> a
  36: 115, // $ -> s
};
const BANG = 33; // ! -> i when followed by a letter
const PIPE = 124; // | -> i when followed by a letter
const STAR = 42;
const HASH = 35;

const isLower = (c: number): boolean => c >= 97 && c <= 122;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** letters of any script after normalization (non-ASCII chars that survive step 1 are letters/digits). */
const isLetter = (c: number): boolean => isLower(c) || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7);
const isWordish = (c: number): boolean =>
  isLetter(c) || isDigit(c) || c === 64 || c === 36 || c === BANG || c === PIPE || c === STAR || c === HASH;

// ---- step 1: per code point ------------------------------------------------------------------

const MARK_RE = /\p{M}/u;
const FORMAT_RE = /[\p{Cf}\p{Cc}]/u;
const SPACE_RE = /\s/u;
const LETTER_OR_NUMBER_RE = /[\p{L}\p{N}]/u;
const PUNCT_RE = /\p{P}/u;

/** '' = drop; '\u0001' = combining mark (extend previous char); ' ' = separator. */
const cpCache = new Map<number, string>();
const COMBINING = '\u0001';

function mapCodePoint(cp: number): string {
  const cached = cpCache.get(cp);
  if (cached !== undefined) return cached;
  const ch = String.fromCodePoint(cp);
  let out: string;
  if (cp === 10 || cp === 13 || cp === 0x2028 || cp === 0x2029 || cp === 0x85) out = '\n';
  else if (SPACE_RE.test(ch)) out = ' ';
  else if (MARK_RE.test(ch)) out = COMBINING;
  else if (FORMAT_RE.test(ch)) out = '';
  else {
    const base = ch.normalize('NFKC').normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC').toLowerCase();
    out = '';
    for (const c of base) {
      const mapped = HOMOGLYPHS[c] ?? c;
      const code = mapped.codePointAt(0) ?? 32;
      if (code > 0xffff) out += ' ';
      else if (code < 128 || LETTER_OR_NUMBER_RE.test(mapped) || PUNCT_RE.test(mapped)) out += mapped;
      else out += ' '; // symbols, emoji: separators
    }
    if (out.length === 0) out = '';
  }
  if (cpCache.size < 65536) cpCache.set(cp, out);
  return out;
}

// ASCII table: lower-case letters, whitespace -> space/newline, other controls -> dropped (-1).
const ASCII = new Int16Array(128);
for (let i = 0; i < 128; i++) {
  if (i >= 65 && i <= 90) ASCII[i] = i + 32;
  else if (i === 10 || i === 13) ASCII[i] = NL;
  else if (i === 9 || i === 11 || i === 12 || i === 32) ASCII[i] = SP;
  else if (i < 32 || i === 127) ASCII[i] = -1;
  else ASCII[i] = i;
}

/** Growable parallel typed arrays of (char code, original start, original end). */
class Buf {
  c: Int32Array;
  s: Int32Array;
  e: Int32Array;
  length = 0;
  constructor(capacity = 64) {
    this.c = new Int32Array(capacity);
    this.s = new Int32Array(capacity);
    this.e = new Int32Array(capacity);
  }
  reset(): this {
    this.length = 0;
    return this;
  }
  push(c: number, s: number, e: number): void {
    if (this.length === this.c.length) {
      const cap = this.c.length * 2;
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(cap);
        b.set(a);
        return b;
      };
      this.c = grow(this.c);
      this.s = grow(this.s);
      this.e = grow(this.e);
    }
    const n = this.length++;
    this.c[n] = c;
    this.s[n] = s;
    this.e[n] = e;
  }
}

// scratch buffers (normalization is synchronous, so module-level reuse is safe)
const BUF1 = new Buf(1024);
const BUF2 = new Buf(1024);
let CHUNK_STARTS = new Int32Array(512);
let CHUNK_ENDS = new Int32Array(512);

function step1(input: string): Buf {
  const b = BUF1.reset();
  const n = input.length;
  let lastSpace = true; // suppress leading space
  for (let i = 0; i < n; ) {
    const u = input.charCodeAt(i);
    if (u < 128) {
      const m = ASCII[u] as number;
      i++;
      if (m < 0) continue;
      if (m === SP || m === NL) {
        if (lastSpace) {
          if (m === NL && b.length > 0) b.c[b.length - 1] = NL;
          continue;
        }
        b.push(m, i - 1, i);
        lastSpace = true;
        continue;
      }
      b.push(m, i - 1, i);
      lastSpace = false;
      continue;
    }
    const cp = input.codePointAt(i) ?? u;
    const len = cp > 0xffff ? 2 : 1;
    const out = mapCodePoint(cp);
    const s = i;
    i += len;
    if (out === '') continue;
    if (out === COMBINING) {
      if (b.length > 0 && !lastSpace) b.e[b.length - 1] = i;
      continue;
    }
    for (let k = 0; k < out.length; k++) {
      const c = out.charCodeAt(k);
      if (c === SP || c === NL) {
        if (lastSpace) {
          if (c === NL && b.length > 0) b.c[b.length - 1] = NL;
          continue;
        }
        lastSpace = true;
      } else lastSpace = false;
      b.push(c, s, i);
    }
  }
  // drop a trailing separator
  while (b.length > 0 && (b.c[b.length - 1] === SP || b.c[b.length - 1] === NL)) b.length--;
  return b;
}

// ---- steps 2-3: words ------------------------------------------------------------------------

const LEADING_PUNCT = [34, 39, 40, 91, 123, 60, 0x201c, 0x2018, 0xab]; // " ' ( [ { < “ ‘ «
const TRAILING_PUNCT = [46, 44, 33, 63, 59, 58, 34, 39, 41, 93, 125, 62, 0x201d, 0x2019, 0xbb, 0x2026];
/** per UTF-16 code unit: 1 = leading punctuation, 2 = trailing (a table: Set lookups were ~2% of scoring) */
const PUNCT = new Uint8Array(0x10000);
for (const c of LEADING_PUNCT) PUNCT[c] = (PUNCT[c] as number) | 1;
for (const c of TRAILING_PUNCT) PUNCT[c] = (PUNCT[c] as number) | 2;
const SEPARATORS = new Set([46, 45, 95, 42, 44, 47, 124, 126, 43]); // . - _ * , / | ~ +

const ORDINAL_RE = /^\d+[a-z]{1,2}$/;
const TRAILING_NUMBER_RE = /^[a-z]+\d{2,}$/;

function keyOf(c: ArrayLike<number>, a: number, b: number): string {
  let s = '';
  for (let i = a; i < b; i++) s += String.fromCharCode(c[i] as number);
  return s;
}

/** A word run (letters, digits, leet symbols, mask symbols) written to `out` after leet/mask/stretch repair. */
function emitRun(src: Buf, a: number, b: number, out: Buf, input: string): void {
  const C = src.c;
  let hasLetter = false;
  let plain = true; // only a-z / non-ASCII letters
  let triple = false;
  let h = MISSPELLING_HASH_SEED;
  for (let i = a; i < b; i++) {
    const c = C[i] as number;
    if (isLetter(c)) hasLetter = true;
    else plain = false;
    if (i >= a + 2 && c === C[i - 1] && c === C[i - 2]) triple = true;
    h = misspellingHashStep(h, c);
  }
  if (!hasLetter || (plain && !triple)) {
    if (plain && b - a >= 3 && misspellingFilterHas(h)) {
      const word = MISSPELLINGS.get(keyOf(C, a, b));
      if (word !== undefined && writtenAsCommonWord(input, src.s[a] as number, src.e[b - 1] as number, b - a)) {
        emitRepaired(word, Array.from(C.subarray(a, b)), Array.from(src.s.subarray(a, b)), Array.from(src.e.subarray(a, b)), out);
        return;
      }
    }
    for (let i = a; i < b; i++) out.push(C[i] as number, src.s[i] as number, src.e[i] as number);
    return;
  }
  repairRun(src, a, b, plain, out, input);
}

/**
 * emitRun for a run with leet or mask symbols or stretched letters. A function of its own because `collapse` closes
 * over c, s and e: V8 then allocates their context on every call of the function that declares them, before any
 * early return (about 3 KB per comment when the plain path shared it).
 */
function repairRun(src: Buf, a: number, b: number, plain: boolean, out: Buf, input: string): void {
  // work on a copy
  let c: number[] = Array.from(src.c.subarray(a, b));
  let s: number[] = Array.from(src.s.subarray(a, b));
  let e: number[] = Array.from(src.e.subarray(a, b));
  if (!plain) {
    const key = keyOf(c, 0, c.length);
    if (!ORDINAL_RE.test(key) && !TRAILING_NUMBER_RE.test(key)) {
      for (let i = 0; i < c.length; i++) {
        const x = c[i] as number;
        const m = LEET[x];
        if (m !== undefined) c[i] = m;
        else if ((x === BANG || x === PIPE) && i > 0 && i + 1 < c.length && isLetter(c[i + 1] as number)) c[i] = 105;
      }
    }
    // masked letters
    let masks = 0;
    for (const x of c) if (x === STAR || x === HASH) masks++;
    if (masks > 0 && masks < c.length) {
      const candidates = LEXICON_BY_LENGTH.get(c.length);
      if (candidates) {
        for (const w of candidates) {
          let ok = true;
          for (let i = 0; i < c.length; i++) {
            const x = c[i] as number;
            if (x !== STAR && x !== HASH && x !== w.charCodeAt(i)) {
              ok = false;
              break;
            }
          }
          if (ok) {
            for (let i = 0; i < c.length; i++) c[i] = w.charCodeAt(i);
            break;
          }
        }
      }
    }
  }
  // stretched letters: runs of 3+ identical letters -> 2, then to 1 if that makes a lexicon word
  let hasTriple = false;
  for (let i = 2; i < c.length; i++) if (c[i] === c[i - 1] && c[i] === c[i - 2] && isLetter(c[i] as number)) hasTriple = true;
  const collapse = (limit: number): [number[], number[], number[]] => {
    const c2: number[] = [];
    const s2: number[] = [];
    const e2: number[] = [];
    let run = 0;
    for (let i = 0; i < c.length; i++) {
      const x = c[i] as number;
      if (i > 0 && x === c[i - 1] && isLetter(x)) run++;
      else run = 1;
      if (run > limit) {
        e2[e2.length - 1] = e[i] as number;
        continue;
      }
      c2.push(x);
      s2.push(s[i] as number);
      e2.push(e[i] as number);
    }
    return [c2, s2, e2];
  };
  if (hasTriple) [c, s, e] = collapse(2);
  if (hasTriple || !plain) {
    const key = keyOf(c, 0, c.length);
    if (!LEXICON.has(key)) {
      const [c1, s1, e1] = collapse(1);
      if (c1.length !== c.length && LEXICON.has(keyOf(c1, 0, c1.length))) [c, s, e] = [c1, s1, e1];
    }
  }
  const word = MISSPELLINGS.get(keyOf(c, 0, c.length));
  if (word !== undefined && writtenAsCommonWord(input, s[0] as number, e[e.length - 1] as number, c.length)) {
    emitRepaired(word, c, s, e, out);
    return;
  }
  for (let i = 0; i < c.length; i++) out.push(c[i] as number, s[i] as number, e[i] as number);
}

/**
 * Whether the original word [start, end) is written like a common word, so that it may be repaired as a
 * misspelling: all lower case, all upper case, or capitalized at the start of the text or of a
 * sentence. A capital inside a sentence or mixed case marks a name or an abbreviation ("Hink",
 * "Hore", "DYKs" are not "chink", "whore", "dykes"); a word of `letters` 3 in capitals is an acronym ("SPC",
 * "D.M.N." are not "spic", "damn").
 */
function writtenAsCommonWord(input: string, start: number, end: number, letters: number): boolean {
  let upper = 0;
  let lower = 0;
  let firstUpper = false;
  for (let i = start; i < end; i++) {
    const ch = input[i] as string;
    if (ch.toLowerCase() !== ch) {
      upper++;
      if (upper === 1 && lower === 0) firstUpper = true;
    } else if (ch.toUpperCase() !== ch) lower++;
  }
  if (upper === 0) return true;
  if (lower === 0) return letters > 3;
  if (upper > 1 || !firstUpper) return false;
  let k = start - 1;
  while (k >= 0 && /\s|["'\u201c\u2018(]/.test(input[k] as string)) k--;
  return k < 0 || /[.!?\n]/.test(input[k] as string);
}

/**
 * Writes `word` for the misspelled letters `c` (original ranges s/e): letters of the common prefix and
 * suffix keep their own ranges; the differing middle takes the union of the middle's ranges (for a
 * deleted letter, the range of its neighbour).
 */
function emitRepaired(word: string, c: number[], s: number[], e: number[], out: Buf): void {
  const n = c.length;
  const m = word.length;
  let p = 0;
  while (p < n && p < m && c[p] === word.charCodeAt(p)) p++;
  let q = 0;
  while (q < n - p && q < m - p && c[n - 1 - q] === word.charCodeAt(m - 1 - q)) q++;
  const lo = Math.min(p, n - 1);
  const hi = Math.max(lo, n - q - 1);
  for (let i = 0; i < m; i++) {
    let st: number;
    let en: number;
    if (i < p) [st, en] = [s[i] as number, e[i] as number];
    else if (i >= m - q) [st, en] = [s[n - (m - i)] as number, e[n - (m - i)] as number];
    else [st, en] = [s[lo] as number, e[hi] as number];
    out.push(word.charCodeAt(i), st, en);
  }
}

/** One whitespace-free chunk [a, b) of `src` written to `out`. */
function emitChunk(src: Buf, a: number, b: number, out: Buf, input: string): void {
  const C = src.c;
  let lo = a;
  let hi = b;
  while (lo < hi && ((PUNCT[C[lo] as number] as number) & 1) !== 0) lo++;
  while (hi > lo && ((PUNCT[C[hi - 1] as number] as number) & 2) !== 0) hi--;
  for (let i = a; i < lo; i++) out.push(C[i] as number, src.s[i] as number, src.e[i] as number);
  // "f.u.c.k", "f-u-c-k": letters at even positions, one repeated separator at odd positions
  const len = hi - lo;
  let joined = false;
  if (len >= 5 && len % 2 === 1) {
    const sep = C[lo + 1] as number;
    if (SEPARATORS.has(sep)) {
      let ok = true;
      for (let k = 0; k < len; k++) {
        const x = C[lo + k] as number;
        if (k % 2 === 1 ? x !== sep : !(isLetter(x) || LEET[x] !== undefined)) {
          ok = false;
          break;
        }
      }
      if (ok) {
        const tmp = new Buf();
        for (let k = 0; k < len; k += 2) tmp.push(C[lo + k] as number, src.s[lo + k] as number, src.e[lo + k] as number);
        emitRun(tmp, 0, tmp.length, out, input);
        joined = true;
      }
    }
  }
  if (!joined) {
    let i = lo;
    while (i < hi) {
      if (isWordish(C[i] as number)) {
        let j = i + 1;
        while (j < hi && isWordish(C[j] as number)) j++;
        emitRun(src, i, j, out, input);
        i = j;
      } else {
        out.push(C[i] as number, src.s[i] as number, src.e[i] as number);
        i++;
      }
    }
  }
  for (let i = hi; i < b; i++) out.push(C[i] as number, src.s[i] as number, src.e[i] as number);
}

function step2(src: Buf, input: string): Buf {
  const C = src.c;
  const n = src.length;
  // chunk boundaries (at most one chunk per two code units)
  if (CHUNK_STARTS.length < (n >> 1) + 1) {
    CHUNK_STARTS = new Int32Array(n);
    CHUNK_ENDS = new Int32Array(n);
  }
  const starts = CHUNK_STARTS;
  const ends = CHUNK_ENDS;
  let m = 0;
  for (let i = 0; i < n; ) {
    if (C[i] === SP || C[i] === NL) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && C[j] !== SP && C[j] !== NL) j++;
    starts[m] = i;
    ends[m] = j;
    m++;
    i = j;
  }
  const out = BUF2.reset();
  const single = (k: number): boolean => {
    const a = starts[k] as number;
    return (ends[k] as number) - a === 1 && isLetter(C[a] as number);
  };
  for (let k = 0; k < m; ) {
    const a = starts[k] as number;
    // separator between the previous chunk and this one
    if (k > 0) {
      const gapStart = ends[k - 1] as number;
      out.push(C[gapStart] as number, src.s[gapStart] as number, src.e[gapStart] as number);
    }
    // "f u c k": three or more one-letter chunks separated by single spaces
    if (single(k)) {
      let j = k + 1;
      while (j < m && single(j) && C[ends[j - 1] as number] === SP) j++;
      if (j - k >= 3) {
        const tmp = new Buf();
        for (let t = k; t < j; t++) {
          const p = starts[t] as number;
          tmp.push(C[p] as number, src.s[p] as number, src.e[p] as number);
        }
        emitRun(tmp, 0, tmp.length, out, input);
        k = j;
        continue;
      }
    }
    emitChunk(src, a, ends[k] as number, out, input);
    k++;
  }
  return out;
}

let TEXT_BYTES = Buffer.alloc(1024);

/**
 * The string of the first n code units of c: through a reused byte buffer when they are all Latin-1 (most text;
 * String.fromCharCode.apply first copies every code unit into an argument list: three times slower, and garbage).
 */
function textOf(c: Int32Array, n: number): string {
  if (TEXT_BYTES.length < n) TEXT_BYTES = Buffer.alloc(2 * n);
  const bytes = TEXT_BYTES;
  for (let i = 0; i < n; i++) {
    const x = c[i] as number;
    if (x > 255) {
      let text = '';
      const CH = 4096;
      for (let k = 0; k < n; k += CH) text += String.fromCharCode.apply(null, c.subarray(k, Math.min(n, k + CH)) as unknown as number[]);
      return text;
    }
    bytes[i] = x;
  }
  return bytes.toString('latin1', 0, n);
}

/** Arrays that normalize may write its offset map into (grown when too short): reused by a caller that normalizes many texts. */
export interface OffsetBuffers {
  start: Int32Array;
  end: Int32Array;
}

/** Without `into`, the offset map has arrays of its own; with it, the map is valid until `into`'s next use. */
export function normalize(input: string, into?: OffsetBuffers): NormalizedText {
  const b = step2(step1(input), input);
  const n = b.length;
  const text = textOf(b.c, n);
  if (into === undefined) return { text, start: b.s.slice(0, n), end: b.e.slice(0, n) };
  if (into.start.length < n) {
    into.start = new Int32Array(2 * n);
    into.end = new Int32Array(2 * n);
  }
  into.start.set(b.s.subarray(0, n));
  into.end.set(b.e.subarray(0, n));
  return { text, start: into.start.subarray(0, n), end: into.end.subarray(0, n) };
}
