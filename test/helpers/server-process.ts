// A Parley server as a real OS process (`bin/parley.js serve`), for the tests that kill one, or need two that
// share nothing but the database. It runs in its own process group, so that the primary and its workers can be
// killed together.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/parley.js', import.meta.url));

export interface ServerProcessOptions {
  /** A postgres:// URL or a SQLite file path. */
  database: string;
  /** Reuse a port (a restart); a free one when left out. */
  port?: number;
  workers?: number;
  env?: Record<string, string>;
}

/** A port nobody listens on now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export class ServerProcess {
  private output = '';
  readonly exited: Promise<number | null>;
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    private readonly dataDir: string,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What the process wrote so far (for a failing assertion's message). */
  get log(): string {
    return this.output.slice(-4000);
  }

  static async start({ database, port, workers = 1, env = {} }: ServerProcessOptions): Promise<ServerProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-process-'));
    const chosen = port ?? (await freePort());
    const child = spawn(process.execPath, [BIN, 'serve', '--workers', String(workers)], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PORT: String(chosen),
        HOST: '127.0.0.1',
        DATABASE_URL: database,
        PARLEY_DATA_DIR: dataDir,
        PARLEY_CLASSIFIER: 'off',
        PARLEY_RATE_LIMIT: '1000000',
        PARLEY_WRITE_RATE_LIMIT: '1000000',
        PARLEY_AUTH_RATE_LIMIT: '1000000',
        LOG_LEVEL: 'warn',
        ...env,
      },
    });
    const server = new ServerProcess(child, chosen, dataDir);
    await server.waitUntilReady();
    return server;
  }

  /** Waits until /readyz answers 200 (a guard of 60 s, not a measure). */
  async waitUntilReady(ms = 60_000): Promise<void> {
    const deadline = Date.now() + ms;
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (Date.now() < deadline && !exited) {
      const ready = await fetch(`${this.url}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the server on port ${this.port} did not become ready:\n${this.log}`);
  }

  /** The process ids of its cluster workers (children of the primary). */
  workerPids(): number[] {
    const pid = this.child.pid!;
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((name) => {
        try {
          // The parent's id is the 4th field, after the command name in parentheses.
          const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
        } catch {
          return false;
        }
      })
      .map(Number);
  }

  /** SIGKILL to the primary and every worker at once: the machine "loses power". */
  async killAll(): Promise<void> {
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    await this.exited;
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** A polite stop (SIGTERM), waiting for the exit code. */
  async stop(): Promise<number | null> {
    this.child.kill('SIGTERM');
    const code = await this.exited;
    rmSync(this.dataDir, { recursive: true, force: true });
    return code;
  }
}
