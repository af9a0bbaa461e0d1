// Limits and fixed lists of the API, as plain values: the request schemas (schemas.ts) are built from them and
// the console's forms check against the same numbers. No TypeBox here, so the console's bundle needs none.

/** The bounds of every number and list in a site's policy (GET/PUT /api/sites/:id/policy). */
export const POLICY_LIMITS = {
  maxLength: { min: 1, max: 20_000 },
  maxLinks: { min: 0, max: 100 },
  newAccountComments: { min: 0, max: 1000 },
  reportThreshold: { min: 1, max: 1000 },
  /** Days after publication that a story closes to new comments (0: never). */
  autoCloseDays: { min: 0, max: 3650 },
  /** Earned trust: approved comments needed (0: only by hand), and the window they are counted in. */
  trustAfterApproved: { min: 0, max: 10_000 },
  trustWindowDays: { min: 1, max: 3650 },
  /** A label's hold and reject thresholds. */
  threshold: { min: 0, max: 1 },
  /** One banned or suspect word or phrase. */
  wordLength: { min: 1, max: 100 },
  /** Words in one list. */
  words: { max: 2000 },
} as const;

/** Why a reader reports a comment (POST /api/comments/:id/reports and the story page's form). */
export const REPORT_REASONS = ['abuse', 'threat', 'spam', 'off_topic', 'other'] as const;

/** A username: 2 to 30 letters, digits, "_", "." or "-", starting with a letter, digit or "_". */
export const USERNAME_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]{1,29}$';

/** The longest comment body a request may carry, in characters (a site's policy may allow less). */
export const COMMENT_BODY_MAX = 20_000;

/** The events a site's webhook may receive (POST /api/sites/:id/webhooks, `parley site webhook add`). */
export const WEBHOOK_EVENTS = ['comment.created', 'comment.updated', 'comment.moderated', 'comment.reported', 'user.banned'] as const;
