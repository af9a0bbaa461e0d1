// Every server-sent event stream of this process (readers' live updates, the console's counts): the headers, the
// heartbeat, a bound on what may wait for a slow reader, the count in /metrics, and the close with a retry hint
// when the process drains.
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from './metrics.js';

const HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
/**
 * A reader who does not read (a stalled tab, a dead network) is dropped rather than buffered without bound: when
 * more than MAX_BUFFERED_BYTES wait for it and it has not caught up within STALL_MS, or at once past HARD_LIMIT_BYTES.
 * Its browser reconnects with Last-Event-ID and catches up from the log. A burst larger than the buffer that a
 * reader does read (its buffer drains) keeps it.
 */
export const MAX_BUFFERED_BYTES = 256 * 1024;
export const STALL_MS = 10_000;
const HARD_LIMIT_BYTES = 16 * 1024 * 1024;
/** When this process drains, readers are told to come back (to another process) after this long. */
export const DRAIN_RETRY_MS = 1000;

export type StreamKind = 'thread' | 'moderation';

export class EventStream {
  closed = false;
  private readonly heartbeat: NodeJS.Timeout;
  private stalled: NodeJS.Timeout | undefined;
  private readonly cleanups: Array<() => void> = [];

  constructor(
    private readonly reply: FastifyReply,
    private readonly onDropped: () => void,
  ) {
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), HEARTBEAT_MS);
    reply.raw.on('close', () => this.finish());
  }

  /** Runs once the stream has closed, however it closed. */
  onClose(cleanup: () => void): void {
    if (this.closed) cleanup();
    else this.cleanups.push(cleanup);
  }

  /** Sends raw event text; a reader too far behind is dropped instead. */
  write(text: string): void {
    if (this.closed) return;
    const out = this.reply.raw;
    if (out.writableLength > HARD_LIMIT_BYTES) return this.drop();
    out.write(text);
    if (out.writableLength > MAX_BUFFERED_BYTES && !this.stalled) {
      this.stalled = setTimeout(() => this.drop(), STALL_MS);
      out.once('drain', () => {
        clearTimeout(this.stalled);
        this.stalled = undefined;
      });
    }
  }

  private drop(): void {
    if (this.closed) return;
    this.onDropped();
    this.reply.raw.destroy();
    this.finish();
  }

  /** Ends the stream, telling the browser how soon to reconnect. */
  end(retryMs: number): void {
    if (this.closed) return;
    this.reply.raw.end(`retry: ${retryMs}\n\n`);
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.stalled);
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }
}

export class EventStreams {
  private readonly open = new Set<EventStream>();
  constructor(private readonly metrics: Metrics) {}

  /** Headers only, for HEAD: no stream, no timer, no open socket. */
  head(reply: FastifyReply): FastifyReply {
    return reply.headers(HEADERS).send();
  }

  /** Takes the response over and opens a stream on it; `retryMs` is the browser's reconnection delay. */
  start(request: FastifyRequest, reply: FastifyReply, kind: StreamKind, retryMs: number): EventStream {
    reply.hijack();
    // With the headers every answer carries (security headers, request id), which a hijacked reply does not write.
    reply.raw.writeHead(200, { ...(reply.getHeaders() as OutgoingHttpHeaders), ...HEADERS });
    reply.raw.write(`retry: ${retryMs}\n\n`);
    const stream = new EventStream(reply, () => {
      this.metrics.droppedStreams.inc({ stream: kind });
      request.log.info({ stream: kind }, 'event stream dropped: the reader is too far behind');
    });
    this.open.add(stream);
    this.metrics.openStreams.inc({ stream: kind });
    stream.onClose(() => {
      this.open.delete(stream);
      this.metrics.openStreams.dec({ stream: kind });
    });
    return stream;
  }

  /** The process drains: every stream is told to come back soon, to another process, and closed. */
  closeAll(): void {
    for (const stream of [...this.open]) stream.end(DRAIN_RETRY_MS);
  }
}
