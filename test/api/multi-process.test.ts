// Many stateless server processes share one PostgreSQL database: they migrate it at the same time on
// first start, and what one writes the others serve at once.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { openStorage } from '../../src/storage/db.js';
import { buildApp } from '../../src/server/app.js';
import { createContext } from '../../src/server/context.js';
import { firstStart } from '../../src/core/demo.js';
import { testConfig } from '../helpers/app.js';
import { createEmptyPostgresDatabase } from '../helpers/databases.js';
import { SseClient } from '../helpers/sse.js';
import type { AddressInfo } from 'node:net';
import type { App } from '../../src/server/context.js';
import { insertSite } from '../../src/storage/sites.js';
import { insertStory } from '../../src/storage/stories.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';

it('lets several servers start together on one empty PostgreSQL database and share its data', async () => {
  const database = await createEmptyPostgresDatabase();
  const storages = await Promise.all([1, 2, 3].map(() => openStorage({ location: database.url, poolSize: 4 })));
  try {
    const contexts = storages.map((storage) => createContext(storage, testConfig(), null));
    // Each would set up the demo on an empty database; exactly one may.
    const results = await Promise.allSettled(contexts.map((c) => firstStart(c.storage, c.comments)));
    const created = results.filter((r) => r.status === 'fulfilled' && r.value !== null);
    assert.equal(created.length, 1, JSON.stringify(results.map((r) => r.status === 'rejected' ? String(r.reason) : 'ok')));
    for (const r of results) if (r.status === 'rejected') assert.match(String(r.reason), /already taken/);
    const admins = await storages[0]!.db.selectFrom('users').select('id').where('role', '=', 'admin').execute();
    assert.equal(admins.length, 1);
    const sites = await storages[0]!.db.selectFrom('sites').select('id').execute();
    assert.equal(sites.length, 1, 'one site, not one for each process');

    const [a, b] = await Promise.all(contexts.slice(0, 2).map((c) => buildApp(c, { logger: false })));
    try {
      const password = 'shared database password';
      const signup = await a!.inject({ method: 'POST', url: '/api/auth/signup', payload: { username: 'roaming', email: 'roaming@example.com', password } });
      assert.equal(signup.statusCode, 201);
      const cookie = signup.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const csrf = signup.json().csrfToken;
      // The session made by one process works on the other.
      const me = await b!.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
      assert.equal(me.json().user.username, 'roaming');
      const story = (await storages[1]!.db.selectFrom('stories').select('id').executeTakeFirstOrThrow()).id;
      const posted = await b!.inject({
        method: 'POST',
        url: `/api/stories/${story}/comments`,
        headers: { cookie, 'x-csrf-token': csrf },
        payload: { body: 'Posted through the second process' },
      });
      assert.equal(posted.statusCode, 201);
      const thread = (await a!.inject({ method: 'GET', url: `/api/stories/${story}/comments?sort=newest&limit=1` })).json();
      assert.equal(thread.comments[0].id, posted.json().id);
    } finally {
      await Promise.all([a!.close(), b!.close()]);
    }
  } finally {
    await Promise.all(storages.map((s) => s.close()));
    await database.drop();
  }
});

it('carries a thread event raised in one server to a reader of another, through PostgreSQL LISTEN/NOTIFY', async () => {
  const database = await createEmptyPostgresDatabase();
  const storages = await Promise.all([1, 2].map(() => openStorage({ location: database.url, poolSize: 4 })));
  const apps = await Promise.all(storages.map((storage) => buildApp(createContext(storage, testConfig(), null), { logger: false })));
  const readers: SseClient[] = [];
  try {
    const [a, b] = apps as [App, App];
    await b.listen({ port: 0, host: '127.0.0.1' });
    const { port } = b.server.address() as AddressInfo;
    const site = await insertSite(storages[0]!.db, 'Shared site', JSON.stringify(DEFAULT_POLICY));
    const story = await insertStory(storages[0]!.db, {
      site_id: site.id,
      url: 'https://news.example.com/shared',
      title: 'Shared',
      published_at: Date.now(),
    });
    const signup = await a.inject({ method: 'POST', url: '/api/auth/signup', payload: { username: 'writer', email: 'writer@example.com', password: 'a long enough password' } });
    const cookie = signup.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const csrf = signup.json().csrfToken as string;

    const reader = await SseClient.open(`http://127.0.0.1:${port}/api/events?stories=${story.id}`);
    readers.push(reader);
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const posted = await a.inject({
        method: 'POST',
        url: `/api/stories/${story.id}/comments`,
        headers: { cookie, 'x-csrf-token': csrf },
        payload: { body: `Written through the first process, ${n}` },
      });
      assert.equal(posted.statusCode, 201);
      ids.push(posted.json().id);
    }
    const events = await reader.waitFor(3);
    assert.deepEqual(events.map((e) => [e.type, e.commentId]), ids.map((id) => ['comment.created', id]));

    // A reader of the second process resuming after the first event gets the other two, once.
    const resumed = await SseClient.open(`http://127.0.0.1:${port}/api/events?stories=${story.id}`, { 'last-event-id': String(events[0]!.id) });
    readers.push(resumed);
    assert.deepEqual((await resumed.waitFor(2)).map((e) => e.commentId), ids.slice(1));
  } finally {
    for (const reader of readers) reader.close();
    await Promise.all(apps.map((app) => app.close()));
    await Promise.all(storages.map((s) => s.close()));
    await database.drop();
  }
});
