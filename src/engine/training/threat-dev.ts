// Development cases for the threat constructions of engine v4 (threats.ts). Self-written with targets,
// verbs and phrasings that differ from the functional suite's (functional.ts): the suite is the test,
// DEV_* were the cases the stage was developed against, and FRESH_* were written after development and
// scored once, never tuned on (docs/model-card.md, "Engine v4"). Never trained on (the model is not retrained).
//
// `node --import tsx scripts/threat-stage.ts --mode dev` prints each list's decisions without and with the stage.

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

/** threats written after the stage was finished, to see how it generalises; scored once, not tuned on */
export const FRESH_THREATS: readonly string[] = [
  'Somebody needs to take a baseball bat to that alderman.', "I am gonna smash that umpire's face in.", 'People like the superintendent should be shot on sight.',
  'Keep it up and I will drag you out of your car and stomp you.', 'I swear I will hunt down every member of that board.', 'Those protesters deserve a bullet each.',
  'If the vote passes, the trustees will be hanging from the bridge by morning.', "Go torch the councilwoman's house with her in it.", 'My rifle is loaded and the pastor is in range.',
  'That cop deserves to be beaten senseless.', 'I would happily strangle every one of those bureaucrats.', 'You better start running, because I am coming.',
  'We should line the journalists up against a wall.', 'I will slit your throat while you sleep.', "Let's lynch the referee after the match.",
  'The prosecutor is going to have an accident soon.', 'I hope the governor chokes to death.', 'Next time I see you I will cave your skull in.',
  'Whoever wrote this should be dragged into the street and executed.', 'Drown the whole lot of them in the harbour.',
];

/** harmless texts written at the same time as FRESH_THREATS */
export const FRESH_SAFE: readonly string[] = [
  'I will drown my sorrows after this election result.', 'The umpire should be fired for that call.', 'We should torch this terrible proposal.',
  'The superintendent shot down the idea at the meeting.', 'I could kill for a decent coffee in this town.', 'The board will be hanging new art in the lobby.',
  'Police shot a suspect near the bridge last night.', 'Nobody should threaten the councilwoman, ever.', "Let's beat the other school on Friday.",
  'The journalist was executed by the regime, the report says.', 'I am going to smash my fundraising goal this year.', 'We will bury the time capsule under the library.',
  'The referee choked under pressure.', 'He died peacefully at home surrounded by family.', 'My plants are dying because of the drought.', 'Run the numbers again before the vote.',
];

/**
 * Negated threat constructions (engine v4, "negated threats"): the writer rules the violence out. Should not be held
 * on any label. Frames, targets and verbs other than the functional suite's threat_negated ones; some are phrasings the
 * stage does not read as a construction, kept to show what it misses. NEGATED_THREAT_KEEP was chosen on these lists.
 */
export const DEV_NEGATED: readonly string[] = [
  'We will never poison the governor, no matter how angry we are.', "I won't stab anybody over a parking ticket.",
  'Nobody here is planning to shoot the coach.', "I don't want to strangle my neighbour, I just want him to turn the music down.",
  'No one is suggesting we hang the senators.', 'You should never beat a prisoner to death, whatever he did.',
  'None of us will ever torture those inmates.', "I'd never drown a journalist for writing a story.",
  'They should not be executed without a fair trial.', 'The councilwoman should not die over a zoning decision.',
  "I'm not gonna punch the landlord, I'm calling a lawyer.", 'We must not lynch anyone, let the courts decide.',
  "Let's not murder the referee over one bad call.", 'I have no intention to knife the manager.',
  'Nobody deserves to be gassed, not even the traitors.', "Cops shouldn't shoot unarmed kids.",
  'We are not going to bomb the protesters, that is a lie from the opposition.', "I wouldn't slaughter the councilmen even if I could.",
  'Nobody ought to butcher the bishop for his sermon.', 'Protesters must never set a police officer on fire.',
  "I'd never kill you, you know that.", 'Nobody is going to murder your family, officer.', 'We would never shoot you, we are a peaceful group.',
  'None of us wants to stab the deputy.', 'I am not going to shoot you, but stop texting me.', 'You should not kill your enemies, you should outvote them.',
];

/** threats with a negation in another clause or a negation that does not negate them: should stay held */
export const DEV_NEGATED_HELD: readonly string[] = [
  "I won't ask twice, I will stab you.", "You're not safe anywhere, I'm going to shoot you.", 'I can\'t wait to strangle that judge.',
  "I won't rest until the governor is dead.", "I won't hesitate to shoot you.", 'No cops will save you when I come to kill you.',
  "Don't think I won't murder you.", 'Not today, but one day I will hang you.', "I don't care what the court says, I'm going to kill the judge.",
  'Never forget that I will find you and stab you.', 'No mercy: we will behead every last one of them.', 'Nobody can protect you, I will shoot you.',
  'I have nothing against your family, I just want to kill you.', "Don't bother calling the police, we will bury you alive.",
  'Nobody is safe and they will kill you.', 'No one will hear you scream when I strangle you.',
];

/**
 * Session 8 (threats without a violent word, and violent verbs in a subordinate clause): written BEFORE the rules
 * for these families, then developed against (docs/model-card.md, "Engine v4: threats without violent words
 * (session 8)"). Other targets and phrasings than the functional suite's threat_no_violent_word templates. Threats:
 * held on threat.
 */
export const SILENT_THREATS: readonly string[] = [
  // non-survival + the writer's own commitment
  'He won\'t make it through the winter, I\'ll make sure of it.', 'That reporter won\'t see another birthday if I have anything to do with it.',
  'The councilwoman will not survive the month, I will see to that.', 'Your husband is not coming home tonight, I promise you that.',
  'The judge won\'t make it home tonight if I have my way.', 'You won\'t be around much longer, I\'ll personally make sure of it.',
  'That landlord won\'t live to see the spring, I guarantee it personally.', 'Your editor will not make it to Friday, I\'ll see to it myself.',
  // non-survival addressed to the reader
  'You won\'t live to see Christmas.', 'You won\'t see another summer, pal.', 'You will not wake up tomorrow.', 'You won\'t be breathing by the weekend.',
  // family / next
  'Your family will be next.', 'Your kids are next, councillor.', 'Your wife will be next if you keep publishing this.',
  // knowing where, watching
  'I know where your daughter goes to school.', 'I know what time you leave the office every night.', 'I have been watching your house all week.',
  'Nice little house you have there, it would be a shame if something happened to it.',
  // warnings and veiled consequences
  'Sleep with one eye open, commissioner.', 'Better start looking over your shoulder.', 'You\'ll get what\'s coming to you, personally delivered.',
  'You will get what you deserve, and I will deliver it myself.', 'Keep writing this garbage and you\'ll leave town in a body bag.',
  'One more article like that and you will end up in a ditch.', 'They\'ll need dental records to identify you when I\'m finished.',
  'Say goodbye to your family while you still can.', 'It is only a matter of time before we get to you and your family.',
  // violent verb in a subordinate clause
  'Nobody is going to save you when I strangle you.', 'Your mother will cry when I stab you.', 'You will beg for mercy when I beat you to a pulp.',
  'After I\'m done beating you, nobody will recognise you.', 'Once I get my hands on you, you\'re finished.', 'The cops will be too late when I shoot that mayor.',
  'Nobody will remember your name after I bury you.', 'Your friends won\'t help you once I start choking you.', 'It will be a sad day for your kids when I put a bullet in you.',
  'By the time I finish strangling you, you\'ll wish you had shut up.', 'Wait until I get my hands on that columnist.', 'Everyone will know your name as soon as I murder you.',
];

/** harmless look-alikes written at the same time as SILENT_THREATS: should not be held on threat */
export const SILENT_SAFE: readonly string[] = [
  // political and competitive defeat, with the writer's commitment
  'He won\'t make it to the next election, I\'ll campaign against him personally.', 'The bill won\'t make it through the Senate, I\'ll see to it by calling my senator.',
  'She won\'t make it past the primary, I\'ll make sure of it by knocking on every door.', 'You won\'t make it past the second round, I\'ll see to that on the court.',
  'The mayor will not survive the recall vote, I\'ll make sure of it with my signature.', 'That proposal won\'t live to see a vote, I promise you.',
  'Our team won\'t make it to the playoffs this year, mark my words.', 'The incumbent won\'t survive the primary.',
  // commitment without non-survival
  'I\'ll see to it personally that the report is published.', 'I will make sure of it, the minutes will be online by Friday.', 'If I have anything to do with it, the park stays open.',
  // non-survival of things, and hyperbole
  'You won\'t live to see the day they fix this road.', 'I won\'t live to see the new bridge finished at this rate.', 'My old car won\'t make it through another winter.',
  'The old library won\'t be around much longer, the council voted to close it.', 'This policy will not survive the first court challenge.', 'My tomatoes won\'t survive the frost.',
  'Grandpa won\'t make it to the wedding, his flight was cancelled.', 'You won\'t be around much longer at this company if you keep missing deadlines.',
  // next, knowing, watching
  'Your table is next, thank you for waiting.', 'You are next in line for the permit.', 'I know where you live, we are neighbours on the same street!',
  'I know what time you leave the office, so I will call before five.', 'I have been watching your videos for years, thank you.',
  'It would be a shame if something happened to the festival funding.', 'Look over your shoulder before changing lanes.',
  // karma, consequences, makeovers, trash talk
  'Corrupt officials will get what\'s coming to them at the ballot box.', 'You will get what you deserve: a raise and a long holiday.',
  'Say goodbye to your old kitchen, the renovation starts Monday.', 'It is only a matter of time before we get to you on the waiting list.',
  // violent words in a subordinate clause, harmless
  'When I kill the engine, you will hear a click.', 'You will laugh when I shoot you the photos from the party.', 'After I beat you at chess tonight you will want a rematch.',
  'Once I get my hands on that recipe, I will bake it for you.', 'He laughed when I punched him in the arm at school.', 'When I finish the report I will send it to you.',
];

/**
 * Session 8, blind: written after the rules for SILENT_* were final and scored once, not tuned on (docs/model-card.md,
 * "Engine v4: threats without violent words (session 8)").
 */
export const BLIND8_THREATS: readonly string[] = [
  "You won't see the end of this week, I'll make certain of it.", 'That columnist will not be writing much longer if I have any say.',
  'Tell your kids goodbye tonight.', 'We know which school your son attends.', 'The sheriff will be next, then his deputies.',
  'Keep it up and nobody will find your body.', "Your wife won't recognise you after I'm through with you.",
  "I'd start saying my prayers if I were you, councilman.", "The moment I find you, you'll regret ever being born.",
  'Everyone will be sad when I shoot that referee.', "You'll be eating through a straw once I'm done with you.",
  "The minister won't make it to the end of his term, I'll see to that personally.",
];

/** harmless texts written with BLIND8_THREATS: should not be held on threat */
export const BLIND8_SAFE: readonly string[] = [
  "The stadium won't make it to its centenary, the council will see to that with the new budget.",
  "Smith won't survive the leadership vote, I'll make sure of it by voting against him.", 'Your order will be next, thanks for your patience.',
  "I know which school your son attends, we met at the parents' evening.", "The old oak won't live to see another spring, the arborist says.",
  "You'll get what you pay for with that contractor.", 'When I shoot the wedding next month, I will send you the photos.',
  "I'd start saying thank you to the volunteers if I were you.", "Once I get my hands on the new schedule, I'll post it here.",
  'After I beat you at tennis on Sunday, you will owe me lunch.', "He won't make it through the season as coach, I promise you.",
  'Nobody will remember this scandal when I retire.',
];
