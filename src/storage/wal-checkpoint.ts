// SQLite in WAL mode: checkpoints off the event loop, with a bound on the WAL that holds while posts never pause.
//
// SQLite's own automatic checkpoint runs inside the COMMIT that takes the WAL past 1,000 pages: the copy into the
// database file and two fsyncs, on the event loop. Here the group writer (group-commit.ts) asks before each group how
// long the WAL is (its wal-index header, in the -shm file). Past 1,000 frames, a worker thread with a connection of
// its own checkpoints once while groups go on being written; but a checkpoint copies only the frames there when it began,
// so while writes never pause the WAL would never be wholly copied, and never start over. Past the bound (2,000
// frames), a group waits: the checkpoint under way ends, one more copies what was written meanwhile, and the group
// begins on a WAL wholly in the database file, which its write starts over from the beginning. The event loop stays
// free during the wait (requests parsed, pages read). Frames left even so (another write came meanwhile, or the worker
// ended) are copied here, on this thread. Writes outside the group writer keep SQLite's own checkpoint, at 4,000.
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** The WAL's length in frames (pages) past which a checkpoint is asked of the worker, while group commits go on: SQLite's own default. */
export const CHECKPOINT_FRAMES = 1000;
/** The WAL's length past which a group commit waits until the WAL is wholly in the database file, and the next write starts it over. */
export const WAL_BOUND_FRAMES = 2000;
/** SQLite's own automatic checkpoint, on the main connection: for writes outside the group writer, and should the worker fail. */
export const AUTOCHECKPOINT_FRAMES = 4000;

export interface CheckpointerOptions {
  /** WAL frames past which a checkpoint is asked of the worker */
  frames: number;
  /** WAL frames past which a group waits for the WAL to be wholly checkpointed */
  bound: number;
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
  private underWay: Promise<CheckpointResult | undefined> | undefined;
  private waiting: ((result: CheckpointResult | undefined) => void) | undefined;
  private lastCrossing = -Infinity;
  private idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly file: string,
    private readonly options: CheckpointerOptions = { frames: CHECKPOINT_FRAMES, bound: WAL_BOUND_FRAMES, idleMs: 60_000 },
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

  /**
   * Undefined when a group may begin now (asking the worker for a checkpoint past the threshold); past the bound, a
   * promise that settles once the WAL is wholly in the database file.
   */
  roomToWrite(): Promise<void> | undefined {
    if (this.closed) return undefined;
    const { frames, backfilled } = this.walIndex();
    if (frames < this.options.frames || backfilled >= frames) return undefined;
    if (!this.ready) {
      // No worker yet (or none any more): SQLite's own checkpoint, here, at SQLite's length; a worker is started
      // when this happens again soon.
      this.startWorkerIfFrequent();
      this.sqlite.pragma('wal_checkpoint(PASSIVE)');
      return undefined;
    }
    if (frames < this.options.bound) {
      // One checkpoint a WAL beside the groups (none copied yet): each one costs two fsyncs, and copies a page written
      // many times once.
      if (backfilled === 0) void this.onWorker();
      return undefined;
    }
    return this.catchUp();
  }

  /**
   * Lets the worker's checkpoints copy the whole WAL while no group is written: the one under way, then one more
   * for the frames written meanwhile. Should frames be left (another write came, or the worker ended), they are
   * copied here.
   */
  private async catchUp(): Promise<void> {
    const framesLeft = () => {
      const { frames, backfilled } = this.walIndex();
      return frames - backfilled;
    };
    await this.onWorker();
    if (framesLeft() > 0) await this.onWorker();
    if (!this.closed && framesLeft() > 0) this.sqlite.pragma('wal_checkpoint(PASSIVE)');
  }

  /** Asks the worker for a checkpoint, or joins the one under way; undefined when it ended or failed before answering. */
  onWorker(): Promise<CheckpointResult | undefined> {
    const worker = this.worker;
    if (!worker || !this.ready) return Promise.resolve(undefined);
    if (this.underWay) return this.underWay;
    this.endWhenIdle();
    this.underWay = new Promise((resolve) => {
      this.waiting = resolve;
      worker.postMessage('checkpoint');
    });
    return this.underWay;
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

  /** Starts a worker when the WAL passed the threshold twice within the quiet period: commits are frequent. */
  private startWorkerIfFrequent(): void {
    const now = performance.now();
    if (!this.worker && !this.failed && now - this.lastCrossing < this.options.idleMs) this.startWorker();
    this.lastCrossing = now;
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
    this.underWay = undefined;
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
