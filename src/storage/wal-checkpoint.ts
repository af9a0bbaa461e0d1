// SQLite in WAL mode: checkpoints off the event loop, with a bound on the WAL that holds while posts never pause.
//
// SQLite's own automatic checkpoint runs inside the COMMIT that takes the WAL past 1,000 pages: the copy into the
// database file and two fsyncs, on the event loop. Here the group writer (group-commit.ts) asks before each group
// whether the WAL has grown past the threshold; if it has, a worker thread with a connection of its own checkpoints,
// and the group's transaction begins only once it has replied. The event loop stays free meanwhile (requests parsed,
// pages read), and since no group is written during the checkpoint, it copies the whole WAL, and the next write
// starts the WAL again from its beginning. A checkpoint that could not copy it all (another write came meanwhile)
// is finished on this thread before the group begins: a group never starts on a WAL past the threshold that is not
// wholly in the database file. Writes outside the group writer keep SQLite's own checkpoint, at a larger bound.
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** The WAL's length in frames (pages) at which the group writer waits for a checkpoint: SQLite's own default. */
export const CHECKPOINT_FRAMES = 1000;
/** SQLite's own automatic checkpoint, on the main connection: for writes outside the group writer, and should the worker fail. */
export const AUTOCHECKPOINT_FRAMES = 4000;

export interface CheckpointerOptions {
  /** WAL frames past which a group waits for a checkpoint */
  frames: number;
  /** a worker is started when the WAL passes the threshold twice within this long, and ended after this long without a checkpoint */
  idleMs: number;
}

/** What `PRAGMA wal_checkpoint` answers: whether it was kept from finishing, the WAL's frames, those now in the database. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/** The worker: plain JavaScript, run without the parent's loaders, so that it runs alike under tsx and compiled. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('synchronous = NORMAL');
parentPort.on('message', () => parentPort.postMessage(db.pragma('wal_checkpoint(PASSIVE)')[0]));
parentPort.postMessage('ready');
`;

const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');

/** The wal-index header in the -shm file (SQLite's file format, "WAL-Index Format"): mxFrame, and nBackfill in WalCkptInfo. */
const MX_FRAME_OFFSET = 16;
const N_BACKFILL_OFFSET = 96;
const littleEndian = endianness() === 'LE';

export class WalCheckpointer {
  private readonly header = Buffer.alloc(N_BACKFILL_OFFSET + 4);
  private shm: number | undefined;
  private worker: Worker | undefined;
  private ready = false;
  /** Set when a worker failed: from then on checkpoints run on this thread. */
  private failed = false;
  private closed = false;
  private waiting: ((result: CheckpointResult | undefined) => void) | undefined;
  private lastCrossing = -Infinity;
  private idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly file: string,
    private readonly options: CheckpointerOptions = { frames: CHECKPOINT_FRAMES, idleMs: 60_000 },
  ) {}

  /** The WAL's frames since it last started over, and how many of them are in the database file: a read of 100 bytes. */
  walIndex(): { frames: number; backfilled: number } {
    try {
      this.shm ??= openSync(`${this.file}-shm`, 'r');
    } catch {
      return { frames: 0, backfilled: 0 };
    }
    if (readSync(this.shm, this.header, 0, this.header.length, 0) < this.header.length) return { frames: 0, backfilled: 0 };
    const read = (offset: number) => (littleEndian ? this.header.readUInt32LE(offset) : this.header.readUInt32BE(offset));
    return { frames: read(MX_FRAME_OFFSET), backfilled: read(N_BACKFILL_OFFSET) };
  }

  /** Undefined when a group may begin now; else a promise that settles once the WAL is wholly in the database file. */
  roomToWrite(): Promise<void> | undefined {
    if (this.closed) return undefined;
    const { frames, backfilled } = this.walIndex();
    if (frames < this.options.frames || backfilled >= frames) return undefined;
    return this.checkpoint();
  }

  private async checkpoint(): Promise<void> {
    const now = performance.now();
    if (!this.worker && !this.failed && now - this.lastCrossing < this.options.idleMs) this.startWorker();
    this.lastCrossing = now;
    if (this.ready) await this.onWorker();
    if (this.closed) return;
    // What the worker left (frames written meanwhile), or all of it without a worker: copied here, as SQLite would.
    const { frames, backfilled } = this.walIndex();
    if (backfilled < frames) this.sqlite.pragma('wal_checkpoint(PASSIVE)');
  }

  /** Asks the worker for a checkpoint; undefined when it ended or failed before answering. */
  onWorker(): Promise<CheckpointResult | undefined> {
    const worker = this.worker;
    if (!worker || !this.ready || this.waiting) return Promise.resolve(undefined);
    this.endWhenIdle();
    return new Promise((resolve) => {
      this.waiting = resolve;
      worker.postMessage('checkpoint');
    });
  }

  /** The worker thread while one runs. */
  get thread(): Worker | undefined {
    return this.worker;
  }

  /** (Re)starts the count of the quiet period after which the worker ends. */
  private endWhenIdle(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => void this.stopWorker(), this.options.idleMs).unref();
  }

  private startWorker(): void {
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { driver: driverPath, file: this.file } });
    this.worker = worker;
    this.endWhenIdle();
    worker.unref();
    worker.on('message', (message: CheckpointResult | 'ready') => {
      if (message === 'ready') this.ready = true;
      else this.answer(message);
    });
    worker.on('error', (error) => {
      this.failed = true;
      this.answer(undefined);
      process.emitWarning(`SQLite checkpoint worker failed, checkpoints run on the main thread: ${error.message}`);
    });
    worker.on('exit', () => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.ready = false;
      }
      this.answer(undefined);
    });
  }

  private answer(result: CheckpointResult | undefined): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(result);
  }

  private async stopWorker(): Promise<void> {
    clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = undefined;
    this.ready = false;
    this.answer(undefined);
    await worker?.terminate();
  }

  /** Ends the worker (waiting for it) and lets a group waiting for a checkpoint go on. */
  async close(): Promise<void> {
    this.closed = true;
    await this.stopWorker();
    if (this.shm !== undefined) closeSync(this.shm);
    this.shm = undefined;
  }
}

/** The checkpointer of each SQLite database file, by the adapter its Kysely instance and its transactions share. */
const checkpointers = new WeakMap<object, WalCheckpointer>();

export function setCheckpointer(db: Kysely<Database>, checkpointer: WalCheckpointer): void {
  checkpointers.set(db.getExecutor().adapter, checkpointer);
}

/** SQLite: the checkpointer of a database file (none for ':memory:' and PostgreSQL). */
export function checkpointerOf(db: Kysely<Database>): WalCheckpointer | undefined {
  return checkpointers.get(db.getExecutor().adapter);
}

/** SQLite: undefined when a group commit may begin now, else a promise that settles when it may (see above). */
export function roomToWrite(db: Kysely<Database>): Promise<void> | undefined {
  return checkpointerOf(db)?.roomToWrite();
}
