// Queue counts (and moderators' claims) for every open console, read from the database once per interval per
// scope, however many consoles watch it. The database, not a process-local signal, is the source, so that every
// server process sharing one PostgreSQL database sees comments posted through any of them.
export interface QueueCounts {
  pending: number;
  reported: number;
}

type Listener<T> = (value: T) => void;

interface Feed<T> {
  listeners: Set<Listener<T>>;
  last: T | null;
  timer: NodeJS.Timeout;
}

export class LiveCounts<T = QueueCounts> {
  private readonly feeds = new Map<string, Feed<T>>();

  constructor(
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Calls `listener` with the current counts now and whenever they change; returns the unsubscribe. */
  subscribe(scope: string, read: () => Promise<T>, listener: Listener<T>): () => void {
    let feed = this.feeds.get(scope);
    if (!feed) {
      const created: Feed<T> = { listeners: new Set(), last: null, timer: setInterval(() => void this.poll(created, read), this.intervalMs) };
      feed = created;
      this.feeds.set(scope, feed);
    }
    feed.listeners.add(listener);
    if (feed.last) listener(feed.last);
    else void this.poll(feed, read);
    const current = feed;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0) {
        clearInterval(current.timer);
        this.feeds.delete(scope);
      }
    };
  }

  close(): void {
    for (const feed of this.feeds.values()) clearInterval(feed.timer);
    this.feeds.clear();
  }

  private polling = new WeakSet<Feed<T>>();

  private async poll(feed: Feed<T>, read: () => Promise<T>): Promise<void> {
    if (this.polling.has(feed)) return;
    this.polling.add(feed);
    try {
      const value = await read();
      const changed = !feed.last || JSON.stringify(feed.last) !== JSON.stringify(value);
      feed.last = value;
      if (changed) for (const listener of feed.listeners) listener(value);
    } catch (error) {
      this.onError(error);
    } finally {
      this.polling.delete(feed);
    }
  }
}
