import { it } from 'node:test';
import assert from 'node:assert/strict';
import { onEachDatabase } from '../helpers/suite.js';
import type { TestApp } from '../helpers/app.js';

/** A browser without JavaScript: keeps cookies, posts forms, follows nothing on its own. */
class FormClient {
  private cookies = new Map<string, string>();
  constructor(private readonly t: TestApp) {}
  private get cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async get(url: string) {
    const res = await this.t.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader } });
    for (const c of res.cookies) this.cookies.set(c.name, c.value);
    return res;
  }
  async post(url: string, fields: Record<string, string>) {
    const res = await this.t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    });
    for (const c of res.cookies) {
      if (c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }
}

const field = (page: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1] ?? '';

/** A reader without JavaScript who has just signed up through the form. */
async function signedUpBrowser(t: TestApp, username: string): Promise<FormClient> {
  const browser = new FormClient(t);
  const signup = await browser.get('/signup');
  const res = await browser.post('/signup', {
    _form: field(signup.body, '_form'),
    username,
    email: `${username}@example.com`,
    password: 'a long enough password',
  });
  assert.equal(res.statusCode, 303, res.body);
  return browser;
}

onEachDatabase('story pages', (t) => {
  it('renders a story and its discussion on the server', async () => {
    const storyId = await t().story({
      title: 'Ferry strike <ends>',
      byline: 'Sam Okafor',
      source: 'Harbour Wire',
      imageUrl: 'https://img.example.com/ferry.jpg',
      imageCaption: 'Passengers board the first ferry.',
      body: 'One.\n\nTwo & three.',
      publishedAt: '2026-11-24T06:00:00Z',
    });
    const alice = await t().agent();
    const bob = await t().agent();
    const root = await t().comment(alice, storyId, 'Good news for commuters');
    const reply = await t().comment(bob, storyId, 'Took them long enough', root.id);
    const res = await t().request('GET', `/stories/${storyId}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    const page = res.body;
    assert.match(page, /<h1>Ferry strike &lt;ends&gt;<\/h1>/);
    assert.match(page, /by <span class="byline">Sam Okafor<\/span> via <span class="source">Harbour Wire<\/span>/);
    assert.match(page, /<time datetime="2026-11-24T06:00:00.000Z">/);
    assert.match(page, /<img src="https:\/\/img.example.com\/ferry.jpg" alt="Passengers board the first ferry.">/);
    assert.match(page, /<figcaption>Passengers board the first ferry.<\/figcaption>/);
    assert.match(page, /<p>Two &amp; three.<\/p>/);
    assert.match(page, new RegExp(`<article class="comment status-published" id="c-${root.id}"`));
    assert.match(page, new RegExp(`<a class="permalink" href="#c-${reply.id}"><time datetime="`));
    assert.match(page, new RegExp(`<a class="in-reply-to" href="#c-${root.id}">in reply to ${alice.username}</a>`));
    assert.match(page, /Log in<\/a> or <a href="\/signup/);
    assert.match(res.headers['content-security-policy'] as string, /script-src 'self'/);
  });

  it('lets a reader without JavaScript sign up, post, reply, vote and delete through forms', async () => {
    const storyId = await t().story();
    const author = await t().agent();
    const existing = await t().comment(author, storyId, 'Existing comment');
    const browser = new FormClient(t());
    const signup = await browser.get(`/signup?next=/stories/${storyId}`);
    const created = await browser.post('/signup', {
      _form: field(signup.body, '_form'),
      next: `/stories/${storyId}`,
      username: 'form_reader',
      email: 'form_reader@example.com',
      password: 'a long form password',
    });
    assert.equal(created.statusCode, 303);
    assert.equal(created.headers.location, `/stories/${storyId}`);
    const page = (await browser.get(`/stories/${storyId}`)).body;
    assert.match(page, /Signed in as <strong>form_reader<\/strong>/);
    const csrf = field(page, '_csrf');
    assert.ok(csrf);

    const posted = await browser.post(`/stories/${storyId}/comments`, { _csrf: csrf, body: 'Posted from a *form*' });
    assert.equal(posted.statusCode, 303);
    assert.match(posted.headers.location as string, new RegExp(`^/stories/${storyId}\\?posted=published#c-[0-9a-z]+$`));
    const replied = await browser.post(`/stories/${storyId}/comments`, { _csrf: csrf, body: 'A reply', parentId: existing.id });
    assert.equal(replied.statusCode, 303);
    const replyId = /#c-([0-9a-z]+)$/.exec(replied.headers.location as string)![1]!;
    const voted = await browser.post(`/comments/${existing.id}/vote`, { _csrf: csrf, value: '1' });
    assert.equal(voted.statusCode, 303);

    const after = (await browser.get(`/stories/${storyId}?posted=published`)).body;
    assert.match(after, /Your comment is published/);
    assert.match(after, /<em>form<\/em>/);
    assert.match(after, new RegExp(`id="c-${replyId}"[\\s\\S]*in reply to ${author.username}`));
    assert.match(after, /aria-pressed="true" aria-label="Vote up"/);

    const forged = await browser.post(`/stories/${storyId}/comments`, { _csrf: 'wrong', body: 'forged' });
    assert.equal(forged.statusCode, 403);
    const empty = await browser.post(`/stories/${storyId}/comments`, { _csrf: csrf, body: '   ' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /The comment is empty/);

    const deleted = await browser.post(`/comments/${replyId}/delete`, { _csrf: csrf });
    assert.equal(deleted.statusCode, 303);
    const logout = await browser.post('/logout', { _csrf: csrf });
    assert.equal(logout.statusCode, 303);
    assert.doesNotMatch((await browser.get('/')).body, /Signed in as/);
  });

  it('shows a wrong password on the log-in form and refuses a form without its token', async () => {
    const browser = new FormClient(t());
    const agent = await t().agent();
    const form = await browser.get('/login');
    const wrong = await browser.post('/login', { _form: field(form.body, '_form'), username: agent.username, password: 'nope nope nope' });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /The username or password is wrong/);
    const noToken = await new FormClient(t()).post('/login', { username: agent.username, password: 'whatever it is' });
    assert.equal(noToken.statusCode, 403);
    const open = await browser.post('/login', {
      _form: field(wrong.body, '_form'),
      username: agent.username,
      password: t().passwords.get(agent.username)!,
      next: '//evil.example/',
    });
    assert.equal(open.statusCode, 303);
    assert.equal(open.headers.location, '/', 'never redirects off the site');
  });

  it('answers unknown pages with an HTML 404', async () => {
    const res = await t().request('GET', '/stories/nosuchstory1');
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /<h1>Not found<\/h1>/);
  });

  it('sends the security headers browsers act on, and none that no browser of today reads', async () => {
    const storyId = await t().story();
    const answers = [
      await t().request('GET', `/stories/${storyId}`),
      await t().request('GET', `/api/stories/${storyId}/comments`),
      await t().request('GET', '/no-such-page'),
    ];
    for (const res of answers) {
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /frame-ancestors 'self'/);
      assert.match(csp, /object-src 'none'/);
      // Covered by default-src and script-src: the embed's frame sends the same policy without them.
      assert.doesNotMatch(csp, /font-src|script-src-attr/);
      assert.match(String(res.headers['strict-transport-security']), /max-age=[1-9]\d*/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
      assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin');
      assert.equal(res.headers['cross-origin-resource-policy'], 'same-origin');
      assert.equal(res.headers['origin-agent-cluster'], '?1');
      assert.equal(res.headers['x-dns-prefetch-control'], 'off');
      // IE8's download prompt, Flash's and Acrobat's cross-domain policy files, the XSS auditors browsers removed.
      for (const gone of ['x-download-options', 'x-permitted-cross-domain-policies', 'x-xss-protection']) assert.equal(res.headers[gone], undefined, gone);
    }
  });

  it('publishes the OpenAPI document', async () => {
    const res = await t().request('GET', '/api/docs/json');
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    for (const path of ['/api/auth/signup', '/api/stories/{id}/comments', '/api/comments/{id}/vote']) assert.ok(doc.paths[path], path);
    const ui = await t().request('GET', '/api/docs');
    assert.ok([200, 302].includes(ui.statusCode));
  });
});

onEachDatabase(
  'the nudge and reports on story pages',
  (t) => {
    it('sends a doubtful draft back once for a second look, then posts it when confirmed', async () => {
      const storyId = await t().story();
      const other = await t().agent();
      const parent = await t().comment(other, storyId, 'An opinion');
      const browser = await signedUpBrowser(t(), 'nudged');
      const csrf = field((await browser.get(`/stories/${storyId}`)).body, '_csrf');
      const count = async () => (await t().db.selectFrom('comments').select('id').where('story_id', '=', storyId).execute()).length;

      const first = await browser.post(`/stories/${storyId}/comments`, { _csrf: csrf, body: 'What a dubious <b>claim</b>', parentId: parent.id });
      assert.equal(first.statusCode, 200);
      assert.match(first.body, /Before you post:/);
      assert.match(first.body, /a moderator must see first: &quot;dubious&quot;/);
      assert.match(first.body, /<textarea name="body"[^>]*>What a dubious &lt;b&gt;claim&lt;\/b&gt;<\/textarea>/);
      assert.match(first.body, new RegExp(`Reply to ${other.username}`));
      assert.match(first.body, /name="confirmed" value="1"/);
      assert.equal(await count(), 1, 'nothing was stored yet');

      const confirmed = await browser.post(`/stories/${storyId}/comments`, { _csrf: csrf, body: 'What a dubious claim', parentId: parent.id, confirmed: '1' });
      assert.equal(confirmed.statusCode, 303);
      assert.match(confirmed.headers.location as string, /posted=pending/);
      assert.equal(await count(), 2);

      const clean = await browser.post(`/stories/${storyId}/comments`, { _csrf: csrf, body: 'A fair point, well made' });
      assert.equal(clean.statusCode, 303, 'a clean draft goes straight through');
    });

    it('lets a reader report a comment from the page, once', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const target = await t().comment(author, storyId, 'Report me');
      const browser = await signedUpBrowser(t(), 'reporter');
      const page = (await browser.get(`/stories/${storyId}`)).body;
      assert.match(page, new RegExp(`action="/comments/${target.id}/report"`));
      const csrf = field(page, '_csrf');
      const sent = await browser.post(`/comments/${target.id}/report`, { _csrf: csrf, reason: 'abuse', note: 'rude' });
      assert.equal(sent.statusCode, 303);
      assert.match(sent.headers.location as string, /posted=reported/);
      const again = await browser.post(`/comments/${target.id}/report`, { _csrf: csrf, reason: 'abuse' });
      assert.equal(again.statusCode, 409);
      assert.match(again.body, /already reported/);
      const rows = await t().db.selectFrom('reports').selectAll().where('comment_id', '=', target.id).execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.note, 'rude');
    });
  },
  { policy: { suspectWords: ['dubious'] } },
);
