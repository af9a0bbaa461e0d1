import type { FastifyRequest } from 'fastify';
import { html } from './html.js';
import { layout } from './layout.js';

const TITLES: Record<number, string> = {
  400: 'That request did not work',
  401: 'Please log in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'That cannot be done now',
  413: 'Too large',
  422: 'That cannot be done',
  429: 'Slow down',
};

export function renderErrorPage(request: FastifyRequest, status: number, message: string): string {
  const title = TITLES[status] ?? 'Something went wrong';
  return layout(
    { title, user: request.viewer?.user ?? null, csrfToken: request.viewer?.csrfToken ?? null, path: '/' },
    html`<section class="notice error"><h1>${title}</h1><p>${message}</p><p><a href="/">Back to the stories</a></p></section>`,
  );
}
