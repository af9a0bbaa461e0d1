// Moderators at scale (issue 18, item 6): soft claims on queue items, undoing an action within its window, saved
// queue filters, the audit log by moderator and each moderator's weekly summary; and the leftovers of the desk: the
// embed's story view in its state in force, hidden stories' events kept from readers, moderators' notes archived.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { onEachDatabase } from '../helpers/suite.js';
import type { Agent, TestApp } from '../helpers/app.js';
import { keywordScorer } from '../helpers/scorers.js';

const post = (t: TestApp, as: Agent, url: string, body: unknown = {}) => t.request('POST', url, { as, body });
const auditOf = async (t: TestApp, targetId: string) =>
  (await t.db.selectFrom('audit_log').select(['action', 'actor_id']).where('target_id', '=', targetId).orderBy('created_at').orderBy('id').execute()).map(
    (r) => r.action,
  );

onEachDatabase(
  'moderators at scale',
  (t) => {
    it('claims a queue item for 90 s: others see who reviews it, on the queue and the claims list, and cannot take it over', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const first = await t().agent('moderator');
      const second = await t().agent('moderator');
      const held = await t().comment(author, storyId, 'THREATWORD held for a person');
      assert.equal(held.status, 'pending');
      const before = Date.now();
      const claimed = await t().request('PUT', `/api/moderation/comments/${held.id}/claim`, { as: first });
      assert.equal(claimed.statusCode, 200, claimed.body);
      assert.deepEqual(claimed.json().by, { id: first.userId, username: first.username });
      const until = Date.parse(claimed.json().until);
      assert.ok(until >= before + 90_000 && until <= Date.now() + 90_000);
      // The second moderator's claim leaves the first's in force, and is told whose it is.
      const other = (await t().request('PUT', `/api/moderation/comments/${held.id}/claim`, { as: second })).json();
      assert.equal(other.by.id, first.userId);
      const item = (await t().request('GET', `/api/moderation/queue?storyId=${storyId}`, { as: second })).json().items[0];
      assert.equal(item.claim.by.username, first.username);
      const listed = (await t().request('GET', '/api/moderation/claims', { as: second })).json().claims;
      assert.ok(listed.some((c: { commentId: string; by: { id: string } }) => c.commentId === held.id && c.by.id === first.userId));
      // A claim blocks nothing: the second moderator may still decide (the row lock makes one decision of two).
      // Released, it is gone; then the second moderator's claim holds.
      assert.equal((await t().request('DELETE', `/api/moderation/comments/${held.id}/claim`, { as: second })).json().released, true);
      assert.equal((await t().request('GET', `/api/moderation/queue?storyId=${storyId}`, { as: second })).json().items[0].claim.by.id, first.userId, "another's release leaves it");
      await t().request('DELETE', `/api/moderation/comments/${held.id}/claim`, { as: first });
      assert.equal((await t().request('GET', `/api/moderation/queue?storyId=${storyId}`, { as: second })).json().items[0].claim, null);
      assert.equal((await t().request('PUT', `/api/moderation/comments/${held.id}/claim`, { as: second })).json().by.id, second.userId);
      // An expired claim is nobody's: the first moderator takes it over.
      await t().db.updateTable('queue_claims').set({ expires_at: Date.now() - 1 }).where('comment_id', '=', held.id).execute();
      assert.equal((await t().request('GET', `/api/moderation/queue?storyId=${storyId}`, { as: first })).json().items[0].claim, null);
      assert.equal((await t().request('PUT', `/api/moderation/comments/${held.id}/claim`, { as: first })).json().by.id, first.userId);
      // Readers cannot claim; a comment that is not there is a 404.
      assert.equal((await t().request('PUT', `/api/moderation/comments/${held.id}/claim`, { as: author })).statusCode, 403);
      assert.equal((await t().request('PUT', '/api/moderation/comments/nosuchcomment/claim', { as: first })).statusCode, 404);
    });

    it('undoes a rejection within the window: the comment is held again, with one undo entry and a thread event', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const moderator = await t().agent('moderator');
      const held = await t().comment(author, storyId, 'THREATWORD to be rejected and undone');
      const rejected = await post(t(), moderator, `/api/moderation/comments/${held.id}/reject`, { reason: 'Off topic' });
      assert.equal(rejected.statusCode, 200);
      const { undo } = rejected.json();
      assert.ok(undo.actionId && Date.parse(undo.until) > Date.now());
      // Only the moderator who acted may undo.
      const someoneElse = await t().agent('moderator');
      assert.equal((await post(t(), someoneElse, `/api/moderation/actions/${undo.actionId}/undo`)).statusCode, 403);
      const undone = await post(t(), moderator, `/api/moderation/actions/${undo.actionId}/undo`);
      assert.equal(undone.statusCode, 200, undone.body);
      assert.deepEqual(undone.json(), { undid: 'comment.reject', comment: { id: held.id, status: 'pending', featured: false, moderationReason: null } });
      const row = await t().db.selectFrom('comments').selectAll().where('id', '=', held.id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'pending');
      assert.equal(row.moderated_by, null);
      assert.deepEqual(await auditOf(t(), held.id), ['comment.reject', 'comment.undo']);
      const entry = await t().db.selectFrom('audit_log').selectAll().where('target_id', '=', held.id).where('action', '=', 'comment.undo').executeTakeFirstOrThrow();
      assert.equal(entry.reason, 'Undid comment.reject');
      assert.equal(JSON.parse(entry.before_json!).status, 'rejected');
      assert.equal(JSON.parse(entry.after_json!).status, 'pending');
      const events = await t().db.selectFrom('thread_events').select('type').where('comment_id', '=', held.id).where('type', '=', 'comment.moderated').execute();
      assert.equal(events.length, 2, 'the reject and its undo each raised an event');
      // It is in the pending queue again; a second undo is refused: something (the undo) happened since.
      const pending = (await t().request('GET', `/api/moderation/queue?storyId=${storyId}`, { as: moderator })).json();
      assert.deepEqual(pending.items.map((i: { comment: { id: string } }) => i.comment.id), [held.id]);
      const again = await post(t(), moderator, `/api/moderation/actions/${undo.actionId}/undo`);
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, 'changed_since');
    });

    it('undoes an approval of a reported comment (its reports come back) and refuses once another moderator acted', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const moderator = await t().agent('moderator');
      const other = await t().agent('moderator');
      const published = await t().comment(author, storyId, 'A published remark a reader reports');
      await post(t(), await t().agent(), `/api/comments/${published.id}/reports`, { reason: 'threat' });
      const approved = (await post(t(), moderator, `/api/moderation/comments/${published.id}/approve`)).json();
      let row = await t().db.selectFrom('comments').selectAll().where('id', '=', published.id).executeTakeFirstOrThrow();
      assert.equal(row.open_reports, 0);
      assert.equal((await post(t(), moderator, `/api/moderation/actions/${approved.undo.actionId}/undo`)).statusCode, 200);
      row = await t().db.selectFrom('comments').selectAll().where('id', '=', published.id).executeTakeFirstOrThrow();
      assert.deepEqual([row.status, row.open_reports, row.threat_reports, row.moderated_by], ['published', 1, 1, null]);
      const reported = (await t().request('GET', `/api/moderation/queue?queue=reported&storyId=${storyId}`, { as: moderator })).json();
      assert.deepEqual(reported.items.map((i: { comment: { id: string } }) => i.comment.id), [published.id], 'back in the reported queue');
      // Approved again, then rejected by another moderator: the approval can no longer be undone.
      const second = (await post(t(), moderator, `/api/moderation/comments/${published.id}/approve`)).json();
      assert.equal((await post(t(), other, `/api/moderation/comments/${published.id}/reject`, { reason: 'A threat after all' })).statusCode, 200);
      const late = await post(t(), moderator, `/api/moderation/actions/${second.undo.actionId}/undo`);
      assert.equal(late.statusCode, 409);
      assert.equal(late.json().error.code, 'changed_since');
      assert.equal((await t().db.selectFrom('comments').select('status').where('id', '=', published.id).executeTakeFirstOrThrow()).status, 'rejected');
    });

    it('undoes a ban; actions that are not undoable, and unknown ones, are refused', async () => {
      const admin = await t().agent('admin');
      const reader = await t().agent();
      const banned = (await post(t(), admin, `/api/moderation/users/${reader.userId}/ban`, { reason: 'Spam' })).json();
      assert.equal(banned.status, 'banned');
      const undone = await post(t(), admin, `/api/moderation/actions/${banned.undo.actionId}/undo`);
      assert.equal(undone.statusCode, 200, undone.body);
      assert.deepEqual(undone.json(), { undid: 'user.ban', user: { id: reader.userId, status: 'active', suspendedUntil: null, reason: null } });
      assert.deepEqual(await auditOf(t(), reader.userId), ['user.ban', 'user.undo']);
      const storyId = await t().story();
      assert.equal((await t().request('POST', `/api/stories/${storyId}/comments`, { as: reader, body: { body: 'I may write again' } })).statusCode, 201);
      // A note is not an undoable action; an id that is no action is a 404.
      const note = (await post(t(), admin, `/api/people/${reader.userId}/notes`, { body: 'Watch this one' })).json();
      const noteEntry = await t().db.selectFrom('audit_log').select('id').where('action', '=', 'user.note').where('target_id', '=', reader.userId).executeTakeFirstOrThrow();
      assert.ok(note);
      const refused = await post(t(), admin, `/api/moderation/actions/${noteEntry.id}/undo`);
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.json().error.code, 'not_undoable');
      assert.equal((await post(t(), admin, '/api/moderation/actions/nosuchaction/undo')).statusCode, 404);
    });

    it('saves queue filters by name, per moderator and site: list, replace, delete', async () => {
      const moderator = await t().agent('moderator');
      const other = await t().agent('moderator');
      const siteId = t().siteId;
      const save = (as: Agent, body: unknown) => post(t(), as, '/api/moderation/filters', body);
      const threats = await save(moderator, { name: 'Threats first', siteId, filter: { queue: 'reported', label: 'threat', sort: 'severity' } });
      assert.equal(threats.statusCode, 200, threats.body);
      assert.deepEqual(threats.json().filter, { queue: 'reported', label: 'threat', sort: 'severity' });
      await save(moderator, { name: 'Everything', filter: { queue: 'all' } });
      // The same name again replaces the filter.
      const replaced = (await save(moderator, { name: 'Threats first', siteId, filter: { queue: 'pending', label: 'threat' } })).json();
      assert.equal(replaced.id, threats.json().id);
      const list = (await t().request('GET', `/api/moderation/filters?siteId=${siteId}`, { as: moderator })).json().filters;
      assert.deepEqual(list.map((f: { name: string; siteId: string; filter: unknown }) => [f.name, f.siteId, f.filter]), [['Threats first', siteId, { queue: 'pending', label: 'threat' }]]);
      const everySite = (await t().request('GET', '/api/moderation/filters', { as: moderator })).json().filters;
      assert.deepEqual(everySite.map((f: { name: string }) => f.name), ['Everything']);
      assert.deepEqual((await t().request('GET', `/api/moderation/filters?siteId=${siteId}`, { as: other })).json().filters, [], 'filters are per moderator');
      // Bad input is a 400 with a message; another moderator cannot delete it.
      assert.equal((await save(moderator, { name: '  ', filter: {} })).statusCode, 400);
      assert.equal((await save(moderator, { name: 'x', filter: { queue: 'nonsense' } })).statusCode, 400);
      assert.equal((await t().request('DELETE', `/api/moderation/filters/${replaced.id}`, { as: other })).statusCode, 404);
      assert.equal((await t().request('DELETE', `/api/moderation/filters/${replaced.id}`, { as: moderator })).statusCode, 204);
      assert.deepEqual((await t().request('GET', `/api/moderation/filters?siteId=${siteId}`, { as: moderator })).json().filters, []);
    });

    it("filters the audit log by moderator and sums up each moderator's week", async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const admin = await t().agent('admin');
      const busy = await t().agent('moderator');
      const quiet = await t().agent('moderator');
      const comments = [];
      for (let i = 0; i < 3; i++) comments.push(await t().comment(author, storyId, `THREATWORD number ${i}`));
      await post(t(), busy, `/api/moderation/comments/${comments[0]!.id}/approve`);
      await post(t(), busy, `/api/moderation/comments/${comments[1]!.id}/reject`, { reason: 'No' });
      await post(t(), quiet, `/api/moderation/comments/${comments[2]!.id}/approve`);
      const mine = (await t().request('GET', `/api/moderation/audit?actorId=${busy.userId}`, { as: admin })).json();
      assert.deepEqual(mine.entries.map((e: { action: string; actor: { id: string } }) => [e.action, e.actor.id]), [
        ['comment.reject', busy.userId],
        ['comment.approve', busy.userId],
      ]);
      const summary = await t().request('GET', '/api/moderation/summary', { as: admin });
      assert.equal(summary.statusCode, 200, summary.body);
      const byId = new Map(summary.json().moderators.map((m: { id: string }) => [m.id, m]));
      const b = byId.get(busy.userId) as { total: number; actions: Record<string, number>; decisions: number; medianDecisionSeconds: number };
      assert.deepEqual([b.total, b.actions, b.decisions], [2, { 'comment.approve': 1, 'comment.reject': 1 }, 2]);
      assert.ok(b.medianDecisionSeconds >= 0 && b.medianDecisionSeconds < 600);
      assert.deepEqual((byId.get(quiet.userId) as { actions: unknown }).actions, { 'comment.approve': 1 });
      assert.ok(!byId.has(author.userId), 'readers are not moderators');
      assert.ok(Date.parse(summary.json().since) <= Date.now() - 7 * 86_400_000 + 60_000);
      assert.equal((await t().request('GET', '/api/moderation/summary', { as: busy })).statusCode, 403, 'admins only, like the audit log');
    });
  },
  { scorer: keywordScorer },
);

onEachDatabase(
  'undo after its window',
  (t) => {
    it('answers 409 undo_expired once the window has passed, and changes nothing', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const moderator = await t().agent('moderator');
      const held = await t().comment(author, storyId, 'THREATWORD approved for good');
      const approved = (await post(t(), moderator, `/api/moderation/comments/${held.id}/approve`)).json();
      const late = await post(t(), moderator, `/api/moderation/actions/${approved.undo.actionId}/undo`);
      assert.equal(late.statusCode, 409);
      assert.equal(late.json().error.code, 'undo_expired');
      assert.match(late.json().error.message, /take a new action/);
      assert.equal((await t().db.selectFrom('comments').select('status').where('id', '=', held.id).executeTakeFirstOrThrow()).status, 'published');
      assert.deepEqual(await auditOf(t(), held.id), ['comment.approve']);
    });
  },
  // No time at all to undo: every undo comes too late, without waiting in the test.
  { scorer: keywordScorer, config: (c) => ({ ...c, core: { ...c.core, undoWindowMs: 0 } }) },
);
