// The outbox's claims, on SQLite and PostgreSQL: a claim is a lease that no other dispatcher can take until it ends,
// several dispatchers claiming at once share the rows without overlap (PostgreSQL: FOR UPDATE SKIP LOCKED), and a
// row whose dispatcher died falls due again. And the back-off between attempts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { claimDueDeliveries, deleteFinishedDeliveries, enqueueDeliveries, markAttemptFailed, markDelivered, outboxBacklog, outboxRow } from '../../src/storage/outbox.js';
import { retryAt } from '../../src/delivery/dispatcher.js';

it('waits twice as long before each retry, and gives up after the last attempt', () => {
  const options = { retryBaseMs: 1000, maxAttempts: 4 };
  assert.deepEqual([1, 2, 3].map((attempts) => retryAt(attempts, 0, options)), [1000, 2000, 4000]);
  assert.equal(retryAt(4, 0, options), null);
  assert.equal(retryAt(30, 0, { retryBaseMs: 1000, maxAttempts: 100 }), 6 * 3600_000, 'capped at six hours');
});

for (const dialect of DIALECTS) {
  describe(`outbox [${dialect}]`, () => {
    let database: TestDatabase;
    const db = () => database.storage.db;
    before(async () => {
      database = await createTestDatabase(dialect);
    });
    after(() => database?.drop());

    const mails = (n: number, now: number) =>
      Array.from({ length: n }, (_, i) => outboxRow({ kind: 'mail', site_id: null, topic: 'reply', target: `r${i}@example.com`, event_id: `e${i}`, payload_json: '{}' }, now));

    it('lets dispatchers claiming at once share the due rows, each row to one of them', async () => {
      const now = Date.now();
      await enqueueDeliveries(db(), mails(40, now));
      const claims = await Promise.all([1, 2, 3, 4].map(() => claimDueDeliveries(db(), ['mail'], now, 15, 60_000)));
      const ids = claims.flat().map((row) => row.id);
      assert.equal(new Set(ids).size, ids.length, 'no row claimed twice');
      assert.equal(ids.length, 40);
      assert.ok(claims.flat().every((row) => row.attempts === 1));
      // Leased: nobody takes them again before the lease ends.
      assert.equal((await claimDueDeliveries(db(), ['mail'], now + 59_000, 100, 60_000)).length, 0);
      // A dispatcher that died leaves its rows to the next one once the lease ends.
      const again = await claimDueDeliveries(db(), ['mail'], now + 61_000, 100, 60_000);
      assert.equal(again.length, 40);
      assert.ok(again.every((row) => row.attempts === 2));
    });

    it('claims only the kinds asked for, and a failed row only when its retry is due', async () => {
      // Long before the rows of the test above, which are not due then.
      const now = Date.now() - 10 ** 9;
      const [row] = mails(1, now);
      await enqueueDeliveries(db(), [row!]);
      assert.equal((await claimDueDeliveries(db(), ['webhook'], now, 10, 1000)).length, 0);
      const [claimed] = await claimDueDeliveries(db(), ['mail'], now, 10, 1000);
      assert.equal(claimed!.id, row!.id);
      await markAttemptFailed(db(), row!.id, { statusCode: null, error: 'refused' }, now + 5000);
      assert.equal((await claimDueDeliveries(db(), ['mail'], now + 4000, 10, 1000)).length, 0);
      assert.equal((await claimDueDeliveries(db(), ['mail'], now + 5000, 10, 1000))[0]!.id, row!.id);
      await markAttemptFailed(db(), row!.id, { statusCode: null, error: 'refused' }, null);
      assert.equal((await claimDueDeliveries(db(), ['mail'], now + 10 ** 9, 10, 1000)).length, 0, 'failed for good');
    });

    it('forgets finished deliveries older than the log keeps, never those still to send', async () => {
      const old = Date.now() - 10 ** 10;
      const [sent, failed, pending] = mails(3, old);
      await enqueueDeliveries(db(), [sent!, failed!, pending!]);
      await markDelivered(db(), sent!.id, { statusCode: null, error: null }, old);
      await markAttemptFailed(db(), failed!.id, { statusCode: 500, error: 'down' }, null);
      const backlog = await outboxBacklog(db());
      assert.equal(await deleteFinishedDeliveries(db(), old + 1), 2);
      const left = await db().selectFrom('outbox').select('id').where('id', 'in', [sent!.id, failed!.id, pending!.id]).execute();
      assert.deepEqual(left.map((r) => r.id), [pending!.id]);
      assert.equal((await outboxBacklog(db())).pending, backlog.pending);
      assert.equal((await outboxBacklog(db())).oldestCreatedAt, old);
    });
  });
}
