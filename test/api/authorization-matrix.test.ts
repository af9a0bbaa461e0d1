// The authorization matrix: every route of the OpenAPI document, asked by every kind of caller (anonymous,
// the author, another reader, moderators and admins of site A, of site B and of every site), by cookie with
// and without its CSRF token and by bearer token, against the outcome written next to the route. After each
// refusal the whole database is read again to prove that nothing changed. A route added to the API without a
// row here fails the test.
import { before, after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { DIALECTS } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { answeredWithin } from '../helpers/time.js';
import { createApiToken, createSession } from '../../src/storage/sessions.js';
import { insertSite } from '../../src/storage/sites.js';
import { insertUser } from '../../src/storage/users.js';
import { insertStory } from '../../src/storage/stories.js';
import { updateComment } from '../../src/storage/comments.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';
import type { Database, Role, UserRow } from '../../src/storage/schema.js';

const ACTORS = ['anonymous', 'author', 'reader', 'modA', 'adminA', 'modB', 'adminB', 'moderator', 'admin'] as const;
type Actor = (typeof ACTORS)[number];
type Mode = 'cookie' | 'cookie without CSRF' | 'bearer';

/** What a caller gets: a status, and for a 2xx that changes nothing (a bulk action refused item by item), `unchanged`. */
type Outcome = number | { status: number; unchanged: true };
type Expected = Record<Actor, Outcome>;

/** Everything a request of the matrix may point at, made fresh for each request so that no request sees another's effects. */
interface Fixture {
  siteA: string;
  storyA: string;
  /** Published, by the author, on site A. */
  comment: string;
  /** Held for moderation, by the author, on site A. */
  held: string;
  /** A commenter nobody else acts for. */
  target: string;
  /** An admin of every site. */
  otherAdmin: string;
}

interface Row {
  /** The OpenAPI operation, `METHOD /path/{param}`; several rows may test one operation. */
  operation: string;
  variant?: string;
  request(f: Fixture, n: number): { method?: 'HEAD'; url: string; body?: unknown };
  expect: Expected;
  /** Checks an allowed request's effect beyond its status. */
  verify?(t: TestApp, actor: Actor, response: { json(): unknown }): Promise<void>;
}

const GLOBAL_STAFF = new Set<Actor>(['moderator', 'admin']);
const STAFF_OF_A = new Set<Actor>(['modA', 'adminA', 'moderator', 'admin']);
const ADMINS_OF_A = new Set<Actor>(['adminA', 'admin']);
const STAFF = new Set<Actor>(['modA', 'adminA', 'modB', 'adminB', 'moderator', 'admin']);
const ADMINS = new Set<Actor>(['adminA', 'adminB', 'admin']);

const outcomes = (decide: (actor: Actor) => Outcome): Expected => Object.fromEntries(ACTORS.map((a) => [a, decide(a)])) as Expected;
const everyone = (status: number) => outcomes(() => status);
const signedIn = (status: number) => outcomes((a) => (a === 'anonymous' ? 401 : status));
/** Only these callers; every other signed-in caller gets 403. */
const only = (allowed: Set<Actor>, status: number) => outcomes((a) => (a === 'anonymous' ? 401 : allowed.has(a) ? status : 403));

const body = (json: unknown) => json as Record<string, unknown>;

const ROWS: Row[] = [
  { operation: 'GET /healthz', request: () => ({ url: '/healthz' }), expect: everyone(200) },
  { operation: 'GET /livez', request: () => ({ url: '/livez' }), expect: everyone(200) },
  { operation: 'GET /readyz', request: () => ({ url: '/readyz' }), expect: everyone(200) },
  {
    operation: 'POST /api/auth/signup',
    request: (_f, n) => ({ url: '/api/auth/signup', body: { username: `new_${n}`, email: `new_${n}@example.com`, password: 'a-long-enough-password' } }),
    expect: everyone(201),
  },
  {
    operation: 'POST /api/auth/login',
    request: () => ({ url: '/api/auth/login', body: { username: 'loginuser', password: 'the-login-password' } }),
    expect: everyone(200),
  },
  { operation: 'POST /api/auth/logout', request: () => ({ url: '/api/auth/logout', body: {} }), expect: signedIn(204) },
  { operation: 'GET /api/me', request: () => ({ url: '/api/me' }), expect: signedIn(200) },
  {
    operation: 'POST /api/stories',
    variant: 'on site A',
    request: (f, n) => ({ url: '/api/stories', body: { url: `https://news.example.com/a/${n}`, title: 'A story', siteId: f.siteA } }),
    expect: only(STAFF_OF_A, 201),
    async verify(t, _actor, response) {
      const story = body(response.json());
      assert.equal((await t.db.selectFrom('stories').select('site_id').where('id', '=', String(story.id)).executeTakeFirstOrThrow()).site_id, story.siteId);
    },
  },
  {
    operation: 'POST /api/stories',
    variant: 'with no site named',
    request: (_f, n) => ({ url: '/api/stories', body: { url: `https://news.example.com/b/${n}`, title: 'A story' } }),
    expect: only(STAFF, 201),
    async verify(t, actor, response) {
      // Staff of one site publish on their own site; staff of every site on the default site.
      const siteId = body(response.json()).siteId;
      const expected = actor.endsWith('A') ? 'A' : actor.endsWith('B') ? 'B' : 'default';
      assert.equal(siteId, sites(t)[expected], `${actor} published on the wrong site`);
    },
  },
  { operation: 'GET /api/stories/{id}', request: (f) => ({ url: `/api/stories/${f.storyA}` }), expect: everyone(200) },
  { operation: 'GET /api/stories/{id}/comments', request: (f) => ({ url: `/api/stories/${f.storyA}/comments` }), expect: everyone(200) },
  {
    operation: 'POST /api/stories/{id}/comments',
    request: (f) => ({ url: `/api/stories/${f.storyA}/comments`, body: { body: 'A new comment' } }),
    expect: signedIn(201),
  },
  { operation: 'GET /api/comments/{id}', variant: 'published', request: (f) => ({ url: `/api/comments/${f.comment}` }), expect: everyone(200) },
  {
    operation: 'GET /api/comments/{id}',
    variant: 'held',
    request: (f) => ({ url: `/api/comments/${f.held}` }),
    // Held comments are their author's alone in the reader-facing API; staff read them in the queue.
    expect: outcomes((a) => (a === 'author' ? 200 : 404)),
  },
  {
    operation: 'PATCH /api/comments/{id}',
    request: (f) => ({ url: `/api/comments/${f.comment}`, body: { body: 'Edited text' } }),
    expect: outcomes((a) => (a === 'anonymous' ? 401 : a === 'author' ? 200 : 403)),
  },
  {
    operation: 'DELETE /api/comments/{id}',
    request: (f) => ({ url: `/api/comments/${f.comment}` }),
    expect: outcomes((a) => (a === 'anonymous' ? 401 : a === 'author' ? 204 : 403)),
  },
  { operation: 'GET /api/comments/{id}/replies', request: (f) => ({ url: `/api/comments/${f.comment}/replies` }), expect: everyone(200) },
  {
    operation: 'POST /api/comments/{id}/vote',
    request: (f) => ({ url: `/api/comments/${f.comment}/vote`, body: { value: 1 } }),
    expect: outcomes((a) => (a === 'anonymous' ? 401 : a === 'author' ? 403 : 200)),
  },
  { operation: 'GET /api/moderation/queue', request: () => ({ url: '/api/moderation/queue' }), expect: only(STAFF, 200) },
  {
    operation: 'GET /api/moderation/queue',
    variant: 'of site A',
    request: (f) => ({ url: `/api/moderation/queue?siteId=${f.siteA}` }),
    expect: only(STAFF_OF_A, 200),
  },
  { operation: 'GET /api/moderation/counts', request: () => ({ url: '/api/moderation/counts' }), expect: only(STAFF, 200) },
  {
    operation: 'GET /api/moderation/counts',
    variant: 'of site A',
    request: (f) => ({ url: `/api/moderation/counts?siteId=${f.siteA}` }),
    expect: only(STAFF_OF_A, 200),
  },
  { operation: 'GET /api/moderation/stats', request: () => ({ url: '/api/moderation/stats' }), expect: only(STAFF, 200) },
  {
    // Readers' live updates: anyone may follow a story; what each is sent is tested in events.test.ts.
    operation: 'GET /api/events',
    variant: 'as HEAD',
    request: (f) => ({ method: 'HEAD', url: `/api/events?stories=${f.storyA}` }),
    expect: everyone(200),
  },
  { operation: 'POST /api/events/tickets', request: () => ({ url: '/api/events/tickets' }), expect: signedIn(201) },
  {
    // A stream never ends by itself: HEAD asks the same question and answers at once.
    operation: 'GET /api/moderation/events',
    variant: 'as HEAD, of site A',
    request: (f) => ({ method: 'HEAD', url: `/api/moderation/events?siteId=${f.siteA}` }),
    expect: only(STAFF_OF_A, 200),
  },
  {
    operation: 'POST /api/moderation/comments/{id}/approve',
    request: (f) => ({ url: `/api/moderation/comments/${f.held}/approve`, body: {} }),
    expect: only(STAFF_OF_A, 200),
  },
  {
    operation: 'POST /api/moderation/comments/{id}/reject',
    request: (f) => ({ url: `/api/moderation/comments/${f.comment}/reject`, body: { reason: 'Off topic' } }),
    expect: only(STAFF_OF_A, 200),
  },
  {
    operation: 'PUT /api/moderation/comments/{id}/labels',
    request: (f) => ({ url: `/api/moderation/comments/${f.held}/labels`, body: { labels: { threat: true, insult: false } } }),
    expect: only(STAFF_OF_A, 200),
  },
  {
    operation: 'GET /api/sites/{id}/model',
    request: (f) => ({ url: `/api/sites/${f.siteA}/model` }),
    expect: only(STAFF_OF_A, 200),
  },
  {
    operation: 'PUT /api/sites/{id}/model',
    request: (f) => ({ url: `/api/sites/${f.siteA}/model`, body: { use: 'shipped' } }),
    expect: only(ADMINS_OF_A, 200),
  },
  {
    operation: 'POST /api/moderation/comments/{id}/feature',
    request: (f) => ({ url: `/api/moderation/comments/${f.comment}/feature`, body: { featured: true } }),
    expect: only(STAFF_OF_A, 200),
  },
  {
    operation: 'POST /api/moderation/comments/bulk',
    request: (f) => ({ url: '/api/moderation/comments/bulk', body: { action: 'approve', ids: [f.held] } }),
    // Staff of site B get a result per item, each refused, and nothing changes.
    expect: outcomes((a) => (a === 'anonymous' ? 401 : STAFF_OF_A.has(a) ? 200 : STAFF.has(a) ? { status: 200, unchanged: true } : 403)),
  },
  {
    operation: 'POST /api/comments/{id}/reports',
    request: (f) => ({ url: `/api/comments/${f.comment}/reports`, body: { reason: 'spam' } }),
    expect: outcomes((a) => (a === 'anonymous' ? 401 : a === 'author' ? 403 : 201)),
  },
  {
    operation: 'POST /api/moderation/users/{id}/ban',
    request: (f) => ({ url: `/api/moderation/users/${f.target}/ban`, body: { reason: 'Abuse' } }),
    expect: only(GLOBAL_STAFF, 200),
  },
  {
    operation: 'POST /api/moderation/users/{id}/suspend',
    request: (f) => ({ url: `/api/moderation/users/${f.target}/suspend`, body: { until: '2099-01-01T00:00:00Z', reason: 'Cool off' } }),
    expect: only(GLOBAL_STAFF, 200),
  },
  {
    operation: 'POST /api/moderation/users/{id}/unban',
    request: (f) => ({ url: `/api/moderation/users/${f.target}/unban`, body: {} }),
    expect: only(GLOBAL_STAFF, 200),
  },
  {
    operation: 'PUT /api/users/{id}/role',
    variant: 'a reader made moderator of site A',
    request: (f) => ({ url: `/api/users/${f.target}/role`, body: { role: 'moderator', siteId: f.siteA } }),
    expect: only(ADMINS_OF_A, 200),
  },
  {
    operation: 'PUT /api/users/{id}/role',
    variant: 'a reader made admin of every site',
    request: (f) => ({ url: `/api/users/${f.target}/role`, body: { role: 'admin' } }),
    expect: only(new Set(['admin']), 200),
  },
  {
    operation: 'PUT /api/users/{id}/role',
    variant: 'an admin of every site demoted',
    request: (f) => ({ url: `/api/users/${f.otherAdmin}/role`, body: { role: 'commenter' } }),
    expect: only(new Set(['admin']), 200),
  },
  {
    operation: 'PUT /api/users/{id}/role',
    variant: 'an admin of every site moved to site A',
    request: (f) => ({ url: `/api/users/${f.otherAdmin}/role`, body: { role: 'admin', siteId: f.siteA } }),
    expect: only(new Set(['admin']), 200),
  },
  { operation: 'GET /api/moderation/audit', request: () => ({ url: '/api/moderation/audit' }), expect: only(ADMINS, 200) },
  { operation: 'GET /api/sites', request: () => ({ url: '/api/sites' }), expect: only(STAFF, 200) },
  { operation: 'GET /api/moderation/classifier', request: () => ({ url: '/api/moderation/classifier' }), expect: only(STAFF, 200) },
  { operation: 'GET /api/sites/{id}/policy', request: (f) => ({ url: `/api/sites/${f.siteA}/policy` }), expect: only(STAFF_OF_A, 200) },
  {
    operation: 'PUT /api/sites/{id}/policy',
    request: (f) => ({ url: `/api/sites/${f.siteA}/policy`, body: { ...DEFAULT_POLICY, maxLinks: 7 } }),
    expect: only(ADMINS_OF_A, 200),
  },
  { operation: 'GET /api/sites/{id}/origins', request: (f) => ({ url: `/api/sites/${f.siteA}/origins` }), expect: only(STAFF_OF_A, 200) },
  {
    operation: 'PUT /api/sites/{id}/origins',
    request: (f) => ({ url: `/api/sites/${f.siteA}/origins`, body: { origins: ['https://a.example.com'] } }),
    expect: only(ADMINS_OF_A, 200),
  },
  {
    // The loader's question needs the host page's Origin header, which a request without one lacks: refused for
    // every caller, signed in or not, and nothing is created (test/api/embed.test.ts covers allowed origins).
    operation: 'GET /api/embed/story',
    request: (f, n) => ({ url: `/api/embed/story?siteId=${f.siteA}&url=${encodeURIComponent(`https://a.example.com/embed/${n}`)}&title=T` }),
    expect: everyone(403),
  },
  {
    operation: 'POST /api/moderation/check',
    request: (f) => ({ url: '/api/moderation/check', body: { text: 'A draft', storyId: f.storyA } }),
    expect: signedIn(200),
  },
];

const siteIds = new WeakMap<TestApp, Record<'A' | 'B' | 'default', string>>();
const sites = (t: TestApp) => siteIds.get(t)!;

/** Every row of every table, in a stable order: what "nothing changed" is checked against. */
async function snapshot(db: Kysely<Database>): Promise<string> {
  const tables = (await db.introspection.getTables()).map((table) => table.name).filter((name) => !name.startsWith('kysely_')).sort();
  const dump: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = await db.selectFrom(table as keyof Database).selectAll().execute();
    dump[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return JSON.stringify(dump);
}

for (const dialect of DIALECTS) {
  describe(`authorization matrix [${dialect}]`, () => {
    let t: TestApp;
    const users = new Map<Actor, UserRow>();
    let counter = 0;

    before(async () => {
      t = await startTestApp(dialect);
      const siteB = await insertSite(t.db, 'Site B', JSON.stringify(DEFAULT_POLICY));
      const siteA = await insertSite(t.db, 'Site A', JSON.stringify(DEFAULT_POLICY));
      siteIds.set(t, { A: siteA.id, B: siteB.id, default: t.siteId });
      const roles: Record<Exclude<Actor, 'anonymous'>, [Role, string | null]> = {
        author: ['commenter', null],
        reader: ['commenter', null],
        modA: ['moderator', siteA.id],
        adminA: ['admin', siteA.id],
        modB: ['moderator', siteB.id],
        adminB: ['admin', siteB.id],
        moderator: ['moderator', null],
        admin: ['admin', null],
      };
      for (const [actor, [role, siteId]] of Object.entries(roles)) {
        users.set(actor as Actor, await insertUser(t.db, { username: `matrix_${actor}`, email: null, passwordHash: 'not-a-hash', role, siteId }));
      }
      await t.context.accounts.create({ username: 'loginuser', email: null, password: 'the-login-password' });
    });
    after(async () => t?.close());

    async function fixture(): Promise<Fixture> {
      const { A } = sites(t);
      const author = users.get('author')!;
      const story = await insertStory(t.db, { site_id: A, url: `https://a.example.com/${++counter}`, title: 'Story', published_at: Date.now() });
      const { comment } = await t.context.comments.post(author, story.id, 'A published comment', null);
      const { comment: held } = await t.context.comments.post(author, story.id, 'A comment to hold', null);
      await updateComment(t.db, held.id, { status: 'pending', auto_status: 'pending' });
      const target = await insertUser(t.db, { username: `target_${counter}`, email: null, passwordHash: 'not-a-hash', role: 'commenter' });
      const otherAdmin = await insertUser(t.db, { username: `other_admin_${counter}`, email: null, passwordHash: 'not-a-hash', role: 'admin' });
      return { siteA: A, storyA: story.id, comment: comment.id, held: held.id, target: target.id, otherAdmin: otherAdmin.id };
    }

    async function credentials(actor: Actor, mode: Mode): Promise<Record<string, string>> {
      if (actor === 'anonymous') return {};
      const user = users.get(actor)!;
      if (mode === 'bearer') return { authorization: `Bearer ${await createApiToken(t.db, user.id, 'matrix')}` };
      const session = await createSession(t.db, user.id, 3_600_000);
      const headers: Record<string, string> = { cookie: `parley_session=${session.secret}` };
      if (mode === 'cookie') headers['x-csrf-token'] = session.csrfToken;
      return headers;
    }

    it('covers every operation of the OpenAPI document', async () => {
      const doc = (await t.app.inject('/api/docs/json')).json() as { paths: Record<string, Record<string, unknown>> };
      const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
      const covered = new Set(ROWS.map((row) => row.operation));
      assert.deepEqual(documented.filter((op) => !covered.has(op)), [], 'operations with no row in the matrix');
      assert.deepEqual([...covered].filter((op) => !documented.includes(op)), [], 'rows for operations the document does not have');
    });

    it('answers every caller as written, and a refusal changes nothing', async () => {
      let requests = 0;
      let refusals = 0;
      const failures: string[] = [];
      for (const row of ROWS) {
        const method = row.operation.split(' ')[0] as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
        const unsafe = method !== 'GET';
        for (const actor of ACTORS) {
          const modes: Mode[] = actor === 'anonymous' ? ['cookie'] : unsafe ? ['cookie', 'cookie without CSRF', 'bearer'] : ['cookie', 'bearer'];
          for (const mode of modes) {
            const f = await fixture();
            const { url, body: payload, method: override } = row.request(f, ++counter);
            const headers = await credentials(actor, mode);
            const skipsCsrf = row.operation.startsWith('POST /api/auth/signup') || row.operation.startsWith('POST /api/auth/login');
            const planned = row.expect[actor];
            const expected: Outcome = mode === 'cookie without CSRF' && !skipsCsrf ? 403 : planned;
            const status = typeof expected === 'number' ? expected : expected.status;
            const unchanged = typeof expected === 'number' ? status >= 400 : true;
            const before = unchanged ? await snapshot(t.db) : '';
            const label = `${row.operation}${row.variant ? ` (${row.variant})` : ''} as ${actor} by ${mode}`;
            const response = await answeredWithin(
              5000,
              t.app.inject({ method: override ?? method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) }),
            );
            requests++;
            if (!response) {
              failures.push(`${label}: no answer within 5 s`);
              continue;
            }
            if (response.statusCode !== status) {
              failures.push(`${label}: expected ${status}, got ${response.statusCode} ${response.body.slice(0, 200)}`);
              continue;
            }
            if (status >= 400 && override !== 'HEAD') {
              const error = (response.json() as { error?: { code?: unknown; message?: unknown } }).error;
              if (typeof error?.code !== 'string' || typeof error.message !== 'string') failures.push(`${label}: error outside the documented shape: ${response.body}`);
            }
            if (unchanged) {
              refusals++;
              if ((await snapshot(t.db)) !== before) failures.push(`${label}: refused, yet the database changed`);
            } else if (row.verify) {
              await row.verify(t, actor, response).catch((error: Error) => failures.push(`${label}: ${error.message}`));
            }
          }
        }
      }
      console.log(`authorization matrix [${dialect}]: ${requests} requests, ${refusals} refusals checked against the whole database`);
      assert.deepEqual(failures, []);
    });
  });
}
