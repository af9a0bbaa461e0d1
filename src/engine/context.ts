// Context stage: a few scope features of the sentence that drives a label, and a learned shift of
// that label's logit per feature (weights in the model file, `contextWeights`; fitted by
// training/context-stage.ts on top of the linear model, which stays as it is). The linear model
// reads words; these features say how the sentence uses them: under a negation or a denial
// ("nobody thinks X are ..."), reported or quoted ("she called them ..."), condemned ("... has no
// place here"), in a first-person-future or normative frame ("I will", "ought to be"), aimed at
// "you", or with a warning idiom ("or else", "you'll regret"). Self-written word lists (normalized
// keys: lower case, apostrophes dropped).
import { hashString, SEED_WORD, type Tokens } from './features.js';

export const CONTEXT_FEATURES = ['negated', 'reported', 'condemned', 'frame', 'second_person', 'frame_second_person', 'warning'] as const;
export const NUM_CONTEXT_FEATURES = CONTEXT_FEATURES.length;

const wordSet = (words: string): ReadonlySet<number> => new Set(words.split(/\s+/).filter((w) => w.length > 0).map((w) => hashString(SEED_WORD, w)));
/** negators and denials: the label's strongest word comes after one in its sentence */
const NEGATING = wordSet(`not no never nobody none nothing neither nor cannot cant dont doesnt didnt isnt arent wasnt werent
wont wouldnt shouldnt couldnt aint noone false untrue myth nonsense deny denies denied reject rejects disagree`);
/** reporting verbs: the strongest word comes after one (or after a quotation mark) */
const REPORTING = wordSet(`said says saying say called calling call calls claimed claims claim claiming wrote writes write posted
tweeted shouted yelled chanted told telling labelled labeled labelling labeling quote quoted quoting repeated repeating described
describing referred referring branded branding`);
/** condemnation anywhere in the sentence */
const CONDEMNING = wordSet(`unacceptable shameful condemn condemned condemns condemning reported report reporting racist racism
bigot bigots bigoted bigotry hateful offensive appalling outrageous prejudice discrimination intolerance slur slurs`);
/** first-person-future and normative frames: words alone, then first/second words of pairs */
const FRAME_WORDS = wordSet('gonna ought deserves deserve deserved shall ill imma');
const FRAME_FIRST = wordSet('i we im were someone somebody should must needs need has have going got');
const FRAME_SECOND = wordSet('will be get to going gonna');
const SECOND_PERSON = wordSet('you your youre yours yourself yourselves ya u ur');
/** warning idioms: single words, and pairs (first word, second word) */
const WARNING_WORDS = wordSet('regret warned warning payback');
const WARNING_PAIRS = new Set(
  ['or else', 'before i', 'before we', 'your back', 'your days', 'be sorry', 'find you', 'where you'].map((p) => {
    const [a, b] = p.split(' ') as [string, string];
    return `${hashString(SEED_WORD, a)}:${hashString(SEED_WORD, b)}`;
  }),
);

const QUOTES = new Set([34, 0x201c, 0x201d]); // double quotes (single ones double as apostrophes)

/**
 * Context features (0/1, in CONTEXT_FEATURES order) of the sentence of token `top`, the token that
 * contributes most to a label: negation, reporting and frames count only before `top`.
 */
export function contextFeatures(tk: Tokens, hashes: ArrayLike<number>, top: number, out: Float64Array): void {
  out.fill(0);
  const s = tk.sentence[top] as number;
  let a = top;
  while (a > 0 && tk.sentence[a - 1] === s) a--;
  let b = top;
  while (b + 1 < tk.start.length && tk.sentence[b + 1] === s) b++;
  let frame = false;
  let you = false;
  for (let i = a; i <= b; i++) {
    const h = hashes[i] as number;
    const prev = i > a ? (hashes[i - 1] as number) : 0;
    if (i < top) {
      if (NEGATING.has(h)) out[0] = 1;
      if (REPORTING.has(h)) out[1] = 1;
    }
    if (i <= top && (FRAME_WORDS.has(h) || (i > a && FRAME_SECOND.has(h) && FRAME_FIRST.has(prev)))) frame = true;
    if (CONDEMNING.has(h)) out[2] = 1;
    if (SECOND_PERSON.has(h)) you = true;
    if (WARNING_WORDS.has(h) || (i > a && WARNING_PAIRS.has(`${prev}:${h}`))) out[6] = 1;
  }
  if (out[1] === 0) {
    // a quotation mark between the sentence start and the strongest word
    const text = tk.norm.text;
    for (let k = tk.start[a] as number; k < (tk.start[top] as number); k++) {
      if (QUOTES.has(text.charCodeAt(k))) {
        out[1] = 1;
        break;
      }
    }
  }
  out[3] = frame ? 1 : 0;
  out[4] = you ? 1 : 0;
  out[5] = frame && you ? 1 : 0;
}
