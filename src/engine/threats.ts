// Threat constructions (engine v4): a deterministic reading of each clause for the shapes a threat takes,
// which a linear n-gram model over ~280 real threats does not learn (docs/model-card.md, "Engine v4").
//
// A clause is a threat construction when it has
//   (a) a frame: first-person intent ("I will", "I'll", "I'm going to", "gonna", "I swear", "I'd", "let me"),
//       a normative or wishing frame ("someone should", "X ought to / needs to / deserves to be", "I hope"),
//       or an imperative (the verb opens the clause, or follows "and" / "just" / "go" / "time to");
//   (b) a harm predicate: a violent verb in the form the frame asks for (base form after a frame or as an
//       imperative, past participle after "be" / "get" in a normative frame, "die" / "dead" in a normative
//       or wishing frame), multi-word ones included ("beat ... to death", "set ... on fire", "gun ... down");
//   (c) a person or group as its target: the object of an active verb, the subject of a passive one;
//       "the bill", "the lights" or "the mayor's portrait" are not people;
//   and (d) no blocker: a negator before the verb in the clause ("I would never", "nobody should",
//       "don't": such a construction is returned as `negated`, and scoring lowers its violent words), a
//       particle that makes the verb harmless ("hang out", "shoot down", "shoot you an email"), a double
//       quote around the verb (quoted speech).
// Or the clause holds a threat idiom that needs no violent word ("before I do it for you", "watch your
// back", "I know where you live", "you'll regret this", "your days are numbered").
// Session 8 adds threats made of two clauses of a sentence ("he won't make it through the winter, I'll make sure of
// it"; "you'll get what's coming to you, personally delivered") and violent verbs in a temporal clause of a sentence
// about the future ("nobody will miss you when I kill you"); see docs/model-card.md, "threats without violent words".
// The word lists are self-written from general knowledge; they are not the functional suite's lists.
// Words are compared as normalized tokens (normalize.ts: lower case, leetspeak and look-alikes undone),
// so the stage sees through the same spelling tricks as the model.
import { hashString, IDENTITY_WORDS, SEED_WORD, type Tokens } from './features.js';

export interface ThreatMatch {
  /** 'harm': frame + violent predicate + person target; 'idiom': a threat idiom without a violent word */
  kind: 'harm' | 'idiom';
  /** first and last token (inclusive) of the matched words: the threat span */
  first: number;
  last: number;
  /**
   * a 'harm' construction whose only blocker is a negation of its frame ("I would never kill ...", "nobody
   * should hang ..."): not a threat; its violent words are lowered instead (classifier.ts, NEGATED_THREAT_KEEP)
   */
  negated: boolean;
  /** first and last token (inclusive) of the violent words ("kill", "set ... on fire", "hanged", "die"); for 'harm' */
  violentFirst: number;
  violentLast: number;
}

const words = (s: string): string[] => s.split(/\s+/).filter((w) => w.length > 0);

// ---- harm predicates -----------------------------------------------------------------------------

/** verb: [base, third person, -ing, past, past participle]; irregular forms spelled out */
const VERBS: ReadonlyArray<readonly string[]> = [
  ['kill', 'kills', 'killing', 'killed', 'killed'], ['murder', 'murders', 'murdering', 'murdered', 'murdered'],
  ['shoot', 'shoots', 'shooting', 'shot', 'shot'], ['stab', 'stabs', 'stabbing', 'stabbed', 'stabbed'],
  ['hang', 'hangs', 'hanging', 'hanged', 'hanged'], ['lynch', 'lynches', 'lynching', 'lynched', 'lynched'],
  ['strangle', 'strangles', 'strangling', 'strangled', 'strangled'], ['choke', 'chokes', 'choking', 'choked', 'choked'],
  ['behead', 'beheads', 'beheading', 'beheaded', 'beheaded'], ['decapitate', 'decapitates', 'decapitating', 'decapitated', 'decapitated'],
  ['execute', 'executes', 'executing', 'executed', 'executed'], ['slaughter', 'slaughters', 'slaughtering', 'slaughtered', 'slaughtered'],
  ['butcher', 'butchers', 'butchering', 'butchered', 'butchered'], ['massacre', 'massacres', 'massacring', 'massacred', 'massacred'],
  ['exterminate', 'exterminates', 'exterminating', 'exterminated', 'exterminated'], ['assassinate', 'assassinates', 'assassinating', 'assassinated', 'assassinated'],
  ['torture', 'tortures', 'torturing', 'tortured', 'tortured'], ['drown', 'drowns', 'drowning', 'drowned', 'drowned'],
  ['suffocate', 'suffocates', 'suffocating', 'suffocated', 'suffocated'], ['smother', 'smothers', 'smothering', 'smothered', 'smothered'],
  ['poison', 'poisons', 'poisoning', 'poisoned', 'poisoned'], ['gut', 'guts', 'gutting', 'gutted', 'gutted'],
  ['maim', 'maims', 'maiming', 'maimed', 'maimed'], ['mutilate', 'mutilates', 'mutilating', 'mutilated', 'mutilated'],
  ['dismember', 'dismembers', 'dismembering', 'dismembered', 'dismembered'], ['castrate', 'castrates', 'castrating', 'castrated', 'castrated'],
  ['rape', 'rapes', 'raping', 'raped', 'raped'], ['punch', 'punches', 'punching', 'punched', 'punched'],
  ['shank', 'shanks', 'shanking', 'shanked', 'shanked'], ['knife', 'knifes', 'knifing', 'knifed', 'knifed'],
  ['gas', 'gasses', 'gassing', 'gassed', 'gassed'], ['crucify', 'crucifies', 'crucifying', 'crucified', 'crucified'],
  ['slay', 'slays', 'slaying', 'slew', 'slain'], ['burn', 'burns', 'burning', 'burned', 'burnt'],
  ['bury', 'buries', 'burying', 'buried', 'buried'], ['stomp', 'stomps', 'stomping', 'stomped', 'stomped'],
  ['bludgeon', 'bludgeons', 'bludgeoning', 'bludgeoned', 'bludgeoned'], ['snipe', 'snipes', 'sniping', 'sniped', 'sniped'],
  ['bomb', 'bombs', 'bombing', 'bombed', 'bombed'], ['eliminate', 'eliminates', 'eliminating', 'eliminated', 'eliminated'],
  ['waterboard', 'waterboards', 'waterboarding', 'waterboarded', 'waterboarded'], ['electrocute', 'electrocutes', 'electrocuting', 'electrocuted', 'electrocuted'],
  ['hunt', 'hunts', 'hunting', 'hunted', 'hunted'],
  // verbs that harm only with their completion (COMPLETIONS below)
  ['beat', 'beats', 'beating', 'beat', 'beaten'], ['gun', 'guns', 'gunning', 'gunned', 'gunned'], ['run', 'runs', 'running', 'ran', 'run'],
  ['set', 'sets', 'setting', 'set', 'set'], ['put', 'puts', 'putting', 'put', 'put'], ['string', 'strings', 'stringing', 'strung', 'strung'],
  ['wipe', 'wipes', 'wiping', 'wiped', 'wiped'], ['blow', 'blows', 'blowing', 'blew', 'blown'], ['slit', 'slits', 'slitting', 'slit', 'slit'],
  ['cut', 'cuts', 'cutting', 'cut', 'cut'], ['break', 'breaks', 'breaking', 'broke', 'broken'], ['snap', 'snaps', 'snapping', 'snapped', 'snapped'],
  ['bash', 'bashes', 'bashing', 'bashed', 'bashed'], ['smash', 'smashes', 'smashing', 'smashed', 'smashed'], ['kick', 'kicks', 'kicking', 'kicked', 'kicked'],
];
const HANG_ALT = 'hung'; // "hung" (participle of hang in every sense) counts as a participle of hang

/**
 * Verbs that harm only with one of these completions within the next few words of the clause ("beat him
 * to death", "set them on fire", "gun them down", "put a bullet in him", "string them up", "slit his
 * throat"). Each completion is a word sequence; `*` stands for one word (a possessive).
 */
const COMPLETIONS: Record<string, readonly string[]> = {
  beat: ['to death', 'to a pulp', 'senseless', 'up', 'the shit out', 'the crap out', 'bloody', 'black and blue'],
  gun: ['down'],
  run: ['over', 'down'],
  set: ['on fire', 'alight', 'ablaze'],
  put: ['a bullet', 'bullets', 'a knife', 'a round', 'six feet under', 'in the ground', 'in a grave', 'out of their misery', 'out of his misery', 'out of her misery', 'a noose'],
  string: ['up'],
  wipe: ['out', 'off the map', 'off the face'],
  blow: ['brains', 'head off', 'heads off', 'away'],
  slit: ['throat', 'throats', 'wrists'],
  cut: ['throat', 'throats', 'head off', 'heads off'],
  break: ['neck', 'necks', 'legs', 'skull', 'skulls', 'jaw', 'bones'],
  snap: ['neck', 'necks'],
  bash: ['head in', 'heads in', 'skull in', 'brains in', 'face in', 'teeth in'],
  smash: ['head in', 'heads in', 'skull', 'face in', 'teeth in'],
  kick: ['to death', 'teeth in', 'head in', 'face in', 'the shit out'],
  hunt: ['down'],
  burn: ['alive', 'at the stake', 'to death'],
  bury: ['alive', 'six feet'],
};

/** verbs whose harm needs a completion */
const NEEDS_COMPLETION = new Set(['beat', 'gun', 'run', 'set', 'put', 'string', 'wipe', 'blow', 'slit', 'cut', 'break', 'snap', 'bash', 'smash', 'kick']);

/** particles and objects after a violent verb that make it harmless ("hang out", "shoot you an email") */
const HARMLESS_AFTER: Record<string, readonly string[]> = {
  hang: ['out', 'on', 'up', 'tight', 'around', 'in there', 'loose', 'back', 'with', 'onto', 'together'],
  shoot: ['down', 'an email', 'a message', 'a text', 'a note', 'a line', 'a look', 'a glance', 'a video', 'a photo', 'a picture', 'for', 'the breeze', 'hoops', 'first', 'back', 'up'],
  kill: ['it', 'time', 'for'],
  choke: ['up', 'back', 'on'],
  execute: ['a', 'the plan', 'on'],
  burn: ['out', 'through', 'calories', 'bridges'],
  bomb: ['the test', 'the exam'],
};

const BASE = new Map<string, string>(); // base form -> verb
const THIRD = new Map<string, string>(); // third person -s -> verb
const ING = new Map<string, string>(); // -ing form -> verb (only after "done / finish / start" in a temporal clause)
const PARTICIPLE = new Map<string, string>(); // past participle -> verb
for (const [base, third, ing, , part] of VERBS as ReadonlyArray<[string, string, string, string, string]>) {
  BASE.set(base, base);
  THIRD.set(third, base);
  ING.set(ing, base);
  PARTICIPLE.set(part, base);
}
PARTICIPLE.set(HANG_ALT, 'hang');

// ---- frames, targets, blockers ----------------------------------------------------------------------

/** first-person subjects (with their contractions; apostrophes kept as "'"); "me" counts in "me and my brothers" */
const FIRST_PERSON = new Set(words(`i we i'll we'll i'm we're i'd we'd i've we've im ima imma lemme let's lets`));
/** subjects that, between a first person and an intent marker, make it someone else's intent ("he told me he will") */
const OTHER_SUBJECTS = new Set(words(`he she they it you he'll she'll they'll you'll it'll`));
/** intent markers after a first-person subject */
const INTENT = new Set(words(`will shall gonna going wanna want wants gotta swear promise plan planning intend intending
  about ready would coming 'll i'll we'll i'd we'd ima imma lemme let's lets`));
/** normative and wishing frames (anyone's subject) */
const NORMATIVE = new Set(words(`should ought must needs need deserves deserve deserved gotta hope hoping hoped wish pray praying
  let's lets`));
/** words that open a subordinate clause: a frame is looked for after the last of them before the verb ("if I wanted to kill") */
const SUBORDINATORS = new Set(words(`if when whenever because unless until while whether though although who whom which that than`));
/** a first person followed by one of these reports a past intent ("I was going to"), not a threat */
const PAST_AUX = new Set(words(`was were had used`));
/** words before a violent word that make it a noun ("attempted murder", "a kill", "mass shooting") */
const NOUN_BEFORE = new Set(words(`a an the attempted of mass first second degree this that his her their my our its no any every
  another whose`));
/** auxiliaries of a passive ("be hanged", "get shot", "gets executed") */
const PASSIVE_AUX = new Set(words(`be get gets getting got been being`));
/** negators: before the verb in its clause, they block the construction */
const NEGATORS = new Set(words(`not never nobody noone none neither nor no don't won't wouldn't can't cannot shouldn't mustn't
  isn't aren't wasn't weren't didn't doesn't ain't dont wont wouldnt cant shouldnt isnt arent didnt doesnt aint`));
/** words after a negator that do not negate the harm ("can't wait to", "won't hesitate to", "won't stop until") */
const NEGATION_EXCEPT = new Set(words(`wait hesitate stop rest think`));
/** imperative openers that may precede the verb */
const IMPERATIVE_LEAD = new Set(words(`and just go then now so please somebody someone everyone y'all`));
/** subjects that make an "and VERB" a report rather than an imperative ("they went and shot him") */
const SUBJECTS = new Set(words(`i we you he she they it police officers cops soldiers troops army man woman men women someone somebody`));

const PRONOUN_TARGETS = new Set(words(`you ya ye yourself yourselves him her them themselves himself herself em 'em everyone everybody
  y'all yall`));
const SUBJECT_TARGETS = new Set(words(`you he she they you're he's she's they're youre hes shes theyre u`));
const PERSON_NOUNS = new Set(words(`
  people person persons man men woman women guy guys dude boy boys girl girls kid kids child children family families folks
  baby babies son sons daughter daughters wife husband mother father mom dad brother sister parents neighbor neighbors neighbour neighbours
  mayor mayors governor governors president presidents senator senators congressman congresswoman congressmen representative
  minister ministers premier politician politicians judge judges justice justices cop cops officer officers police policeman
  policemen sheriff sheriffs deputy deputies trooper troopers agent agents soldier soldiers reporter reporters journalist journalists
  editor editors writer writers author authors columnist columnists commentator commentators anchor host publisher bloggers blogger
  commissioner commissioners councillor councillors councilor councilors councilman councilwoman councilmen alderman aldermen
  chairman chairwoman ceo boss bosses manager managers owner owners landlord landlords teacher teachers principal professor
  professors doctor doctors nurse nurses priest priests pastor pastors imam imams rabbi rabbis bishop bishops pope lawyer lawyers
  attorney attorneys prosecutor prosecutors liberal liberals conservative conservatives democrat democrats republican republicans
  leftist leftists rightwinger rightwingers socialist socialists communist communists fascist fascists nazi nazis traitor traitors
  terrorist terrorists jihadist jihadists thug thugs criminal criminals protester protesters protestors rioter rioters voter voters
  supporter supporters member members leader leaders official officials staff staffer staffers employee employees worker workers
  driver drivers cyclist cyclists bastard bastards idiot idiots moron morons scum jerk jerks asshole assholes bitch bitches whore
  whores cunt cunts prick pricks pedophile pedophiles paedophile paedophiles pig pigs rat rats clown clowns gangster gangsters dealer
  dealers inmate inmates prisoner prisoners trumper trumpers everyone everybody anyone anybody somebody someone lot bunch
  candidate candidates lawmaker lawmakers legislator legislators trustee trustees superintendent board chief chiefs commander
  king queen prince princess celebrity celebrities actor actress singer player players coach coaches referee ref umpire fans fan
  student students cousin cousins uncle aunt grandma grandpa ex boyfriend girlfriend
` + IDENTITY_WORDS));
/** a preposition ends the search for a verb's object ("drown in paperwork", "charged with murder with the injuries") */
const PREPOSITIONS = new Set(words(`in on at for from by with about over into onto after before under like than to through without against`));
/** tokens that may sit between a verb and its object ("every one of them", "the whole lot of them") */
const OBJECT_LEAD = new Set(words(`the that this these those a an every each all some any of one last whole entire damn fucking
  goddamn bloody stupid dirty filthy little old new local our your his her their my whole rest such more`));

/** the words of token i, apostrophes normalized to "'" */
function tokenWord(tk: Tokens, i: number): string {
  const s = tk.norm.text.slice(tk.start[i] as number, tk.end[i] as number);
  return s.includes('\u2019') || s.includes('\u2018') ? s.replace(/[\u2018\u2019]/g, "'") : s;
}

// ---- idioms -----------------------------------------------------------------------------------------

/**
 * Threat idioms without a violent word, as regular expressions over a clause's words joined by single
 * spaces (apostrophes kept). Written from general knowledge of threatening language. Each is
 * [anchor words, the word groups it needs, the expression]: a clause is tested against an idiom only if it
 * holds one of its anchors and, for each group (separated by "|"), one of the group's words (IDIOM_NEEDS).
 */
const YOU = `(?:you|u|ya|him|her|them|he|she|they)`;
const WILL = `(?:will|'ll|are going to|is going to|are gonna|is gonna|'re going to|'s going to|'re gonna|'s gonna|gonna)`;
/** the people closest to a reader ("your family will be next", "say goodbye to your kids") */
const KIN = `(?:family|kids|children|wife|husband|loved ones|son|daughter|mother|mom|dad|father|parents|brother|sister|girlfriend|boyfriend)`;
/** a time the reader is told they will not live to ("another summer", "christmas", "the weekend"): not "the day ..." */
const TIME = `(?:another (?:day|week|month|year|birthday|christmas|summer|winter|spring|fall|autumn|sunrise|sunset|morning)|(?:the |this )?(?:next )?(?:weekend|week|month|year|christmas|summer|winter|spring|fall|autumn|tomorrow|morning|night)|tomorrow|christmas|new year|(?:your|ur) (?:next )?birthday)`;
/** the person nouns as an alternation, for idioms that need a person after "that" / "the" */
const PERSON_ALT = [...PERSON_NOUNS].filter((w) => /^[a-z]+$/.test(w)).join('|');
const IDIOMS: ReadonlyArray<readonly [string, string, RegExp]> = [
  ['do finish end', 'before or else|i we|do finish end|it this job|for to|you u ya him her them he she they', new RegExp(`\\b(?:before|or|else) (?:i|we)(?:'ll| will| 'll)? (?:do|finish|end) (?:it|this|the job) (?:for|to) ${YOU}\\b`)],
  ['watch', 'watch|your ur|back', new RegExp(`\\bwatch (?:your|ur) back\\b`)],
  ['where', 'i we|know found|where|live lives sleep sleeps work works go goes park parks stay stays', new RegExp(`\\b(?:i|we) (?:know|found out|found) where (?:${YOU}|your \\w+|ur \\w+)(?: \\w+){0,3} (?:live|lives|sleep|sleeps|work|works|go|goes|park|parks|stay|stays)\\b`)],
  ['which what', 'i we|know|which what|car house street school door building bus truck', new RegExp(`\\b(?:i|we) know (?:which|what) (?:car|house|street|school|door|building|bus|truck) (?:is yours|${YOU} (?:drive|drives|live|lives|use|uses))\\b`)],
  ['address', 'i we|your ur his her their|address', new RegExp(`\\b(?:i|we)(?:'ve| have| got|'ve got| now have) (?:got )?(?:your|ur|his|her|their) (?:home |new )?address\\b`)],
  ['numbered', 'your ur his her their|days|are|numbered', new RegExp(`\\b(?:your|ur|his|her|their) days are numbered\\b`)],
  ['regret rue', 'you u youll youre|regret rue', new RegExp(`\\b(?:you|u|you'll|you're|youll|youre)(?: ${WILL}| will| are going to| are gonna)?(?: \\w+)? (?:regret|rue)\\b(?! (?:nothing|not|a thing|anything))`)],
  ['sorry pay', 'you youll u|sorry pay', new RegExp(`\\b(?:you will|you'll|youll|u will|you ${WILL}) (?:be sorry|pay for (?:this|that|it|what))\\b`)],
  ['pay suffer sorry hurt', 'your ur|family kids children wife husband loved mother mom son daughter parents|pay suffer sorry hurt', new RegExp(`\\b(?:your|ur) (?:family|kids|children|wife|husband|loved ones|mother|mom|son|daughter|parents) (?:will|'ll|${WILL}) (?:pay|suffer|be sorry|get hurt)\\b`)],
  ['coming', 'wont not never|see|it this us me him whats|coming', new RegExp(`\\b(?:won't|will not|wont|never|not) see (?:it|this|us|me|him|what's) coming\\b`)],
  ['eye', 'sleep|one 1|eye', new RegExp(`\\bsleep with (?:one|1) eye open\\b`)],
  ['next', 'you youre ur youll your|next', new RegExp(`\\b(?:you're|you are|youre|you'll be|you will be|ur|(?:your|ur) ${KIN} (?:is|are|will be|'s|'re)) next(?:$| if\\b| unless\\b)`)],
  ['days hours breaths moments', 'enjoy are count|your ur|last final|days hours breaths moments', new RegExp(`\\b(?:enjoy|these are|count) (?:your|ur) (?:last|final) (?:few )?(?:days|hours|breaths|moments)(?: alive| on earth| while you can)?$`)],
  ['breath', 'your ur|last final|breath', new RegExp(`\\b(?:your|ur) (?:last|final) breath\\b`)],
  ['dead', 'you youre ur|dead', new RegExp(`\\b(?:you're|you are|youre|ur) (?:a )?dead(?: man| meat| woman)?$`)],
  ['walking', 'dead|man woman|walking', new RegExp(`\\bdead (?:man|woman) walking\\b`)],
  ['done', 'you youre ur|done|for', new RegExp(`\\b(?:you're|you are|youre|ur) (?:so |all )?done for(?: good)?$`)],
  ['coming', 'we i im were|coming|for after get|you u ya', new RegExp(`\\b(?:we're|we are|i'm|i am|im|were) coming (?:for|after|to get) (?:you|u|ya)\\b`)],
  ['find track hunt', 'i we ill|find track hunt|you u ya', new RegExp(`\\b(?:i'll|i will|we'll|we will|ill) (?:find|track|hunt) (?:you|u|ya)(?: down)?(?: and\\b|$)`)],
  ['show turn', 'show turn|up|at|your ur|door house home office work place school doorstep', new RegExp(`\\b(?:show|turn) up at (?:your|ur) (?:door|house|home|office|work|place|school|doorstep)\\b`)],
  ['visit', 'pay|you u ya him her them|a|visit', new RegExp(`\\bpay (?:you|u|ya|him|her|them) a (?:little )?visit\\b`)],
  ['waiting', 'i we|waiting|your ur', new RegExp(`\\b(?:i'll|i will|we'll|we will|i'm|we're|i am|we are) (?:be )?waiting (?:for you )?(?:outside|in front of|at|by) (?:your|ur)\\b`)],
  ['make', 'make|sure|you u|again', new RegExp(`\\b(?:i'll|i will|we'll|we will|ill) make sure (?:that )?(?:you|u) (?:never|can't|won't|cannot) (?:\\w+ ){1,2}again\\b`)],
  ['disappear', 'make|you u him her them|disappear', new RegExp(`\\bmake (?:you|u|him|her|them) disappear\\b`)],
  ['happens', 'keep|see|what|happens', new RegExp(`\\bkeep (?:\\w+ ){0,4}and see what happens\\b`)],
  ['hope pray', 'better|hope pray|i we', new RegExp(`\\b(?:you'd|you had|you) better (?:hope|pray) (?:i|we) (?:never|don't|dont)\\b`)],
  ['happen', 'something accidents|happen|to|you u your ya', new RegExp(`\\b(?:something|accidents) (?:bad )?(?:might|could|will|may|would) happen to (?:you|u|your|ya)\\b`)],
  ['count', 'count|your ur|days', new RegExp(`\\bcount (?:your|ur) days\\b`)],
  ['time', 'your ur|time|is|up coming', new RegExp(`\\b(?:your|ur) time is (?:up|coming)\\b`)],
  // session 8: the reader's survival denied up to a time ("you won't live to see Christmas", "you will not wake up
  // tomorrow"); not an event ("you won't live to see the day they fix this road") nor the writer's own ("I won't live to see")
  ['live survive wake breathing alive another tomorrow christmas birthday', 'you u ya youll|wont not never arent|live see survive wake breathing alive', new RegExp(`\\b(?:you|u|ya)(?:'ll| will| are going to| 're going to| are gonna| 're gonna)? ?(?:not|never|won't|wont|ain't) (?:live to see|live through|live past|survive|see|wake up|be breathing|be alive|make it to|make it through) (?:by |past |until |till )?${TIME}\\b`)],
  ['watching following', 'watching following|your ur|house home kids children family wife husband daughter son car place', new RegExp(`\\b(?:i|we|i've|we've)(?: have| had)? been (?:watching|following) (?:your|ur) (?:house|home|kids|children|family|wife|husband|daughter|son|car|place)\\b`)],
  ['shame', 'shame|something anything|happened happen happens|to', new RegExp(`\\bshame if (?:something|anything) (?:bad )?(?:happened|were to happen|was to happen|happens|should happen) to (?:it|you|u|them|him|her|your|ur)\\b`)],
  ['shoulder shoulders', 'look looking|over|your ur|shoulder shoulders', new RegExp(`\\blook(?:ing)? over (?:your|ur) shoulders?(?: from now on| if i were you| every day| at night)?$`)],
  ['bag coffin box morgue casket', 'bag coffin box morgue casket|in', new RegExp(`\\b(?:you|u|ya|he|she|they)(?:'ll| will| are going to| 're going to| gonna| could| might)? (?:\\w+ ){0,2}(?:leave|end up|go home|come out|be carried out)(?: \\w+){0,2} in (?:a |the )?(?:body bag|coffin|pine box|box|morgue|casket)\\b`)],
  ['dental', 'dental|records|identify', new RegExp(`\\b(?:need|needs|take|takes|require) dental records to identify\\b`)],
  ['goodbye goodbyes', 'say|goodbye goodbyes|your ur', new RegExp(`\\bsay (?:goodbye|your goodbyes) to (?:your|ur) (?:${KIN}|life|friends)(?: while (?:you|u) (?:still )?can|$)`)],
  ['matter', 'matter|time|before|we i', new RegExp(`\\bmatter of time before (?:we|i) (?:get to|find|catch|come for|get) (?:you|u|ya|him|her|them)(?: and (?:your|his|her|their) \\w+)?$`)],
  ['hands', 'i we|get lay put|hands|on', new RegExp(`\\b(?:once|when|until|till|after|soon as|if|moment) (?:i|we) (?:get|lay|put) (?:my|our) hands on (?:you|u|ya|him|her|them|(?:that|this|the|those|these) (?:${PERSON_ALT}))\\b`)],
];
/** idioms written with their own negation ("you won't see it coming") */
const NEGATED_IDIOMS: ReadonlySet<RegExp> = new Set(IDIOMS.map(([, , re]) => re).filter((re) => /won't|never|don't/.test(re.source)));
/** anchor word hash -> the idioms (indices into IDIOMS) that need it: a clause is tested only against the idioms whose anchor it holds */
const IDIOM_BY_ANCHOR = new Map<number, number[]>();
IDIOMS.forEach(([anchors], k) => {
  for (const w of words(anchors)) {
    const h = hashString(SEED_WORD, w);
    IDIOM_BY_ANCHOR.set(h, [...(IDIOM_BY_ANCHOR.get(h) ?? []), k]);
  }
});
/**
 * The word groups of each idiom as word hashes: a clause that lacks every word of a group cannot match the
 * idiom's expression, whose words are whole tokens of the clause. (A token with an apostrophe or a mask,
 * "you'll", holds a word boundary inside it; a clause with one is always tested.)
 */
const IDIOM_NEEDS: ReadonlyArray<ReadonlyArray<ReadonlySet<number>>> = IDIOMS.map(([, needs]) =>
  needs.split('|').map((group) => new Set(words(group).map((w) => hashString(SEED_WORD, w)))),
);
/** harm words: a clause without one is not read for a violent predicate */
const HARM_KEYS: ReadonlySet<number> = new Set([...BASE.keys(), ...THIRD.keys(), ...PARTICIPLE.keys(), 'die', 'dies', 'dead'].map((w) => hashString(SEED_WORD, w)));
/**
 * -ing forms ("beating", "choking"): a harm word only after "done / finish / start" in a temporal clause, so a clause
 * is read for one only when it also holds one of ING_LEADS ("my feet are killing me" is not read)
 */
const ING_KEYS: ReadonlySet<number> = new Set([...ING.keys()].filter((w) => !BASE.has(w) && !THIRD.has(w) && !PARTICIPLE.has(w)).map((w) => hashString(SEED_WORD, w)));
/** the words an -ing harm word must follow ("when I'm done beating you") */
const ING_LEAD_WORDS: ReadonlySet<string> = new Set(words('done finished through finish start begin'));
const ING_LEADS: ReadonlyArray<ReadonlySet<number>> = [new Set([...ING_LEAD_WORDS].map((w) => hashString(SEED_WORD, w)))];

/**
 * Forms of the verbs that harm only with a completion ("put", "set", "cuts", "broken"; NEEDS_COMPLETION) -> those
 * verbs, and each verb's completions as word-hash sets ("a bullet" -> {a}, {bullet, bullets}): a clause whose only
 * harm words are such forms, and that lacks every word of each of their completions, is not read for a violent
 * predicate (matchClause needs the completion's words in the clause).
 */
const NEEDS_ONLY = new Map<number, string[]>();
const COMPLETION_KEYS = new Map<string, ReadonlyArray<ReadonlyArray<ReadonlySet<number>>>>();
{
  const verbOf = (w: string): string[] => [BASE.get(w), THIRD.get(w), PARTICIPLE.get(w)].filter((v): v is string => v !== undefined);
  const free = new Set<number>(['die', 'dies', 'dead'].map((w) => hashString(SEED_WORD, w)));
  const forms = [...BASE.keys(), ...THIRD.keys(), ...PARTICIPLE.keys()];
  for (const w of forms) if (verbOf(w).some((v) => !NEEDS_COMPLETION.has(v))) free.add(hashString(SEED_WORD, w));
  for (const w of forms) {
    const h = hashString(SEED_WORD, w);
    if (!free.has(h)) NEEDS_ONLY.set(h, [...new Set([...(NEEDS_ONLY.get(h) ?? []), ...verbOf(w)])]);
  }
  for (const v of NEEDS_COMPLETION) {
    COMPLETION_KEYS.set(v, (COMPLETIONS[v] ?? []).map((seq) => seq.split(' ').map((p) => new Set([p, ...(p.length > 3 ? [p + 's'] : [])].map((x) => hashString(SEED_WORD, x))))));
  }
}

/** whether hashes[a..b) hold, for every set of `groups`, one of its hashes */
function holdsAll(hashes: ArrayLike<number>, a: number, b: number, groups: ReadonlyArray<ReadonlySet<number>>): boolean {
  for (const g of groups) {
    let found = false;
    for (let k = a; k < b && !found; k++) if (g.has(hashes[k] as number)) found = true;
    if (!found) return false;
  }
  return true;
}

// ---- sentence rules (session 8): a threat made of two clauses -----------------------------------------

/**
 * (a) A person's survival denied ("he won't make it through the winter", "X will not make it to the next election",
 * "your husband is not coming home tonight") and, in the same sentence, the writer's claim to bring it about ("I'll
 * make sure of it", "I will see to that", "if I have anything to do with it"). Not a threat: a thing's survival ("the
 * bill won't make it through the Senate"), the writer's own ("I won't live to see ..."), defeat in a contest ("won't make
 * it past the primary", "won't survive the recall vote", "won't make it to the playoffs"), or a civil means named after
 * it ("..., I'll see to it by calling my senator", "I'll campaign against him personally").
 */
const NOT_SURVIVING = /\b(?:won't|wont|will not|will never|is not going to|isn't going to|are not going to|aren't going to|ain't gonna|never gonna|is not|isn't|are not|aren't) (?:make it (to|through|past|till|until|home|out alive|another)|live (?:to see|through|past|till|until|much longer|another)|survive|be (?:around|alive|breathing|here|with us) (?:much longer|for long|long|by|next|after|tomorrow|come)|see (?:another|the next|next|tomorrow|christmas|the end|daylight|the sunrise)|wake up|(?:be )?coming home)\b((?: [\w']+){0,3})/g;
const BRINGS_ABOUT = /\b(?:(?:i'll|i will|ill|we'll|we will|i'm going to|i am going to|i'm gonna)(?: personally| myself)? (?:make sure|make certain|see to|ensure|take care)(?: of)? (?:it|that|this)\b|if (?:i|we) (?:have|had|get) (?:anything to do with it|any say|my way|our way))/;
/** contests: being beaten in one is defeat, not death ("won't make it past the primary", "won't survive the vote") */
const CONTESTS = new Set(words(`primary primaries election elections vote votes ballot round rounds recall committee senate house
  playoffs playoff final finals semifinal semifinals quarterfinal cut qualifiers qualifying audition season game match
  tournament trial review challenge reading debate confirmation hearing`));
/** contests that one "makes it to" by winning ("won't make it to the playoffs"); "make it to the next election" is to last until it */
const REACHED_CONTESTS = new Set(words(`playoffs playoff final finals semifinal semifinals quarterfinal knockout podium`));
/** a civil means named after the threat-like clause ("by calling my senator", "with my vote", "on the court") */
const CIVIL_MEANS = /\bby \w+ing\b|\b(?:campaign\w*|vote|votes|voting|ballot\w*|petition\w*|signature\w*|polls|donat\w*|volunteer\w*|canvass\w*|lawsuit|suing|impeach\w*|recall|court|courts|field|pitch|rink)\b/;

/** (b) "you'll get what's coming to you" / "what you deserve" with the writer as its deliverer ("personally delivered") */
const GETS_DESERTS = /\b(?:you|u|ya|he|she|they)(?:'ll| will| are going to| 're going to| gonna)? get (?:what's coming(?: to (?:you|u|him|her|them))?|what (?:you|he|she|they) deserve|yours)\b/;
const DELIVERED_BY_ME = /\b(?:personally delivered|delivered personally|(?:i|we)(?:'ll| will) (?:personally )?deliver it|by my (?:own )?hands?|from me personally|(?:i|we)(?:'ll| will) be the ones? (?:delivering|to deliver))\b/;

const hashSets = (spec: string): ReadonlyArray<ReadonlySet<number>> => spec.split('|').map((g) => new Set(words(g).map((w) => hashString(SEED_WORD, w))));
/** per sentence rule: its anchors (a sentence is read only with one of them) and the word groups it needs (keys: "won't" is "wont") */
const SENTENCE_RULES: ReadonlyArray<{ anchors: string; needs: ReadonlyArray<ReadonlySet<number>> }> = [
  { anchors: 'sure certain ensure care anything way see personally survive alive breathing wake live', needs: hashSets('wont not never isnt arent aint|make live survive around alive breathing here see wake coming|sure certain see ensure care anything way') },
  { anchors: 'personally delivered deliver hands', needs: hashSets('coming deserve yours|personally delivered deliver hand hands') },
];
/** anchor word hash -> bit mask of the sentence rules it anchors */
const SENTENCE_ANCHORS = new Map<number, number>();
SENTENCE_RULES.forEach(({ anchors }, r) => {
  for (const w of words(anchors)) {
    const h = hashString(SEED_WORD, w);
    SENTENCE_ANCHORS.set(h, (SENTENCE_ANCHORS.get(h) ?? 0) | (1 << r));
  }
});

/** whether ws[c0..k) (the words before a predicate in its clause) name a person other than the writer */
function personSubject(ws: readonly string[], c0: number, k: number): boolean {
  if (k <= c0 || k - c0 > 6) return false;
  for (let j = c0; j < k; j++) if (FIRST_PERSON.has(ws[j] as string) || ws[j] === 'me') return false;
  for (let j = c0; j < k; j++) {
    const w = ws[j] as string;
    if (SUBJECT_TARGETS.has(w) || isPersonWord(w)) return true;
  }
  // a name ("Hendricks won't make it ..."): one or two plain words, not a determiner's noun phrase ("the bill", "my old car")
  return k - c0 <= 2 && !OBJECT_LEAD.has(ws[c0] as string) && ws.slice(c0, k).every((w) => /^[a-z]+$/.test(w));
}

/** the sentence rules `rules` (bit mask) over the sentence ws[s0..s1): a match per rule that holds */
function sentenceMatches(tk: Tokens, ws: readonly string[], s0: number, s1: number, rules: number): ThreatMatch[] {
  const { s, at } = joined(ws, s0, s1);
  const out: ThreatMatch[] = [];
  const idiom = (first: number, last: number): ThreatMatch => ({ kind: 'idiom', first, last, negated: false, violentFirst: -1, violentLast: -1 });
  if ((rules & 1) !== 0) {
    const by = BRINGS_ABOUT.exec(s);
    if (by !== null) {
      NOT_SURVIVING.lastIndex = 0;
      for (let m = NOT_SURVIVING.exec(s); m !== null; m = NOT_SURVIVING.exec(s)) {
        const t = at[m.index] as number;
        const after = words(m[2] ?? '');
        const prep = m[1];
        if (after.some((w) => CONTESTS.has(w) && (prep !== 'to' || REACHED_CONTESTS.has(w)))) continue;
        let c0 = t;
        while (c0 > s0 && tk.clause[c0 - 1] === tk.clause[t]) c0--;
        if (!personSubject(ws, c0, t)) continue;
        // a civil means anywhere after the predicate's clause
        let c1 = t;
        while (c1 < s1 && tk.clause[c1] === tk.clause[t]) c1++;
        if (c1 < s1 && CIVIL_MEANS.test(s.slice(at.indexOf(c1)))) continue;
        // the claim may come first ("if I have my way, he won't make it home")
        const byFirst = at[by.index] as number;
        const byLast = at[by.index + by[0].length - 1] as number;
        out.push(idiom(Math.min(t, byFirst), Math.max(Math.min(at[m.index + m[0].length - 1] as number, c1 - 1), byLast)));
        break;
      }
    }
  }
  if ((rules & 2) !== 0) {
    const g = GETS_DESERTS.exec(s);
    const d = g === null ? null : DELIVERED_BY_ME.exec(s);
    if (g !== null && d !== null) out.push(idiom(at[g.index] as number, at[Math.max(g.index + g[0].length, d.index + d[0].length) - 1] as number));
  }
  return out;
}

// ---- gate: only clauses with a trigger word are read ------------------------------------------------

const TRIGGER_KEYS: ReadonlySet<number> = new Set(
  [...HARM_KEYS, ...ING_KEYS, ...IDIOM_BY_ANCHOR.keys(), ...SENTENCE_ANCHORS.keys()],
);

/** a 64K-entry filter on the low bits of the trigger hashes: most words are turned away without a set lookup */
const TRIGGER_FILTER: Uint8Array = (() => {
  const f = new Uint8Array(1 << 16);
  for (const h of TRIGGER_KEYS) f[h & 0xffff] = 1;
  return f;
})();
const isTrigger = (h: number): boolean => TRIGGER_FILTER[h & 0xffff] === 1 && TRIGGER_KEYS.has(h);

// ---- matching ---------------------------------------------------------------------------------------

const startsWith = (ws: readonly string[], at: number, end: number, seq: string): number => {
  // length of the match of `seq` (words, '*' = any one word) at ws[at..end), or 0
  const parts = seq.split(' ');
  if (at + parts.length > end) return 0;
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k] as string;
    const w = ws[at + k] as string;
    if (p !== '*' && w !== p && !(p.length > 3 && w === p + 's')) return 0;
  }
  return parts.length;
};

const POSSESSIVE_PRONOUNS = new Set(words(`your ur his her their yer`));
const isPossessive = (w: string): boolean => w.endsWith("'s") || w.endsWith("s'");
const isPersonWord = (w: string): boolean => PERSON_NOUNS.has(w) || PERSON_NOUNS.has(w.replace(/'/g, ''));

/**
 * The object after a verb at ws[from..end): index of the last word of a person target within the next
 * few words, or -1. Stops at a preposition or a possessive (the mayor's portrait is not the mayor).
 */
function objectTarget(ws: readonly string[], from: number, end: number): number {
  for (let k = from; k < Math.min(end, from + 6); k++) {
    const w = ws[k] as string;
    if (PRONOUN_TARGETS.has(w)) {
      // "every one of them", "them all"
      let j = k;
      while (j + 1 < end && (ws[j + 1] === 'all' || ws[j + 1] === 'both')) j++;
      return j;
    }
    if (isPossessive(w)) return -1;
    if (isPersonWord(w)) {
      let j = k;
      while (j + 1 < end && isPersonWord(ws[j + 1] as string)) j++;
      return j;
    }
    if (!OBJECT_LEAD.has(w) && k > from + 2) return -1;
    if (PREPOSITIONS.has(w)) return -1;
  }
  return -1;
}

/** a person word among ws[a..b) (the subject of a passive or normative frame), or -1 */
function subjectTarget(ws: readonly string[], a: number, b: number): number {
  for (let k = b - 1; k >= a; k--) {
    const w = ws[k] as string;
    if (isPossessive(w)) continue;
    if (SUBJECT_TARGETS.has(w) || PRONOUN_TARGETS.has(w) || isPersonWord(w)) return k;
  }
  return -1;
}

/** words that end a negator's scope: "don't be surprised when we ...", "I don't care, and I will ..." */
const SCOPE_BREAK = new Set(words(`when if because before after until unless while but and so then or once whenever`));

/** the negator that blocks the verb at ws[i] in clause [a, i), or -1 */
function negatorBefore(ws: readonly string[], a: number, i: number): number {
  for (let k = i - 1; k >= a && !SCOPE_BREAK.has(ws[k] as string); k--) {
    const w = ws[k] as string;
    if (!NEGATORS.has(w) && !(w === 'one' && ws[k - 1] === 'no')) continue;
    if (NEGATION_EXCEPT.has(ws[k + 1] as string)) continue;
    // "not only", "no doubt", "no matter": not a negation of the verb
    if (ws[k + 1] === 'only' || ws[k + 1] === 'doubt' || ws[k + 1] === 'matter' || ws[k + 1] === 'mercy' || ws[k + 1] === 'more') continue;
    return k;
  }
  return -1;
}
const negatedBefore = (ws: readonly string[], a: number, i: number): boolean => negatorBefore(ws, a, i) >= 0;

/** subject pronouns: one between a negator and the verb opens another statement (unpunctuated text) */
const NEW_SUBJECTS = new Set(words(`i we he she they i'm we're he's she's they're im i'll we'll he'll she'll they'll i'd we'd`));

/**
 * How the verb at ws[i] is negated: 'none'; 'frame', a negation of its frame ("I would never kill", "nobody should
 * hang"); 'other', a negator with another subject between it and the verb ("they will never advance ... i hope they all
 * die"), which blocks a threat but is not read as ruling it out.
 */
function negation(ws: readonly string[], a: number, i: number): 'none' | 'frame' | 'other' {
  const k = negatorBefore(ws, a, i);
  if (k < 0) return 'none';
  for (let j = k + 1; j < i; j++) if (NEW_SUBJECTS.has(ws[j] as string)) return 'other';
  return 'frame';
}

/** words after "shoot <pronoun>" that open a thing handed over ("shoot you the photos") */
const SHOOT_GIVEN = new Set(words(`the some those these my our over`));

function harmlessAfter(verb: string, ws: readonly string[], at: number, end: number): boolean {
  for (const seq of HARMLESS_AFTER[verb] ?? []) if (startsWith(ws, at, end, seq) > 0) return true;
  // "shoot you an email": a pronoun then an object
  if (verb === 'shoot' && PRONOUN_TARGETS.has(ws[at] as string)) {
    for (const seq of HARMLESS_AFTER.shoot ?? []) if (startsWith(ws, at + 1, end, seq) > 0) return true;
    // "I'll shoot you the photos": something handed over
    if (SHOOT_GIVEN.has(ws[at + 1] as string)) return true;
  }
  return false;
}

/** end (exclusive) of the completion a verb needs, starting in ws[at..at+6), or 0 (at, for a verb that needs none) */
function completion(verb: string, ws: readonly string[], at: number, end: number): number {
  const need = COMPLETIONS[verb];
  if (need === undefined) return at;
  for (let k = at; k < Math.min(end, at + 6); k++) {
    for (const seq of need) {
      const n = startsWith(ws, k, end, seq);
      if (n > 0) return k + n;
    }
  }
  return 0;
}

interface Frame {
  /** 'negative': a negative subject's intent ("nobody is going to"), only ever a negated construction */
  kind: 'intent' | 'normative' | 'imperative' | 'negative';
  /** first word of the frame ("I" of "I will", "should", or the imperative verb itself) */
  at: number;
}

/** the frame of a base-form verb at ws[i] in clause [a, i) */
function activeFrame(ws: readonly string[], a0: number, i: number): Frame | null {
  let a = a0;
  for (let k = i - 1; k > a0; k--) if (SUBORDINATORS.has(ws[k] as string)) {
    a = k + 1;
    break;
  }
  if (a > a0 && a === i) return null;
  let first = -1;
  for (let k = a; k < i; k++) if (FIRST_PERSON.has(ws[k] as string) || (ws[k] === 'me' && ws[k + 1] === 'and')) first = first < 0 ? k : first;
  if (first >= 0) {
    const fw = ws[first] as string;
    if (fw.endsWith("'ll") || fw.endsWith("'d") || fw === 'ima' || fw === 'imma' || fw === 'lemme' || fw === "let's" || fw === 'lets') return { kind: 'intent', at: first };
    for (let k = first + 1; k < i; k++) {
      if (OTHER_SUBJECTS.has(ws[k] as string) || PAST_AUX.has(ws[k] as string)) break;
      if (INTENT.has(ws[k] as string) || (ws[k] as string).endsWith("'ll")) return { kind: 'intent', at: first };
    }
    // "I'm driving over there to kill ..."; "we are here to ..."
    if ((fw === "i'm" || fw === 'im' || fw === "we're" || ws[first + 1] === 'am' || ws[first + 1] === 'are') && ws[i - 1] === 'to') return { kind: 'intent', at: first };
  }
  for (let k = a; k < i; k++) if (NORMATIVE.has(ws[k] as string) || (ws[k] === 'have' && ws[k + 1] === 'to') || (ws[k] === 'has' && ws[k + 1] === 'to')) return { kind: 'normative', at: k };
  // a negative subject's intent ("nobody is going to", "no one wants to", "none of us will"): always negated, so it is
  // never a threat, only a negated construction
  const neg = ws[a] === 'nobody' || ws[a] === 'noone' || ws[a] === 'none' || (ws[a] === 'no' && ws[a + 1] === 'one') ? a : -1;
  if (neg >= 0 && !ws.slice(neg + 1, i).some((x) => SCOPE_BREAK.has(x))) {
    for (let k = neg + 1; k < i; k++) if (INTENT.has(ws[k] as string) || ws[k] === 'is' || ws[k] === 'are') return { kind: 'negative', at: neg };
  }
  if (ws[i - 1] === 'to' && ws[i - 2] === 'time') return { kind: 'normative', at: i - 2 };
  // imperative: the verb opens the clause, or follows an imperative lead ("just", "go", "and") in a clause without a subject
  if (i === a) return { kind: 'imperative', at: i };
  let lead = true;
  for (let k = a; k < i; k++) if (!IMPERATIVE_LEAD.has(ws[k] as string)) lead = false;
  if (lead) return { kind: 'imperative', at: i };
  if (ws[i - 1] === 'and' && !SUBJECTS.has(ws[a] as string)) {
    // "Round up the X and kill ...": the clause opens with a verb (not a subject)
    for (let k = a; k < i - 1; k++) if (SUBJECTS.has(ws[k] as string)) return null;
    return { kind: 'imperative', at: i };
  }
  return null;
}

/** openers of a temporal clause whose first-person verb is the writer's plan when the sentence speaks of the future */
const TEMPORAL = new Set(words(`when whenever once after before until till`));
/** words allowed between the first person and the verb of a temporal clause ("once I finally get to kill", "after I'm done beating") */
const TEMPORAL_FILLER = new Set(words(`am are 'm done finished through finish start begin get to finally actually have`));
/** future markers of a sentence: the other clause of "nobody will miss you when I kill you" */
const FUTURE = new Set(words(`will won't wont shall gonna going wait`));

/**
 * The frame of a violent verb at ws[i] in a temporal clause ("when I kill you", "after I'm done beating you", "once I
 * start choking you") of a sentence that speaks of the future elsewhere ("nobody will miss you ...", "you'll beg ...",
 * "wait until ..."): the writer's plan, so an intent frame at the temporal word. `ing`: the verb is an -ing form,
 * which counts only after "done / finish / start" ("when I'm done beating you").
 */
function temporalFrame(tk: Tokens, ws: readonly string[], a: number, i: number, ing: boolean): Frame | null {
  let k = i - 1;
  while (k > a && TEMPORAL_FILLER.has(ws[k] as string)) k--;
  const fw = ws[k] as string;
  if (k <= a - 1 || !(fw === 'i' || fw === 'we' || fw === "i'm" || fw === "we're" || fw === 'im')) return null;
  if (ing && !ING_LEAD_WORDS.has(ws[i - 1] as string)) return null;
  // the opener: a temporal word, "as soon as", "by the time", "the moment"
  const o = k - 1;
  const op = ws[o] as string;
  const opens = o >= 0 && tk.sentence[o] === tk.sentence[i] && (TEMPORAL.has(op) || (op === 'as' && ws[o - 1] === 'soon') || (op === 'time' && ws[o - 1] === 'the' && ws[o - 2] === 'by') || (op === 'moment' && ws[o - 1] === 'the'));
  if (!opens) return null;
  let s0 = a;
  let s1 = i;
  while (s0 > 0 && tk.sentence[s0 - 1] === tk.sentence[a]) s0--;
  while (s1 < ws.length && tk.sentence[s1] === tk.sentence[a]) s1++;
  for (let j = s0; j < s1; j++) {
    if (j >= o && j <= i) continue;
    const w = ws[j] as string;
    if (FUTURE.has(w) || w.endsWith("'ll")) return { kind: 'intent', at: op === 'time' || op === 'as' ? o - 2 : op === 'moment' ? o - 1 : o };
  }
  return null;
}

function insideQuotes(tk: Tokens, i: number): boolean {
  const t = tk.norm.text;
  const at = tk.start[i] as number;
  let n = 0;
  for (let k = 0; k < at; k++) {
    const c = t.charCodeAt(k);
    if (c === 34 || c === 0x201c || c === 0x201d) n++;
  }
  return n % 2 === 1;
}

/**
 * The threat construction of clause [a, b) of the tokens, with ws the words of the text: the first one that
 * no negation blocks, or else the first one blocked only by a negation of its frame (`negated`).
 */
function matchClause(tk: Tokens, ws: readonly string[], a: number, b: number): ThreatMatch | null {
  let negatedMatch: ThreatMatch | null = null;
  const harm = (first: number, last: number, neg: 'none' | 'frame' | 'other', violentFirst: number, violentLast: number): ThreatMatch | null => {
    const m: ThreatMatch = { kind: 'harm', first, last, negated: neg !== 'none', violentFirst, violentLast };
    if (neg === 'none') return m;
    if (neg === 'frame') negatedMatch ??= m;
    return null;
  };
  for (let i = a; i < b; i++) {
    const w = ws[i] as string;
    // (1) active: base form after a frame, or imperative; an -ing form only in a temporal clause
    const base = BASE.get(w) ?? null;
    const third = base === null ? (THIRD.get(w) ?? null) : null;
    const ing = base === null && third === null ? (ING.get(w) ?? null) : null;
    const verb0 = base ?? third ?? ing;
    const needs = verb0 !== null ? NEEDS_COMPLETION.has(verb0) : false;
    // (cheap tests first: most "put", "set", "run", "cut" have no violent completion)
    if (verb0 !== null && !(i > a && NOUN_BEFORE.has(ws[i - 1] as string)) && (!needs || completion(verb0, ws, i + 1, b) > 0)) {
      const verb = verb0;
      let frame = ing === null ? activeFrame(ws, a, i) : null;
      // "nobody will miss you when I kill you": the violent verb in a temporal clause of a sentence about the future
      if (frame === null && third === null) frame = temporalFrame(tk, ws, a, i, ing !== null);
      // a clause that opens a list after a negated clause of its sentence ("we are not going to shut it all off, kill billions")
      if (frame !== null && frame.kind === 'imperative' && i === a && a > 0 && tk.sentence[a - 1] === tk.sentence[a]) {
        for (let k = a - 1; k >= 0 && tk.sentence[k] === tk.sentence[a]; k--) if (NEGATORS.has(ws[k] as string)) frame = null;
      }
      // a third-person form only after a wish ("I hope someone kills him")
      const ok = third === null ? frame !== null : frame !== null && frame.kind === 'normative' && ws.slice(a, i).some((x) => x === 'hope' || x === 'wish' || x === 'pray');
      const neg = ok ? negation(ws, a, i) : 'none';
      // a negative subject's frame is only ever a negated construction
      if (ok && !(neg !== 'frame' && (frame as Frame).kind === 'negative') && !harmlessAfter(verb, ws, i + 1, b) && !insideQuotes(tk, i)) {
        const tgt = objectTarget(ws, i + 1, b);
        const done = NEEDS_COMPLETION.has(verb) || COMPLETIONS[verb] !== undefined ? completion(verb, ws, i + 1, b) : i + 1;
        const completionOk = !NEEDS_COMPLETION.has(verb) || done > 0;
        const violentLast = Math.max(i, done - 1);
        if (completionOk && tgt >= 0) {
          const m = harm((frame as Frame).at, Math.max(tgt, done - 1), neg, i, violentLast);
          if (m !== null) return m;
          continue;
        }
        // "put a bullet in that mayor": the target follows the completion
        if (completionOk && NEEDS_COMPLETION.has(verb) && done > 0) {
          const t2 = objectTarget(ws, done, b);
          const t3 = ws[done] === 'in' || ws[done] === 'into' || ws[done] === 'through' ? objectTarget(ws, done + 1, b) : -1;
          // "slit that landlord's throat", "break your neck": a person's possessive before the completion
          let t = Math.max(t2, t3);
          for (let k = i + 1; k < done && t < 0; k++) {
            const x = ws[k] as string;
            if (POSSESSIVE_PRONOUNS.has(x) || (isPossessive(x) && isPersonWord(x.slice(0, -2)))) t = done - 1;
          }
          if (t >= 0) {
            const m = harm((frame as Frame).at, t, neg, i, violentLast);
            if (m !== null) return m;
            continue;
          }
        }
      }
    }
    // (2) passive in a normative frame: "X ought to be hanged", "X deserves to get shot", "make sure X gets hanged"
    const part = PARTICIPLE.get(w) ?? null;
    if (part !== null && i > a) {
      let aux = i - 1;
      if (!PASSIVE_AUX.has(ws[aux] as string) && aux > a && PASSIVE_AUX.has(ws[aux - 1] as string)) aux--; // one adverb between
      if (PASSIVE_AUX.has(ws[aux] as string) && !harmlessAfter(part, ws, i + 1, b) && !insideQuotes(tk, i)) {
        let frameAt = -1;
        let from = a;
        for (let k = aux - 1; k > a; k--) if (SUBORDINATORS.has(ws[k] as string) && ws[k] !== 'that') {
          from = k + 1;
          break;
        }
        for (let k = from; k < aux; k++) {
          const x = ws[k] as string;
          if (NORMATIVE.has(x) || x === 'sure' || ((x === 'will' || x.endsWith("'ll")) && SUBJECT_TARGETS.has(ws[k - 1] as string)) || x === "you'll") frameAt = k;
        }
        const partDone = NEEDS_COMPLETION.has(part) ? completion(part, ws, i + 1, b) : i + 1;
        if (frameAt >= 0 && partDone > 0) {
          const subj = subjectTarget(ws, a, aux);
          if (subj >= 0) {
            const m = harm(Math.min(subj, frameAt), Math.max(i, partDone - 1), negation(ws, a, i), i, Math.max(i, partDone - 1));
            if (m !== null) return m;
            continue;
          }
        }
      }
    }
    // (3) "X should die", "X deserves to die", "I hope you die", "X should be dead", "I want you dead"
    if ((w === 'die' || w === 'dies' || w === 'dead') && i > a && !insideQuotes(tk, i)) {
      let frameAt = -1;
      for (let k = a; k < i; k++) if (NORMATIVE.has(ws[k] as string) || (ws[k] === 'want' && FIRST_PERSON.has(ws[k - 1] as string))) frameAt = k;
      // "I hope you die": the one who dies follows a wish; "X should die": it precedes the frame
      const wish = frameAt >= 0 && /^(?:hope|hoping|hoped|wish|pray|praying|want)$/.test(ws[frameAt] as string);
      const subj = frameAt < 0 ? -1 : wish ? subjectTarget(ws, frameAt + 1, i) : subjectTarget(ws, a, frameAt);
      const next = ws[i + 1];
      const figurative = next === 'for' || next === 'laughing' || next === 'of' || next === 'down' || next === 'out' || next === 'off' || next === 'on';
      if (subj >= 0 && !figurative && (w !== 'dead' || ws[i - 1] === 'be' || PRONOUN_TARGETS.has(ws[i - 1] as string) || isPersonWord(ws[i - 1] as string))) {
        const m = harm(Math.min(subj, frameAt), i, negation(ws, a, i), i, i);
        if (m !== null) return m;
      }
    }
  }
  return negatedMatch;
}

/** The words ws[a..b) joined by single spaces, and the token index of each character. */
function joined(ws: readonly string[], a: number, b: number): { s: string; at: number[] } {
  let s = '';
  const at: number[] = [];
  for (let k = a; k < b; k++) {
    if (k > a) {
      s += ' ';
      at.push(k);
    }
    const w = ws[k] as string;
    s += w;
    for (let c = 0; c < w.length; c++) at.push(k);
  }
  return { s, at };
}

function idiomMatch(ws: readonly string[], a: number, b: number, candidates: readonly number[]): ThreatMatch | null {
  const { s, at } = joined(ws, a, b);
  for (const idx of candidates) {
    const re = (IDIOMS[idx] as readonly [string, string, RegExp])[2];
    const m = re.exec(s);
    if (m === null || m[0].trim().length === 0) continue;
    const first = at[m.index + (m[0].startsWith(' ') ? 1 : 0)] as number;
    const last = at[Math.max(m.index, m.index + m[0].trimEnd().length - 1)] as number;
    // a negated idiom ("I don't know where you live", "you won't regret it") is not a threat, unless the idiom
    // itself is written with the negation ("you won't see it coming")
    if (!NEGATED_IDIOMS.has(re) && negatedBefore(ws, a, last + 1)) continue;
    return { kind: 'idiom', first, last, negated: false, violentFirst: -1, violentLast: -1 };
  }
  return null;
}

/** fills ws with the words of sentence `sent`, once */
function buildWords(tk: Tokens, ws: string[], built: Uint8Array, sent: number): void {
  if (built[sent] === 1) return;
  built[sent] = 1;
  for (let k = 0; k < ws.length; k++) if (tk.sentence[k] === sent) ws[k] = tokenWord(tk, k);
}

/**
 * Threat constructions of a text: at most one threat per clause (a 'harm' match wins over an idiom in the
 * same clause), and the negated 'harm' constructions (`negated`, of clauses without a 'harm' threat). `hashes` are the tokens' word hashes (features.ts `wordHash`), used to skip texts that hold
 * no trigger word without building any string.
 */
export function findThreats(tk: Tokens, hashes: ArrayLike<number>): ThreatMatch[] {
  const T = tk.start.length;
  // one array literal for every return: V8 then gives every result the same array kind (an empty `[]` of its own
  // is an array of small integers, and the scorer's optimized code deoptimized again and again on the two kinds)
  const out: ThreatMatch[] = [];
  let any = false;
  for (let i = 0; i < T && !any; i++) if (isTrigger(hashes[i] as number)) any = true;
  if (!any) return out;
  // words are built only for the sentences of clauses that hold a trigger
  const ws: string[] = new Array<string>(T).fill('');
  const built = new Uint8Array(tk.sentences);
  let a = 0;
  let s0 = 0; // first token of the current sentence
  let sentenceRules = 0; // the sentence rules anchored in the current sentence so far
  while (a < T) {
    const c = tk.clause[a] as number;
    if (a > 0 && tk.sentence[a] !== tk.sentence[a - 1]) {
      s0 = a;
      sentenceRules = 0;
    }
    let b = a;
    let harm = false;
    let needsOnly: string[] | null = null;
    let candidates: number[] | null = null;
    let marked = false; // a token with an apostrophe or a mask inside it
    let ingSeen = false;
    while (b < T && tk.clause[b] === c) {
      const h = hashes[b] as number;
      if (isTrigger(h)) {
        if (HARM_KEYS.has(h)) {
          const verbs = NEEDS_ONLY.get(h);
          if (verbs === undefined) harm = true;
          else needsOnly = needsOnly === null ? verbs : [...needsOnly, ...verbs];
        }
        const ids = IDIOM_BY_ANCHOR.get(h);
        if (ids !== undefined) candidates = candidates === null ? [...ids] : [...candidates, ...ids];
        sentenceRules |= SENTENCE_ANCHORS.get(h) ?? 0;
        if (ING_KEYS.has(h)) ingSeen = true;
      }
      if ((tk.end[b] as number) - (tk.start[b] as number) !== (tk.keyStart[b + 1] as number) - (tk.keyStart[b] as number)) marked = true;
      b++;
    }
    // cheap gates before building the clause's words: a verb that needs a completion ("put", "set") counts only
    // with all the words of one of its completions in the clause; an idiom only with a word of each of its groups
    if (!harm && needsOnly !== null) harm = needsOnly.some((v) => (COMPLETION_KEYS.get(v) ?? []).some((seq) => holdsAll(hashes, a, b, seq)));
    if (!harm && ingSeen) harm = holdsAll(hashes, a, b, ING_LEADS);
    if (candidates !== null && !marked) {
      candidates = candidates.filter((k) => holdsAll(hashes, a, b, IDIOM_NEEDS[k] as ReadonlyArray<ReadonlySet<number>>));
      if (candidates.length === 0) candidates = null;
    }
    const sent = tk.sentence[a] as number;
    if (harm || candidates !== null) {
      buildWords(tk, ws, built, sent);
      const m = harm ? matchClause(tk, ws, a, b) : null;
      if (m !== null) out.push(m);
      if ((m === null || m.negated) && candidates !== null) {
        const idiom = idiomMatch(ws, a, b, [...new Set(candidates)].sort((x, y) => x - y));
        if (idiom !== null) out.push(idiom);
      }
    }
    // at the sentence's last clause: the sentence rules whose word groups are all in the sentence
    if (sentenceRules !== 0 && (b === T || tk.sentence[b] !== sent)) {
      let rules = 0;
      SENTENCE_RULES.forEach(({ needs }, r) => {
        if ((sentenceRules & (1 << r)) !== 0 && holdsAll(hashes, s0, b, needs)) rules |= 1 << r;
      });
      if (rules !== 0) {
        buildWords(tk, ws, built, sent);
        out.push(...sentenceMatches(tk, ws, s0, b, rules));
      }
    }
    a = b;
  }
  return out;
}

/**
 * The threat logit a matched construction guarantees (classifier.ts takes the max with the model's
 * logit). Chosen in docs/model-card.md, "Engine v4".
 */
export const THREAT_FLOOR: Readonly<Record<ThreatMatch['kind'], number>> = { harm: 1.5, idiom: 1.0 };

/**
 * Share kept of the harmful contribution of a negated construction's violent words ("I would never *kill*
 * ...") to NEGATED_THREAT_LABELS (classifier.ts, with scope.ts's `lowerInScope`). Chosen on the dev cases
 * of training/threat-dev.ts, not on the functional suite (docs/model-card.md, "Engine v4: negated threats").
 */
export const NEGATED_THREAT_KEEP = 0.25;

/** Labels whose contributions of a negated construction's violent words are lowered: toxic, severe_toxic, threat, insult, identity_hate (not obscene). */
export const NEGATED_THREAT_LABELS: readonly number[] = [0, 1, 3, 4, 5];
