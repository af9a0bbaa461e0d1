// Development cases for the scope stage (scope.ts): the cases its strength (SCOPE_KEEP) and its rules
// were chosen on. Written for Parley with groups, dehumanizing words and phrasings of their own: none
// is a functional-suite group or word (functional.ts) or a training-template word (templates.ts), and
// a unit test checks that no case is a suite case. Never trained on.

export interface ScopeDevSet {
  id: string;
  expect: 'hold' | 'pass';
  cases: string[];
}

const GROUPS = ['Catholics', 'Buddhists', 'Mormons', 'migrants', 'Africans', 'Indians', 'Hispanics', 'feminists', 'Somalis', 'Pakistanis', 'Haitians', 'bisexual people'];
const WORDS = ['maggots', 'swine', 'lice', 'garbage', 'mongrels', 'degenerates', 'an infestation', 'apes', 'dogs', 'a blight', 'a pestilence', 'vultures'];
const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length] as T;
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const fill = (frames: ReadonlyArray<(g: string, d: string) => string>, n: number, k: number): string[] =>
  Array.from({ length: n }, (_, i) => pick(frames, i)(pick(GROUPS, i * k + 1), pick(WORDS, i * 5 + k)));

export function scopeDevSets(): ScopeDevSet[] {
  return [
    {
      id: 'denied',
      expect: 'pass',
      cases: fill([
        (g, d) => `${cap(g)} aren't ${d}.`, (g, d) => `Nobody believes ${g} are ${d}.`, (g, d) => `It's a lie that ${g} are ${d}.`,
        (g, d) => `I don't believe for a second that ${g} are ${d}.`, (g, d) => `${cap(g)} are never ${d}, whatever the trolls say.`,
        (g, d) => `Contrary to the rumours, ${g} are not ${d}.`, (g, d) => `The myth that ${g} are ${d} needs to die.`,
        (g, d) => `My ${g} coworkers are not ${d}.`, (g, d) => `No one here thinks ${g} are ${d}.`,
      ], 36, 3),
    },
    {
      id: 'reported',
      expect: 'pass',
      cases: fill([
        (g, d) => `A caller on the radio said ${g} are ${d}, and the host hung up.`, (g, d) => `Someone spray-painted "${g} are ${d}" on the community hall.`,
        (g, d) => `The councillor was suspended after he tweeted that ${g} are ${d}.`, (g, d) => `The leaflet claimed ${g} are ${d}; it went straight in the bin.`,
        (g, d) => `A banner reading '${g} are ${d}' was removed by the city.`, (g, d) => `The defendant wrote that ${g} were ${d}, the prosecutor told the jury.`,
      ], 36, 5),
    },
    {
      id: 'condemned',
      expect: 'pass',
      cases: fill([
        (g, d) => `Describing ${g} as ${d} is plain racism.`, (g, d) => `Stop saying ${g} are ${d}.`,
        (g, d) => `I flagged a comment calling ${g} ${d}.`, (g, d) => `Whoever wrote that ${g} are ${d} should be ashamed.`,
        (g, d) => `We stand against anyone labelling ${g} ${d}.`, (g, d) => `Those who claim ${g} are ${d} have never met one.`,
        (g) => `I denounce the bigots who target ${g}.`, (g, d) => `Referring to ${g} as ${d}? That has no place in this paper.`,
      ], 36, 7),
    },
    {
      id: 'hate_kept',
      expect: 'hold',
      cases: fill([
        (g, d) => `${cap(g)} are ${d}.`, (g, d) => `${cap(g)} are nothing but ${d}.`, (g, d) => `Everyone knows ${g} are ${d}.`,
        (g, d) => `There is no doubt that ${g} are ${d}.`, (g, d) => `Never forget that ${g} are ${d}.`, (g, d) => `Not all ${g} are bad, but most are ${d}.`,
        (g, d) => `I'm not racist but ${g} are ${d}.`, (g, d) => `${cap(g)} are no better than ${d}.`, (g, d) => `Aren't ${g} basically ${d}?`,
        (g, d) => `I said it before and I'll say it again: ${g} are ${d}.`, (g, d) => `We should call ${g} what they are: ${d}.`,
        (g, d) => `So-called ${g} are ${d}.`, (g, d) => `Don't kid yourself, ${g} are ${d}.`, (g, d) => `${cap(g)} are not people, they are ${d}.`,
        (g, d) => `Nobody wants ${g} here, they are ${d}.`, (g, d) => `You can't deny that ${g} are ${d}.`,
      ], 48, 1),
    },
    {
      id: 'negated_positive_kept',
      expect: 'hold',
      cases: Array.from({ length: 24 }, (_, i) =>
        pick([
          (g: string) => `${cap(g)} are not human.`, (g: string) => `I don't respect ${g}.`, (g: string) => `${cap(g)} are not welcome here.`,
          (g: string) => `${cap(g)} don't deserve to live.`, (g: string) => `${cap(g)} should never be allowed to vote.`,
          (g: string) => `${cap(g)} can't be trusted with anything.`,
        ], i)(pick(GROUPS, i * 5 + 2)),
      ),
    },
    {
      id: 'insult_kept',
      expect: 'hold',
      cases: Array.from({ length: 24 }, (_, i) =>
        pick([
          (w: string) => `You said it yourself, you ${w}.`, (w: string) => `Not once have you made sense, you ${w}.`,
          (w: string) => `Anyone who believes this is a ${w}.`, (w: string) => `He wrote a good column, but the editor is a ${w}.`,
          (w: string) => `Don't listen to him, he's a ${w}.`, (w: string) => `Nobody asked you, ${w}.`,
        ], i)(pick(['buffoon', 'jackass', 'dumbass', 'jerk', 'douchebag', 'pig'], i * 5 + 1)),
      ),
    },
    // Whole statements (scope.ts, wholeStatements; issue 13, 2026-12-01): counter-speech and denials in the stage's
    // constructions, phrased otherwise than the suite, and hate in the same shapes that must stay held. Unlike the sets
    // above, these share some words with the suite ("vermin", "savages", "animals", "parasites", "scum", "a disease") and
    // with the training templates ("criminals", "thugs", "a plague"); their groups are not the suite's.
    {
      id: 'whole_pass',
      expect: 'pass',
      cases: [
        "Catholics aren't vermin, they're people like us.", 'Let me be clear: Mormons are not garbage.', 'Migrants are not criminals.',
        'For the record, Hispanics are not thugs.', 'It is simply untrue that migrants are criminals.', "I don't think for a moment that Africans are savages.",
        'Nobody here believes Indians are savages.', 'No one is saying that Africans are animals.', 'Describing feminists as degenerates is sexist nonsense.',
        'Labelling migrants as parasites was shameful.', 'Claiming that Buddhists are apes is pure bigotry.', "I'm tired of people who call Mormons swine.",
        'We stand against those who harass Catholics.', 'People who hate Hispanics are the problem here.', 'A man yelled "migrants are vermin" at the rally and was escorted out.',
        'Stop calling Africans apes.', "Don't call migrants vermin.", 'The stereotype that Hispanics are criminals is racist.', 'Our Catholic neighbours are not maggots.',
        'Bisexual people are never degenerates, whatever the comment section says.', 'Feminists are not a plague.', 'It is not true that Indians are dirty.',
        'I will never agree that Mormons are lice.', "We're sick of people who demonize migrants.",
      ],
    },
    {
      id: 'whole_blocked',
      expect: 'hold',
      cases: [
        'Catholics are not vermin, they are worse.', 'Migrants are not people, they are vermin.', 'Hispanics are not just criminals, they are animals.',
        "Mormons aren't human, they're garbage.", "I don't think Africans are apes, I know it.", 'It is not true that Catholics are vermin; they are worse than vermin.',
        'Calling migrants parasites is an insult to parasites.', 'Saying Hispanics are criminals is not racist, it is a fact.', 'Calling Indians savages is accurate.',
        'Anyone who says Catholics are scum is right.', 'My uncle always said "migrants are vermin" and he was right.', 'As I always say, "Africans are apes".',
        'Aren\'t Catholics vermin?', 'Catholics are not vermin but they are parasites.', 'Most migrants are not criminals, but all of them are parasites.',
        'Africans are no better than apes.', 'Feminists are not women, they are a disease.', 'Nobody denies that migrants are parasites.',
        'Stop calling migrants refugees, they are invaders.', 'The claim that Hispanics are criminals is true.', 'People who hate Mormons are right.',
        'It is a lie that Catholics are not vermin.', 'Catholics are not vermin, they are the enemy within.',
        'Hispanics are not animals, they are just a different breed.', 'Mormons are not rats, they are the ones who run the banks.',
        'My sign said "Catholics are vermin" and I stand by it.', 'He shouted "migrants are vermin" and he was not wrong.',
        'Nobody thinks Mormons are lice. Everybody knows it.', 'Shame on anyone who says Catholics are vermin, they are much worse.',
        'Our banner read "Mormons are rats" for a reason.',
      ],
    },
  ];
}

/**
 * Fresh cases of the whole statements (scope.ts, wholeStatements): written after its rules were finished
 * (2026-12-01) and scored once, never tuned on (model card, "Engine v4: negation and counter-speech"). Other
 * groups than the suite's and the dev sets', and phrasings the constructions were not written for; some words are
 * the suite's ("savages") or the training templates' ("trash", "pests", "a virus").
 */
export function scopeFreshSets(): ScopeDevSet[] {
  return [
    {
      id: 'fresh_pass',
      expect: 'pass',
      cases: [
        'Evangelicals are not snakes.', "No, foreigners aren't leeches; they pay taxes like everyone else.", 'Honestly, Protestants are not beasts.',
        "It's absolutely false that Chinese people are a virus.", 'Nobody sensible thinks natives are savages.', 'I refuse to believe that homosexuals are pests.',
        'Calling evangelicals snakes is ugly and wrong.', 'Claiming foreigners are leeches is xenophobic garbage.',
        'Anyone who says Chinese people are rodents should be ashamed.', "I'm disgusted by people who harass Latinas.", 'We oppose anyone who demonizes foreigners.',
        'The sticker read "Protestants are trash" and the council removed it.', 'Stop calling natives savages.', 'The notion that homosexuals are predators is a lie.',
        'Bisexual people are not a disease, and never were.', "Latinas aren't trash, whatever that troll says.", 'Describing Chinese people as insects is racist.',
        'Those who call evangelicals thugs are the real bigots.', 'Protestants are not invaders, they are neighbours.', 'Our homosexual friends are not perverts.',
      ],
    },
    {
      id: 'fresh_blocked',
      expect: 'hold',
      cases: [
        'Evangelicals are not snakes, they are worse than snakes.', 'Foreigners are not guests, they are leeches.', "Protestants aren't human beings, they're beasts.",
        "It's false that Chinese people are clean; they are a virus.", 'Nobody thinks natives are savages? Open your eyes.', 'Calling homosexuals pests is an insult to pests.',
        "Saying foreigners are leeches is not hate, it's honesty.", 'Anyone who says Latinas are trash is spot on.', 'Grandpa always said "natives are savages" and I agree.',
        'I keep saying "evangelicals are snakes".', 'Stop calling them refugees, foreigners are invaders.', 'Chinese people are not a virus but they spread it.',
        'Protestants are no better than rodents.', 'Homosexuals are never going to be normal, they are pests.', 'The idea that foreigners are leeches is simply true.',
        'People who hate evangelicals are heroes.',
      ],
    },
  ];
}
