// Group commit (src/storage/group-commit.ts): writes of one event-loop turn share a transaction on SQLite; each
// caller gets its own result, and one that fails fails alone: the others are written, nothing of it is.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { GroupWriter, inGroupCommit } from '../../src/storage/group-commit.js';
import type { Database } from '../../src/storage/schema.js';
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

describe('GroupWriter', () => {
  it('makes the writes that arrive while a group is being written the next group, written after it, at most `limit` each', async () => {
    const log: string[] = [];
    let commit = () => {};
    const writer = new GroupWriter<number, number>(
      async (_db, items) => {
        log.push(`start ${items.join(',')}`);
        if (log.length === 1) await new Promise<void>((resolve) => (commit = resolve));
        log.push(`end ${items.join(',')}`);
        return items.map((item) => item * 10);
      },
      async (_db, item) => {
        log.push(`alone ${item}`);
        return item * 10;
      },
      3,
    );
    const db = {} as Kysely<Database>;
    const first = [1, 2].map((item) => writer.write(db, '', item));
    // The first group is being written (at the end of the turn it arrived in) and waits to commit.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(log, ['start 1,2']);
    const later = [3, 4, 5, 6].map((item) => writer.write(db, '', item));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(log, ['start 1,2'], 'nothing more is written while a group is');
    commit();
    assert.deepEqual(await Promise.all([...first, ...later]), [10, 20, 30, 40, 50, 60]);
    assert.deepEqual(log, ['start 1,2', 'end 1,2', 'start 3,4,5', 'end 3,4,5', 'alone 6']);
  });
});
