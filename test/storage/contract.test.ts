// The storage contract, on SQLite and on PostgreSQL: what src/storage's functions promise their callers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { insertSite, updateSite } from '../../src/storage/sites.js';
import { findStoryWithPolicy, insertStory } from '../../src/storage/stories.js';
import { findUserById, findUsersByIds, insertUser } from '../../src/storage/users.js';
import { auditedUpdate, readAudit } from '../../src/storage/audit.js';
import { findComment, insertCommentWithEvent } from '../../src/storage/comments.js';
import { latestThreadEventId, readThreadEventsAfter } from '../../src/storage/events.js';
import { findDelivery, outboxRow } from '../../src/storage/outbox.js';
import { newId } from '../../src/storage/ids.js';
import type { NewComment, NewThreadEvent, UserRow } from '../../src/storage/schema.js';

for (const dialect of DIALECTS) {
  describe(`storage contract [${dialect}]`, () => {
    let database: TestDatabase;
    const db = () => database.storage.db;
    before(async () => {
      database = await createTestDatabase(dialect);
    });
    after(async () => {
      await database?.drop();
    });

    const newUser = (username: string) =>
      insertUser(db(), { username, email: null, passwordHash: 'x', role: 'commenter' });

    it('reads a story with its site policy in one call, and nothing for an unknown id', async () => {
      const site = await insertSite(db(), 'Contract site', '{"maxLinks":3}');
      const story = await insertStory(db(), {
        site_id: site.id,
        url: 'https://news.example.com/contract',
        title: 'Contract',
        byline: null,
        source: null,
        image_url: null,
        image_caption: null,
        body: null,
        published_at: 1_700_000_000_000,
      });
      const found = await findStoryWithPolicy(db(), story.id);
      assert.deepEqual(found, { ...story, site_policy_json: '{"maxLinks":3}', site_model_version: null });
      // With the site switched to its own model, the model's version comes with the policy.
      await updateSite(db(), site.id, { model_version: 'parley-site-0123abcd' });
      assert.equal((await findStoryWithPolicy(db(), story.id))?.site_model_version, 'parley-site-0123abcd');
      assert.equal(await findStoryWithPolicy(db(), 'nosuchstory'), undefined);
    });

    it('finds users by ids, and none for an empty list', async () => {
      const a = await newUser('contract_a');
      const b = await newUser('contract_b');
      const found = await findUsersByIds(db(), [a.id, b.id, 'missing']);
      assert.deepEqual(found.map((u) => u.id).sort(), [a.id, b.id].sort());
      assert.deepEqual(await findUsersByIds(db(), []), []);
    });

    it('writes an audited change and its entry together, or neither', async () => {
      const user = await newUser('contract_target');
      const changed = await auditedUpdate(db(), 'user', user.id, (row, now) => ({
        changes: { sanction_reason: 'spam', banned_at: now },
        audit: { site_id: null, actor_id: user.id, action: 'user.ban', reason: 'spam', before_json: null, after_json: null },
      }));
      assert.equal(changed?.sanction_reason, 'spam');
      assert.equal((await findUserById(db(), user.id))?.sanction_reason, 'spam');
      const { entries } = await readAudit(db(), null, null, 10);
      const entry = entries.find((e) => e.target_id === user.id)!;
      assert.equal(entry.action, 'user.ban');
      assert.equal(entry.target_type, 'user');
      assert.equal(entry.created_at, changed?.banned_at);

      await assert.rejects(
        auditedUpdate(db(), 'user', user.id, (): { changes: Partial<UserRow>; audit: never } => {
          throw new Error('refused');
        }),
        /refused/,
      );
      const after = await readAudit(db(), null, null, 10);
      assert.equal(after.entries.filter((e) => e.target_id === user.id).length, 1, 'a refused change writes no entry');

      assert.equal(
        await auditedUpdate(db(), 'user', 'nosuchuser', () => {
          throw new Error('not called');
        }),
        undefined,
      );
    });

    it('writes a new comment, its deliveries and its event together, or none of them', async () => {
      const author = await newUser('contract_poster');
      const site = await insertSite(db(), 'Posting site', '{}');
      const story = await insertStory(db(), { site_id: site.id, url: 'https://news.example.com/posting', title: 'Posting', published_at: 1_700_000_000_000 });
      const newComment = (id: string, parent?: NewComment): NewComment => ({
        id,
        story_id: story.id,
        site_id: site.id,
        parent_id: parent?.id ?? null,
        root_id: parent?.root_id ?? id,
        depth: parent ? 1 : 0,
        author_id: author.id,
        body_markdown: `comment ${id}`,
        body_html: `<p>comment ${id}</p>`,
        status: 'published',
        auto_status: 'published',
        reasons_json: '[]',
        scores_json: null,
        created_at: 1_700_000_000_000,
        edited_at: null,
        deleted_at: null,
      });
      const eventOf = (comment: NewComment): NewThreadEvent => ({
        story_id: story.id,
        site_id: site.id,
        comment_id: comment.id,
        parent_id: comment.parent_id,
        author_id: author.id,
        type: 'comment.created',
        status: 'published',
        was_public: 0,
        payload_json: JSON.stringify({ id: comment.id }),
        created_at: comment.created_at,
      });
      const delivery = (target: string) =>
        outboxRow({ kind: 'webhook', site_id: site.id, topic: 'comment.created', target, event_id: 'contract-event', payload_json: '{}' }, 1_700_000_000_000);

      // None, one and two deliveries (a statement of its own for each number on PostgreSQL), twice each (built, then reused).
      const written: NewComment[] = [];
      for (const count of [0, 1, 2, 0, 1, 2]) {
        const comment = newComment(newId(), written[0]);
        const rows = Array.from({ length: count }, (_, i) => delivery(`hook-${i}`));
        const before = await latestThreadEventId(db());
        const eventId = await insertCommentWithEvent(db(), comment, rows, eventOf(comment));
        assert.ok(eventId > before, 'a new event id, after those before it');
        assert.equal(await latestThreadEventId(db()), eventId);
        const [event] = await readThreadEventsAfter(db(), before, 10);
        assert.equal(event?.comment_id, comment.id);
        assert.equal(event?.payload_json, JSON.stringify({ id: comment.id }));
        const stored = await findComment(db(), comment.id);
        assert.equal(stored?.body_markdown, comment.body_markdown);
        assert.equal(stored?.parent_id, comment.parent_id);
        for (const row of rows) {
          const found = await findDelivery(db(), row.id);
          assert.equal(found?.status, 'pending');
          assert.equal(found?.attempts, 0);
          assert.equal(found?.target, row.target);
        }
        written.push(comment);
      }

      // A write that fails (a comment id taken already) writes none of it: no deliveries, no event.
      const again = { ...newComment(written[1]!.id), body_markdown: 'again' };
      const refused = [delivery('hook-refused')];
      const before = await latestThreadEventId(db());
      await assert.rejects(insertCommentWithEvent(db(), again, refused, eventOf(again)));
      assert.equal(await findDelivery(db(), refused[0]!.id), undefined);
      assert.deepEqual(await readThreadEventsAfter(db(), before, 10), []);
      assert.equal((await findComment(db(), again.id))?.body_markdown, written[1]!.body_markdown);
      // So does one whose parent does not exist.
      const orphan = newComment(newId(), { ...written[0]!, id: 'nosuchcomment' });
      const orphaned = [delivery('hook-orphan')];
      await assert.rejects(insertCommentWithEvent(db(), orphan, orphaned, eventOf(orphan)));
      assert.equal(await findComment(db(), orphan.id), undefined);
      assert.equal(await findDelivery(db(), orphaned[0]!.id), undefined);
      assert.deepEqual(await readThreadEventsAfter(db(), before, 10), []);
    });
  });
}
