import { timingSafeEqual } from 'node:crypto';
import type { App, AppContext } from '../context.js';
import { outboxBacklog } from '../../storage/outbox.js';
import { ParleyError } from '../../core/errors.js';

const isLoopback = (address: string) => /^(127\.|::1$|::ffff:127\.)/.test(address);

function sameToken(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Prometheus text at /metrics: with PARLEY_METRICS_TOKEN set, only to `Authorization: Bearer <token>`;
 * without it, only to clients on this machine (behind a proxy, set the token or PARLEY_TRUST_PROXY).
 */
export async function metricsRoutes(app: App, { metrics, moderation, config, storage }: AppContext) {
  metrics.gaugeOnScrape('parley_queue_comments', 'Comments waiting in the moderation queues of every site, by queue', ['queue'], async () => {
    const counts = await moderation.totals();
    return [
      { labels: { queue: 'pending' }, value: counts.pending },
      { labels: { queue: 'reported' }, value: counts.reported },
    ];
  });
  metrics.gaugeOnScrape('parley_outbox_pending', 'Mails and webhook calls in the outbox still to send (due or waiting to retry)', [], async () => [
    { labels: {}, value: (await outboxBacklog(storage.db)).pending },
  ]);
  metrics.gaugeOnScrape('parley_outbox_oldest_seconds', 'Age of the oldest mail or webhook call still to send (0: none)', [], async () => {
    const { oldestCreatedAt } = await outboxBacklog(storage.db);
    return [{ labels: {}, value: oldestCreatedAt === null ? 0 : (Date.now() - oldestCreatedAt) / 1000 }];
  });

  app.get('/metrics', { config: { rateLimit: false, ownAuthorization: true }, schema: { hide: true } }, async (request, reply) => {
    if (config.metricsToken) {
      const sent = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (!sent || !sameToken(sent, config.metricsToken)) throw new ParleyError(401, 'invalid_token', 'The metrics need Authorization: Bearer with PARLEY_METRICS_TOKEN.');
    } else if (!isLoopback(request.ip)) {
      throw new ParleyError(403, 'forbidden', 'The metrics answer only on this machine; set PARLEY_METRICS_TOKEN to read them from elsewhere.');
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
