// The pages that links in mails open: confirm an address, choose a new password, stop mails about replies (with the
// RFC 8058 one-click POST that mail clients send), and the form that asks for a reset link. Each GET only shows a
// form: a link scanner that fetches the link spends nothing; the POST does the work.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App, AppContext } from '../server/context.js';
import { ParleyError } from '../core/errors.js';
import { RESET_REQUESTED } from '../server/routes/mail.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';

const Token = Type.String({ minLength: 1, maxLength: 200 });
const TokenQuery = Type.Object({ token: Type.Optional(Token) });
const TokenParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{1,100}$' }) });

function page(request: FastifyRequest, reply: FastifyReply, title: string, main: Html, status = 200) {
  const frame = { title, user: request.viewer?.user ?? null, csrfToken: request.viewer?.csrfToken ?? null, path: request.url };
  return reply.status(status).type('text/html; charset=utf-8').send(layout(frame, html`<section class="auth"><h1>${title}</h1>${main}</section>`));
}

const notice = (text: string, kind: 'info' | 'error' = 'info') => html`<p class="notice ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</p>`;

/** Runs the action; a refusal the reader can act on (a used link, a weak password) is shown on the page. */
async function attempt(action: () => Promise<void>): Promise<string | null> {
  try {
    await action();
    return null;
  } catch (error) {
    if (error instanceof ParleyError) return error.message;
    throw error;
  }
}

export async function mailPageRoutes(app: App, { mail, config }: AppContext) {
  const hidden = { hide: true };
  // RFC 8058 lets a mail client send its one-click POST as multipart/form-data too; its content says nothing more
  // than "List-Unsubscribe=One-Click", so it is read as no fields (these routes only: this plugin is encapsulated).
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 4096 }, (_request, _body, done) => done(null, {}));
  // The link's token is the proof; a reader who also has a session carries no CSRF token in a mail client.
  const formLimit = { rateLimit: { max: config.rateLimits.authPerMinute, timeWindow: '1 minute' }, skipCsrf: true };

  app.get('/verify-email', { schema: { ...hidden, querystring: TokenQuery } }, (request, reply) =>
    page(
      request,
      reply,
      'Confirm your address',
      html`<form method="post" action="/verify-email"><input type="hidden" name="token" value="${request.query.token ?? ''}">
        <button type="submit">Confirm my e-mail address</button></form>`,
    ),
  );
  app.post('/verify-email', { config: formLimit, schema: { ...hidden, body: Type.Object({ token: Token }) } }, async (request, reply) => {
    const failed = await attempt(async () => void (await mail.verify(request.body.token)));
    return page(request, reply, 'Confirm your address', notice(failed ?? 'Thank you: your e-mail address is confirmed.', failed ? 'error' : 'info'), failed ? 400 : 200);
  });

  app.get('/forgot-password', { schema: hidden }, (request, reply) =>
    page(
      request,
      reply,
      'Forgot your password?',
      html`<form method="post" action="/forgot-password"><label>E-mail address <input name="email" type="email" autocomplete="email" required></label>
        <button type="submit">Send me a link</button></form>`,
    ),
  );
  app.post(
    '/forgot-password',
    { config: formLimit, schema: { ...hidden, body: Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }) }) } },
    async (request, reply) => {
      const failed = await attempt(() => mail.requestPasswordReset(request.body.email));
      return page(request, reply, 'Forgot your password?', notice(failed ?? RESET_REQUESTED, failed ? 'error' : 'info'), failed ? 409 : 200);
    },
  );

  const resetForm = (token: string, error?: string) =>
    html`${error ? notice(error, 'error') : ''}<form method="post" action="/reset-password"><input type="hidden" name="token" value="${token}">
      <label>New password <input name="password" type="password" autocomplete="new-password" required minlength="10"></label>
      <button type="submit">Set the new password</button></form>`;
  app.get('/reset-password', { schema: { ...hidden, querystring: TokenQuery } }, (request, reply) =>
    page(request, reply, 'Choose a new password', resetForm(request.query.token ?? '')),
  );
  app.post(
    '/reset-password',
    { config: formLimit, schema: { ...hidden, body: Type.Object({ token: Token, password: Type.String({ minLength: 1, maxLength: 200 }) }) } },
    async (request, reply) => {
      const { token, password } = request.body;
      const failed = await attempt(() => mail.resetPassword(token, password));
      if (failed) return page(request, reply, 'Choose a new password', resetForm(token, failed), 400);
      return page(request, reply, 'Choose a new password', html`${notice('Your password is changed.')}<p><a href="/login">Log in</a></p>`);
    },
  );

  app.get('/unsubscribe/:token', { schema: { ...hidden, params: TokenParams } }, (request, reply) =>
    page(
      request,
      reply,
      'Stop mails about replies',
      html`<form method="post" action="/unsubscribe/${request.params.token}"><button type="submit">Stop mails about replies on this story</button></form>`,
    ),
  );
  // RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" here, with no cookie; the token is the proof.
  app.post(
    '/unsubscribe/:token',
    { config: formLimit, schema: { ...hidden, params: TokenParams, body: Type.Optional(Type.Object({ 'List-Unsubscribe': Type.Optional(Type.String({ maxLength: 50 })) })) } },
    async (request, reply) => {
      await mail.unsubscribeByLink(request.params.token);
      return page(request, reply, 'Stop mails about replies', notice('Done: no more mails about replies on this story.'));
    },
  );
}
