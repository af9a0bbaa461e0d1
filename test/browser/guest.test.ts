// A guest comments from the story page in Chromium: the page's script asks for a challenge, finds the proof of work
// with the browser's SubtleCrypto and posts; the comment appears under the guest's name (the site scores guests
// "stricter"), and one with a link is held with a message that says so.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowserAndServer } from '../helpers/browser.js';

const live = useBrowserAndServer();

it('lets a guest comment from the story page after the browser solves the challenge', async () => {
  const server = live.server();
  await server.t.context.sites.setGuestMode(null, server.t.siteId, 'stricter');
  const storyId = await server.t.story({ title: 'Harbour ferry timetable changes' });
  const page = await live.browser().newPage();
  await page.goto(`${server.baseUrl}/stories/${storyId}`);
  const form = page.locator('form.guest-form');
  await form.getByLabel('Your name').fill('Ferry Rider');
  await form.getByLabel('Your comment').fill('The early boat matters to shift workers.');
  await form.getByRole('button', { name: 'Post as a guest' }).click();
  await page.locator('.guest-status', { hasText: 'Your comment is published.' }).waitFor();
  const comment = page.locator('article.comment', { hasText: 'The early boat matters' });
  await comment.waitFor();
  assert.match(await comment.locator('header').innerText(), /Ferry_Rider_guest/);

  await form.getByLabel('Your name').fill('Ferry Rider');
  await form.getByLabel('Your comment').fill('Timetable at https://ferry.example.com/new');
  await form.getByRole('button', { name: 'Post as a guest' }).click();
  await page.locator('.guest-status', { hasText: 'a moderator will read your comment' }).waitFor();
  assert.equal(await page.locator('article.comment', { hasText: 'Timetable at' }).count(), 0);
  const held = await server.t.db.selectFrom('comments').select('status').where('body_markdown', 'like', 'Timetable at%').executeTakeFirstOrThrow();
  assert.equal(held.status, 'pending');
});
