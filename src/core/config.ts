// Settings the core reads; the HTTP server and CLI build them from the environment (src/config.ts).
export interface CoreConfig {
  /** How long after posting an author may still edit a comment. */
  editWindowMs: number;
  /** How long a login lasts. */
  sessionTtlMs: number;
  /** Replies shown under each top-level comment before "more replies". */
  replyLimit: number;
  /**
   * What deleting an account does to its comments: `placeholder` keeps each in its thread as "[deleted]" (text
   * gone, replies still in place); `erase` removes those nobody answered from the database as well.
   */
  deletedAccountComments: 'placeholder' | 'erase';
  /** Guests' comments, where a site takes them (src/core/guests.ts). */
  guests: GuestConfig;
  /** How long the moderator who took an action may undo it. */
  undoWindowMs: number;
  /** How long the keyed hash of an address an account signed up or posted from is kept (src/core/ban-evasion.ts). */
  addressRetentionMs: number;
}

export interface GuestConfig {
  /** Leading zero bits the proof of work needs: 16 is about 65,000 hashes, a second or less in a browser. */
  proofBits: number;
  /** Guests' comments per hour from one address, and from one browser. */
  perAddressPerHour: number;
  perBrowserPerHour: number;
}

export const DEFAULT_CORE_CONFIG: CoreConfig = {
  editWindowMs: 15 * 60_000,
  sessionTtlMs: 30 * 24 * 3600_000,
  replyLimit: 50,
  deletedAccountComments: 'placeholder',
  guests: { proofBits: 16, perAddressPerHour: 10, perBrowserPerHour: 5 },
  undoWindowMs: 30_000,
  addressRetentionMs: 30 * 86_400_000,
};
