// Accounts that another system vouches for: the newsroom's own sign-on (a token its server signs, verified with
// jose) and, through `linkedAccount`, OpenID Connect providers (oidc.ts). An account is linked to the issuer's id
// for the person, never to a name or an e-mail: renames follow, and the link never moves to someone else.
import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { decodeJwt, errors as jose, jwtVerify, type JWTPayload } from 'jose';
import type { Storage } from '../storage/db.js';
import type { UserRow } from '../storage/schema.js';
import { findSite } from '../storage/sites.js';
import { findUserById, insertUser, takenIdentifiers, updateUser, usernameKey } from '../storage/users.js';
import { emailInUse, findIdentity, findSsoKey, insertIdentity, setSsoKey, touchIdentity, useNonce, type SsoKey } from '../storage/identities.js';
import { createSession, type CreatedSession } from '../storage/sessions.js';
import { ParleyError, notFound } from './errors.js';

/** The longest a sign-on token may live (exp − iat): its id is kept until then. */
export const SSO_MAX_LIFETIME_S = 24 * 3600;
/** Clocks of the host's server and Parley's may differ by this much. */
const CLOCK_TOLERANCE_S = 60;
/** A site's HS256 secret must be at least this long (RFC 7518 §3.2: the hash's size). */
export const HS256_MIN_BYTES = 32;

/** The issuer under which a site's own user ids are linked. */
export const siteIssuer = (siteId: string) => `site:${siteId}`;

const refused = (code: string, message: string) => new ParleyError(401, code, message);

/** What an issuer says about the person at sign-in; the name and e-mail follow their changes. */
export interface Profile {
  name: string;
  email: string | null;
}

/** Roles a site's token may grant: none, or moderator of that site only. */
type GrantedRole = 'commenter' | 'moderator';

/** A username from a display name: the allowed characters, 2 to 30 of them. */
function usernameFrom(name: string): string {
  const cleaned = name
    .normalize('NFKC')
    .replace(/\s+/g, '_')
    .replace(/[^A-Za-z0-9_.-]/g, '')
    .replace(/^[.-]+/, '')
    .slice(0, 24);
  return cleaned.length >= 2 ? cleaned : `reader${cleaned}`;
}

/** Whether a username is the one made from this name (with or without the number that made it free). */
function namedAfter(username: string, name: string): boolean {
  const base = usernameKey(usernameFrom(name)).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${base}(_[0-9a-z]+)?$`).test(usernameKey(username));
}

/** Parses a key a site registers: PEM of an RSA or Ed25519 public key. */
export function publicKeyAlgorithm(pem: string): SsoKey {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new ParleyError(400, 'invalid_public_key', 'The public key is not a PEM-encoded public key.');
  }
  if (key.asymmetricKeyType === 'rsa') return { algorithm: 'RS256', key_material: key.export({ type: 'spki', format: 'pem' }).toString() };
  if (key.asymmetricKeyType === 'ed25519') return { algorithm: 'EdDSA', key_material: key.export({ type: 'spki', format: 'pem' }).toString() };
  throw new ParleyError(400, 'invalid_public_key', 'The public key must be an RSA (RS256) or Ed25519 (EdDSA) key.');
}

function verificationKey(key: SsoKey): KeyObject {
  return key.algorithm === 'HS256' ? createSecretKey(Buffer.from(key.key_material, 'utf8')) : createPublicKey(key.key_material);
}

/** Why jose refused a token, as a reason a host's developer can act on. */
function explain(error: unknown): ParleyError {
  if (error instanceof jose.JWTExpired) {
    return error.claim === 'iat'
      ? refused('sso_token_expired', `The sign-on token was issued too long ago (at most ${SSO_MAX_LIFETIME_S / 3600} hours).`)
      : refused('sso_token_expired', 'The sign-on token has expired (exp is past); sign a fresh one.');
  }
  if (error instanceof jose.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return refused('sso_missing_claim', `The sign-on token has no "${error.claim}" claim.`);
    if (error.claim === 'nbf' || error.claim === 'iat') {
      return refused('sso_token_not_yet_valid', `The sign-on token is not valid yet ("${error.claim}" is in the future); check the host server's clock.`);
    }
    if (error.claim === 'aud') return refused('sso_wrong_audience', 'The sign-on token is for another audience (aud must be the Parley site id).');
    return refused('sso_invalid_claim', `The sign-on token's "${error.claim}" claim is not valid.`);
  }
  if (error instanceof jose.JOSEAlgNotAllowed) {
    return refused('sso_algorithm_not_allowed', 'The sign-on token is signed with another algorithm than the key registered for the site.');
  }
  if (error instanceof jose.JWSSignatureVerificationFailed) {
    return refused('sso_bad_signature', "The sign-on token's signature does not match the key registered for the site.");
  }
  return refused('sso_token_malformed', 'The sign-on token is not a well-formed signed JWT.');
}

function readClaims(payload: JWTPayload): { sub: string; name: string; email: string | null; role: GrantedRole; jti: string; exp: number } {
  const text = (claim: string, max: number) => {
    const value = payload[claim];
    if (value === undefined) throw refused('sso_missing_claim', `The sign-on token has no "${claim}" claim.`);
    if (typeof value !== 'string' || !value.trim() || value.length > max) {
      throw refused('sso_invalid_claim', `The sign-on token's "${claim}" claim must be a non-empty string of at most ${max} characters.`);
    }
    return value.trim();
  };
  const email = payload.email;
  if (email !== undefined && (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254)) {
    throw refused('sso_invalid_claim', 'The sign-on token\'s "email" claim is not an e-mail address.');
  }
  const roles = payload.roles ?? [];
  if (!Array.isArray(roles) || roles.some((r) => r !== 'moderator')) {
    throw refused('sso_role_not_allowed', 'A sign-on token may grant no role, or ["moderator"] (of its own site only).');
  }
  return {
    sub: text('sub', 200),
    name: text('name', 100),
    jti: text('jti', 200),
    email: (email as string | undefined)?.toLowerCase() ?? null,
    role: roles.length ? 'moderator' : 'commenter',
    exp: payload.exp!,
  };
}

export class IdentityService {
  constructor(private readonly storage: Storage) {}

  private get db() {
    return this.storage.db;
  }

  /** Sets a site's sign-on key: an HS256 secret, or a public key (PEM) for RS256 or EdDSA. The key is never shown back. */
  async configureSso(siteId: string, key: { hs256Secret: string } | { publicKeyPem: string }): Promise<SsoKey['algorithm']> {
    if (!(await findSite(this.db, siteId))) throw notFound('The site');
    let stored: SsoKey;
    if ('hs256Secret' in key) {
      if (Buffer.byteLength(key.hs256Secret) < HS256_MIN_BYTES) {
        throw new ParleyError(400, 'weak_secret', `An HS256 secret must be at least ${HS256_MIN_BYTES} bytes long.`);
      }
      stored = { algorithm: 'HS256', key_material: key.hs256Secret };
    } else {
      stored = publicKeyAlgorithm(key.publicKeyPem);
    }
    await setSsoKey(this.db, siteId, stored);
    return stored.algorithm;
  }

  /** The algorithm of a site's sign-on key, or null when the site has none (the key itself is never read out). */
  async ssoAlgorithm(siteId: string): Promise<SsoKey['algorithm'] | null> {
    return (await findSsoKey(this.db, siteId))?.algorithm ?? null;
  }

  /**
   * Signs a reader in with a token the site's server signed: checks it (key, audience, times, claims, single use),
   * then finds or creates the linked account and opens a session. Every refusal is a 401 with its own code.
   * @param expectedSiteId the site the page asking belongs to, when it says: a token for another site is refused
   */
  /** `created`: the account was made by this sign-in (its first sight), for the sign-up checks (ban evasion). */
  async signInWithSso(token: string, expectedSiteId: string | null, sessionTtlMs: number): Promise<{ user: UserRow; session: CreatedSession; created: boolean }> {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw refused('sso_token_malformed', 'The sign-on token is not a well-formed JWT (three base64url parts, a JSON payload).');
    }
    const audience = unverified.aud;
    if (audience === undefined) throw refused('sso_missing_claim', 'The sign-on token has no "aud" claim (the Parley site id).');
    if (typeof audience !== 'string') throw refused('sso_wrong_audience', 'The sign-on token\'s "aud" must be one Parley site id.');
    if (expectedSiteId && audience !== expectedSiteId) {
      throw refused('sso_wrong_site', `The sign-on token is for site "${audience.slice(0, 40)}", not for this site.`);
    }
    const key = await findSsoKey(this.db, audience);
    if (!key) throw refused('sso_wrong_audience', `No Parley site with host sign-on has the id "${audience.slice(0, 40)}" (the token's aud).`);

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, verificationKey(key), {
        algorithms: [key.algorithm],
        audience,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
        maxTokenAge: SSO_MAX_LIFETIME_S,
        clockTolerance: CLOCK_TOLERANCE_S,
      }));
    } catch (error) {
      throw explain(error);
    }
    const claims = readClaims(payload);
    if (claims.exp - (payload.iat ?? 0) > SSO_MAX_LIFETIME_S) {
      throw refused('sso_token_lifetime', `A sign-on token may live at most ${SSO_MAX_LIFETIME_S / 3600} hours (exp − iat).`);
    }
    if (!(await useNonce(this.db, `sso:${audience}`, claims.jti, (claims.exp + CLOCK_TOLERANCE_S) * 1000))) {
      throw refused('sso_token_replayed', 'This sign-on token was already used (its jti); sign a new one for each sign-in.');
    }
    const { user, created } = await this.linkedAccount(siteIssuer(audience), claims.sub, audience, { name: claims.name, email: claims.email }, {
      siteId: audience,
      role: claims.role,
    });
    return { user, session: await createSession(this.db, user.id, sessionTtlMs), created };
  }

  /**
   * The account linked to (issuer, subject): created at first sight, its name and e-mail brought up to date
   * after (`created` says which). A role a site grants applies only to that site's readers and moderators, never to
   * other staff.
   */
  async linkedAccount(
    issuer: string,
    subject: string,
    siteId: string | null,
    profile: Profile,
    grant?: { siteId: string; role: GrantedRole },
  ): Promise<{ user: UserRow; created: boolean }> {
    const now = Date.now();
    const link = await findIdentity(this.db, issuer, subject);
    const roleFor = (current: UserRow | null): Partial<UserRow> => {
      if (!grant) return {};
      const grantable = !current || current.role === 'commenter' || (current.role === 'moderator' && current.site_id === grant.siteId);
      if (!grantable) return {};
      return grant.role === 'moderator' ? { role: 'moderator', site_id: grant.siteId } : { role: 'commenter', site_id: null };
    };
    if (link) {
      const user = await findUserById(this.db, link.user_id);
      if (!user) throw notFound('The account');
      const changes: Partial<UserRow> = { ...roleFor(user) };
      if (!namedAfter(user.username, profile.name)) {
        changes.username = await this.freeUsername(profile.name);
        changes.username_key = usernameKey(changes.username);
      }
      if (profile.email && profile.email !== user.email && !(await emailInUse(this.db, profile.email))) changes.email = profile.email;
      const changed = Object.entries(changes).some(([k, v]) => user[k as keyof UserRow] !== v);
      if (changed) await updateUser(this.db, user.id, changes);
      await touchIdentity(this.db, issuer, subject, now);
      return { user: { ...user, ...changes }, created: false };
    }
    const username = await this.freeUsername(profile.name);
    // An address another account holds stays with it: an issuer's word links no one to an existing account.
    const email = profile.email && !(await emailInUse(this.db, profile.email)) ? profile.email : null;
    const granted = roleFor(null);
    try {
      const user = await this.db.transaction().execute(async (trx) => {
        const inserted = await insertUser(trx, { username, email, passwordHash: '', role: granted.role ?? 'commenter', siteId: granted.site_id ?? null }, now);
        await insertIdentity(trx, { issuer, subject, user_id: inserted.id, site_id: siteId, created_at: now, last_seen_at: now });
        return inserted;
      });
      return { user, created: true };
    } catch (error) {
      // The same person signing in twice at once: the other request made the link; use it.
      const made = await findIdentity(this.db, issuer, subject);
      const user = made && (await findUserById(this.db, made.user_id));
      if (user) return { user, created: false };
      throw error;
    }
  }

  /** A free username from a display name: the name itself, or with a number after it. */
  private async freeUsername(name: string): Promise<string> {
    const base = usernameFrom(name);
    for (let n = 1; n < 50; n++) {
      const candidate = n === 1 ? base : `${base}_${n}`;
      if (!(await takenIdentifiers(this.db, candidate, null)).username) return candidate;
    }
    return `${base}_${Math.random().toString(36).slice(2, 8)}`;
  }
}
