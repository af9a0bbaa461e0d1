// A real HTTP receiver (node:http) for webhook tests: keeps every request, answers as the test says (a status, or
// never, to play a receiver that hangs).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCall {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A status to answer with, or 'hang' to keep the request open until the receiver closes. */
export type Answer = number | 'hang';

export class Receiver {
  readonly calls: ReceivedCall[] = [];
  /** How to answer the next calls, in order; once used up, 200. */
  readonly answers: Answer[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.calls.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = this.answers.shift() ?? 200;
      if (answer === 'hang') this.hanging.add(response);
      else response.writeHead(answer).end('ok');
    });
  });

  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this;
  }

  /** Requests still held open by 'hang'. */
  get held(): number {
    return this.hanging.size;
  }

  /** Waits until `count` calls have arrived (at most 10 s). */
  async waitFor(count: number): Promise<ReceivedCall[]> {
    for (let i = 0; i < 200 && this.calls.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    if (this.calls.length < count) throw new Error(`${this.calls.length} webhook calls arrived, not ${count}`);
    return this.calls;
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
