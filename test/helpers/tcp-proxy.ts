// A TCP proxy between Parley and its database, for reliability tests: it can slow every chunk down, cut every
// connection and refuse new ones (the database "goes away"), and come back on the same port.
import net, { type AddressInfo } from 'node:net';

export class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  /** Added to every chunk, in both directions. */
  latencyMs = 0;
  port = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetHost, targetPort);
    await proxy.listen(0);
    return proxy;
  }

  private listen(port: number): Promise<void> {
    const server = net.createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, this.targetHost);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    this.pipe(client, upstream);
    this.pipe(upstream, client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  /** Forwards chunks in order, each held `latencyMs` (never overtaking the one before). */
  private pipe(from: net.Socket, to: net.Socket): void {
    let lastDue = 0;
    from.on('data', (chunk: Buffer) => {
      const due = Math.max(Date.now() + this.latencyMs, lastDue);
      lastDue = due;
      const forward = () => {
        if (!to.destroyed) to.write(chunk);
      };
      if (due <= Date.now()) forward();
      else setTimeout(forward, due - Date.now());
    });
  }

  /** The database vanishes: every open connection is cut and new ones are refused. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The database is back, on the same port. */
  async restore(): Promise<void> {
    this.latencyMs = 0;
    if (!this.server) await this.listen(this.port);
  }

  async close(): Promise<void> {
    await this.cut();
  }
}
