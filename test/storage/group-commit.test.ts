// Group commit (src/storage/group-commit.ts): writes of one event-loop turn share a transaction on SQLite; each
// caller gets its own result, and one that fails fails alone: the others are written, nothing of it is.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inGroupCommit } from '../../src/storage/group-commit.js';
import { findSite, insertSite } from '../../src/storage/sites.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';
import { DIALECTS, createTestDatabase } from '../helpers/databases.js';

for (const dialect of DIALECTS) {
  describe(`group commit [${dialect}]`, () => {
    it('gives each write of one turn its own result, and rolls back only the one that fails', async () => {
      const { storage, drop } = await createTestDatabase(dialect);
      try {
        const policy = JSON.stringify(DEFAULT_POLICY);
        let failedSiteId = '';
        // Started in the same turn: on SQLite one group.
        const writes = [
          inGroupCommit(storage.db, async (trx) => (await insertSite(trx, 'First', policy)).id),
          inGroupCommit(storage.db, async (trx) => {
            failedSiteId = (await insertSite(trx, 'Failing', policy)).id;
            throw new Error('refused');
          }),
          inGroupCommit(storage.db, async (trx) => (await insertSite(trx, 'Third', policy)).id),
        ];
        const [first, failing, third] = await Promise.allSettled(writes);
        assert.equal(failing!.status, 'rejected');
        assert.equal((failing as PromiseRejectedResult).reason.message, 'refused');
        assert.equal(first!.status, 'fulfilled');
        assert.equal(third!.status, 'fulfilled');
        const firstId = (first as PromiseFulfilledResult<string>).value;
        const thirdId = (third as PromiseFulfilledResult<string>).value;
        assert.notEqual(firstId, thirdId);
        assert.equal((await findSite(storage.db, firstId))?.name, 'First');
        assert.equal((await findSite(storage.db, thirdId))?.name, 'Third');
        assert.ok(failedSiteId, 'the failing write ran');
        assert.equal(await findSite(storage.db, failedSiteId), undefined, 'nothing of the failing write stays');
      } finally {
        await drop();
      }
    });
  });
}
