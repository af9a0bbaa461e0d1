// Signing in through another system with plain HTML: the host site's sign-on token posted by a form (the story
// page's way; the embed's frame uses the JSON API), and OpenID Connect's redirects.
import { Type } from 'typebox';
import type { App, AppContext } from '../server/context.js';
import { setSessionCookie } from '../server/auth.js';
import { OIDC_FLOW_TTL_MS } from '../core/oidc.js';
import { localPath } from './routes.js';

/** The state of the sign-in this browser started: only it may finish it (no one else's code lands in its session). */
const OIDC_COOKIE = 'parley_oidc';
const ProviderParams = Type.Object({ provider: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,39}$' }) });
const StartQuery = Type.Object({
  siteId: Type.Optional(Type.String({ pattern: '^[0-9a-z]{1,32}$' })),
  next: Type.Optional(Type.String({ maxLength: 500 })),
});
const CallbackQuery = Type.Object({}, { additionalProperties: Type.String({ maxLength: 4096 }) });

const SsoForm = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 8192 }),
  next: Type.Optional(Type.String({ maxLength: 500 })),
  siteId: Type.Optional(Type.String({ pattern: '^[0-9a-z]{1,32}$' })),
});

export async function identityPageRoutes(app: App, { identity, oidc, banEvasion, config }: AppContext) {
  const authLimit = { rateLimit: { max: config.rateLimits.authPerMinute, timeWindow: '1 minute' }, skipCsrf: true };
  const hidden = { hide: true };

  // A newsroom's page links a reader to a thread on Parley with a form that posts a fresh token here (docs/identity.md):
  // the session is set on Parley's own origin, then the reader lands on the story page, signed in.
  app.post('/auth/sso', { config: authLimit, schema: { ...hidden, body: SsoForm } }, async (request, reply) => {
    const { user, session, created } = await identity.signInWithSso(request.body.token, request.body.siteId ?? null, config.core.sessionTtlMs);
    if (created) await banEvasion.onSignUp(user, request.ip);
    setSessionCookie(request, reply, session.secret, session.expiresAt);
    return reply.redirect(localPath(request.body.next), 303);
  });

  const callbackUrl = (request: { protocol: string; host: string }, provider: string) =>
    `${request.protocol}://${request.host}/auth/oidc/${provider}/callback`;

  // "Sign in with …": off to the provider, with a fresh state, nonce and PKCE challenge.
  app.get('/auth/oidc/:provider/start', { config: authLimit, schema: { ...hidden, params: ProviderParams, querystring: StartQuery } }, async (request, reply) => {
    const { provider } = request.params;
    const { url, state } = await oidc.start(request.query.siteId ?? null, provider, callbackUrl(request, provider), localPath(request.query.next));
    reply.setCookie(OIDC_COOKIE, state, {
      path: '/auth/oidc/',
      httpOnly: true,
      sameSite: 'lax',
      secure: request.protocol === 'https',
      maxAge: OIDC_FLOW_TTL_MS / 1000,
    });
    return reply.redirect(url, 303);
  });

  // Back from the provider: the code is exchanged and checked, the reader signed in and sent where they started.
  app.get('/auth/oidc/:provider/callback', { config: authLimit, schema: { ...hidden, params: ProviderParams, querystring: CallbackQuery } }, async (request, reply) => {
    const { provider } = request.params;
    const current = new URL(request.url, callbackUrl(request, provider));
    reply.clearCookie(OIDC_COOKIE, { path: '/auth/oidc/' });
    const { user, session, next, created } = await oidc.finish(provider, current, request.cookies[OIDC_COOKIE], config.core.sessionTtlMs);
    // A first sign-in makes the account: the sign-up checks (a banned reader's network or mailbox) apply.
    if (created) await banEvasion.onSignUp(user, request.ip);
    setSessionCookie(request, reply, session.secret, session.expiresAt);
    return reply.redirect(next, 303);
  });
}
