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
import { createHmac } from 'node:crypto';
import { createApiToken, createSession } from '../../src/storage/sessions.js';
import { insertSite } from '../../src/storage/sites.js';
import { insertUser } from '../../src/storage/users.js';
import { insertStory } from '../../src/storage/stories.js';
import { updateComment } from '../../src/storage/comments.js';
import { startImportJob, updateImportJob } from '../../src/storage/imports.js';
import { newId } from '../../src/storage/ids.js';
import { insertWebhook } from '../../src/storage/webhooks.js';
import { insertBan } from '../../src/storage/ban-evasion.js';
import { enqueueDeliveries, outboxRow } from '../../src/storage/outbox.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';
import { leadingZeroBits, proofDigest } from '../../src/core/guests.js';
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
  /** A console import into site A that a restart interrupted, its file gone. */
  importJob: string;
  /** A webhook of site A that receives no event, and a delivery of it. */
  webhookA: string;
  deliveryA: string;
  /** A ban of an e-mail domain, in force. */
  ban: string;
}

interface Row {
  /** The OpenAPI operation, `METHOD /path/{param}`; several rows may test one operation. */
  operation: string;
  variant?: string;
  /** A string body goes as it is, with its content type (an upload); anything else as JSON. */
  request(f: Fixture, n: number): { method?: 'HEAD'; url: string; body?: unknown; contentType?: string };
  expect: Expected;
  /** Checks an allowed request's effect beyond its status. */
  verify?(t: TestApp, actor: Actor, response: { json(): unknown }): Promise<void>;
  /** The caller is a new account of the actor's role and site for each request (the request deletes its caller). */
  freshActor?: true;
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

/** Solved guest challenges for site A, made before the matrix runs (a row builds its request synchronously). */
const guestProofs: Array<{ challenge: string; solution: string }> = [];

const SSO_SECRET = 'the-matrix-sites-sso-secret-32-bytes-long';
/** A host site's sign-on token (HS256), signed here by hand so that a row can build its request synchronously. */
function ssoToken(siteId: string, n: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const iat = Math.floor(Date.now() / 1000);
  const signed = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: `sso-${n}`, name: `Sso Reader ${n}`, aud: siteId, iat, exp: iat + 300, jti: `jti-${n}` })}`;
  return `${signed}.${createHmac('sha256', SSO_SECRET).update(signed).digest('base64url')}`;
}

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
  {
    operation: 'POST /api/auth/sso',
    request: (f, n) => ({ url: '/api/auth/sso', body: { token: ssoToken(f.siteA, n) } }),
    expect: everyone(200),
  },
  {
    operation: 'GET /api/stories/{id}/guest-challenge',
    request: (f) => ({ url: `/api/stories/${f.storyA}/guest-challenge` }),
    expect: everyone(200),
  },
  {
    operation: 'POST /api/stories/{id}/guest-comments',
    request: (f) => ({ url: `/api/stories/${f.storyA}/guest-comments`, body: { name: 'Matrix Guest', body: 'A guest comment.', ...guestProofs.pop() } }),
    expect: everyone(201),
  },
  { operation: 'POST /api/auth/logout', request: () => ({ url: '/api/auth/logout', body: {} }), expect: signedIn(204) },
  { operation: 'GET /api/me', request: () => ({ url: '/api/me' }), expect: signedIn(200) },
  { operation: 'GET /api/me/data', request: () => ({ url: '/api/me/data' }), expect: signedIn(200) },
  {
    operation: 'DELETE /api/me',
    request: () => ({ url: '/api/me' }),
    expect: signedIn(200),
    freshActor: true,
    async verify(t, _actor, response) {
      assert.deepEqual(response.json(), { comments: 0, erased: 0 });
    },
  },
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
  { operation: 'GET /api/stories', request: () => ({ url: '/api/stories' }), expect: only(STAFF, 200) },
  {
    operation: 'PATCH /api/stories/{id}',
    request: (f) => ({ url: `/api/stories/${f.storyA}`, body: { state: 'closed', closedMessage: 'Closed for the night.' } }),
    expect: only(STAFF_OF_A, 200),
    async verify(t, _actor, response) {
      const story = body(response.json());
      assert.equal((await t.db.selectFrom('stories').select('state').where('id', '=', String(story.id)).executeTakeFirstOrThrow()).state, 'closed');
    },
  },
  {
    operation: 'DELETE /api/stories/{id}',
    variant: 'with its comments, confirmed',
    request: (f) => ({ url: `/api/stories/${f.storyA}?deleteComments=true` }),
    expect: only(STAFF_OF_A, 200),
    async verify(t, _actor, response) {
      const id = String(body(response.json()).id);
      assert.equal(await t.db.selectFrom('stories').select('id').where('id', '=', id).executeTakeFirst(), undefined);
    },
  },
  {
    operation: 'DELETE /api/stories/{id}',
    variant: 'with comments, not confirmed',
    request: (f) => ({ url: `/api/stories/${f.storyA}` }),
    expect: only(STAFF_OF_A, 409),
  },
  { operation: 'GET /api/people', request: () => ({ url: '/api/people?q=a' }), expect: only(STAFF, 200) },
  { operation: 'GET /api/people/{id}', request: (f) => ({ url: `/api/people/${f.target}` }), expect: only(STAFF, 200) },
  {
    operation: 'POST /api/people/{id}/notes',
    request: (f) => ({ url: `/api/people/${f.target}/notes`, body: { body: 'Warned once.' } }),
    expect: only(STAFF, 201),
  },
  { operation: 'GET /api/moderation/bans', request: () => ({ url: '/api/moderation/bans' }), expect: only(GLOBAL_STAFF, 200) },
  {
    operation: 'POST /api/moderation/bans',
    request: (_f, n) => ({ url: '/api/moderation/bans', body: { kind: 'domain', domain: `spam${n}.example`, reason: 'Throw-away addresses' } }),
    expect: only(GLOBAL_STAFF, 201),
  },
  {
    operation: 'POST /api/moderation/bans/{id}/lift',
    request: (f) => ({ url: `/api/moderation/bans/${f.ban}/lift`, body: {} }),
    expect: only(GLOBAL_STAFF, 200),
  },
  {
    operation: 'POST /api/me/claim-guest-comments',
    variant: 'an account without an e-mail',
    request: () => ({ url: '/api/me/claim-guest-comments' }),
    expect: signedIn(409),
  },
  {
    operation: 'PUT /api/people/{id}/trust',
    request: (f) => ({ url: `/api/people/${f.target}/trust`, body: { trusted: true } }),
    expect: only(GLOBAL_STAFF, 200),
  },
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
  { operation: 'GET /api/moderation/summary', request: () => ({ url: '/api/moderation/summary' }), expect: only(ADMINS, 200) },
  {
    operation: 'PUT /api/moderation/comments/{id}/claim',
    request: (f) => ({ url: `/api/moderation/comments/${f.held}/claim` }),
    expect: only(STAFF_OF_A, 200),
  },
  {
    operation: 'DELETE /api/moderation/comments/{id}/claim',
    request: (f) => ({ url: `/api/moderation/comments/${f.held}/claim` }),
    expect: only(STAFF_OF_A, 200),
  },
  { operation: 'GET /api/moderation/claims', request: () => ({ url: '/api/moderation/claims' }), expect: only(STAFF, 200) },
  {
    operation: 'GET /api/moderation/claims',
    variant: 'of site A',
    request: (f) => ({ url: `/api/moderation/claims?siteId=${f.siteA}` }),
    expect: only(STAFF_OF_A, 200),
  },
  {
    // Only the moderator who acted may undo, within seconds (desk-scale.test.ts); an action that is not there is a 404.
    operation: 'POST /api/moderation/actions/{id}/undo',
    request: () => ({ url: '/api/moderation/actions/nosuchaction/undo' }),
    expect: outcomes((a) => (a === 'anonymous' ? 401 : STAFF.has(a) ? 404 : 403)),
  },
  { operation: 'GET /api/moderation/filters', request: () => ({ url: '/api/moderation/filters' }), expect: only(STAFF, 200) },
  {
    operation: 'POST /api/moderation/filters',
    request: () => ({ url: '/api/moderation/filters', body: { name: 'Threats', filter: { queue: 'pending', label: 'threat' } } }),
    expect: only(STAFF, 200),
  },
  {
    operation: 'POST /api/moderation/filters',
    variant: 'on site A',
    request: (f) => ({ url: '/api/moderation/filters', body: { name: 'Threats', siteId: f.siteA, filter: { queue: 'pending' } } }),
    expect: only(STAFF_OF_A, 200),
  },
  {
    // Each moderator's own: another's filter, or none, is a 404.
    operation: 'DELETE /api/moderation/filters/{id}',
    request: () => ({ url: '/api/moderation/filters/nosuchfilter' }),
    expect: outcomes((a) => (a === 'anonymous' ? 401 : STAFF.has(a) ? 404 : 403)),
  },
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
    operation: 'POST /api/sites/{id}/imports',
    request: (f, n) => ({
      url: `/api/sites/${f.siteA}/imports?source=disqus`,
      contentType: 'application/xml',
      body: `<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals"><thread dsq:id="m${n}"><link>https://a.example.com/imported/${n}</link><title>T</title></thread></disqus>`,
    }),
    expect: only(ADMINS_OF_A, 202),
    async verify(t, _actor, response) {
      // The import runs on in the background: wait for its end, so that the next request finds the database still.
      const id = String(body(response.json()).id);
      for (let i = 0; i < 200 && (await t.db.selectFrom('import_jobs').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status === 'running'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const job = await t.db.selectFrom('import_jobs').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(job.status, 'done');
    },
  },
  { operation: 'GET /api/sites/{id}/imports', request: (f) => ({ url: `/api/sites/${f.siteA}/imports` }), expect: only(ADMINS_OF_A, 200) },
  {
    operation: 'GET /api/sites/{id}/imports/{jobId}',
    request: (f) => ({ url: `/api/sites/${f.siteA}/imports/${f.importJob}` }),
    expect: only(ADMINS_OF_A, 200),
  },
  {
    operation: 'POST /api/sites/{id}/imports/{jobId}/resume',
    request: (f) => ({ url: `/api/sites/${f.siteA}/imports/${f.importJob}/resume` }),
    // Allowed, and refused for what it is: the interrupted import's file is gone.
    expect: only(ADMINS_OF_A, 409),
  },
  { operation: 'GET /api/sites/{id}/export', request: (f) => ({ url: `/api/sites/${f.siteA}/export?format=csv` }), expect: only(ADMINS_OF_A, 200) },
  {
    operation: 'POST /api/me/email/verification',
    request: () => ({ url: '/api/me/email/verification', body: {} }),
    // The matrix's server sends no mail (test/api/mail.test.ts has one that does).
    expect: signedIn(409),
  },
  { operation: 'POST /api/auth/verify-email', request: () => ({ url: '/api/auth/verify-email', body: { token: 'not-a-token' } }), expect: everyone(400) },
  {
    operation: 'POST /api/auth/password-reset/request',
    request: () => ({ url: '/api/auth/password-reset/request', body: { email: 'someone@example.com' } }),
    expect: everyone(409),
  },
  {
    operation: 'POST /api/auth/password-reset',
    request: () => ({ url: '/api/auth/password-reset', body: { token: 'not-a-token', password: 'a long enough password' } }),
    expect: everyone(400),
  },
  { operation: 'PUT /api/stories/{id}/subscription', request: (f) => ({ url: `/api/stories/${f.storyA}/subscription`, body: {} }), expect: signedIn(200) },
  { operation: 'DELETE /api/stories/{id}/subscription', request: (f) => ({ url: `/api/stories/${f.storyA}/subscription` }), expect: signedIn(200) },
  { operation: 'GET /api/sites/{id}/webhooks', request: (f) => ({ url: `/api/sites/${f.siteA}/webhooks` }), expect: only(ADMINS_OF_A, 200) },
  {
    operation: 'POST /api/sites/{id}/webhooks',
    request: (f) => ({ url: `/api/sites/${f.siteA}/webhooks`, body: { url: 'https://hooks.example.com/a', events: ['comment.reported'] } }),
    expect: only(ADMINS_OF_A, 201),
  },
  {
    operation: 'DELETE /api/sites/{id}/webhooks/{webhookId}',
    request: (f) => ({ url: `/api/sites/${f.siteA}/webhooks/${f.webhookA}` }),
    expect: only(ADMINS_OF_A, 204),
  },
  {
    operation: 'GET /api/sites/{id}/webhooks/deliveries',
    request: (f) => ({ url: `/api/sites/${f.siteA}/webhooks/deliveries` }),
    expect: only(ADMINS_OF_A, 200),
  },
  {
    operation: 'POST /api/sites/{id}/webhooks/deliveries/{deliveryId}/replay',
    request: (f) => ({ url: `/api/sites/${f.siteA}/webhooks/deliveries/${f.deliveryA}/replay`, body: {} }),
    expect: only(ADMINS_OF_A, 202),
  },
  {
    operation: 'POST /api/moderation/check',
    request: (f) => ({ url: '/api/moderation/check', body: { text: 'A draft', storyId: f.storyA } }),
    expect: signedIn(200),
  },
];

/** Writes that act for nobody signed in (the token in a mailed link is the proof): no CSRF token asked. */
const ANONYMOUS_WRITES = [
  'POST /api/auth/signup',
  'POST /api/auth/login',
  'POST /api/auth/sso',
  'POST /api/auth/verify-email',
  'POST /api/auth/password-reset/request',
  'POST /api/auth/password-reset',
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
      // No dispatcher: deliveries planned by one request must not change the database while another's refusal is checked.
      t = await startTestApp(dialect, { config: (c) => ({ ...c, delivery: { ...c.delivery, dispatcher: false } }) });
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
      await t.context.identity.configureSso(siteA.id, { hs256Secret: SSO_SECRET });
      await t.context.sites.setGuestMode(null, siteA.id, 'premoderate');
      const guestStory = await insertStory(t.db, { site_id: siteA.id, url: 'https://a.example.com/guests', title: 'Guests', published_at: Date.now() });
      guestProofs.length = 0;
      for (let i = 0; i < 40; i++) {
        const { challenge, difficulty } = await t.context.guests.challenge(guestStory.id, null);
        let n = 0;
        while (leadingZeroBits(proofDigest(challenge, String(n))) < difficulty) n++;
        guestProofs.push({ challenge, solution: String(n) });
      }
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
      const importJob = newId();
      await startImportJob(
        t.db,
        { id: importJob, site_id: A, source: 'disqus', moderation: 'score', file_name: 'old.xml', file_bytes: 1, started_by: otherAdmin.id, created_at: Date.now() },
        Date.now(),
      );
      await updateImportJob(t.db, importJob, { status: 'interrupted' }, Date.now());
      const webhook = await insertWebhook(t.db, { siteId: A, url: 'https://hooks.example.com/fixture', secret: 'whsec_fixture', events: [] });
      const delivery = outboxRow({ kind: 'webhook', site_id: A, topic: 'comment.created', target: webhook.id, event_id: `e${counter}`, payload_json: '{}' }, Date.now());
      await enqueueDeliveries(t.db, [delivery]);
      const ban = await insertBan(t.db, {
        kind: 'domain',
        value: `fixture${counter}.example`,
        source_user_id: null,
        reason: 'Fixture',
        created_by: otherAdmin.id,
        created_at: Date.now(),
        expires_at: Date.now() + 86_400_000,
      });
      return {
        ban: ban.id,
        siteA: A,
        storyA: story.id,
        comment: comment.id,
        held: held.id,
        target: target.id,
        otherAdmin: otherAdmin.id,
        webhookA: webhook.id,
        deliveryA: delivery.id,
        importJob,
      };
    }

    async function credentials(actor: Actor, mode: Mode, fresh = false): Promise<Record<string, string>> {
      if (actor === 'anonymous') return {};
      const known = users.get(actor)!;
      const user = fresh
        ? await insertUser(t.db, { username: `fresh_${++counter}`, email: null, passwordHash: 'not-a-hash', role: known.role, siteId: known.site_id })
        : known;
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
      // A refusal is checked to change nothing, so its fixture is still fresh and serves the next request: fewer
      // fixtures keep the tables, and so each whole-database snapshot, small.
      let unused: Fixture | null = null;
      for (const row of ROWS) {
        const method = row.operation.split(' ')[0] as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
        const unsafe = method !== 'GET';
        for (const actor of ACTORS) {
          const modes: Mode[] = actor === 'anonymous' ? ['cookie'] : unsafe ? ['cookie', 'cookie without CSRF', 'bearer'] : ['cookie', 'bearer'];
          for (const mode of modes) {
            const f: Fixture = unused ?? (await fixture());
            unused = null;
            const { url, body: payload, method: override, contentType } = row.request(f, ++counter);
            const headers = await credentials(actor, mode, row.freshActor);
            if (contentType) headers['content-type'] = contentType;
            const skipsCsrf = ANONYMOUS_WRITES.some((op) => row.operation === op);
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
              else unused = f;
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
