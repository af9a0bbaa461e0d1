// A site's webhooks (admins of the site): add, list, remove, the delivery log and replay (docs/delivery.md).
import { Type } from 'typebox';
import type { App, AppContext } from '../context.js';
import { requireRole } from '../auth.js';
import {
  CreatedWebhook,
  DeliveryQuery,
  IdParams,
  SiteDeliveryParams,
  SiteWebhookParams,
  WebhookBody,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookList,
  errors,
} from '../../contracts/schemas.js';

export async function webhookRoutes(app: App, { webhooks }: AppContext) {
  const tags = ['webhooks'];

  app.get(
    '/api/sites/:id/webhooks',
    { schema: { tags, summary: "The site's webhooks (admins)", params: IdParams, response: { 200: WebhookList, ...errors(400, 401, 403, 404) } } },
    async (request) => ({ webhooks: await webhooks.list(requireRole(request, 'admin'), request.params.id) }),
  );

  app.post(
    '/api/sites/:id/webhooks',
    {
      schema: {
        tags,
        summary: 'Add a webhook (admins); the answer carries its signing secret, shown only this once',
        params: IdParams,
        body: WebhookBody,
        response: { 201: CreatedWebhook, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const created = await webhooks.add(requireRole(request, 'admin'), request.params.id, request.body.url, request.body.events ?? []);
      return reply.status(201).send(created);
    },
  );

  app.delete(
    '/api/sites/:id/webhooks/:webhookId',
    { schema: { tags, summary: 'Remove a webhook (admins); deliveries still due to it fail without another attempt', params: SiteWebhookParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404) } } },
    async (request, reply) => {
      await webhooks.remove(requireRole(request, 'admin'), request.params.id, request.params.webhookId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/sites/:id/webhooks/deliveries',
    {
      schema: {
        tags,
        summary: "The site's webhook deliveries, newest first: status, attempts, the receiver's last answer (admins)",
        params: IdParams,
        querystring: DeliveryQuery,
        response: { 200: WebhookDeliveryPage, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => webhooks.log(requireRole(request, 'admin'), request.params.id, request.query.cursor ?? null, request.query.limit ?? 50),
  );

  app.post(
    '/api/sites/:id/webhooks/deliveries/:deliveryId/replay',
    {
      schema: {
        tags,
        summary: 'Send a delivered or failed event again to its webhook, as a new delivery with the same event id (admins)',
        params: SiteDeliveryParams,
        response: { 202: WebhookDelivery, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.status(202).send(await webhooks.replay(requireRole(request, 'admin'), request.params.id, request.params.deliveryId)),
  );
}
