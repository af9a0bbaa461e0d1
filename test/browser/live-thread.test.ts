// The story page with JavaScript on: live updates over the event stream and actions in place, without reloads;
// permalinks that land on a long story's last page.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useBrowserAndServer } from '../helpers/browser.js';
import { pruneThreadEvents } from '../../src/storage/events.js';

const live = useBrowserAndServer();

/** Marks the page so that a reload would show: the mark lives only as long as the document. */
async function markDocument(page: Page) {
  await page.evaluate(() => ((window as unknown as { parleyMark: number }).parleyMark = 1));
}
async function stillSameDocument(page: Page) {
  return page.evaluate(() => (window as unknown as { parleyMark?: number }).parleyMark === 1);
}

it('shows another reader a reply arriving without a reload, and takes it away when a moderator rejects it', async () => {
  const { t, baseUrl } = live.server();
  const storyId = await t.story({ title: 'Harbour bridge closes for repairs' });
  const author = await t.agent();
  const voter = await t.agent();
  const moderator = await t.agent('moderator');
  const parent = await t.comment(author, storyId, 'Three months without the bridge is a long time.');

  // The reader, in a browser context of their own, reading anonymously.
  const context = await live.browser().newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto(`${baseUrl}/stories/${storyId}`);
  await page.locator('html[data-parley-live="on"]').waitFor();
  await markDocument(page);
  assert.equal(await page.locator('.comment-count').innerText(), '1 comment');

  const reply = await t.comment(voter, storyId, 'The ferry will run every ten minutes meanwhile.', parent.id);
  // Announced, not pushed under the reader's eyes.
  const announcement = page.getByRole('link', { name: /1 new comment/ });
  await announcement.waitFor();
  assert.equal(await page.locator(`#c-${reply.id}`).count(), 0);
  assert.equal(await page.locator('.comment-count').innerText(), '2 comments');
  await announcement.click();
  await page.locator(`#c-${parent.id} + .replies > #c-${reply.id}`).waitFor();
  assert.match(await page.locator(`#c-${reply.id} .body`).innerText(), /ferry will run/);

  // A vote and an edit elsewhere show at once.
  await t.request('POST', `/api/comments/${parent.id}/vote`, { as: voter, body: { value: 1 } });
  await page.locator(`#c-${parent.id} > footer .score`, { hasText: '1' }).waitFor();
  await t.request('PATCH', `/api/comments/${reply.id}`, { as: voter, body: { body: 'The ferry will run every five minutes meanwhile.' } });
  await page.locator(`#c-${reply.id} .body`, { hasText: 'every five minutes' }).waitFor();

  // The moderator rejects the reply: it goes from the reader's page.
  const rejected = await t.request('POST', `/api/moderation/comments/${reply.id}/reject`, { as: moderator, body: { reason: 'Off topic' } });
  assert.equal(rejected.statusCode, 200);
  await page.locator(`#c-${reply.id}`).waitFor({ state: 'detached' });
  assert.equal(await page.locator(`#c-${parent.id}`).count(), 1);
  assert.ok(await stillSameDocument(page), 'no reload happened');
  assert.deepEqual(problems, [], 'no console errors and no Content-Security-Policy violations');
  await context.close();
});

it('votes and replies in place with JavaScript on', async () => {
  const { t, baseUrl } = live.server();
  const storyId = await t.story({ title: 'Library opens on Sundays' });
  const author = await t.agent();
  const parent = await t.comment(author, storyId, 'Finally, a place to read on Sundays.');
  const reader = await t.agent();
  const context = await live.browser().newContext();
  const [name, value] = reader.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: baseUrl }]);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/stories/${storyId}`);
  await page.locator('html[data-parley-live="on"]').waitFor();
  await markDocument(page);

  const comment = page.locator(`#c-${parent.id}`);
  await comment.getByRole('button', { name: 'Vote up' }).click();
  await comment.locator('> footer .score', { hasText: '1' }).waitFor();
  assert.equal(await comment.getByRole('button', { name: 'Vote up' }).getAttribute('aria-pressed'), 'true');

  await comment.locator('details.reply > summary').click();
  await comment.getByLabel(/Reply to/).fill('And the café downstairs too.');
  await comment.getByRole('button', { name: 'Post' }).click();
  const replyLocator = page.locator(`#c-${parent.id} + .replies > article.comment`);
  await replyLocator.waitFor();
  assert.match(await replyLocator.locator('.body').innerText(), /café downstairs/);
  assert.ok(await stillSameDocument(page), 'no reload happened');
  const stored = await t.db.selectFrom('votes').select('value').where('comment_id', '=', parent.id).execute();
  assert.deepEqual(stored.map((v) => v.value), [1]);
  await context.close();
});

it('opens a permalink to a comment on the last page of a 300-comment story, scrolled to and highlighted', async () => {
  const { t, baseUrl } = live.server();
  const storyId = await t.story({ title: 'A very busy story' });
  const author = await t.agent();
  let last = '';
  for (let n = 1; n <= 300; n++) last = (await t.comment(author, storyId, `Comment number ${n}`)).id;
  const page = await live.browser().newPage();
  await page.goto(`${baseUrl}/stories/${storyId}`);
  assert.equal(await page.locator(`#c-${last}`).count(), 0, 'not on the first page');
  await page.goto(`${baseUrl}/comments/${last}`);
  const target = page.locator(`#c-${last}:target`);
  await target.waitFor();
  assert.match(await target.locator('.body').innerText(), /Comment number 300/);
  assert.ok(await target.isVisible());
  assert.ok(await target.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return box.top < window.innerHeight && box.bottom > 0;
  }), 'scrolled into view');
  await page.close();
});

it('loads the thread again when the stream says the reader is too far behind (reset)', async () => {
  const { t, baseUrl } = live.server();
  const storyId = await t.story({ title: 'Ferry timetable changes' });
  const author = await t.agent();
  await t.comment(author, storyId, 'The first comment.');
  const missed = await t.comment(author, storyId, 'The comment the reader missed.');
  // Every event so far is pruned (the newest always stays).
  await t.db.updateTable('thread_events').set({ created_at: Date.now() - 3 * 86_400_000 }).execute();
  await pruneThreadEvents(t.db, Date.now() - 86_400_000);

  const context = await live.browser().newContext();
  const page = await context.newPage();
  // The reader's page is from long ago: without the second comment, and its last event long pruned.
  let first = true;
  await page.route(`${baseUrl}/stories/${storyId}`, async (route) => {
    if (!first) return route.continue();
    first = false;
    const response = await route.fetch();
    const html = (await response.text())
      .replace(/data-last-event-id="\d+"/, 'data-last-event-id="1"')
      .replace(new RegExp(`<article[^>]*id="c-${missed.id}"[\\s\\S]*?</article>`), '');
    await route.fulfill({ response, body: html });
  });
  await page.goto(`${baseUrl}/stories/${storyId}`);
  await markDocument(page);
  assert.equal(first, false);
  // The stream answers `reset`; the script loads the thread again, in place, and the missed comment is there.
  await page.locator(`#c-${missed.id}`).waitFor();
  assert.ok(await stillSameDocument(page), 'the thread was reloaded in place, not the page');
  await context.close();
});
