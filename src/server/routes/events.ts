// Live updates for readers: one server-sent event stream per page, for any number of stories.
import { Type } from 'typebox';
import type { App, AppContext } from '../context.js';
import { EventsQuery, StreamTicket, errors } from '../../contracts/schemas.js';
import { requireUser } from '../auth.js';

/** The last event id a reader saw: the Last-Event-ID header of a reconnection, or the query of a first connection. */
function lastEventId(header: string | string[] | undefined, query: string | undefined): number | null {
  const value = typeof header === 'string' && /^[0-9]{1,15}$/.test(header.trim()) ? header.trim() : query;
  return value === undefined ? null : Number(value);
}

/** How long a browser waits before reconnecting a stream that broke. */
const RETRY_MS = 2000;

export async function eventRoutes(app: App, { live, streams, accounts }: AppContext) {
  app.post(
    '/api/events/tickets',
    {
      schema: {
        tags: ['comments'],
        summary: "A short-lived ticket that opens the signed-in reader's own event stream (GET /api/events?ticket=), for EventSource, which cannot send a bearer token",
        response: { 201: StreamTicket, ...errors(401, 403) },
      },
    },
    async (request, reply) => reply.status(201).send(await accounts.streamTicket(requireUser(request))),
  );

  app.get(
    '/api/events',
    {
      config: { rateLimit: false },
      schema: {
        tags: ['comments'],
        summary:
          'Server-sent events of the given stories: each a ThreadEvent (comment.created, edited, deleted, voted, moderated, removed) with its id; resumes after Last-Event-ID',
        description:
          'Each event is `id: N`, `event: <type>`, `data: <ThreadEvent JSON>`. A first `ready` event says the stream follows the stories; ' +
          'a `reset` event says the reader was too far behind to catch up and should load the page again. Held and rejected comments ' +
          'reach only their author and the staff of their site; other readers who saw such a comment get `comment.removed`.',
        querystring: EventsQuery,
        response: { 200: Type.Unknown({ description: 'A text/event-stream of ThreadEvent' }), ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      const storyIds = request.query.stories.split(',');
      const after = lastEventId(request.headers['last-event-id'], request.query.lastEventId);
      // A ticket says whose stream it is where the browser could not send its credentials (the embed's frame).
      const viewer = request.query.ticket ? await accounts.streamViewer(request.query.ticket) : (request.viewer?.user ?? null);
      // HEAD gets the stream's headers and nothing else: no subscription, no timer, no open socket.
      if (request.method === 'HEAD') return streams.head(reply);
      const stream = streams.start(request, reply, 'thread', RETRY_MS);
      try {
        const stop = await live.connect({
          storyIds,
          viewer: viewer && { id: viewer.id, role: viewer.role, site_id: viewer.site_id },
          after,
          send: (event) => stream.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
          reset: (id) => stream.write(`id: ${id}\nevent: reset\ndata: {}\n\n`),
        });
        stream.onClose(stop);
        stream.write('event: ready\ndata: {}\n\n');
      } catch (error) {
        request.log.warn({ err: error }, 'live updates could not start');
        stream.end(RETRY_MS);
      }
    },
  );
}
