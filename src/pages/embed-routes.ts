// The embed's pages: the frame that shows a story's discussion inside a host page, and the end of the pop-up
// sign-in that hands the frame a short-lived token (third-party cookies are blocked in most browsers now).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App, AppContext } from '../server/context.js';
import { IdParams } from '../contracts/schemas.js';
import { normalizeOrigin } from '../core/embed.js';
import { createShortLivedToken } from '../storage/sessions.js';
import { findGuestMode } from '../storage/guests.js';
import { framePage, frameRefusedPage, signedInPage, type FrameTheme } from './embed-page.js';

/** How long the frame's sign-in token works: a reading session, not a login that outlives the tab. */
export const EMBED_TOKEN_TTL_MS = 4 * 3_600_000;

const FrameQuery = Type.Object({
  origin: Type.Optional(Type.String({ maxLength: 300 })),
  sort: Type.Optional(Type.Union([Type.Literal('oldest'), Type.Literal('newest'), Type.Literal('top')])),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  accent: Type.Optional(Type.String({ maxLength: 100 })),
  font: Type.Optional(Type.String({ maxLength: 200 })),
  scheme: Type.Optional(Type.String({ maxLength: 10 })),
});

const ACCENT = /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}|(rgb|hsl)a?\([\d\s.,%/]+\))$/;
const FONT = /^[\w\s,'"-]{1,200}$/;

export function theme(query: { accent?: string | undefined; font?: string | undefined; scheme?: string | undefined }): FrameTheme {
  const accent = query.accent?.trim();
  const font = query.font?.trim();
  return {
    accent: accent && ACCENT.test(accent) ? accent : null,
    font: font && FONT.test(font) ? font : null,
    scheme: query.scheme === 'light' || query.scheme === 'dark' ? query.scheme : 'auto',
  };
}

/** The frame's Content-Security-Policy: the server's own, but framed by exactly the site's allowed origins. */
function frameCsp(ancestors: string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' https: data:",
    "form-action 'self'",
    `frame-ancestors ${ancestors.length ? ancestors.join(' ') : "'none'"}`,
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; ');
}

const sendPage = (reply: FastifyReply, page: string, status = 200) => reply.status(status).type('text/html; charset=utf-8').send(page);

/**
 * The pop-up's pages (log-in and sign-up on their way to /embed/signed-in) must keep their opener, the frame:
 * Cross-Origin-Opener-Policy: same-origin would cut the pop-up off from a frame whose top page is elsewhere.
 */
export function keepEmbedPopupOpener(app: App): void {
  app.addHook('preHandler', async (request, reply) => {
    const path = request.url.split('?')[0];
    if (path === '/embed/signed-in') {
      reply.header('cross-origin-opener-policy', 'unsafe-none');
      return;
    }
    if (path !== '/login' && path !== '/signup') return;
    const next = (request.query as { next?: unknown } | undefined)?.next ?? (request.body as { next?: unknown } | undefined)?.next;
    if (typeof next === 'string' && next.startsWith('/embed/')) reply.header('cross-origin-opener-policy', 'unsafe-none');
  });
}

export async function embedPageRoutes(app: App, { storage, stories, comments, sites, config }: AppContext) {
  const hidden = { hide: true };

  app.get('/embed/stories/:id', { schema: { ...hidden, params: IdParams, querystring: FrameQuery } }, async (request, reply) => {
    const story = await stories.get(request.params.id, request.viewer?.user ?? null);
    const allowed = await sites.origins(null, story.site_id);
    reply.header('content-security-policy', frameCsp(allowed)).removeHeader('x-frame-options').header('cache-control', 'no-store');
    // Opened on its own rather than in a frame: the story page is the place for that.
    if (request.headers['sec-fetch-dest'] === 'document') return reply.redirect(`/stories/${story.id}`, 303);
    let parentOrigin: string | null = null;
    try {
      parentOrigin = request.query.origin ? normalizeOrigin(request.query.origin) : null;
    } catch {
      parentOrigin = null;
    }
    if (!parentOrigin || !allowed.includes(parentOrigin) || !refererAllowed(request, allowed)) {
      return sendPage(reply, frameRefusedPage('This page may not show this discussion: its origin is not on the site\'s allowed origins.'), 403);
    }
    const sort = request.query.sort ?? 'oldest';
    const viewer = request.viewer?.user ?? null;
    const thread = await comments.thread(story, viewer, { sort, limit: 20, cursor: request.query.cursor ?? null });
    return sendPage(
      reply,
      framePage({
        story,
        thread,
        sort,
        user: viewer,
        // The guest form, where the site takes guests, for readers who are not signed in (the story page's rule).
        guests: !viewer && (await findGuestMode(storage.db, story.site_id)) !== 'off',
        csrfToken: request.viewer?.csrfToken ?? null,
        path: `/stories/${story.id}`,
        editWindowMs: config.core.editWindowMs,
        parentOrigin,
        theme: theme(request.query),
      }),
    );
  });

  // The pop-up lands here after logging in (a first-party window, where the session cookie works): a fresh
  // short-lived token for the frame, which the page's script posts to its opener (the frame) and nowhere else.
  app.get('/embed/signed-in', { schema: hidden }, async (request, reply) => {
    if (!request.viewer || request.viewer.via !== 'session') return reply.redirect('/login?next=/embed/signed-in', 303);
    const token = await createShortLivedToken(storage.db, request.viewer.user.id, 'embed', EMBED_TOKEN_TTL_MS);
    reply.header('cache-control', 'no-store');
    return sendPage(reply, signedInPage(request.viewer.user.username, token));
  });

  /** The frame's request comes from the host page (Referer, when the host sends one) or from the frame itself. */
  function refererAllowed(request: FastifyRequest, allowed: string[]): boolean {
    const referer = request.headers.referer;
    if (!referer) return true;
    let origin: string;
    try {
      origin = new URL(referer).origin;
    } catch {
      return false;
    }
    return allowed.includes(origin) || origin === `${request.protocol}://${request.host}`;
  }
}
