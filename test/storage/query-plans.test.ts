// Plans that migration 0023 (fewer indexes on comments) must keep on SQLite, whose planner has no statistics here:
// a person's standing is read through their own comments (comments_author_time), not through every comment of the
// site since a time, the first ban in force on a value is read in index order, without a sort, and the banned accounts
// seen at an address from the banned sightings' own index (migration 0025), not through every account seen there. On PostgreSQL, a
// thread page's statement is planned once per connection (a generic plan), not anew on every read.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import { openStorage } from '../../src/storage/db.js';
import { recentStatusCounts } from '../../src/storage/people.js';
import { commentEvasionFacts } from '../../src/storage/ban-evasion.js';
import { readThreadPage } from '../../src/storage/comments.js';
import { insertSite } from '../../src/storage/sites.js';
import { insertStory } from '../../src/storage/stories.js';
import { insertUser } from '../../src/storage/users.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';
import { createTestDatabase } from '../helpers/databases.js';

describe('query plans [sqlite]', () => {
  it('reads a standing by author and the evasion facts without sorting, the banned sightings apart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-plans-'));
    const statements: string[] = [];
    const storage = await openStorage({ location: join(dir, 'parley.sqlite'), onQuery: (sql) => statements.push(sql) });
    try {
      // The plan of the statement that `read` runs (its parameters bound as nulls: the plan does not depend on them).
      const planOf = async (read: () => Promise<unknown>) => {
        statements.length = 0;
        await read();
        const [text] = statements.filter((s) => /^select/i.test(s));
        assert.ok(text, 'the read ran a select');
        const parameters = Array.from(text.matchAll(/\?/g), () => null);
        const { rows } = await storage.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${text}`, parameters));
        return rows.map((row) => row.detail).join('\n');
      };
      const standing = await planOf(() => recentStatusCounts(storage.db, 'author', 'site', 0));
      assert.match(standing, /USING INDEX comments_author_time \(author_id=\? AND created_at>\?\)/);
      const evasion = await planOf(() => commentEvasionFacts(storage.db, { userId: 'u', addressHash: 'h', domain: 'example.com', seenSince: 0, now: 1 }));
      assert.match(evasion, /identity_bans_value \(kind=\? AND value=\?\)/);
      // The banned accounts seen at the address are read from their own index, newest first: not every account seen
      // there, and no sort.
      assert.match(evasion, /network_addresses_banned \(address_hash=\? AND last_seen_at>\?\)/);
      assert.doesNotMatch(evasion, /USE TEMP B-TREE/);
    } finally {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('query plans [postgres]', () => {
  it('plans a thread page once per connection, not on every read', async () => {
    const { location, drop } = await createTestDatabase('postgres');
    // One connection, so that the reads and the look at its prepared statements share it.
    const single = await openStorage({ location, poolSize: 1 });
    try {
      const site = await insertSite(single.db, 'Plans', JSON.stringify(DEFAULT_POLICY));
      const story = await insertStory(single.db, { site_id: site.id, url: 'https://news.example.com/plans', title: 'Plans', published_at: 0 });
      const author = await insertUser(single.db, { username: 'planner', email: null, passwordHash: 'x', role: 'commenter' });
      // 2,000 top-level comments with two replies each: enough rows for the planner's estimates to matter.
      await sql`
        INSERT INTO comments (id, story_id, parent_id, root_id, depth, author_id, body_markdown, body_html, status, reasons_json, created_at)
        SELECT 'r' || n, ${story.id}, NULL, 'r' || n, 0, ${author.id}, 'a', '<p>a</p>', 'published', '[]', n * 10 FROM generate_series(1, 2000) AS n
        UNION ALL
        SELECT 'p' || n || '_' || k, ${story.id}, 'r' || n, 'r' || n, 1, ${author.id}, 'b', '<p>b</p>', 'published', '[]', n * 10 + k
        FROM generate_series(1, 2000) AS n CROSS JOIN generate_series(1, 2) AS k`.execute(single.db);
      await sql`ANALYZE comments`.execute(single.db);
      for (let i = 0; i < 10; i++) {
        const page = await readThreadPage(single.db, { storyId: story.id, sort: 'oldest', limit: 10, cursor: null, viewerId: null, replyLimit: 3, withStory: true });
        assert.equal(page.roots.length, 10);
        assert.equal(page.replies.get('r1')?.length, 2);
      }
      const { rows } = await sql<{ generic_plans: string; custom_plans: string }>`
        SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%CROSS JOIN LATERAL%' AND statement NOT LIKE '%pg_prepared_statements%'`.execute(single.db);
      assert.equal(rows.length, 1, 'the page was read through one prepared statement');
      // PostgreSQL plans a statement's first five runs for their parameters; after that it should reuse a plan.
      assert.ok(Number(rows[0]!.generic_plans) >= 4, `generic plans ${rows[0]!.generic_plans}, custom plans ${rows[0]!.custom_plans}`);
    } finally {
      await single.close();
      await drop();
    }
  });
});
