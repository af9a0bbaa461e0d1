// Queue counts for every open console, read from the database once per interval per scope, however
// many consoles watch it. The database, not a process-local signal, is the source, so that every
// server process sharing one PostgreSQL database sees comments posted through any of them.
export interface QueueCounts {
  pending: number;
  reported: number;
}

type Listener = (counts: QueueCounts) => void;

interface Feed {
  listeners: Set<Listener>;
  last: QueueCounts | null;
  timer: NodeJS.Timeout;
}

export class LiveCounts {
  private readonly feeds = new Map<string, Feed>();

  constructor(
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Calls `listener` with the current counts now and whenever they change; returns the unsubscribe. */
  subscribe(scope: string, read: () => Promise<QueueCounts>, listener: Listener): () => void {
    let feed = this.feeds.get(scope);
    if (!feed) {
      const created: Feed = { listeners: new Set(), last: null, timer: setInterval(() => void this.poll(created, read), this.intervalMs) };
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

  private polling = new WeakSet<Feed>();

  private async poll(feed: Feed, read: () => Promise<QueueCounts>): Promise<void> {
    if (this.polling.has(feed)) return;
    this.polling.add(feed);
    try {
      const counts = await read();
      const changed = !feed.last || feed.last.pending !== counts.pending || feed.last.reported !== counts.reported;
      feed.last = counts;
      if (changed) for (const listener of feed.listeners) listener(counts);
    } catch (error) {
      this.onError(error);
    } finally {
      this.polling.delete(feed);
    }
  }
}
