import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { onEachDatabase } from '../helpers/suite.js';
import type { TestApp } from '../helpers/app.js';
import { insertSite } from '../../src/storage/sites.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';

const SECRET = 'the-gazette-sso-secret-of-32-bytes-or-more';
const now = () => Math.floor(Date.now() / 1000);

/** A token as a host's server signs it; `claims` replaces or (undefined) removes the usual ones. */
async function sign(key: Uint8Array | KeyObject, alg: string, claims: Record<string, unknown>): Promise<string> {
  const payload: Record<string, unknown> = { sub: 'u-1', name: 'Ada Reader', iat: now(), exp: now() + 300, jti: randomUUID(), ...claims };
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
  return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg }).sign(key);
}

onEachDatabase('host-site single sign-on', (t) => {
  const secret = new TextEncoder().encode(SECRET);
  let site: string;
  const hs = (claims: Record<string, unknown> = {}) => sign(secret, 'HS256', { aud: site, ...claims });
  const post = (app: TestApp, body: unknown) => app.request('POST', '/api/auth/sso', { body });
  const users = async () => Number((await t().db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  before(async () => {
    site = t().siteId;
    await t().context.identity.configureSso(site, { hs256Secret: SECRET });
  });

  it('creates the reader at first sight, answers like a log-in, and the session works', async () => {
    const res = await post(t(), { token: await hs({ sub: 'reader-42', name: 'Grace Hopper', email: 'Grace@Example.com', picture: 'https://img.example/g.png' }) });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.user.username, 'Grace_Hopper');
    assert.equal(body.user.email, 'grace@example.com');
    assert.equal(body.user.role, 'commenter');
    assert.ok(body.csrfToken.length > 20);
    assert.equal(body.accessToken, undefined);
    const cookie = res.cookies.find((c) => c.name === 'parley_session');
    assert.ok(cookie?.httpOnly);
    const agent = { username: body.user.username, userId: body.user.id, cookie: `parley_session=${cookie.value}`, csrfToken: body.csrfToken };
    const me = await t().request('GET', '/api/me', { as: agent });
    assert.equal(me.json().user.id, body.user.id);
    const story = await t().story();
    const comment = await t().request('POST', `/api/stories/${story}/comments`, { as: agent, body: { body: 'Signed in by my newspaper.' } });
    assert.equal(comment.statusCode, 201, comment.body);
    const link = await t().db.selectFrom('user_identities').selectAll().where('user_id', '=', body.user.id).executeTakeFirstOrThrow();
    assert.deepEqual([link.issuer, link.subject], [`site:${site}`, 'reader-42']);
  });

  it('keeps the link by the site\'s user id: renames follow, another id is another person', async () => {
    const first = (await post(t(), { token: await hs({ sub: 'reader-7', name: 'Mary Shelley' }) })).json();
    const renamed = (await post(t(), { token: await hs({ sub: 'reader-7', name: 'Mary W Shelley', email: 'mary@example.com' }) })).json();
    assert.equal(renamed.user.id, first.user.id);
    assert.equal(renamed.user.username, 'Mary_W_Shelley');
    assert.equal(renamed.user.email, 'mary@example.com');
    const again = (await post(t(), { token: await hs({ sub: 'reader-7', name: 'Mary W Shelley' }) })).json();
    assert.equal(again.user.username, 'Mary_W_Shelley', 'the same name keeps the same username');
    // Someone else with the old name and the same e-mail: a new account; the address stays with its holder.
    const other = (await post(t(), { token: await hs({ sub: 'reader-8', name: 'Mary W Shelley', email: 'mary@example.com' }) })).json();
    assert.notEqual(other.user.id, first.user.id);
    assert.equal(other.user.username, 'Mary_W_Shelley_2');
    assert.equal(other.user.email, null);
    // A local account with the same e-mail is never taken over by a token naming it.
    const local = await t().agent('commenter', 'local_owner');
    const claimed = (await post(t(), { token: await hs({ sub: 'reader-9', name: 'Local Owner', email: 'local_owner@example.com' }) })).json();
    assert.notEqual(claimed.user.id, local.userId);
  });

  it('grants moderator of its own site only, and takes it back when the token stops saying so', async () => {
    const staff = (await post(t(), { token: await hs({ sub: 'editor-1', name: 'Desk Editor', roles: ['moderator'] }) })).json();
    assert.equal(staff.user.role, 'moderator');
    const row = await t().db.selectFrom('users').select(['role', 'site_id']).where('id', '=', staff.user.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { role: 'moderator', site_id: site });
    const reader = (await post(t(), { token: await hs({ sub: 'editor-1', name: 'Desk Editor', roles: [] }) })).json();
    assert.equal(reader.user.role, 'commenter');
    const admin = await post(t(), { token: await hs({ sub: 'editor-2', name: 'Would Be Admin', roles: ['admin'] }) });
    assert.equal(admin.statusCode, 401);
    assert.equal(admin.json().error.code, 'sso_role_not_allowed');
  });

  it('answers a bearer token for the embed\'s frame when asked', async () => {
    const res = await post(t(), { token: await hs({ sub: 'frame-reader', name: 'Frame Reader' }), siteId: site, bearer: true });
    assert.equal(res.statusCode, 200, res.body);
    const me = await t().request('GET', '/api/me', { headers: { authorization: `Bearer ${res.json().accessToken}` } });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().user.username, 'Frame_Reader');
  });

  it('refuses every kind of wrong token with a 401 and its reason, and writes no account', async () => {
    const otherSite = await insertSite(t().db, 'Other paper', JSON.stringify(DEFAULT_POLICY));
    await t().context.identity.configureSso(otherSite.id, { hs256Secret: 'another-papers-secret-also-32-bytes-long' });
    const unconfigured = await insertSite(t().db, 'No sign-on', JSON.stringify(DEFAULT_POLICY));
    const replayed = await hs({ sub: 'replay' });
    assert.equal((await post(t(), { token: replayed })).statusCode, 200);
    const forgedKey = new TextEncoder().encode('an-attackers-guess-at-the-secret-32b');
    const [header, payload] = (await hs()).split('.');
    const cases: Array<[string, string | Promise<string>, string, Record<string, unknown>?]> = [
      ['expired', hs({ iat: now() - 600, exp: now() - 120 }), 'sso_token_expired'],
      ['not yet valid (nbf)', hs({ nbf: now() + 600 }), 'sso_token_not_yet_valid'],
      ['issued in the future', hs({ iat: now() + 600, exp: now() + 900 }), 'sso_token_not_yet_valid'],
      ['issued too long ago', hs({ iat: now() - 2 * 86400, exp: now() + 60 }), 'sso_token_expired'],
      ['living too long', hs({ exp: now() + 3 * 86400 }), 'sso_token_lifetime'],
      ['forged signature', sign(forgedKey, 'HS256', { aud: site }), 'sso_bad_signature'],
      ['tampered payload', `${header}.${Buffer.from(JSON.stringify({ sub: 'admin', name: 'x', aud: site, iat: now(), exp: now() + 60, jti: 'j' })).toString('base64url')}.${(await hs()).split('.')[2]}`, 'sso_bad_signature'],
      ['unsigned (alg none)', `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`, 'sso_algorithm_not_allowed'],
      ['replayed jti', replayed, 'sso_token_replayed'],
      ['wrong audience', hs({ aud: 'nosuchsite' }), 'sso_wrong_audience'],
      ['audience without sign-on', hs({ aud: unconfigured.id }), 'sso_wrong_audience'],
      ['audience list', hs({ aud: [site, otherSite.id] }), 'sso_wrong_audience'],
      ['another site\'s token here', sign(new TextEncoder().encode('another-papers-secret-also-32-bytes-long'), 'HS256', { aud: otherSite.id }), 'sso_wrong_site', { siteId: site }],
      ['signed with another site\'s secret', sign(new TextEncoder().encode('another-papers-secret-also-32-bytes-long'), 'HS256', { aud: site }), 'sso_bad_signature'],
      ['no sub', hs({ sub: undefined }), 'sso_missing_claim'],
      ['no name', hs({ name: undefined }), 'sso_missing_claim'],
      ['no jti', hs({ jti: undefined }), 'sso_missing_claim'],
      ['no exp', hs({ exp: undefined }), 'sso_missing_claim'],
      ['no iat', hs({ iat: undefined }), 'sso_missing_claim'],
      ['no aud', sign(secret, 'HS256', {}), 'sso_missing_claim'],
      ['empty name', hs({ name: '  ' }), 'sso_invalid_claim'],
      ['sub not a string', hs({ sub: 42 }), 'sso_invalid_claim'],
      ['bad e-mail', hs({ email: 'not an address' }), 'sso_invalid_claim'],
      ['malformed', 'not-a-jwt', 'sso_token_malformed'],
      ['three parts of garbage', 'a.b.c', 'sso_token_malformed'],
      ['HS256 with the secret as key for an RS256 site', 'placeholder', 'sso_algorithm_not_allowed'],
    ];
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsaSite = await insertSite(t().db, 'RSA paper', JSON.stringify(DEFAULT_POLICY));
    await t().context.identity.configureSso(rsaSite.id, { publicKeyPem: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    cases[cases.length - 1]![1] = sign(new TextEncoder().encode(SECRET), 'HS256', { aud: rsaSite.id });
    const before = await users();
    for (const [name, token, code, extra] of cases) {
      const res = await post(t(), { token: await token, ...extra });
      assert.equal(res.statusCode, 401, `${name}: ${res.body}`);
      assert.equal(res.json().error.code, code, `${name}: ${res.body}`);
      assert.ok(res.json().error.message.length > 20, name);
      assert.equal(res.cookies.length, 0, `${name}: no cookie`);
    }
    assert.equal(await users(), before, 'no account was written by a refused token');
    const shapeless = await post(t(), { tokn: 'x' });
    assert.equal(shapeless.statusCode, 400);
  });

  it('verifies RS256 and EdDSA tokens with the public key a site registered', async () => {
    for (const [type, alg] of [['rsa', 'RS256'], ['ed25519', 'EdDSA']] as const) {
      const pair = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
      const keyed = await insertSite(t().db, `${alg} paper`, JSON.stringify(DEFAULT_POLICY));
      const algorithm = await t().context.identity.configureSso(keyed.id, { publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
      assert.equal(algorithm, alg);
      const ok = await post(t(), { token: await sign(pair.privateKey, alg, { aud: keyed.id, sub: `${alg}-1`, name: `${alg} Reader` }), siteId: keyed.id });
      assert.equal(ok.statusCode, 200, ok.body);
      const stranger = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
      const forged = await post(t(), { token: await sign(stranger.privateKey, alg, { aud: keyed.id }) });
      assert.equal(forged.json().error.code, 'sso_bad_signature');
    }
  });

  it('refuses a short secret and a key that is not a public key', async () => {
    await assert.rejects(t().context.identity.configureSso(site, { hs256Secret: 'short' }), /at least 32 bytes/);
    await assert.rejects(t().context.identity.configureSso(site, { publicKeyPem: 'not a key' }), /PEM-encoded public key/);
  });
});

onEachDatabase('host-site sign-on from a plain form (the story page)', (t) => {
  const secret = new TextEncoder().encode(SECRET);
  before(async () => {
    await t().context.identity.configureSso(t().siteId, { hs256Secret: SECRET });
  });

  it('signs in and lands on the story page; a wrong token gets a 401 page that says why', async () => {
    const story = await t().story();
    const token = await sign(secret, 'HS256', { aud: t().siteId, sub: 'page-reader', name: 'Page Reader' });
    const form = (fields: Record<string, string>) =>
      t().app.inject({ method: 'POST', url: '/auth/sso', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
    const res = await form({ token, next: `/stories/${story}` });
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, `/stories/${story}`);
    const cookie = res.cookies.find((c) => c.name === 'parley_session')!;
    const page = await t().app.inject({ url: `/stories/${story}`, headers: { cookie: `parley_session=${cookie.value}` } });
    assert.match(page.body, /Page_Reader/);

    const replay = await form({ token, next: `/stories/${story}` });
    assert.equal(replay.statusCode, 401);
    assert.match(replay.headers['content-type'] as string, /text\/html/);
    assert.match(replay.body, /already used/);
    const offsite = await form({ token: await sign(secret, 'HS256', { aud: t().siteId }), next: 'https://evil.example/' });
    assert.equal(offsite.headers.location, '/', 'never an open redirect');
  });
});
