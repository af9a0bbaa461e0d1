// Takes the console screenshots in docs/screenshots/: a live server on a throw-away SQLite database,
// seeded with a month of demo discussion (a keyword-driven fake classifier decides what is held), and
// Debian's Chromium through playwright-core. Nothing seeded here is kept.
//
//   npm run build && node --import tsx web/admin/scripts/screenshots.ts [output folder]
//
// With KEEP_OPEN=1 it prints the address and an admin login, and keeps the server running for a look
// around (Ctrl-C ends it).
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startLiveServer } from '../../../test/helpers/browser.js';
import { insertSite } from '../../../src/storage/sites.js';
import { DEFAULT_POLICY } from '../../../src/moderation/policy.js';
import type { Agent, TestApp } from '../../../test/helpers/app.js';
import { LABELS, type Label, type LabelScores, type Span } from '../../../src/moderation/labels.js';
import type { Scorer } from '../../../src/moderation/types.js';

/** A small Disqus export for the import screen: two stories, a handful of comments and a reply. */
const DISQUS_SAMPLE = `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="t1"><link>https://news.example.com/2024/ferry-timetable</link><title>Ferry timetable changes</title></thread>
  <thread dsq:id="t2"><link>https://news.example.com/2024/library-hours</link><title>Library opens on Sundays</title></thread>
  ${['The early ferry matters to everyone who works in town.', 'Finally! Sunday is the only day I can go.', 'Agreed, the 6:40 is always full.', 'Will the children\'s room be open too?']
    .map((text, i) => `<post dsq:id="p${i}"><message><![CDATA[<p>${text}</p>]]></message><createdAt>2024-03-0${i + 1}T09:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Reader ${i}</name></author><thread dsq:id="t${(i % 2) + 1}" />${i === 2 ? '<parent dsq:id="p0" />' : ''}</post>`)
    .join('\n')}
</disqus>`;

const OUT = process.argv[2] ?? fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

// Phrase → the labels it drives and how strongly, against the fake's shipped thresholds below.
const LEXICON: Array<[string, Partial<Record<Label, number>>]> = [
  ['idiots', { insult: 0.84, toxic: 0.72 }],
  ['idiot', { insult: 0.81, toxic: 0.7 }],
  ['morons', { insult: 0.77, toxic: 0.64 }],
  ['clown', { insult: 0.58 }],
  ['burn your house down', { threat: 0.91, severe_toxic: 0.55 }],
  ['watch your back', { threat: 0.78 }],
  ['hope you get hurt', { threat: 0.87, toxic: 0.6 }],
  ['crap', { obscene: 0.63, toxic: 0.52 }],
  ['damn', { obscene: 0.54 }],
  ['those people', { identity_hate: 0.66, toxic: 0.51 }],
  ['go back where', { identity_hate: 0.79, toxic: 0.62 }],
  ['shut up', { toxic: 0.61, insult: 0.52 }],
  ['worthless', { toxic: 0.97, insult: 0.9 }],
];

// The fake model's shipped thresholds: different label by label, as a trained model's are, so that the
// policy screen shows what applies where a site sets nothing.
const scorer: Scorer = {
  thresholds: {
    toxic: { hold: 0.5, reject: 0.95 },
    severe_toxic: { hold: 0.45, reject: 0.9 },
    obscene: { hold: 0.52, reject: 0.97 },
    threat: { hold: 0.45, reject: 0.92 },
    insult: { hold: 0.55, reject: 0.95 },
    identity_hate: { hold: 0.48, reject: 0.9 },
  },
  score(text) {
    const scores = Object.fromEntries(LABELS.map((l) => [l, 0.02 + (text.length % 7) / 100])) as LabelScores;
    const spans: Span[] = [];
    const lower = text.toLowerCase();
    for (const [phrase, labels] of LEXICON) {
      const at = lower.indexOf(phrase);
      if (at < 0 || spans.some((s) => at < s.end && at + phrase.length > s.start)) continue;
      for (const [label, value] of Object.entries(labels) as Array<[Label, number]>) scores[label] = Math.max(scores[label], value);
      const top = (Object.entries(labels) as Array<[Label, number]>).sort((a, b) => b[1] - a[1])[0]!;
      spans.push({ start: at, end: at + phrase.length, label: top[0], weight: top[1] });
    }
    return { scores, spans };
  },
};

const STORIES = [
  { title: 'Harbour bridge to close for three months of repairs', source: 'City Desk' },
  { title: 'Council approves protected bike lanes on Main Street', source: 'Politics' },
  { title: 'Heatwave: public pools stay open until midnight', source: 'Local' },
  { title: 'New tram depot planned on the old freight yard', source: 'City Desk' },
];

// [story, text]: the story each comment belongs to (an index into STORIES).
const CALM: Array<[number, string]> = [
  [0, 'The detour via the ring road adds twenty minutes each way. Will the ferry run more often?'],
  [0, 'Finally. The bridge has needed this for a decade.'],
  [1, 'Does anyone know whether cyclists can still use the bus lane during the works?'],
  [0, 'My shop is right by the east ramp; three months without passing trade is going to hurt.'],
  [0, 'Good to see the council publish the engineering report this time.'],
  [1, 'The lanes on Elm Street cut accidents by a third; this is overdue.'],
  [1, 'Deliveries will need loading bays, otherwise the lanes will be blocked all day.'],
  [2, 'Late opening is a great idea, the kids can swim after the heat breaks.'],
  [2, 'Will there be extra lifeguards for the late shifts?'],
  [3, 'The freight yard has been empty since 2009, anything is better than weeds.'],
  [3, 'Trams are quieter than the buses they replace. Count me in.'],
  [3, 'Where will the depot traffic go at night?'],
];

const DOUBTFUL: Array<[number, string]> = [
  [0, 'Only idiots thought the old bridge would last forever.'],
  [1, 'Whoever signed off on this should watch your back when you walk home.'],
  [1, 'Typical council morons, spending our money on paint.'],
  [3, 'What a load of crap, nobody asked for this.'],
  [1, 'Shut up about the bike lanes already.'],
  [2, 'Those people from the suburbs clog the pools every summer anyway.'],
  [3, 'If the depot goes ahead I hope you get hurt by the noise as much as we will.'],
  [0, 'The mayor is a clown and everyone knows it.'],
  [0, 'Damn, three months is a long time for a few bolts.'],
  [3, 'I know where the planner lives. Keep this up and I will burn your house down.'],
  [3, 'Tell the newcomers to go back where they came from if they want trams.'],
  [1, 'Anyone who rides a bike to work is worthless.'],
];

async function seed(t: TestApp) {
  const day = 86_400_000;
  const now = Date.now();
  // Two sites, so that the policy screen offers its site picker; the discussion is on the first.
  await t.db.updateTable('sites').set({ name: 'Harbour City Times' }).where('id', '=', t.siteId).execute();
  await insertSite(t.db, 'Harbour City Evening', JSON.stringify(DEFAULT_POLICY), now + 1);
  const admin = await t.agent('admin', 'editor_ana');
  const moderator = await t.agent('moderator', 'mod_jonas');
  const readers: Agent[] = [];
  for (const name of ['marta_k', 'owen.b', 'pjotr', 'lisa_reads', 'tom_h', 'hanna.w', 'ravi_s', 'dee_dee']) readers.push(await t.agent('commenter', name));
  // Accounts of various ages, for the author histories.
  for (const [i, r] of readers.entries()) {
    await t.db.updateTable('users').set({ created_at: now - (3 + i * 47) * day }).where('id', '=', r.userId).execute();
  }
  const storyIds: string[] = [];
  for (const s of STORIES) storyIds.push(await t.story({ title: s.title, source: s.source }));

  // A month of discussion: mostly calm, some doubtful, each comment moved back to its day.
  const posted: Array<{ id: string; status: string; text: string; authorId: string }> = [];
  const lastPublished = new Map<string, string>();
  let n = 0;
  let dn = 0;
  for (let d = 29; d >= 0; d--) {
    const perDay = 3 + ((d * 7) % 5) + (d < 6 ? 3 : 0);
    for (let i = 0; i < perDay; i++, n++) {
      const doubtful = n % 4 === 1 || (d < 3 && i % 3 === 0);
      const [story, text] = doubtful ? DOUBTFUL[dn++ % DOUBTFUL.length]! : CALM[n % CALM.length]!;
      const author = readers[n % readers.length]!;
      const storyId = storyIds[story]!;
      const parent = i % 2 === 1 ? lastPublished.get(storyId) : undefined;
      const c = await t.comment(author, storyId, text, parent);
      if (c.status === 'published') lastPublished.set(storyId, c.id);
      const at = now - d * day - (perDay - i) * 1_700_000;
      await t.db.updateTable('comments').set({ created_at: at }).where('id', '=', c.id).execute();
      posted.push({ ...c, text, authorId: author.userId });
    }
  }

  // Moderators worked through the older part of the queue: some approved, some rejected.
  const pending = posted.filter((c) => c.status === 'pending');
  const older = pending.slice(0, Math.max(0, pending.length - 12));
  for (const [i, c] of older.entries()) {
    const as = i % 3 === 0 ? admin : moderator;
    if (i % 2 === 0) await t.request('POST', `/api/moderation/comments/${c.id}/approve`, { as, body: {} });
    else await t.request('POST', `/api/moderation/comments/${c.id}/reject`, { as, body: { reason: i % 4 === 1 ? 'Personal attack' : 'Threatening language' } });
  }
  const published = posted.filter((c) => c.status === 'published');
  await t.request('POST', `/api/moderation/comments/${published[3]!.id}/feature`, { as: admin, body: {} });
  // A held comment worth featuring: approved and featured in one action.
  const recent = pending.slice(older.length);
  const worth = recent.find((c) => c.text.startsWith('Damn')) ?? recent[recent.length - 1];
  if (worth) await t.request('POST', `/api/moderation/comments/${worth.id}/approve`, { as: moderator, body: { featured: true } });
  // Readers report a published comment.
  const reporters = readers.filter((r) => r.userId !== published[1]!.authorId).slice(0, 3);
  for (const r of reporters) await t.request('POST', `/api/comments/${published[1]!.id}/reports`, { as: r, body: { reason: 'off_topic', note: 'Nothing to do with the story' } });
  await t.request('POST', `/api/moderation/users/${readers[7]!.userId}/suspend`, {
    as: moderator,
    body: { until: new Date(now + 3 * day).toISOString(), reason: 'Repeated insults' },
  });
  await t.request('POST', `/api/moderation/users/${readers[6]!.userId}/ban`, { as: admin, body: { reason: 'Threats against others' } });
  const policy = (await t.request('GET', `/api/sites/${t.siteId}/policy`, { as: admin })).json();
  await t.request('PUT', `/api/sites/${t.siteId}/policy`, {
    as: admin,
    body: { ...policy, suspectWords: ['clown', 'sheeple'], bannedWords: ['worthless'], preModeration: 'new_accounts', thresholds: { threat: { hold: 0.4, reject: 0.9 } } },
  });
  // A filter the admin saved, for the queue's "Saved" list.
  await t.request('POST', '/api/moderation/filters', { as: admin, body: { name: 'Threats first', filter: { queue: 'pending', label: 'threat', sort: 'severity' } } });
  return { admin, moderator, password: t.passwords.get(admin.username)! };
}

const { t, baseUrl } = await startLiveServer('sqlite', { scorer });
const { admin, moderator, password } = await seed(t);

if (process.env.KEEP_OPEN) {
  console.log(`${baseUrl}/admin  — log in as ${admin.username} / ${password}`);
} else {
  mkdirSync(OUT, { recursive: true });
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) problems.push(m.text());
  });
  await page.goto(`${baseUrl}/login?next=/admin`);
  await page.getByLabel('Username').fill(admin.username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${baseUrl}/admin`);
  await page.locator('article.card').first().waitFor();
  await page.keyboard.press('j');
  await page.keyboard.press('x');
  await page.keyboard.press('k');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/console-queue.png` });

  await page.keyboard.press('r');
  await page.getByRole('dialog').waitFor();
  await page.keyboard.type('Threatening language');
  await page.screenshot({ path: `${OUT}/console-reject-dialog.png` });
  await page.keyboard.press('Escape');

  // Two moderators on one queue: the other one reviews the second item (the console hears it live), and an approval
  // offers its Undo.
  const queued = (await t.request('GET', '/api/moderation/queue', { as: moderator })).json() as { items: Array<{ comment: { id: string } }> };
  await t.request('PUT', `/api/moderation/comments/${queued.items[1]!.comment.id}/claim`, { as: moderator });
  await page.locator('[data-testid="claim-note"]').first().waitFor();
  await page.keyboard.press('a');
  await page.locator('.toast button', { hasText: 'Undo' }).waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${OUT}/console-claim-undo.png` });
  // The other screens without the toast.
  await page.locator('.toast').waitFor({ state: 'detached', timeout: 30_000 });

  for (const [name, link] of [
    ['dashboard', 'Dashboard'],
    ['audit', 'Audit log'],
    ['policy', 'Policy'],
  ] as const) {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: link }).click();
    await page.locator('h1', { hasText: name === 'dashboard' ? 'Dashboard' : name === 'audit' ? 'Audit log' : 'Site policy' }).waitFor();
    if (name === 'dashboard') await page.locator('canvas').first().waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${OUT}/console-${name}.png`, fullPage: name !== 'audit' });
    if (name === 'audit') {
      await page.getByLabel('Moderator').selectOption({ label: moderator.username });
      await page.locator('table.audit tbody tr').first().waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${OUT}/console-audit-moderator.png` });
    }
  }
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Import and export' }).click();
  await page.setInputFiles('input[type=file]', { name: 'disqus-export.xml', mimeType: 'application/xml', buffer: Buffer.from(DISQUS_SAMPLE) });
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await page.locator('.import-status', { hasText: 'Imported' }).first().waitFor({ timeout: 60_000 });
  await page.screenshot({ path: `${OUT}/console-import.png`, fullPage: true });
  const open = (link: string) => page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: link }).click();
  await open('Stories');
  await page.locator('li.story-row').first().waitFor();
  await page.screenshot({ path: `${OUT}/console-stories.png` });
  await open('People');
  // A commenter with a history (the newest accounts are the seeding's staff).
  await page.locator('.people-list li', { hasText: '@' }).first().locator('a').click();
  await page.locator('article.person').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/console-people.png`, fullPage: true });
  await browser.close();
  await t.close();
  if (problems.length) {
    console.error(`console errors:\n${problems.join('\n')}`);
    process.exitCode = 1;
  }
  console.log(`screenshots in ${OUT}`);
}
