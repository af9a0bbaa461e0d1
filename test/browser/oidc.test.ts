// Sign-in with OpenID Connect in Chromium against a real provider (oidc-provider on 127.0.0.1): from a story, "Log in",
// "Sign in with harbour-id", the provider's own form, and back on the story signed in, able to comment.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowserAndServer } from '../helpers/browser.js';
import { startOidcProvider, type TestProvider } from '../helpers/oidc.js';

const live = useBrowserAndServer('sqlite');
let provider: TestProvider | undefined;
after(async () => provider?.close());

it('signs a reader in at the provider from a story page and brings them back to it, signed in', async () => {
  const server = live.server();
  // Started here, once the server's address (the callback's) is known.
  provider = await startOidcProvider([`${server.baseUrl}/auth/oidc/harbour-id/callback`]);
  provider.accounts.set('rosa-7', { name: 'Rosa Harbour', email: 'rosa@provider.example', email_verified: true });
  await server.t.context.oidc.add(server.t.siteId, { name: 'harbour-id', issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret });
  const issuer = provider.issuer;
  const story = await server.t.story();
  const page = await live.browser().newPage();
  await page.goto(`${server.baseUrl}/stories/${story}`);
  await page.getByRole('link', { name: 'Log in' }).first().click();
  await page.getByRole('link', { name: 'Sign in with harbour-id' }).click();
  // The provider's own page, on its own origin.
  await page.waitForURL((url) => url.origin === issuer);
  await page.locator('input[name=login]').fill('rosa-7');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.origin === server.baseUrl && url.pathname === `/stories/${story}`);

  const me = await page.evaluate(async () => (await (await fetch('/api/me')).json()) as { user: { username: string; email: string } });
  assert.equal(me.user.username, 'Rosa_Harbour');
  assert.equal(me.user.email, 'rosa@provider.example');
  // Signed in on the page itself: the comment form is there and posts under the provider's name.
  await page.getByLabel('Join the discussion').fill('Signed in through the newsroom provider, and glad of it.');
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await page.getByText('Signed in through the newsroom provider, and glad of it.').first().waitFor();
  const stored = await server.t.db.selectFrom('comments').innerJoin('users', 'users.id', 'comments.author_id').select('users.username').where('comments.story_id', '=', story).execute();
  assert.deepEqual(stored.map((c) => c.username), ['Rosa_Harbour']);
});
