// Builds the HTTP server: plugins, authentication, the JSON API and the server-rendered pages.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import { Redis } from 'ioredis';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { App, AppContext } from './context.js';
// Callers that build the whole server (the CLI, tests, benchmarks) may take the context from here too.
export { createContext, type App, type AppContext } from './context.js';
import { ParleyError } from '../core/errors.js';
import { installAuth } from './auth.js';
import { frameworkErrorOptions, installErrorHandling } from './errors.js';
import { SHARED_MODELS } from '../contracts/schemas.js';
import { rejectNulCharacters, validatorCompiler } from './validation.js';
import { authRoutes } from './routes/auth.js';
import { identityRoutes } from './routes/identity.js';
import { guestRoutes } from './routes/guests.js';
import { storyRoutes } from './routes/stories.js';
import { commentRoutes } from './routes/comments.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { queueRoutes } from './routes/queue.js';
import { deskRoutes } from './routes/desk.js';
import { peopleRoutes, personRoutes } from './routes/people.js';
import { banRoutes } from './routes/bans.js';
import { siteRoutes } from './routes/sites.js';
import { learningRoutes } from './routes/learning.js';
import { consoleRoutes } from './routes/console.js';
import { embedRoutes } from './routes/embed.js';
import { eventRoutes } from './routes/events.js';
import { storyScriptRoutes } from './routes/story-script.js';
import { transferRoutes } from './routes/transfers.js';
import { pageRoutes } from '../pages/routes.js';
import { embedPageRoutes, keepEmbedPopupOpener } from '../pages/embed-routes.js';
import { identityPageRoutes } from '../pages/identity-routes.js';
import { mailRoutes } from './routes/mail.js';
import { webhookRoutes } from './routes/webhooks.js';
import { mailPageRoutes } from '../pages/mail-pages.js';
import { renderErrorPage } from '../pages/error-page.js';
import { securityHeaders } from './security-headers.js';

const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));
/** How often each process asks whether the day's digest is due (it plans it once a day at most). */
const DIGEST_CHECK_MS = 5 * 60_000;

/** @param logger log to standard output (the server) or not at all (tests) */
export async function buildApp(context: AppContext, { logger = true } = {}): Promise<App> {
  const { storage, config } = context;
  const app = Fastify({
    logger: logger ? { level: config.logLevel } : false,
    trustProxy: config.trustProxy,
    // Live-update streams never end by themselves: close them when the server stops.
    forceCloseConnections: true,
    bodyLimit: 256 * 1024,
    logController: new LogController({ disableRequestLogging: !config.accessLog }),
    // A request id the client or a proxy sent is kept when it looks like one; otherwise a new one.
    requestIdHeader: false,
    genReqId: (request) => {
      const sent = request.headers['x-request-id'];
      return typeof sent === 'string' && /^[\w.:-]{1,64}$/.test(sent) ? sent : randomUUID();
    },
    ...frameworkErrorOptions(renderErrorPage),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Every answer names its request, so that a reader's report can be matched with the log line, and carries the
  // security headers, computed once (src/server/security-headers.ts); a synchronous hook, no promise per request.
  const security = securityHeaders({
    // Headers no browser of today reads (docs/architecture.md, "Security headers"): each costs every answer bytes
    // and every client its parse.
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'https:', 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        // helmet's defaults that say nothing here (docs/architecture.md, "Security"): no page loads a font, so
        // default-src covers fonts; script-src without 'unsafe-inline' already refuses inline event handlers.
        fontSrc: null,
        scriptSrcAttr: null,
        // Upgrading would break a server reached over plain http (a laptop, a test); a proxy that
        // terminates https sets its own policy.
        upgradeInsecureRequests: null,
      },
    },
  });
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(security).header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    context.metrics.httpRequests.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });

  for (const schema of SHARED_MODELS) app.addSchema(schema);
  app.setValidatorCompiler(validatorCompiler(SHARED_MODELS));
  installErrorHandling(app, renderErrorPage);
  rejectNulCharacters(app);

  // gzip or brotli as the client asks; the shared thread pages come compressed already (src/server/page-cache.ts).
  await app.register(compress, { encodings: ['br', 'gzip'] });
  await app.register(cookie);
  await app.register(formbody);
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true, connectTimeout: 5000 })
    : null;
  if (redis) {
    redis.on('error', (error) => app.log.warn({ err: error }, 'redis for rate limits is unreachable'));
    app.addHook('onClose', async () => {
      redis.disconnect();
    });
    // Connected before the first request, so that no request goes uncounted while it connects.
    await redis.connect().catch((error: unknown) => app.log.warn({ err: error }, 'redis for rate limits is unreachable at start'));
  }
  await app.register(rateLimit, {
    max: config.rateLimits.perMinute,
    // Shared counters in Redis when configured; a Redis outage lets requests through rather than refusing everyone.
    ...(redis ? { redis, nameSpace: config.rateLimits.namespace, skipOnError: true } : {}),
    timeWindow: '1 minute',
    errorResponseBuilder: (_request, context) =>
      new ParleyError(429, 'rate_limited', `Too many requests; try again in ${context.after}.`),
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Parley API', version: '1', description: 'Stories, threaded comments, votes and accounts.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'parley_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  await app.register(fastifyStatic, { root: PUBLIC_DIR, prefix: '/static/', maxAge: '1h' });

  // Browsers ask for /favicon.ico whatever the page says.
  app.get('/favicon.ico', { schema: { hide: true } }, (_request, reply) => reply.redirect('/static/favicon.svg', 301));

  installAuth(app, storage.db);
  keepEmbedPopupOpener(app);

  await app.register(healthRoutes, context);
  await app.register(metricsRoutes, context);
  await app.register(authRoutes, context);
  await app.register(identityRoutes, context);
  await app.register(storyRoutes, context);
  await app.register(commentRoutes, context);
  await app.register(guestRoutes, context);
  await app.register(eventRoutes, context);
  app.addHook('onClose', () => context.live.close());
  if (config.delivery.dispatcher) {
    app.addHook('onReady', async () => context.dispatcher.start());
    app.addHook('onClose', () => context.dispatcher.stop());
  }
  // The daily digest of the queues for staff, planned by whichever process asks first once the hour has come.
  const digestHour = config.delivery.digestHourUtc;
  if (config.delivery.dispatcher && digestHour !== null && context.mail.enabled) {
    let schedule: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      const ask = () => context.mail.planDueDigest(digestHour).catch((error: Error) => app.log.warn({ err: error }, 'the daily digest could not be planned'));
      schedule = setInterval(ask, DIGEST_CHECK_MS);
      schedule.unref();
    });
    app.addHook('onClose', async () => clearInterval(schedule));
  }
  // The event log keeps what a reconnecting reader may need, not every change forever.
  if (config.eventRetentionMs > 0) app.addHook('onReady', async () => context.live.pruneEvery(config.eventRetentionMs, 3_600_000));
  // Before the server stops listening: streams would otherwise hold it open, or be cut without a word.
  app.addHook('preClose', async () => context.streams.closeAll());
  await app.register(queueRoutes, context);
  await app.register(deskRoutes, context);
  await app.register(peopleRoutes, context);
  await app.register(personRoutes, context);
  await app.register(banRoutes, context);
  await app.register(siteRoutes, context);
  await app.register(embedRoutes, context);
  await app.register(learningRoutes, context);
  await app.register(transferRoutes, context);
  await app.register(mailRoutes, context);
  await app.register(webhookRoutes, context);
  await app.register(pageRoutes, context);
  await app.register(embedPageRoutes, context);
  await app.register(identityPageRoutes, context);
  await app.register(mailPageRoutes, context);
  await app.register(consoleRoutes);
  await app.register(storyScriptRoutes);
  return app;
}
