// Signing in with an identity from elsewhere (the host site's own sign-on token), and a reader's own data: the
// download and deleting the account (docs/identity.md).
import type { App, AppContext } from '../context.js';
import { userView } from '../../core/accounts.js';
import { createShortLivedToken } from '../../storage/sessions.js';
import { EMBED_TOKEN_TTL_MS } from '../../pages/embed-routes.js';
import { clearSessionCookie, requireUser, setSessionCookie } from '../auth.js';
import { AccountDeleted, PersonalDataResponse, SsoBody, SsoResponse, errors } from '../../contracts/schemas.js';

export async function identityRoutes(app: App, { storage, identity, personalData, banEvasion, config }: AppContext) {
  const authLimit = { rateLimit: { max: config.rateLimits.authPerMinute, timeWindow: '1 minute' }, skipCsrf: true };

  app.post(
    '/api/auth/sso',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary: "Sign in with the host site's sign-on token; sets the session cookie",
        description:
          'The token is a JWT the newsroom\'s server signs (HS256 with the site\'s secret, or RS256/EdDSA with its registered key) with ' +
          'sub, name, optional email and picture, aud = the Parley site id, exp, iat, jti (single use) and optional roles ["moderator"]. ' +
          'Each way a token is wrong is a 401 with its own code (sso_token_expired, sso_token_not_yet_valid, sso_bad_signature, ' +
          'sso_token_replayed, sso_wrong_audience, sso_wrong_site, sso_missing_claim, sso_token_malformed, …).',
        body: SsoBody,
        response: { 200: SsoResponse, ...errors(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const { token, siteId, bearer } = request.body;
      const { user, session, created } = await identity.signInWithSso(token, siteId ?? null, config.core.sessionTtlMs);
      // A first sign-in makes the account: the sign-up checks (a banned reader's network or mailbox) apply.
      if (created) await banEvasion.onSignUp(user, request.ip);
      setSessionCookie(request, reply, session.secret, session.expiresAt);
      const accessToken = bearer ? await createShortLivedToken(storage.db, user.id, 'sso', EMBED_TOKEN_TTL_MS) : undefined;
      return { user: userView(user), csrfToken: session.csrfToken, ...(accessToken ? { accessToken } : {}) };
    },
  );

  app.get(
    '/api/me/data',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Everything Parley holds about the signed-in reader, as JSON (audited)',
        response: { 200: PersonalDataResponse, ...errors(401) },
      },
    },
    async (request, reply) => {
      const data = await personalData.export(requireUser(request));
      reply.header('cache-control', 'no-store').header('content-disposition', 'attachment; filename="parley-my-data.json"');
      return data;
    },
  );

  app.delete(
    '/api/me',
    {
      schema: {
        tags: ['accounts'],
        summary: "Delete the signed-in reader's account (audited): sessions end, comments become \"[deleted]\" or are erased per the install's policy",
        response: { 200: AccountDeleted, ...errors(401, 403) },
      },
    },
    async (request, reply) => {
      const counts = await personalData.deleteAccount(requireUser(request));
      clearSessionCookie(reply);
      return counts;
    },
  );
}
