// Group commit: the writes that reach the database in one turn of the event loop are written together, so that one
// commit (one flush to disk) serves them all, and each caller's promise settles only after that commit: an
// acknowledged write is as durable as one written alone. If the group's write fails, nothing of it was written (one
// transaction, or one statement), and each write runs again alone, so that only the failing one fails.
//
// SQLite (`inGroupCommit`): the group's writes share one transaction and one COMMIT (the WAL frames of the pages they
// share written once). PostgreSQL runs `inGroupCommit`'s writes in a transaction each: its writes run side by side
// on the pool's connections, and a group of such writes (statements one after another in one transaction, on one
// connection, holding the event lock) was measured at half the rate. A new comment on PostgreSQL is one statement,
// and its group is one statement too (`insertCommentWithEvent`, a `GroupWriter` of its own): one round trip, one
// turn at the event lock and one commit for the posts of a turn.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { inTransaction } from './events.js';
import { isPostgres } from './db.js';

interface Queued<Item, Result> {
  item: Item;
  resolve: (value: Result) => void;
  reject: (error: unknown) => void;
}

/** One kind of write, written in groups: two or more at once (all or none), or one alone. */
export class GroupWriter<Item, Result> {
  /** The groups filling in this turn, per database handle and shape (only writes of one shape are written together). */
  private readonly filling = new WeakMap<Kysely<Database>, Map<string, Queued<Item, Result>[]>>();

  /** @param limit the most writes in one group; a turn with more starts another group */
  constructor(
    private readonly together: (db: Kysely<Database>, items: readonly Item[]) => Promise<Result[]>,
    private readonly alone: (db: Kysely<Database>, item: Item) => Promise<Result>,
    private readonly limit = Infinity,
  ) {}

  /**
   * Writes `item` together with the other writes of this `shape` that reach it in this turn of the event loop;
   * resolves with its result once its group (or, after a failed group, it alone) has committed.
   */
  write(db: Kysely<Database>, shape: string, item: Item): Promise<Result> {
    let shapes = this.filling.get(db);
    if (!shapes) this.filling.set(db, (shapes = new Map()));
    let group = shapes.get(shape);
    if (!group || group.length >= this.limit) {
      const started: Queued<Item, Result>[] = [];
      group = started;
      shapes.set(shape, started);
      setImmediate(() => {
        if (shapes.get(shape) === started) shapes.delete(shape);
        void this.writeGroup(db, started);
      });
    }
    const joined = group;
    return new Promise<Result>((resolve, reject) => joined.push({ item, resolve, reject }));
  }

  private async writeGroup(db: Kysely<Database>, group: Queued<Item, Result>[]): Promise<void> {
    if (group.length > 1) {
      let results: Result[] | undefined;
      try {
        results = await this.together(db, group.map((queued) => queued.item));
      } catch {
        // Nothing of the group was written: each runs again below on its own.
      }
      if (results) {
        group.forEach((queued, i) => queued.resolve(results[i]!));
        return;
      }
    }
    for (const queued of group) await this.alone(db, queued.item).then(queued.resolve, queued.reject);
  }
}

type Work = (trx: Kysely<Database>) => Promise<unknown>;

/** SQLite: the works of a group in one transaction, one after another. */
const transactionGroups = new GroupWriter<Work, unknown>(
  (db, works) =>
    inTransaction(db, async (trx) => {
      const out: unknown[] = [];
      for (const work of works) out.push(await work(trx));
      return out;
    }),
  (db, work) => inTransaction(db, work),
);

/**
 * Runs `work` in a transaction shared with the other group writes of this event-loop turn (SQLite; PostgreSQL: in
 * one of its own): all of it or none.
 * `work` may run twice (when another write of its group failed, the group is rolled back and each write runs again
 * alone, so that only the failing one fails): it must do nothing but database work on `trx`, and return what
 * the caller acts on after the commit.
 */
export function inGroupCommit<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (isPostgres(db)) return inTransaction(db, work);
  return transactionGroups.write(db, '', work) as Promise<T>;
}
