// The newsroom desk (issue 18): a threat report by one reader reaches the queue at once, queues most severe first with
// how long each item waited, story controls (closed, premoderated, hidden, auto-close, edit, delete), people and trust.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { onEachDatabase } from '../helpers/suite.js';
import type { Agent, TestApp } from '../helpers/app.js';
import { keywordScorer } from '../helpers/scorers.js';
import type { Scorer } from '../../src/moderation/types.js';

/** The keyword scorer, pointing at THREATWORD when it finds it (REJECTWORD it judges as a whole, with no words). */
const scorer: Scorer = {
  thresholds: keywordScorer.thresholds,
  score(text) {
    const { scores } = keywordScorer.score(text);
    const at = text.indexOf('THREATWORD');
    return { scores, spans: at >= 0 ? [{ start: at, end: at + 'THREATWORD'.length, label: 'threat', weight: 1 }] : [] };
  },
};
const form = (agent: Agent, fields: Record<string, string>) => ({
  as: agent,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ _csrf: agent.csrfToken, ...fields }).toString(),
});

const queue = (t: TestApp, as: Agent, query: string) => t.request('GET', `/api/moderation/queue?${query}`, { as });
const ids = (page: { items: Array<{ comment: { id: string } }> }) => page.items.map((i) => i.comment.id);

async function auditActions(t: TestApp, targetId: string): Promise<string[]> {
  const rows = await t.db.selectFrom('audit_log').select('action').where('target_id', '=', targetId).orderBy('created_at').execute();
  return rows.map((r) => r.action);
}

onEachDatabase(
  'the newsroom desk',
  (t) => {
    it('puts a comment one reader reported as a threat in the reported queue at once, first by severity', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const moderator = await t().agent('moderator');
      const rude = await t().comment(author, storyId, 'A published remark that is merely rude');
      const menacing = await t().comment(author, storyId, 'A published remark that reads as menacing');
      const reader = await t().agent();
      const report = (id: string, reason: string) => t().request('POST', `/api/comments/${id}/reports`, { as: reader, body: { reason } });
      assert.equal((await report(rude.id, 'abuse')).statusCode, 201);
      let reported = (await queue(t(), moderator, `queue=reported&storyId=${storyId}`)).json();
      assert.deepEqual(ids(reported), [], 'one abuse report is under the threshold of 3');
      assert.equal((await report(menacing.id, 'threat')).statusCode, 201);
      reported = (await queue(t(), moderator, `queue=reported&storyId=${storyId}`)).json();
      assert.deepEqual(ids(reported), [menacing.id], 'one threat report is enough');
      const [item] = reported.items;
      assert.ok(Date.parse(item.comment.waitingSince) >= Date.parse(item.comment.createdAt), 'it waits since its report');
      assert.equal((await t().request('GET', `/api/moderation/counts`, { as: moderator })).json().reported >= 1, true);
      // Two more abuse reports bring the rude one in too: the threat still comes first (the default order is severity).
      for (const other of [await t().agent(), await t().agent()]) {
        await t().request('POST', `/api/comments/${rude.id}/reports`, { as: other, body: { reason: 'abuse' } });
      }
      reported = (await queue(t(), moderator, `queue=reported&storyId=${storyId}`)).json();
      assert.deepEqual(ids(reported), [menacing.id, rude.id]);
      // Approving it clears its threat report: it leaves the queue.
      assert.equal((await t().request('POST', `/api/moderation/comments/${menacing.id}/approve`, { as: moderator, body: {} })).statusCode, 200);
      reported = (await queue(t(), moderator, `queue=reported&storyId=${storyId}`)).json();
      assert.deepEqual(ids(reported), [rude.id]);
    });

    it('sorts the pending queue by severity by default and says since when each item waits', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const moderator = await t().agent('moderator');
      const before = Date.now();
      const threat = await t().comment(author, storyId, 'THREATWORD first');
      const page = (await queue(t(), moderator, `storyId=${storyId}`)).json();
      assert.deepEqual(ids(page), [threat.id]);
      assert.ok(Date.parse(page.items[0].comment.waitingSince) >= before - 1000);
      const rejected = (await queue(t(), moderator, `queue=rejected&storyId=${storyId}`)).json();
      assert.deepEqual(ids(rejected), []);
    });

    it('closes a story with a message: new comments, replies and edits get 403 story_closed; the page says so', async () => {
      const storyId = await t().story({ title: 'A sensitive story' });
      const author = await t().agent();
      const moderator = await t().agent('moderator');
      const earlier = await t().comment(author, storyId, 'Posted while it was open');
      const closed = await t().request('PATCH', `/api/stories/${storyId}`, {
        as: moderator,
        body: { state: 'closed', closedMessage: 'Comments are closed while the trial is under way.' },
      });
      assert.equal(closed.statusCode, 200, closed.body);
      assert.equal(closed.json().state, 'closed');
      assert.equal(closed.json().closedMessage, 'Comments are closed while the trial is under way.');
      const refused = await t().request('POST', `/api/stories/${storyId}/comments`, { as: author, body: { body: 'One more thing' } });
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().error.code, 'story_closed');
      assert.equal(refused.json().error.message, 'Comments are closed while the trial is under way.');
      const reply = await t().request('POST', `/api/stories/${storyId}/comments`, { as: author, body: { body: 'A reply', parentId: earlier.id } });
      assert.equal(reply.statusCode, 403);
      const edit = await t().request('PATCH', `/api/comments/${earlier.id}`, { as: author, body: { body: 'Changed' } });
      assert.equal(edit.json().error.code, 'story_closed');
      const page = await t().request('GET', `/stories/${storyId}`, { as: author });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Comments are closed\.<\/strong> Comments are closed while the trial is under way\./);
      assert.doesNotMatch(page.body, /Join the discussion/);
      assert.equal((await t().db.selectFrom('comments').select('id').where('story_id', '=', storyId).execute()).length, 1);
      // The HTML form is refused too, with the message.
      const viaForm = await t().request('POST', `/stories/${storyId}/comments`, form(author, { body: 'Through the form', confirmed: '1' }));
      assert.equal(viaForm.statusCode, 403);
      assert.match(viaForm.body, /Comments are closed while the trial is under way\./);
      assert.equal((await t().db.selectFrom('comments').select('id').where('story_id', '=', storyId).execute()).length, 1);
      // Reopened, it takes comments again; every change is audited.
      assert.equal((await t().request('PATCH', `/api/stories/${storyId}`, { as: moderator, body: { state: 'open' } })).json().state, 'open');
      assert.equal((await t().comment(author, storyId, 'Back again')).status, 'published');
      assert.deepEqual(await auditActions(t(), storyId), ['story.update', 'story.update']);
    });

    it('holds every new comment of a premoderated story, with a reason that says so', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const moderator = await t().agent('moderator');
      await t().request('PATCH', `/api/stories/${storyId}`, { as: moderator, body: { state: 'premoderated' } });
      const res = await t().request('POST', `/api/stories/${storyId}/comments`, { as: author, body: { body: 'A calm remark' } });
      assert.equal(res.statusCode, 201);
      assert.equal(res.json().status, 'pending');
      assert.deepEqual(res.json().reasons.map((r: { code: string }) => r.code), ['pre_moderation']);
      assert.match(res.json().reasons[0].message, /this story/);
    });

    it('hides a story from readers (404) but not from staff of its site', async () => {
      const storyId = await t().story({ title: 'Withdrawn story' });
      const author = await t().agent();
      const moderator = await t().agent('moderator');
      const before = await t().comment(author, storyId, 'Before it was hidden');
      assert.equal((await t().request('PATCH', `/api/stories/${storyId}`, { as: moderator, body: { state: 'hidden' } })).statusCode, 200);
      for (const url of [`/api/stories/${storyId}`, `/api/stories/${storyId}/comments`, `/stories/${storyId}`, `/api/comments/${before.id}`]) {
        assert.equal((await t().request('GET', url)).statusCode, 404, url);
        assert.equal((await t().request('GET', url, { as: author })).statusCode, 404, url);
        assert.equal((await t().request('GET', url, { as: moderator })).statusCode, 200, url);
      }
      assert.equal((await t().request('POST', `/api/stories/${storyId}/comments`, { as: author, body: { body: 'Hello?' } })).statusCode, 404);
      assert.doesNotMatch((await t().request('GET', '/')).body, /Withdrawn story/);
    });

    it('closes stories automatically after the site setting of N days', async () => {
      const admin = await t().agent('admin');
      const policy = (await t().request('GET', `/api/sites/${t().siteId}/policy`, { as: admin })).json();
      assert.equal(policy.autoCloseDays, 0);
      assert.equal((await t().request('PUT', `/api/sites/${t().siteId}/policy`, { as: admin, body: { ...policy, autoCloseDays: 7 } })).statusCode, 200);
      try {
        const old = await t().story({ publishedAt: new Date(Date.now() - 8 * 86_400_000).toISOString() });
        const fresh = await t().story({ publishedAt: new Date(Date.now() - 2 * 86_400_000).toISOString() });
        const author = await t().agent();
        const story = (await t().request('GET', `/api/stories/${old}`)).json();
        assert.equal(story.state, 'closed');
        assert.match(story.closedMessage, /7 days after it was published/);
        assert.equal((await t().request('POST', `/api/stories/${old}/comments`, { as: author, body: { body: 'Late' } })).json().error.code, 'story_closed');
        assert.equal((await t().comment(author, fresh, 'In time')).status, 'published');
      } finally {
        await t().request('PUT', `/api/sites/${t().siteId}/policy`, { as: admin, body: { ...policy, autoCloseDays: 0 } });
      }
    });

    it('edits a story, and deletes one with its comments only when confirmed, audited', async () => {
      const storyId = await t().story({ title: 'Frist draft' });
      const author = await t().agent();
      const moderator = await t().agent('moderator');
      const edited = await t().request('PATCH', `/api/stories/${storyId}`, { as: moderator, body: { title: 'First draft', byline: 'Desk' } });
      assert.equal(edited.json().title, 'First draft');
      assert.equal(edited.json().byline, 'Desk');
      assert.equal((await t().request('PATCH', `/api/stories/${storyId}`, { as: moderator, body: { title: '  ' } })).statusCode, 400);
      assert.equal((await t().request('PATCH', `/api/stories/${storyId}`, { as: author, body: { state: 'closed' } })).statusCode, 403);
      const parent = await t().comment(author, storyId, 'A comment');
      const reply = await t().comment(author, storyId, 'A reply', parent.id);
      await t().request('POST', `/api/comments/${reply.id}/vote`, { as: moderator, body: { value: 1 } });
      const refused = await t().request('DELETE', `/api/stories/${storyId}`, { as: moderator });
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.json().error.code, 'story_has_comments');
      assert.match(refused.json().error.message, /2 comments/);
      assert.equal((await t().request('GET', `/api/stories/${storyId}`)).statusCode, 200);
      const deleted = await t().request('DELETE', `/api/stories/${storyId}?deleteComments=true`, { as: moderator });
      assert.equal(deleted.statusCode, 200, deleted.body);
      assert.deepEqual(deleted.json(), { id: storyId, deletedComments: 2 });
      assert.equal((await t().request('GET', `/api/stories/${storyId}`)).statusCode, 404);
      assert.equal((await t().db.selectFrom('comments').select('id').where('story_id', '=', storyId).execute()).length, 0);
      assert.deepEqual(await auditActions(t(), storyId), ['story.update', 'story.delete']);
      // A story without comments goes without confirmation.
      const empty = await t().story();
      assert.equal((await t().request('DELETE', `/api/stories/${empty}`, { as: moderator })).json().deletedComments, 0);
    });

    it("rejects a trusted commenter's comment over the reject line, while trust skips pre-moderation", async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const moderator = await t().agent('moderator');
      await t().request('PATCH', `/api/stories/${storyId}`, { as: moderator, body: { state: 'premoderated' } });
      assert.equal((await t().comment(author, storyId, 'Before trust')).status, 'pending');
      const trust = await t().request('PUT', `/api/people/${author.userId}/trust`, { as: moderator, body: { trusted: true } });
      assert.equal(trust.statusCode, 200, trust.body);
      assert.equal(trust.json().standing, 'trusted');
      assert.equal((await t().comment(author, storyId, 'Now trusted')).status, 'published');
      const over = await t().request('POST', `/api/stories/${storyId}/comments`, { as: author, body: { body: 'REJECTWORD from a regular' } });
      assert.equal(over.json().status, 'rejected');
      assert.equal(over.json().reasons[0].code, 'classifier_reject');
      assert.equal((await t().comment(author, storyId, 'THREATWORD trusted or not')).status, 'pending', 'the hold line still applies');
      assert.deepEqual(await auditActions(t(), author.userId), ['user.trust']);
    });

    it('earns trust: N comments approved and none rejected in M days, as the site sets', async () => {
      const admin = await t().agent('admin');
      const policy = (await t().request('GET', `/api/sites/${t().siteId}/policy`, { as: admin })).json();
      await t().request('PUT', `/api/sites/${t().siteId}/policy`, { as: admin, body: { ...policy, preModeration: 'all', trustAfterApproved: 2, trustWindowDays: 30 } });
      try {
        const storyId = await t().story();
        const author = await t().agent();
        const first = await t().comment(author, storyId, 'One');
        const second = await t().comment(author, storyId, 'Two');
        assert.equal(first.status, 'pending');
        for (const c of [first, second]) await t().request('POST', `/api/moderation/comments/${c.id}/approve`, { as: admin, body: {} });
        assert.equal((await t().comment(author, storyId, 'Three')).status, 'published', 'two approved, none rejected: trusted');
        const person = (await t().request('GET', `/api/people/${author.userId}`, { as: admin })).json();
        assert.equal(person.standing, 'trusted');
        assert.equal(person.trustedByHand, false);
        const rejected = await t().comment(author, storyId, 'REJECTWORD');
        assert.equal(rejected.status, 'rejected');
        assert.equal((await t().comment(author, storyId, 'Four')).status, 'pending', 'a rejection in the window ends earned trust');
      } finally {
        await t().request('PUT', `/api/sites/${t().siteId}/policy`, { as: admin, body: policy });
      }
    });

    it('explains every decision: the words that drove it, or plainly that there were none; the author sees them marked', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const held = await t().request('POST', `/api/stories/${storyId}/comments`, { as: author, body: { body: 'I will THREATWORD you' } });
      assert.equal(held.json().status, 'pending');
      assert.match(held.json().reasons[0].message, /reads as a threat \(score 0\.80\)\. The words that weighed most: “THREATWORD”\./);
      const own = (await t().request('GET', `/api/comments/${held.json().id}`, { as: author })).json();
      assert.deepEqual(own.highlights.map((s: { start: number; end: number }) => own.source.slice(s.start, s.end)), ['THREATWORD']);
      const page = await t().request('GET', `/stories/${storyId}`, { as: author });
      assert.match(page.body, /<blockquote class="highlighted"[^>]*>I will <mark>THREATWORD<\/mark> you<\/blockquote>/);
      const whole = await t().request('POST', `/api/stories/${storyId}/comments`, { as: author, body: { body: 'REJECTWORD' } });
      assert.equal(whole.json().status, 'rejected');
      assert.match(whole.json().reasons[0].message, /judged the comment as a whole and could not point at particular words/);
      for (const status of ['pending', 'rejected']) {
        const rows = await t().db.selectFrom('comments').select('reasons_json').where('story_id', '=', storyId).where('status', '=', status as 'pending').execute();
        for (const row of rows) for (const r of JSON.parse(row.reasons_json) as Array<{ message: string }>) assert.ok(r.message.trim().length > 20, r.message);
      }
    });

    it('the nudge says what posting will do, offers "Post anyway" only when it can still publish, and runs on edits', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const holdable = await t().request('POST', `/stories/${storyId}/comments`, form(author, { body: 'Watch out THREATWORD' }));
      assert.equal(holdable.statusCode, 200);
      assert.match(holdable.body, /Post anyway/);
      assert.match(holdable.body, /it will wait for a moderator/);
      assert.match(holdable.body, /Watch out <mark>THREATWORD<\/mark>/);
      const refusable = await t().request('POST', `/stories/${storyId}/comments`, form(author, { body: 'REJECTWORD again' }));
      assert.equal(refusable.statusCode, 200);
      assert.doesNotMatch(refusable.body, /Post anyway/);
      assert.match(refusable.body, /would be refused as it stands/);
      assert.equal((await t().db.selectFrom('comments').select('id').where('story_id', '=', storyId).execute()).length, 0, 'nothing posted yet');
      const calm = await t().comment(author, storyId, 'A calm first version');
      const edit = await t().request('POST', `/comments/${calm.id}/edit`, form(author, { body: 'A calm first version THREATWORD' }));
      assert.equal(edit.statusCode, 200);
      assert.match(edit.body, /Before you save:/);
      assert.match(edit.body, new RegExp(`action="/comments/${calm.id}/edit"`));
      const stored = await t().db.selectFrom('comments').select(['body_markdown', 'status']).where('id', '=', calm.id).executeTakeFirstOrThrow();
      assert.deepEqual(stored, { body_markdown: 'A calm first version', status: 'published' }, 'the edit waits for the author to confirm');
      const confirmed = await t().request('POST', `/comments/${calm.id}/edit`, form(author, { body: 'A calm first version THREATWORD', confirmed: '1' }));
      assert.equal(confirmed.statusCode, 303);
      assert.equal((await t().db.selectFrom('comments').select('status').where('id', '=', calm.id).executeTakeFirstOrThrow()).status, 'pending');
    });

    it('two moderators acting on one comment at once produce one action and one audit entry', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const [first, second] = [await t().agent('moderator'), await t().agent('moderator')];
      for (const action of ['approve', 'reject'] as const) {
        const held = await t().comment(author, storyId, `THREATWORD ${action}`);
        const body = action === 'reject' ? { reason: 'A threat' } : {};
        const answers = await Promise.all(
          [first, second].map((as) => t().request('POST', `/api/moderation/comments/${held.id}/${action}`, { as, body })),
        );
        assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, 409], answers.map((a) => a.body).join(' '));
        assert.equal(answers.find((a) => a.statusCode === 409)!.json().error.code, 'already_decided');
        assert.deepEqual(await auditActions(t(), held.id), [`comment.${action}`]);
        const events = await t().db.selectFrom('thread_events').select('type').where('comment_id', '=', held.id).where('type', '=', 'comment.moderated').execute();
        assert.equal(events.length, 1);
      }
    });

    it('story page fixes: log-in links never nest next=, log-out returns to the story, vote buttons say aria-pressed', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const reader = await t().agent();
      await t().comment(author, storyId, 'Vote on me');
      const login = await t().request('GET', `/login?next=${encodeURIComponent(`/stories/${storyId}`)}`);
      const links = [...login.body.matchAll(/href="(\/(?:login|signup)\?next=[^"]*)"/g)].map((m) => m[1]);
      assert.ok(links.length >= 2, login.body);
      for (const link of links) assert.equal(link!.replace(/^\/(login|signup)/, ''), `?next=${encodeURIComponent(`/stories/${storyId}`)}`);
      const page = await t().request('GET', `/stories/${storyId}`, { as: reader });
      assert.doesNotMatch(page.body, /aria-pressed=""/);
      assert.match(page.body, /aria-pressed="false"/);
      assert.match(page.body, new RegExp(`name="next" value="/stories/${storyId}"`));
      const out = await t().request('POST', '/logout', form(reader, { next: `/stories/${storyId}` }));
      assert.equal(out.statusCode, 303);
      assert.equal(out.headers.location, `/stories/${storyId}`);
      const elsewhere = await t().request('POST', '/logout', form(author, { next: '//evil.example.com/' }));
      assert.equal(elsewhere.headers.location, '/');
    });

    it('finds people by name or e-mail and shows their comments, reports against them and notes', async () => {
      const storyId = await t().story({ title: 'People story' });
      const author = await t().agent('commenter', `Zelda_${Math.random().toString(36).slice(2, 6)}`);
      const moderator = await t().agent('moderator');
      const comment = await t().comment(author, storyId, 'Something reportable');
      const reader = await t().agent();
      await t().request('POST', `/api/comments/${comment.id}/reports`, { as: reader, body: { reason: 'spam', note: 'ads' } });
      const byName = (await t().request('GET', `/api/people?q=${author.username.slice(0, 8).toLowerCase()}`, { as: moderator })).json();
      assert.ok(byName.people.some((p: { id: string }) => p.id === author.userId));
      const byMail = (await t().request('GET', `/api/people?q=${encodeURIComponent(`${author.username}@example`)}`, { as: moderator })).json();
      assert.deepEqual(byMail.people.map((p: { id: string }) => p.id), [author.userId]);
      assert.deepEqual((await t().request('GET', `/api/people?q=%25`, { as: moderator })).json().people, [], 'a % is matched as itself');
      const note = await t().request('POST', `/api/people/${author.userId}/notes`, { as: moderator, body: { body: 'Warned about ads on 1 Dec.' } });
      assert.equal(note.statusCode, 201);
      const person = (await t().request('GET', `/api/people/${author.userId}`, { as: moderator })).json();
      assert.equal(person.standing, 'new');
      assert.equal(person.counts.published, 1);
      assert.deepEqual(person.comments.map((c: { id: string; storyTitle: string }) => [c.id, c.storyTitle]), [[comment.id, 'People story']]);
      assert.deepEqual(person.reports.map((r: { reason: string; note: string }) => [r.reason, r.note]), [['spam', 'ads']]);
      assert.deepEqual(person.notes.map((n: { body: string; author: string }) => [n.body, n.author]), [['Warned about ads on 1 Dec.', moderator.username]]);
      assert.equal((await t().request('GET', `/api/people/${author.userId}`, { as: reader })).statusCode, 403);
      assert.equal((await t().request('POST', `/api/people/${author.userId}/notes`, { as: moderator, body: { body: '   ' } })).statusCode, 400);
    });
  },
  { scorer, policy: { reportThreshold: 3 } },
);
