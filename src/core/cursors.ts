// Paging cursors. A cursor names the listing and order it was made for, so that one handed to another
// listing (or edited by hand) is a clear 400 and never reaches the database as a key that does not fit
// the column (a fraction or 1e308 where PostgreSQL expects a bigint).
import { ParleyError } from './errors.js';
import { LABEL_SEVERITY } from '../contracts/severity.js';

/** Where the next page starts: the sort key and id of the last item shown (and its time, for a key of two parts). */
export interface Cursor {
  key: number;
  /** The second part of the key, for orders that break ties by time (queue.severity). */
  time?: number;
  id: string;
}

/** What a cursor's key is, for each listing and order that hands cursors out. */
const KEY_KINDS = {
  'thread.oldest': 'time',
  'thread.newest': 'time',
  'thread.top': 'votes',
  replies: 'time',
  'queue.oldest': 'time',
  'queue.newest': 'time',
  'queue.score': 'probability',
  'queue.severity': 'priority',
  audit: 'time',
  deliveries: 'time',
} as const;

export type CursorListing = keyof typeof KEY_KINDS;

const INT32_MAX = 2 ** 31 - 1;

const fits: Record<(typeof KEY_KINDS)[CursorListing], (key: number) => boolean> = {
  // Milliseconds since 1970, stored as bigint.
  time: (key) => Number.isSafeInteger(key) && key >= 0,
  // A comment's vote score, stored as integer.
  votes: (key) => Number.isInteger(key) && Math.abs(key) <= INT32_MAX,
  // A classifier score.
  probability: (key) => key >= 0 && key <= 1,
  // A queue priority: 2 × a severity rank + a probability (src/contracts/severity.ts).
  priority: (key) => key >= 0 && key <= 2 * MAX_RANK + 1,
};

const MAX_RANK = Math.max(...Object.values(LABEL_SEVERITY));

export function encodeCursor(listing: CursorListing, cursor: Cursor): string {
  const time = cursor.time === undefined ? '' : `${cursor.time}:`;
  return Buffer.from(`${listing}:${cursor.key}:${time}${cursor.id}`).toString('base64url');
}

/** The listings whose cursors carry a time after the key. */
const WITH_TIME: ReadonlySet<CursorListing> = new Set(['queue.severity']);

/** The cursor, when it was made for this listing and its key fits; otherwise a 400. */
export function decodeCursor(listing: CursorListing, text: string): Cursor {
  const match = /^([a-z.]{1,20}):(-?[0-9][0-9.e+-]{0,31}):(?:([0-9]{1,16}):)?([0-9a-z]{1,32})$/.exec(Buffer.from(text, 'base64url').toString());
  const key = Number(match?.[2]);
  const time = match?.[3] === undefined ? undefined : Number(match[3]);
  const timeFits = WITH_TIME.has(listing) ? time !== undefined && fits.time(time) : time === undefined;
  if (!match || match[1] !== listing || !Number.isFinite(key) || !fits[KEY_KINDS[listing]](key) || !timeFits) {
    throw new ParleyError(400, 'invalid_cursor', 'The cursor is not one this server gave out for this list and order; start from the first page.');
  }
  return time === undefined ? { key, id: match[4]! } : { key, time, id: match[4]! };
}
