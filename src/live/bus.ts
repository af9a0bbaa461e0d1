// The bus that wakes every process when a thread event has committed: in-process on SQLite (one process owns the
// file), PostgreSQL LISTEN/NOTIFY when the database is PostgreSQL, Redis pub/sub when REDIS_URL is set. A message
// carries only the event's id; each process then reads what it has not seen from the log, once per message.
import { Redis } from 'ioredis';
import type { Storage } from '../storage/db.js';
import { THREAD_EVENTS_CHANNEL } from '../storage/events.js';

export type Wake = (eventId: number | null) => void;

export interface EventBus {
  /** Announces a committed event to every process (this one included). */
  publish(eventId: number): void;
  /** Starts listening; `wake` gets an id, or null when something may have been missed (a reconnection). */
  start(wake: Wake): Promise<void>;
  close(): Promise<void>;
}

/** One process: the announcement goes straight to its own listener. */
export class LocalBus implements EventBus {
  private wake: Wake | null = null;
  publish(eventId: number): void {
    // After the current tick, as a remote bus would: the writer's reply never waits on fan-out.
    queueMicrotask(() => this.wake?.(eventId));
  }
  async start(wake: Wake): Promise<void> {
    this.wake = wake;
  }
  async close(): Promise<void> {
    this.wake = null;
  }
}

/**
 * PostgreSQL: the event's transaction itself sends NOTIFY (storage's appendThreadEvent), delivered to every
 * listening process when it commits, so publishing has nothing left to do and a crash after the commit loses
 * no announcement.
 */
export class PostgresBus implements EventBus {
  private stop: (() => Promise<void>) | null = null;
  constructor(private readonly storage: Storage) {}
  publish(): void {}
  async start(wake: Wake): Promise<void> {
    if (!this.storage.listen) throw new Error('this storage cannot LISTEN');
    this.stop = await this.storage.listen(THREAD_EVENTS_CHANNEL, (payload) => wake(payload === null ? null : Number(payload) || null));
  }
  async close(): Promise<void> {
    await this.stop?.();
    this.stop = null;
  }
}

/** Redis pub/sub: one connection publishes, one subscribes (opened when the first reader connects). */
export class RedisBus implements EventBus {
  private publisher: Redis | null = null;
  private subscriber: Redis | null = null;
  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}
  publish(eventId: number): void {
    this.publisher ??= this.connect();
    this.publisher.publish(this.channel, String(eventId)).catch(this.onError);
  }
  async start(wake: Wake): Promise<void> {
    const subscriber = this.connect();
    this.subscriber = subscriber;
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) wake(Number(message) || null);
    });
    // After a reconnection something may have been published meanwhile: catch up from the log.
    let ready = false;
    subscriber.on('ready', () => {
      if (ready) wake(null);
      ready = true;
    });
    await subscriber.subscribe(this.channel);
  }
  private connect(): Redis {
    const redis = new Redis(this.url, { maxRetriesPerRequest: 1, connectTimeout: 5000 });
    redis.on('error', this.onError);
    return redis;
  }
  async close(): Promise<void> {
    this.publisher?.disconnect();
    this.subscriber?.disconnect();
    this.publisher = this.subscriber = null;
  }
}

/**
 * Redis when a URL is given (on the channel `<redisPrefix>thread-events`, so installs sharing a Redis stay apart),
 * else PostgreSQL's own notifications, else in-process.
 */
export function busFor(storage: Storage, redis: { url: string | null; prefix: string }, onError?: (error: unknown) => void): EventBus {
  if (redis.url) return new RedisBus(redis.url, `${redis.prefix}thread-events`, onError);
  if (storage.dialect === 'postgres') return new PostgresBus(storage);
  return new LocalBus();
}
