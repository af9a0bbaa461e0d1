// A small, self-written list of abusive words. It is NOT used to score text (the model does that);
// the normalizer uses it only to resolve spelling tricks that are ambiguous on their own:
// masked letters ("f*ck" -> "fuck") and stretched letters ("fuuuuck" -> "fuck", "asssss" -> "ass").
const WORDS = `
fuck fucks fucked fucker fuckers fucking fuckin fuckup motherfucker motherfucking mf
shit shits shitty shithead shithole bullshit horseshit dipshit
bitch bitches bitchy ass asses asshole assholes arse arsehole jackass dumbass smartass badass
bastard bastards damn dammit goddamn dick dicks dickhead cunt cunts cock cocks cocksucker crap crappy
piss pissed pussy pussies slut sluts slutty whore whores hoe hoes twat twats wanker wankers prick pricks
douche douchebag tits titties boob boobs penis vagina porn sex sexy
idiot idiots idiotic moron morons moronic stupid stupidity dumb dummy retard retards retarded imbecile imbeciles
loser losers scum scumbag jerk jerks clown clowns fool fools foolish pathetic ignorant trash garbage
pig pigs rat rats vermin filth filthy disgusting sick freak freaks creep creepy liar liars hypocrite hypocrites
nigger niggers nigga niggas faggot faggots fag fags dyke dykes tranny kike kikes spic spics chink chinks
gook wetback raghead towelhead paki coon coons beaner
kill kills killed killing die dies died dead death murder shoot shot hang hanged lynch burn rape raped
hate hates hated hell suck sucks sucked sucker
`;

export const LEXICON: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter((w) => w.length > 0));

/** Words of the lexicon grouped by length, for matching masked words such as "f**k". */
export const LEXICON_BY_LENGTH: ReadonlyMap<number, readonly string[]> = (() => {
  const map = new Map<number, string[]>();
  for (const w of LEXICON) {
    const list = map.get(w.length) ?? [];
    list.push(w);
    map.set(w.length, list);
  }
  return map;
})();
