// The People screen's bans by network address and e-mail domain in Chromium: an admin bans a person's address and
// their domain from the person's panel, sees both in the list of bans, and lifts one.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { signedInContext, useBrowserAndServer } from '../helpers/browser.js';

const live = useBrowserAndServer();

it("bans a person's network address and e-mail domain from the People screen, lists them and lifts one", async () => {
  const { t, baseUrl } = live.server();
  const admin = await t.agent('admin');
  const reader = await t.agent('commenter', 'sock_puppet');
  const context = await signedInContext(live.browser(), baseUrl, admin);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/admin/people?q=sock&id=${reader.userId}`);
  const panel = page.locator('article.person');
  await panel.getByLabel('Reason (moderators see it beside held comments)').fill('Sock puppets of a banned reader');
  await panel.getByRole('button', { name: 'Ban their network address' }).click();
  const list = page.locator('section.identity-bans');
  await list.getByText('network of sock_puppet').waitFor();
  await panel.getByLabel('Reason (moderators see it beside held comments)').fill('Throw-away addresses');
  await panel.getByRole('button', { name: 'Ban @example.com' }).click();
  await list.getByText('@example.com').waitFor();
  assert.equal(await list.locator('li').count(), 2);
  await list.locator('li', { hasText: '@example.com' }).getByRole('button', { name: 'Lift' }).click();
  await list.locator('li', { hasText: '@example.com' }).waitFor({ state: 'detached' });
  const bans = await t.db.selectFrom('identity_bans').select('kind').execute();
  assert.deepEqual(bans.map((b) => b.kind), ['address']);
  await context.close();
});
