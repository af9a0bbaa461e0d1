// Ban evasion: bans by e-mail domain and by network address (a keyed hash, never the address), the addresses accounts
// signed up and posted from (kept for the retention setting only), and the holds put on accounts at sign-up.
import { sql, type Kysely } from 'kysely';
import type { Database, IdentityBansTable } from './schema.js';
import { newId } from './ids.js';
import { dialectOf, executeBuiltOnce } from './db.js';

export type IdentityBanRow = IdentityBansTable;
export type IdentityBanWithNames = IdentityBanRow & { source_username: string | null; created_by_username: string | null };

/** Forgets every address not seen since a time. */
export async function pruneAddresses(db: Kysely<Database>, keepSince: number): Promise<void> {
  await db.deleteFrom('network_addresses').where('last_seen_at', '<', keepSince).execute();
}

/** Notes that an account used an address now. */
export async function recordAddress(db: Kysely<Database>, userId: string, addressHash: string, now: number): Promise<void> {
  // PostgreSQL: the account's row is read FOR SHARE, so that a sighting and a ban of the same account never miss each
  // other. A ban being committed makes the sighting wait and then read the ban; a ban begun after the sighting's read
  // waits for the sighting to commit, and its trigger then flags the new row. Without the lock, each saw the other's
  // row as it was before, and the sighting kept 0 until the account's next ban change. SQLite has one writer at a time.
  const lock = dialectOf(db) === 'postgres' ? sql` FOR SHARE` : sql``;
  await db
    .insertInto('network_addresses')
    .values({
      user_id: userId,
      address_hash: addressHash,
      last_seen_at: now,
      // Whether the account is banned now; a later ban or unban updates it (a trigger on users, migration 0025).
      user_banned: sql<number>`(SELECT CASE WHEN banned_at IS NULL THEN 0 ELSE 1 END FROM users WHERE id = ${userId}${lock})`,
    })
    .onConflict((oc) => oc.columns(['user_id', 'address_hash']).doUpdateSet({ last_seen_at: now }))
    .execute();
}

/** The addresses an account was seen at since a time, latest first. */
export async function addressesOf(db: Kysely<Database>, userId: string, since: number): Promise<string[]> {
  const rows = await db
    .selectFrom('network_addresses')
    .select('address_hash')
    .where('user_id', '=', userId)
    .where('last_seen_at', '>=', since)
    .orderBy('last_seen_at', 'desc')
    .execute();
  return rows.map((r) => r.address_hash);
}

/**
 * Banned accounts (other than one) seen at one of these addresses since a time, the latest seen first; one row. Read
 * from the banned accounts' sightings' own index (`network_addresses_banned`), not every account seen at the address.
 */
const bannedAccountSeenAt = (db: Kysely<Database>, addressHashes: string[], exceptUserId: string, since: number) =>
  db
    .selectFrom('network_addresses')
    .innerJoin('users', 'users.id', 'network_addresses.user_id')
    .where('network_addresses.address_hash', 'in', addressHashes)
    .where('network_addresses.user_banned', '=', sql.lit(1))
    .where('network_addresses.last_seen_at', '>=', since)
    .where('users.banned_at', 'is not', null)
    .where('users.id', '!=', exceptUserId)
    .orderBy('network_addresses.last_seen_at', 'desc')
    .limit(1);

/** A banned account (other than this one) seen at one of these addresses since a time. */
export async function bannedAccountAt(
  db: Kysely<Database>,
  addressHashes: string[],
  exceptUserId: string,
  since: number,
): Promise<{ id: string; username: string } | undefined> {
  if (addressHashes.length === 0) return undefined;
  return bannedAccountSeenAt(db, addressHashes, exceptUserId, since).select(['users.id', 'users.username']).executeTakeFirst();
}

/** What decides whether a comment waits as a possible ban evasion, read in one statement (it is on the posting path). */
export interface CommentEvasionFacts {
  /** The reason of a hold put on the account at sign-up. */
  hold: string | null;
  /** The first address ban in force on the address, with the username it was made from (if any). */
  addressBanReason: string | null;
  addressBanSource: string | null;
  /** A banned account (another) seen at the address since the retention. */
  bannedAccountHere: string | null;
  /** The reason of a ban in force on the author's e-mail domain. */
  domainBanReason: string | null;
}

/** Whose comment, from which address (its hash), with which e-mail domain, and when: what the evasion facts are read for. */
export interface CommentEvasionQuery {
  userId: string;
  addressHash: string;
  domain: string | null;
  /** Accounts seen at the address since then count (the retention). */
  seenSince: number;
  now: number;
}

/**
 * The evasion facts as five columns (a subquery each), to select with other columns in one statement (the posting
 * read, `findPostingTarget`, or alone); `evasionFactParameters` are their parameters in the order they bind.
 */
export function evasionFactColumns(db: Kysely<Database>, { userId, addressHash, domain, seenSince, now }: CommentEvasionQuery) {
  const [hold, addressBanReason, addressBanSource, bannedAccountHere, domainBanReason] = EVASION_FACT_COLUMNS;
  return [
    db.selectFrom('evasion_holds').select('reason').where('user_id', '=', userId).as(hold),
    banInForce(db, 'address', [addressHash], now).select('identity_bans.reason').as(addressBanReason),
    banInForce(db, 'address', [addressHash], now).select('source.username').as(addressBanSource),
    bannedAccountSeenAt(db, [addressHash], userId, seenSince).select('users.username').as(bannedAccountHere),
    banInForce(db, 'domain', [domain ?? ''], now).select('identity_bans.reason').as(domainBanReason),
  ] as const;
}

/** The names of `evasionFactColumns`' columns, in their order. */
export const EVASION_FACT_COLUMNS = ['evasion_hold', 'evasion_address_ban_reason', 'evasion_address_ban_source', 'evasion_banned_account_here', 'evasion_domain_ban_reason'] as const;

/** A row with the columns of `evasionFactColumns` (absent where they were not selected). */
export type EvasionFactRow = { [Column in (typeof EVASION_FACT_COLUMNS)[number]]?: string | null };

/** The parameters of `evasionFactColumns`: the hold, the two address-ban columns, the banned account seen at the address, the domain ban (each subquery's LIMIT 1 is bound too). */
export function evasionFactParameters({ userId, addressHash, domain, seenSince, now }: CommentEvasionQuery): unknown[] {
  return [
    userId,
    'address', addressHash, now, 1,
    'address', addressHash, now, 1,
    addressHash, seenSince, userId, 1,
    'domain', domain ?? '', now, 1,
  ];
}

/** The facts from the columns of `evasionFactColumns`. */
export function evasionFactsOf(row: EvasionFactRow, query: CommentEvasionQuery): CommentEvasionFacts {
  return {
    hold: row.evasion_hold ?? null,
    addressBanReason: row.evasion_address_ban_reason ?? null,
    addressBanSource: row.evasion_address_ban_source ?? null,
    bannedAccountHere: row.evasion_banned_account_here ?? null,
    domainBanReason: query.domain ? (row.evasion_domain_ban_reason ?? null) : null,
  };
}

/** The evasion facts alone (a post whose story was read already: the form's nudge read it). */
export async function commentEvasionFacts(db: Kysely<Database>, query: CommentEvasionQuery): Promise<CommentEvasionFacts> {
  // Built once per process (executeBuiltOnce).
  const [row] = await executeBuiltOnce(db, 'comment-evasion-facts', evasionFactParameters(query), () =>
    db.selectNoFrom(evasionFactColumns(db, query)).compile(),
  );
  if (!row) throw new Error('comment-evasion-facts: no row');
  return evasionFactsOf(row, query);
}

/** Banned accounts that have an e-mail (few: a moderator banned each one), for matching a normalized address. */
export async function bannedAccountEmails(db: Kysely<Database>): Promise<Array<{ id: string; username: string; email: string }>> {
  const rows = await db.selectFrom('users').select(['id', 'username', 'email']).where('banned_at', 'is not', null).where('email', 'is not', null).execute();
  return rows.map((r) => ({ id: r.id, username: r.username, email: r.email! }));
}

const withUsers = (db: Kysely<Database>) =>
  db
    .selectFrom('identity_bans')
    .leftJoin('users as source', 'source.id', 'identity_bans.source_user_id')
    .leftJoin('users as creator', 'creator.id', 'identity_bans.created_by');

const withNames = (db: Kysely<Database>) =>
  withUsers(db).selectAll('identity_bans').select(['source.username as source_username', 'creator.username as created_by_username']);

/** The first ban in force of this kind on one of these values (a domain, or address hashes); one row. */
const banInForce = (db: Kysely<Database>, kind: IdentityBanRow['kind'], values: string[], now: number) =>
  withUsers(db)
    .where('identity_bans.kind', '=', kind)
    .where('identity_bans.value', 'in', values)
    .where('identity_bans.expires_at', '>', now)
    .orderBy('identity_bans.created_at')
    .limit(1);

/** The first ban in force of this kind on one of these values (a domain, or address hashes). */
export async function activeBanOn(db: Kysely<Database>, kind: IdentityBanRow['kind'], values: string[], now: number): Promise<IdentityBanWithNames | undefined> {
  if (values.length === 0) return undefined;
  return banInForce(db, kind, values, now)
    .selectAll('identity_bans')
    .select(['source.username as source_username', 'creator.username as created_by_username'])
    .executeTakeFirst();
}

/** Every ban in force, newest first; expired ones are removed first (nothing of them is kept but the audit log). */
export async function listActiveBans(db: Kysely<Database>, now: number): Promise<IdentityBanWithNames[]> {
  await db.deleteFrom('identity_bans').where('expires_at', '<=', now).execute();
  return withNames(db).orderBy('identity_bans.created_at', 'desc').orderBy('identity_bans.id', 'desc').execute();
}

export async function findBan(db: Kysely<Database>, id: string): Promise<IdentityBanWithNames | undefined> {
  return withNames(db).where('identity_bans.id', '=', id).executeTakeFirst();
}

export async function insertBan(db: Kysely<Database>, ban: Omit<IdentityBanRow, 'id'>): Promise<IdentityBanRow> {
  const row = { ...ban, id: newId() };
  await db.insertInto('identity_bans').values(row).execute();
  return row;
}

export async function deleteBan(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('identity_bans').where('id', '=', id).execute();
}

/** Holds an account's comments for review, with the reason a moderator reads. */
export async function insertEvasionHold(db: Kysely<Database>, userId: string, reason: string, now: number): Promise<void> {
  await db.insertInto('evasion_holds').values({ user_id: userId, reason, created_at: now }).onConflict((oc) => oc.column('user_id').doNothing()).execute();
}
