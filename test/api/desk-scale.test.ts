// Moderators at scale (issue 18, item 6): soft claims on queue items, undoing an action within its window, saved
// queue filters, the audit log by moderator and each moderator's weekly summary; and the leftovers of the desk: the
// embed's story view in its state in force, hidden stories' events kept from readers, moderators' notes archived.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { onEachDatabase } from '../helpers/suite.js';
import type { Agent, TestApp } from '../helpers/app.js';
import { keywordScorer } from '../helpers/scorers.js';
import { DIALECTS } from '../helpers/databases.js';
import { startLiveServer, type LiveServer } from '../helpers/browser.js';
import { SseClient } from '../helpers/sse.js';

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

    it('gives each comment of a bulk action its own undo', async () => {
      const storyId = await t().story();
      const author = await t().agent();
      const moderator = await t().agent('moderator');
      const held = [await t().comment(author, storyId, 'THREATWORD bulk one'), await t().comment(author, storyId, 'THREATWORD bulk two')];
      const { results } = (await post(t(), moderator, '/api/moderation/comments/bulk', { action: 'reject', ids: held.map((c) => c.id), reason: 'Threats' })).json();
      assert.equal(results.length, 2);
      for (const r of results) assert.equal((await post(t(), moderator, `/api/moderation/actions/${r.undo.actionId}/undo`)).json().comment.status, 'pending');
      const rows = await t().db.selectFrom('comments').select('status').where('id', 'in', held.map((c) => c.id)).execute();
      assert.deepEqual(rows.map((r) => r.status), ['pending', 'pending']);
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

    it("the embed's story view is the state in force: past its auto-close date it reads closed; a hidden story is not embedded", async () => {
      const admin = await t().agent('admin');
      await t().request('PUT', `/api/sites/${t().siteId}/origins`, { as: admin, body: { origins: ['https://news.example.com'] } });
      const ask = () =>
        t().app.inject({
          method: 'GET',
          url: `/api/embed/story?${new URLSearchParams({ siteId: t().siteId, url: 'https://news.example.com/old-news', title: 'Old news' })}`,
          headers: { origin: 'https://news.example.com' },
        });
      const first = (await ask()).json();
      assert.equal(first.story.state, 'open');
      const storyId = first.story.id;
      const patched = await t().request('PATCH', `/api/stories/${storyId}`, { as: admin, body: { publishedAt: new Date(Date.now() - 10 * 86_400_000).toISOString() } });
      assert.equal(patched.statusCode, 200, patched.body);
      const later = (await ask()).json();
      assert.deepEqual([later.story.state, later.story.closedMessage], ['closed', 'Comments on this story closed 3 days after it was published.']);
      await t().request('PATCH', `/api/stories/${storyId}`, { as: admin, body: { state: 'hidden' } });
      assert.equal((await ask()).statusCode, 404);
    });

    it("archives the notes the site's staff wrote on people, with the people they are about", async () => {
      const admin = await t().agent('admin');
      const moderator = await t().agent('moderator');
      await t().db.updateTable('users').set({ site_id: t().siteId }).where('id', '=', moderator.userId).execute();
      const stranger = await t().agent();
      assert.equal((await post(t(), moderator, `/api/people/${stranger.userId}/notes`, { body: 'Asked about moderation by mail' })).statusCode, 201);
      const archive = await t().request('GET', `/api/sites/${t().siteId}/export`, { as: admin });
      assert.equal(archive.statusCode, 200);
      const lines = archive.body.trim().split('\n').map((line) => JSON.parse(line) as { table?: string; row?: Record<string, unknown> });
      const notes = lines.filter((l) => l.table === 'user_notes');
      assert.deepEqual(notes.map((n) => [n.row!.user_id, n.row!.body]), [[stranger.userId, 'Asked about moderation by mail']]);
      const users = new Set(lines.filter((l) => l.table === 'users').map((l) => l.row!.id));
      assert.ok(users.has(stranger.userId) && users.has(moderator.userId), 'the note points at people in the archive');
    });
  },
  { scorer: keywordScorer, policy: { autoCloseDays: 3 } },
);

for (const dialect of DIALECTS) {
  describe(`live desk streams [${dialect}]`, () => {
    let server: LiveServer;
    const open: SseClient[] = [];
    before(async () => {
      server = await startLiveServer(dialect, { scorer: keywordScorer, config: (c) => ({ ...c, eventPollMs: 100 }) });
    });
    after(async () => {
      for (const client of open) client.close();
      await server?.t.close();
    });
    const follow = async (storyId: string, as: Agent | null) => {
      const client = await SseClient.open(`${server.baseUrl}/api/events?stories=${storyId}`, as ? { cookie: as.cookie } : {});
      open.push(client);
      return client;
    };

    it('sends readers nothing of a story while it is hidden; its staff still follow it', async () => {
      const { t } = server;
      const storyId = await t.story();
      const author = await t.agent();
      const moderator = await t.agent('moderator');
      const held = await t.comment(author, storyId, 'THREATWORD waits while the story is hidden');
      const reader = await follow(storyId, null);
      const staff = await follow(storyId, moderator);
      await t.request('PATCH', `/api/stories/${storyId}`, { as: moderator, body: { state: 'hidden' } });
      await post(t, moderator, `/api/moderation/comments/${held.id}/approve`);
      assert.deepEqual((await staff.waitFor(1)).map((e) => [e.type, e.commentId]), [['comment.moderated', held.id]]);
      await t.request('PATCH', `/api/stories/${storyId}`, { as: moderator, body: { state: 'open' } });
      const shown = await t.comment(author, storyId, 'Written once the story is shown again');
      // The reader's first event is the one after the story came back: the approval while hidden never reached them.
      assert.deepEqual((await reader.waitFor(1)).map((e) => [e.type, e.commentId]), [['comment.created', shown.id]]);
    });

    it("streams moderators' claims to the other consoles as they change", async () => {
      const { t } = server;
      const storyId = await t.story();
      const author = await t.agent();
      const first = await t.agent('moderator');
      const second = await t.agent('moderator');
      const held = await t.comment(author, storyId, 'THREATWORD reviewed by the first moderator');
      const seen: Array<{ claims: Array<{ commentId: string; by: { username: string } }> }> = [];
      const claimed = new Promise<void>((resolve, reject) => {
        const req = http.get(`${server.baseUrl}/api/moderation/events`, { headers: { cookie: second.cookie } }, (res) => {
          let buffer = '';
          res.on('data', (chunk: Buffer) => {
            buffer += chunk.toString();
            let end;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const data = /^event: claims\ndata: (.*)$/m.exec(buffer.slice(0, end))?.[1];
              buffer = buffer.slice(end + 2);
              if (!data) continue;
              seen.push(JSON.parse(data));
              // The first "claims" event is the state on connect: the claim is made after it.
              if (seen.length === 1) void t.request('PUT', `/api/moderation/comments/${held.id}/claim`, { as: first });
              if (seen.at(-1)!.claims.some((c) => c.commentId === held.id)) {
                req.destroy();
                resolve();
              }
            }
          });
        });
        req.on('error', (error) => (error.message === 'socket hang up' ? undefined : reject(error)));
        setTimeout(() => {
          req.destroy();
          reject(new Error(`no claims event; saw ${JSON.stringify(seen)}`));
        }, 8000);
      });
      await claimed;
      assert.equal(seen.at(-1)!.claims.find((c) => c.commentId === held.id)!.by.username, first.username);
    });
  });
}

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
