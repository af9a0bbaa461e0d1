import type { App, AppContext } from '../context.js';
import { ping } from '../../storage/db.js';
import { Health } from '../../contracts/schemas.js';

export async function healthRoutes(app: App, { storage }: AppContext) {
  app.get(
    '/healthz',
    {
      config: { rateLimit: false },
      schema: {
        tags: ['operations'],
        summary: 'Liveness and database reachability',
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      try {
        await ping(storage.db);
        return { status: 'ok', database: storage.dialect };
      } catch {
        return reply.status(503).send({ status: 'unavailable', database: storage.dialect });
      }
    },
  );
}
