/// <reference lib="dom" />
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowserAndServer } from '../helpers/browser.js';

const live = useBrowserAndServer();

const PAYLOADS = [
  '<script>window.__pwned = "script"; alert(1)</script>',
  '<img src=x onerror="window.__pwned=\'img\'; alert(1)">',
  '<svg onload="window.__pwned=\'svg\'"></svg>',
  '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
  '[click me](javascript:window.__pwned=%27link%27)',
  '[click me too](JAVASCRIPT:alert(1))',
  '<a href="javascript:alert(1)">raw link</a>',
  '"><script>alert(1)</script>',
  '<details open ontoggle="window.__pwned=\'details\'">',
  '![img](x" onerror="alert(1))',
  '<style>body{display:none}</style>',
  '<form action="https://evil.example"><button>go</button></form>',
];

it('renders XSS payloads in comments and story fields as inert text', async () => {
  const browser = live.browser();
  const server = live.server();
  const storyId = await server.t.story({
    title: '<script>window.__pwned="title"</script>Council vote',
    byline: '<img src=x onerror=alert(1)>',
    imageCaption: '"><svg onload=alert(1)>',
    imageUrl: 'https://img.example.com/a.jpg" onerror="alert(1)',
  });
  const agent = await server.t.agent();
  const ids: string[] = [];
  for (const payload of PAYLOADS) ids.push((await server.t.comment(agent, storyId, payload)).id);

  const page = await browser.newPage();
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await page.goto(`${server.baseUrl}/stories/${storyId}`);
  // Let any handler that slipped through (onload, onerror, ontoggle) run before looking.
  await page.waitForLoadState('load');

  assert.deepEqual(dialogs, []);
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
  const dangerous = await page.evaluate(() => {
    const found: string[] = [];
    for (const el of document.querySelectorAll('main *')) {
      if (['SCRIPT', 'IFRAME', 'SVG', 'STYLE', 'OBJECT', 'EMBED'].includes(el.tagName.toUpperCase())) found.push(el.tagName);
      for (const attr of el.getAttributeNames()) if (attr.startsWith('on')) found.push(`${el.tagName}[${attr}]`);
      const href = el.getAttribute('href') ?? '';
      if (/^\s*(javascript|data|vbscript):/i.test(href)) found.push(`${el.tagName}[href=${href}]`);
    }
    return found;
  });
  assert.deepEqual(dangerous, []);
  assert.equal(await page.locator('.comment .body form').count(), 0);
  assert.match(await page.locator('h1').innerText(), /<script>window.__pwned="title"<\/script>Council vote/);
  // The payloads are still there for readers to see, as text.
  assert.match(await page.locator(`#c-${ids[0]} .body`).innerText(), /<script>window.__pwned = "script"; alert\(1\)<\/script>/);
  assert.match(await page.locator(`#c-${ids[1]} .body`).innerText(), /onerror=/);
  await page.close();
});
