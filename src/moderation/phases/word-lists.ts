import type { Verdict } from '../types.js';
import { wordList } from '../word-list.js';

/** Rejects a comment that contains a word from the site's banned list. */
export function checkBannedWords(text: string, bannedWords: readonly string[]): Verdict | null {
  return verdictForWords(text, bannedWords, 'rejected');
}

/** Holds a comment that contains a word from the site's suspect list. */
export function checkSuspectWords(text: string, suspectWords: readonly string[]): Verdict | null {
  return verdictForWords(text, suspectWords, 'pending');
}

function verdictForWords(text: string, words: readonly string[], status: Verdict['status']): Verdict | null {
  if (words.length === 0) return null;
  const found = wordList(words).find(text);
  if (found.length === 0) return null;
  const distinct = [...new Set(found.map((m) => m.word))];
  const code = status === 'rejected' ? 'banned_word' : 'suspect_word';
  const what = status === 'rejected' ? 'a word this site does not allow' : 'a word that a moderator must see first';
  return {
    status,
    reasons: distinct.map((word) => ({ code, word, message: `The comment contains ${what}: "${word}".` })),
  };
}
