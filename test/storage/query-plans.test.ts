// Plans that migration 0023 (fewer indexes on comments) must keep on SQLite, whose planner has no statistics here:
// a person's standing is read through their own comments (comments_author_time), not through every comment of the
// site since a time, and the first ban in force on a value is read in index order, without a sort.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery } from 'kysely';
import { openStorage } from '../../src/storage/db.js';
import { recentStatusCounts } from '../../src/storage/people.js';
import { commentEvasionFacts } from '../../src/storage/ban-evasion.js';

describe('query plans [sqlite]', () => {
  it('reads a standing by author and the evasion facts without sorting bans', async () => {
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
      // The only sort left is the banned account seen at the address (the newest sighting), not a ban's.
      assert.equal(evasion.match(/USE TEMP B-TREE FOR ORDER BY/g)?.length, 1, evasion);
    } finally {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
