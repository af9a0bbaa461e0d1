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
// No reported, quoted or condemned scope, and no "false ... that", in a sentence that endorses or outdoes
// it, or before one that does ("... is right", "an insult to D", "Exactly."); no denial followed by
// another charge ("X are not D, they are the enemy within"); no scope without a group word.
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
  // every scope that counts is about a group (keepPredications), and so is every whole statement: no group word, no scope
  let group = false;
  for (let i = 0; i < T && !group; i++) group = isIdentityWord(hashes[i] as number);
  if (!group) return null;
  let any = false;
  for (let i = 0; i < T && !any; i++) if (CUES[(hashes[i] as number) & 0xffff] === 1) any = true;
  if (!any) {
    for (let k = 0; k < text.length && !any; k++) if (isQuote(text.charCodeAt(k))) any = true;
    if (!any) return null;
  }
  const flags = new Uint8Array(T);
  let endorsed: Uint8Array | null = null;
  const endorsedOf = (i: number): number => (endorsed ??= endorsedSentences(tk, hashes))[tk.sentence[i] as number] as number;
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
  const firstPersonBefore = (i: number): boolean => {
    for (let j = clauseStart(i); j < i; j++) if (FIRST_PERSON.has(hashes[j] as number) || FIRST_PERSON_OWNER.has(hashes[j] as number)) return true;
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
      if (NOT_A_DENIAL.has(next) || isQuestionAt(tk, i)) continue;
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
      // "X are not D, they are the enemy within": the denial makes way for another charge
      if (predicatesAgain(tk, hashes, e, sentenceEnd(i)) === null) continue;
      mark(open, j, SCOPE_NEGATED);
    } else if (DENIAL_BEFORE_THAT.has(w) && next === THAT && endorsedOf(i) === 0) {
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
  // a report or a condemnation that the sentence endorses is the writer's own claim ("Anyone who says X are D is
  // right", "My uncle said \"X are D\" and he was right", "Calling X D is an insult to D")
  // (a denial is cleared only by the next sentence: "X are not D. They are worse.", "Everybody knows it.")
  for (let i = 0; i < T; i++) {
    if (flags[i] === 0) continue;
    const e = endorsedOf(i);
    if (e !== 0) flags[i] = (flags[i] as number) & ((e & 2) === 0 ? SCOPE_NEGATED : 0);
  }
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
        // the writer's own sign or post ("my sign said", "our banner read"), within the 12 words before it
        for (let j = open - 1; j >= 0 && j >= open - 12 && tk.sentence[j] === tk.sentence[open] && reported; j--) if (FIRST_PERSON_OWNER.has(hashes[j] as number)) reported = false;
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
  everyWord = false,
): void {
  const L = NUM_LABELS;
  for (let t = 0; t < flags.length; t++) {
    if (flags[t] === 0 || (!everyWord && (isIdentityWord(hashes[t] as number) || !harmfulAlone(t)))) continue;
    const s = tk.sentence[t] as number;
    const fw = (nw[s] as number) > 0 ? 1 / Math.sqrt(nw[s] as number) : 0;
    const fc = (nc[s] as number) > 0 ? 1 / Math.sqrt(nc[s] as number) : 0;
    const opens = !everyWord && t > 0 && flags[t - 1] === 0 && tk.sentence[t - 1] === s;
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

// ---- Whole statements (issue 13, negation and counter-speech, 2026-12-01) -------------------------
// The scope rules above lower only the abusive words of a scope, because the model's weight on a
// statement about a group also sits on the group's name and its copula ("Muslims are" in a sentence
// about a group), and lowering those in every scope released real hate (model card, "Engine v4: scope",
// variant F). A whole statement is the narrow case where lowering all its words is safe: a complete
// statement "<group> are <derogatory>" that the sentence, by its own construction, denies or condemns,
// or that a quotation reports, with nothing derogatory or endorsing left over. Constructions:
//   - denial: the sentence is "<group> are not / aren't / are never <derogatory>" (after an optional
//     "No," or a clean opening clause: "For the record, ..."), and any clause after it is free of
//     derogatory, concessive ("but") and endorsing words, and predicates again only benignly ("X are not
//     D, they are our neighbours"; not "..., they are the enemy within": predicatesAgain); lowered up to
//     the statement's end and the benign restatements (other later clauses keep their words);
//   - denial of a belief or a claim, opening the sentence: "it is false / a lie / not true that", "I would
//     never say", "I don't believe (for a second) that", "nobody thinks", then the statement; "Stop
//     saying / Quit calling / Don't call ..."; later clauses as for a denial;
//   - a condemned saying, opening the sentence: "Saying (that) <statement> / Calling <group> (as)
//     <derogatory>" or "The myth / idea that <statement>" + "is / was" + a condemnation ("bigotry",
//     "racist", "disgusting", "wrong", "a lie") with no negation, "but", or other derogatory word;
//   - condemned speakers: "anyone / people / those who say (that) <statement> / call <group> <derogatory>",
//     or "... who hate / attack / harass <group>", after a condemning frame ("shame on", "I condemn",
//     "sick of", "stand against") or before a condemning predicate ("... are the problem", "is a bigot");
//     only the relative clause is lowered, so an insult in the predicate keeps its weight;
//   - a reported quotation: the quoted words are exactly the statement, a reporting word stands before
//     the quotation with no first person before it, and the comment has no endorsing word ("true",
//     "right", "agree", "fact") and nothing derogatory outside the quotation.
// The statement: a subject of at most 4 words, each a group word or a plain word ("the", "our",
// "people", "men"), at least one a group word and none derogatory; a copula; a predicate of at most 4
// words whose last word is derogatory (abusive alone by the model, or a dehumanizing word below), the
// others determiners ("a", "just", "all") or derogatory, at most one other word, and no negated-positive
// word (POSITIVE: "X are not human" stays the comment's claim); "not just D" is no denial. Never in a
// question, nor in a sentence that the next one endorses ("Exactly.", "They are worse.": endorsedSentences).

/** dehumanizing words and stereotypes that the model does not score as abusive alone (self-written, general knowledge of dehumanizing speech) */
const DEHUMANIZING = set(`vermin rats rat rodents cockroaches roaches insects bugs lice parasites parasite leeches ticks maggots pests animals
animal beasts beast apes ape monkeys dogs pigs swine snakes cancer disease diseases plague virus infection infestation tumor tumour filth
scum trash garbage savages savage subhuman subhumans barbarians mongrels terrorists criminals rapists thieves thugs invaders blight
pestilence locusts vultures hyenas`);
/** subject words besides group words */
const SUBJECT_WORDS = set(`the all most many our my your these those some people men women folks persons kids children families neighbours
neighbors friends coworkers colleagues`);
/** predicate words that carry no claim of their own */
const PREDICATE_FILLERS = set('a an just all simply merely some kind sort of like bunch nothing');
/** a condemnation of a saying or of speakers */
const CONDEMNATIONS = set(`bigotry bigoted bigot bigots racist racists racism hateful hate disgusting vile wrong unacceptable shameful
ignorant offensive dehumanizing dehumanising xenophobic xenophobia sexist sexism misogynist misogyny homophobic homophobia transphobic
transphobia antisemitic antisemitism islamophobic islamophobia appalling despicable abhorrent disgraceful disgrace repugnant prejudice
prejudiced intolerance intolerant cruel hurtful problem mistaken ashamed`);
/** words that endorse what a comment reports or denies, or outdo it ("I don't think X are D, I know it", "they are worse") */
const ENDORSING = set(`true truth right correct agree agreed agrees fact facts indeed accurate amen spot admit know knew knows sure certain
worse worst`);
/** "not wrong", "no lie": litotes that endorse */
const UNTRUE = set('wrong lie lying mistaken false untrue kidding joking');
/** gerunds that open a condemned saying */
const SAYING = set('saying claiming suggesting implying insisting pretending calling labelling labeling describing branding');
/** the speakers a counter-speech condemns */
const SPEAKERS = set(`anyone anybody everyone everybody someone somebody people those persons folks bigots racists men guys trolls
commenters`);
/** verbs of hostility towards a group ("people who hate X") */
const HOSTILE = set(`hate hates hated hating attack attacks attacked harass harasses harassed target targets targeted abuse abuses abused
despise despises demonize demonizes demonise demonises dehumanize dehumanizes dehumanise dehumanises vilify vilifies mock mocks bully
bullies threaten threatens insult insults slur slurs discriminate discriminates persecute persecutes`);
/** words of a condemning frame before the speakers ("shame on", "I condemn", "sick of", "stand against") */
const CONDEMN_FRAME = set(`condemn condemns denounce denounces reject rejects oppose opposes deplore deplores shame sick tired disgusted
appalled against ashamed`);
/** lead-ins that deny the statement after "that": "it is false", "it's a lie", "that is not true" */
const DENYING_LEAD = set('false untrue lie myth nonsense rubbish wrong smear slander true');
const LEAD_SUBJECTS = set('it its that thats this');
const ADVERBS = set('simply just absolutely completely utterly totally plainly ever really here');
const FIRST_PERSON_SINGLE = set('i we');
const FIRST_PERSON_OWNER = set('my our mine ours');
const AUXILIARIES = set('would will could does did can');
const NOBODY = set('nobody noone');
const AS = h('as');
/** "stop saying", "quit calling" */
const STOP = set('stop quit');
const DONT = h('dont');
const INSULT = set('insult insulting offence offense unfair');
/** agreement with the sentence before ("Exactly.", "Amen.") */
const AGREEING = set('exactly yes yep yeah amen');
const TO = h('to');
/** "they're", "you're", "we're": a copula inside the token */
const THEYRE = set('theyre youre were');
/** a benign predicate after a denial ("they are our neighbours", "they're people like us") */
const BENIGN = set(`our my your neighbours neighbors friends family families colleagues coworkers us individuals beings fellow human humans
people person persons citizens members equals`);
const NOT = h('not');
const NEVER = h('never');
const MATTER = h('matter');
const THE = h('the');
const A = h('a');
const TRUE = h('true');
/** "the myth that ..." */
const MYTHS = set('myth myths lie lies idea notion claim stereotype trope rumour rumor canard');
/** a clause opened by one of these reinforces a denial ("whatever the trolls say", "regardless of what you read") */
const WHATEVER = set('whatever regardless despite');
const BUT = SCOPE_ENDS;

/**
 * Per sentence: bit 1 when it endorses or outdoes what it reports ("true", "right", "a fact", "worse", "an insult to"),
 * bit 2 when the sentence after it does ("He wrote \"X are D\". Exactly.").
 */
function endorsedSentences(tk: Tokens, hashes: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(tk.sentences);
  const T = tk.start.length;
  for (let i = 0; i < T; i++) {
    const w = hashes[i] as number;
    const next = i + 1 < T && tk.sentence[i + 1] === tk.sentence[i] ? (hashes[i + 1] as number) : 0;
    const s = tk.sentence[i] as number;
    if (ENDORSING.has(w) || (INSULT.has(w) && next === TO) || ((NEGATORS.has(w) || w === NO) && UNTRUE.has(next))) out[s] = 1;
    else if (AGREEING.has(w) && s > 0) out[s - 1] = (out[s - 1] as number) | 2;
  }
  for (let s = 0; s + 1 < tk.sentences; s++) if (((out[s + 1] as number) & 1) === 1) out[s] = (out[s] as number) | 2;
  return out;
}

/**
 * The clauses of [from, b) that predicate again after a denial ("they are ...", "they're ..."): as [start, end) pairs
 * when each has a short benign predicate ("they are our neighbours", "they're people like us") or none ("..., and never
 * were"), or null when one replaces the denied charge with another ("X are not D, they are the enemy within", "...,
 * they are the ones who ...").
 */
function predicatesAgain(tk: Tokens, hashes: ArrayLike<number>, from: number, b: number): number[] | null {
  const out: number[] = [];
  const at = (i: number): number => hashes[i] as number;
  for (let c = from; c < b; ) {
    let ce = c;
    while (ce < b && tk.clause[ce] === tk.clause[c]) ce++;
    let k = c;
    while (k < ce && !COPULAS.has(at(k)) && !THEYRE.has(at(k))) k++;
    if (k < ce - 1) {
      let good = false;
      for (let j = k + 1; j < ce; j++) {
        if (RELATIVE.has(at(j))) return null;
        if (BENIGN.has(at(j))) good = true;
      }
      if (!good || ce - k - 1 > 4) return null;
      out.push(c, ce);
    }
    c = ce;
  }
  return out;
}

/** Whether the sentence of token i ends with a question mark. */
function isQuestionAt(tk: Tokens, i: number): boolean {
  const T = tk.start.length;
  let last = i;
  while (last + 1 < T && tk.sentence[last + 1] === tk.sentence[i]) last++;
  const from = tk.end[last] as number;
  const to = last + 1 < T ? (tk.start[last + 1] as number) : tk.norm.text.length;
  for (let k = from; k < to; k++) if (tk.norm.text.charCodeAt(k) === 63) return true;
  return false;
}

/**
 * Per token 1 where a whole statement is denied, condemned or quoted (see above), or null when there is
 * none. `derogatory(t)`: token t is abusive alone (classifier.ts, harmfulAlone); DEHUMANIZING is added here.
 * Called only for texts with a scope (scopeOf not null: a group word and a cue).
 */
export function wholeStatements(tk: Tokens, hashes: ArrayLike<number>, abusiveAlone: (t: number) => boolean): Uint8Array | null {
  const T = tk.start.length;
  const at = (i: number): number => (i >= 0 && i < T ? (hashes[i] as number) : 0);
  // abusiveAlone scores a word's char n-grams: once per token (0 unknown, 1 no, 2 yes)
  const known = new Uint8Array(T);
  const derogatory = (t: number): boolean => {
    if (known[t] === 0) known[t] = DEHUMANIZING.has(at(t)) || abusiveAlone(t) ? 2 : 1;
    return known[t] === 2;
  };
  let endorsed: Uint8Array | null = null;
  const endorsedOf = (i: number): number => (endorsed ??= endorsedSentences(tk, hashes))[tk.sentence[i] as number] as number;
  let marks: Uint8Array | null = null;
  const mark = (a: number, b: number): void => {
    marks ??= new Uint8Array(T);
    marks.fill(1, a, b);
  };
  /** a predicate over [p, e): derogatory last word, fillers or derogatory before it, at most one other word, nothing positive or negated */
  const predicate = (p: number, e: number): boolean => {
    if (e - p < 1 || e - p > 4 || !derogatory(e - 1)) return false;
    let free = 0;
    for (let k = p; k < e; k++) {
      const w = at(k);
      if (POSITIVE.has(w) || NEGATORS.has(w) || isIdentityWord(w) || COPULAS.has(w)) return false;
      if (k < e - 1 && !PREDICATE_FILLERS.has(w) && !derogatory(k) && ++free > 1) return false;
    }
    return true;
  };
  /** a group subject starting at s, ending before a copula (or, for naming verbs, before "as" or the predicate): its end, or -1 */
  const subject = (s: number, e: number, naming: boolean): number => {
    let g = false;
    let k = s;
    for (; k < e && k < s + 4; k++) {
      const w = at(k);
      if (isIdentityWord(w)) g = true;
      else if (!SUBJECT_WORDS.has(w) || derogatory(k)) break;
    }
    if (!g || k === s) return -1;
    if (naming) return k;
    return COPULAS.has(at(k)) || NEGATIVE_COPULAS.has(at(k)) ? k : -1;
  };
  /**
   * A statement from s to the clause end e: "<group> are (not) <derogatory>" (naming: "<group> (as)
   * <derogatory>"). Returns whether it is negated (1), affirmative (0), or not a statement (-1).
   */
  const statement = (s: number, e: number, naming: boolean): number => {
    const c = subject(s, e, naming);
    if (c < 0) return -1;
    if (naming) return predicate(at(c) === AS ? c + 1 : c, e) ? 0 : -1;
    const w = at(c);
    if (NEGATIVE_COPULAS.has(w)) return !NOT_A_DENIAL.has(at(c + 1)) && predicate(c + 1, e) ? 1 : -1;
    const n = at(c + 1);
    // "not just / not only D" asserts D
    if ((n === NOT || n === NEVER) && c + 1 < e) return !NOT_A_DENIAL.has(at(c + 2)) && predicate(c + 2, e) ? 1 : -1;
    return predicate(c + 1, e) ? 0 : -1;
  };
  const clauseEnd = (i: number): number => {
    let j = i;
    while (j < T && tk.clause[j] === tk.clause[i]) j++;
    return j;
  };
  /** the rest of the sentence [a, b) says nothing derogatory, concessive or endorsing */
  const clean = (a: number, b: number): boolean => {
    for (let k = a; k < b; k++) {
      // a clause "whatever the trolls say", "no matter what they claim" reinforces the denial
      if (k === a || tk.clause[k - 1] !== tk.clause[k]) {
        if (WHATEVER.has(at(k)) || (at(k) === NO && at(k + 1) === MATTER)) {
          k = clauseEnd(k) - 1;
          continue;
        }
      }
      if (derogatory(k) || BUT.has(at(k)) || ENDORSING.has(at(k))) return false;
    }
    return true;
  };
  let a = 0;
  while (a < T) {
    let b = a;
    while (b < T && tk.sentence[b] === tk.sentence[a]) b++;
    // every construction names a group in its sentence; the sentence's own words are read by clean / condemnation (a
    // denied belief's "agree" is no endorsement), the next sentence's endorsement here
    let group = false;
    for (let k = a; k < b && !group; k++) group = isIdentityWord(at(k));
    if (group && !isQuestionAt(tk, a) && (endorsedOf(a) & 2) === 0) sentenceStatements(a, b);
    a = b;
  }
  let dirty: Int32Array | null = null;
  quotations();
  return marks;

  /**
   * The clauses after a denial, [from, b): clean, and a clause that predicates again ("they are ...", "they're ...")
   * only with a short benign predicate ("they are our neighbours", "they're people like us"): "X are not D, they are
   * the enemy within" replaces one charge with another. The benign clauses are marked with the denial.
   */
  function rest(from: number, b: number): boolean {
    if (!clean(from, b)) return false;
    const benign = predicatesAgain(tk, hashes, from, b);
    if (benign === null) return false;
    for (let j = 0; j < benign.length; j += 2) mark(benign[j] as number, benign[j + 1] as number);
    return true;
  }

  function sentenceStatements(a: number, b: number): void {
    let s = a;
    // "No, ..." (a clause of its own)
    if (at(s) === NO && clauseEnd(s) === s + 1) s++;
    const e = clauseEnd(s);
    // denial: the sentence is the negated statement, and what follows it is clean
    if (statement(s, e, false) === 1 && rest(e, b)) return mark(a, e);
    // ... after a clean opening clause ("Contrary to the rumours, X are not D"; "For the record, ...")
    if (e < b && e - s <= 6 && clean(s, e) && !hasNegator(s, e) && statement(e, clauseEnd(e), false) === 1 && rest(clauseEnd(e), b)) return mark(a, clauseEnd(e));
    // "Stop saying / Quit calling <statement>", "Don't call <group> <derogatory>"
    if ((STOP.has(at(s)) && SAYING.has(at(s + 1))) || (at(s) === DONT && NAMING.has(at(s + 1)))) {
      const q = at(s + 2) === THAT ? s + 3 : s + 2;
      const e2 = clauseEnd(q);
      if (statement(q, e2, NAMING.has(at(s + 1))) === 0 && rest(e2, b)) return mark(a, e2);
    }
    // "The myth that <statement> is racist nonsense"
    {
      const m = at(s) === THE || LEAD_SUBJECTS.has(at(s)) ? s + 1 : s;
      if (MYTHS.has(at(m)) && at(m + 1) === THAT) {
        for (let c = m + 4; c < b; c++) {
          if (!COPULAS.has(at(c)) || c === subject(m + 2, b, false)) continue;
          if (statement(m + 2, c, false) === 0 && condemnation(c + 1, b, true)) return mark(a, b);
          break;
        }
      }
    }
    // a denied belief or claim: a lead-in, "that", the statement
    let p = lead(s, e);
    if (p > 0) {
      if (at(p) === THAT) p++;
      const e2 = clauseEnd(p);
      if (statement(p, e2, false) === 0 && rest(e2, b)) return mark(a, e2);
    }
    // a condemned saying: "Saying (that) <statement> is <condemnation>" / "Calling <group> <derogatory> is ..."
    if (SAYING.has(at(s))) {
      const naming = NAMING.has(at(s));
      const q = at(s + 1) === THAT ? s + 2 : s + 1;
      for (let c = q + 2; c < b; c++) {
        // the main copula: the statement's own copula comes first for a saying
        if (!COPULAS.has(at(c)) || (!naming && c === subject(q, b, false))) continue;
        if (statement(q, c, naming) === 0 && condemnation(c + 1, b)) return mark(a, b);
        break;
      }
    }
    // condemned speakers: "<frame> anyone who says <statement>" / "people who hate <group> are the problem"
    for (let i = a + 1; i + 1 < b; i++) {
      if (!SPEAKERS.has(at(i - 1)) || !RELATIVE.has(at(i))) continue;
      const v = at(i + 1);
      const ce = clauseEnd(i);
      let end = -1;
      if (HOSTILE.has(v)) {
        let g = i + 2;
        if (at(g) === AGAINST) g++;
        const ge = subject(g, ce, true);
        if (ge > 0) end = ge;
      } else if (SPEECH.has(v)) {
        const q = at(i + 2) === THAT ? i + 3 : i + 2;
        const naming = NAMING.has(v);
        for (let c = ce; c > q && end < 0; c--) if (statement(q, c, naming) === 0) end = c;
      }
      // the statement ends its clause, or the clause goes on with the speakers' predicate ("... are the problem")
      if (end < 0 || (end < ce && !COPULAS.has(at(end)))) continue;
      let framed = false;
      for (let k = a; k < i - 1 && !framed; k++) framed = CONDEMN_FRAME.has(at(k));
      if (!framed && COPULAS.has(at(end))) framed = condemnation(end + 1, clauseEnd(end));
      // and nothing derogatory, concessive or outdoing after it ("..., because they are worse")
      if (framed && clean(end === ce ? ce : clauseEnd(end), b)) mark(i - 1, end);
    }
  }

  /** "it is false", "I would never say", "nobody thinks": the index after the lead-in, or -1 */
  function lead(s: number, e: number): number {
    let k = s;
    if (LEAD_SUBJECTS.has(at(k))) {
      k++;
      if (COPULAS.has(at(k))) k++;
      while (ADVERBS.has(at(k)) || at(k) === A || at(k) === NOT) k++;
      if (!DENYING_LEAD.has(at(k))) return -1;
      // "it is true that" is a denial only as "not true"
      if (at(k) === TRUE && at(k - 1) !== NOT) return -1;
      return at(k + 1) === THAT ? k + 1 : -1;
    }
    if (FIRST_PERSON_SINGLE.has(at(k))) {
      k++;
      if (!NEGATORS.has(at(k))) k++;
      if (!NEGATORS.has(at(k))) return -1;
      k++;
    } else if (NOBODY.has(at(k)) || (at(k) === NO && at(k + 1) === ONE)) {
      k += NOBODY.has(at(k)) ? 1 : 2;
      // "nobody is saying", "no one would claim"
      if (COPULAS.has(at(k)) || AUXILIARIES.has(at(k))) k++;
    } else return -1;
    while (ADVERBS.has(at(k))) k++;
    if (!BELIEF.has(at(k)) || k >= e) return -1;
    // "for a second", "for one moment" before "that"
    for (let j = k + 1; j <= k + 4 && j < e; j++) if (at(j) === THAT) return j;
    return k + 1;
  }

  function hasNegator(a: number, b: number): boolean {
    for (let k = a; k < b; k++) if (NEGATORS.has(at(k))) return true;
    return false;
  }

  /** [a, b) condemns (`orDenies`: or denies, "is a lie"): a condemnation word, nothing negated, concessive, endorsing or derogatory besides */
  function condemnation(a: number, b: number, orDenies = false): boolean {
    let found = false;
    for (let k = a; k < b; k++) {
      const w = at(k);
      if (CONDEMNATIONS.has(w) || (orDenies && DENYING_LEAD.has(w) && w !== TRUE)) found = true;
      else if (NEGATORS.has(w) || BUT.has(w) || ENDORSING.has(w) || derogatory(k)) return false;
    }
    return found;
  }

  /** nothing derogatory, concessive or endorsing in the comment outside [o, i) (counted once: a comment may hold many quotations) */
  function outside(o: number, i: number): boolean {
    if (dirty === null) {
      dirty = new Int32Array(T + 1);
      for (let k = 0; k < T; k++) dirty[k + 1] = (dirty[k] as number) + (derogatory(k) || BUT.has(at(k)) || ENDORSING.has(at(k)) ? 1 : 0);
    }
    return (dirty[T] as number) - (dirty[i] as number) + (dirty[o] as number) === 0;
  }

  /** a quotation that is exactly a statement, after a reporting word, in a comment that does not endorse it */
  function quotations(): void {
    const text = tk.norm.text;
    let open = -1;
    for (let i = 0; i <= T; i++) {
      const from = i > 0 ? (tk.end[i - 1] as number) : 0;
      const to = i < T ? (tk.start[i] as number) : text.length;
      let q = false;
      for (let k = from; k < to && !q; k++) q = isQuote(text.charCodeAt(k));
      if (!q) continue;
      if (open < 0) {
        open = i;
        continue;
      }
      const o = open;
      open = -1;
      if (statement(o, i, false) !== 0 || tk.sentence[o] !== tk.sentence[i - 1] || endorsedOf(o) !== 0) continue;
      let reported = false;
      // the reporting word within the 12 words before the quotation ("The court heard that he had written \"...\"")
      for (let j = o - 1; j >= 0 && j >= o - 12 && tk.sentence[j] === tk.sentence[o]; j--) {
        const w = at(j);
        // the writer's own words or sign ("I wrote", "our banner read")
        if (FIRST_PERSON.has(w) || FIRST_PERSON_OWNER.has(w)) {
          reported = false;
          break;
        }
        if (!reported) reported = REPORTING.has(w) || REPORTING_NOUNS.has(w) || SPEECH.has(w);
      }
      if (reported && outside(o, i)) mark(o, i);
    }
  }
}
