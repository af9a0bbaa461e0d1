// A reader who forgot the password, in Chromium against a real SMTP server (smtp-server): "Forgot your password?"
// on the log-in page, the form that asks for a link, the link from the mail, a new password, and a log-in with it.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowserAndServer } from '../helpers/browser.js';
import { Mailbox } from '../helpers/mailbox.js';

const mailbox = await Mailbox.start();
after(() => mailbox.close());
const live = useBrowserAndServer('sqlite', { config: (c) => ({ ...c, delivery: { ...c.delivery, smtpUrl: mailbox.url, pollMs: 100 } }) });

it('resets a forgotten password from the log-in page through the mailed link', async () => {
  const server = live.server();
  const reader = await server.t.agent();
  const address = `${reader.username}@example.com`.toLowerCase();
  await mailbox.next(address); // the link that confirms the address, mailed at sign-up
  const page = await live.browser().newPage();
  await page.goto(`${server.baseUrl}/login`);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('E-mail address').fill(address);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await page.getByRole('status').waitFor();

  const mail = await mailbox.next(address, 2);
  const link = /(http:\/\/[^\s"<>]+\/reset-password\?token=[A-Za-z0-9_%-]+)/.exec(mail.body)?.[1];
  assert.ok(link, mail.body);
  // The mail's links use PARLEY_PUBLIC_URL; the test server listens elsewhere.
  await page.goto(`${server.baseUrl}${new URL(link).pathname}${new URL(link).search}`);
  await page.getByLabel('New password').fill('the harbour at low tide');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await page.getByText('Your password is changed.').waitFor();

  await page.getByRole('link', { name: 'Log in' }).last().click();
  await page.getByLabel('Username').fill(reader.username);
  await page.getByLabel('Password', { exact: true }).fill('the harbour at low tide');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
  const me = await page.evaluate(async () => (await fetch('/api/me')).status);
  assert.equal(me, 200);
});
