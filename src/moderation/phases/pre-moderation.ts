import type { PreModeration } from '../policy.js';
import type { AuthorFacts, Verdict } from '../types.js';

/**
 * Holds comments for approval first: those of a pre-moderated story, all of the site's, or those of accounts with few
 * published comments. Trusted authors skip it.
 */
export function checkPreModeration(mode: PreModeration, newAccountComments: number, author: AuthorFacts): Verdict | null {
  if (author.trusted) return null;
  if (author.storyPremoderated) {
    return { status: 'pending', reasons: [{ code: 'pre_moderation', message: 'Comments on this story are read by a moderator before they appear.' }] };
  }
  const { publishedComments } = author;
  if (mode === 'all') {
    return { status: 'pending', reasons: [{ code: 'pre_moderation', message: 'Every comment on this site is read by a moderator first.' }] };
  }
  if (mode === 'new_accounts' && publishedComments < newAccountComments) {
    return {
      status: 'pending',
      reasons: [{ code: 'pre_moderation', message: 'A moderator reads the first comments of new accounts before they appear.' }],
    };
  }
  return null;
}
