import type { Verdict } from '../types.js';

/** Rejects a body longer than the site allows; the author can shorten it and edit. */
export function checkLength(text: string, maxLength: number): Verdict | null {
  const length = [...text].length;
  if (length <= maxLength) return null;
  return {
    status: 'rejected',
    reasons: [{ code: 'too_long', message: `The comment is ${length} characters long; this site allows ${maxLength}.` }],
  };
}
