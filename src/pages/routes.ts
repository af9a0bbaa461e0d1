// The pages a reader sees without JavaScript: stories, the discussion, and plain HTML forms that post,
// reply, vote, edit and delete. Each form handler redirects back (303), so reloading never re-posts.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App, AppContext } from '../server/context.js';
import { clearSessionCookie, requireUser, SESSION_COOKIE, setSessionCookie } from '../server/auth.js';
import { markPrivate } from '../server/page-cache.js';
import { CommentBody, Id, IdParams } from '../contracts/schemas.js';
import { REPORT_REASONS } from '../contracts/limits.js';
import { ParleyError } from '../core/errors.js';
import { BRANCH_PAGE, type DraftCheck } from '../core/comments.js';
import type { Decision } from '../moderation/types.js';
import { countPublishedOnStory, findComment, findThreadComment } from '../storage/comments.js';
import { latestThreadEventId } from '../storage/events.js';
import type { ThreadSort } from '../storage/comments.js';
import type { UserRow } from '../storage/schema.js';
import { deleteSession } from '../storage/sessions.js';
import { newSecret } from '../storage/ids.js';
import { indexPage } from './index-page.js';
import { storyPage, type DraftReview } from './story-page.js';
import { loginPage, signupPage, type AuthFormModel } from './auth-pages.js';
import type { PageFrame } from './layout.js';

const FORM_COOKIE = 'parley_form';
const SortQuery = Type.Object({
  sort: Type.Optional(Type.Union([Type.Literal('oldest'), Type.Literal('newest'), Type.Literal('top')])),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  posted: Type.Optional(Type.String({ maxLength: 20 })),
});
const NextQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 500 })) });

const POSTED_NOTICES: Record<string, string> = {
  published: 'Your comment is published.',
  reported: 'Thank you: a moderator will look at the comment you reported.',
  pending: 'Thanks: your comment is waiting for a moderator and only you can see it for now.',
  rejected: 'Your comment was not published; the reasons are shown with it.',
};

/** A draft sent back by the nudge: the reasons in words and the words that drove the classifier. */
function draftReview(body: string, check: Decision, about: Pick<DraftReview, 'parentId' | 'parentAuthor' | 'editOf'>): DraftReview {
  const flagged = new Set<string>(check.flaggedLabels);
  return {
    ...about,
    body,
    decision: check.status === 'rejected' ? 'rejected' : 'pending',
    reasons: check.reasons.map((r) => r.message),
    highlights: check.spans.filter((s) => flagged.has(s.label)),
  };
}

/** Only paths on this site: never an open redirect to somewhere else. */
export function localPath(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

function frame(request: FastifyRequest, title: string): PageFrame {
  return {
    title,
    user: request.viewer?.user ?? null,
    csrfToken: request.viewer?.csrfToken ?? null,
    path: request.url,
  };
}

const sendPage = (reply: FastifyReply, page: string | Buffer, status = 200) => reply.status(status).type('text/html; charset=utf-8').send(page);

export async function pageRoutes(app: App, { storage, accounts, stories, comments, moderation, oidc, mail, config, pageCache, banEvasion }: AppContext) {
  const writeLimit = { rateLimit: { max: config.rateLimits.writesPerMinute, timeWindow: '1 minute' } };
  const authLimit = { rateLimit: { max: config.rateLimits.authPerMinute, timeWindow: '1 minute' }, skipCsrf: true };
  const hidden = { hide: true };

  /**
   * What a page with a thread needs for its live updates: the latest event, read before the thread so that the
   * script's stream misses nothing written after it, and the comment count.
   */
  async function liveFields(storyId: string) {
    const [lastEventId, commentCount] = await Promise.all([latestThreadEventId(storage.db), countPublishedOnStory(storage.db, storyId)]);
    return { lastEventId, commentCount };
  }

  async function renderStory(
    request: FastifyRequest,
    reply: FastifyReply,
    storyId: string,
    query: { sort?: ThreadSort | undefined; cursor?: string | undefined },
    notice?: { kind: 'error' | 'info'; text: string },
    status = 200,
    draft?: DraftReview,
  ) {
    const sort = query.sort ?? 'oldest';
    const user = request.viewer?.user ?? null;
    const read = async (viewer: UserRow | null) => {
      // The story, the latest event (read with the thread or before it: see liveFields), the count, the guest setting
      // and the thread's page: one round trip on PostgreSQL.
      const { story, lastEventId, commentCount, guests, thread } = await comments.storyPage(storyId, viewer, { sort, limit: 20, cursor: query.cursor ?? null });
      return { story, thread, live: { lastEventId, commentCount }, guests: !viewer && guests };
    };
    /** The page for this request's reader, or (shared) the page of no reader in particular: no token, no notice. */
    const render = ({ story, thread, live, guests }: Awaited<ReturnType<typeof read>>, shared = false) =>
      storyPage({
        story,
        thread,
        sort,
        user: shared ? null : user,
        csrfToken: shared ? null : (request.viewer?.csrfToken ?? null),
        path: `/stories/${story.id}`,
        editWindowMs: config.core.editWindowMs,
        notice: shared ? undefined : notice,
        draft: shared ? undefined : draft,
        // The guest form is for readers who are not signed in.
        guests: shared || !user ? guests : false,
        ...live,
      });
    // Anonymous readers of a plain page view share one page, kept in memory until the thread changes.
    const shared = () =>
      pageCache.page(storyId, `html ${sort} ${query.cursor ?? ''}`, 'text/html; charset=utf-8', async () => {
        const model = await read(null);
        return { model, body: render(model, true) };
      });
    if (!user) {
      if (!notice && !draft && status === 200) return pageCache.send(request, reply, await shared());
      return sendPage(reply, render(await read(null)), status);
    }
    // A signed-in reader's page is drawn from the shared page's thread with their votes laid over it, when it can be;
    // a story hidden from readers has no shared page, and its staff get a page of their own.
    markPrivate(reply);
    const model = pageCache.enabled ? await shared().then((page) => page.model, () => null) : null;
    const thread = model ? await comments.personalize(storyId, model.thread, user) : null;
    return sendPage(reply, render(model && thread ? { ...model, thread } : await read(user)), status);
  }

  app.get('/', { schema: hidden }, async (request, reply) =>
    sendPage(reply, indexPage(frame(request, 'Stories'), await stories.latest(100))),
  );

  // An anonymous reader's page in memory is sent from the preParsing hook, before the query is validated.
  app.get('/stories/:id', { preParsing: pageCache.serveFromMemory, schema: { ...hidden, params: IdParams, querystring: SortQuery } }, async (request, reply) => {
    const posted = request.query.posted ? POSTED_NOTICES[request.query.posted] : undefined;
    return renderStory(request, reply, request.params.id, request.query, posted ? { kind: 'info', text: posted } : undefined);
  });

  app.get(
    '/stories/:id/comments/:rootId',
    {
      schema: {
        ...hidden,
        params: Type.Object({ id: Id, rootId: Id }),
        querystring: Type.Object({ after: Type.Optional(Type.String({ maxLength: 200 })) }),
      },
    },
    async (request, reply) => {
      const viewer = request.viewer?.user ?? null;
      const live = await liveFields(request.params.id);
      const branch = await comments.branch(request.params.rootId, viewer, request.query.after ?? null, BRANCH_PAGE);
      if (branch.storyId !== request.params.id) throw new ParleyError(404, 'not_found', 'The comment was not found in this story.');
      const story = await stories.get(branch.storyId, viewer);
      const page = storyPage({
        story,
        thread: { comments: [branch.root], nextCursor: branch.nextCursor },
        sort: 'oldest',
        user: viewer,
        csrfToken: request.viewer?.csrfToken ?? null,
        path: request.url,
        editWindowMs: config.core.editWindowMs,
        branchOf: branch.root.id,
        ...live,
      });
      return sendPage(reply, page);
    },
  );

  // A permalink: opens the comment wherever it is, scrolled to (#c-ID) and highlighted (:target).
  app.get('/comments/:id', { schema: { ...hidden, params: IdParams } }, async (request, reply) => {
    const viewer = request.viewer?.user ?? null;
    const target = await comments.permalink(request.params.id, viewer);
    const anchor = `#c-${target.commentId}`;
    if (target.kind === 'thread') {
      return reply.redirect(`/stories/${target.storyId}?sort=oldest&cursor=${encodeURIComponent(target.cursor)}${anchor}`, 303);
    }
    if (target.kind === 'branch') {
      const after = target.after ? `?after=${encodeURIComponent(target.after)}` : '';
      return reply.redirect(`/stories/${target.storyId}/comments/${target.rootId}${after}${anchor}`, 303);
    }
    // Staff looking at a comment that only they and its author may see: the comment on its own.
    const story = await stories.get(target.storyId, viewer);
    const live = await liveFields(story.id);
    const page = storyPage({
      story,
      thread: { comments: [target.view], nextCursor: null },
      sort: 'oldest',
      user: viewer,
      csrfToken: request.viewer?.csrfToken ?? null,
      path: request.url,
      editWindowMs: config.core.editWindowMs,
      branchOf: target.commentId,
      ...live,
    });
    return sendPage(reply, page);
  });

  app.post(
    '/stories/:id/comments',
    {
      config: writeLimit,
      schema: {
        ...hidden,
        params: IdParams,
        body: Type.Object({
          body: CommentBody,
          parentId: Type.Optional(Type.Union([Id, Type.Literal('')])),
          confirmed: Type.Optional(Type.Literal('1')),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const storyId = request.params.id;
      if (!request.viewer) return reply.redirect(`/login?next=${encodeURIComponent(`/stories/${storyId}`)}`, 303);
      const parentId = request.body.parentId || null;
      try {
        // The nudge: a draft that would not go straight up comes back once, for the author to revise or confirm.
        // Its check is handed to post, so the text is scored once and the story read once per request.
        let checked: DraftCheck | undefined;
        if (!request.body.confirmed && request.body.body.trim()) {
          checked = await comments.check(storyId, request.body.body);
          const check = checked.decision;
          if (check.status !== 'published') {
            const parent = parentId ? await findThreadComment(storage.db, parentId) : undefined;
            const draft = draftReview(request.body.body, check, { parentId, parentAuthor: parent?.author_username ?? null });
            return renderStory(request, reply, storyId, {}, undefined, 200, draft);
          }
        }
        const author = request.viewer.user;
        const { comment } = await banEvasion.screened(author, request.ip, (screen) =>
          comments.post(author, storyId, request.body.body, parentId, checked, undefined, screen),
        );
        return reply.redirect(`/stories/${storyId}?posted=${comment.status}#c-${comment.id}`, 303);
      } catch (error) {
        if (!(error instanceof ParleyError) || error.status === 404) throw error;
        return renderStory(request, reply, storyId, {}, { kind: 'error', text: error.message }, error.status);
      }
    },
  );

  /** Runs a form action on a comment, then shows the comment in its story. */
  async function commentAction(
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    action: () => Promise<unknown>,
    notice?: keyof typeof POSTED_NOTICES,
  ) {
    const comment = await findComment(storage.db, request.params.id);
    if (!comment) throw new ParleyError(404, 'not_found', 'The comment was not found.');
    try {
      await action();
    } catch (error) {
      if (!(error instanceof ParleyError) || error.status === 404) throw error;
      return renderStory(request, reply, comment.story_id, {}, { kind: 'error', text: error.message }, error.status);
    }
    return reply.redirect(`/stories/${comment.story_id}${notice ? `?posted=${notice}` : ''}#c-${comment.id}`, 303);
  }

  app.post(
    '/comments/:id/vote',
    {
      config: writeLimit,
      schema: { ...hidden, params: IdParams, body: Type.Object({ value: Type.Union([Type.Literal('1'), Type.Literal('-1'), Type.Literal('0')]), _csrf: Type.Optional(Type.String()) }) },
    },
    async (request, reply) =>
      commentAction(request, reply, () => comments.vote(requireUser(request), request.params.id, Number(request.body.value) as -1 | 0 | 1)),
  );

  app.post(
    '/comments/:id/edit',
    {
      config: writeLimit,
      schema: {
        ...hidden,
        params: IdParams,
        body: Type.Object({ body: CommentBody, confirmed: Type.Optional(Type.Literal('1')), _csrf: Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) => {
      // The nudge runs on edits too: an edit that would not go straight up comes back once, as a new comment does.
      const comment = await findComment(storage.db, request.params.id);
      if (request.viewer && comment && comment.author_id === request.viewer.user.id && !request.body.confirmed && request.body.body.trim()) {
        const check = (await comments.check(comment.story_id, request.body.body)).decision;
        if (check.status !== 'published') {
          const draft = draftReview(request.body.body, check, { parentId: comment.parent_id, parentAuthor: null, editOf: comment.id });
          return renderStory(request, reply, comment.story_id, {}, undefined, 200, draft);
        }
      }
      return commentAction(request, reply, () => comments.edit(requireUser(request), request.params.id, request.body.body));
    },
  );

  app.post(
    '/comments/:id/delete',
    { config: writeLimit, schema: { ...hidden, params: IdParams, body: Type.Object({ _csrf: Type.Optional(Type.String()) }) } },
    async (request, reply) => commentAction(request, reply, () => comments.remove(requireUser(request), request.params.id)),
  );

  app.post(
    '/comments/:id/report',
    {
      config: writeLimit,
      schema: {
        ...hidden,
        params: IdParams,
        body: Type.Object({
          reason: Type.Union(REPORT_REASONS.map((r) => Type.Literal(r))),
          note: Type.Optional(Type.String({ maxLength: 1000 })),
          _csrf: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) =>
      commentAction(request, reply, () =>
        moderation.report(requireUser(request), request.params.id, request.body.reason, request.body.note ?? null),
      'reported',
      ),
  );

  // Log-in and sign-up forms are anonymous, so they carry a double-submit token against cross-site posts.
  function formModel(reply: FastifyReply, next: string | undefined, extra: Partial<AuthFormModel> = {}): AuthFormModel {
    const formToken = newSecret(18);
    reply.setCookie(FORM_COOKIE, formToken, { path: '/', httpOnly: true, sameSite: 'strict' });
    return { formToken, next: localPath(next), ...extra };
  }

  function checkFormToken(request: FastifyRequest, sent: string | undefined): void {
    const expected = request.cookies[FORM_COOKIE];
    if (!expected || sent !== expected) {
      throw new ParleyError(403, 'csrf_failed', 'The form expired; reload the page and try again.');
    }
  }

  const LoginForm = Type.Object({
    username: Type.String({ maxLength: 100 }),
    password: Type.String({ maxLength: 200 }),
    next: Type.Optional(Type.String({ maxLength: 500 })),
    _form: Type.Optional(Type.String({ maxLength: 100 })),
  });

  app.get('/login', { schema: { ...hidden, querystring: NextQuery } }, async (request, reply) =>
    sendPage(reply, loginPage(frame(request, 'Log in'), formModel(reply, request.query.next, { providers: await oidc.offered(), passwordReset: mail.enabled }))),
  );

  app.post('/login', { config: authLimit, schema: { ...hidden, body: LoginForm } }, async (request, reply) => {
    checkFormToken(request, request.body._form);
    try {
      const { session } = await accounts.logIn(request.body.username, request.body.password, config.core.sessionTtlMs);
      setSessionCookie(request, reply, session.secret, session.expiresAt);
      return reply.redirect(localPath(request.body.next), 303);
    } catch (error) {
      if (!(error instanceof ParleyError)) throw error;
      const model = formModel(reply, request.body.next, { error: error.message, username: request.body.username, passwordReset: mail.enabled });
      return sendPage(reply, loginPage(frame(request, 'Log in'), model), error.status);
    }
  });

  app.get('/signup', { schema: { ...hidden, querystring: NextQuery } }, async (request, reply) =>
    sendPage(reply, signupPage(frame(request, 'Sign up'), formModel(reply, request.query.next))),
  );

  app.post(
    '/signup',
    { config: authLimit, schema: { ...hidden, body: Type.Intersect([LoginForm, Type.Object({ email: Type.String({ maxLength: 254 }) })]) } },
    async (request, reply) => {
      checkFormToken(request, request.body._form);
      const { username, email, password } = request.body;
      try {
        if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new ParleyError(400, 'invalid_email', 'The email address does not look right.');
        await banEvasion.refuseBannedDomain(email);
        const { user, session } = await accounts.signUp({ username, email, password }, config.core.sessionTtlMs);
        await banEvasion.onSignUp(user, request.ip);
        setSessionCookie(request, reply, session.secret, session.expiresAt);
        return reply.redirect(localPath(request.body.next), 303);
      } catch (error) {
        if (!(error instanceof ParleyError)) throw error;
        const model = formModel(reply, request.body.next, { error: error.message, username, email });
        return sendPage(reply, signupPage(frame(request, 'Sign up'), model), error.status);
      }
    },
  );

  const LogoutForm = Type.Object({ _csrf: Type.Optional(Type.String()), next: Type.Optional(Type.String({ maxLength: 500 })) });
  app.post('/logout', { schema: { ...hidden, body: LogoutForm } }, async (request, reply) => {
    const secret = request.cookies[SESSION_COOKIE];
    if (secret) await deleteSession(storage.db, secret);
    clearSessionCookie(reply);
    // Back to the page the reader logged out from (a story stays a story), never to another site.
    return reply.redirect(localPath(request.body.next), 303);
  });
}
