/// <reference lib="dom" />
// The console's import and export screen in Debian's Chromium: an admin uploads a Disqus file, watches it import
// to its summary, and downloads the site's comments as CSV; a moderator is not offered the screen.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { signedInContext, useBrowserAndServer } from '../helpers/browser.js';

const live = useBrowserAndServer('sqlite');

const DISQUS = `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="t1"><link>https://news.example.com/harbour</link><title>The harbour wall</title></thread>
  ${[1, 2, 3]
    .map(
      (n) => `<post dsq:id="p${n}"><message><![CDATA[<p>Harbour comment ${n}</p>]]></message><createdAt>2022-05-0${n}T10:00:00Z</createdAt>
    <isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Reader ${n}</name><email>r${n}@example.com</email></author>
    <thread dsq:id="t1" />${n === 3 ? '<parent dsq:id="p1" />' : ''}</post>`,
    )
    .join('\n')}
</disqus>`;

it('lets an admin upload an export, follow the import to its summary and download the comments', async () => {
  const admin = await live.server().t.agent('admin');
  const context = await signedInContext(live.browser(), live.server().baseUrl, admin);
  try {
    const page = await context.newPage();
    await page.goto(`${live.server().baseUrl}/admin`);
    await page.getByRole('link', { name: 'Import and export' }).click();
    await page.getByRole('heading', { name: 'Import and export' }).waitFor();
    await page.setInputFiles('input[type=file]', { name: 'harbour.xml', mimeType: 'application/xml', buffer: Buffer.from(DISQUS) });
    await page.getByRole('button', { name: 'Upload and import' }).click();
    const job = page.locator('.import-job').first();
    await job.locator('.import-status', { hasText: 'Imported' }).waitFor({ timeout: 30_000 }).catch(async (e: Error) => assert.fail(`${e.message}\n${await page.locator('main').innerText()}`));
    assert.match(await job.innerText(), /harbour\.xml/);
    assert.match(await job.locator('.import-summary').innerText(), /Comments: 3 imported/);
    const stored = await live.server().t.db.selectFrom('comments').select('body_markdown').where('site_id', '=', live.server().t.siteId).execute();
    assert.equal(stored.length, 3);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the comments (CSV)' }).click()]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\n');
    assert.equal(csv.length, 4, 'a header and the three comments');
    assert.ok(csv.some((line) => line.includes('Harbour comment 3')));
  } finally {
    await context.close();
  }
});

it('does not offer the screen to a moderator', async () => {
  const moderator = await live.server().t.agent('moderator');
  const context = await signedInContext(live.browser(), live.server().baseUrl, moderator);
  try {
    const page = await context.newPage();
    await page.goto(`${live.server().baseUrl}/admin/transfers`);
    await page.getByRole('link', { name: 'Queues' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Import and export' }).count(), 0);
  } finally {
    await context.close();
  }
});
