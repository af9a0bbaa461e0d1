/// <reference lib="dom" />
// The console's webhooks screen in Debian's Chromium, against a real receiver (node:http): an admin adds a webhook
// (its secret shown once), a comment's call fails with the receiver's 500 and shows so in the delivery log, the
// replay is delivered; the webhook is removed; a moderator is not offered the screen.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { signedInContext, useBrowserAndServer } from '../helpers/browser.js';
import { Receiver } from '../helpers/receiver.js';

// One attempt, so the 500 leaves the delivery failed at once; the receiver listens on 127.0.0.1.
const live = useBrowserAndServer('sqlite', {
  config: (c) => ({ ...c, delivery: { ...c.delivery, pollMs: 100, maxAttempts: 1, allowInternalWebhooks: true } }),
});
const receiver = await new Receiver().start();
after(() => receiver.close());

it('lets an admin add a webhook, read the delivery log and replay a failed delivery', async () => {
  const server = live.server();
  const admin = await server.t.agent('admin');
  const context = await signedInContext(live.browser(), server.baseUrl, admin);
  try {
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/admin`);
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await page.getByText('No webhook yet.').waitFor();
    await page.getByLabel('Receiver URL').fill(receiver.url);
    await page.getByLabel('comment.created').check();
    await page.getByRole('button', { name: 'Add the webhook' }).click();
    const secret = await page.getByTestId('webhook-secret').innerText();
    assert.match(secret, /whsec_[A-Za-z0-9_-]+/);
    assert.match(await page.locator('.webhooks li').innerText(), /comment\.created/);

    receiver.answers.push(500);
    const storyId = await server.t.story();
    await server.t.comment(await server.t.agent(), storyId, 'A comment the receiver refuses at first.');
    await receiver.waitFor(1);
    // The log shows what the server knew when it loaded: Refresh until the newest delivery has its outcome.
    const newestWhen = async (outcome: RegExp) => {
      const row = page.locator('.deliveries tbody tr').first();
      for (let i = 0; i < 50 && !((await row.isVisible()) && outcome.test(await row.innerText())); i++) {
        await page.getByRole('button', { name: 'Refresh' }).click();
        await page.waitForTimeout(100);
      }
      return row;
    };
    const row = await newestWhen(/Failed/);
    const failed = await row.innerText();
    assert.match(failed, /comment\.created/);
    assert.match(failed, /Failed/);
    assert.match(failed, /HTTP 500/);
    assert.ok(failed.includes(receiver.url));
    if (process.env.PARLEY_SCREENSHOTS) await page.screenshot({ path: `${process.env.PARLEY_SCREENSHOTS}/console-webhooks.png`, fullPage: true });

    await row.getByRole('button', { name: /^Replay comment\.created/ }).click();
    await receiver.waitFor(2);
    assert.equal(JSON.parse(receiver.calls[1]!.body).id, JSON.parse(receiver.calls[0]!.body).id, 'a replay carries the same event id');
    const replayed = await newestWhen(/Delivered/);
    assert.match(await replayed.innerText(), /Delivered[\s\S]*HTTP 200/);
    assert.equal(await page.locator('.deliveries tbody tr').count(), 2);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('.webhooks li').getByRole('button', { name: 'Remove' }).click();
    await page.getByText('No webhook yet.').waitFor({ timeout: 5000 }).catch(async (e: Error) => assert.fail(`${e.message}\n${await page.locator('main').innerText()}`));
    assert.equal((await server.t.context.webhooks.list(null, server.t.siteId)).length, 0);
  } finally {
    await context.close();
  }
});

it('does not offer the webhooks screen to a moderator', async () => {
  const moderator = await live.server().t.agent('moderator');
  const context = await signedInContext(live.browser(), live.server().baseUrl, moderator);
  try {
    const page = await context.newPage();
    await page.goto(`${live.server().baseUrl}/admin/webhooks`);
    await page.getByRole('link', { name: 'Queues' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Webhooks' }).count(), 0);
  } finally {
    await context.close();
  }
});
