// Engine v4: the scope stage (src/engine/scope.ts) — words a comment denies, reports or condemns.
// Texts are this file's own (groups and words of the dev set, not the functional suite's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LABELS, type Label } from '../../src/engine/labels.js';
import { LinearClassifier } from '../../src/engine/classifier.js';
import { DEFAULT_MODEL_PATH } from '../../src/engine/index.js';
import { LinearModel } from '../../src/engine/model.js';
import { tokenize, wordHash } from '../../src/engine/features.js';
import { SCOPE_NEGATED, SCOPE_REPORTED, scopeOf, wholeStatements } from '../../src/engine/scope.js';
import { functionalSuite } from '../../src/engine/training/functional.js';
import { scopeDevSets, scopeFreshSets } from '../../src/engine/training/scope-dev.js';

const model = LinearModel.load(DEFAULT_MODEL_PATH);
const withScope = new LinearClassifier(model);
const without = new LinearClassifier(model, { scopeKeep: 1 });
const held = (c: LinearClassifier, text: string): Label[] => {
  const s = c.scoreOnly(text);
  return LABELS.filter((l) => s[l] >= c.thresholds[l].hold);
};
/** scope bits per word of the text */
const scopes = (text: string): Record<string, number> => {
  const tk = tokenize(text);
  const flags = scopeOf(tk, Array.from(tk.start, (_, i) => wordHash(tk, i)));
  const out: Record<string, number> = {};
  tk.start.forEach((s, i) => {
    if (flags !== null && flags[i] !== 0) out[tk.norm.text.slice(s, tk.end[i])] = flags[i] as number;
  });
  return out;
};

test('scope: a denied predicate, a quotation and reported words about a group are in scope', () => {
  assert.deepEqual(scopes('Catholics are not maggots.'), { maggots: SCOPE_NEGATED });
  assert.deepEqual(scopes("It's a lie that Catholics are maggots."), { catholics: SCOPE_NEGATED, are: SCOPE_NEGATED, maggots: SCOPE_NEGATED });
  assert.deepEqual(scopes('Posters with "Mormons are garbage" were torn down.'), { mormons: SCOPE_REPORTED, are: SCOPE_REPORTED, garbage: SCOPE_REPORTED });
  // a reporting verb's scope runs to the end of its clause (only abusive words in it are lowered)
  assert.deepEqual(Object.keys(scopes('The sign read "Mormons are garbage" and people tore it down.')), ['mormons', 'are', 'garbage', 'and', 'people', 'tore', 'it', 'down']);
  assert.deepEqual(scopes('Calling feminists garbage is plain bigotry.'), { feminists: SCOPE_REPORTED, garbage: SCOPE_REPORTED });
});

test('scope: concessions, rhetorical questions, negated positives, exclusions and own words are not in scope', () => {
  for (const text of [
    "I'm not racist but Catholics are maggots.", 'Not all Hispanics are bad, but most are maggots.', "Aren't Catholics just maggots?",
    'Mormons are not human.', 'No migrants in our town.', 'I said it before: Catholics are maggots.', 'The reporter who wrote this is a jerk.',
    'You are not a genius, you jerk.', 'Hello there, nothing to see.',
  ]) assert.deepEqual(scopes(text), {}, text);
});

test('denied, quoted and condemned hate is lowered, and passes', () => {
  for (const text of ['The sign read "Mormons are garbage" and people tore it down.', 'A caller said migrants are degenerates, and the host hung up.', 'Calling feminists garbage is plain bigotry.']) {
    assert.ok(held(without, text).length > 0, `held without the stage: ${text}`);
    assert.deepEqual(held(withScope, text), [], text);
  }
  const denied = 'Catholics are not maggots.';
  assert.ok(withScope.scoreOnly(denied).identity_hate < without.scoreOnly(denied).identity_hate - 0.1);
  assert.ok(withScope.scoreOnly(denied).toxic < withScope.thresholds.toxic.hold);
});

test('negated positive statements, hate after a concession and direct hate keep their scores exactly', () => {
  for (const text of ['Mormons are not human.', 'Migrants are not welcome here.', 'I do not respect feminists.', 'Not all Hispanics are bad, but most are maggots.',
    "I'm not racist but Catholics are maggots.", "Aren't Catholics just maggots?", 'Catholics are maggots.']) {
    assert.deepEqual(withScope.scoreOnly(text), without.scoreOnly(text), text);
  }
});

test('spans: the words outside the scope keep theirs, the lowered word loses its own', () => {
  const text = 'He wrote that Catholics are maggots, and you are a jerk.';
  const r = withScope.score(text);
  const spans = (label: Label): string[] => r.spans.filter((s) => s.label === label).map((s) => text.slice(s.start, s.end));
  assert.deepEqual(spans('insult'), ['jerk']);
  assert.ok(spans('toxic').includes('jerk') && !spans('toxic').includes('maggots'), JSON.stringify(spans('toxic')));
  assert.deepEqual(without.score(text).spans.filter((s) => s.label === 'toxic').map((s) => text.slice(s.start, s.end)), ['maggots', 'jerk']);
});

test('the scope dev cases are not functional-suite cases, and hold what they should', () => {
  const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9 ]+/g, ' ').replace(/\s+/g, ' ').trim();
  const suite = new Set(functionalSuite().flatMap((f) => f.cases.map(key)));
  for (const set of scopeFreshSets()) for (const c of set.cases) assert.ok(!suite.has(key(c)), `${set.id}: "${c}" is a suite case`);
  for (const set of scopeDevSets()) {
    for (const c of set.cases) {
      assert.ok(!suite.has(key(c)), `${set.id}: "${c}" is a suite case`);
      // a dev case that should hold and is held without the stage is still held with it
      if (set.expect === 'hold' && held(without, c).length > 0) assert.ok(held(withScope, c).length > 0, `${set.id}: "${c}"`);
    }
  }
});

// ---- whole statements (scope.ts, wholeStatements): this file's own texts, groups and words of the dev set ----
/** the words of the text that wholeStatements marks (abusive alone: none, so only its dehumanizing list counts) */
const whole = (text: string): string => {
  const tk = tokenize(text);
  const marks = wholeStatements(tk, Array.from(tk.start, (_, i) => wordHash(tk, i)), () => false);
  return marks === null ? '' : Array.from(tk.start).flatMap((s, i) => (marks[i] === 1 ? [tk.norm.text.slice(s, tk.end[i])] : [])).join(' ');
};
const noWhole = new LinearClassifier(model, { wholeStatements: false });

test('whole statements: each construction marks its whole statement', () => {
  // a denial that is the whole sentence, after "No," or a clean opening clause, with a clean clause after it
  assert.equal(whole('Mormons are not maggots.'), 'mormons are not maggots');
  assert.equal(whole("No, Buddhists aren't lice, they're our friends."), "no buddhists aren't lice they're our friends");
  // a clean clause after the denial that does not predicate again keeps its own words
  assert.equal(whole('Catholics are not a blight, and never were.'), 'catholics are not a blight');
  assert.equal(whole('To be fair, Hispanics are never thugs.'), 'to be fair hispanics are never thugs');
  assert.equal(whole('Catholics are not a blight, whatever the pamphlet claims.'), 'catholics are not a blight');
  // a denied belief or claim
  assert.equal(whole("It's not true that migrants are locusts."), "it's not true that migrants are locusts");
  assert.equal(whole('We would never claim that Africans are apes.'), 'we would never claim that africans are apes');
  assert.equal(whole('No one would say feminists are vermin.'), 'no one would say feminists are vermin');
  // a condemned saying, "stop saying", "the myth that ... is ..."
  assert.equal(whole('Suggesting that Indians are savages is xenophobic.'), 'suggesting that indians are savages is xenophobic');
  assert.equal(whole('Branding Catholics as vermin was hateful.'), 'branding catholics as vermin was hateful');
  assert.equal(whole('Quit calling migrants rodents.'), 'quit calling migrants rodents');
  assert.equal(whole('The idea that Mormons are parasites is a smear.'), 'the idea that mormons are parasites is a smear');
  // condemned speakers: only the relative clause
  assert.equal(whole('Shame on those who say Hispanics are rodents.'), 'those who say hispanics are rodents');
  assert.equal(whole('I reject anyone who harasses Buddhists.'), 'anyone who harasses buddhists');
  assert.equal(whole('People who call migrants lice are bigots.'), 'people who call migrants lice');
  // a reported quotation
  assert.equal(whole('A flyer saying "Catholics are rodents" was left at the church.'), 'catholics are rodents');
});

test('whole statements: hate in the same shapes is not marked', () => {
  for (const text of [
    'Aren\'t Mormons maggots?', 'Mormons are not maggots, they are lice.', 'Mormons are not maggots but they are a blight.', 'Migrants are not human, they are rodents.',
    'Mormons are not just maggots.', "Catholics aren't only lice.", "I don't think Africans are apes, I know it.", 'It is true that migrants are locusts.',
    'It is a lie that Catholics are not vermin.', 'Saying Hispanics are thugs is not racist.', 'Calling Indians savages is an insult to savages.', 'Calling Indians savages is accurate.',
    'Anyone who says Buddhists are lice is right.', 'My neighbour said "migrants are rodents" and he was right.', 'As I wrote, "Africans are apes".',
    'People who hate Mormons are right.', 'Mormons who hate Catholics should be ashamed.', 'Hispanics are never thugs, but they are a blight.', 'Nobody denies that migrants are locusts.',
    // another charge after the denial
    'Catholics are not maggots, they are the enemy within.', 'Hispanics are not lice, they are the ones who run this town.', 'Migrants are not rodents, they are a different breed.',
    // the next sentence outdoes or agrees; litotes; the writer's own sign; outdoing after condemned speakers
    'Mormons are not maggots. They are worse.', 'A flyer read "Catholics are rodents". Exactly.', 'He yelled "migrants are rodents" and he was not wrong.',
    'Our poster read "Catholics are rodents" for a reason.', 'Shame on anyone who says Catholics are rodents, they are much worse.',
  ]) {
    assert.equal(whole(text), '', text);
  }
});

test('whole statements: marked statements pass, hate in their shapes keeps its score, and no group word means no scope', () => {
  for (const text of ['Catholics are not a plague.', 'Migrants are not savages.', 'Saying that Catholics are scum is hateful.', "I'm sick of people who hate migrants."]) {
    assert.ok(held(noWhole, text).length > 0, `held without whole statements: ${text}`);
    assert.deepEqual(held(withScope, text), [], text);
  }
  for (const text of ['Mormons are not a plague, they are worse.', 'Catholics are not just a plague.', 'It is a lie that Catholics are not vermin.', "Aren't Catholics vermin?"]) {
    assert.ok(held(noWhole, text).length > 0, `held without whole statements: ${text}`);
    assert.deepEqual(withScope.scoreOnly(text), noWhole.scoreOnly(text), text);
  }
  const tk = tokenize('Nobody said that, you maggots.');
  assert.equal(scopeOf(tk, Array.from(tk.start, (_, i) => wordHash(tk, i))), null);
});

test('scope: a report or a condemnation that the sentence endorses is not in scope', () => {
  for (const text of ['Anyone who says Catholics are maggots is right.', 'My uncle wrote "Mormons are garbage" and it is the truth.', 'Calling feminists garbage is an insult to garbage.',
    'My uncle wrote "Mormons are garbage". Amen.', 'My sign said "Mormons are garbage" and I stand by it.', 'Nobody thinks Mormons are garbage. Everybody knows it.']) {
    assert.deepEqual(scopes(text), {}, text);
    assert.deepEqual(withScope.scoreOnly(text), without.scoreOnly(text), text);
  }
});
