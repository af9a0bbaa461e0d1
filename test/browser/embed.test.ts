// The embed in Chromium with third-party cookies blocked (--test-third-party-cookie-phaseout): a host page on
// another site (http://localhost:HOST_PORT, while Parley is http://127.0.0.1:PORT) shows a thread, a reader signs
// in through the pop-up, posts and replies (also by keyboard alone); a hostile host stylesheet does not break it;
// a page on a refused origin (http://127.0.0.1:HOST_PORT) or a canonical URL elsewhere gets nothing.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Frame, Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { launchBrowser, startLiveServer, type LiveServer } from '../helpers/browser.js';

let browser: Browser;
let server: LiveServer;
let hostServer: Server;
let allowed: string;
let refused: string;
const pages = new Map<string, string>();

const HOSTILE = '<style>article, p, span, li, button, textarea, section { display: none !important } body * { font-size: 60px !important }</style>';

function article(path: string, { storyUrl, title, extraHead = '', ssoToken }: { storyUrl: string; title?: string; extraHead?: string; ssoToken?: string }) {
  pages.set(
    path,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>
    <meta property="og:title" content="Harbour wall to be rebuilt">${extraHead}</head>
    <body><h1>Harbour wall to be rebuilt</h1><p>The article's text.</p>
    <div id="parley-thread" data-story-url="${storyUrl}"${title ? ` data-story-title="${title}"` : ''}${ssoToken ? ` data-sso-token="${ssoToken}"` : ''}></div>
    <script src="${server.baseUrl}/embed.js" data-site="${server.t.siteId}" async></script></body></html>`,
  );
}

before(async () => {
  [browser, server] = await Promise.all([launchBrowser(['--test-third-party-cookie-phaseout']), startLiveServer('sqlite')]);
  hostServer = createServer((request, response) => {
    const page = pages.get(new URL(request.url ?? '/', 'http://x').pathname);
    response.writeHead(page ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(page ?? 'not found');
  });
  await new Promise<void>((resolve) => hostServer.listen(0, '127.0.0.1', resolve));
  const port = (hostServer.address() as AddressInfo).port;
  allowed = `http://localhost:${port}`;
  refused = `http://127.0.0.1:${port}`;
  await server.t.context.sites.setOrigins(null, server.t.siteId, [allowed]);
  article('/news/harbour', { storyUrl: `${allowed}/news/harbour/?utm_source=newsletter` });
  article('/news/harbour-hostile', { storyUrl: `${allowed}/news/harbour`, extraHead: HOSTILE });
  article('/news/elsewhere', { storyUrl: 'https://elsewhere.example.org/news/x', title: 'Elsewhere' });
});

after(async () => {
  await browser?.close();
  await server?.t.close();
  await new Promise((resolve) => hostServer?.close(resolve));
});

/** The thread's frame once it has loaded its discussion. */
async function threadFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('#parley-thread iframe');
  const frame = (await handle.contentFrame())!;
  await frame.waitForSelector('#comments h2');
  return frame;
}

const storyCount = async () => Number((await server.t.db.selectFrom('stories').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

it('shows the thread on another site, signs in through the pop-up with third-party cookies blocked, posts and replies', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${allowed}/news/harbour`);
  const frame = await threadFrame(page);
  assert.match(await frame.locator('#comments').innerText(), /No comments yet/);
  const story = await server.t.db.selectFrom('stories').selectAll().where('url', '=', `${allowed}/news/harbour`).executeTakeFirstOrThrow();
  assert.equal(story.title, 'Harbour wall to be rebuilt', "the title came from the page's og:title");
  assert.equal(await page.locator('#parley-thread iframe').getAttribute('title'), 'Discussion: Harbour wall to be rebuilt');
  // Third-party cookies really are blocked in this frame.
  assert.equal(await frame.evaluate(() => ((document.cookie = 'probe=1'), document.cookie)), '');

  const [popup] = await Promise.all([page.waitForEvent('popup'), frame.getByRole('button', { name: 'Log in or sign up' }).click()]);
  await popup.locator('.auth').getByRole('link', { name: 'Sign up' }).click();
  await popup.getByLabel('Username').fill('harbour_reader');
  await popup.getByLabel('Email').fill('harbour_reader@example.com');
  await popup.getByLabel('Password').fill('the sea wall matters');
  await Promise.all([popup.waitForEvent('close'), popup.getByRole('button', { name: 'Create account' }).click()]);

  await frame.waitForSelector('text=Signed in as harbour_reader');
  const stored = await frame.evaluate(() => sessionStorage.getItem('parley.token'));
  // Chromium denies a third-party frame its real sessionStorage when third-party cookies are blocked: the frame's
  // script then puts a stand-in in its place, so every script of the frame reads the token the same way.
  assert.match(stored ?? '', /^pst_/, "the token is under sessionStorage 'parley.token' for the frame's scripts");
  await frame.getByLabel('Join the discussion').fill('The old wall held for a **century**.');
  await frame.getByRole('button', { name: 'Post', exact: true }).click();
  const first = frame.locator('article.comment', { hasText: 'The old wall held' });
  await first.waitFor();
  assert.equal(await first.locator('.body strong').innerText(), 'century');
  assert.equal(await frame.evaluate(() => document.activeElement?.classList.contains('comment')), true, 'focus moved to the new comment');

  await first.locator('details.reply > summary').click();
  await first.getByLabel('Reply to harbour_reader').fill('And it will need another one.');
  await first.getByRole('button', { name: 'Post', exact: true }).click();
  const reply = frame.locator('.replies article.comment', { hasText: 'another one' });
  await reply.waitFor();
  assert.match(await reply.locator('.in-reply-to').innerText(), /in reply to harbour_reader/);
  assert.equal(await frame.evaluate(() => document.activeElement?.textContent?.includes('another one')), true, 'focus moved to the reply');
  assert.equal(page.url(), `${allowed}/news/harbour`, 'the host page never navigated');

  // The frame grew to its content: the host's iframe is as tall as the discussion.
  await page.waitForFunction(() => (document.querySelector('#parley-thread iframe') as HTMLIFrameElement).getBoundingClientRect().height > 400);
  const frameHeight = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  await page.waitForFunction((h) => Math.abs((document.querySelector('#parley-thread iframe') as HTMLIFrameElement).getBoundingClientRect().height - h) <= 1, frameHeight);

  // A new tab of the same reader has no token and the frame gets no cookie: signed out there.
  const other = await context.newPage();
  await other.goto(`${allowed}/news/harbour`);
  const otherFrame = await threadFrame(other);
  assert.equal(await otherFrame.getByRole('button', { name: 'Log in or sign up' }).count(), 1);
  assert.equal(await otherFrame.locator('article.comment').count(), 2);

  // Logging out forgets the token.
  await frame.getByRole('button', { name: 'Log out' }).click();
  await frame.getByRole('button', { name: 'Log in or sign up' }).waitFor();
  assert.equal(await frame.evaluate(() => sessionStorage.getItem('parley.token')), null);
  await context.close();
});

it('posts by keyboard alone, and works at 320 px with 40 px tap targets under a hostile host stylesheet', async () => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await page.goto(`${allowed}/news/harbour-hostile`);
  const frame = await threadFrame(page);
  const visible = await frame.evaluate(() => {
    const shown = [...document.querySelectorAll('#comments, #comments h2, article.comment, [data-parley-login]')];
    return shown.length >= 3 && shown.every((e) => e.getBoundingClientRect().height > 0 && getComputedStyle(e).fontSize !== '60px');
  });
  assert.ok(visible, "the host's stylesheet does not reach the thread");
  assert.ok((await page.locator('#parley-thread iframe').boundingBox())!.height > 200, 'the frame is shown and sized');
  assert.equal(await frame.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), true, 'no sideways scrolling at 320 px');
  const small = await frame.evaluate(() =>
    [...document.querySelectorAll('button, summary, .sort a')].filter((e) => e.getBoundingClientRect().height > 0 && e.getBoundingClientRect().height < 40).map((e) => e.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(small, [], 'every tap target is at least 40 px tall');

  // Someone else's comment to vote on, there when the frame reloads for the signed-in reader.
  const story = await server.t.db.selectFrom('stories').select('id').where('url', '=', `${allowed}/news/harbour`).executeTakeFirstOrThrow();
  const author = await server.t.context.accounts.create({ username: 'vote_target', email: null, password: 'a long enough pw' });
  await server.t.context.comments.post(author, story.id, 'Vote on me, please.', null);
  // Sign in (the pop-up is a separate window; the keyboard part is the posting).
  await server.t.context.accounts.create({ username: 'keyboard_reader', email: null, password: 'only the keyboard' });
  const [popup] = await Promise.all([page.waitForEvent('popup'), frame.getByRole('button', { name: 'Log in or sign up' }).click()]);
  await popup.getByLabel('Username').fill('keyboard_reader');
  await popup.getByLabel('Password').fill('only the keyboard');
  await Promise.all([popup.waitForEvent('close'), popup.getByLabel('Password').press('Enter')]);
  await frame.waitForSelector('text=Signed in as keyboard_reader');

  // From the top of the host page, Tab until the discussion's text box has focus; type; Tab to Post; Enter.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await frame.evaluate(() => (document.activeElement as HTMLTextAreaElement | null)?.closest('label')?.textContent?.includes('Join the discussion') ?? false);
  }
  assert.ok(reached, 'the text box is reachable by Tab');
  await page.keyboard.type('Typed without a mouse.');
  await page.keyboard.press('Tab');
  assert.equal(await frame.evaluate(() => document.activeElement?.textContent), 'Post');
  await page.keyboard.press('Enter');
  await frame.locator('article.comment', { hasText: 'Typed without a mouse.' }).waitFor();
  assert.match(await frame.evaluate(() => document.activeElement?.textContent ?? ''), /Typed without a mouse/, 'focus is on the new comment');

  // A vote in place: the button is pressed, the score counts it, and focus stays on the button.
  const target = frame.locator('article.comment', { hasText: 'Vote on me, please.' });
  await target.getByRole('button', { name: 'Vote up' }).press('Enter');
  await target.locator('button.vote[aria-pressed="true"]').waitFor();
  assert.equal(await target.locator('.score').innerText(), '1');
  assert.equal(await frame.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Vote up');
  await context.close();
});

it("signs the reader in with the host site's own sign-on token (data-sso-token), with third-party cookies blocked", async () => {
  const secret = 'the-browser-tests-sso-secret-32-bytes-long';
  await server.t.context.identity.configureSso(server.t.siteId, { hs256Secret: secret });
  const iat = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ sub: 'subscriber-1', name: 'Harbour Subscriber', aud: server.t.siteId, iat, exp: iat + 300, jti: randomUUID() })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(secret));
  article('/news/harbour-subscriber', { storyUrl: `${allowed}/news/harbour`, ssoToken: token });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${allowed}/news/harbour-subscriber`);
  const frame = await threadFrame(page);
  await frame.waitForSelector('text=Signed in as Harbour_Subscriber');
  await frame.getByLabel('Join the discussion').fill('Signed in by the newspaper itself.');
  await frame.getByRole('button', { name: 'Post', exact: true }).click();
  await frame.locator('article.comment', { hasText: 'Signed in by the newspaper itself' }).waitFor();
  // The token was used once: a second page with the same token is refused, and the frame says so in the console.
  const other = await context.newPage();
  const refusal = other.waitForEvent('console', (message) => message.text().includes('sso_token_replayed'));
  await other.goto(`${allowed}/news/harbour-subscriber`);
  await refusal;
  assert.equal(await (await threadFrame(other)).getByRole('button', { name: 'Log in or sign up' }).count(), 1);
  await context.close();
});

it("shows the guest form in the frame where the site takes guests, solves the proof of work there and posts", async () => {
  await server.t.context.sites.setGuestMode(null, server.t.siteId, 'stricter');
  try {
    article('/news/ferry', { storyUrl: `${allowed}/news/ferry`, title: 'Ferry timetable' });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${allowed}/news/ferry`);
    const form = (await threadFrame(page)).locator('form.guest-form');
    await form.getByLabel('Your name').fill('Deck Hand');
    await form.getByLabel('E-mail, optional, never shown').fill('deck.hand@example.com');
    await form.getByLabel('Your comment').fill('The early boat matters to shift workers.');
    await form.getByRole('button', { name: 'Post as a guest' }).click();
    const frame = await threadFrame(page);
    await frame.locator('.guest-status', { hasText: 'Your comment is published.' }).waitFor();
    const comment = frame.locator('article.comment', { hasText: 'The early boat matters' });
    await comment.waitFor();
    assert.match(await comment.locator('header').innerText(), /Deck_Hand_guest/);
    assert.equal(page.url(), `${allowed}/news/ferry`, 'the host page never navigated');
    const link = await server.t.db.selectFrom('user_identities').select('email').where('issuer', '=', `guest:${server.t.siteId}`).executeTakeFirstOrThrow();
    assert.equal(link.email, 'deck.hand@example.com');
    await context.close();
  } finally {
    await server.t.context.sites.setGuestMode(null, server.t.siteId, 'off');
  }
});

it('gives a page on a refused origin, or a canonical URL elsewhere, nothing but an error in the console', async () => {
  const before = await storyCount();
  const context = await browser.newContext();
  for (const [url, expected] of [
    [`${refused}/news/harbour`, /Parley: This page's origin \(http:\/\/127\.0\.0\.1:\d+\) may not embed threads/],
    [`${allowed}/news/elsewhere`, /Parley: The story URL https:\/\/elsewhere\.example\.org\/news\/x is not on one of site/],
  ] as const) {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(url);
    await page.waitForFunction(() => true);
    await assert.doesNotReject(waitFor(() => errors.some((e) => expected.test(e))), `no console error ${expected} on ${url}: ${errors.join(' | ')}`);
    assert.equal(await page.locator('#parley-thread iframe').count(), 0);
  }
  assert.equal(await storyCount(), before, 'nothing was created');

  // Framing the thread by hand from the refused origin is refused by the browser (frame-ancestors).
  const story = await server.t.db.selectFrom('stories').select('id').executeTakeFirstOrThrow();
  const page = await context.newPage();
  await page.goto(`${refused}/news/harbour`);
  await page.evaluate(
    ([base, id, origin]) => {
      const frame = document.createElement('iframe');
      frame.src = `${base}/embed/stories/${id}?origin=${encodeURIComponent(origin!)}`;
      document.body.append(frame);
    },
    [server.baseUrl, story.id, allowed],
  );
  const handle = await page.waitForSelector('body > iframe');
  const content = (await handle.contentFrame())!;
  await content.waitForLoadState('load');
  assert.equal(await content.locator('#comments').count().catch(() => 0), 0, 'the browser refused to show the frame');
  await context.close();
});

/** Resolves when the condition holds (checked as events arrive), rejects after a generous bound. */
async function waitFor(condition: () => boolean, bound = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > bound) throw new Error('condition never held');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it("lets an admin list the site's allowed origins in the console's site settings", async () => {
  await server.t.context.accounts.create({ username: 'origins_admin', email: null, password: 'the newsroom admin', role: 'admin' });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/login?next=/admin/policy`);
  await page.getByLabel('Username').fill('origins_admin');
  await page.getByLabel('Password').fill('the newsroom admin');
  await page.getByRole('button', { name: 'Log in' }).click();
  const field = page.getByLabel('Allowed origins, one a line');
  await field.waitFor();
  assert.equal(await field.inputValue(), allowed);
  await field.fill(`${allowed}\nHTTPS://Staging.Example.com/`);
  await page.getByRole('button', { name: 'Save origins' }).click();
  await page.getByRole('button', { name: 'Save origins' }).and(page.locator(':disabled')).waitFor();
  assert.equal(await field.inputValue(), `${allowed}\nhttps://staging.example.com`);
  assert.deepEqual(await server.t.context.sites.origins(null, server.t.siteId), [allowed, 'https://staging.example.com']);
  assert.match(await page.getByLabel('Under an article').inputValue(), new RegExp(`data-site="${server.t.siteId}"`));
  await context.close();
});
