// SQLite keeps a transaction's statement journal in memory (`temp_store = MEMORY`, src/storage/db.ts): a group commit
// of several comments, each insert journaling the pages it changes, opens no temporary file.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { inGroupCommit } from '../../src/storage/group-commit.js';
import { insertComment } from '../../src/storage/comments.js';
import { insertSite } from '../../src/storage/sites.js';
import { insertStory } from '../../src/storage/stories.js';
import { insertUser } from '../../src/storage/users.js';
import { newTimeOrderedId } from '../../src/storage/ids.js';
import type { NewComment } from '../../src/storage/schema.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';
import { createTestDatabase } from '../helpers/databases.js';

/** The files this process has open that SQLite made as temporary files (named etilqs_…, deleted once opened). */
const openTemporaryFiles = () =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).includes('etilqs_');
    } catch {
      return false; // closed since it was listed
    }
  }).length;

describe('SQLite temporary files', { skip: !existsSync('/proc/self/fd') && 'needs /proc/self/fd' }, () => {
  it('keeps the statement journal of a group commit in memory', async () => {
    const { storage, drop } = await createTestDatabase('sqlite');
    try {
      const { db } = storage;
      const site = await insertSite(db, 'Temp files', JSON.stringify(DEFAULT_POLICY));
      const story = await insertStory(db, { site_id: site.id, url: 'https://news.example.com/temp', title: 'Temp', published_at: Date.now() });
      const author = await insertUser(db, { username: 'temp_writer', email: null, passwordHash: 'not-a-hash', role: 'commenter' });
      const comment = (n: number): NewComment => {
        const id = newTimeOrderedId();
        const body = `Comment ${n} `.padEnd(300, 'x');
        return { id, story_id: story.id, site_id: site.id, parent_id: null, root_id: id, depth: 0, author_id: author.id, body_markdown: body, body_html: `<p>${body}</p>`, status: 'published', auto_status: 'published', reasons_json: '[]', score: 0, created_at: Date.now() + n };
      };
      // Enough comments first that each insert of the group below changes pages of many index leaves and interior pages.
      for (let n = 0; n < 400; n++) await insertComment(db, comment(n));
      let seenDuringGroup = -1;
      await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          inGroupCommit(db, async (trx) => {
            await insertComment(trx, comment(1000 + i));
            // The last of the group: the group's statement journals are all written, the transaction not yet committed.
            if (i === 15) seenDuringGroup = openTemporaryFiles();
          }),
        ),
      );
      assert.equal(seenDuringGroup, 0, 'temporary files open while the group was written');
    } finally {
      await drop();
    }
  });
});
