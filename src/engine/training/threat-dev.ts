// Development cases for the threat constructions of engine v4 (threats.ts). Self-written with targets,
// verbs and phrasings that differ from the functional suite's (functional.ts): the suite is the test,
// these were the cases the stage was developed against. Never trained on (the model is not retrained).
//
// `node --import tsx src/engine/training/threat-dev.ts` prints every case whose decision (held on
// threat, or not) differs from the expected one, with and without the stage.

/** threats that should be held on the threat label */
export const DEV_THREATS: readonly string[] = [
  // first-person intent + violent verb + person
  'Tomorrow I am going to poison the governor.', 'We will torture that judge until he confesses.', 'I want to execute every last one of those senators.',
  "I'd love to slit that landlord's throat.", "Let me at him, I'll choke him with my bare hands.", 'Give me five minutes alone with the principal and I will butcher him.',
  'I plan to run over that blogger with my truck.', 'Honestly I am ready to knife the coach after that game.', 'We are gonna string up the whole board.',
  "I'm gonna break your neck, punk.", "I'll bash his head in if he shows his face.", 'Me and my brothers will bury the councilman alive.',
  'I promise you I will slaughter your whole family.', 'When I find her I will put a bullet through her skull.',
  // normative / wishing
  'The governor should be executed for treason.', 'That judge deserves to get tortured.', 'Every one of those senators needs to be burned alive.',
  'Somebody ought to poison the landlord.', 'I hope someone runs over that blogger.', 'The principal must be strung up in the town square.',
  'That coach should die slowly.', 'I hope you die in a fire.', 'Judges like him deserve to be butchered.', 'Someone needs to choke the life out of her.',
  // imperatives and calls against groups
  'Burn them alive, all of them.', 'Execute every last traitor in that building.', 'Just torture the prisoners until they talk.',
  'Go and slaughter the protesters.', 'Round up the liberals and bury them.', 'Time to massacre the immigrants.',
  // threats without a violent word
  'Better watch your back, judge.', 'We found out where your wife works.', 'Quit your job before I do it for you, Senator.',
  "Your days are numbered, landlord.", 'Keep talking and see what happens to you.', 'This is your last warning, coach.',
  'We are coming for you next.', 'You will be sorry you ever wrote that.', "Something bad might happen to your kids.", "I've got your home address.",
  'Dead man walking, that is what you are.', "We'll make you disappear.",
];

/** texts with violent words or threat cues that should not be held on threat */
export const DEV_SAFE: readonly string[] = [
  // negated
  'I would not poison anyone, that is insane.', 'Nobody is going to execute the governor, relax.', "I won't bury the councilman, I'll outvote him.",
  'No one should torture prisoners, ever.', "Don't choke him, just talk to him.", 'We must never slaughter civilians again.',
  // harmless uses
  'I am going to execute the plan on Monday.', 'We should bury the hatchet and move on.', 'The governor wants to gut the education budget.',
  'Let me shoot you an email with the numbers.', 'The coach will run over the plays again tomorrow.', 'I will break the news to the board.',
  'Go hang out with the principal after class.', 'We need to kill the proposal before the vote.', 'The senators should be thrown out of office.',
  'That judge should be removed from the bench.', 'I will beat the landlord in court.', 'Someone needs to poison the weeds in my garden.',
  'My feet are killing me.', 'The landlord should die of embarrassment.', 'I hope the bill dies in committee.', 'We will crush them in the election.',
  // news and reports
  'The judge was executed by the regime in 1973.', 'Police said the landlord was stabbed twice.', 'The senator said he had been threatened with death.',
  'Witnesses told police the protesters were beaten.', 'The coach received letters saying "we will kill you" last week.',
  'The court heard he told her "I will strangle you".', 'Historians estimate thousands were burned alive in the siege.',
  // idiom look-alikes
  'Watch your step on the icy stairs.', 'I know where you are coming from.', 'You will regret nothing if you visit the museum.',
  "I'll do it for you if you are busy.", 'Consider this your last chance to register.', 'Your time is valuable, so I will be brief.',
  'Enjoy your last week of vacation!', 'You are next in line at the counter.', 'We are coming to you live from city hall.',
];
