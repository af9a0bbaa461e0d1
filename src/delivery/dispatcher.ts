// The dispatcher: in each server process, claims due deliveries from the outbox, sends them, marks them sent, and
// retries a failed one later (exponential back-off) until it has no attempts left. It runs beside the requests and
// never in their way: posting only writes the outbox.
import type { Storage } from '../storage/db.js';
import type { OutboxRow } from '../storage/schema.js';
import { claimDueDeliveries, deleteFinishedDeliveries, markAttemptFailed, markDelivered } from '../storage/outbox.js';
import { deleteSpentMailTokens } from '../storage/mail.js';

/** What one attempt to send came to. */
export interface SendOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  /** A failure that trying again cannot mend (the webhook is gone): no retry. */
  permanent?: boolean;
  /** Once sent, the payload kept instead (a mail's single-use link is not kept). */
  keepPayload?: string;
}

/** Sends deliveries of one kind (mail, webhook). */
export interface Sender {
  send(row: OutboxRow, signal: AbortSignal): Promise<SendOutcome>;
}

export interface DispatcherOptions {
  pollMs: number;
  retryBaseMs: number;
  maxAttempts: number;
  /** How long a claimed delivery is left to its dispatcher before another may take it (one that died). */
  leaseMs?: number;
  /** Deliveries sent at once, at most. */
  batch?: number;
  /** How long sent and failed deliveries stay in the log. */
  keepMs?: number;
}

const HOUR_MS = 3600_000;

const MAX_RETRY_DELAY_MS = 6 * 3600_000;

/** When to try again after `attempts` attempts, or null to give up. */
export function retryAt(attempts: number, now: number, options: Pick<DispatcherOptions, 'retryBaseMs' | 'maxAttempts'>): number | null {
  if (attempts >= options.maxAttempts) return null;
  return now + Math.min(options.retryBaseMs * 2 ** (attempts - 1), MAX_RETRY_DELAY_MS);
}

export class Dispatcher {
  private timer: NodeJS.Timeout | undefined;
  private pruner: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly kinds: OutboxRow['kind'][];

  constructor(
    private readonly storage: Storage,
    private readonly senders: Partial<Record<OutboxRow['kind'], Sender>>,
    private readonly options: DispatcherOptions,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.kinds = (Object.keys(senders) as OutboxRow['kind'][]).filter((kind) => senders[kind]);
  }

  private get batch() {
    return this.options.batch ?? 20;
  }

  /** Starts looking for due deliveries: now, every pollMs, and whenever woken. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
    this.pruner = setInterval(() => this.prune().catch(this.onError), HOUR_MS);
    this.pruner.unref();
    this.wake();
  }

  /**
   * Run once an hour: the log forgets deliveries finished more than keepMs ago (default 30 days), and mailed links
   * that were used or have expired are forgotten (they open nothing any more). Returns how many of each.
   */
  async prune(now = Date.now()): Promise<{ deliveries: number; mailTokens: number }> {
    const deliveries = await deleteFinishedDeliveries(this.storage.db, now - (this.options.keepMs ?? 30 * 24 * HOUR_MS));
    return { deliveries, mailTokens: await deleteSpentMailTokens(this.storage.db, now) };
  }

  /** Looks for due deliveries now (a change of this process has just planned some). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop()
      .catch(this.onError)
      .finally(() => {
        this.running = null;
      });
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      while (!this.stopped && (await this.pass()) > 0);
    } while (this.again && !this.stopped);
  }

  /** Sends everything due now and waits for the answers; returns how many were attempted (for tools and tests). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = await this.pass();
      total += claimed;
      if (claimed === 0 && this.inFlight.size === 0) return total;
      if (claimed === 0) await Promise.race(this.inFlight);
    }
  }

  /**
   * Claims as many due deliveries as there is room for beside the sends still in flight, and starts sending them
   * without waiting: a receiver that hangs holds its own send (until its time limit), never the others. Returns how
   * many were claimed.
   */
  private async pass(): Promise<number> {
    const room = this.batch - this.inFlight.size;
    if (room <= 0) return 0;
    const claimed = await claimDueDeliveries(this.storage.db, this.kinds, Date.now(), room, this.options.leaseMs ?? 300_000);
    for (const row of claimed) {
      const send: Promise<void> = this.attempt(row)
        .catch(this.onError)
        .finally(() => {
          this.inFlight.delete(send);
          // Room again: look for more, and for retries that fell due meanwhile.
          this.wake();
        });
      this.inFlight.add(send);
    }
    return claimed.length;
  }

  private async attempt(row: OutboxRow): Promise<void> {
    let outcome: SendOutcome;
    try {
      outcome = await this.senders[row.kind]!.send(row, this.abort.signal);
    } catch (error) {
      outcome = { ok: false, statusCode: null, error: error instanceof Error ? error.message : String(error) };
    }
    const now = Date.now();
    if (outcome.ok) await markDelivered(this.storage.db, row.id, outcome, now, outcome.keepPayload);
    else await markAttemptFailed(this.storage.db, row.id, outcome, outcome.permanent ? null : retryAt(row.attempts, now, this.options));
  }

  /** Stops looking; sends in flight are cut short (and retried later, by this process or another). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearInterval(this.pruner);
    this.abort.abort();
    await this.running;
    await Promise.all(this.inFlight);
  }
}
