import { it } from 'node:test';
import assert from 'node:assert/strict';
import { onEachDatabase } from '../helpers/suite.js';

onEachDatabase('accounts', (t) => {
  it('signs up, reads /api/me with the session, and logs out', async () => {
    const res = await t().request('POST', '/api/auth/signup', {
      body: { username: 'Reader_One', email: 'reader1@example.com', password: 'correct horse battery' },
    });
    assert.equal(res.statusCode, 201);
    const cookie = res.cookies.find((c) => c.name === 'parley_session');
    assert.ok(cookie, 'a session cookie is set');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.notEqual(cookie.secure, true, 'plain http gets no Secure flag');
    const body = res.json();
    assert.equal(body.user.username, 'Reader_One');
    assert.equal(body.user.role, 'commenter');
    assert.ok(body.csrfToken.length > 20);

    const agent = { username: 'Reader_One', userId: body.user.id, cookie: `parley_session=${cookie.value}`, csrfToken: body.csrfToken };
    const me = await t().request('GET', '/api/me', { as: agent });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().user.id, body.user.id);
    assert.equal(me.json().csrfToken, body.csrfToken);

    const withoutCsrf = await t().request('POST', '/api/auth/logout', { as: agent, noCsrf: true });
    assert.equal(withoutCsrf.statusCode, 403);
    assert.equal(withoutCsrf.json().error.code, 'csrf_failed');

    const out = await t().request('POST', '/api/auth/logout', { as: agent });
    assert.equal(out.statusCode, 204);
    const after = await t().request('GET', '/api/me', { as: agent });
    assert.equal(after.statusCode, 401);
  });

  it('stores passwords as argon2id hashes', async () => {
    await t().agent('commenter', 'hash_check');
    const row = await t().db.selectFrom('users').select('password_hash').where('username', '=', 'hash_check').executeTakeFirstOrThrow();
    assert.match(row.password_hash, /^\$argon2id\$/);
  });

  it('sets the Secure flag behind https', async () => {
    const res = await t().request('POST', '/api/auth/signup', {
      body: { username: 'secure_one', email: 'secure1@example.com', password: 'another long password' },
      headers: { 'x-forwarded-proto': 'https' },
    });
    assert.equal(res.statusCode, 201);
    // Without trustProxy the forwarded header is ignored: no Secure flag from a spoofable header.
    assert.notEqual(res.cookies.find((c) => c.name === 'parley_session')?.secure, true);
  });

  it('refuses duplicate usernames case-insensitively and duplicate emails', async () => {
    await t().request('POST', '/api/auth/signup', { body: { username: 'dupe', email: 'dupe@example.com', password: 'long enough password' } });
    const sameName = await t().request('POST', '/api/auth/signup', {
      body: { username: 'DUPE', email: 'other@example.com', password: 'long enough password' },
    });
    assert.equal(sameName.statusCode, 409);
    assert.equal(sameName.json().error.code, 'username_taken');
    const sameEmail = await t().request('POST', '/api/auth/signup', {
      body: { username: 'dupe2', email: 'DUPE@example.com', password: 'long enough password' },
    });
    assert.equal(sameEmail.statusCode, 409);
    assert.equal(sameEmail.json().error.code, 'email_taken');
  });

  it('rejects bad sign-up input with a clear 400', async () => {
    const cases: Array<[unknown, string]> = [
      [{ username: 'x', email: 'a@example.com', password: 'long enough password' }, 'username'],
      [{ username: 'bad name!', email: 'a@example.com', password: 'long enough password' }, 'username'],
      [{ username: 'okname', email: 'not-an-email', password: 'long enough password' }, 'email'],
      [{ username: 'okname', email: 'a@example.com', password: 'short' }, 'password'],
      [{ username: 'okname', email: 'a@example.com' }, 'password'],
      [{ username: 'okname', email: 'a@example.com', password: 12345678901 }, 'password'],
      [{ username: 'okname', email: 'a@example.com', password: 'long enough password', role: 'admin' }, 'role'],
    ];
    for (const [body, field] of cases) {
      const res = await t().request('POST', '/api/auth/signup', { body });
      assert.equal(res.statusCode, 400, JSON.stringify(body));
      assert.match(res.json().error.message, new RegExp(field), JSON.stringify(res.json()));
    }
    const count = await t().db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('username', '=', 'okname').executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0, 'nothing was written');
  });

  it('answers a wrong password and an unknown user alike', async () => {
    await t().agent('commenter', 'known_user');
    const wrong = await t().request('POST', '/api/auth/login', { body: { username: 'known_user', password: 'not the password' } });
    const unknown = await t().request('POST', '/api/auth/login', { body: { username: 'nobody_here', password: 'not the password' } });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.deepEqual(wrong.json(), unknown.json());
  });

  it('accepts a bearer API token without a CSRF token, and rejects a bad one', async () => {
    const agent = await t().agent('commenter');
    const token = await t().token(agent);
    const me = await t().request('GET', '/api/me', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().user.id, agent.userId);
    const bad = await t().request('GET', '/api/me', { headers: { authorization: 'Bearer pat_nonsense' } });
    assert.equal(bad.statusCode, 401);
    assert.equal(bad.json().error.code, 'invalid_token');
  });

  it('says 401 to /api/me without a session', async () => {
    const res = await t().request('GET', '/api/me');
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'unauthenticated');
  });
});
