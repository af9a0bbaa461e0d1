// Guests' comments (a name and an optional e-mail, no account), where a site allows them: moderated under its
// guest setting (premoderate or stricter, guestPolicy in src/moderation/policy.ts), rate-limited per address and per
// browser, and each one paying a proof of work: a challenge the server signed (HMAC, expiring, single use) and a
// number whose SHA-256 with it starts with enough zero bits. A browser finds one in about a second; a curl loop
// that only replays requests has none to send.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Storage } from '../storage/db.js';
import type { GuestMode } from '../storage/schema.js';
import { newSecret } from '../storage/ids.js';
import { findStory } from '../storage/stories.js';
import { countGuestPosts, findGuestMode, installSecret, recordGuestPost } from '../storage/guests.js';
import { touchIdentity, useNonce } from '../storage/identities.js';
import type { CommentService, PostedComment } from './comments.js';
import type { IdentityService } from './identity.js';
import type { GuestConfig } from './config.js';
import type { BanEvasionService } from './ban-evasion.js';
import { ParleyError, notFound } from './errors.js';

/** How long a challenge may be answered. */
export const CHALLENGE_TTL_MS = 10 * 60_000;
const HOUR_MS = 3_600_000;

export interface GuestChallenge {
  challenge: string;
  difficulty: number;
  expiresAt: string;
}

export interface GuestComment {
  storyId: string;
  name: string;
  email: string | null;
  body: string;
  parentId: string | null;
  challenge: string;
  solution: string;
  /** The hidden field people never see and bots fill in. */
  website?: string | undefined;
  address: string;
  browserId: string | null;
}

interface ChallengeClaims {
  /** site, browser (or ""), nonce, expiry (epoch ms), bits */
  s: string;
  b: string;
  n: string;
  e: number;
  d: number;
}

/** The number of leading zero bits of a digest. */
export function leadingZeroBits(digest: Buffer): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** What a browser computes: a number whose SHA-256 with the challenge has `difficulty` leading zero bits. */
export function proofDigest(challenge: string, solution: string): Buffer {
  return createHash('sha256').update(`${challenge}:${solution}`).digest();
}

const refused = (code: string, message: string) => new ParleyError(400, code, message);

export class GuestService {
  private secret: Promise<string> | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly comments: CommentService,
    private readonly identity: IdentityService,
    private readonly config: GuestConfig,
    private readonly banEvasion: BanEvasionService,
  ) {}

  private get db() {
    return this.storage.db;
  }

  private key(): Promise<string> {
    this.secret ??= installSecret(this.db, 'guests');
    return this.secret;
  }

  private async sign(payload: string): Promise<string> {
    return createHmac('sha256', await this.key()).update(payload).digest('base64url');
  }

  private async storySite(storyId: string): Promise<{ siteId: string; mode: Exclude<GuestMode, 'off'> }> {
    const story = await findStory(this.db, storyId);
    if (!story) throw notFound('The story');
    const mode = await findGuestMode(this.db, story.site_id);
    if (!mode || mode === 'off') throw new ParleyError(403, 'guests_off', 'This site does not take comments from guests; log in or sign up to comment.');
    return { siteId: story.site_id, mode };
  }

  /** A fresh challenge for a guest's comment on a story, bound to the browser when it has an id. */
  async challenge(storyId: string, browserId: string | null): Promise<GuestChallenge> {
    const { siteId } = await this.storySite(storyId);
    const expiresAt = Date.now() + CHALLENGE_TTL_MS;
    const claims: ChallengeClaims = { s: siteId, b: browserId ?? '', n: newSecret(12), e: expiresAt, d: this.config.proofBits };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { challenge: `${payload}.${await this.sign(payload)}`, difficulty: claims.d, expiresAt: new Date(expiresAt).toISOString() };
  }

  private async checkProof(siteId: string, input: GuestComment): Promise<void> {
    const [payload, signature, extra] = input.challenge.split('.');
    const expected = payload ? Buffer.from(await this.sign(payload)) : null;
    if (!payload || !signature || extra !== undefined || !expected || expected.length !== Buffer.byteLength(signature) || !timingSafeEqual(expected, Buffer.from(signature))) {
      throw refused('invalid_challenge', 'The challenge is not one this server issued; ask for a new one.');
    }
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as ChallengeClaims;
    if (claims.s !== siteId) throw refused('invalid_challenge', 'The challenge was issued for another site.');
    if (claims.b && claims.b !== input.browserId) throw refused('invalid_challenge', 'The challenge was issued to another browser.');
    if (claims.e < Date.now()) throw refused('challenge_expired', 'The challenge has expired; ask for a new one.');
    if (!/^\d{1,20}$/.test(input.solution) || leadingZeroBits(proofDigest(input.challenge, input.solution)) < claims.d) {
      throw refused('proof_of_work_failed', `The solution does not give ${claims.d} leading zero bits; the page's script finds one.`);
    }
    if (!(await useNonce(this.db, `guest:${siteId}`, claims.n, claims.e))) {
      throw refused('challenge_used', 'This challenge was already used; ask for a new one for each comment.');
    }
  }

  /** Posts a guest's comment after its checks: the honeypot, the proof of work, the rate limits. */
  async post(input: GuestComment): Promise<PostedComment> {
    const { siteId, mode } = await this.storySite(input.storyId);
    if (input.website) throw refused('spam_suspected', 'The comment looks automated and was not posted.');
    await this.banEvasion.refuseBannedDomain(input.email);
    await this.checkProof(siteId, input);
    const key = await this.key();
    const addressHash = createHmac('sha256', key).update(`address:${input.address}`).digest('base64url');
    const recent = await countGuestPosts(this.db, addressHash, input.browserId, Date.now() - HOUR_MS);
    if (recent.address >= this.config.perAddressPerHour || recent.browser >= this.config.perBrowserPerHour) {
      throw new ParleyError(429, 'guest_rate_limited', 'Too many comments from guests here in the last hour; try later, or sign up.');
    }
    // One guest account per browser, name and address: a guest's comments stay together, under their name.
    const issuer = `guest:${siteId}`;
    const subject = createHmac('sha256', key)
      .update(`${input.browserId ?? addressHash}\n${input.name.trim()}\n${input.email ?? ''}`)
      .digest('base64url');
    const { user: author } = await this.identity.linkedAccount(issuer, subject, siteId, { name: `${input.name} guest`, email: null });
    await touchIdentity(this.db, issuer, subject, Date.now(), input.email?.toLowerCase() ?? null);
    // A guest from the network of a banned reader (or an address a moderator banned) is held like an account.
    return this.banEvasion.screened(author, input.address, async (screen) => {
      const posted = await this.comments.post(author, input.storyId, input.body, input.parentId, undefined, mode, screen);
      await recordGuestPost(this.db, { siteId, addressHash, browserId: input.browserId }, HOUR_MS);
      return posted;
    });
  }
}
