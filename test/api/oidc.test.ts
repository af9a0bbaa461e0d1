// Sign-in with OpenID Connect against a real provider (oidc-provider on 127.0.0.1), driven over plain HTTP: Parley's
// start sends the browser to the provider, the browser signs in on the provider's form, the provider sends it back.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { onEachDatabase } from '../helpers/suite.js';
import { HttpBrowser, startOidcProvider, type TestProvider } from '../helpers/oidc.js';

const PARLEY = 'http://parley.test';
const CALLBACK = `${PARLEY}/auth/oidc/harbour-id/callback`;

onEachDatabase('OpenID Connect sign-in', (t) => {
  let provider: TestProvider;
  before(async () => {
    provider = await startOidcProvider([CALLBACK]);
    provider.accounts.set('alice-1', { name: 'Alice Provider', email: 'alice@provider.example', email_verified: true });
    provider.accounts.set('bob-2', { name: 'Bob Provider', email: 'bob@provider.example', email_verified: false });
    await t().context.oidc.add(t().siteId, { name: 'harbour-id', issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret });
  });
  after(async () => provider?.close());

  const parley = (url: string, cookie?: string) => t().app.inject({ method: 'GET', url, headers: { host: 'parley.test', ...(cookie ? { cookie } : {}) } });

  /** Starts at Parley, signs in at the provider as `login`; answers the callback URL and the browser's flow cookie. */
  async function signInAtProvider(login: string, next = '/'): Promise<{ callback: string; flowCookie: string; state: string }> {
    const start = await parley(`/auth/oidc/harbour-id/start?siteId=${t().siteId}&next=${encodeURIComponent(next)}`);
    assert.equal(start.statusCode, 303, start.body);
    const authorize = new URL(start.headers.location as string);
    assert.equal(authorize.origin, provider.issuer);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(authorize.searchParams.get('nonce') && authorize.searchParams.get('state'));
    const flow = start.cookies.find((c) => c.name === 'parley_oidc')!;
    assert.equal(flow.httpOnly, true);
    const browser = new HttpBrowser();
    const form = await browser.visit(authorize.href);
    assert.equal(form.status, 200, form.body);
    const action = /action="([^"]+)"/.exec(form.body)![1]!;
    const back = await browser.visit(new URL(action, provider.issuer).href, { form: { login } });
    assert.ok(back.leftTo?.startsWith(CALLBACK), `the provider sends the reader back: ${back.leftTo} ${back.body}`);
    return { callback: back.leftTo!.slice(PARLEY.length), flowCookie: `parley_oidc=${flow.value}`, state: flow.value };
  }

  it('signs a reader in at the provider and back, creates the account once and keeps the link by (issuer, sub)', async () => {
    const story = await t().story();
    const { callback, flowCookie } = await signInAtProvider('alice-1', `/stories/${story}`);
    const done = await parley(callback, flowCookie);
    assert.equal(done.statusCode, 303, done.body);
    assert.equal(done.headers.location, `/stories/${story}`);
    const session = done.cookies.find((c) => c.name === 'parley_session')!;
    const me = await parley('/api/me', `parley_session=${session.value}`);
    assert.equal(me.json().user.username, 'Alice_Provider');
    assert.equal(me.json().user.email, 'alice@provider.example');
    const link = await t().db.selectFrom('user_identities').selectAll().where('user_id', '=', me.json().user.id).executeTakeFirstOrThrow();
    assert.deepEqual([link.issuer, link.subject], [provider.issuer, 'alice-1']);

    provider.accounts.set('alice-1', { name: 'Alice Renamed', email: 'alice@provider.example', email_verified: true });
    const again = await signInAtProvider('alice-1');
    const second = await parley(again.callback, again.flowCookie);
    const me2 = await parley('/api/me', `parley_session=${second.cookies.find((c) => c.name === 'parley_session')!.value}`);
    assert.equal(me2.json().user.id, me.json().user.id);
    assert.equal(me2.json().user.username, 'Alice_Renamed');
  });

  it('stores an e-mail only when the provider says it is verified', async () => {
    const { callback, flowCookie } = await signInAtProvider('bob-2');
    const done = await parley(callback, flowCookie);
    const me = await parley('/api/me', `parley_session=${done.cookies.find((c) => c.name === 'parley_session')!.value}`);
    assert.equal(me.json().user.username, 'Bob_Provider');
    assert.equal(me.json().user.email, null);
  });

  it('refuses a tampered or foreign state, a tampered nonce or PKCE verifier, and a replayed callback', async () => {
    const users = async () => Number((await t().db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await users();
    const refused = async (url: string, cookie: string | undefined, code: string) => {
      const res = await parley(url, cookie);
      assert.equal(res.statusCode, 401, `${code}: ${res.body.slice(0, 300)}`);
      assert.match(res.headers['content-type'] as string, /text\/html/);
      assert.equal(res.cookies.find((c) => c.name === 'parley_session'), undefined);
      return res.body;
    };

    const tampered = await signInAtProvider('alice-1');
    const otherState = tampered.callback.replace(/state=[^&]+/, 'state=forged-state');
    assert.match(await refused(otherState, tampered.flowCookie, 'state'), /state does not match/);
    assert.match(await refused(otherState, 'parley_oidc=forged-state', 'state'), /expired or was already used/);
    assert.match(await refused(tampered.callback, undefined, 'no cookie: another browser'), /not started in this browser/);

    const nonce = await signInAtProvider('alice-1');
    await t().db.updateTable('oidc_flows').set({ nonce: 'a-nonce-the-provider-never-saw' }).where('state', '=', nonce.state).execute();
    assert.match(await refused(nonce.callback, nonce.flowCookie, 'nonce'), /nonce/);

    const pkce = await signInAtProvider('alice-1');
    await t().db.updateTable('oidc_flows').set({ code_verifier: 'x'.repeat(64) }).where('state', '=', pkce.state).execute();
    assert.match(await refused(pkce.callback, pkce.flowCookie, 'pkce'), /could not be verified/);

    const once = await signInAtProvider('alice-1');
    assert.equal((await parley(once.callback, once.flowCookie)).statusCode, 303);
    assert.match(await refused(once.callback, once.flowCookie, 'replay'), /expired or was already used/);
    assert.equal(await users(), before, 'no account was made by a refused sign-in');
  });

  it('answers 404 for a provider the site does not have, and refuses a plain-http issuer elsewhere', async () => {
    assert.equal((await parley(`/auth/oidc/nobody/start?siteId=${t().siteId}`)).statusCode, 404);
    const login = await parley('/login?next=/stories/x');
    assert.match(login.body, new RegExp(`href="/auth/oidc/harbour-id/start\\?siteId=${t().siteId}&amp;next=%2Fstories%2Fx"`));
    await assert.rejects(
      t().context.oidc.add(t().siteId, { name: 'insecure', issuer: 'http://id.example.com', clientId: 'a', clientSecret: 'b' }),
      /https URL/,
    );
    assert.deepEqual(await t().context.oidc.list(t().siteId), [{ name: 'harbour-id', issuer: provider.issuer, clientId: provider.clientId }]);
  });
});
