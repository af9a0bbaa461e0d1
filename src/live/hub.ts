// One per process: follows the thread event log and hands each new event to the readers connected to this process
// that follow its story, as each may see it. The log is read once per bus message, whatever the number of readers;
// a reader who comes back with the last id it saw is first given what it missed.
import type { Storage } from '../storage/db.js';
import type { ThreadEventRow } from '../storage/schema.js';
import { latestThreadEventId, oldestThreadEventId, pruneThreadEvents, readThreadEventsAfter } from '../storage/events.js';
import { hiddenStoryIds } from '../storage/stories.js';
import type { ThreadEvent } from '../contracts/api.js';
import type { EventBus } from './bus.js';
import { eventFor, type EventViewer } from './visibility.js';

/** How many missed events a reconnecting reader is given; further behind, it is told to reload. */
export const MAX_CATCH_UP = 1000;
const BATCH = 500;

export interface ReaderOptions {
  storyIds: string[];
  viewer: EventViewer | null;
  /** The last event the reader saw (Last-Event-ID), or null to start from now. */
  after: number | null;
  send(event: ThreadEvent): void;
  /** Too far behind to catch up: the reader should load the page again. */
  reset(lastId: number): void;
}

interface Reader {
  options: ReaderOptions;
  lastSent: number;
  /** While the reader catches up, what arrives live waits here. */
  waiting: ThreadEventRow[] | null;
}

export class ThreadEventHub {
  private lastId = 0;
  private started: Promise<void> | null = null;
  private ready = false;
  private pumping = false;
  private again = false;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  private pruning: NodeJS.Timeout | undefined;
  private readonly byStory = new Map<string, Set<Reader>>();
  /** Told of every event of every story (the page cache), whoever reads it. */
  private readonly followers = new Set<(row: ThreadEventRow) => void>();

  constructor(
    private readonly storage: Storage,
    readonly bus: EventBus,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Readers connected to this process now. */
  get readers(): number {
    const all = new Set<Reader>();
    for (const set of this.byStory.values()) for (const r of set) all.add(r);
    return all.size;
  }

  private start(): Promise<void> {
    this.started ??= (async () => {
      // Listening first: whatever commits from here on wakes the pump, which waits until the position is known.
      await this.bus.start((id) => this.wake(id));
      // Closed while the bus was connecting (a page view's start racing the server's stop): let go of it again.
      if (this.closed) {
        await this.bus.close();
        return;
      }
      this.lastId = Math.max(this.lastId, await latestThreadEventId(this.storage.db));
      this.ready = true;
      void this.pump();
    })().catch((error: unknown) => {
      this.started = null;
      throw error;
    });
    return this.started;
  }

  private wake(eventId: number | null): void {
    if (eventId !== null && this.ready && eventId <= this.lastId) return;
    this.again = true;
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping || !this.ready || this.closed) return;
    this.pumping = true;
    try {
      while (this.again) {
        this.again = false;
        for (;;) {
          const rows = await readThreadEventsAfter(this.storage.db, this.lastId, BATCH);
          const hidden = await this.hiddenAmong(rows.filter((row) => this.byStory.has(row.story_id)));
          for (const row of rows) {
            this.lastId = row.id;
            this.deliver(row, hidden);
          }
          if (rows.length < BATCH) break;
        }
      }
    } catch (error) {
      // Closing the hub closes the database under a read in flight: nothing to report or retry.
      if (this.closed) return;
      this.onError(error);
      this.again = true;
      this.retry = setTimeout(() => void this.pump(), 1000);
    } finally {
      this.pumping = false;
    }
  }

  /**
   * Which of these events' stories are hidden now: one read per batch, and none when no reader here follows them. A
   * story hidden while readers follow it sends them nothing more (its staff excepted).
   */
  private async hiddenAmong(rows: readonly ThreadEventRow[]): Promise<ReadonlySet<string>> {
    return rows.length ? new Set(await hiddenStoryIds(this.storage.db, [...new Set(rows.map((row) => row.story_id))])) : new Set();
  }

  private deliver(row: ThreadEventRow, hidden: ReadonlySet<string>): void {
    for (const follower of this.followers) follower(row);
    for (const reader of this.byStory.get(row.story_id) ?? []) {
      if (reader.waiting) reader.waiting.push(row);
      else this.sendTo(reader, row, hidden);
    }
  }

  private sendTo(reader: Reader, row: ThreadEventRow, hidden: ReadonlySet<string>): void {
    if (row.id <= reader.lastSent) return;
    reader.lastSent = row.id;
    const event = eventFor(row, reader.options.viewer, hidden.has(row.story_id));
    if (event) reader.options.send(event);
  }

  /**
   * Tells `follower` of every event from now on, of every story, as it is read from the log (once per process
   * per event); also of those read after a reconnection of the bus. Returns the function that stops it.
   */
  async follow(follower: (row: ThreadEventRow) => void): Promise<() => void> {
    await this.start();
    this.followers.add(follower);
    return () => this.followers.delete(follower);
  }

  /** The latest event this process has read from the log. */
  get position(): number {
    return this.lastId;
  }

  /** Connects a reader; returns the function that disconnects it. */
  async connect(options: ReaderOptions): Promise<() => void> {
    await this.start();
    const reader: Reader = { options, lastSent: options.after ?? this.lastId, waiting: options.after === null ? null : [] };
    const stories = [...new Set(options.storyIds)];
    for (const id of stories) {
      let set = this.byStory.get(id);
      if (!set) this.byStory.set(id, (set = new Set()));
      set.add(reader);
    }
    const disconnect = () => {
      for (const id of stories) {
        const set = this.byStory.get(id);
        set?.delete(reader);
        if (set?.size === 0) this.byStory.delete(id);
      }
    };
    if (options.after !== null) {
      try {
        const missed = await readThreadEventsAfter(this.storage.db, options.after, MAX_CATCH_UP + 1, stories);
        // Events after the reader's last one were pruned (older than the retention), or there are too many to send.
        const pruned = options.after < (await oldestThreadEventId(this.storage.db)) - 1;
        const hidden = await this.hiddenAmong([...missed, ...reader.waiting!]);
        if (pruned || missed.length > MAX_CATCH_UP) {
          reader.lastSent = Math.max(this.lastId, ...reader.waiting!.map((r) => r.id));
          options.reset(reader.lastSent);
        } else for (const row of missed) this.sendTo(reader, row, hidden);
        for (const row of reader.waiting!) this.sendTo(reader, row, hidden);
      } catch (error) {
        disconnect();
        throw error;
      } finally {
        reader.waiting = null;
      }
    }
    return disconnect;
  }

  /**
   * Deletes the events older than `retentionMs` from the log, now and then every `everyMs` until the hub closes. A
   * reader who comes back from further behind is told to reload (`reset`). Every process may run it: deleting twice
   * is harmless.
   */
  pruneEvery(retentionMs: number, everyMs: number): void {
    const prune = () =>
      pruneThreadEvents(this.storage.db, Date.now() - retentionMs).catch((error: unknown) => {
        if (!this.closed) this.onError(error);
      });
    void prune();
    this.pruning = setInterval(prune, everyMs);
    this.pruning.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pruning);
    clearTimeout(this.retry);
    this.byStory.clear();
    this.followers.clear();
    await this.bus.close();
  }
}
