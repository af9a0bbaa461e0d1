import type { Verdict } from '../types.js';

// Bare domains count too: spam often avoids the scheme so that it is not turned into a link.
const LINK = /\bhttps?:\/\/\S+|\bwww\.\S+|\b[a-z0-9-]+\.(?:com|net|org|info|biz|ru|io|co|xyz|top|click|link|shop)\b/gi;

export function countLinks(text: string): number {
  return text.match(LINK)?.length ?? 0;
}

/** Holds a comment with more links than the site allows: the usual shape of spam. */
export function checkLinks(text: string, maxLinks: number): Verdict | null {
  const links = countLinks(text);
  if (links <= maxLinks) return null;
  return {
    status: 'pending',
    reasons: [{ code: 'too_many_links', message: `The comment has ${links} links; more than ${maxLinks} wait for a moderator.` }],
  };
}
