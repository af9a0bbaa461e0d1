import type { PreModeration } from '../policy.js';
import type { Verdict } from '../types.js';

/** Holds comments for approval first: all of them, or those of accounts with few published comments. */
export function checkPreModeration(mode: PreModeration, newAccountComments: number, publishedComments: number): Verdict | null {
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
