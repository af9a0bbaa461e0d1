import { it } from 'node:test';
import assert from 'node:assert/strict';
import { onEachDatabase } from '../helpers/suite.js';
import type { Agent, TestApp } from '../helpers/app.js';
import { LABELS, type Label, type LabelScores } from '../../src/moderation/labels.js';
import type { Scorer } from '../../src/moderation/types.js';

// A scorer driven by keywords, so each test knows which label a comment trips.
const scorer: Scorer = {
  thresholds: Object.fromEntries(LABELS.map((l) => [l, { hold: 0.5, reject: 0.95 }])) as Scorer['thresholds'],
  score(text) {
    const scores = Object.fromEntries(LABELS.map((l) => [l, 0.01])) as LabelScores;
    const spans = [];
    for (const [word, label, value] of [['THREATWORD', 'threat', 0.8], ['INSULTWORD', 'insult', 0.7], ['LOUDINSULT', 'insult', 0.93], ['REJECTWORD', 'toxic', 0.99]] as const) {
      const at = text.indexOf(word);
      if (at >= 0) {
        scores[label as Label] = value;
        spans.push({ start: at, end: at + word.length, label: label as Label, weight: 1 });
      }
    }
    return { scores, spans };
  },
};

async function setup(t: TestApp) {
  const storyId = await t.story({ title: 'Moderated story' });
  const author = await t.agent();
  const moderator = await t.agent('moderator');
  return { storyId, author, moderator };
}

const queue = (t: TestApp, as: Agent, query = '') => t.request('GET', `/api/moderation/queue?${query}`, { as });

onEachDatabase(
  'moderation workflow',
  (t) => {
    it('queues held comments with their context, scores, spans, reasons and author history', async () => {
      const { storyId, author, moderator } = await setup(t());
      const parent = await t().comment(author, storyId, 'A calm opening remark');
      const held = await t().comment(author, storyId, 'I know where you live THREATWORD', parent.id);
      assert.equal(held.status, 'pending');
      const res = await queue(t(), moderator, `queue=pending&storyId=${storyId}`);
      assert.equal(res.statusCode, 200, res.body);
      const [item] = res.json().items;
      assert.equal(item.comment.id, held.id);
      assert.equal(item.story.title, 'Moderated story');
      assert.equal(item.parent.id, parent.id);
      assert.equal(item.parent.author, author.username);
      assert.equal(item.author.username, author.username);
      assert.equal(item.author.published, 1);
      assert.equal(item.author.pending, 1);
      assert.equal(item.author.status, 'active');
      assert.equal(item.comment.scores.threat, 0.8);
      assert.deepEqual(item.comment.flaggedLabels, ['threat']);
      const span = item.comment.spans[0];
      assert.equal(item.comment.text.slice(span.start, span.end), 'THREATWORD');
      assert.equal(item.comment.reasons[0].code, 'classifier_hold');
    });

    it('filters by label and sorts by score', async () => {
      const { storyId, author, moderator } = await setup(t());
      const insult = await t().comment(author, storyId, 'INSULTWORD here');
      const threat = await t().comment(author, storyId, 'THREATWORD there');
      const byLabel = (await queue(t(), moderator, `storyId=${storyId}&label=insult`)).json();
      assert.deepEqual(byLabel.items.map((i: { comment: { id: string } }) => i.comment.id), [insult.id]);
      const byScore = (await queue(t(), moderator, `storyId=${storyId}&sort=score`)).json();
      assert.deepEqual(byScore.items.map((i: { comment: { id: string } }) => i.comment.id), [threat.id, insult.id]);
      const paged = (await queue(t(), moderator, `storyId=${storyId}&sort=score&limit=1`)).json();
      const next = (await queue(t(), moderator, `storyId=${storyId}&sort=score&limit=1&cursor=${encodeURIComponent(paged.nextCursor)}`)).json();
      assert.deepEqual([...paged.items, ...next.items].map((i: { comment: { id: string } }) => i.comment.id), [threat.id, insult.id]);
      // Equal scores page by id without losing either comment.
      const twin = await t().comment(author, storyId, 'INSULTWORD again');
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Array<{ comment: { id: string } }>; nextCursor: string | null } = (
          await queue(t(), moderator, `storyId=${storyId}&label=insult&sort=score&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
        ).json();
        seen.push(...page.items.map((i) => i.comment.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(seen.sort(), [insult.id, twin.id].sort());
    });

    it('puts threats first in the pending queue by default, whatever the scores, and pages through that order', async () => {
      const { storyId, author, moderator } = await setup(t());
      const loud = await t().comment(author, storyId, 'LOUDINSULT you');
      const threat = await t().comment(author, storyId, 'THREATWORD you');
      const insult = await t().comment(author, storyId, 'INSULTWORD you');
      const both = await t().comment(author, storyId, 'LOUDINSULT and THREATWORD');
      const ids = (page: { items: Array<{ comment: { id: string } }> }) => page.items.map((i) => i.comment.id);
      // Threat (0.8) ranks above insult (0.93): by rank, then by the score of the label that ranks it.
      const byDefault = (await queue(t(), moderator, `storyId=${storyId}`)).json();
      assert.equal(ids(byDefault).length, 4);
      assert.deepEqual(new Set(ids(byDefault).slice(0, 2)), new Set([threat.id, both.id]));
      assert.deepEqual(ids(byDefault).slice(2), [loud.id, insult.id]);
      assert.deepEqual(
        byDefault.items.map((i: { comment: { severity: number } }) => i.comment.severity),
        [6, 6, 3, 3],
      );
      const explicit = (await queue(t(), moderator, `queue=pending&storyId=${storyId}&sort=severity`)).json();
      assert.deepEqual(ids(explicit), ids(byDefault));
      const byScore = (await queue(t(), moderator, `storyId=${storyId}&sort=score`)).json();
      assert.deepEqual(ids(byScore).slice(2), [threat.id, insult.id]);
      // One at a time through the cursor: the same order, nothing lost or repeated.
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Array<{ comment: { id: string } }>; nextCursor: string | null } = (
          await queue(t(), moderator, `storyId=${storyId}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
        ).json();
        seen.push(...ids(page));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, ids(byDefault));
      // A cursor of another order is refused.
      const wrong = await queue(t(), moderator, `storyId=${storyId}&sort=score&limit=1`);
      const refused = await queue(t(), moderator, `storyId=${storyId}&cursor=${encodeURIComponent(wrong.json().nextCursor)}`);
      assert.equal(refused.statusCode, 400);
      assert.equal(refused.json().error.code, 'invalid_cursor');
      // Other queues stay newest first by default.
      await t().request('POST', `/api/moderation/comments/${insult.id}/reject`, { as: moderator, body: { reason: 'No.' } });
      await t().request('POST', `/api/moderation/comments/${loud.id}/reject`, { as: moderator, body: { reason: 'No.' } });
      const rejected = (await queue(t(), moderator, `queue=rejected&storyId=${storyId}`)).json();
      assert.deepEqual(ids(rejected), [insult.id, loud.id]);
    });

    it('approves and rejects; readers see exactly the approved one; the author sees the reason', async () => {
      const { storyId, author, moderator } = await setup(t());
      const good = await t().comment(author, storyId, 'INSULTWORD but fair');
      const bad = await t().comment(author, storyId, 'THREATWORD for real');
      const approved = await t().request('POST', `/api/moderation/comments/${good.id}/approve`, { as: moderator, body: {} });
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(approved.json().status, 'published');
      const noReason = await t().request('POST', `/api/moderation/comments/${bad.id}/reject`, { as: moderator, body: {} });
      assert.equal(noReason.statusCode, 400);
      const rejected = await t().request('POST', `/api/moderation/comments/${bad.id}/reject`, { as: moderator, body: { reason: 'Threats are not allowed.' } });
      assert.equal(rejected.json().status, 'rejected');
      const publicView = (await t().request('GET', `/api/stories/${storyId}/comments`)).json();
      assert.deepEqual(publicView.comments.map((c: { id: string }) => c.id), [good.id]);
      const own = (await t().request('GET', `/api/comments/${bad.id}`, { as: author })).json();
      assert.deepEqual(own.reasons, [{ code: 'moderator_rejected', message: 'Threats are not allowed.' }]);
      const edit = await t().request('PATCH', `/api/comments/${bad.id}`, { as: author, body: { body: 'sneaky rewrite' } });
      assert.equal(edit.statusCode, 409);
      const approvedQueue = (await queue(t(), moderator, `queue=approved&storyId=${storyId}`)).json();
      assert.deepEqual(approvedQueue.items.map((i: { comment: { id: string } }) => i.comment.id), [good.id]);
      // A wrong action is undone by a new one.
      const undo = await t().request('POST', `/api/moderation/comments/${bad.id}/approve`, { as: moderator, body: {} });
      assert.equal(undo.json().status, 'published');
    });

    it('features and unfeatures published comments only', async () => {
      const { storyId, author, moderator } = await setup(t());
      const ok = await t().comment(author, storyId, 'Insightful');
      const held = await t().comment(author, storyId, 'THREATWORD');
      const featured = await t().request('POST', `/api/moderation/comments/${ok.id}/feature`, { as: moderator, body: {} });
      assert.equal(featured.json().featured, true);
      assert.equal((await t().request('GET', `/api/comments/${ok.id}`)).json().featured, true);
      const off = await t().request('POST', `/api/moderation/comments/${ok.id}/feature`, { as: moderator, body: { featured: false } });
      assert.equal(off.json().featured, false);
      const notPublished = await t().request('POST', `/api/moderation/comments/${held.id}/feature`, { as: moderator, body: {} });
      assert.equal(notPublished.statusCode, 409);
    });

    it('bulk-approves and bulk-rejects, reporting each item', async () => {
      const { storyId, author, moderator } = await setup(t());
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push((await t().comment(author, storyId, `INSULTWORD ${i}`)).id);
      const res = await t().request('POST', '/api/moderation/comments/bulk', { as: moderator, body: { action: 'approve', ids: [...ids, 'nosuchcomment'] } });
      assert.equal(res.statusCode, 200);
      const results = res.json().results;
      assert.deepEqual(results.map((r: { ok: boolean }) => r.ok), [true, true, true, false]);
      assert.equal(results[3].error.code, 'not_found');
      const rejectAll = await t().request('POST', '/api/moderation/comments/bulk', { as: moderator, body: { action: 'reject', ids, reason: 'Off topic' } });
      assert.ok(rejectAll.json().results.every((r: { status: string }) => r.status === 'rejected'));
      const noReason = await t().request('POST', '/api/moderation/comments/bulk', { as: moderator, body: { action: 'reject', ids } });
      assert.equal(noReason.statusCode, 400);
    });

    it('takes one report per reader and queues a comment at the site threshold', async () => {
      const { storyId, author, moderator } = await setup(t());
      const target = await t().comment(author, storyId, 'Controversial but published');
      const reporters = await Promise.all([t().agent(), t().agent(), t().agent()]);
      const report = (as: Agent, body: object = { reason: 'abuse', note: 'rude' }) =>
        t().request('POST', `/api/comments/${target.id}/reports`, { as, body });
      assert.equal((await report(reporters[0]!)).statusCode, 201);
      const again = await report(reporters[0]!);
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, 'already_reported');
      assert.equal((await report(author)).statusCode, 403);
      assert.equal((await report(reporters[1]!, { reason: 'nonsense' })).statusCode, 400);
      assert.equal((await t().request('POST', `/api/comments/${target.id}/reports`, { body: { reason: 'spam' } })).statusCode, 401);
      const reportedBefore = (await queue(t(), moderator, `queue=reported&siteId=${t().siteId}&storyId=${storyId}`)).json();
      assert.equal(reportedBefore.items.length, 0, 'one report is under the threshold of 2');
      assert.equal((await report(reporters[1]!, { reason: 'threat' })).statusCode, 201);
      const reported = (await queue(t(), moderator, `queue=reported&siteId=${t().siteId}&storyId=${storyId}`)).json();
      assert.equal(reported.items.length, 1);
      assert.deepEqual(reported.items[0].reports.map((r: { reason: string }) => r.reason), ['abuse', 'threat']);
      const counts = (await t().request('GET', `/api/moderation/counts?siteId=${t().siteId}`, { as: moderator })).json();
      assert.ok(counts.reported >= 1);
      await t().request('POST', `/api/moderation/comments/${target.id}/approve`, { as: moderator, body: {} });
      const cleared = (await queue(t(), moderator, `queue=reported&siteId=${t().siteId}&storyId=${storyId}`)).json();
      assert.equal(cleared.items.length, 0, 'approval clears the open reports');
      const stored = await t().db.selectFrom('reports').selectAll().where('comment_id', '=', target.id).execute();
      assert.equal(stored.length, 2);
    });

    it('bans and suspends readers with a clear 403, and lifts both', async () => {
      const { storyId, moderator } = await setup(t());
      const reader = await t().agent();
      const ban = await t().request('POST', `/api/moderation/users/${reader.userId}/ban`, { as: moderator, body: { reason: 'Repeated abuse' } });
      assert.equal(ban.statusCode, 200, ban.body);
      assert.equal(ban.json().status, 'banned');
      const blocked = await t().request('POST', `/api/stories/${storyId}/comments`, { as: reader, body: { body: 'hello' } });
      assert.equal(blocked.statusCode, 403);
      assert.equal(blocked.json().error.code, 'banned');
      assert.match(blocked.json().error.message, /Repeated abuse/);
      await t().request('POST', `/api/moderation/users/${reader.userId}/unban`, { as: moderator, body: {} });
      assert.equal((await t().request('POST', `/api/stories/${storyId}/comments`, { as: reader, body: { body: 'back' } })).statusCode, 201);

      const until = new Date(Date.now() + 3600_000).toISOString();
      const suspend = await t().request('POST', `/api/moderation/users/${reader.userId}/suspend`, { as: moderator, body: { until, reason: 'Cool off' } });
      assert.equal(suspend.json().status, 'suspended');
      const suspended = await t().request('POST', `/api/stories/${storyId}/comments`, { as: reader, body: { body: 'hello' } });
      assert.equal(suspended.statusCode, 403);
      assert.equal(suspended.json().error.code, 'suspended');
      const past = await t().request('POST', `/api/moderation/users/${reader.userId}/suspend`, {
        as: moderator,
        body: { until: '2020-01-01T00:00:00Z', reason: 'x' },
      });
      assert.equal(past.statusCode, 422);
      const staff = await t().request('POST', `/api/moderation/users/${moderator.userId}/ban`, { as: moderator, body: { reason: 'x' } });
      assert.equal(staff.statusCode, 403);
      const unknown = await t().request('POST', '/api/moderation/users/nosuchuser1/ban', { as: moderator, body: { reason: 'x' } });
      assert.equal(unknown.statusCode, 404);
    });

    it('records every action in an audit log that admins read and nobody can change', async () => {
      const { storyId, author, moderator } = await setup(t());
      const admin = await t().agent('admin');
      const held = await t().comment(author, storyId, 'THREATWORD audit me');
      await t().request('POST', `/api/moderation/comments/${held.id}/reject`, { as: moderator, body: { reason: 'Threat' } });
      const forModerator = await t().request('GET', '/api/moderation/audit', { as: moderator });
      assert.equal(forModerator.statusCode, 403);
      const log = (await t().request('GET', '/api/moderation/audit?limit=200', { as: admin })).json();
      const entry = log.entries.find((e: { target: { id: string } }) => e.target.id === held.id);
      assert.ok(entry);
      assert.equal(entry.action, 'comment.reject');
      assert.equal(entry.actor.username, moderator.username);
      assert.equal(entry.reason, 'Threat');
      assert.equal(entry.before.status, 'pending');
      assert.equal(entry.after.status, 'rejected');
      await assert.rejects(t().db.updateTable('audit_log').set({ reason: 'forged' }).where('id', '=', entry.id).execute(), /audit log cannot be changed/);
      await assert.rejects(t().db.deleteFrom('audit_log').where('id', '=', entry.id).execute(), /audit log cannot be changed/);
    });

    it('lets admins change the policy, never retroactively, and refuses bad policies', async () => {
      const { storyId, author, moderator } = await setup(t());
      const admin = await t().agent('admin');
      const url = `/api/sites/${t().siteId}/policy`;
      const policy = (await t().request('GET', url, { as: moderator })).json();
      assert.equal(policy.reportThreshold, 2);
      const before = await t().comment(author, storyId, 'Published before the change');
      const changed = { ...policy, preModeration: 'all', thresholds: { insult: { hold: 0.9, reject: 0.99 } } };
      assert.equal((await t().request('PUT', url, { as: moderator, body: changed })).statusCode, 403);
      const put = await t().request('PUT', url, { as: admin, body: changed });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(put.json().preModeration, 'all');
      const after = await t().comment(author, storyId, 'Posted after the change');
      assert.equal(after.status, 'pending');
      const beforeNow = (await t().request('GET', `/api/comments/${before.id}`)).json();
      assert.equal(beforeNow.status, 'published', 'the earlier decision stands');
      const outOfOrder = await t().request('PUT', url, { as: admin, body: { ...policy, thresholds: { threat: { hold: 0.9, reject: 0.5 } } } });
      assert.equal(outOfOrder.statusCode, 422);
      for (const bad of [{ ...policy, maxLength: -1 }, { ...policy, preModeration: 'sometimes' }, { ...policy, thresholds: { nonsense: { hold: 0.1, reject: 0.2 } } }, { bannedWords: [] }]) {
        assert.equal((await t().request('PUT', url, { as: admin, body: bad })).statusCode, 400, JSON.stringify(bad));
      }
      const audit = (await t().request('GET', '/api/moderation/audit', { as: admin })).json();
      assert.ok(audit.entries.some((e: { action: string; after: { preModeration: string } }) => e.action === 'site.policy' && e.after.preModeration === 'all'));
      await t().request('PUT', url, { as: admin, body: policy });
    });

    it('dry-runs a draft for the nudge without storing anything', async () => {
      const { storyId, author } = await setup(t());
      const before = await t().db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const res = await t().request('POST', '/api/moderation/check', { as: author, body: { text: 'You INSULTWORD', storyId } });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.decision, 'pending');
      assert.equal(body.scores.insult, 0.7);
      assert.deepEqual(body.spans[0], { start: 4, end: 14, label: 'insult', weight: 1 });
      assert.equal(body.reasons[0].label, 'insult');
      const fine = (await t().request('POST', '/api/moderation/check', { as: author, body: { text: 'Thanks for the report' } })).json();
      assert.equal(fine.decision, 'published');
      const after = await t().db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(after.n), Number(before.n));
      assert.equal((await t().request('POST', '/api/moderation/check', { body: { text: 'x' } })).statusCode, 401);
    });

    it('lets admins change roles, with an audit entry, but not their own', async () => {
      const admin = await t().agent('admin');
      const reader = await t().agent();
      const promote = await t().request('PUT', `/api/users/${reader.userId}/role`, { as: admin, body: { role: 'moderator', siteId: t().siteId } });
      assert.equal(promote.statusCode, 200, promote.body);
      assert.deepEqual(promote.json(), { id: reader.userId, role: 'moderator', siteId: t().siteId });
      assert.equal((await queue(t(), reader, 'queue=pending')).statusCode, 200, 'the new moderator reaches the queue');
      const self = await t().request('PUT', `/api/users/${admin.userId}/role`, { as: admin, body: { role: 'commenter' } });
      assert.equal(self.statusCode, 403);
      const badRole = await t().request('PUT', `/api/users/${reader.userId}/role`, { as: admin, body: { role: 'owner' } });
      assert.equal(badRole.statusCode, 400);
      const unknown = await t().request('PUT', '/api/users/nosuchuser1/role', { as: admin, body: { role: 'moderator' } });
      assert.equal(unknown.statusCode, 404);
      const audit = (await t().request('GET', '/api/moderation/audit', { as: admin })).json();
      const entry = audit.entries.find((e: { action: string; target: { id: string } }) => e.action === 'user.role' && e.target.id === reader.userId);
      assert.deepEqual([entry.before.role, entry.after.role], ['commenter', 'moderator']);
    });

    it('lists the sites staff act on, the shipped thresholds, and reported comments by each site threshold', async () => {
      const { storyId, author, moderator } = await setup(t());
      const sites = (await t().request('GET', '/api/sites', { as: moderator })).json().sites;
      const own = sites.find((s: { id: string }) => s.id === t().siteId);
      assert.equal(own.reportThreshold, 2);
      const classifier = (await t().request('GET', '/api/moderation/classifier', { as: moderator })).json();
      assert.deepEqual(classifier.thresholds.threat, { hold: 0.5, reject: 0.95 });
      const target = await t().comment(author, storyId, 'Reported once only');
      await t().request('POST', `/api/comments/${target.id}/reports`, { as: await t().agent(), body: { reason: 'spam' } });
      // A moderator of every site, asking without a site, still applies this site's threshold of 2.
      const everywhere = (await queue(t(), moderator, `queue=reported&storyId=${storyId}`)).json();
      assert.equal(everywhere.items.length, 0);
    });

    it('approves and features in one action, and the audit log names the comment', async () => {
      const { storyId, author, moderator } = await setup(t());
      const admin = await t().agent('admin');
      const held = await t().comment(author, storyId, 'THREATWORD but newsworthy');
      const res = await t().request('POST', `/api/moderation/comments/${held.id}/approve`, { as: moderator, body: { featured: true } });
      assert.deepEqual([res.json().status, res.json().featured], ['published', true]);
      const log = (await t().request('GET', '/api/moderation/audit', { as: admin })).json();
      const entry = log.entries.find((e: { target: { id: string } }) => e.target.id === held.id);
      assert.equal(entry.action, 'comment.approve_and_feature');
      assert.equal(entry.target.storyId, storyId);
      assert.equal(entry.target.excerpt, 'THREATWORD but newsworthy');
      // The log keeps the text that was acted on, whatever the author writes afterwards.
      await t().request('PATCH', `/api/comments/${held.id}`, { as: author, body: { body: 'A different text now' } });
      const later = (await t().request('GET', '/api/moderation/audit', { as: admin })).json();
      assert.equal(later.entries.find((e: { id: string }) => e.id === entry.id).target.excerpt, 'THREATWORD but newsworthy');
      const long = await t().comment(author, storyId, `THREATWORD ${'😀'.repeat(200)}`);
      await t().request('POST', `/api/moderation/comments/${long.id}/approve`, { as: moderator, body: {} });
      const longEntry = (await t().request('GET', '/api/moderation/audit', { as: admin })).json().entries.find((e: { target: { id: string } }) => e.target.id === long.id);
      assert.equal([...longEntry.target.excerpt].length, 141, '140 characters and an ellipsis');
      assert.ok(longEntry.target.excerpt.endsWith('😀…'), 'no emoji cut in half');
    });

    it('keeps staff of one site away from another site', async () => {
      const { storyId, author } = await setup(t());
      const held = await t().comment(author, storyId, 'THREATWORD elsewhere');
      const otherSite = await t().db
        .insertInto('sites')
        .values({ id: 'othersite01', name: 'Other', policy_json: '{}', created_at: Date.now() })
        .returning('id')
        .executeTakeFirstOrThrow();
      const outsider = await t().agent('moderator');
      await t().db.updateTable('users').set({ site_id: otherSite.id }).where('id', '=', outsider.userId).execute();
      const act = await t().request('POST', `/api/moderation/comments/${held.id}/approve`, { as: outsider, body: {} });
      assert.equal(act.statusCode, 403);
      const theirQueue = (await queue(t(), outsider, 'queue=all')).json();
      assert.ok(theirQueue.items.every((i: { comment: { id: string } }) => i.comment.id !== held.id));
      assert.equal((await queue(t(), outsider, `siteId=${t().siteId}`)).statusCode, 403);
      assert.equal((await t().request('GET', `/api/sites/${t().siteId}/policy`, { as: outsider })).statusCode, 403);
    });
  },
  { scorer, policy: { reportThreshold: 2 } },
);

onEachDatabase('moderation authorization', (t) => {
  it('answers every moderation route with 401 to strangers and 403 to commenters', async () => {
    const reader = await t().agent();
    const moderator = await t().agent('moderator');
    const storyId = await t().story();
    const { id } = await t().comment(reader, storyId, 'a comment');
    const site = t().siteId;
    const routes: Array<['GET' | 'POST' | 'PUT', string, unknown, 'moderator' | 'admin']> = [
      ['GET', '/api/moderation/queue', undefined, 'moderator'],
      ['GET', '/api/moderation/counts', undefined, 'moderator'],
      ['GET', '/api/sites', undefined, 'moderator'],
      ['GET', '/api/moderation/classifier', undefined, 'moderator'],
      ['GET', '/api/moderation/stats', undefined, 'moderator'],
      ['POST', `/api/moderation/comments/${id}/approve`, {}, 'moderator'],
      ['POST', `/api/moderation/comments/${id}/feature`, {}, 'moderator'],
      ['POST', `/api/moderation/comments/${id}/reject`, { reason: 'x' }, 'moderator'],
      ['POST', '/api/moderation/comments/bulk', { action: 'approve', ids: [id] }, 'moderator'],
      ['POST', `/api/moderation/users/${reader.userId}/ban`, { reason: 'x' }, 'moderator'],
      ['POST', `/api/moderation/users/${reader.userId}/suspend`, { until: '2099-01-01T00:00:00Z', reason: 'x' }, 'moderator'],
      ['POST', `/api/moderation/users/${reader.userId}/unban`, {}, 'moderator'],
      ['GET', '/api/moderation/audit', undefined, 'admin'],
      ['PUT', `/api/users/${reader.userId}/role`, { role: 'commenter' }, 'admin'],
      ['GET', `/api/sites/${site}/policy`, undefined, 'moderator'],
      ['PUT', `/api/sites/${site}/policy`, { bannedWords: [], suspectWords: [], maxLength: 5000, maxLinks: 3, thresholds: {}, preModeration: 'none', newAccountComments: 3, reportThreshold: 3 }, 'admin'],
    ];
    for (const [method, url, body, needs] of routes) {
      const anonymous = await t().request(method, url, { body });
      assert.equal(anonymous.statusCode, 401, `anonymous ${method} ${url}`);
      const commenter = await t().request(method, url, { as: reader, body });
      assert.equal(commenter.statusCode, 403, `commenter ${method} ${url}`);
      const mod = await t().request(method, url, { as: moderator, body });
      assert.equal(mod.statusCode, needs === 'admin' ? 403 : 200, `moderator ${method} ${url}: ${mod.body}`);
    }
  });
});
