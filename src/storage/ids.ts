import { randomBytes, randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const ID_LENGTH = 14;

/** Random bytes for the next ids, drawn 64 ids at a time: one call to the system's generator per id cost ~1.5% of a post. */
const pool = Buffer.alloc(ID_LENGTH * 64);
let used = pool.length;

/** A random 14-character id ([0-9a-z], ~72 bits): safe in URLs and HTML ids, unguessable. */
export function newId(): string {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  let id = '';
  for (let i = used; i < used + ID_LENGTH; i++) id += ALPHABET[pool[i]! % 36];
  used += ID_LENGTH;
  return id;
}

/** A random secret for cookies and tokens, URL-safe. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Ids for `IN (...)`: SQL has no empty list, so an empty one becomes a list that matches no id. */
export function idList(ids: readonly string[]): string[] {
  return ids.length ? [...ids] : [''];
}
