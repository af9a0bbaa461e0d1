import type { UserRow } from '../storage/schema.js';
import { html, trusted, type Html } from './html.js';

export interface PageFrame {
  title: string;
  user: UserRow | null;
  /** The session's CSRF token, for the log-out form. */
  csrfToken: string | null;
  /** Where log-in and sign-up links send the reader back to. */
  path: string;
  /** The story page's script (web/story): pages with a thread load it. */
  storyScript?: boolean;
}

/**
 * Where log-in, sign-up and log-out send the reader back to: the page they are on, or, on the log-in and sign-up
 * pages themselves, the page those were opened from (so that next= never wraps another next=).
 */
export function returnPath(path: string): string {
  const url = new URL(path, 'http://parley.invalid');
  if (url.pathname !== '/login' && url.pathname !== '/signup') return path;
  const next = url.searchParams.get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function layout(frame: PageFrame, main: Html): string {
  const [top, bottom] = layoutAround(frame);
  return top + main.value + bottom;
}

/** The page's markup before its main content and after it. */
export function layoutAround(frame: PageFrame): [string, string] {
  const back = returnPath(frame.path);
  const next = encodeURIComponent(back);
  const account = frame.user
    ? html`<span class="who">Signed in as <strong>${frame.user.username}</strong></span>
        <form method="post" action="/logout" class="inline">
          <input type="hidden" name="_csrf" value="${frame.csrfToken ?? ''}">
          <input type="hidden" name="next" value="${back}">
          <button type="submit" class="link">Log out</button>
        </form>`
    : html`<a href="/login?next=${next}">Log in</a> <a href="/signup?next=${next}">Sign up</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · Parley</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/parley.css">
${frame.csrfToken ? html`<meta name="csrf-token" content="${frame.csrfToken}">` : ''}
${frame.storyScript ? html`<script src="/story/story.js" defer></script>` : ''}
</head>
<body>
<header class="site">
  <a class="brand" href="/">Parley</a>
  <nav>${account}</nav>
</header>
<main>${MAIN}</main>
</body>
</html>`.value.split(MAIN.value) as [string, string];
}

/** Where the main content goes: a comment no value can contain (every value is escaped, `<` included). */
const MAIN = trusted('<!--parley:main-->');
