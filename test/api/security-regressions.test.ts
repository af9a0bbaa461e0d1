// One test for each defect found by probing Parley from outside (authorization, PostgreSQL-only 500s, a
// stream that never answered, errors outside the documented shape), on SQLite and PostgreSQL.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { onEachDatabase } from '../helpers/suite.js';
import type { TestApp } from '../helpers/app.js';
import { insertSite } from '../../src/storage/sites.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';

const cursor = (text: string) => Buffer.from(text).toString('base64url');

/** Sends bytes as they are and returns what came back before the server closed, or before `ms`. */
function rawRequest(port: number, bytes: string, ms = 3000): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(out);
    };
    const timer = setTimeout(done, ms);
    socket.on('data', (chunk) => {
      out += chunk.toString('latin1');
      // A HEAD answer has headers only: stop at their end.
      if (bytes.startsWith('HEAD') && out.includes('\r\n\r\n')) done();
    });
    socket.on('close', done);
    socket.on('error', done);
  });
}

function parseRaw(text: string): { status: number; contentType: string; body: string } {
  const [head = '', ...rest] = text.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  const contentType = /\r\ncontent-type: ([^\r\n]+)/i.exec(head)?.[1] ?? '';
  return { status, contentType, body: rest.join('\r\n\r\n') };
}

async function listen(t: TestApp): Promise<number> {
  if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
  return (t.app.server.address() as net.AddressInfo).port;
}

async function otherSite(t: TestApp, name: string) {
  return insertSite(t.db, name, JSON.stringify(DEFAULT_POLICY));
}

onEachDatabase('security regressions', (t) => {
  it('staff of one site cannot create stories on another; with no site named, stories land on their own', async () => {
    const siteB = await otherSite(t(), 'Site B for stories');
    const moderatorB = await t().agent('moderator');
    await t().db.updateTable('users').set({ site_id: siteB.id }).where('id', '=', moderatorB.userId).execute();
    const count = async () => Number((await t().db.selectFrom('stories').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const elsewhere = await t().request('POST', '/api/stories', { as: moderatorB, body: { url: 'https://a.example.com/x', title: 'X', siteId: t().siteId } });
    assert.equal(elsewhere.statusCode, 403, elsewhere.body);
    assert.equal(await count(), before);
    const own = await t().request('POST', '/api/stories', { as: moderatorB, body: { url: 'https://b.example.com/x', title: 'X' } });
    assert.equal(own.statusCode, 201, own.body);
    assert.equal(own.json().siteId, siteB.id);
  });

  it('an admin of one site cannot demote or move an admin of every site', async () => {
    const siteB = await otherSite(t(), 'Site B for roles');
    const adminB = await t().agent('admin');
    await t().db.updateTable('users').set({ site_id: siteB.id }).where('id', '=', adminB.userId).execute();
    const everySite = await t().agent('admin');
    for (const body of [{ role: 'commenter' }, { role: 'admin', siteId: siteB.id }, { role: 'moderator', siteId: siteB.id }]) {
      const res = await t().request('PUT', `/api/users/${everySite.userId}/role`, { as: adminB, body });
      assert.equal(res.statusCode, 403, `${JSON.stringify(body)}: ${res.body}`);
    }
    const audit = await t().request('GET', '/api/moderation/audit', { as: everySite });
    assert.equal(audit.statusCode, 200, 'the admin of every site is still one');
    const row = await t().db.selectFrom('users').select(['role', 'site_id']).where('id', '=', everySite.userId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { role: 'admin', site_id: null });
  });

  it('bans and suspensions hold on every site, so staff of one site cannot set them', async () => {
    const siteB = await otherSite(t(), 'Site B for bans');
    const moderatorB = await t().agent('moderator');
    await t().db.updateTable('users').set({ site_id: siteB.id }).where('id', '=', moderatorB.userId).execute();
    const reader = await t().agent();
    const ban = await t().request('POST', `/api/moderation/users/${reader.userId}/ban`, { as: moderatorB, body: { reason: 'Abuse' } });
    assert.equal(ban.statusCode, 403, ban.body);
    assert.match(ban.json().error.message, /every site/);
    const row = await t().db.selectFrom('users').select(['banned_at']).where('id', '=', reader.userId).executeTakeFirstOrThrow();
    assert.equal(row.banned_at, null);
  });

  it('refuses a NUL character in any JSON string, query or form field with a clear 400, and stores nothing', async () => {
    const moderator = await t().agent('moderator');
    const reader = await t().agent();
    const storyId = await t().story();
    const cases: Array<[string, string, unknown]> = [
      ['POST', '/api/auth/login', { username: 'a\u0000b', password: 'x' }],
      ['POST', '/api/auth/signup', { username: 'nul_user', email: 'n\u0000@example.com', password: 'long-enough-password' }],
      ['POST', '/api/stories', { url: 'https://news.example.com/nul', title: '\u0000' }],
      ['POST', `/api/stories/${storyId}/comments`, { body: 'hello\u0000world' }],
      ['POST', '/api/moderation/check', { text: 'a\u0000' }],
    ];
    for (const [method, url, body] of cases) {
      const as = url === '/api/stories' || url === '/api/moderation/check' ? moderator : url.includes('/comments') ? reader : undefined;
      const res = await t().request(method as 'POST', url, { as: as ?? null, body });
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.equal(res.json().error.code, 'invalid_character', url);
    }
    const query = await t().request('GET', `/api/stories/${storyId}/comments?sort=oldest&cursor=%00`);
    assert.equal(query.statusCode, 400, query.body);
    const comments = await t().request('GET', `/api/stories/${storyId}/comments`);
    assert.equal(comments.json().comments.length, 0);
    assert.equal(await t().db.selectFrom('users').select('id').where('username', '=', 'nul_user').executeTakeFirst(), undefined);
    // The plain HTML form answers with a page that says why.
    const form = await t().app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'username=a%00b&password=x',
    });
    assert.equal(form.statusCode, 400);
    assert.match(form.headers['content-type'] as string, /text\/html/);
    assert.match(form.body, /NUL character/);
  });

  it('accepts a cursor only on the listing and order that gave it out, with a key that fits', async () => {
    const author = await t().agent();
    const voter = await t().agent();
    const admin = await t().agent('admin');
    const storyId = await t().story();
    for (let i = 0; i < 3; i++) {
      const { id } = await t().comment(author, storyId, `Comment ${i}`);
      await t().request('POST', `/api/comments/${id}/vote`, { as: voter, body: { value: 1 } });
    }
    const first = await t().request('GET', `/api/stories/${storyId}/comments?sort=oldest&limit=1`);
    const oldestCursor = first.json().nextCursor as string;
    const next = await t().request('GET', `/api/stories/${storyId}/comments?sort=oldest&limit=1&cursor=${oldestCursor}`);
    assert.equal(next.statusCode, 200, 'a cursor works where it came from');
    const scoreCursor = (await t().request('GET', '/api/moderation/queue?queue=all&sort=score&limit=1', { as: admin })).json().nextCursor as string;
    assert.ok(scoreCursor);
    const refused: Array<[string, string]> = [
      ['time cursor with sort=top', `/api/stories/${storyId}/comments?sort=top&cursor=${oldestCursor}`],
      ['the queue score order on a thread', `/api/stories/${storyId}/comments?sort=oldest&cursor=${scoreCursor}`],
      ['a fractional key', `/api/stories/${storyId}/comments?sort=oldest&cursor=${cursor('thread.oldest:1.5:abc')}`],
      ['a key of 1e308', `/api/stories/${storyId}/comments?sort=newest&cursor=${cursor('thread.newest:1e308:abc')}`],
      ['a vote key out of range', `/api/stories/${storyId}/comments?sort=top&cursor=${cursor('thread.top:99999999999:abc')}`],
      ['an untagged cursor', `/api/stories/${storyId}/comments?sort=oldest&cursor=${cursor('1.5:abc')}`],
      ['a thread cursor on the audit log', `/api/moderation/audit?cursor=${oldestCursor}`],
      ['a fractional key on the audit log', `/api/moderation/audit?cursor=${cursor('audit:0.5:abc')}`],
      ['a thread cursor on the queue', `/api/moderation/queue?sort=newest&cursor=${oldestCursor}`],
    ];
    for (const [what, url] of refused) {
      const res = await t().request('GET', url, { as: admin });
      assert.equal(res.statusCode, 400, `${what}: ${res.body}`);
      assert.equal(res.json().error.code, 'invalid_cursor', what);
    }
  });

  it('answers HEAD on the live event stream at once and keeps nothing open', async () => {
    const moderator = await t().agent('moderator');
    const port = await listen(t());
    const started = Date.now();
    const answer = parseRaw(await rawRequest(port, `HEAD /api/moderation/events HTTP/1.1\r\nHost: x\r\nCookie: ${moderator.cookie}\r\n\r\n`));
    assert.equal(answer.status, 200);
    assert.match(answer.contentType, /text\/event-stream/);
    assert.ok(Date.now() - started < 2500, 'answered before the wait ran out');
  });

  it('answers malformed requests, caught before any route, in the documented error shape', async () => {
    const port = await listen(t());
    const cases: Array<[string, string, number]> = [
      ['a broken percent-encoding', 'GET /api/stories/%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400],
      ['an over-long path parameter', `GET /api/stories/${'a'.repeat(5000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 414],
      ['oversized headers', `GET /api/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`, 431],
      ['a duplicate Content-Length', 'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', 400],
      ['Transfer-Encoding with Content-Length', 'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}', 400],
      ['not HTTP at all', 'HELLO\r\n\r\n', 400],
      ['an absolute-form target', 'GET http://x/api/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 401],
      ['an absolute-form target with no route', 'GET http://x/api/nothing-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 404],
    ];
    for (const [what, bytes, status] of cases) {
      const answer = parseRaw(await rawRequest(port, bytes));
      assert.equal(answer.status, status, `${what}: ${answer.body}`);
      assert.match(answer.contentType, /application\/json/, what);
      const error = (JSON.parse(answer.body) as { error: { code: unknown; message: unknown } }).error;
      assert.equal(typeof error.code, 'string', what);
      assert.equal(typeof error.message, 'string', what);
      assert.ok(answer.body.length < 400, `${what}: the message does not echo the request`);
    }
  });

  it("a reply under a rejected reply stays hidden on its branch page, with no link to the rejected comment", async () => {
    const author = await t().agent();
    const moderator = await t().agent('moderator');
    const storyId = await t().story();
    const root = await t().comment(author, storyId, 'The top-level comment');
    const rejected = await t().comment(author, storyId, 'A reply to be rejected', root.id);
    const under = await t().comment(author, storyId, 'An answer below the rejected reply', rejected.id);
    const res = await t().request('POST', `/api/moderation/comments/${rejected.id}/reject`, { as: moderator, body: { reason: 'Abuse' } });
    assert.equal(res.statusCode, 200);
    const reader = await t().agent();
    const thread = await t().request('GET', `/api/stories/${storyId}/comments`, { as: reader });
    assert.doesNotMatch(thread.body, new RegExp(under.id), 'hidden in the thread');
    const branch = await t().request('GET', `/stories/${storyId}/comments/${root.id}`, { as: reader });
    assert.equal(branch.statusCode, 200);
    assert.match(branch.body, /The top-level comment/);
    assert.doesNotMatch(branch.body, /An answer below the rejected reply/);
    assert.doesNotMatch(branch.body, new RegExp(rejected.id));
  });
});
