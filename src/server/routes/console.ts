// Serves the moderator console, a single-page application built by Vite into web/dist/admin.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../context.js';
import { ParleyError } from '../../core/errors.js';

const CONSOLE_DIR = fileURLToPath(new URL('../../../web/dist/admin/', import.meta.url));

export async function consoleRoutes(app: App) {
  await app.register(fastifyStatic, {
    root: `${CONSOLE_DIR}assets`,
    prefix: '/admin/assets/',
    decorateReply: false,
    maxAge: '365d',
    immutable: true,
  });

  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.viewer) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
    if (request.viewer.user.role === 'commenter') throw new ParleyError(403, 'forbidden', 'The console is for moderators and admins.');
    let html: string;
    try {
      html = await readFile(`${CONSOLE_DIR}index.html`, 'utf8');
    } catch {
      return reply.status(503).type('text/plain').send('The console is not built yet: run `npm run build`.');
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
  };
  app.get('/admin', { schema: { hide: true } }, page);
  app.get('/admin/:screen', { schema: { hide: true } }, page);
}
