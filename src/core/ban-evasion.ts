// Ban evasion: bans by e-mail domain and by network address beside bans of accounts, and the signal that holds the
// comments of a reader who seems to come back after a ban. Addresses are never stored: only an HMAC with an install
// secret, kept for `addressRetentionMs` after the address was last seen. A banned domain refuses sign-ups and guests'
// comments from it; anything else (the network of a banned account or an address ban, the same mailbox as a banned
// account) creates the account but holds its comments for a moderator, with the reason, since a shared network
// (an office, a campus, a mobile carrier) may well be somebody else.
import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import type { Storage } from '../storage/db.js';
import type { UserRow } from '../storage/schema.js';
import { installSecret } from '../storage/guests.js';
import { appendAudit } from '../storage/audit.js';
import { inTransaction } from '../storage/events.js';
import { findUserById } from '../storage/users.js';
import {
  activeBanOn,
  addressesOf,
  bannedAccountAt,
  bannedAccountEmails,
  deleteBan,
  findBan,
  insertBan,
  insertEvasionHold,
  listActiveBans,
  pruneAddresses,
  recordAddress,
  type CommentEvasionFacts,
  type CommentEvasionQuery,
  type IdentityBanWithNames,
} from '../storage/ban-evasion.js';
import type { IdentityBan, IdentityBanInput } from '../contracts/api.js';
import { iso } from './time.js';
import { ParleyError, forbidden, notFound, unprocessable } from './errors.js';

const DAY_MS = 86_400_000;
/** The longest a ban by domain or address lasts; a moderator bans again after that. */
export const MAX_BAN_DAYS = 365;
const PRUNE_EVERY_MS = 60_000;
/** How long this process skips writing an address it has just written for the same account. */
const RECORD_AGAIN_MS = 10 * 60_000;
/** Bound on the accounts and addresses a process remembers having written, and on the address hashes it keeps. */
const RECORDED_KEPT = 10_000;

/**
 * Whether a comment's author may be a banned reader back: the facts to read (with the post's other reads, in one
 * statement) and the reason they give to hold the comment.
 */
export interface EvasionScreen {
  /** What to read; null: this author is never held for it (staff, people trusted by hand, a post not screened). */
  readonly query: CommentEvasionQuery | null;
  /** Why the comment waits for a moderator, from the facts read; null: it need not. */
  reason(facts: CommentEvasionFacts): string | null;
}

/** A post whose author is not screened for ban evasion. */
export const NOT_SCREENED: EvasionScreen = { query: null, reason: () => null };

/** The reason a comment from a banned network waits: an address ban (and whose address it was), or a banned account seen there. */
function networkReason(ban: { reason: string; sourceUsername: string | null } | null, bannedUsername: string | null): string | null {
  if (ban) {
    return ban.sourceUsername
      ? `possible ban evasion: same network as banned user ${ban.sourceUsername}`
      : `possible ban evasion: from a network address a moderator banned (${ban.reason})`;
  }
  return bannedUsername ? `possible ban evasion: same network as banned user ${bannedUsername}` : null;
}

/** The domain of an e-mail address, lower-cased; null when it has none. */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  return at > 0 && at < email.length - 1 ? email.slice(at + 1).toLowerCase() : null;
}

/** One mailbox however it is written: lower case, no "+tag", and no dots for Gmail (which ignores them). */
export function normalizeEmail(email: string): string {
  const domain = emailDomain(email);
  let local = email.slice(0, email.lastIndexOf('@')).toLowerCase().split('+')[0]!;
  const canonical = domain === 'googlemail.com' ? 'gmail.com' : domain;
  if (canonical === 'gmail.com') local = local.replaceAll('.', '');
  return `${local}@${canonical}`;
}

/**
 * The network an address stands for: an IPv4 address itself, an IPv6 address's /64 (one household or phone gets a
 * whole /64 and can move within it at will). Null when it is not an address.
 */
export function networkOf(address: string): string | null {
  const plain = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  if (mapped) return mapped[1]!;
  if (isIP(plain) === 4) return plain;
  if (isIP(plain) !== 6) return null;
  const [head = '', tail] = plain.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function banView(ban: IdentityBanWithNames): IdentityBan {
  return {
    id: ban.id,
    kind: ban.kind,
    // An address ban shows whose address it was, never the hash.
    domain: ban.kind === 'domain' ? ban.value : null,
    sourceUser: ban.source_user_id ? { id: ban.source_user_id, username: ban.source_username ?? '' } : null,
    reason: ban.reason,
    createdBy: ban.created_by_username,
    createdAt: iso(ban.created_at)!,
    expiresAt: iso(ban.expires_at)!,
  };
}

export class BanEvasionService {
  private secret: Promise<string> | null = null;
  private prunedAt = 0;
  private readonly recordedAt = new Map<string, number>();
  /** Addresses hashed lately (an HMAC per post was about 2% of a posting server's CPU): a hash never changes. */
  private readonly hashes = new Map<string, string>();

  constructor(
    private readonly storage: Storage,
    /** How long an address (its hash) is kept after it was last seen. */
    private readonly retentionMs: number,
  ) {}

  private get db() {
    return this.storage.db;
  }

  /**
   * The keyed hash of a network address (an IPv6 address's /64): equal for one network, and no way back to it
   * without the install's secret.
   */
  async hashAddress(address: string): Promise<string> {
    this.secret ??= installSecret(this.db, 'network-addresses');
    const secret = await this.secret;
    let hash = this.hashes.get(address);
    if (hash === undefined) {
      hash = createHmac('sha256', secret).update(`address:${networkOf(address) ?? address}`).digest('base64url');
      if (this.hashes.size >= RECORDED_KEPT) this.hashes.clear();
      this.hashes.set(address, hash);
    }
    return hash;
  }

  /** Refuses an e-mail address of a banned domain (sign-up, a guest's e-mail): 403 email_domain_banned. */
  async refuseBannedDomain(email: string | null | undefined): Promise<void> {
    const domain = email ? emailDomain(email) : null;
    if (domain && (await activeBanOn(this.db, 'domain', [domain], Date.now()))) {
      throw new ParleyError(403, 'email_domain_banned', `Addresses at ${domain} cannot be used here; use another e-mail address.`);
    }
  }

  /**
   * After a sign-up (or a guest's first comment): notes the address, and holds the account's comments for review when
   * it looks like a banned reader's (same network, or the same mailbox written another way).
   */
  async onSignUp(user: UserRow, address: string): Promise<void> {
    const now = Date.now();
    const hash = await this.hashAddress(address);
    await this.record(user.id, hash, now);
    const reason = (await this.networkSignal(user, [hash], now)) ?? (await this.sameMailbox(user));
    if (reason) await insertEvasionHold(this.db, user.id, reason, now);
  }

  /**
   * Before a comment: what to read to know whether the author's comment should wait for a moderator (possible ban
   * evasion), read by the post with its other reads (`CommentService.post`), and the reason the facts give. Staff and
   * people trusted by hand (a moderator looked at them) are never held by it. Writes nothing (a refused post changes
   * nothing); `commented` notes the address once the comment is in.
   */
  async screen(author: UserRow, address: string): Promise<EvasionScreen> {
    if (author.role !== 'commenter' || author.trusted_at !== null) return NOT_SCREENED;
    const now = Date.now();
    const domain = author.email ? emailDomain(author.email) : null;
    return {
      query: { userId: author.id, addressHash: await this.hashAddress(address), domain, seenSince: now - this.retentionMs, now },
      reason: (facts) =>
        facts.hold ??
        networkReason(facts.addressBanReason === null ? null : { reason: facts.addressBanReason, sourceUsername: facts.addressBanSource }, facts.bannedAccountHere) ??
        (facts.domainBanReason !== null ? `e-mail domain ${domain} is banned: ${facts.domainBanReason}` : null),
    };
  }

  /**
   * Posts a comment with `post`, given the screen for its author at this address (`screen`), and notes the address
   * once the comment is in: a refused post writes nothing of it. Every way of posting goes through here.
   */
  async screened<T>(author: UserRow, address: string, post: (screen: EvasionScreen) => Promise<T>): Promise<T> {
    const posted = await post(await this.screen(author, address));
    await this.commented(author, address);
    return posted;
  }

  /** After a comment is in: notes the address its author posted from. */
  async commented(author: UserRow, address: string): Promise<void> {
    const now = Date.now();
    await this.record(author.id, await this.hashAddress(address), now);
  }

  /**
   * Notes an address, and forgets those past the retention (at most once a minute per process, not at every post).
   * An account seen at the same address within RECORD_AGAIN_MS by this process is not written again: a regular
   * commenting from home would otherwise cost a write per comment, and retention is counted in days.
   */
  private async record(userId: string, hash: string, now: number): Promise<void> {
    if (now - this.prunedAt >= PRUNE_EVERY_MS) {
      this.prunedAt = now;
      await pruneAddresses(this.db, now - this.retentionMs);
    }
    const key = `${userId} ${hash}`;
    if (now - (this.recordedAt.get(key) ?? -Infinity) < RECORD_AGAIN_MS) return;
    if (this.recordedAt.size >= RECORDED_KEPT) this.recordedAt.clear();
    this.recordedAt.set(key, now);
    await recordAddress(this.db, userId, hash, now);
  }

  private async networkSignal(user: UserRow, hashes: string[], now: number): Promise<string | null> {
    const [ban, banned] = await Promise.all([
      activeBanOn(this.db, 'address', hashes, now),
      bannedAccountAt(this.db, hashes, user.id, now - this.retentionMs),
    ]);
    return networkReason(ban ? { reason: ban.reason, sourceUsername: ban.source_username } : null, banned?.username ?? null);
  }

  private async sameMailbox(user: UserRow): Promise<string | null> {
    if (!user.email) return null;
    const mailbox = normalizeEmail(user.email);
    const match = (await bannedAccountEmails(this.db)).find((b) => b.id !== user.id && normalizeEmail(b.email) === mailbox);
    return match ? `possible ban evasion: same e-mail address as banned user ${match.username}` : null;
  }

  /** Bans and their lifting hold on every site (accounts are not per site), as account bans do. */
  private assertAllSites(staff: UserRow): void {
    if (staff.site_id) {
      throw forbidden('Bans by e-mail domain or network address apply on every site, so only staff of every site can set, see or lift them.');
    }
  }

  async list(staff: UserRow): Promise<IdentityBan[]> {
    this.assertAllSites(staff);
    return (await listActiveBans(this.db, Date.now())).map(banView);
  }

  /**
   * Bans an e-mail domain (given, or the person's), or the addresses a person was seen at within the retention (one
   * ban each), or an address given as such (hashed at once, never stored). Audited.
   */
  async ban(staff: UserRow, input: IdentityBanInput): Promise<IdentityBan[]> {
    this.assertAllSites(staff);
    const reason = input.reason.trim();
    if (!reason) throw new ParleyError(400, 'reason_required', 'Say why: other moderators read it in the list of bans and in held comments.');
    const now = Date.now();
    const expiresAt = input.expiresAt === undefined ? now + 30 * DAY_MS : Date.parse(input.expiresAt);
    if (Number.isNaN(expiresAt)) throw new ParleyError(400, 'invalid_date', 'expiresAt must be a date and time such as 2026-12-01T12:00:00Z.');
    if (expiresAt <= now) throw unprocessable('expiry_in_past', 'A ban must end in the future.');
    if (expiresAt > now + MAX_BAN_DAYS * DAY_MS) throw unprocessable('expiry_too_far', `A ban by domain or address lasts at most ${MAX_BAN_DAYS} days.`);
    const person = input.userId ? await findUserById(this.db, input.userId) : undefined;
    if (input.userId && !person) throw notFound('The person');
    if (person && person.role !== 'commenter') throw forbidden('Staff cannot be banned; change their role first.');
    const values = await this.valuesToBan(input, person);
    const bans = await inTransaction(this.db, async (trx) => {
      const made = [];
      for (const value of values) {
        const row = await insertBan(trx, { kind: input.kind, value, source_user_id: person?.id ?? null, reason, created_by: staff.id, created_at: now, expires_at: expiresAt });
        await appendAudit(
          trx,
          {
            site_id: null,
            actor_id: staff.id,
            action: 'ban.create',
            target_type: 'ban',
            target_id: row.id,
            reason,
            before_json: null,
            // Never the address nor its hash: whose it was, and until when.
            after_json: JSON.stringify({ kind: input.kind, domain: input.kind === 'domain' ? value : undefined, userId: person?.id, expiresAt: iso(expiresAt) }),
          },
          now,
        );
        made.push(row.id);
      }
      return made;
    });
    return Promise.all(bans.map(async (id) => banView((await findBan(this.db, id))!)));
  }

  private async valuesToBan(input: IdentityBanInput, person: UserRow | undefined): Promise<string[]> {
    if (input.kind === 'domain') {
      const domain = (input.domain ?? (person?.email ? emailDomain(person.email) : null))?.trim().toLowerCase().replace(/^@/, '');
      if (!domain) throw new ParleyError(400, 'domain_required', person ? 'This person has no e-mail address; give the domain to ban.' : 'Give the domain to ban (e.g. spam.example) or the person whose domain it is.');
      if (!DOMAIN.test(domain)) throw new ParleyError(400, 'invalid_domain', `"${domain}" is not a domain name such as spam.example.`);
      return [domain];
    }
    if (input.address) {
      if (!networkOf(input.address)) throw new ParleyError(400, 'invalid_address', `"${input.address}" is not an IPv4 or IPv6 address.`);
      return [await this.hashAddress(input.address)];
    }
    if (!person) throw new ParleyError(400, 'address_required', 'Give the person whose network addresses to ban, or an address.');
    const seen = await addressesOf(this.db, person.id, Date.now() - this.retentionMs);
    if (seen.length === 0) {
      throw unprocessable('no_known_address', `No address of ${person.username} is known: addresses are kept only for ${Math.round(this.retentionMs / DAY_MS)} days after they were last seen.`);
    }
    return seen;
  }

  /** Lifts a ban before it expires; audited. */
  async lift(staff: UserRow, id: string, reason: string | null): Promise<IdentityBan> {
    this.assertAllSites(staff);
    const ban = await findBan(this.db, id);
    if (!ban || ban.expires_at <= Date.now()) throw notFound('The ban');
    await inTransaction(this.db, async (trx) => {
      await deleteBan(trx, id);
      await appendAudit(trx, {
        site_id: null,
        actor_id: staff.id,
        action: 'ban.lift',
        target_type: 'ban',
        target_id: id,
        reason: reason?.trim() || null,
        before_json: JSON.stringify({ kind: ban.kind, domain: ban.kind === 'domain' ? ban.value : undefined, userId: ban.source_user_id ?? undefined, expiresAt: iso(ban.expires_at) }),
        after_json: null,
      });
    });
    return banView(ban);
  }
}
