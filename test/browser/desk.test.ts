/// <reference lib="dom" />
// The newsroom desk in the console (issue 18), in Debian's Chromium against the built console (`npm run build`):
// closing a story from the Stories screen, the People screen, counts that follow an action and read "1 comment",
// and the selected queue tab readable on hover.
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { signedInContext, useBrowserAndServer } from '../helpers/browser.js';
import type { Agent } from '../helpers/app.js';
import { keywordScorer } from '../helpers/scorers.js';

const CONSOLE_INDEX = fileURLToPath(new URL('../../web/dist/admin/index.html', import.meta.url));
before(() => {
  if (!existsSync(CONSOLE_INDEX)) throw new Error(`The moderator console is not built (${CONSOLE_INDEX} is missing): run \`npm run build\` first.`);
});
const live = useBrowserAndServer('sqlite', { scorer: keywordScorer });

const signedIn = (agent: Agent): Promise<BrowserContext> => signedInContext(live.browser(), live.server().baseUrl, agent);

async function consolePage(agent: Agent, path: string): Promise<{ page: Page; context: BrowserContext }> {
  const context = await signedIn(agent);
  const page = await context.newPage();
  await page.goto(`${live.server().baseUrl}${path}`);
  return { page, context };
}

it('closes a story from the Stories screen with a message; its page says so and refuses new comments', async () => {
  const t = live.server().t;
  const storyId = await t.story({ title: 'Trial of the harbour master' });
  const reader = await t.agent();
  await t.comment(reader, storyId, 'Before the trial');
  const moderator = await t.agent('moderator');
  const { page, context } = await consolePage(moderator, '/admin/stories');
  const row = page.getByTestId(`story-${storyId}`);
  await row.getByLabel('Closed').check();
  await row.getByLabel('Message to readers').fill('Closed while the trial is under way.');
  await row.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved: comments closed').waitFor();
  const stored = await t.db.selectFrom('stories').select(['state', 'closed_message']).where('id', '=', storyId).executeTakeFirstOrThrow();
  assert.deepEqual(stored, { state: 'closed', closed_message: 'Closed while the trial is under way.' });
  const readerPage = await (await signedIn(reader)).newPage();
  await readerPage.goto(`${live.server().baseUrl}/stories/${storyId}`);
  assert.match(await readerPage.locator('.story-closed').innerText(), /Comments are closed\. Closed while the trial is under way\./);
  assert.equal(await readerPage.locator('textarea[name="body"]').count(), 0);
  await readerPage.context().close();
  await context.close();
});

it('the People screen finds a person, shows their comments and takes a note', async () => {
  const t = live.server().t;
  const storyId = await t.story({ title: 'Bus lanes' });
  const person = await t.agent('commenter', `Quentin_${Math.random().toString(36).slice(2, 6)}`);
  await t.comment(person, storyId, 'Bus lanes are a good idea');
  const admin = await t.agent('admin');
  const { page, context } = await consolePage(admin, '/admin/people');
  await page.getByLabel('Name or e-mail').fill(person.username.slice(0, 9));
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: person.username }).click();
  await page.locator('article.person').getByText('Bus lanes are a good idea').waitFor();
  await page.getByLabel('Add a note').fill('Regular on transport stories.');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.locator('.notes').getByText('Regular on transport stories.').waitFor();
  const notes = await t.db.selectFrom('user_notes').select('body').where('user_id', '=', person.userId).execute();
  assert.deepEqual(notes, [{ body: 'Regular on transport stories.' }]);
  await context.close();
});

it('queue counts follow an approval at once and read "1 comment"; the selected tab stays readable on hover', async () => {
  const t = live.server().t;
  const storyId = await t.story({ title: 'Counting story' });
  const author = await t.agent();
  const moderator = await t.agent('moderator');
  const held = [await t.comment(author, storyId, 'THREATWORD one'), await t.comment(author, storyId, 'THREATWORD two')];
  const { page, context } = await consolePage(moderator, `/admin?storyId=${storyId}`);
  await page.locator('article.card').first().waitFor();
  const pending = async () => Number(await page.getByTestId('count-pending').innerText());
  const before = await pending();
  await page.locator(`article[data-comment-id="${held[0]!.id}"]`).getByRole('button', { name: 'Approve', exact: true }).click();
  // The badge follows the approval (the console asks for the counts right after it), well before the stream's next poll.
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="count-pending"]')?.textContent) === n, before - 1);
  assert.match(await page.locator('p.loaded').innerText(), /^1 comment\b/);
  const tab = page.locator('.queue-tabs button[aria-pressed="true"]');
  await tab.hover();
  const colours = await tab.evaluate((el) => {
    const style = getComputedStyle(el);
    return { color: style.color, background: style.backgroundColor };
  });
  assert.equal(colours.color, 'rgb(255, 255, 255)');
  assert.notEqual(colours.background, 'rgb(249, 250, 251)', 'the hover must not turn the selected tab light under its white label');
  await context.close();
});

it("shows live which item another moderator reviews, and undoes an approval from its toast", async () => {
  const t = live.server().t;
  const storyId = await t.story({ title: 'Two moderators, one queue' });
  const author = await t.agent();
  const [older, newer] = [await t.comment(author, storyId, 'THREATWORD first held'), await t.comment(author, storyId, 'THREATWORD second held')];
  const first = await t.agent('moderator');
  const second = await t.agent('moderator');
  // The second moderator's console claims its current item (the newest: same severity, newest first).
  const b = await consolePage(second, `/admin?storyId=${storyId}`);
  await b.page.locator('article.card').first().waitFor();
  await b.page.waitForFunction(async (id) => (await fetch(`/api/moderation/queue?storyId=${id}`).then((r) => r.json())).items.some((i: { claim: unknown }) => i.claim), storyId);
  // The first moderator's console says who reviews that one, and moving on claims the next.
  const a = await consolePage(first, `/admin?storyId=${storyId}`);
  const cardOf = (page: Page, id: string) => page.locator(`article[data-comment-id="${id}"]`);
  assert.match(await cardOf(a.page, newer.id).getByTestId('claim-note').innerText(), new RegExp(`Being reviewed by ${second.username}`));
  await a.page.keyboard.press('j');
  // The second console hears of it on its event stream, without reloading.
  await cardOf(b.page, older.id).getByTestId('claim-note').getByText(first.username).waitFor();
  assert.equal(await cardOf(b.page, newer.id).getByTestId('claim-note').count(), 0, 'its own claim is no warning');
  // Moving back lets go of the claim: the note goes from the other console too.
  await a.page.keyboard.press('k');
  await cardOf(b.page, older.id).getByTestId('claim-note').waitFor({ state: 'detached' });

  // An approval can be taken back from its toast: the comment is held again, with an undo entry.
  await cardOf(b.page, newer.id).getByRole('button', { name: 'Approve', exact: true }).click();
  await b.page.locator('.toast', { hasText: 'Approved the comment' }).getByRole('button', { name: 'Undo' }).click();
  await b.page.locator('.toast', { hasText: 'Undone' }).waitFor();
  await cardOf(b.page, newer.id).waitFor();
  const row = await t.db.selectFrom('comments').select('status').where('id', '=', newer.id).executeTakeFirstOrThrow();
  assert.equal(row.status, 'pending');
  const actions = await t.db.selectFrom('audit_log').select('action').where('target_id', '=', newer.id).orderBy('created_at').execute();
  assert.deepEqual(actions.map((r) => r.action), ['comment.approve', 'comment.undo']);
  await a.context.close();
  await b.context.close();
});
