/// <reference lib="dom" />
// The moderator console at /admin, in Debian's Chromium: the built console (web/dist/admin, made by
// `npm run build`) against a live server whose classifier is a keyword-driven fake, so that each test
// knows which comments are held and which words drove their scores.
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { signedInContext, useBrowserAndServer } from '../helpers/browser.js';
import type { Agent } from '../helpers/app.js';
import { LABELS, type Label, type LabelScores } from '../../src/moderation/labels.js';
import type { Scorer } from '../../src/moderation/types.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';
import { insertSite } from '../../src/storage/sites.js';

const CONSOLE_INDEX = fileURLToPath(new URL('../../web/dist/admin/index.html', import.meta.url));

// Scores driven by keywords: THREATWORD holds as a threat, INSULTWORD as an insult; the rest scores low.
// The shipped thresholds are 0.5 / 0.95, except toxic's (which nothing here scores), so that the policy
// editor's "shipped" numbers can be told apart label by label.
const scorer: Scorer = {
  thresholds: {
    ...(Object.fromEntries(LABELS.map((l) => [l, { hold: 0.5, reject: 0.95 }])) as Scorer['thresholds']),
    toxic: { hold: 0.42, reject: 0.85 },
  },
  score(text) {
    const scores = Object.fromEntries(LABELS.map((l) => [l, 0.01])) as LabelScores;
    const spans = [];
    for (const [word, label, value] of [['THREATWORD', 'threat', 0.8], ['INSULTWORD', 'insult', 0.7]] as const) {
      const at = text.indexOf(word);
      if (at >= 0) {
        scores[label as Label] = value;
        spans.push({ start: at, end: at + word.length, label: label as Label, weight: 1 });
      }
    }
    return { scores, spans };
  },
};

before(() => {
  if (!existsSync(CONSOLE_INDEX)) {
    throw new Error(`The moderator console is not built (${CONSOLE_INDEX} is missing): run \`npm run build\` before the browser tests.`);
  }
});
const live = useBrowserAndServer('sqlite', { scorer });

/** Polls the database until a comment reaches a status (the outcome, not a timing, is what is asserted). */
async function statusOf(id: string, want: string): Promise<{ status: string; moderation_reason: string | null }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const row = await live.server().t.db.selectFrom('comments').select(['status', 'moderation_reason']).where('id', '=', id).executeTakeFirstOrThrow();
    if (row.status === want || Date.now() > deadline) return row;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A browser context signed in as the agent, through its session cookie. */
const signedIn = (agent: Agent): Promise<BrowserContext> => signedInContext(live.browser(), live.server().baseUrl, agent);

/** Collects console errors and Content-Security-Policy violations on a page. */
function watchErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const url = msg.location().url;
    if (/\/favicon\.ico$/.test(url)) return; // the browser asks for one; Parley has none
    problems.push(`${msg.text()} ${url}`);
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

const card = (page: Page, commentId: string) => page.locator(`article[data-comment-id="${commentId}"]`);

/** Polls the database until a comment is featured, or gives up after ten seconds. */
async function featuredAt(id: string): Promise<number | null> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const row = await live.server().t.db.selectFrom('comments').select('featured_at').where('id', '=', id).executeTakeFirstOrThrow();
    if (row.featured_at !== null || Date.now() > deadline) return row.featured_at;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface AuditEntryJson {
  action: string;
  target: { type: string; id: string; storyId?: string; excerpt?: string };
}

it('a moderator logs in, sees the held threat highlighted, rejects it with a reason, approves another, and the story shows only that one', async () => {
  const t = live.server().t;
  const storyId = await t.story({ title: 'Harbour bridge to close for repairs' });
  const author = await t.agent();
  const other = await t.agent();
  const threat = await t.comment(author, storyId, 'Close it and THREATWORD, I know where the engineers park.');
  const insult = await t.comment(other, storyId, 'What INSULTWORD planned repairs for the summer?');
  assert.equal(threat.status, 'pending');
  assert.equal(insult.status, 'pending');
  const moderator = await t.agent('moderator', 'mod_lena');

  const context = await live.browser().newContext();
  const page = await context.newPage();
  const problems = watchErrors(page);
  await page.goto(`${live.server().baseUrl}/admin`);
  await page.waitForURL(/\/login\?next=/);
  await page.getByLabel('Username').fill(moderator.username);
  await page.getByLabel('Password').fill(t.passwords.get(moderator.username)!);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${live.server().baseUrl}/admin`);

  const held = card(page, threat.id);
  await held.waitFor();
  // A moderator works the queues; the audit log is for admins.
  const nav = page.getByRole('navigation', { name: 'Console' });
  assert.deepEqual(await nav.getByRole('link').allInnerTexts().then((names) => names.map((n) => n.replace(/\d+/g, '').trim())), ['Queues', 'Stories', 'People', 'Dashboard', 'Policy']);
  assert.match(await held.locator('.text').innerText(), /I know where the engineers park/);
  const marks = held.locator('.text mark');
  assert.equal(await marks.count(), 1);
  assert.equal(await marks.first().textContent(), 'THREATWORD');
  assert.equal(await marks.first().getAttribute('data-label'), 'threat');
  assert.match(await held.locator('.details').innerText(), /threat/);
  assert.match(await held.innerText(), /Harbour bridge to close for repairs/);

  await held.getByRole('button', { name: 'Reject…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reject this comment' });
  await dialog.getByLabel('Reason (shown to the author)').fill('Threats have no place here.');
  await dialog.getByRole('button', { name: 'Reject', exact: true }).click();
  await held.waitFor({ state: 'detached' });
  const rejected = await statusOf(threat.id, 'rejected');
  assert.equal(rejected.status, 'rejected');
  assert.equal(rejected.moderation_reason, 'Threats have no place here.');

  const approvable = card(page, insult.id);
  await approvable.getByRole('button', { name: 'Approve', exact: true }).click();
  await approvable.waitFor({ state: 'detached' });
  assert.equal((await statusOf(insult.id, 'published')).status, 'published');

  // A reader who is not signed in sees exactly the approved comment on the story page.
  const reader = await live.browser().newPage();
  await reader.goto(`${live.server().baseUrl}/stories/${storyId}`);
  const shown = await reader.locator('article.comment').evaluateAll((els) => els.map((e) => e.id));
  assert.deepEqual(shown, [`c-${insult.id}`]);
  await reader.close();

  assert.deepEqual(problems, [], 'no console errors and no Content-Security-Policy violations');
  await context.close();
});

it('updates the pending count without a reload when a doubtful comment is posted from another session', async () => {
  const t = live.server().t;
  const storyId = await t.story({ title: 'Night buses return' });
  const author = await t.agent();
  await t.comment(author, storyId, 'Took them long enough, INSULTWORD planners.');
  const moderator = await t.agent('moderator');
  const context = await signedIn(moderator);
  const page = await context.newPage();
  const problems = watchErrors(page);
  await page.goto(`${live.server().baseUrl}/admin`);
  await page.evaluate(() => {
    (window as unknown as { __notReloaded: boolean }).__notReloaded = true;
  });

  await page.locator('article.card').first().waitFor();
  const badge = page.getByTestId('nav-pending');
  await badge.waitFor();
  const counts = await t.request('GET', '/api/moderation/counts', { as: moderator });
  const before = (counts.json() as { pending: number }).pending;
  await page.waitForFunction((n) => document.querySelector('[data-testid="nav-pending"]')?.textContent === String(n), before);

  const late = await t.comment(author, storyId, 'Still INSULTWORD that the last bus leaves at midnight.');
  assert.equal(late.status, 'pending');
  await page.waitForFunction((n) => document.querySelector('[data-testid="nav-pending"]')?.textContent === String(n), before + 1);
  assert.equal(await page.getByTestId('count-pending').textContent(), String(before + 1));

  // The console offers the new comment and shows it without reloading the page.
  await page.getByRole('button', { name: /^Show it/ }).click();
  await card(page, late.id).waitFor();
  assert.equal(await page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded), true);
  assert.deepEqual(problems, []);
  await context.close();
});

it('works from the keyboard: j and k move, a approves, r asks for a reason and Enter rejects', async () => {
  const t = live.server().t;
  const storyId = await t.story({ title: 'Library opening hours cut' });
  const author = await t.agent();
  const first = await t.comment(author, storyId, 'INSULTWORD decision, the oldest of three.');
  const second = await t.comment(author, storyId, 'INSULTWORD again, the middle one.');
  const third = await t.comment(author, storyId, 'INSULTWORD once more, the newest.');
  const moderator = await t.agent('moderator');
  const context = await signedIn(moderator);
  const page = await context.newPage();
  const problems = watchErrors(page);
  await page.goto(`${live.server().baseUrl}/admin?storyId=${storyId}`);

  const current = page.locator('article[aria-current="true"]');
  const currentId = () => current.getAttribute('data-comment-id');
  await card(page, first.id).waitFor();
  assert.equal(await currentId(), third.id, 'the newest comment is current first');

  await page.keyboard.press('j');
  assert.equal(await currentId(), second.id);
  await page.keyboard.press('j');
  assert.equal(await currentId(), first.id);
  await page.keyboard.press('k');
  assert.equal(await currentId(), second.id);

  await page.keyboard.press('a');
  assert.equal((await statusOf(second.id, 'published')).status, 'published');
  await card(page, second.id).waitFor({ state: 'detached' });
  assert.equal(await currentId(), first.id, 'the next comment becomes current');

  await page.keyboard.press('r');
  const dialog = page.getByRole('dialog', { name: 'Reject this comment' });
  await dialog.waitFor();
  // Shortcuts are off while typing: the "a" and "j" in the reason approve or move nothing.
  await page.keyboard.type('Off topic, and a jab at staff');
  await page.keyboard.press('Enter');
  const rejected = await statusOf(first.id, 'rejected');
  assert.equal(rejected.status, 'rejected');
  assert.equal(rejected.moderation_reason, 'Off topic, and a jab at staff');
  assert.equal((await statusOf(third.id, 'pending')).status, 'pending', 'the other comment is untouched');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await currentId(), third.id);

  // f features the current comment; a held one is approved first.
  await page.keyboard.press('f');
  assert.equal((await statusOf(third.id, 'published')).status, 'published');
  const deadline = Date.now() + 10_000;
  let featured: number | null = null;
  while (featured === null && Date.now() < deadline) {
    featured = (await live.server().t.db.selectFrom('comments').select('featured_at').where('id', '=', third.id).executeTakeFirstOrThrow()).featured_at;
    if (featured === null) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.notEqual(featured, null, 'the comment is featured');

  await page.keyboard.press('?');
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

it('tells a commenter the console is for moderators and admins', async () => {
  const reader = await live.server().t.agent();
  const context = await signedIn(reader);
  const page = await context.newPage();
  await page.goto(`${live.server().baseUrl}/admin`);
  assert.match(await page.locator('body').innerText(), /for moderators and admins/i);
  assert.equal(await page.locator('.console').count(), 0);
  await context.close();
});

it('selects several comments for a bulk rejection, and bans an author with b', async () => {
  const t = live.server().t;
  const storyId = await t.story({ title: 'Market square to go car-free' });
  const author = await t.agent();
  const troll = await t.agent();
  const a = await t.comment(author, storyId, 'INSULTWORD idea, first.');
  const b = await t.comment(author, storyId, 'INSULTWORD idea, second.');
  const c = await t.comment(troll, storyId, 'THREATWORD to the traders, third.');
  const moderator = await t.agent('moderator');
  const context = await signedIn(moderator);
  const page = await context.newPage();
  const problems = watchErrors(page);
  await page.goto(`${live.server().baseUrl}/admin?storyId=${storyId}`);
  await card(page, a.id).waitFor();

  // Newest first: c, b, a. Select b and a with x, then reject both with one reason.
  await page.keyboard.press('j');
  await page.keyboard.press('x');
  await page.keyboard.press('j');
  await page.keyboard.press('x');
  const bulk = page.getByRole('region', { name: 'Bulk actions' });
  assert.match(await bulk.innerText(), /2 selected/);
  await bulk.getByRole('button', { name: 'Reject selected…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reject 2 comments' });
  await dialog.getByRole('button', { name: 'Off topic' }).click();
  await dialog.getByRole('button', { name: 'Reject', exact: true }).click();
  for (const id of [a.id, b.id]) {
    const row = await statusOf(id, 'rejected');
    assert.equal(row.status, 'rejected');
    assert.equal(row.moderation_reason, 'Off topic');
  }
  assert.equal((await statusOf(c.id, 'pending')).status, 'pending');

  // c is the only one left and current: b bans its author, and rejects it with the same reason.
  await card(page, a.id).waitFor({ state: 'detached' });
  assert.equal(await page.locator('article[aria-current="true"]').getAttribute('data-comment-id'), c.id);
  await page.keyboard.press('b');
  const ban = page.getByRole('dialog', { name: `Ban ${troll.username}` });
  await ban.getByLabel('Reason (shown to the user)').fill('Threats against traders');
  await ban.getByRole('button', { name: 'Ban', exact: true }).click();
  const deadline = Date.now() + 10_000;
  let user;
  do {
    user = await t.db.selectFrom('users').select(['banned_at', 'sanction_reason']).where('id', '=', troll.userId).executeTakeFirstOrThrow();
  } while (user.banned_at === null && Date.now() < deadline && (await new Promise((r) => setTimeout(r, 50)), true));
  assert.notEqual(user.banned_at, null);
  assert.equal(user.sanction_reason, 'Threats against traders');
  assert.equal((await statusOf(c.id, 'rejected')).moderation_reason, 'Threats against traders');
  const posted = await t.request('POST', `/api/stories/${storyId}/comments`, { as: troll, body: { body: 'Let me back in' } });
  assert.equal(posted.statusCode, 403);
  assert.deepEqual(problems, []);
  await context.close();
});

it('pages a long queue with cursors: more comments load as the moderator moves down, without a reload', async () => {
  const t = live.server().t;
  const storyId = await t.story({ title: 'Referendum on the stadium' });
  const author = await t.agent();
  for (let i = 0; i < 120; i++) await t.comment(author, storyId, `INSULTWORD number ${i}`);
  const moderator = await t.agent('moderator');
  // The order the API gives, page by page, is the order the console must show.
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await t.request('GET', `/api/moderation/queue?storyId=${storyId}&sort=oldest&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { as: moderator });
    const body = res.json() as { items: Array<{ comment: { id: string } }>; nextCursor: string | null };
    ids.push(...body.items.map((i) => i.comment.id));
    cursor = body.nextCursor;
  } while (cursor);
  assert.equal(ids.length, 120);
  const context = await signedIn(moderator);
  const page = await context.newPage();
  await page.goto(`${live.server().baseUrl}/admin?storyId=${storyId}&sort=oldest`);
  await card(page, ids[0]!).waitFor();
  await page.evaluate(() => {
    (window as unknown as { __notReloaded: boolean }).__notReloaded = true;
  });
  const cards = page.locator('article.card');
  assert.equal(await cards.count(), 50, 'the first page holds 50 comments');
  // Moving down with j fetches the next page when five comments are left.
  const press = async (n: number) => {
    for (let i = 0; i < n; i++) await page.keyboard.press('j');
  };
  await press(45);
  await card(page, ids[99]!).waitFor({ state: 'attached' });
  await press(50);
  await card(page, ids[119]!).waitFor({ state: 'attached' });
  await press(5);
  assert.equal(await cards.count(), 120);
  assert.equal(await page.locator('article[aria-current="true"]').getAttribute('data-comment-id'), ids[100]);
  assert.equal(await page.locator('.end').count(), 1, 'the end of the queue is shown');
  assert.equal(await page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded), true);
  await context.close();
});

it('an admin edits the site policy, finds the change in the audit log, and sees the dashboard charts', async () => {
  const t = live.server().t;
  const storyId = await t.story({ title: 'Stadium vote' });
  const author = await t.agent();
  await t.comment(author, storyId, 'THREATWORD for the stadium board.');
  await t.comment(author, storyId, 'A calm word about parking.');
  const admin = await t.agent('admin');
  const context = await signedIn(admin);
  const page = await context.newPage();
  const problems = watchErrors(page);
  await page.goto(`${live.server().baseUrl}/admin/policy`);
  await page.getByRole('heading', { name: 'Site policy' }).waitFor();
  await page.getByLabel('Custom thresholds for threat').check();
  await page.getByLabel('threat hold threshold').fill('0.9');
  await page.getByLabel('threat reject threshold').fill('0.4');
  await page.getByRole('button', { name: 'Save policy' }).click();
  assert.match(await page.getByRole('alert').innerText(), /hold threshold must not be above the reject threshold/);
  await page.getByLabel('threat hold threshold').fill('0.4');
  await page.getByLabel('threat reject threshold').fill('0.9');
  await page.getByLabel('Suspect words (hold), one a line').fill('stadium tax\nsheeple');
  await page.getByRole('button', { name: 'Save policy' }).click();
  await page.getByRole('button', { name: 'Save policy' }).and(page.locator(':disabled')).waitFor();
  const policy = (await t.request('GET', `/api/sites/${t.siteId}/policy`, { as: admin })).json() as {
    thresholds: Record<string, unknown>;
    suspectWords: string[];
  };
  assert.deepEqual(policy.thresholds.threat, { hold: 0.4, reject: 0.9 });
  assert.deepEqual(policy.suspectWords, ['stadium tax', 'sheeple']);

  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit log' }).click();
  const first = page.locator('table.audit tbody tr').first();
  await first.waitFor();
  assert.match(await first.innerText(), /changed the site policy/);
  assert.match(await first.innerText(), new RegExp(admin.username));

  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Dashboard' }).click();
  await page.locator('canvas').nth(2).waitFor();
  assert.equal(await page.locator('canvas').count(), 3);
  const stats = (await t.request('GET', '/api/moderation/stats?days=30', { as: admin })).json() as { holdRate: number };
  assert.equal(await page.getByTestId('hold-rate').textContent(), `${(stats.holdRate * 100).toFixed(1)}%`);
  assert.deepEqual(problems, [], 'no console errors and no Content-Security-Policy violations');
  await context.close();
});

it('approves and features a held comment in one action, and the audit log shows its excerpt with a link to it', async () => {
  const t = live.server().t;
  const storyId = await t.story({ title: 'Ferry timetable rewritten' });
  const author = await t.agent();
  const text =
    'THREATWORD aside, this is the most useful comment here: the 07:10 sailing now leaves from the north pier, which nobody has been told about, and the old signs still point south.';
  assert.ok(text.length > 140);
  const held = await t.comment(author, storyId, text);
  assert.equal(held.status, 'pending');
  const admin = await t.agent('admin');
  const context = await signedIn(admin);
  const page = await context.newPage();
  const problems = watchErrors(page);
  await page.goto(`${live.server().baseUrl}/admin?storyId=${storyId}`);
  const item = card(page, held.id);
  await item.getByRole('button', { name: 'Approve & feature' }).click();
  assert.equal((await statusOf(held.id, 'published')).status, 'published');
  assert.notEqual(await featuredAt(held.id), null, 'the comment is featured');

  // One action on the server: exactly one audit entry about this comment, and it says both.
  const log = (await t.request('GET', '/api/moderation/audit?limit=200', { as: admin })).json() as { entries: AuditEntryJson[] };
  const about = log.entries.filter((e) => e.target.id === held.id);
  assert.deepEqual(
    about.map((e) => e.action),
    ['comment.approve_and_feature'],
  );
  const entry = about[0]!;
  assert.equal(entry.target.storyId, storyId);

  // The audit log shows the excerpt and links to the comment on its story page.
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit log' }).click();
  const row = page.locator('table.audit tbody tr', { has: page.locator(`a[href="/comments/${held.id}"]`) });
  await row.waitFor();
  assert.equal(await row.count(), 1);
  assert.match(await row.innerText(), /approved and featured a comment/);
  assert.equal(await row.locator('.excerpt').textContent(), entry.target.excerpt);
  assert.ok(text.startsWith(entry.target.excerpt!.replace(/…$/, '')));
  const href = await row.getByRole('link').getAttribute('href');
  assert.equal(href, `/comments/${held.id}`);

  // The link leads to the comment, published and featured, on its story page, scrolled to and highlighted.
  const reader = await live.browser().newPage();
  await reader.goto(new URL(href!, live.server().baseUrl).toString());
  assert.match(reader.url(), new RegExp(`/stories/${storyId}\\?.*#c-${held.id}$`));
  const shown = reader.locator(`#c-${held.id}:target`);
  await shown.waitFor();
  assert.match(await shown.innerText(), /north pier/);
  await reader.close();
  assert.deepEqual(problems, [], 'no console errors and no Content-Security-Policy violations');
  await context.close();
});

it("shows the shipped thresholds that apply to each label without its own, and clears an override back to them", async () => {
  const t = live.server().t;
  const admin = await t.agent('admin');
  // identity hate has its own numbers; the other labels are left to the model (whatever earlier tests saved for threat).
  const before = (await t.request('GET', `/api/sites/${t.siteId}/policy`, { as: admin })).json() as typeof DEFAULT_POLICY;
  const put = await t.request('PUT', `/api/sites/${t.siteId}/policy`, {
    as: admin,
    body: { ...before, thresholds: { ...before.thresholds, identity_hate: { hold: 0.3, reject: 0.6 } } },
  });
  assert.equal(put.statusCode, 200);
  const policy = put.json() as typeof DEFAULT_POLICY;
  const classifier = (await t.request('GET', '/api/moderation/classifier', { as: admin })).json() as {
    thresholds: Record<Label, { hold: number; reject: number }>;
  };
  assert.deepEqual(classifier.thresholds.toxic, { hold: 0.42, reject: 0.85 });

  const context = await signedIn(admin);
  const page = await context.newPage();
  const problems = watchErrors(page);
  await page.goto(`${live.server().baseUrl}/admin/policy`);
  await page.getByRole('heading', { name: 'Site policy' }).waitFor();
  for (const l of LABELS) {
    const shipped = classifier.thresholds[l];
    const cell = page.getByTestId(`shipped-${l}`);
    assert.equal(await cell.textContent(), `shipped: hold ${shipped.hold} / reject ${shipped.reject}`, l);
    const name = l.replace(/_/g, ' ');
    const custom = Boolean(policy.thresholds[l]);
    assert.equal(await page.getByLabel(`Custom thresholds for ${name}`, { exact: true }).isChecked(), custom, l);
    // The numbers that apply are in force (emphasised) unless the site overrides them.
    assert.equal(await cell.getAttribute('class'), custom ? 'muted' : 'in-force', l);
    if (!custom) assert.equal(await page.getByLabel(`${name} hold threshold`, { exact: true }).getAttribute('placeholder'), String(shipped.hold));
  }
  // A new override starts from the shipped numbers.
  await page.getByLabel('Custom thresholds for toxic', { exact: true }).check();
  assert.equal(await page.getByLabel('toxic hold threshold', { exact: true }).inputValue(), '0.42');
  assert.equal(await page.getByLabel('toxic reject threshold', { exact: true }).inputValue(), '0.85');
  await page.getByLabel('Custom thresholds for toxic', { exact: true }).uncheck();
  // "Use shipped" clears identity hate's override; saving leaves the label to the model.
  await page.getByRole('button', { name: 'Use the shipped thresholds for identity hate' }).click();
  assert.equal(await page.getByTestId('shipped-identity_hate').getAttribute('class'), 'in-force');
  await page.getByRole('button', { name: 'Save policy' }).click();
  await page.getByRole('button', { name: 'Save policy' }).and(page.locator(':disabled')).waitFor();
  const after = (await t.request('GET', `/api/sites/${t.siteId}/policy`, { as: admin })).json() as typeof DEFAULT_POLICY;
  assert.equal(after.thresholds.identity_hate, undefined);
  assert.equal(after.thresholds.toxic, undefined);
  assert.deepEqual(after.thresholds.threat, before.thresholds.threat, 'the other labels are as they were');
  assert.deepEqual(problems, [], 'no console errors and no Content-Security-Policy violations');
  await context.close();
});

it('offers a site picker when the admin acts on several sites, and edits the chosen site', async () => {
  const t = live.server().t;
  const other = await insertSite(t.db, 'Evening Courier', JSON.stringify({ ...DEFAULT_POLICY, reportThreshold: 7 }));
  const admin = await t.agent('admin');
  const sites = (await t.request('GET', '/api/sites', { as: admin })).json() as { sites: Array<{ id: string; name: string }> };
  assert.ok(sites.sites.length > 1);
  const context = await signedIn(admin);
  const page = await context.newPage();
  const problems = watchErrors(page);
  await page.goto(`${live.server().baseUrl}/admin/policy`);
  const picker = page.getByLabel('Site', { exact: true });
  await picker.waitFor();
  assert.deepEqual(await picker.locator('option').allTextContents(), sites.sites.map((s) => s.name));
  assert.equal(await picker.inputValue(), sites.sites[0]!.id, 'the first site (the default one) comes first');
  await picker.selectOption(other.id);
  await page.waitForURL(/\/admin\/policy\?site=/);
  const reports = page.getByLabel('Reader reports that put a comment in the reported queue');
  await page.locator(`form.policy[data-site-id="${other.id}"]`).waitFor();
  assert.equal(await reports.inputValue(), '7');
  await reports.fill('5');
  assert.equal(await picker.isDisabled(), true, 'no switching away from unsaved changes');
  await page.getByRole('button', { name: 'Save policy' }).click();
  await page.getByRole('button', { name: 'Save policy' }).and(page.locator(':disabled')).waitFor();
  const saved = (await t.request('GET', `/api/sites/${other.id}/policy`, { as: admin })).json() as { reportThreshold: number };
  assert.equal(saved.reportThreshold, 5);
  const first = (await t.request('GET', `/api/sites/${t.siteId}/policy`, { as: admin })).json() as { reportThreshold: number };
  assert.notEqual(first.reportThreshold, 5, 'the other site is untouched');
  assert.deepEqual(problems, []);
  await context.close();
});

it('a moderator confirms one label and corrects another on a held comment; both are stored as the site\'s labelled data', async () => {
  const t = live.server().t;
  const storyId = await t.story({ title: 'Labels from the newsroom' });
  const author = await t.agent();
  const held = await t.comment(author, storyId, 'You INSULTWORD, read the plan first.');
  assert.equal(held.status, 'pending');
  const moderator = await t.agent('moderator');
  const context = await signedIn(moderator);
  const page = await context.newPage();
  const problems = watchErrors(page);
  await page.goto(`${live.server().baseUrl}/admin?storyId=${storyId}`);
  const item = card(page, held.id);
  await item.waitFor();
  await item.getByRole('group', { name: 'Is this insult?' }).getByRole('button', { name: 'yes' }).click();
  await item.getByRole('group', { name: 'Is this threat?' }).getByRole('button', { name: 'no' }).click();
  await item.locator('.verdict button[aria-pressed="true"]').nth(1).waitFor();
  const decided = async () =>
    Object.fromEntries(
      (await t.db.selectFrom('label_decisions').select(['label', 'value']).where('comment_id', '=', held.id).execute()).map((r) => [r.label, Number(r.value)]),
    );
  const deadline = Date.now() + 10_000;
  let stored = await decided();
  while (Object.keys(stored).length < 2 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    stored = await decided();
  }
  assert.deepEqual(stored, { insult: 1, threat: 0 });
  // The queue shows the decisions after a reload.
  await page.reload();
  await card(page, held.id).waitFor();
  assert.equal(await card(page, held.id).getByRole('group', { name: 'Is this insult?' }).getByRole('button', { name: 'yes' }).getAttribute('aria-pressed'), 'true');
  assert.deepEqual(problems, []);
  await context.close();
});

it('the policy screen shows the site model panel: figures beside the shipped model, and no switch without a site model', async () => {
  const t = live.server().t;
  const admin = await t.agent('admin');
  const context = await signedIn(admin);
  const page = await context.newPage();
  const problems = watchErrors(page);
  await page.goto(`${live.server().baseUrl}/admin/policy`);
  const panel = page.getByRole('region', { name: 'Site model' });
  await panel.waitFor();
  await panel.getByRole('table').waitFor();
  assert.match(await panel.innerText(), /scored by the shipped model/);
  assert.match(await panel.innerText(), /no model of its own yet/);
  assert.equal(await panel.getByRole('button', { name: "Use this site's model" }).count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});
