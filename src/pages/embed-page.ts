// The embed's frame: the story page's discussion (the same rendering, discussion() in story-page.ts) without the
// site's chrome, themed by the host page, and the pop-up page that hands a sign-in token back to the frame.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { html, type Html } from './html.js';
import { discussion, type StoryPageModel } from './story-page.js';

/** What the host page asked for: validated by the route, applied by the frame's script through the CSSOM. */
export interface FrameTheme {
  accent: string | null;
  font: string | null;
  scheme: 'light' | 'dark' | 'auto';
}

export interface FrameModel extends StoryPageModel {
  /** The host page's origin: the only window the frame talks to. */
  parentOrigin: string;
  theme: FrameTheme;
}

/**
 * The one hook for the story page's in-place script (votes, replies, paging and live updates without reload):
 * when its build is there, the frame loads it too, so the frame and the story page behave as one. The frame's
 * own script (frame.js) only handles what that script leaves alone (events it did not preventDefault()).
 */
const STORY_SCRIPTS: { src: string; file: string }[] = [
  { src: '/story/story.js', file: fileURLToPath(new URL('../../web/dist/story/story.js', import.meta.url)) },
];
export function storyScripts(): Html {
  return html`${STORY_SCRIPTS.filter((s) => existsSync(s.file)).map((s) => html`<script src="${s.src}" defer></script>`)}`;
}

export function framePage(m: FrameModel): string {
  const account = m.user
    ? html`<p class="embed-account">Signed in as <strong>${m.user.username}</strong>
        <button type="button" class="link" data-parley-logout>Log out</button></p>`
    : html`<p class="embed-account"><button type="button" data-parley-login>Log in or sign up</button> to join the discussion.</p>`;
  return html`<!doctype html>
<html lang="en" class="embed scheme-${m.theme.scheme}" data-parley-frame data-parent-origin="${m.parentOrigin}" data-site="${m.story.site_id}"
  data-accent="${m.theme.accent ?? ''}" data-font="${m.theme.font ?? ''}" data-csrf="${m.csrfToken ?? ''}" data-signed-in="${m.user ? '1' : ''}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Discussion: ${m.story.title} · Parley</title>
<link rel="stylesheet" href="/static/parley.css">
<link rel="stylesheet" href="/static/embed.css">
<script src="/embed/frame.js" defer></script>
${storyScripts()}
</head>
<body>
<main class="embed-main">
${account}
${discussion(m)}
<p class="embed-credit"><a href="/stories/${m.story.id}" target="_blank" rel="noopener">Open this discussion on its own page</a></p>
</main>
</body>
</html>`.value;
}

/** The pop-up's last page: its script posts the token to the frame that opened it (same origin only), then closes. */
export function signedInPage(username: string, token: string): string {
  return html`<!doctype html>
<html lang="en" class="embed">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="parley-token" content="${token}">
<title>Signed in · Parley</title>
<link rel="stylesheet" href="/static/parley.css">
<link rel="stylesheet" href="/static/embed.css">
<script src="/embed/frame.js" defer></script>
</head>
<body><main class="embed-main"><h1>Signed in as ${username}</h1>
<p id="parley-signed-in" role="status">You can close this window and go back to the article.</p></main></body>
</html>`.value;
}

export function frameRefusedPage(message: string): string {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Parley</title>
<link rel="stylesheet" href="/static/parley.css"></head><body><main><p class="notice error" role="alert">${message}</p></main></body></html>`.value;
}
