// Live updates under load: N readers hold an event stream open on one server process (or spread over two processes
// sharing PostgreSQL), a burst of comments is posted, and every reader must receive every comment. Reports the
// delivery latency (from the comment's creation time, stamped by the server, to its arrival at the reader; one
// machine, one clock) at p50/p99/max, and the server's memory per open stream.
//
//   npm run bench -- --only sse --db sqlite --readers 2000 --burst 100
//   npm run bench -- --only sse --db postgres --processes 2
import http from 'node:http';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openStorage } from '../src/storage/db.js';
import { insertSite } from '../src/storage/sites.js';
import { insertStory } from '../src/storage/stories.js';
import { createApiToken } from '../src/storage/sessions.js';
import { AccountService } from '../src/core/accounts.js';
import { DEFAULT_POLICY } from '../src/moderation/policy.js';
import { emptyDatabase } from '../test/helpers/databases.js';

export interface SseBenchOptions {
  dialect: 'sqlite' | 'postgres';
  processes: 1 | 2;
  readers: number;
  burst: number;
  pgAdminUrl?: string | undefined;
  log: (message: string) => void;
}

export interface SseBenchResult {
  dialect: string;
  processes: number;
  readers: number;
  burst: number;
  delivered: number;
  expected: number;
  p50: number;
  p99: number;
  max: number;
  /** Server memory per open stream, bytes (RSS and JS heap growth after collection, over all processes). */
  rssPerReader: number;
  heapPerReader: number;
}

interface Server {
  child: ChildProcess;
  port: number;
  ask<T>(type: string): Promise<T>;
}

function startServer(env: NodeJS.ProcessEnv): Promise<Server> {
  const child = fork(fileURLToPath(new URL('./sse-server.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.once('message', (m: { type: string; port: number }) => {
      const ask = <T>(type: string) =>
        new Promise<T>((res) => {
          child.once('message', (answer: T) => res(answer));
          child.send({ type });
        });
      resolve({ child, port: m.port, ask });
    });
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

export async function runSseBench(o: SseBenchOptions): Promise<SseBenchResult> {
  if (o.dialect === 'sqlite' && o.processes !== 1) throw new Error('two processes need PostgreSQL (SQLite is one process)');
  const { location, drop: cleanup } = await emptyDatabase(o.dialect, o.pgAdminUrl, 'parley_bench_sse');
  const storage = await openStorage({ location });
  const servers: Server[] = [];
  const requests: http.ClientRequest[] = [];
  try {
    const site = await insertSite(storage.db, 'Bench', JSON.stringify(DEFAULT_POLICY));
    const story = await insertStory(storage.db, {
      site_id: site.id, url: 'https://news.example.com/bench', title: 'Bench', published_at: Date.now(),
    });
    const writer = await new AccountService(storage).create({ username: 'bench_writer', email: null, password: 'bench writer password', role: 'commenter' });
    const token = await createApiToken(storage.db, writer.id, 'bench');
    await storage.close();

    const env = { DATABASE_URL: location, PARLEY_WRITE_RATE_LIMIT: '1000000', PARLEY_RATE_LIMIT: '1000000', LOG_LEVEL: 'warn', PARLEY_CLASSIFIER: 'off' };
    for (let i = 0; i < o.processes; i++) servers.push(await startServer(env));
    const baseline = await Promise.all(servers.map((s) => s.ask<{ rss: number; heapUsed: number }>('memory')));

    // The readers, spread over the processes; each counts the burst's events as they arrive.
    const latencies: number[] = [];
    let delivered = 0;
    const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
    let allIn: () => void = () => undefined;
    const everyone = new Promise<void>((resolve) => (allIn = resolve));
    const expected = o.readers * o.burst;
    o.log(`sse: opening ${o.readers} streams on ${o.processes} process(es) (${o.dialect})`);
    await Promise.all(
      Array.from({ length: o.readers }, (_, i) =>
        new Promise<void>((resolve, reject) => {
          const server = servers[i % servers.length]!;
          const req = http.get({ host: '127.0.0.1', port: server.port, path: `/api/events?stories=${story.id}`, agent }, (res) => {
            if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
            res.setEncoding('utf8');
            let buffer = '';
            res.on('data', (chunk: string) => {
              buffer += chunk;
              let end;
              while ((end = buffer.indexOf('\n\n')) >= 0) {
                const block = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                if (block.includes('event: ready')) resolve();
                const data = /^event: comment\.created\ndata: (.*)$/m.exec(block)?.[1];
                if (!data) continue;
                latencies.push(Date.now() - Date.parse((JSON.parse(data) as { at: string }).at));
                if (++delivered === expected) allIn();
              }
            });
          });
          req.on('error', reject);
          requests.push(req);
        }),
      ),
    );
    const loaded = await Promise.all(servers.map((s) => s.ask<{ rss: number; heapUsed: number; readers: number }>('memory')));
    const rssPerReader = loaded.reduce((sum, m, i) => sum + m.rss - baseline[i]!.rss, 0) / o.readers;
    const heapPerReader = loaded.reduce((sum, m, i) => sum + m.heapUsed - baseline[i]!.heapUsed, 0) / o.readers;

    // The burst: all at once through the first process.
    o.log(`sse: posting ${o.burst} comments`);
    await Promise.all(
      Array.from({ length: o.burst }, (_, n) =>
        fetch(`http://127.0.0.1:${servers[0]!.port}/api/stories/${story.id}/comments`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ body: `Burst comment ${n}` }),
        }).then((r) => {
          if (r.status !== 201) throw new Error(`post answered ${r.status}`);
        }),
      ),
    );
    await Promise.race([everyone, new Promise((resolve) => setTimeout(resolve, 60_000))]);
    latencies.sort((a, b) => a - b);
    return {
      dialect: o.dialect,
      processes: o.processes,
      readers: o.readers,
      burst: o.burst,
      delivered,
      expected,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1] ?? NaN,
      rssPerReader,
      heapPerReader,
    };
  } finally {
    for (const req of requests) req.destroy();
    await Promise.all(servers.map((s) => new Promise((resolve) => { s.child.once('exit', resolve); s.child.send({ type: 'stop' }); setTimeout(() => { s.child.kill(); resolve(null); }, 5000); })));
    await cleanup();
  }
}

export function formatSseResults(results: SseBenchResult[]): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  return [
    '| database | processes | readers | burst | delivered | p50 | p99 | max | RSS per stream | heap per stream |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...results.map((r) =>
      `| ${r.dialect} | ${r.processes} | ${r.readers} | ${r.burst} | ${r.delivered}/${r.expected} | ${r.p50} ms | ${r.p99} ms | ${r.max} ms | ${kb(r.rssPerReader)} | ${kb(r.heapPerReader)} |`,
    ),
  ].join('\n');
}
