// Engine v4: threat constructions (src/engine/threats.ts) and how scoring uses them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MODEL_PATH } from '../../src/engine/index.js';
import { LinearClassifier } from '../../src/engine/classifier.js';
import { LinearModel } from '../../src/engine/model.js';
import { tokenize, wordHash } from '../../src/engine/features.js';
import { findThreats, NEGATED_THREAT_KEEP, THREAT_FLOOR } from '../../src/engine/threats.js';
import { DEV_NEGATED, DEV_NEGATED_HELD, DEV_SAFE, DEV_THREATS, FRESH_SAFE, FRESH_THREATS, SILENT_SAFE, SILENT_THREATS } from '../../src/engine/training/threat-dev.js';
import { LABELS } from '../../src/engine/labels.js';
import { functionalSuite } from '../../src/engine/training/functional.js';

const model = LinearModel.load(DEFAULT_MODEL_PATH);
const clf = new LinearClassifier(model);
const plain = new LinearClassifier(model, { threatStage: false });
const hold = clf.thresholds.threat.hold;

const unlowered = new LinearClassifier(model, { negatedThreatKeep: 1 });

/** the text of tokens first..last */
function words(text: string, first: number, last: number): string {
  const tk = tokenize(text);
  return text.slice(tk.norm.start[tk.start[first] as number], tk.norm.end[(tk.end[last] as number) - 1]);
}

/** the matched words of each threat construction of a text (not negated), and their kind */
function matches(text: string): string[] {
  const tk = tokenize(text);
  const ms = findThreats(tk, Array.from(tk.start, (_, i) => wordHash(tk, i))).filter((m) => !m.negated);
  return ms.map((m) => `${m.kind}: ${words(text, m.first, m.last)}`);
}

/** the violent words of each negated construction of a text */
function negated(text: string): string[] {
  const tk = tokenize(text);
  return findThreats(tk, Array.from(tk.start, (_, i) => wordHash(tk, i))).filter((m) => m.negated).map((m) => words(text, m.violentFirst, m.violentLast));
}

const heldOn = (c: LinearClassifier, text: string): string[] => {
  const s = c.scoreOnly(text);
  return LABELS.filter((l) => s[l] >= c.thresholds[l].hold);
};

test('frames with a violent predicate and a person target are matched, with the words that make the threat', () => {
  assert.deepEqual(matches('Tomorrow I am going to poison the governor.'), ['harm: I am going to poison the governor']);
  assert.deepEqual(matches('The governor should be executed for treason.'), ['harm: governor should be executed']);
  assert.deepEqual(matches("I'd love to slit that landlord's throat."), ["harm: I'd love to slit that landlord's throat"]);
  assert.deepEqual(matches('Burn them alive, all of them.'), ['harm: Burn them alive']);
  assert.deepEqual(matches('I hope you die in a fire.'), ['harm: hope you die']);
  assert.deepEqual(matches('Round up the liberals and bury them.'), ['harm: bury them']);
  assert.deepEqual(matches('Quit your job before I do it for you, Senator.'), ['idiom: before I do it for you']);
  assert.deepEqual(matches('We found out where your wife works.'), ['idiom: We found out where your wife works']);
});

test('negated frames, harmless objects, particles, past intent, quotes and reports are not matched', () => {
  for (const text of [
    'I would not poison anyone, that is insane.', 'No one should torture prisoners, ever.', "Don't choke him, just talk to him.",
    'I am going to execute the plan on Monday.', 'We need to kill the proposal before the vote.', 'Let me shoot you an email with the numbers.',
    'Go hang out with the principal after class.', 'I was going to shoot the wedding myself.', 'If I wanted to kill time I would watch TV.',
    'The judge was executed by the regime in 1973.', 'He told her "I will strangle you" and left.', 'He should be charged with attempted murder.',
    'Watch your step on the icy stairs.', "You won't regret it.", 'Enjoy your last week of vacation!', 'We are coming to you live from city hall.',
  ]) assert.deepEqual(matches(text), [], text);
});

test('a negation ends at a subordinator: "don\'t be surprised when we show up at your door" is an idiom', () => {
  assert.deepEqual(matches("Don't be surprised when we show up at your door."), ['idiom: show up at your door']);
  assert.deepEqual(matches("I don't know where you live."), []);
});

test('a matched construction floors the threat logit; without one the score is the model\'s', () => {
  const logit = (p: number): number => Math.log(p / (1 - p));
  for (const text of DEV_THREATS) {
    const on = clf.scoreOnly(text).threat;
    const off = plain.scoreOnly(text).threat;
    assert.ok(on >= off - 1e-12, text);
    if (matches(text).length > 0) assert.ok(logit(on) >= Math.min(THREAT_FLOOR.harm, THREAT_FLOOR.idiom) - 1e-9, text);
  }
  for (const text of ['I disagree with the mayor.', 'The bridge repairs should be done by October.', 'My feet are killing me.']) {
    assert.deepEqual(clf.scoreOnly(text), plain.scoreOnly(text), text);
  }
  // every floor is over the hold line and under the reject line: the stage holds, it never rejects by itself
  for (const z of Object.values(THREAT_FLOOR)) {
    const p = 1 / (1 + Math.exp(-z));
    assert.ok(p >= hold && p < clf.thresholds.threat.reject, `floor ${z}`);
  }
});

test('dev cases: threats are held on threat and the harmless ones are not held by the stage', () => {
  const missed = DEV_THREATS.filter((t) => clf.scoreOnly(t).threat < hold);
  assert.ok(missed.length <= 1, `missed: ${missed.join(' / ')}`);
  const added = [...DEV_SAFE, ...FRESH_SAFE].filter((t) => clf.scoreOnly(t).threat >= hold && plain.scoreOnly(t).threat < hold);
  assert.deepEqual(added, []);
});

test('the threat span covers the construction\'s words', () => {
  for (const [text, span] of [
    ['Leave the county before I do it for you.', 'before I do it for you'],
    ['They should hang them publicly, kill every one of them.', 'kill every one of them'],
    ['That landlord ought to be lynched.', 'landlord ought to be lynched'],
  ] as const) {
    const r = clf.score(text);
    assert.ok(r.scores.threat >= hold, text);
    const spans = r.spans.filter((s) => s.label === 'threat').map((s) => text.slice(s.start, s.end));
    assert.ok(spans.includes(span), `${text}: ${JSON.stringify(spans)}`);
  }
});

test('padding does not dilute a threat construction: the threat stays held among 1 to 30 neutral sentences and commas', () => {
  const neutral = ['The council meets on Tuesdays.', 'I liked the photos of the harbour.', 'Bus fares stayed the same.', 'The library opens at nine.'];
  for (const threat of ['The governor should be executed for treason.', 'Quit your job before I do it for you, Senator.', 'I will poison the landlord.']) {
    const alone = clf.scoreOnly(threat).threat;
    assert.ok(alone >= hold, threat);
    for (const n of [1, 5, 30]) {
      const pad = Array.from({ length: n }, (_, i) => neutral[i % neutral.length] as string);
      const text = [...pad.slice(0, n >> 1), threat, ...pad.slice(n >> 1)].join(' ');
      assert.ok(clf.scoreOnly(text).threat >= hold, `${threat} among ${n}`);
      const commas = [...pad.slice(0, 3), threat.replace(/\.$/, ''), ...pad.slice(0, 3)].map((s) => s.replace(/\.$/, '')).join(', ') + '.';
      assert.ok(clf.scoreOnly(commas).threat >= hold, `${threat} with commas`);
    }
  }
});

test('dev cases are not functional suite cases', () => {
  const suite = new Set(functionalSuite().flatMap((f) => f.cases.map((c) => c.toLowerCase())));
  for (const t of [...DEV_THREATS, ...DEV_SAFE, ...FRESH_THREATS, ...FRESH_SAFE, ...DEV_NEGATED, ...DEV_NEGATED_HELD, ...SILENT_THREATS, ...SILENT_SAFE]) {
    assert.ok(!suite.has(t.toLowerCase()), t);
  }
});

test('a construction blocked only by a negation of its frame is a negated match, with its violent words', () => {
  assert.deepEqual(negated('I would not poison anyone, that is insane.'), ['poison']);
  assert.deepEqual(negated('No one should torture prisoners, ever.'), ['torture']);
  assert.deepEqual(negated('Nobody is going to murder your family, officer.'), ['murder']);
  assert.deepEqual(negated('Protesters must never set a police officer on fire.'), ['set a police officer on fire']);
  assert.deepEqual(negated('They should not be executed without a fair trial.'), ['executed']);
  assert.deepEqual(negated('The councilwoman should not die over a zoning decision.'), ['die']);
  // other blockers are not negation: nothing to lower
  for (const text of ["I won't hang out with the principal.", 'I would never execute the plan.', 'He said "I will not kill you" and left.']) {
    assert.deepEqual(negated(text), [], text);
  }
  // a negation in another clause, one that does not negate ("won't stop until", "can't wait to"), or none before a subordinator
  for (const text of ["I'm not going to warn you again, I will kill you", 'Nobody will miss you when I kill you', "I won't stop until you're dead",
    "I can't wait to strangle that judge.", 'Nobody is safe and they will kill you.']) {
    assert.deepEqual(negated(text), [], text);
  }
  // the negative subject's frame never makes a threat by itself
  assert.deepEqual(matches('Nobody is going to murder your family, officer.'), []);
});

test('a negated threat\'s violent words are lowered: the negated dev cases are released, the others unchanged', () => {
  assert.ok(NEGATED_THREAT_KEEP > 0 && NEGATED_THREAT_KEEP < 1);
  const before = DEV_NEGATED.filter((t) => heldOn(unlowered, t).length === 0).length;
  const after = DEV_NEGATED.filter((t) => heldOn(clf, t).length === 0).length;
  assert.ok(after >= before + 5, `${before} -> ${after}`);
  // "I'd never kill you": held on toxic and identity_hate over "kill" without the lowering; released with it
  assert.deepEqual(heldOn(unlowered, "I'd never kill you, you know that."), ['toxic', 'identity_hate']);
  assert.deepEqual(heldOn(clf, "I'd never kill you, you know that."), []);
  const a = unlowered.scoreOnly('We will never kill the councillor.');
  const b = clf.scoreOnly('We will never kill the councillor.');
  for (const l of ['toxic', 'severe_toxic', 'threat', 'identity_hate'] as const) assert.ok(b[l] < a[l], l);
  assert.equal(b.obscene, a.obscene);
});

test('threats with a negation elsewhere keep their scores and stay held', () => {
  for (const text of ["I'm not going to warn you again, I will kill you", "I won't stop until you're dead", ...DEV_NEGATED_HELD]) {
    assert.deepEqual(clf.scoreOnly(text), unlowered.scoreOnly(text), text);
  }
  for (const text of ["I'm not going to warn you again, I will kill you", "I won't stop until you're dead"]) {
    assert.ok(clf.scoreOnly(text).threat >= hold, text);
  }
  assert.deepEqual(DEV_NEGATED_HELD.filter((t) => heldOn(unlowered, t).length > 0 && heldOn(clf, t).length === 0), []);
  // "nobody" in the main clause does not negate the threat of the temporal clause (session 8): held, not lowered
  const text = 'Nobody will miss you when I kill you';
  assert.deepEqual(clf.scoreOnly(text), unlowered.scoreOnly(text));
  assert.ok(clf.scoreOnly(text).threat >= hold);
});

test('the cheap gates before matching keep every construction: completions and idiom word groups in the clause', () => {
  // a verb that harms only with a completion is matched when the completion's words are in its clause
  assert.deepEqual(matches('Put a bullet in that mayor.'), ['harm: Put a bullet in that mayor']);
  assert.deepEqual(matches('Someone should set the sheriff on fire.'), ['harm: should set the sheriff on fire']);
  assert.deepEqual(matches('Break his neck.'), ['harm: Break his neck']);
  // ... and not when they are missing, or only in another clause
  assert.deepEqual(matches('Put the mayor on the agenda.'), []);
  assert.deepEqual(matches('Set the mayor straight, the fire is out.'), []);
  assert.deepEqual(matches('Break the news to him, then his neck will heal.'), []);
  // idioms: every word group present, in the idiom's order
  assert.deepEqual(matches('Watch your back, mayor.'), ['idiom: Watch your back']);
  assert.deepEqual(matches('We know where you live.'), ['idiom: We know where you live']);
  assert.deepEqual(matches('Watch the game from the back of your seat.'), []);
  assert.deepEqual(matches('We know where the live music is.'), []);
  // a word boundary inside a token with an apostrophe ("you'll", "what's") still reaches the idiom
  assert.deepEqual(matches("You'll regret this."), ["idiom: You'll regret"]);
  assert.deepEqual(matches("You won't see what's coming."), ["idiom: won't see what's coming"]);
});

// ---- session 8: threats without a violent word, and violent verbs in a temporal clause -----------------------

test('a person\'s survival denied with the writer bringing it about is a threat; contests, things, civil means and the writer\'s own are not', () => {
  assert.deepEqual(matches("He won't make it through the winter, I'll make sure of it."), ["idiom: won't make it through the winter, I'll make sure of it"]);
  assert.deepEqual(matches('The councilwoman will not survive the month, I will see to that.'), ['idiom: will not survive the month, I will see to that']);
  assert.deepEqual(matches("The judge won't make it home tonight if I have my way."), ["idiom: won't make it home tonight if I have my way"]);
  // "make it to the next election": to last until it, not to lose it (docs/model-card.md, session 8)
  assert.deepEqual(matches("Hendricks won't make it to the next election, I'll see to it."), ["idiom: won't make it to the next election, I'll see to it"]);
  for (const text of [
    "She won't make it past the primary, I'll make sure of it.", "Our team won't make it to the playoffs, I'll make sure of it.",
    'The mayor will not survive the recall vote, I will see to that.', "The bill won't make it through the Senate, I'll see to it by calling my senator.",
    "He won't make it to the next election, I'll see to it by knocking on doors.", "He won't make it to the next election, I'll campaign against him personally.",
    "My old car won't make it through another winter, I'll make sure of it.", "I won't make it through the winter, I'll make sure of it.",
    "He won't make it through the winter, the doctors say.", "I'll make sure of it, the minutes will be online by Friday.",
  ]) assert.deepEqual(matches(text), [], text);
});

test('deserts delivered by the writer are a threat; deserts alone are not', () => {
  assert.deepEqual(matches("You'll get what's coming to you, personally delivered."), ["idiom: You'll get what's coming to you, personally delivered"]);
  assert.deepEqual(matches('You will get what you deserve: a raise and a long holiday.'), []);
  assert.deepEqual(matches("Corrupt officials will get what's coming to them at the ballot box."), []);
});

test('a violent verb in a temporal clause is the writer\'s plan when the sentence speaks of the future', () => {
  assert.deepEqual(matches('Nobody will miss you when I kill you'), ['harm: when I kill you']);
  assert.deepEqual(matches('Your mother will cry when I stab you.'), ['harm: when I stab you']);
  assert.deepEqual(matches("By the time I finish strangling you, you'll wish you had shut up."), ['harm: By the time I finish strangling you']);
  // a past report, a thing, something handed over, an -ing form without "done / finish / start"
  for (const text of [
    'He laughed when I punched him in the arm at school.', 'When I kill the engine, you will hear a click.',
    'You will laugh when I shoot you the photos from the party.', 'My feet will be killing me when I finish the hike.',
  ]) assert.deepEqual(matches(text), [], text);
});

test('threat idioms without a violent word, and their civil look-alikes', () => {
  for (const [text, m] of [
    ['Your family will be next.', 'Your family will be next'], ["You won't live to see Christmas.", "You won't live to see Christmas"],
    ['Better start looking over your shoulder.', 'looking over your shoulder'], ['Once I get my hands on you, you are finished.', 'Once I get my hands on you'],
    ["Keep writing and you'll leave town in a body bag.", "you'll leave town in a body bag"], ['I have been watching your house all week.', 'I have been watching your house'],
    ['Nice house, it would be a shame if something happened to it.', 'shame if something happened to it'],
    ['Say goodbye to your kids while you still can.', 'Say goodbye to your kids while you still can'],
  ] as const) assert.deepEqual(matches(text), [`idiom: ${m}`], text);
  for (const text of [
    'Your table is next, thank you for waiting.', "You won't live to see the day they fix this road.", "I won't live to see the new bridge finished.",
    'Look over your shoulder before changing lanes.', 'Once I get my hands on that recipe, I will bake it for you.', 'I have been watching your videos for years.',
    'It would be a shame if something happened to the festival funding.', 'Say goodbye to your old kitchen, the renovation starts Monday.',
    "I don't know where you live.",
  ]) assert.deepEqual(matches(text), [], text);
});

test('session 8 dev cases: threats held on threat, and the new rules hold none of the civil look-alikes', () => {
  const missed = SILENT_THREATS.filter((t) => clf.scoreOnly(t).threat < hold);
  assert.ok(missed.length <= 4, `missed: ${missed.join(' / ')}`);
  // held by the stage without being held by the model: only "I know where you live" (an idiom of engine v4)
  const added = SILENT_SAFE.filter((t) => clf.scoreOnly(t).threat >= hold && plain.scoreOnly(t).threat < hold);
  assert.deepEqual(added, ['I know where you live, we are neighbours on the same street!']);
});
