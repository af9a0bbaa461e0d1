// Engine v4: scope. A deterministic reading of where a comment's harmful words stand: denied
// ("Muslims are not vermin", "It is false that ..."), reported or quoted ("the graffiti read '...'",
// "he wrote that ..."), or condemned ("Calling them vermin is bigotry", "I reported the post ...",
// "Shame on anyone who says ..."). Tokens in such a scope keep their features; scoring multiplies the
// part of their contribution to the scoped labels that is harmful (classifier.ts, `lowerInScope`), so
// the words of hate that a comment denies, reports or condemns do not count as the comment's own.
//
// Self-written word lists (normalized keys: lower case letters and digits, apostrophes dropped:
// "don't" -> "dont"). Nothing here is learned: a learned stage over scope flags (engine v3, model
// card) fitted the templates it was shown and cost held-out ROC-AUC. Scopes:
//   - denied: a negation of a predicate ("are not", "aren't", "are never") or of a belief or a saying
//     ("nobody thinks", "I don't believe", "I would never say"), to the end of its clause; not in a
//     question ("Aren't they just vermin?" is rhetorical), not "not only / not just", "never forget",
//     not a concession ("I'm not racist but ...", "nothing but ..."), not a negated positive predicate
//     ("not human", "don't respect", "not welcome": see POSITIVE), and "no" only in "no one" ("No
//     vermin in our town" excludes, it does not deny); "false / a lie / the myth ... that" to the end of
//     its sentence;
//   - reported: after a reporting or naming verb ("said", "wrote", "shouted", "calling", "labelled"), or
//     "who / that" + a speech or belief verb ("anyone who thinks ..."), up to the main clause's copula,
//     unless the subject is the writer ("I said", "we call them") or the verb has a pronoun object ("the
//     reporter who wrote this is ..."); words inside quotation marks, when the quotation has 3 or more
//     words or a reporting word comes before it (scare quotes around one word are not a quotation);
//   - condemned: after a condemning verb ("condemn", "denounce", "reported", "stand against").
// A scope counts only when it is a statement about a group (keepPredications), and only its abusive
// words are lowered (lowerInScope): the narrowest rule that lowered no held-out ROC-AUC (model card,
// "Engine v4: scope"; broader ones let real hate through). So a negated positive statement ("Women are
// not human", "I don't respect women") and hate outside the scope ("Not all of them are bad, but most are
// vermin") keep their scores.
import { hashString, isIdentityWord, SEED_WORD, type Tokens } from './features.js';
import { NUM_LABELS } from './labels.js';

/** scope kinds, one bit each (per token) */
export const SCOPE_NEGATED = 1;
export const SCOPE_REPORTED = 2;
export const SCOPE_CONDEMNED = 4;

const set = (words: string): ReadonlySet<number> => new Set(words.split(/\s+/).filter((w) => w.length > 0).map((w) => hashString(SEED_WORD, w)));
const h = (w: string): number => hashString(SEED_WORD, w);

const NEGATORS = set(`not never nobody noone none neither nor cannot cant dont doesnt didnt isnt arent wasnt werent wont
wouldnt shouldnt couldnt aint hardly`);
/** a negator followed by one of these asserts rather than denies ("not only", "never forget", "not doubt") */
const NOT_A_DENIAL = set(`only just merely simply better more less different doubt question denying deny forget forgetting
underestimate trust let allow kidding mistake wonder surprise surprised`);
/**
 * Positive predicates: their negation is the harm ("not human", "don't respect", "not welcome", "can't be
 * trusted", "don't deserve to live"), so a negation with one of them in its scope is the comment's own claim.
 */
const POSITIVE = set(`human humans humane people person persons welcome welcomed wanted trusted trust trustworthy respect respected
deserve deserves deserving worthy equal equals citizen citizens civilized civilised intelligent smart capable decent good fit able
allowed belong belongs safe clean honest loyal real normal sane like love loved value valued needed useful members member
americans live exist breed vote religion religions race faith`);
/** words that end a negation's scope inside a clause */
const SCOPE_ENDS = set('but though although yet however except');
/** "<word> that" opens a denial scope to the end of the sentence ("it is false that", "the myth that") */
const DENIAL_BEFORE_THAT = set(`false untrue lie lies myth myths nonsense rubbish absurd ridiculous wrong idea notion claim claims
stereotype stereotypes trope tropes rumor rumour rumors rumours narrative accusation canard falsehood`);
/** reporting and naming verbs: what follows is someone's words */
const REPORTING = set(`said says saying wrote writes written writing claimed claiming shouted shouting yelled yelling screamed
screaming chanted chanting tweeted tweeting posted posting read reads called calling labelled labeled labelling labeling
branded branding described describing suggested suggesting insisted alleged alleging heard`);
/** speech and belief verbs after "who" / "that" ("anyone who thinks ...", "people who call ...") */
const SPEECH = set(`say says said call calls called think thinks thought believe believes believed claim claims claimed
write writes wrote post posts posted label labels labelled labeled describe describes described`);
/** naming verbs take their complement without a copula ("call them vermin"): their scope ends at the first copula after them
 * ("People who call them vermin | are the problem"); other speech verbs' at the second ("Saying they are vermin | is bigotry") */
const NAMING = set(`call calls called calling label labels labelled labeled labelling labeling brand brands branded branding describe
describes described describing`);
const COPULAS = set('is are was were be isnt arent wasnt werent');
const NEGATIVE_COPULAS = set('isnt arent wasnt werent aint');
/** belief and speech verbs whose negation denies what follows ("nobody thinks", "I don't believe", "I would never say") */
const BELIEF = set('think thinks thought believe believes believed say says said claim claims claimed agree agrees buy suggest suggesting saying call calling');
/** a speech verb whose object is one of these has no content clause ("the reporter who wrote this is an idiot") */
const PRONOUN_OBJECTS = set('this it these those something anything nothing everything');
const SO = h('so');
const RELATIVE = set('who that');
/** condemning verbs: what follows is condemned */
const CONDEMNING = set(`condemn condemns condemned condemning denounce denounces denounced denouncing reported report
reporting flagged decry decries oppose opposes opposing reject rejects rejecting`);
const AGAINST = h('against');
/** "<word> against" condemns ("stand against", "speak out against") */
const BEFORE_AGAINST = set('stand stands stood standing speak speaks spoke speaking out fight fighting fought');
/** the writer as subject: "I said", "we call them" report the writer's own words */
const FIRST_PERSON = set('i im ive id ill we were weve wed well');
/** a reporting noun before a quotation ("the sign read", "posters saying") */
const REPORTING_NOUNS = set(`sign signs poster posters graffiti banner banners headline message messages comment comments post
posts tweet tweets slogan slogans chant chants words word phrase term slur note letter leaflet flyer flyers sticker stickers`);
const NO = h('no');
const ONE = h('one');
const THAT = h('that');

/** cheap pre-filter on the low 16 bits of a word hash: a text with no cue word and no quotation mark has no scope */
const CUES: Uint8Array = (() => {
  const f = new Uint8Array(1 << 16);
  for (const s of [NEGATORS, DENIAL_BEFORE_THAT, REPORTING, SPEECH, CONDEMNING]) for (const x of s) f[x & 0xffff] = 1;
  f[AGAINST & 0xffff] = 1;
  f[NO & 0xffff] = 1;
  return f;
})();

const isQuote = (c: number): boolean => c === 34 || c === 39 || c === 0x201c || c === 0x201d || c === 0x2018 || c === 0x2019 || c === 0xab || c === 0xbb;
const isWordChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c >= 0xc0;

/**
 * Per token: SCOPE_* bits, or null when the text has no scope at all (the common case, answered
 * after one filter probe per token). `hashes` are the tokens' word hashes (features.wordHash).
 */
export function scopeOf(tk: Tokens, hashes: ArrayLike<number>): Uint8Array | null {
  const T = tk.start.length;
  const text = tk.norm.text;
  let any = false;
  for (let i = 0; i < T && !any; i++) if (CUES[(hashes[i] as number) & 0xffff] === 1) any = true;
  if (!any) {
    for (let k = 0; k < text.length && !any; k++) if (isQuote(text.charCodeAt(k))) any = true;
    if (!any) return null;
  }
  const flags = new Uint8Array(T);
  const mark = (from: number, to: number, bit: number): void => {
    for (let i = from; i < to; i++) flags[i] = (flags[i] as number) | bit;
  };
  const clauseEnd = (i: number): number => {
    let j = i;
    while (j < T && tk.clause[j] === tk.clause[i]) j++;
    return j;
  };
  const sentenceEnd = (i: number): number => {
    let j = i;
    while (j < T && tk.sentence[j] === tk.sentence[i]) j++;
    return j;
  };
  const sentenceStart = (i: number): number => {
    let j = i;
    while (j > 0 && tk.sentence[j - 1] === tk.sentence[i]) j--;
    return j;
  };
  const clauseStart = (i: number): number => {
    let j = i;
    while (j > 0 && tk.clause[j - 1] === tk.clause[i]) j--;
    return j;
  };
  /** whether the sentence of token i ends with a question mark */
  const isQuestion = (i: number): boolean => {
    const last = sentenceEnd(i) - 1;
    const from = tk.end[last] as number;
    const to = last + 1 < T ? (tk.start[last + 1] as number) : text.length;
    for (let k = from; k < to; k++) if (text.charCodeAt(k) === 63) return true;
    return false;
  };
  const firstPersonBefore = (i: number): boolean => {
    for (let j = clauseStart(i); j < i; j++) if (FIRST_PERSON.has(hashes[j] as number)) return true;
    return false;
  };
  /**
   * The scope after a speech verb at i: the rest of its clause (the next clause when the verb ends its
   * clause: "He said, ..."), up to the copula of the main clause when there is one (see NAMING).
   */
  const afterVerb = (i: number): [number, number] => {
    let a = i + 1;
    let e = clauseEnd(i);
    if (e === i + 1 && e < T && tk.sentence[e] === tk.sentence[i]) {
      a = e;
      e = clauseEnd(e);
    }
    let copulas = NAMING.has(hashes[i] as number) ? 1 : 0;
    for (let j = a; j < e; j++) {
      if (COPULAS.has(hashes[j] as number) && ++copulas === 2) return [a, j];
    }
    return [a, e];
  };

  for (let i = 0; i < T; i++) {
    const w = hashes[i] as number;
    if (CUES[w & 0xffff] !== 1 && w !== AGAINST) continue;
    const next = i + 1 < T && tk.clause[i + 1] === tk.clause[i] ? (hashes[i + 1] as number) : 0;
    if (NEGATORS.has(w) || (w === NO && next === ONE)) {
      if (NOT_A_DENIAL.has(next) || isQuestion(i)) continue;
      // only a denial of a predicate ("they are not ...", "aren't ...") or of a belief or a saying
      // ("nobody thinks ...", "I don't believe ...", "I would never say ..."): other negations ("don't
      // mess with ...", "not a joke, he is ...") leave the words they precede as the writer's own
      const at = w === NO ? i + 1 : i;
      const prev = i > 0 && tk.clause[i - 1] === tk.clause[i] ? (hashes[i - 1] as number) : 0;
      let open = -1;
      if (NEGATIVE_COPULAS.has(w) || COPULAS.has(prev)) open = at + 1;
      else {
        for (let k = at + 1; k <= at + 3 && k < T && tk.clause[k] === tk.clause[i]; k++) {
          if (BELIEF.has(hashes[k] as number)) {
            open = k + 1;
            break;
          }
        }
      }
      if (open < 0) continue;
      const e = clauseEnd(i);
      let j = open;
      while (j < e && !SCOPE_ENDS.has(hashes[j] as number)) j++;
      // a concession is not a denial: "I'm not racist but ...", "Not all of them are bad, but most ...",
      // "nothing but ..." (the negation hedges what follows "but", which is asserted)
      if (j < e || (e < T && tk.sentence[e] === tk.sentence[i] && SCOPE_ENDS.has(hashes[e] as number))) continue;
      let positive = false;
      for (let k = open; k < j && !positive; k++) positive = POSITIVE.has(hashes[k] as number);
      if (positive) continue;
      mark(open, j, SCOPE_NEGATED);
    } else if (DENIAL_BEFORE_THAT.has(w) && next === THAT) {
      mark(i + 2, sentenceEnd(i), SCOPE_NEGATED);
    } else if (REPORTING.has(w) || (SPEECH.has(w) && i > 0 && tk.clause[i - 1] === tk.clause[i] && RELATIVE.has(hashes[i - 1] as number))) {
      // not the writer's own words ("I said", "we call them"), not "so-called"
      if (firstPersonBefore(i) || (i > 0 && (hashes[i - 1] as number) === SO)) continue;
      // "who wrote this", "who said that." : an object, not someone's words
      const after2 = i + 2 < T && tk.clause[i + 2] === tk.clause[i] ? (hashes[i + 2] as number) : 0;
      if (PRONOUN_OBJECTS.has(next) || (next === THAT && (after2 === 0 || COPULAS.has(after2)))) continue;
      const [a, b] = afterVerb(i);
      mark(a, b, SCOPE_REPORTED);
    } else if (CONDEMNING.has(w)) {
      mark(i + 1, clauseEnd(i), SCOPE_CONDEMNED);
    } else if (w === AGAINST && i > 0 && BEFORE_AGAINST.has(hashes[i - 1] as number)) {
      mark(i + 1, clauseEnd(i), SCOPE_CONDEMNED);
    }
  }
  markQuotations(tk, hashes, flags, sentenceStart);
  keepPredications(tk, hashes, flags);
  return flags;
}

/**
 * Keeps only the scopes that hold a statement about a group: a run of at most 10 scoped tokens, in a
 * clause that names an identity group, that is a predication (it holds a copula, or follows a copula,
 * a negated copula or a naming verb: "they are not | vermin", "calling | them vermin").
 */
function keepPredications(tk: Tokens, hashes: ArrayLike<number>, flags: Uint8Array): void {
  const T = tk.start.length;
  let a = 0;
  while (a < T) {
    if (flags[a] === 0) {
      a++;
      continue;
    }
    let b = a;
    while (b < T && flags[b] === flags[a] && tk.sentence[b] === tk.sentence[a]) b++;
    let ok = b - a <= 10;
    if (ok) {
      let group = false;
      let c0 = a;
      while (c0 > 0 && tk.clause[c0 - 1] === tk.clause[a]) c0--;
      for (let i = c0; i < b && !group; i++) group = isIdentityWord(hashes[i] as number);
      let pred = a > 0 && (COPULAS.has(hashes[a - 1] as number) || NEGATIVE_COPULAS.has(hashes[a - 1] as number) || NAMING.has(hashes[a - 1] as number) || (a > 1 && NEGATORS.has(hashes[a - 1] as number) && COPULAS.has(hashes[a - 2] as number)));
      for (let i = a; i < b && !pred; i++) pred = COPULAS.has(hashes[i] as number);
      ok = group && pred;
    }
    if (!ok) flags.fill(0, a, b);
    a = b;
  }
}

/** Quotations: an opening mark before a word, a closing mark after one, in one sentence. */
function markQuotations(tk: Tokens, hashes: ArrayLike<number>, flags: Uint8Array, sentenceStart: (i: number) => number): void {
  const T = tk.start.length;
  const text = tk.norm.text;
  let open = -1;
  for (let i = 0; i <= T; i++) {
    // the gap before token i (after token i-1)
    const from = i > 0 ? (tk.end[i - 1] as number) : 0;
    const to = i < T ? (tk.start[i] as number) : text.length;
    for (let k = from; k < to; k++) {
      const c = text.charCodeAt(k);
      if (!isQuote(c)) continue;
      const before = k > 0 ? text.charCodeAt(k - 1) : 32;
      const after = k + 1 < text.length ? text.charCodeAt(k + 1) : 32;
      if (open >= 0 && i > open && !isWordChar(after) && (tk.sentence[i - 1] === tk.sentence[open] || i - open >= 3)) {
        // closing mark after token i-1
        let reported = i - open >= 3;
        for (let j = sentenceStart(open); j < open && !reported; j++) {
          const x = hashes[j] as number;
          if (REPORTING.has(x) || REPORTING_NOUNS.has(x) || SPEECH.has(x)) reported = true;
        }
        if (reported) for (let j = open; j < i; j++) flags[j] = (flags[j] as number) | SCOPE_REPORTED;
        open = -1;
      } else if (open < 0 && i < T && isWordChar(after) && !isWordChar(before)) {
        open = i;
      }
    }
  }
}

/** Share kept of the harmful contribution of an in-scope token (chosen on the dev cases of test/engine/scope-dev.ts, not on the functional suite). */
export const SCOPE_KEEP = 0.25;

/** Labels whose harmful contributions are lowered in scope: toxic, severe_toxic, insult, identity_hate (not obscene: a swear word is one wherever it stands; not threat). */
export const SCOPED_LABELS: readonly number[] = [0, 1, 4, 5];

/**
 * Lowers the harmful words of each scope: a token in scope whose word is abusive by itself
 * (`harmfulAlone`: the word scored alone is at or over the toxic or insult hold line) and is not a
 * group's name has the positive part of its contribution to each of `labels` multiplied by `keep`,
 * less the half of its bigram with the cue before it when it opens the scope ("not vermin": the
 * negator's own weight stays). `ws`/`cs`: word and char contributions per token and label (token-major,
 * NUM_LABELS per token); `nw`/`nc`: feature counts per sentence; `bigramWeight(h1, h2, l)`: the model's
 * weight of a bigram for label l. Also lowers the violent words of a negated threat construction
 * (classifier.ts, with threats.ts's `negated` matches as the scope and their own labels).
 */
export function lowerInScope(
  tk: Tokens,
  hashes: ArrayLike<number>,
  flags: Uint8Array,
  ws: Float64Array,
  cs: Float64Array,
  nw: Float64Array,
  nc: Float64Array,
  keep: number,
  bigramWeight: (h1: number, h2: number, l: number) => number,
  harmfulAlone: (t: number) => boolean,
  labels: readonly number[] = SCOPED_LABELS,
): void {
  const L = NUM_LABELS;
  for (let t = 0; t < flags.length; t++) {
    if (flags[t] === 0 || isIdentityWord(hashes[t] as number) || !harmfulAlone(t)) continue;
    const s = tk.sentence[t] as number;
    const fw = (nw[s] as number) > 0 ? 1 / Math.sqrt(nw[s] as number) : 0;
    const fc = (nc[s] as number) > 0 ? 1 / Math.sqrt(nc[s] as number) : 0;
    const opens = t > 0 && flags[t - 1] === 0 && tk.sentence[t - 1] === s;
    for (const l of labels) {
      const o = t * L + l;
      const own = opens ? 0.5 * bigramWeight(hashes[t - 1] as number, hashes[t] as number, l) : 0;
      const w = (ws[o] as number) - own;
      if (w * fw + (cs[o] as number) * fc > 0) {
        ws[o] = own + w * keep;
        cs[o] = (cs[o] as number) * keep;
      }
    }
  }
}
