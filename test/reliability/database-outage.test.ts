// A slow, then vanished PostgreSQL, behind a TCP proxy in the test: a slow database is still served and only
// readiness fails past its bound; a vanished one gets 503 database_unavailable with Retry-After on every route and
// readiness fails, while the process lives; when the database comes back, the same process serves again, and live
// updates resume, without a restart.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { openStorage, type Storage } from '../../src/storage/db.js';
import { buildApp } from '../../src/server/app.js';
import { createContext, type App } from '../../src/server/context.js';
import { insertSite } from '../../src/storage/sites.js';
import { insertStory } from '../../src/storage/stories.js';
import { insertUser } from '../../src/storage/users.js';
import { createApiToken } from '../../src/storage/sessions.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';
import { testConfig } from '../helpers/app.js';
import { createEmptyPostgresDatabase } from '../helpers/databases.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { SseClient } from '../helpers/sse.js';

let database: { url: string; drop(): Promise<void> };
let direct: Storage;
let proxied: Storage;
let proxy: TcpProxy;
let app: App;
let storyId: string;
let bearer: Record<string, string>;

before(async () => {
  database = await createEmptyPostgresDatabase();
  direct = await openStorage({ location: database.url });
  const site = await insertSite(direct.db, 'Outage site', JSON.stringify(DEFAULT_POLICY));
  storyId = (await insertStory(direct.db, { site_id: site.id, url: 'https://news.example.com/outage', title: 'Outage', published_at: Date.now() })).id;
  const writer = await insertUser(direct.db, { username: 'outage_writer', email: null, passwordHash: 'not-a-hash', role: 'commenter' });
  bearer = { authorization: `Bearer ${await createApiToken(direct.db, writer.id, 'outage')}` };
  const target = new URL(database.url);
  proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
  const throughProxy = new URL(database.url);
  throughProxy.port = String(proxy.port);
  proxied = await openStorage({ location: throughProxy.toString(), poolSize: 4, connectTimeoutMs: 1000 });
  app = await buildApp(createContext(proxied, testConfig(), null), { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
});

after(async () => {
  await app?.close();
  await proxied?.close().catch(() => undefined);
  await proxy?.close();
  await direct?.close();
  await database?.drop();
});

const readThread = () => app.inject({ method: 'GET', url: `/api/stories/${storyId}/comments` });
const post = (body: string) => app.inject({ method: 'POST', url: `/api/stories/${storyId}/comments`, headers: bearer, payload: { body } });

function assertUnavailable(response: Awaited<ReturnType<typeof readThread>>, what: string): void {
  assert.equal(response.statusCode, 503, `${what}: ${response.body}`);
  assert.equal(response.headers['retry-after'], '5', what);
  assert.equal(response.json().error.code, 'database_unavailable', what);
  assert.equal(typeof response.json().error.message, 'string', what);
}

it('serves through a slow database, answers 503 with Retry-After while it is gone, and recovers without a restart', async () => {
  const port = (app.server.address() as AddressInfo).port;
  const reader = await SseClient.open(`http://127.0.0.1:${port}/api/events?stories=${storyId}`);
  try {
    assert.equal((await post('Before anything went wrong')).statusCode, 201);
    await reader.waitFor(1);

    // Slow: 150 ms on every chunk each way. Slower answers, but answers.
    proxy.latencyMs = 150;
    assert.equal((await readThread()).statusCode, 200);
    assert.equal((await post('Written to a slow database')).statusCode, 201);
    assert.equal((await app.inject('/readyz')).statusCode, 200, 'a slow database within the bound is still ready');

    // Slower than readiness allows: the process says it is not ready, within its bound.
    proxy.latencyMs = 2500;
    const slowReady = await app.inject('/readyz');
    assert.equal(slowReady.statusCode, 503);
    assert.equal(slowReady.json().database, false);
    assert.equal(slowReady.headers['retry-after'], '5');

    // Gone: every connection cut, new ones refused.
    await proxy.cut();
    assertUnavailable(await readThread(), 'reading a thread');
    assertUnavailable(await post('Written while the database is gone'), 'posting');
    assertUnavailable(await app.inject({ method: 'GET', url: '/api/me', headers: bearer }), 'a bearer lookup');
    const page = await app.inject({ method: 'GET', url: `/stories/${storyId}` });
    assert.equal(page.statusCode, 503, 'a page gets 503 too');
    assert.equal(page.headers['retry-after'], '5');
    const ready = await app.inject('/readyz');
    assert.equal(ready.statusCode, 503);
    assert.equal(ready.json().database, false);
    assert.equal((await app.inject('/livez')).statusCode, 200, 'the process itself lives: no restart is needed');

    // Back: the same process serves again, and the reader who stayed connected gets what is written now.
    await proxy.restore();
    let recovered = false;
    for (let i = 0; i < 50 && !recovered; i++) {
      recovered = (await app.inject('/readyz')).statusCode === 200;
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.ok(recovered, '/readyz turns 200 again');
    assert.equal((await readThread()).statusCode, 200);
    const afterwards = await post('Written after the database came back');
    assert.equal(afterwards.statusCode, 201);
    const events = await reader.waitFor(3, 15_000);
    assert.equal(events.at(-1)!.commentId, afterwards.json().comment.id, 'live updates resume after the LISTEN connection comes back');
    assert.deepEqual(
      events.map((e) => e.type),
      ['comment.created', 'comment.created', 'comment.created'],
      'nothing written while the database was gone is announced',
    );
  } finally {
    reader.close();
  }
});
