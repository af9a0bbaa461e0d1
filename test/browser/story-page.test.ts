import { it } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowserAndServer } from '../helpers/browser.js';

const live = useBrowserAndServer();

it('signs up from a story page, comments, replies, and finds the reply nested after a reload', async () => {
  const browser = live.browser();
  const server = live.server();
  const storyId = await server.t.story({ title: 'Tram line extension approved', byline: 'Lea Brandt', source: 'City Desk' });
  const page = await browser.newPage();
  await page.goto(`${server.baseUrl}/stories/${storyId}`);
  assert.equal(await page.locator('h1').innerText(), 'Tram line extension approved');

  await page.locator('.join').getByRole('link', { name: 'sign up' }).click();
  await page.getByLabel('Username').fill('tram_fan');
  await page.getByLabel('Email').fill('tram_fan@example.com');
  await page.getByLabel('Password').fill('trams are the future');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${server.baseUrl}/stories/${storyId}`);
  assert.match(await page.locator('header.site').innerText(), /Signed in as tram_fan/);

  await page.getByLabel('Join the discussion').fill('About **time** the east side got a tram.');
  await page.getByRole('button', { name: 'Post' }).first().click();
  await page.waitForURL(/posted=published#c-/);
  const parentId = new URL(page.url()).hash.slice('#c-'.length);
  const parent = page.locator(`#c-${parentId}`);
  assert.equal(await parent.locator('.body strong').innerText(), 'time');

  await parent.locator('details.reply > summary').first().click();
  await parent.getByLabel('Reply to tram_fan').fill('Replying to myself: the depot is still undecided.');
  await parent.getByRole('button', { name: 'Post' }).first().click();
  // With JavaScript on the reply is posted in place: the address then names the new comment, not the parent.
  await page.waitForURL((url) => url.search.includes('posted=published') && url.hash.startsWith('#c-') && url.hash !== `#c-${parentId}`);
  const replyId = new URL(page.url()).hash.slice('#c-'.length);
  assert.notEqual(replyId, parentId);

  await page.reload();
  const reply = page.locator(`#c-${parentId} + .replies > #c-${replyId}`);
  assert.equal(await reply.count(), 1, 'the reply sits in the replies block right after its parent');
  assert.match(await reply.locator('.body').innerText(), /depot is still undecided/);
  const datetime = await reply.locator('time').first().getAttribute('datetime');
  assert.ok(datetime && !Number.isNaN(Date.parse(datetime)));

  await reply.getByRole('link', { name: 'in reply to tram_fan' }).click();
  assert.equal(new URL(page.url()).hash, `#c-${parentId}`);
  assert.equal(await page.locator(':target').getAttribute('id'), `c-${parentId}`);

  // The permalink of the reply, opened fresh, lands on the reply.
  const permalink = await reply.locator('a.permalink').getAttribute('href');
  await page.goto(`${server.baseUrl}/stories/${storyId}${permalink}`);
  assert.equal(await page.locator(':target').getAttribute('id'), `c-${replyId}`);
  await page.close();
});
