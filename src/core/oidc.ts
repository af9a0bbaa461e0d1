// Signing in with an OpenID Connect provider a site offers (any number per site): the authorization code flow with
// PKCE, state and nonce, through openid-client. The account is linked by (issuer, sub), as identity.ts links a
// site's own sign-on; the provider's e-mail is stored only when it says the address is verified.
import * as client from 'openid-client';
import type { Storage } from '../storage/db.js';
import type { UserRow } from '../storage/schema.js';
import { findDefaultSite, findSite } from '../storage/sites.js';
import { newSecret } from '../storage/ids.js';
import {
  findOidcProvider,
  insertOidcFlow,
  listOidcProviders,
  removeOidcProvider,
  takeOidcFlow,
  upsertOidcProvider,
  type OidcProviderRow,
} from '../storage/identities.js';
import { createSession, type CreatedSession } from '../storage/sessions.js';
import type { IdentityService } from './identity.js';
import { ParleyError, notFound } from './errors.js';

/** How long a reader has to sign in at the provider. */
export const OIDC_FLOW_TTL_MS = 10 * 60_000;
export const PROVIDER_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

export interface NewOidcProvider {
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** An issuer on this machine may be plain http (a provider under test, a local one); every other must be https. */
function loopback(issuer: URL): boolean {
  return issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
}

function checkIssuer(issuer: string): URL {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ParleyError(400, 'invalid_issuer', 'The issuer must be a URL, such as https://accounts.example.com.');
  }
  if (url.protocol !== 'https:' && !loopback(url)) throw new ParleyError(400, 'invalid_issuer', 'The issuer must be an https URL.');
  return url;
}

/** The ID token claim a check failed on, found down the chain of causes (openid-client wraps oauth4webapi's error). */
function failedClaim(error: unknown): unknown {
  for (let cause = error as { cause?: unknown; claim?: unknown } | undefined, depth = 0; cause && depth < 4; depth++) {
    if (cause.claim !== undefined) return cause.claim;
    cause = cause.cause as typeof cause;
  }
  return undefined;
}

const refused = (code: string, message: string) => new ParleyError(401, code, message);

export class OidcService {
  /** Each provider's discovered configuration, fetched once per process. */
  private readonly configurations = new Map<string, Promise<client.Configuration>>();

  constructor(
    private readonly storage: Storage,
    private readonly identity: IdentityService,
  ) {}

  private get db() {
    return this.storage.db;
  }

  /** Adds (or replaces) a provider for a site. The secret is never shown back. */
  async add(siteId: string, provider: NewOidcProvider): Promise<void> {
    if (!(await findSite(this.db, siteId))) throw notFound('The site');
    if (!PROVIDER_NAME_PATTERN.test(provider.name)) {
      throw new ParleyError(400, 'invalid_provider_name', 'A provider name is 1 to 40 lower-case letters, digits and "-", used in URLs.');
    }
    checkIssuer(provider.issuer);
    if (!provider.clientId || !provider.clientSecret) throw new ParleyError(400, 'invalid_client', 'Give the client id and secret the provider issued.');
    await upsertOidcProvider(this.db, {
      site_id: siteId,
      name: provider.name,
      issuer: provider.issuer.replace(/\/$/, ''),
      client_id: provider.clientId,
      client_secret: provider.clientSecret,
      created_at: Date.now(),
    });
    this.configurations.clear();
  }

  /** A site's providers: name, issuer and client id (never the secret). */
  async list(siteId: string): Promise<Array<{ name: string; issuer: string; clientId: string }>> {
    if (!(await findSite(this.db, siteId))) throw notFound('The site');
    return (await listOidcProviders(this.db, siteId)).map((p) => ({ name: p.name, issuer: p.issuer, clientId: p.client_id }));
  }

  /** The providers the default site offers, for the log-in page's "Sign in with …" links. */
  async offered(): Promise<Array<{ name: string; siteId: string }>> {
    const site = await findDefaultSite(this.db);
    return site ? (await listOidcProviders(this.db, site.id)).map((p) => ({ name: p.name, siteId: site.id })) : [];
  }

  async remove(siteId: string, name: string): Promise<boolean> {
    this.configurations.clear();
    return removeOidcProvider(this.db, siteId, name);
  }

  private configuration(provider: OidcProviderRow): Promise<client.Configuration> {
    const key = `${provider.site_id}/${provider.name}/${provider.issuer}/${provider.client_id}`;
    let found = this.configurations.get(key);
    if (!found) {
      const issuer = checkIssuer(provider.issuer);
      found = client.discovery(issuer, provider.client_id, undefined, client.ClientSecretBasic(provider.client_secret), {
        ...(loopback(issuer) ? { execute: [client.allowInsecureRequests] } : {}),
      });
      // A provider that was down is asked again next time.
      found.catch(() => this.configurations.delete(key));
      this.configurations.set(key, found);
    }
    return found.catch(() => {
      throw new ParleyError(422, 'oidc_provider_unreachable', `The sign-in provider "${provider.name}" could not be reached; try again later.`);
    });
  }

  /**
   * Starts a sign-in: a new state, nonce and PKCE verifier, kept for OIDC_FLOW_TTL_MS; answers the provider's
   * authorization URL and the state (for the browser's cookie, so that only the browser that started may finish).
   */
  async start(siteIdOrDefault: string | null, name: string, redirectUri: string, next: string): Promise<{ url: string; state: string }> {
    const siteId = siteIdOrDefault ?? (await findDefaultSite(this.db))?.id ?? '';
    const provider = await findOidcProvider(this.db, siteId, name);
    if (!provider) throw notFound(`The sign-in provider "${name}"`);
    const config = await this.configuration(provider);
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    await insertOidcFlow(this.db, {
      state,
      site_id: siteId,
      provider: name,
      code_verifier: codeVerifier,
      nonce,
      next_path: next,
      expires_at: Date.now() + OIDC_FLOW_TTL_MS,
    });
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state };
  }

  /**
   * Finishes a sign-in at the redirect back from the provider: the state must be the browser's own and still
   * open; openid-client checks it again, exchanges the code with the PKCE verifier and checks the ID token and its
   * nonce. Then the linked account (created at first sight) gets a session.
   */
  async finish(
    name: string,
    currentUrl: URL,
    browserState: string | undefined,
    sessionTtlMs: number,
  ): Promise<{ user: UserRow; session: CreatedSession; next: string; created: boolean }> {
    const state = currentUrl.searchParams.get('state');
    if (currentUrl.searchParams.get('error')) {
      throw refused('oidc_denied', `The sign-in provider did not sign you in (${currentUrl.searchParams.get('error')!.slice(0, 60)}).`);
    }
    if (!state || !browserState || state !== browserState) {
      throw refused('oidc_state_mismatch', 'This sign-in was not started in this browser (its state does not match); start again.');
    }
    const flow = await takeOidcFlow(this.db, state);
    if (!flow || flow.provider !== name) throw refused('oidc_state_unknown', 'This sign-in has expired or was already used; start again.');
    const provider = await findOidcProvider(this.db, flow.site_id, name);
    if (!provider) throw notFound(`The sign-in provider "${name}"`);
    const config = await this.configuration(provider);
    let claims: client.IDToken & client.UserInfoResponse;
    try {
      const tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: flow.code_verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims()!;
      // Many providers put the profile in the userinfo answer rather than the ID token; its sub must be the token's.
      claims = { ...(await client.fetchUserInfo(config, tokens.access_token, idToken.sub)), ...idToken };
    } catch (error) {
      if (failedClaim(error) === 'nonce') throw refused('oidc_nonce_mismatch', "The provider's ID token is not for this sign-in (its nonce does not match).");
      const detail = error instanceof Error ? error.message : String(error);
      throw refused('oidc_failed', `The sign-in provider's answer could not be verified: ${detail.slice(0, 200)}`);
    }
    const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);
    const { user, created } = await this.identity.linkedAccount(claims.iss, claims.sub, flow.site_id, {
      name: text(claims.name) ?? text(claims.preferred_username) ?? text(claims.nickname) ?? 'reader',
      email: claims.email_verified === true && text(claims.email) ? text(claims.email)!.toLowerCase() : null,
    });
    return { user, session: await createSession(this.db, user.id, sessionTtlMs), next: flow.next_path, created };
  }
}
