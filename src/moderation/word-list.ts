// Matches a site's word list through the spelling tricks readers use to slip words past filters:
// look-alike letters, leetspeak, case, separators (s.c.u.m), stretched letters (scuuum) and masks (sc*m).
import {
  RegExpMatcher,
  collapseDuplicatesTransformer,
  createSimpleTransformer,
  parseRawPattern,
  remapCharactersTransformer,
  resolveConfusablesTransformer,
  resolveLeetSpeakTransformer,
  toAsciiLowerCaseTransformer,
  type BlacklistedTerm,
} from 'obscenity';

/** Stands for any masking character in both the text and the patterns. */
const MASK = '~';
const MASK_CODE = MASK.codePointAt(0)!;
const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const dropSeparators = createSimpleTransformer((c) => (isLetter(c) || c === MASK_CODE ? c : undefined));
const keepWordBreaks = createSimpleTransformer((c) => (isLetter(c) || c === MASK_CODE ? c : 32));

const shared = [
  remapCharactersTransformer({ [MASK]: '*#_' }),
  resolveConfusablesTransformer(),
  resolveLeetSpeakTransformer(),
  toAsciiLowerCaseTransformer(),
];

export interface WordMatch {
  word: string;
  start: number;
  /** Exclusive. */
  end: number;
}

/** Letters only, lower case, runs of one letter collapsed: the form patterns and texts are compared in. */
function canonical(entry: string): string {
  return entry
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z]/g, '')
    .replace(/(.)\1+/g, '$1');
}

/** The word itself, and the word with any inner run of letters masked: "scum" also gives "s~um", "s~m", "sc~m". */
function maskedForms(word: string): string[] {
  const forms = [word];
  if (word.length < 4) return forms;
  for (let start = 1; start < word.length - 1; start++) {
    for (let end = start + 1; end < word.length; end++) {
      if (end - start <= word.length - 3) forms.push(word.slice(0, start) + MASK + word.slice(end));
    }
  }
  return forms;
}

export class WordList {
  /** The listed entry that each obscenity term id stands for. */
  private readonly entryOfTerm: string[] = [];
  // Short words are matched as whole words only, or "ass" would be found in "class act".
  private readonly anywhere: RegExpMatcher | null;
  private readonly wholeWord: RegExpMatcher | null;

  constructor(entries: readonly string[]) {
    const anywhereTerms: BlacklistedTerm[] = [];
    const wholeWordTerms: BlacklistedTerm[] = [];
    for (const entry of entries) {
      const word = canonical(entry);
      if (!word) continue;
      const term = (pattern: string): BlacklistedTerm => ({
        id: this.entryOfTerm.push(entry.trim()) - 1,
        pattern: parseRawPattern(pattern),
      });
      if (word.length <= 3) wholeWordTerms.push(term(`|${word}|`));
      else anywhereTerms.push(...maskedForms(word).map(term));
    }
    const collapse = collapseDuplicatesTransformer({ defaultThreshold: 1 });
    this.anywhere = anywhereTerms.length
      ? new RegExpMatcher({
          blacklistedTerms: anywhereTerms,
          blacklistMatcherTransformers: [...shared, dropSeparators, collapse],
        })
      : null;
    this.wholeWord = wholeWordTerms.length
      ? new RegExpMatcher({
          blacklistedTerms: wholeWordTerms,
          blacklistMatcherTransformers: [...shared, keepWordBreaks, collapse],
        })
      : null;
  }

  /** Every listed word found in the text, by position in the original text. */
  find(text: string): WordMatch[] {
    const found = new Map<string, WordMatch>();
    for (const matcher of [this.anywhere, this.wholeWord]) {
      for (const m of matcher?.getAllMatches(text, true) ?? []) {
        const match = { word: this.entryOfTerm[m.termId]!, start: m.startIndex, end: endOfRun(text, m.endIndex) };
        found.set(`${match.start}:${match.word}`, match);
      }
    }
    return [...found.values()].sort((a, b) => a.start - b.start);
  }
}

/** The match ends inside a stretched letter ("asss" matched as "as"): extend it over the rest of the run. */
function endOfRun(text: string, lastIndex: number): number {
  let end = lastIndex + 1;
  const last = text[lastIndex]?.toLowerCase();
  while (end < text.length && text[end]!.toLowerCase() === last) end++;
  return end;
}

const cache = new Map<string, WordList>();

/** Building a matcher costs far more than using one, so each distinct list is built once. */
export function wordList(entries: readonly string[]): WordList {
  const key = JSON.stringify(entries);
  let list = cache.get(key);
  if (!list) {
    if (cache.size > 256) cache.clear();
    list = new WordList(entries);
    cache.set(key, list);
  }
  return list;
}
