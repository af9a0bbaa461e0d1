// The storage contract, on SQLite and on PostgreSQL: what src/storage's functions promise their callers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { insertSite, updateSite } from '../../src/storage/sites.js';
import { findStoryWithPolicy, insertStory } from '../../src/storage/stories.js';
import { findUserById, findUsersByIds, insertUser } from '../../src/storage/users.js';
import { auditedUpdate, readAudit } from '../../src/storage/audit.js';
import type { UserRow } from '../../src/storage/schema.js';

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
  });
}
