import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A random 14-character id ([0-9a-z], ~72 bits): safe in URLs and HTML ids, unguessable. */
export function newId(): string {
  const bytes = randomBytes(14);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % 36];
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
