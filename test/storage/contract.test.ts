// The storage contract, on SQLite and on PostgreSQL: what src/storage's functions promise their callers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { insertSite, updateSite } from '../../src/storage/sites.js';
import { deleteStoryAndComments, findStoryWithPolicy, insertStory } from '../../src/storage/stories.js';
import { countPublishedOnStory, insertComment, insertComments, updateComment } from '../../src/storage/comments.js';
import { newId } from '../../src/storage/ids.js';
import { findUserById, findUsersByIds, insertUser } from '../../src/storage/users.js';
import { auditedUpdate, readAudit } from '../../src/storage/audit.js';
import type { NewComment, UserRow } from '../../src/storage/schema.js';

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

    it("keeps a story's published count exact through every kind of write to its comments", async () => {
      const site = await insertSite(db(), 'Count site', '{}');
      const story = (title: string) =>
        insertStory(db(), { site_id: site.id, url: `https://news.example.com/${title}`, title, byline: null, source: null, image_url: null, image_caption: null, body: null, published_at: 1_700_000_000_000 });
      const a = await story('count-a');
      const b = await story('count-b');
      const author = await newUser('count_author');
      let at = 1_700_000_000_000;
      const comment = (storyId: string, status: NewComment['status']): NewComment => {
        const id = newId();
        return {
          id, story_id: storyId, site_id: site.id, parent_id: null, root_id: id, depth: 0, author_id: author.id,
          body_markdown: 'x', body_html: '<p>x</p>', status, auto_status: status, reasons_json: '[]', scores_json: null,
          created_at: at++, edited_at: null, deleted_at: null, spans_json: null, flagged_labels: null, max_score: null,
          moderated_by: null, moderated_at: null, moderation_reason: null, featured_at: null,
        };
      };
      // The count, and the comments counted one by one: they must agree after every step.
      const expect = async (storyId: string, n: number, step: string) => {
        const rows = await db().selectFrom('comments').select('id').where('story_id', '=', storyId).where('status', '=', 'published').where('deleted_at', 'is', null).execute();
        assert.equal(rows.length, n, `${step}: the comments themselves`);
        assert.equal(await countPublishedOnStory(db(), storyId), n, step);
      };
      await expect(a.id, 0, 'a story without comments');
      const first = comment(a.id, 'published');
      await insertComment(db(), first);
      await expect(a.id, 1, 'a published comment');
      const held = comment(a.id, 'pending');
      await insertComment(db(), held);
      await expect(a.id, 1, 'a held comment');
      await updateComment(db(), held.id, { status: 'published' });
      await expect(a.id, 2, 'a held comment published by a moderator');
      await updateComment(db(), first.id, { deleted_at: at++ });
      await expect(a.id, 1, 'a deleted comment');
      await updateComment(db(), first.id, { deleted_at: null });
      await expect(a.id, 2, 'a deletion undone');
      await updateComment(db(), held.id, { status: 'rejected' });
      await expect(a.id, 1, 'a published comment rejected');
      await updateComment(db(), first.id, { score: 3, edited_at: at++ });
      await expect(a.id, 1, 'a vote and an edit');
      const imported = [comment(b.id, 'published'), comment(b.id, 'published'), comment(b.id, 'pending')];
      await insertComments(db(), imported);
      await expect(b.id, 2, 'an imported batch');
      await db().updateTable('comments').set({ story_id: a.id }).where('id', '=', imported[0]!.id).execute();
      await expect(a.id, 2, 'a comment moved in');
      await expect(b.id, 1, 'a comment moved out');
      await db().updateTable('comments').set({ status: 'published', deleted_at: at++ }).where('id', '=', imported[2]!.id).execute();
      await expect(b.id, 1, 'published and deleted at once');
      await db().deleteFrom('comments').where('id', '=', first.id).execute();
      await expect(a.id, 1, 'a published comment erased');
      assert.equal(await deleteStoryAndComments(db(), b.id), 2);
      await expect(b.id, 0, 'a deleted story');
      await expect(a.id, 1, 'the other story, untouched');
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
  });
}
