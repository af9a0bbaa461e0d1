// Engine v4: threat constructions (src/engine/threats.ts) and how scoring uses them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MODEL_PATH } from '../../src/engine/index.js';
import { LinearClassifier } from '../../src/engine/classifier.js';
import { LinearModel } from '../../src/engine/model.js';
import { tokenize, wordHash } from '../../src/engine/features.js';
import { findThreats, THREAT_FLOOR } from '../../src/engine/threats.js';
import { DEV_SAFE, DEV_THREATS, FRESH_SAFE, FRESH_THREATS } from '../../src/engine/training/threat-dev.js';
import { functionalSuite } from '../../src/engine/training/functional.js';

const model = LinearModel.load(DEFAULT_MODEL_PATH);
const clf = new LinearClassifier(model);
const plain = new LinearClassifier(model, { threatStage: false });
const hold = clf.thresholds.threat.hold;

/** the matched words of each construction of a text, and their kind */
function matches(text: string): string[] {
  const tk = tokenize(text);
  const ms = findThreats(tk, tk.start.map((_, i) => wordHash(tk, i)));
  return ms.map((m) => `${m.kind}: ${text.slice(tk.norm.start[tk.start[m.first] as number], tk.norm.end[(tk.end[m.last] as number) - 1])}`);
}

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
  for (const t of [...DEV_THREATS, ...DEV_SAFE, ...FRESH_THREATS, ...FRESH_SAFE]) assert.ok(!suite.has(t.toLowerCase()), t);
});
