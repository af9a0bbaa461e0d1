// A small server-sent events client for tests and benchmarks: opens a stream, parses its events, waits for one.
import http from 'node:http';

export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

export class SseClient {
  readonly events: SseEvent[] = [];
  /** The last reconnection delay the server asked for (the `retry:` field). */
  retry: number | null = null;
  private ended = false;
  private endWaiters: Array<() => void> = [];
  private waiters: Array<() => void> = [];
  private constructor(private readonly request: http.ClientRequest) {}

  /** Resolves once the server has ended the stream. */
  closedByServer(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  /** Opens a stream and resolves once the server says it follows (the `ready` event). */
  static open(url: string, headers: Record<string, string> = {}, onEvent?: (event: SseEvent) => void): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const request = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`status ${res.statusCode}`));
          res.resume();
          return;
        }
        let buffer = '';
        res.setEncoding('utf8');
        res.on('close', () => {
          client.ended = true;
          for (const wake of client.endWaiters.splice(0)) wake();
        });
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event: SseEvent = { id: null, event: 'message', data: '' };
            let hasData = false;
            for (const line of block.split('\n')) {
              const [field, ...rest] = line.split(':');
              const value = rest.join(':').replace(/^ /, '');
              if (field === 'id') event.id = value;
              else if (field === 'event') event.event = value;
              else if (field === 'retry') client.retry = Number(value);
              else if (field === 'data') {
                event.data += value;
                hasData = true;
              }
            }
            if (!hasData) continue;
            if (event.event === 'ready') resolve(client);
            else {
              client.events.push(event);
              onEvent?.(event);
              for (const wake of client.waiters.splice(0)) wake();
            }
          }
        });
      });
      const client = new SseClient(request);
      request.on('error', (error) => (error.message === 'socket hang up' ? undefined : reject(error)));
    });
  }

  /** The data of the events received so far, parsed. */
  get data(): Array<Record<string, any>> {
    return this.events.map((e) => JSON.parse(e.data) as Record<string, any>);
  }

  /** Waits until `count` events have arrived; fails after `ms` (a guard, not a measure). */
  async waitFor(count: number, ms = 8000): Promise<Array<Record<string, any>>> {
    const deadline = Date.now() + ms;
    while (this.events.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} events, got ${this.events.length}: ${JSON.stringify(this.data)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.data;
  }

  close(): void {
    this.request.destroy();
  }
}
