import { it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.js';
import type { ServerConfig } from '../../src/config.js';

async function withApp(dialect: 'sqlite' | 'postgres', config: (c: ServerConfig) => ServerConfig, run: (t: TestApp) => Promise<void>) {
  const t = await startTestApp(dialect, { config });
  try {
    await run(t);
  } finally {
    await t.close();
  }
}

it('answers too many log-in attempts with 429 in the error shape', async () => {
  await withApp('sqlite', (c) => ({ ...c, rateLimits: { ...c.rateLimits, authPerMinute: 3 } }), async (t) => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await t.request('POST', '/api/auth/login', { body: { username: 'nobody', password: 'whatever you like' } });
      statuses.push(last.statusCode);
    }
    assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
    assert.equal(last!.json().error.code, 'rate_limited');
    assert.match(last!.json().error.message, /try again in/);
  });
});

it('marks the session cookie Secure behind an https proxy it trusts', async () => {
  await withApp('sqlite', (c) => ({ ...c, trustProxy: true }), async (t) => {
    const res = await t.request('POST', '/api/auth/signup', {
      body: { username: 'behind_proxy', email: 'proxy@example.com', password: 'a long enough password' },
      headers: { 'x-forwarded-proto': 'https' },
    });
    assert.equal(res.statusCode, 201);
    assert.equal(res.cookies.find((c) => c.name === 'parley_session')?.secure, true);
  });
});

it('lays replies past the nesting limit flat, each still naming whom it answers', async () => {
  await withApp('sqlite', (c) => c, async (t) => {
    const storyId = await t.story();
    const a = await t.agent();
    const b = await t.agent();
    const ids: string[] = [];
    let parent: string | undefined;
    for (let depth = 0; depth < 9; depth++) {
      parent = (await t.comment(depth % 2 ? b : a, storyId, `Depth ${depth}`, parent)).id;
      ids.push(parent);
    }
    const page = (await t.request('GET', `/stories/${storyId}`)).body;
    const nestingOf = (id: string) => {
      const at = page.indexOf(`id="c-${id}"`);
      const before = page.slice(0, at);
      return (before.match(/<div\b/g) ?? []).length - (before.match(/<\/div>/g) ?? []).length;
    };
    assert.ok(nestingOf(ids[3]!) > nestingOf(ids[2]!));
    assert.equal(nestingOf(ids[8]!), nestingOf(ids[6]!), 'deep replies share one indent');
    for (let depth = 1; depth < 9; depth++) {
      const parentAuthor = (depth - 1) % 2 ? b.username : a.username;
      const header = new RegExp(`id="c-${ids[depth]}"[^>]*>\\s*<header>([^]*?)</header>`).exec(page)?.[1] ?? '';
      assert.match(header, new RegExp(`href="#c-${ids[depth - 1]}">in reply to ${parentAuthor}</a>`));
    }
  });
});

it('counts rate limits across server processes through Redis', async () => {
  const namespace = `parley-test-${process.pid}-${Date.now()}-`;
  const config = (c: ServerConfig): ServerConfig => ({
    ...c,
    redisUrl: process.env.PARLEY_TEST_REDIS ?? 'redis://127.0.0.1:6379',
    rateLimits: { ...c.rateLimits, authPerMinute: 3, namespace },
  });
  const [a, b] = await Promise.all([startTestApp('sqlite', { config }), startTestApp('sqlite', { config })]);
  try {
    const statuses: number[] = [];
    for (const t of [a, b, a, b, a]) {
      const res = await t.request('POST', '/api/auth/login', { body: { username: 'nobody', password: 'whatever you like' } });
      statuses.push(res.statusCode);
    }
    assert.deepEqual(statuses, [401, 401, 401, 429, 429], 'the limit holds across both servers');
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});
