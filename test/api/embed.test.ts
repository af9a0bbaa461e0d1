// The embed's settings and its story creation by canonical URL: allowed and refused origins, normalization.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { onEachDatabase } from '../helpers/suite.js';

const HOST = 'https://news.example.com';
const STAGING = 'https://staging.example.com';

onEachDatabase('embed: allowed origins and stories by canonical URL', (t) => {
  const ask = (query: Record<string, string>, origin?: string) =>
    t().app.inject({ method: 'GET', url: `/api/embed/story?${new URLSearchParams(query)}`, headers: origin ? { origin } : {} });

  it('lets a site admin set allowed origins (normalized), staff read them, and refuses others', async () => {
    const admin = await t().agent('admin');
    const moderator = await t().agent('moderator');
    const reader = await t().agent();
    const set = await t().request('PUT', `/api/sites/${t().siteId}/origins`, { as: admin, body: { origins: ['HTTPS://News.Example.com/', STAGING, 'https://news.example.com:443'] } });
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual(set.json(), { origins: [HOST, STAGING] });
    const read = await t().request('GET', `/api/sites/${t().siteId}/origins`, { as: moderator });
    assert.deepEqual(read.json(), { origins: [HOST, STAGING] });
    assert.equal((await t().request('PUT', `/api/sites/${t().siteId}/origins`, { as: moderator, body: { origins: [] } })).statusCode, 403);
    assert.equal((await t().request('GET', `/api/sites/${t().siteId}/origins`, { as: reader })).statusCode, 403);
    const bad = await t().request('PUT', `/api/sites/${t().siteId}/origins`, { as: admin, body: { origins: ['https://news.example.com/a-page'] } });
    assert.equal(bad.statusCode, 400);
    assert.equal((bad.json() as { error: { code: string } }).error.code, 'invalid_origin');
    assert.deepEqual((await t().request('GET', `/api/sites/${t().siteId}/origins`, { as: admin })).json(), { origins: [HOST, STAGING] });
  });

  it('creates the story at the first view from an allowed origin, and finds it again by any spelling of its URL', async () => {
    const first = await ask({ siteId: t().siteId, url: `${HOST}/2026/harbour?utm_source=x&b=2&a=1#top`, title: 'Harbour works' }, HOST);
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.headers['access-control-allow-origin'], HOST);
    const { story, framePath } = first.json() as { story: { id: string; url: string; title: string; siteId: string }; framePath: string };
    assert.equal(story.url, `${HOST}/2026/harbour?a=1&b=2`);
    assert.equal(story.title, 'Harbour works');
    assert.equal(story.siteId, t().siteId);
    assert.equal(framePath, `/embed/stories/${story.id}`);
    // Another spelling from the staging host (also allowed): the same thread, title unchanged.
    const again = await ask({ siteId: t().siteId, url: 'HTTPS://NEWS.example.com:443/2026/harbour/?a=1&fbclid=zz&b=2', title: 'Other title' }, STAGING);
    assert.equal(again.statusCode, 200, again.body);
    assert.equal((again.json() as { story: { id: string; title: string } }).story.id, story.id);
    assert.equal((again.json() as { story: { title: string } }).story.title, 'Harbour works');
    // Staff publishing the same article through the API meet the same identity.
    const moderator = await t().agent('moderator');
    const published = await t().request('POST', '/api/stories', { as: moderator, body: { url: `${HOST}/2026/harbour?b=2&a=1&utm_medium=mail`, title: 'x' } });
    assert.equal(published.statusCode, 409);
    const count = await t().db.selectFrom('stories').select((eb) => eb.fn.countAll<number>().as('n')).where('url', 'like', '%/2026/harbour%').executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
  });

  it('creates nothing for a page on a refused origin, a canonical URL elsewhere, or no title, and says why', async () => {
    const before = await t().db.selectFrom('stories').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const cases: [Record<string, string>, string | undefined, number, string][] = [
      [{ siteId: t().siteId, url: `${HOST}/refused-page`, title: 'x' }, 'https://evil.example.net', 403, 'origin_not_allowed'],
      [{ siteId: t().siteId, url: `${HOST}/no-origin`, title: 'x' }, undefined, 403, 'origin_not_allowed'],
      [{ siteId: t().siteId, url: 'https://elsewhere.example.org/story', title: 'x' }, HOST, 403, 'story_url_not_allowed'],
      [{ siteId: t().siteId, url: `${HOST}/untitled` }, HOST, 400, 'title_missing'],
      [{ siteId: t().siteId, url: 'javascript:alert(1)', title: 'x' }, HOST, 400, 'invalid_url'],
      [{ siteId: 'nosuchsite', url: `${HOST}/a`, title: 'x' }, HOST, 404, 'site_not_found'],
    ];
    for (const [query, origin, status, code] of cases) {
      const res = await ask(query, origin);
      assert.equal(res.statusCode, status, `${JSON.stringify(query)} from ${origin}: ${res.body}`);
      const error = (res.json() as { error: { code: string; message: string } }).error;
      assert.equal(error.code, code);
      // The loader prints the message in the host page's console: it must be able to read it.
      if (origin) assert.equal(res.headers['access-control-allow-origin'], origin);
    }
    const refused = await ask({ siteId: t().siteId, url: `${HOST}/refused-page`, title: 'x' }, 'https://evil.example.net');
    assert.match((refused.json() as { error: { message: string } }).error.message, /parley site allow-origin --site/);
    const after = await t().db.selectFrom('stories').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n));
  });

  it('treats http and https of an allowed https host as one article', async () => {
    const a = await ask({ siteId: t().siteId, url: `${HOST}/scheme-test`, title: 'Scheme' }, HOST);
    const b = await ask({ siteId: t().siteId, url: 'http://news.example.com/scheme-test', title: 'Scheme' }, HOST);
    assert.equal(b.statusCode, 200, b.body);
    assert.equal((a.json() as { story: { id: string } }).story.id, (b.json() as { story: { id: string } }).story.id);
  });

  it("serves the frame only to the site's allowed origins: frame-ancestors lists exactly them", async () => {
    const admin = await t().agent('admin');
    await t().request('PUT', `/api/sites/${t().siteId}/origins`, { as: admin, body: { origins: [HOST, STAGING] } });
    const made = await ask({ siteId: t().siteId, url: `${HOST}/frame-test`, title: 'Frame test' }, HOST);
    const { framePath } = made.json() as { framePath: string };
    const frame = await t().app.inject({ url: `${framePath}?origin=${encodeURIComponent(HOST)}&accent=%23c00&font=Georgia&scheme=dark`, headers: { referer: `${HOST}/frame-test`, 'sec-fetch-dest': 'iframe' } });
    assert.equal(frame.statusCode, 200, frame.body);
    const csp = String(frame.headers['content-security-policy']);
    assert.match(csp, new RegExp(`frame-ancestors ${HOST} ${STAGING}(;|$)`));
    assert.equal(frame.headers['x-frame-options'], undefined);
    assert.match(frame.body, /<section class="discussion" id="comments"/);
    assert.match(frame.body, /data-parent-origin="https:\/\/news\.example\.com"/);
    assert.match(frame.body, /data-accent="#c00"/);
    assert.match(frame.body, /class="embed scheme-dark"/);
    assert.doesNotMatch(frame.body, /<header class="site">/, 'no site chrome in the frame');
    // A hostile theme value is dropped, not echoed.
    const hostile = await t().app.inject({ url: `${framePath}?origin=${encodeURIComponent(HOST)}&accent=${encodeURIComponent('red;}</style><script>')}` });
    assert.match(hostile.body, /data-accent=""/);
    // Refused: a parent origin off the list, a Referer from elsewhere; opened on its own: the story page.
    assert.equal((await t().app.inject({ url: `${framePath}?origin=${encodeURIComponent('https://evil.example.net')}` })).statusCode, 403);
    assert.equal((await t().app.inject({ url: `${framePath}?origin=${encodeURIComponent(HOST)}`, headers: { referer: 'https://evil.example.net/x' } })).statusCode, 403);
    const alone = await t().app.inject({ url: `${framePath}?origin=${encodeURIComponent(HOST)}`, headers: { 'sec-fetch-dest': 'document' } });
    assert.equal(alone.statusCode, 303);
    // The story page itself still may be framed only by Parley.
    const storyPage = await t().app.inject({ url: framePath.replace('/embed', '') });
    assert.match(String(storyPage.headers['content-security-policy']), /frame-ancestors 'self'/);
  });

  it('hands the pop-up a short-lived bearer token that works in the frame and dies at log-out', async () => {
    const reader = await t().agent();
    const login = await t().app.inject({ url: '/login?next=/embed/signed-in' });
    assert.equal(login.headers['cross-origin-opener-policy'], 'unsafe-none', 'the pop-up keeps its opener');
    assert.equal((await t().app.inject({ url: '/login' })).headers['cross-origin-opener-policy'], 'same-origin');
    assert.equal((await t().app.inject({ url: '/embed/signed-in' })).statusCode, 303, 'signed out: to the log-in form');
    const page = await t().request('GET', '/embed/signed-in', { as: reader });
    assert.equal(page.statusCode, 200);
    const token = /<meta name="parley-token" content="([^"]+)">/.exec(page.body)?.[1];
    assert.ok(token);
    const row = await t().db.selectFrom('api_tokens').select('expires_at').where('user_id', '=', reader.userId).executeTakeFirstOrThrow();
    assert.ok(row.expires_at && Number(row.expires_at) > Date.now() && Number(row.expires_at) <= Date.now() + 24 * 3_600_000);
    const me = await t().app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } });
    assert.equal((me.json() as { user: { username: string } }).user.username, reader.username);
    const out = await t().app.inject({ method: 'POST', url: '/api/auth/logout', headers: { authorization: `Bearer ${token}` } });
    assert.equal(out.statusCode, 204);
    assert.equal((await t().app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 401);
    // The loader is served to other origins' pages.
    const loader = await t().app.inject({ url: '/embed.js' });
    assert.equal(loader.statusCode, 200, 'npm test builds the embed first');
    assert.equal(loader.headers['cross-origin-resource-policy'], 'cross-origin');
  });
});
