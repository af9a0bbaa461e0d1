// Self-written, code-generated examples (all text below was written for Parley).
//  - threat / non-threat: verbs x targets x hedges, plus harmless uses of "kill", "hang", "shoot"...
//  - identity: neutral mentions of many groups (label 0) and hateful counterparts.
// The identity templates used for TRAINING are disjoint from the ones used to MEASURE bias
// (biasTemplates below), so the bias report is not a memory test.
import { NUM_LABELS } from '../labels.js';
import type { Example } from './data.js';

const NaN6 = (): Float32Array => new Float32Array(NUM_LABELS).fill(NaN);

/** labels: toxic, severe_toxic, obscene, threat, insult, identity_hate (undefined = unknown) */
function ex(id: string, text: string, v: (number | undefined)[]): Example {
  const y = NaN6();
  v.forEach((x, i) => {
    if (x !== undefined) y[i] = x;
  });
  return { id, source: 'parley_templates', text, y };
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

// ---- threats -----------------------------------------------------------------------------------

const THREAT_OPENERS = [
  'I will', "I'm going to", "I'll", 'I swear I will', 'I am going to', 'one day I will', "I'm coming to",
  'we will', "we're going to", 'someone should', 'somebody needs to', 'someone needs to', 'we should',
  'I want to', "I can't wait to", 'I would love to', 'it is time to', 'the people should', 'I hope someone will',
];
const THREAT_VERBS = [
  'kill', 'shoot', 'stab', 'hang', 'strangle', 'murder', 'lynch', 'beat the hell out of', 'put a bullet in',
  'slit the throat of', 'break the neck of', 'burn down the house of', 'hunt down', 'run over', 'choke', 'gut',
  'bash the head in of', 'snap the neck of', 'blow up', 'execute',
];
const THREAT_TARGETS = [
  'you', 'him', 'her', 'them', 'all of you', 'every one of them', 'the mayor', 'that reporter', 'the judge',
  'your whole family', 'those people', 'the author of this article', 'the commenters here', 'the governor',
  'that cop', 'the editor', 'this guy', 'the senator',
];
const THREAT_TAILS = ['', '', '.', '!', ' myself.', ' with my own hands.', ' if I see you.', ' tonight.', ' and I know where you live.', ' before I do it for you.', ', watch your back.'];

const THREAT_STANDALONE = [
  'I know where you live.', 'You had better watch your back.', 'Watch your back, I am coming for you.',
  'You will regret this, I will find you.', 'Keep talking and see what happens to you.', 'Say that to my face and you are dead.',
  'Hang them all publicly.', 'Kill every one of them.', 'Line them up and shoot them.', 'They should be hanged in the town square.',
  'He deserves a bullet.', 'She deserves to be shot.', 'They all deserve to die.', 'You deserve to be beaten to death.',
  'Somebody should put him out of his misery for good.', 'I hope you die in a fire.', 'I hope your family gets what is coming.',
  'Before I do it for you, you had better leave town.', 'I will make sure you never walk again.', 'Next time I see you, you are dead.',
  'Traitors like him should be shot.', 'Round them up and hang them.', 'People like you should be put down.', 'Get a rope.',
  'Your days are numbered.', 'I will do it to you myself.', 'Someone take him out back and end him.', 'String them up from the nearest tree.',
];

const SAFE_STANDALONE = [
  'This traffic is killing me.', 'Hang the picture in the hallway.', 'Kill the engine before you get out.', 'I killed it at the presentation today.',
  'The comedian killed last night.', 'Shoot me an email when you get a chance.', 'The photographer will shoot the wedding on Saturday.',
  'Hang in there, it gets better.', 'We hung out at the park after school.', 'The bill was killed in committee.', 'Police said the suspect was shot by officers.',
  'The article says the victim was stabbed twice.', 'She burned the toast again.', 'My feet are killing me after that hike.', 'Kill two birds with one stone.',
  'The council voted to kill the proposal.', 'Hang the laundry outside, it is sunny.', 'I am dying to see the new museum.', 'That joke kills me every time.',
  'We have an hour to kill before the game.', 'The shooting guard scored 30 points.', 'The pipeline project is dead in the water.', 'Kill the lights, please.',
  'The play is a knockout.', 'He was hanged in 1946 after the trials, the historian writes.', 'The murder rate fell last year according to the report.',
  'The movie is about a hitman who wants to retire.', 'Do not shoot the messenger.', 'The plants died because nobody watered them.', 'This heat will be the death of me.',
  'I could murder a pizza right now.', 'The band blew up after their second album.', 'Take a shot at the crossword.', 'Ammunition sales rose in the state.',
  'She took a stab at the answer.', 'Hang on a second, I will check.', 'The senator threatened to kill the bill.', 'Gun violence is a public health issue.',
  'The war killed millions of people.', 'I would never hurt anyone.', 'We should fight this policy at the ballot box.', 'Vote them out in November.',
  'The mayor should resign.', 'The judge should recuse herself.', 'Someone should fix this pothole.', 'We should all call our representatives.',
  'I am going to write to the editor about this.', 'I will be at the meeting tonight.', 'I want to see the budget numbers.', 'They should be held accountable in court.',
];

const SAFE_OPENERS = ['I will', "I'm going to", 'we should', 'someone should', 'I want to', 'we need to', 'the city should', 'I hope they'];
const SAFE_VERBS_OBJECTS = [
  'kill the proposal', 'kill the process and restart it', 'hang the new curtains', 'shoot some photos of the parade', 'hang the flag for the holiday',
  'beat the traffic', 'kill some time at the library', 'shoot hoops after work', 'hang out with friends', 'burn the old leaves',
  'run the numbers again', 'break the record', 'blow out the candles', 'take a shot at fixing it', 'hunt for a new apartment',
  'execute the plan', 'fight for better schools', 'attack this problem', 'destroy the old bridge and build a new one', 'cut the budget',
];

function threatExamples(): Example[] {
  const out: Example[] = [];
  let k = 0;
  // deterministic walk over the grid (not the full product: keeps the set balanced)
  for (let a = 0; a < THREAT_OPENERS.length; a++) {
    for (let v = 0; v < THREAT_VERBS.length; v++) {
      const target = THREAT_TARGETS[(a * 7 + v * 3) % THREAT_TARGETS.length] as string;
      const tail = THREAT_TAILS[(a + v) % THREAT_TAILS.length] as string;
      const text = `${cap(THREAT_OPENERS[a] as string)} ${THREAT_VERBS[v] as string} ${target}${tail}`;
      out.push(ex(`tpl-threat-${k++}`, text, [1, undefined, 0, 1, undefined, 0]));
    }
  }
  for (const t of THREAT_STANDALONE) out.push(ex(`tpl-threat-${k++}`, t, [1, undefined, 0, 1, undefined, 0]));
  let s = 0;
  for (const t of SAFE_STANDALONE) out.push(ex(`tpl-safe-${s++}`, t, [0, 0, 0, 0, 0, 0]));
  for (let a = 0; a < SAFE_OPENERS.length; a++) {
    for (let v = 0; v < SAFE_VERBS_OBJECTS.length; v++) {
      if ((a + v) % 2 === 1) continue;
      out.push(ex(`tpl-safe-${s++}`, `${cap(SAFE_OPENERS[a] as string)} ${SAFE_VERBS_OBJECTS[v] as string}.`, [0, 0, 0, 0, 0, 0]));
    }
  }
  return out;
}

// ---- identities --------------------------------------------------------------------------------

export const IDENTITIES = [
  'gay', 'lesbian', 'bisexual', 'transgender', 'trans', 'queer', 'straight', 'Muslim', 'Jewish', 'Christian', 'Catholic',
  'Hindu', 'Buddhist', 'Sikh', 'atheist', 'Mormon', 'Black', 'white', 'Asian', 'Latino', 'Hispanic', 'Mexican', 'Chinese',
  'Indian', 'African', 'Arab', 'Native American', 'Indigenous', 'immigrant', 'refugee', 'disabled', 'deaf', 'blind',
  'elderly', 'young', 'female', 'male', 'feminist', 'Republican', 'Democrat', 'liberal', 'conservative',
];

const article = (w: string): string => (/^[aeiou]/i.test(w) ? `an ${w}` : `a ${w}`);

const TRAIN_NEUTRAL = [
  'I am {a} person.', 'My best friend is {x}.', '{X} people live in my town.', 'Being {x} is part of who I am.',
  'Our new council member is {x}.', 'The article interviewed several {x} residents.', 'My family is {x} and proud of it.',
  'She is {a} doctor at the county hospital.', 'He is {a} teacher and a good one.', 'There are many {x} students at the university.',
  'I have {x} coworkers and we get along fine.', 'The survey asked {x} voters about taxes.', 'My husband is {x}.', 'My wife is {x}.',
  'We met {a} couple at the farmers market.', 'The {x} population of the city grew last year.',
  'My sister is dating {a} woman.', 'We hired {a} engineer last month.', 'The {x} family next door brought us cookies.',
  'I voted for {a} candidate this time.', 'Our church hosted {x} speakers.', 'The museum has a new exhibit on {x} history.',
  'He is {x}, and he coaches the soccer team.', 'She is {x}, and she runs the bakery on Main Street.', 'As {a} parent, I worry about school funding.',
  'I am {x} and I support the new park.', '{X} students won the science fair.', 'The mayor met with {x} leaders on Friday.', 'My son is {x}.',
  'Our doctor is {x}.', 'Many {x} families shop at the market.', 'I have been {x} my whole life.', 'The {x} couple across the street just had a baby.',
  'Being {x} in a small town is not always easy, but people here are kind.', 'The column was written by {a} veteran.', 'I am {x}, and I think this article is fair.',
];
const TRAIN_TOXIC = [
  '{X} people are disgusting vermin.', 'All {x} people should be deported.', 'I hate {x} people.', '{X} people are a plague on this country.',
  'Get rid of every {x} person.', '{X} people are subhuman trash.', 'Never trust {a}, they are all liars and thieves.',
  '{X} people should go back to where they came from.',
];

function fill(t: string, x: string): string {
  return t.replace('{a}', article(x)).replace('{X}', cap(x)).replace('{x}', x);
}

function identityExamples(): Example[] {
  const out: Example[] = [];
  let k = 0;
  for (const x of IDENTITIES) {
    for (const t of TRAIN_NEUTRAL) out.push(ex(`tpl-id-${k++}`, fill(t, x), [0, 0, 0, 0, 0, 0]));
    for (const t of TRAIN_TOXIC) out.push(ex(`tpl-id-${k++}`, fill(t, x), [1, undefined, 0, undefined, undefined, 1]));
  }
  return out;
}

// ---- context (engine v2): threats without violent words, normative threats, negation, counter-speech.
// Word lists and phrasings differ from the functional suite's (functional.ts; a unit test checks that no
// suite case is a training text): training targets are THREAT_TARGETS and IDENTITIES ("X people"), and the
// dehumanizing words below are none of the suite's.

const QUIET_THREATS = [
  'I know what time you leave work.', 'We have your home address.', 'You will pay for this, I promise you.', "You won't be so brave when I find you.",
  'Do it again and you will be sorry.', 'Count your days.', 'Better start looking over your shoulder.', 'Step down or we will make you.',
  "I'd keep my doors locked if I were you.", 'Your car would look nice with its windows smashed.', 'Accidents happen to people like you.',
  'It would be a shame if something happened to your kids.', 'We are coming for you and your family.', "You'll get what's coming to you soon enough.",
  'This is your last warning.', 'People have disappeared for less.', "I'm outside your house right now.", 'We will make an example of you.',
  'You will not live to see the next election.', 'Nobody will find the body.',
];
const QUIET_OPENERS = ['Retract this', 'Delete this article', 'Apologize', 'Quit', 'Close your paper', 'Get out of this town', 'Resign'];
const QUIET_TAILS = [' or I will do it for you.', ' before somebody does it for you.', ' or you will regret it.', ' or else.', ' while you still can.', ' or we will make you.'];
const QUIET_WHO = ['', ', Mr. Mayor,', ', editor,', ', Senator,', ', judge,', ', councillor,'];
const NORMATIVE = ['should be', 'must be', 'has to be', 'needs to get'];
const PARTICIPLES = ['killed', 'shot', 'hanged', 'strangled', 'lynched', 'executed', 'stabbed', 'put down', 'strung up', 'burned alive'];
const NEGATED_THREATS = [
  'I will not {v} anyone, I am just angry.', 'Nobody is going to {v} {t}, relax.', 'It would be wrong to {v} {t}.',
  "Don't ever {v} anyone, violence is never the answer.", 'We must never {v} {t}, whatever we think of them.',
];
// Phrasings chosen to differ from the functional suite's (which uses "X are not d", "It is false that",
// "I would never say", "Saying X are d is...", "People who call X d", "Why are X such d?", "I think X
// are d", ...); the dehumanizing words are none of the suite's nor of the bias set's.
const V2_DEHUMANIZING = ['a plague', 'subhuman', 'trash', 'pests', 'a virus', 'criminals', 'thugs', 'leeches', 'a menace', 'dirty'];
const NEGATED_HATE = [
  'It is simply wrong to think {x} people are {d}.', 'Nobody here thinks {x} people are {d}.', 'I do not believe {x} people are {d}.',
  'My {x} friends are not {d}.', 'None of the {x} people I know are {d}.',
];
const COUNTER_SPEECH = [
  'Labelling {x} people as {d} has no place here.', 'We should stand up to those who call {x} people {d}.', 'I reported the post that called {x} people {d}.',
  'The flyer calling {x} people {d} was condemned by the mayor.', 'Those who say {x} people are {d} do not speak for this town.',
];
const HATE_V2 = ['{X} people are {d}.', 'Everyone knows {x} people are {d}.', 'The truth is that {x} people are {d}.'];

/** 'all': every context template; 'identity': only negated hate, counter-speech and their hateful counterparts. */
export type ContextTemplates = 'none' | 'identity' | 'all';

function contextExamples(which: ContextTemplates): Example[] {
  const out: Example[] = [];
  if (which === 'none') return out;
  let k = 0;
  const threat = (text: string) => out.push(ex(`tpl-ctx-${k++}`, text, [1, undefined, 0, 1, undefined, 0]));
  const safe = (text: string) => out.push(ex(`tpl-ctx-${k++}`, text, [0, 0, 0, 0, 0, 0]));
  if (which === 'all') contextThreats(threat, safe);
  identityContext(out, () => k++, safe);
  return out;
}

function contextThreats(threat: (t: string) => void, safe: (t: string) => void): void {
  for (const t of QUIET_THREATS) threat(t);
  for (let a = 0; a < QUIET_OPENERS.length; a++) {
    for (let b = 0; b < QUIET_TAILS.length; b++) {
      const who = QUIET_WHO[(a * 5 + b) % QUIET_WHO.length] as string;
      threat(`${QUIET_OPENERS[a] as string}${who}${QUIET_TAILS[b] as string}`);
    }
  }
  for (let n = 0; n < NORMATIVE.length; n++) {
    for (let v = 0; v < PARTICIPLES.length; v++) {
      const target = THREAT_TARGETS[(n * 3 + v * 7 + 1) % THREAT_TARGETS.length] as string;
      if (target === 'you' || target === 'all of you') continue;
      threat(`${cap(target)} ${NORMATIVE[n] as string} ${PARTICIPLES[v] as string}.`);
    }
  }
  for (let a = 0; a < NEGATED_THREATS.length; a++) {
    for (let v = 0; v < 8; v++) {
      const verb = THREAT_VERBS[(a * 3 + v) % THREAT_VERBS.length] as string;
      const target = THREAT_TARGETS[(a + v * 5) % THREAT_TARGETS.length] as string;
      safe(cap((NEGATED_THREATS[a] as string).replace('{v}', verb).replace('{t}', target)));
    }
  }
}

function identityContext(out: Example[], next: () => number, safe: (t: string) => void): void {
  const subject = (x: string) => fill('{x}', x);
  for (let i = 0; i < IDENTITIES.length; i++) {
    const x = IDENTITIES[i] as string;
    for (let j = 0; j < 2; j++) {
      const d = V2_DEHUMANIZING[(i + j * 3) % V2_DEHUMANIZING.length] as string;
      const tn = NEGATED_HATE[(i + j) % NEGATED_HATE.length] as string;
      const tc = COUNTER_SPEECH[(i + j * 2) % COUNTER_SPEECH.length] as string;
      const th = HATE_V2[(i + j) % HATE_V2.length] as string;
      const f = (t: string) => fill(t, subject(x)).replace('{d}', d);
      safe(f(tn));
      safe(f(tc));
      out.push(ex(`tpl-ctx-${next()}`, f(th), [1, undefined, 0, undefined, undefined, 1]));
    }
  }
}

/**
 * Extra training examples written by code (deterministic). `context` adds the engine-v2 context
 * templates (threats without violent words, normative threats, negation, counter-speech): tried and not
 * adopted in the shipped model (docs/model-card.md), kept behind `--context-templates all|identity`.
 */
export function templateExamples(context: ContextTemplates = 'none'): Example[] {
  return [...threatExamples(), ...identityExamples(), ...contextExamples(context)];
}

// ---- bias measurement set (never trained on) ---------------------------------------------------

const BIAS_NEUTRAL = [
  'As {a} woman, I disagree with this article.', 'My neighbours are {x}.', 'I am {a} man.', '{X} voters turned out in large numbers.',
  'I grew up in {a} family.', 'Is it true that the new teacher is {x}?', 'Being {x} has never stopped me from doing my job.',
  'We welcomed two {x} families to our street.', 'The {x} community center opens on Monday.', 'My daughter married {a} man last spring.',
  'I was the only {x} kid in my class.', 'Several {x} business owners spoke at the hearing.', 'Speaking as {a} person, this policy affects me directly.',
  'The reporter who wrote this is {x}.', 'Our pastor invited {x} neighbours to dinner.', 'My grandfather was {x} and served in the navy.',
];
const BIAS_TOXIC = [
  '{X} people are filthy animals.', 'I cannot stand {x} people, they ruin everything.', 'Every {x} person should be thrown out of the country.',
  '{X} people are stupid and worthless.', 'Keep those disgusting {x} people away from our kids.', 'The only good {x} is a dead one.',
];

export interface BiasItem {
  identity: string;
  text: string;
  toxic: boolean;
}

export function biasTemplates(): BiasItem[] {
  const out: BiasItem[] = [];
  for (const x of IDENTITIES) {
    for (const t of BIAS_NEUTRAL) out.push({ identity: x, text: fill(t, x), toxic: false });
    for (const t of BIAS_TOXIC) out.push({ identity: x, text: fill(t, x), toxic: true });
  }
  return out;
}
