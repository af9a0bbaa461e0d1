// Group commit on SQLite: the writes that reach the database in one turn of the event loop share one transaction,
// so one COMMIT (the WAL frames of the pages they share written once) serves them all. Each caller's promise settles
// only after that COMMIT: an acknowledged write is as durable as with a transaction of its own. PostgreSQL keeps a
// transaction per write: its writes run side by side on the pool's connections, and a group there (measured)
// halved the rate, its statements one after another on one connection while holding the event lock.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { inTransaction } from './events.js';
import { isPostgres } from './db.js';

interface Queued {
  work: (trx: Kysely<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** The writes waiting for the next turn, per database handle. */
const waiting = new WeakMap<Kysely<Database>, Queued[]>();

/**
 * Runs `work` in a transaction shared with the other group writes of this event-loop turn (SQLite; PostgreSQL: in
 * one of its own): all of it or none.
 * `work` may run twice (when another write of its group failed, the group is rolled back and each write runs again
 * alone, so that only the failing one fails): it must do nothing but database work on `trx`, and return what
 * the caller acts on after the commit.
 */
export function inGroupCommit<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (isPostgres(db)) return inTransaction(db, work);
  return new Promise<T>((resolve, reject) => {
    let group = waiting.get(db);
    if (!group) {
      const started: Queued[] = [];
      group = started;
      waiting.set(db, started);
      setImmediate(() => {
        waiting.delete(db);
        void commitGroup(db, started);
      });
    }
    group.push({ work, resolve: resolve as (value: unknown) => void, reject });
  });
}

async function commitGroup(db: Kysely<Database>, group: Queued[]): Promise<void> {
  if (group.length > 1) {
    let results: unknown[] | undefined;
    try {
      results = await inTransaction(db, async (trx) => {
        const out: unknown[] = [];
        for (const queued of group) out.push(await queued.work(trx));
        return out;
      });
    } catch {
      // Rolled back whole: each runs again below on its own.
    }
    if (results) {
      group.forEach((queued, i) => queued.resolve(results[i]));
      return;
    }
  }
  for (const queued of group) await inTransaction(db, queued.work).then(queued.resolve, queued.reject);
}
