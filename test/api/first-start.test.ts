import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../helpers/databases.js';
import { createContext } from '../../src/server/context.js';
import { firstStart } from '../../src/core/demo.js';
import { loadClassifier } from '../../src/engine/index.js';
import { testConfig } from '../helpers/app.js';

for (const dialect of ['sqlite', 'postgres'] as const) {
  it(`sets up an empty database once: site, admin, demo story and discussion [${dialect}]`, async () => {
    const database = await createTestDatabase(dialect);
    try {
      const context = createContext(database.storage, testConfig(), loadClassifier());
      const created = await firstStart(database.storage, context.comments);
      assert.ok(created);
      assert.ok(created.admin.password.length >= 16);
      const { user } = await context.accounts.logIn(created.admin.username, created.admin.password, 60_000);
      assert.equal(user.role, 'admin');
      const thread = await context.comments.thread(created.storyId, null, { sort: 'oldest', limit: 20, cursor: null });
      assert.equal(thread.comments.length, 2);
      assert.equal(thread.comments.flatMap((c) => [c, ...c.replies]).length, 4, 'the shipped classifier publishes every demo comment');
      assert.equal(await firstStart(database.storage, context.comments), null, 'a second start changes nothing');
    } finally {
      await database.drop();
    }
  });
}
