import type { Verdict } from '../types.js';

/**
 * Holds the comment of an author who may be a banned reader back under another account (same network, same mailbox,
 * a banned domain): the caller found the signal and says why; a moderator decides.
 */
export function checkBanEvasion(signal: string | null | undefined): Verdict | null {
  return signal ? { status: 'pending', reasons: [{ code: 'ban_evasion', message: signal }] } : null;
}
