import type { App, AppContext } from '../context.js';
import { ping } from '../../storage/db.js';

export async function healthRoutes(app: App, { storage }: AppContext) {
  app.get(
    '/healthz',
    {
      config: { rateLimit: false },
      schema: {
        tags: ['operations'],
        summary: 'Liveness and database reachability',
        response: {
          200: { type: 'object', properties: { status: { type: 'string' }, database: { type: 'string' } } },
          503: { type: 'object', properties: { status: { type: 'string' }, database: { type: 'string' } } },
        },
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
