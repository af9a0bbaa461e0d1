// Group commit: writes that arrive together are written together, so that one commit (one flush to disk) serves
// them all, and each caller's promise settles only after that commit: an acknowledged write is as durable as one
// written alone. A group is what reached the database in one turn of the event loop, or while the group before it
// was being written (`GroupWriter`). If the group's write fails, nothing of it was written (one transaction, or one
// statement), and each write runs again alone, so that only the failing one fails.
//
// SQLite (`inGroupCommit`): the group's writes share one transaction and one COMMIT (the WAL frames of the pages they
// share written once). PostgreSQL runs `inGroupCommit`'s writes in a transaction each: its writes run side by side
// on the pool's connections, and a group of such writes (statements one after another in one transaction, on one
// connection, holding the event lock) was measured at half the rate. A new comment on PostgreSQL, though, is one
// statement, and so is a group of them (`insertCommentWithEvent`, a `GroupWriter` of its own): one round trip, one
// turn at the event lock and one commit for the group: more posts a second in 11 runs of 16, +4% to +55%, and about
// a third of the WAL flushes (docs/performance.md, round 6).
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { inTransaction } from './events.js';
import { isPostgres } from './db.js';
import { roomToWrite } from './wal-checkpoint.js';

interface Queued<Item, Result> {
  item: Item;
  resolve: (value: Result) => void;
  reject: (error: unknown) => void;
}

/** The writes of one shape waiting to be written to one database, and whether a group of them is being written. */
interface Line<Item, Result> {
  waiting: Queued<Item, Result>[];
  writing: boolean;
}

/**
 * One kind of write, written in groups: two or more at once (all or none), or one alone. A group is written at the
 * end of the event-loop turn in which its first write arrived, or, while the group before is being written, as soon
 * as that one has committed: the writes that arrive meanwhile wait and make the next group (at most `limit` of them
 * each), so one group is written at a time per database handle and shape.
 */
export class GroupWriter<Item, Result> {
  private readonly lines = new WeakMap<Kysely<Database>, Map<string, Line<Item, Result>>>();

  /** @param limit the most writes in one group */
  constructor(
    private readonly together: (db: Kysely<Database>, items: readonly Item[]) => Promise<Result[]>,
    private readonly alone: (db: Kysely<Database>, item: Item) => Promise<Result>,
    private readonly limit = Infinity,
  ) {}

  /**
   * Writes `item` in a group with the other writes of this `shape` (only writes of one shape are written together);
   * resolves with its result once its group (or, after a failed group, it alone) has committed.
   */
  write(db: Kysely<Database>, shape: string, item: Item): Promise<Result> {
    let shapes = this.lines.get(db);
    if (!shapes) this.lines.set(db, (shapes = new Map()));
    let line = shapes.get(shape);
    if (!line) shapes.set(shape, (line = { waiting: [], writing: false }));
    const joined = line;
    return new Promise<Result>((resolve, reject) => {
      joined.waiting.push({ item, resolve, reject });
      // The first to wait while nothing is being written starts the writing, after the rest of this turn's writes.
      if (!joined.writing && joined.waiting.length === 1) setImmediate(() => void this.drain(db, joined));
    });
  }

  private async drain(db: Kysely<Database>, line: Line<Item, Result>): Promise<void> {
    line.writing = true;
    try {
      while (line.waiting.length) await this.writeGroup(db, line.waiting.splice(0, this.limit));
    } finally {
      line.writing = false;
    }
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

/**
 * SQLite: the works of a group in one transaction, one after another, begun once the WAL has room (a group that
 * finds it past its bound waits for a checkpoint off the event loop: wal-checkpoint.ts).
 */
const transactionGroups = new GroupWriter<Work, unknown>(
  async (db, works) => {
    await roomToWrite(db);
    return inTransaction(db, async (trx) => {
      const out: unknown[] = [];
      for (const work of works) out.push(await work(trx));
      return out;
    });
  },
  async (db, work) => {
    await roomToWrite(db);
    return inTransaction(db, work);
  },
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
