// On SQLite a statement built once (executeBuiltOnce) runs on the database's handle without Kysely's executor only
// where Kysely would have run it at once (src/storage/db.ts): not inside another request's transaction, and not while
// a stream holds the connection (better-sqlite3 runs nothing else meanwhile): then it waits its turn.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { executeBuiltOnce, openStorage } from '../../src/storage/db.js';
import { insertSite } from '../../src/storage/sites.js';
import { DEFAULT_POLICY } from '../../src/moderation/policy.js';

it('runs a built statement on SQLite after a stream that holds the connection, not into it', async () => {
  const storage = await openStorage({ location: ':memory:' });
  try {
    const { db } = storage;
    const first = await insertSite(db, 'First', JSON.stringify(DEFAULT_POLICY));
    await insertSite(db, 'Second', JSON.stringify(DEFAULT_POLICY));
    const rename = (name: string) => executeBuiltOnce(db, 'test:rename-site', [name, first.id], () => db.updateTable('sites').set({ name }).where('id', '=', first.id).compile());
    await rename('Once');
    // better-sqlite3 refuses a write while a statement is being iterated ("busy"): the renames wait for the stream.
    const during: Array<Promise<unknown>> = [];
    let streamed = 0;
    for await (const _site of db.selectFrom('sites').select('id').stream()) {
      streamed++;
      during.push(rename(`Renamed ${streamed}`));
    }
    assert.equal(streamed, 2);
    await Promise.all(during);
    assert.deepEqual(await db.selectFrom('sites').select('name').where('id', '=', first.id).execute(), [{ name: 'Renamed 2' }]);
  } finally {
    await storage.close();
  }
});

it('runs a built statement on SQLite outside a transaction that another request holds open after it, not into it', async () => {
  const storage = await openStorage({ location: ':memory:' });
  try {
    const { db } = storage;
    const count = async () => {
      const [row] = await executeBuiltOnce<{ n: number }>(db, 'test:site-count', [], () => db.selectFrom('sites').select((eb) => eb.fn.countAll<number>().as('n')).compile());
      return Number(row!.n);
    };
    assert.equal(await count(), 0);
    let seen: Promise<number> | undefined;
    const rolledBack = db.transaction().execute(async (trx) => {
      await insertSite(trx, 'Never committed', JSON.stringify(DEFAULT_POLICY));
      seen = count();
      throw new Error('rolled back');
    });
    await assert.rejects(rolledBack, /rolled back/);
    assert.equal(await seen, 0, 'the read did not see the rolled-back row');
  } finally {
    await storage.close();
  }
});
