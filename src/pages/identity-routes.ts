// Signing in through another system with plain HTML: the host site's sign-on token posted by a form (the story
// page's way; the embed's frame uses the JSON API), and OpenID Connect's redirects.
import { Type } from 'typebox';
import type { App, AppContext } from '../server/context.js';
import { setSessionCookie } from '../server/auth.js';
import { localPath } from './routes.js';

const SsoForm = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 8192 }),
  next: Type.Optional(Type.String({ maxLength: 500 })),
  siteId: Type.Optional(Type.String({ pattern: '^[0-9a-z]{1,32}$' })),
});

export async function identityPageRoutes(app: App, { identity, config }: AppContext) {
  const authLimit = { rateLimit: { max: config.rateLimits.authPerMinute, timeWindow: '1 minute' }, skipCsrf: true };
  const hidden = { hide: true };

  // A newsroom's page links a reader to a thread on Parley with a form that posts a fresh token here (docs/identity.md):
  // the session is set on Parley's own origin, then the reader lands on the story page, signed in.
  app.post('/auth/sso', { config: authLimit, schema: { ...hidden, body: SsoForm } }, async (request, reply) => {
    const { session } = await identity.signInWithSso(request.body.token, request.body.siteId ?? null, config.core.sessionTtlMs);
    setSessionCookie(request, reply, session.secret, session.expiresAt);
    return reply.redirect(localPath(request.body.next), 303);
  });
}
