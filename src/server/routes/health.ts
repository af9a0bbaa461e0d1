import type { App, AppContext } from '../context.js';
import { DATABASE_RETRY_AFTER_SECONDS } from '../errors.js';
import { ping } from '../../storage/db.js';
import { Health, Liveness, Readiness } from '../../contracts/schemas.js';

/** A database slower than this to answer `select 1` counts as not answering: the process is not ready. */
const PING_TIMEOUT_MS = 2000;

export async function healthRoutes(app: App, { storage, lifecycle }: AppContext) {
  const config = { rateLimit: false } as const;
  const databaseAnswers = () => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS)));
    const answer = ping(storage.db).then(
      () => true,
      () => false,
    );
    return Promise.race([answer, late]).finally(() => clearTimeout(timer));
  };

  app.get(
    '/healthz',
    { config, schema: { tags: ['operations'], summary: 'Liveness and database reachability', response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      if (await databaseAnswers()) return { status: 'ok', database: storage.dialect };
      return reply.status(503).send({ status: 'unavailable', database: storage.dialect });
    },
  );

  app.get(
    '/livez',
    { config, schema: { tags: ['operations'], summary: 'The process answers (restart it when this fails)', response: { 200: Liveness } } },
    async () => ({ status: 'alive' as const }),
  );

  app.get(
    '/readyz',
    {
      config,
      schema: {
        tags: ['operations'],
        summary: 'Whether to send this process traffic: database reachable and migrated, model loaded, not draining',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const database = await databaseAnswers();
      const ready = database && !lifecycle.draining;
      // A load balancer retries elsewhere; Retry-After tells it when this one may be back.
      if (!ready) reply.status(503).header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return { status: ready ? ('ready' as const) : ('unavailable' as const), database, classifier: lifecycle.classifier, draining: lifecycle.draining };
    },
  );
}
