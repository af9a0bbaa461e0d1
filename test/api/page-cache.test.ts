// The anonymous thread pages kept in memory (src/server/page-cache.ts): what a cached page shows changes after every
// kind of thread event, in this process and in another one on the same PostgreSQL database; held comments never
// reach a shared page; 304 while a page is unchanged; compressed answers decode to the same page; and with the
// cache off everything works the same.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { onEachDatabase } from '../helpers/suite.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { openStorage } from '../../src/storage/db.js';
import { buildApp } from '../../src/server/app.js';
import { createContext, type App, type AppContext } from '../../src/server/context.js';

/** How often the cache has answered from memory so far in this app. */
async function hits(context: AppContext): Promise<number> {
  const { values } = await context.metrics.pageCache.get();
  return values.find((v) => v.labels.result === 'hit')?.value ?? 0;
}

/**
 * The page as the cache serves it: asks until an answer came from memory (the cache follows thread events from
 * its first page view on, and serves nothing from memory while this process's own change is on its way).
 */
async function cachedPage(app: App, context: AppContext, url: string): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const before = await hits(context);
    const res = await app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 200, res.body);
    if ((await hits(context)) > before) return res.body;
    if (Date.now() > deadline) throw new Error(`${url} was never served from the cache`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const apiPage = (storyId: string) => `/api/stories/${storyId}/comments`;

onEachDatabase('page cache', (t: () => TestApp) => {
  it('changes a page served from the cache after a new, edited, voted, deleted and moderated comment', async () => {
    const { app, context } = t();
    const story = await t().story();
    const author = await t().agent();
    const voter = await t().agent();
    const moderator = await t().agent('moderator');
    const cached = async () => JSON.parse(await cachedPage(app, context, apiPage(story))) as { comments: Array<{ id: string; bodyHtml: string; score: number; replies: unknown[] }> };
    const html = () => cachedPage(app, context, `/stories/${story}`);

    assert.deepEqual((await cached()).comments, []);
    assert.match(await html(), /No comments yet/);
    const first = await t().comment(author, story, 'The first words on the cached page');
    assert.deepEqual((await cached()).comments.map((c) => c.id), [first.id]);
    assert.match(await html(), /The first words on the cached page/);

    const second = await t().comment(author, story, 'A second comment that will be deleted');
    assert.deepEqual((await cached()).comments.map((c) => c.id), [first.id, second.id]);

    const edited = await t().request('PATCH', `/api/comments/${first.id}`, { as: author, body: { body: 'Edited words on the cached page' } });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.match((await cached()).comments[0]!.bodyHtml, /Edited words/);
    assert.match(await html(), /Edited words on the cached page/);

    const vote = await t().request('POST', `/api/comments/${first.id}/vote`, { as: voter, body: { value: 1 } });
    assert.equal(vote.statusCode, 200, vote.body);
    assert.equal((await cached()).comments[0]!.score, 1);

    const removed = await t().request('DELETE', `/api/comments/${second.id}`, { as: author });
    assert.equal(removed.statusCode, 204);
    assert.deepEqual((await cached()).comments.map((c) => c.id), [first.id]);

    const rejected = await t().request('POST', `/api/moderation/comments/${first.id}/reject`, { as: moderator, body: { reason: 'Off topic' } });
    assert.equal(rejected.statusCode, 200, rejected.body);
    assert.deepEqual((await cached()).comments, []);
    assert.doesNotMatch(await html(), /Edited words/);
  });

  it("changes a cached story page as soon as staff close the story's comments", async () => {
    const { app, context } = t();
    const story = await t().story();
    const author = await t().agent();
    const admin = await t().agent('admin');
    await t().comment(author, story, 'Written while the story was open');
    assert.doesNotMatch(await cachedPage(app, context, `/stories/${story}`), /Closed for the night/);
    const closed = await t().request('PATCH', `/api/stories/${story}`, { as: admin, body: { state: 'closed', closedMessage: 'Closed for the night' } });
    assert.equal(closed.statusCode, 200, closed.body);
    // Served from memory again, and already the closed story's page.
    assert.match(await cachedPage(app, context, `/stories/${story}`), /Closed for the night/);
  });

  it('never shows a held comment in a shared page, and shows it to its author on their own page', async () => {
    const { app, context } = t();
    const story = await t().story();
    const author = await t().agent();
    const moderator = await t().agent('moderator');
    const published = await t().comment(author, story, 'Published for everyone');
    const held = await t().comment(moderator, story, 'Published for everyone, too');
    // A moderator's rejection makes a comment one that only its author may see from now on.
    const reject = await t().request('POST', `/api/moderation/comments/${held.id}/reject`, { as: moderator, body: { reason: 'Held back' } });
    assert.equal(reject.statusCode, 200, reject.body);
    const own = await t().comment(author, story, 'Mine, about to be held');
    await t().request('POST', `/api/moderation/comments/${own.id}/reject`, { as: moderator, body: { reason: 'Held back' } });

    for (const url of [apiPage(story), `/stories/${story}`]) {
      const shared = await cachedPage(app, context, url);
      assert.match(shared, new RegExp(published.id));
      assert.doesNotMatch(shared, new RegExp(`${held.id}|${own.id}`));
      const mine = await t().request('GET', url, { as: author });
      assert.equal(mine.headers['cache-control'], 'private, no-store');
      assert.match(mine.body, new RegExp(own.id), 'the author still sees their own rejected comment');
      assert.doesNotMatch(mine.body, new RegExp(held.id));
      // And the shared page is still the one without it.
      assert.doesNotMatch(await cachedPage(app, context, url), new RegExp(own.id));
    }
  });

  it("gives a signed-in reader the shared page with their own votes and sources laid over it, and leaves the shared page alone", async () => {
    const { app, context } = t();
    const story = await t().story();
    const author = await t().agent();
    const voter = await t().agent();
    const posted = await t().comment(author, story, 'Worth a vote');
    assert.equal((await t().request('POST', `/api/comments/${posted.id}/vote`, { as: voter, body: { value: 1 } })).statusCode, 200);
    await cachedPage(app, context, apiPage(story));
    await cachedPage(app, context, `/stories/${story}`);

    const before = await hits(context);
    const votersPage = await t().request('GET', apiPage(story), { as: voter });
    assert.equal(votersPage.headers['cache-control'], 'private, no-store');
    assert.equal(votersPage.json().comments[0].myVote, 1);
    assert.equal(votersPage.json().comments[0].source, undefined);
    const authorsPage = await t().request('GET', apiPage(story), { as: author });
    assert.equal(authorsPage.json().comments[0].source, 'Worth a vote');
    assert.equal(authorsPage.json().comments[0].myVote, 0);
    const votersHtml = await t().request('GET', `/stories/${story}`, { as: voter });
    assert.match(votersHtml.body, /class="vote voted" aria-pressed="true" aria-label="Vote up"/);
    assert.match(votersHtml.body, new RegExp(`name="_csrf" value="${voter.csrfToken}"`));
    assert.ok((await hits(context)) >= before + 3, 'the signed-in pages were drawn from the shared ones');

    const shared = JSON.parse(await cachedPage(app, context, apiPage(story)));
    assert.equal(shared.comments[0].myVote, 0);
    assert.equal(shared.comments[0].source, undefined);
    const sharedHtml = await cachedPage(app, context, `/stories/${story}`);
    assert.doesNotMatch(sharedHtml, /aria-pressed="true"|name="_csrf" value="[^"]/);
  });

  it("keeps a signed-in reader's token and notices out of the shared page their request built", async () => {
    const { app, context } = t();
    const story = await t().story();
    const reader = await t().agent();
    await t().comment(reader, story, 'Posted, then looked at with a notice');
    // The cache follows the events and has read the comment's (a page of the API was served from it)...
    await cachedPage(app, context, apiPage(story));
    // ...and the reader's own view, with a notice, is the first to ask for the story page: it builds the shared one.
    const own = await t().request('GET', `/stories/${story}?posted=published`, { as: reader });
    assert.match(own.body, /Your comment is published/);
    assert.ok(own.body.includes(reader.csrfToken));
    const shared = await cachedPage(app, context, `/stories/${story}`);
    assert.ok(!shared.includes(reader.csrfToken), "the reader's CSRF token leaked into the shared page");
    assert.doesNotMatch(shared, /Your comment is published|Signed in as/);
  });

  it('answers 304 while a page is unchanged and 200 with the new page after a change', async () => {
    const story = await t().story();
    const author = await t().agent();
    await t().comment(author, story, 'Before the change');
    for (const url of [apiPage(story), `/stories/${story}`]) {
      const first = await t().request('GET', url);
      const etag = first.headers.etag as string;
      assert.ok(etag, 'an ETag');
      // Browsers revalidate every time; the CDN's lasting part is in CDN-Cache-Control, which browsers ignore.
      assert.equal(first.headers['cache-control'], 'public, max-age=0, must-revalidate');
      assert.match(String(first.headers['cdn-cache-control']), /public.*max-age=\d+.*stale-while-revalidate=\d+/);
      const again = await t().request('GET', url, { headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
      assert.equal(again.headers.etag, etag);
    }
    await t().comment(author, story, 'After the change');
    for (const url of [apiPage(story), `/stories/${story}`]) {
      const etagBefore = (await t().request('GET', url)).headers.etag as string;
      await t().comment(author, story, `Another change for ${url}`);
      const changed = await t().request('GET', url, { headers: { 'if-none-match': etagBefore } });
      assert.equal(changed.statusCode, 200);
      assert.match(changed.body, /Another change for/);
      assert.notEqual(changed.headers.etag, etagBefore);
    }
  });

  it('sends gzip and brotli that decode to the same page', async () => {
    const story = await t().story();
    const author = await t().agent();
    for (let i = 0; i < 8; i++) await t().comment(author, story, `Comment number ${i}, long enough for the page to be worth compressing.`);
    for (const url of [apiPage(story), `/stories/${story}`]) {
      const plain = await t().request('GET', url);
      assert.equal(plain.headers['content-encoding'], undefined);
      const br = await t().request('GET', url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      assert.equal(br.headers['content-encoding'], 'br');
      assert.equal(brotliDecompressSync(br.rawPayload).toString(), plain.body);
      const gzip = await t().request('GET', url, { headers: { 'accept-encoding': 'gzip' } });
      assert.equal(gzip.headers['content-encoding'], 'gzip');
      assert.equal(gunzipSync(gzip.rawPayload).toString(), plain.body);
      assert.match(String(gzip.headers.vary), /Accept-Encoding/i);
    }
  });

  it('answers each Accept-Encoding with its own choice, asked in turn', async () => {
    const story = await t().story();
    const author = await t().agent();
    for (let i = 0; i < 8; i++) await t().comment(author, story, `Comment number ${i}, long enough for the page to be worth compressing.`);
    const asks: [string, string | undefined][] = [
      ['br', 'br'],
      ['br;q=0, gzip', 'gzip'],
      ['identity', undefined],
      ['*', 'gzip'],
      ['gzip;q=0, br;q=0', undefined],
      ['br', 'br'],
    ];
    for (const [acceptEncoding, expected] of [...asks, ...asks]) {
      const answer = await t().request('GET', apiPage(story), { headers: { 'accept-encoding': acceptEncoding } });
      assert.equal(answer.headers['content-encoding'], expected, `Accept-Encoding: ${acceptEncoding}`);
    }
  });

  it('counts hits and misses in /metrics', async () => {
    const story = await t().story();
    await cachedPage(t().app, t().context, apiPage(story));
    const metrics = await t().request('GET', '/metrics');
    assert.match(metrics.body, /parley_page_cache_requests_total\{result="hit"\} [1-9]/);
    assert.match(metrics.body, /parley_page_cache_requests_total\{result="miss"\} [1-9]/);
    assert.match(metrics.body, /parley_page_cache_entries [1-9]/);
  });
});

onEachDatabase(
  'page cache turned off',
  (t: () => TestApp) => {
    it('serves every page fresh, with ETags, 304 and compression still working', async () => {
      const story = await t().story();
      const author = await t().agent();
      for (const url of [apiPage(story), `/stories/${story}`]) {
        const first = await t().request('GET', url);
        assert.equal((await t().request('GET', url, { headers: { 'if-none-match': first.headers.etag as string } })).statusCode, 304);
        // Long enough to be compressed whatever the format.
        await t().comment(author, story, `Fresh at once on ${url}. ${'Every page is built for its reader. '.repeat(40)}`);
        const fresh = await t().request('GET', url, { headers: { 'accept-encoding': 'br' } });
        assert.equal(fresh.headers['content-encoding'], 'br');
        assert.match(brotliDecompressSync(fresh.rawPayload).toString(), new RegExp(`Fresh at once on ${url}`));
      }
      assert.equal(await hits(t().context), 0);
    });
  },
  { config: (c) => ({ ...c, pageCache: { ...c.pageCache, entries: 0 } }) },
);

/** Requests a minute from one address in the rate-limit test: enough for its setup and a few pages, then refused. */
const READS_PER_MINUTE = 60;

onEachDatabase(
  'page cache answering before the route',
  (t: () => TestApp) => {
    it("sends a page from memory with the route's headers and body, and counts it against the rate limit", async () => {
      const { app, context } = t();
      const story = await t().story();
      const author = await t().agent();
      await t().comment(author, story, 'Read often, counted every time');
      const varying = ({ date: _date, 'x-request-id': _id, 'x-ratelimit-remaining': _left, ...rest }: Record<string, unknown>) => rest;
      for (const url of [apiPage(story), `/stories/${story}`]) {
        for (const encoding of [undefined, 'gzip, deflate, br']) {
          const headers = encoding ? { 'accept-encoding': encoding } : {};
          // The route's own answer, then (once the cache serves the page) answers sent before the route.
          const fromRoute = await app.inject({ url, headers });
          await cachedPage(app, context, url);
          const before = await hits(context);
          const early = await app.inject({ url, headers });
          assert.equal(await hits(context), before + 1, 'answered from memory');
          assert.deepEqual(varying(early.headers), varying(fromRoute.headers));
          assert.deepEqual(early.rawPayload, fromRoute.rawPayload);
          assert.ok(Number(early.headers['x-ratelimit-remaining']) < Number(fromRoute.headers['x-ratelimit-remaining']));
          const again = await app.inject({ url, headers: { 'if-none-match': String(early.headers.etag) } });
          assert.equal(again.statusCode, 304);
        }
      }
      // Reads answered from memory still use up the address's requests: the limit refuses them in the end.
      const statuses: number[] = [];
      for (let i = 0; i < READS_PER_MINUTE && statuses.at(-1) !== 429; i++) statuses.push((await app.inject({ url: apiPage(story) })).statusCode);
      assert.equal(statuses.at(-1), 429);
    });
  },
  { config: (c) => ({ ...c, rateLimits: { ...c.rateLimits, perMinute: READS_PER_MINUTE } }) },
);

/** Waits until `page()` (a page served by the second process's cache) satisfies `shows`; fails after 5 s. */
async function until(page: () => Promise<string>, shows: (body: string) => boolean, failure: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!shows(await page())) {
    assert.ok(Date.now() < deadline, failure);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Two app instances on one database (`second` with its own connection, bus and cache): a comment posted through
 * the first reaches the second's cached page, which only the event over the bus can drop. Returns the story.
 */
async function postedThroughFirst(first: TestApp, second: App, context: AppContext): Promise<string> {
  const story = await first.story();
  const author = await first.agent();
  await first.comment(author, story, 'Seen by both processes');
  assert.match(await cachedPage(second, context, apiPage(story)), /Seen by both processes/);
  const posted = await first.comment(author, story, 'Posted through the first process');
  await until(() => cachedPage(second, context, apiPage(story)), (body) => body.includes(posted.id), 'the second process kept serving the page from before the comment');
  return story;
}

it('drops a cached page in another process when a comment is posted or the story closed through the first (PostgreSQL, two app instances)', async () => {
  const first = await startTestApp('postgres');
  // A second server on the same database: its own pool, its own LISTEN connection, its own cache.
  const storage = await openStorage({ location: first.database.location, poolSize: 4 });
  const context = createContext(storage, { ...testConfig(), database: first.database.location }, null);
  const second = await buildApp(context, { logger: false });
  try {
    const story = await postedThroughFirst(first, second, context);
    // Closing the story is a thread event too: the second process's cached story page goes well within the
    // cache's age bound (10 s).
    assert.doesNotMatch(await cachedPage(second, context, `/stories/${story}`), /Closed for the night/);
    const admin = await first.agent('admin');
    const closed = await first.request('PATCH', `/api/stories/${story}`, { as: admin, body: { state: 'closed', closedMessage: 'Closed for the night' } });
    assert.equal(closed.statusCode, 200, closed.body);
    await until(() => cachedPage(second, context, `/stories/${story}`), (body) => /Closed for the night/.test(body), 'the second process kept serving the open story page');
  } finally {
    await second.close();
    await storage.close();
    await first.close();
  }
});

it('drops a cached page in another process when a comment is posted through the first (SQLite, two app instances over Redis)', async () => {
  const redisUrl = process.env.PARLEY_TEST_REDIS ?? 'redis://127.0.0.1:6379';
  // Both instances of one install share the Redis prefix; a fresh one keeps this test apart from every other.
  const redisPrefix = `parley-test-${process.pid}-${Date.now()}:`;
  const withRedis = (c: ReturnType<typeof testConfig>) => ({ ...c, redisUrl, redisPrefix, rateLimits: { ...c.rateLimits, namespace: `${redisPrefix}rate-` } });
  const first = await startTestApp('sqlite', { config: withRedis });
  const storage = await openStorage({ location: first.database.location });
  const context = createContext(storage, withRedis({ ...testConfig(), database: first.database.location }), null);
  const second = await buildApp(context, { logger: false });
  try {
    // SQLite has no NOTIFY: the event goes over Redis.
    await postedThroughFirst(first, second, context);
  } finally {
    await second.close();
    await storage.close();
    await first.close();
  }
});
