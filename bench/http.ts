// The whole HTTP path under load, against the ceiling of the machine: a bare Fastify "hello" and Parley (the real
// app, its own process each) in one run, on a seeded 10,000-comment thread and a 100-comment one. autocannon with
// 50 connections, a warm-up first; every case anonymous. Parley runs twice, with the page cache on and off
// (PARLEY_PAGE_CACHE_ENTRIES=0). Reports req/s, p99, the ratio to hello, and the server's CPU time per request
// (its process.cpuUsage() over the timed window divided by the requests it answered). Pages are asked for without
// Accept-Encoding and again with `Accept-Encoding: br, gzip`, as browsers send it (hello too, which ignores it);
// each cached page asked for that way follows a hello of its own, and its ratio to that hello is printed too. On
// PostgreSQL the CPU time of the database's backends per request is printed too (bench/postgres-cpu.ts), and each
// case waits until the previous one's work (queued requests, queries still running) is done.
//
//   npm run bench -- --only http [--db sqlite|postgres] [--hot 10000] [--duration 10]
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { openStorage } from '../src/storage/db.js';
import { emptyDatabase } from '../test/helpers/databases.js';
import { DEFAULT_THREAD_OPTIONS, percentile, seedForInspection, type BenchDialect } from './thread.js';
import { postgresCpuMicros, postgresDatabaseOf } from './postgres-cpu.js';

export interface HttpBenchOptions {
  dialect: BenchDialect;
  hotComments: number;
  smallComments: number;
  /** Comments on the story of the issue's shape (every fifth top-level, four replies each). */
  shapedComments: number;
  /** Seconds of each timed window (after a warm-up of a fifth of it, at least 2 s). */
  duration: number;
  connections: number;
  pgAdminUrl: string;
  log: (message: string) => void;
}

export interface HttpCase {
  server: string;
  page: string;
  /** The Accept-Encoding sent, or null for none. */
  encoding: string | null;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /**
   * p99 of the answers after each connection's first: the first waits for the server to accept its connection,
   * which a saturated server does about once per event-loop turn (seconds for the last of 50 opened at once).
   */
  p99Connected: number;
  /** Answers other than 2xx (a failing case shows here, not as a fast one). */
  errors: number;
  cpuMsPerRequest: number;
  /** PostgreSQL's backends' CPU time per request (null on SQLite, where that work is in `cpuMsPerRequest`). */
  databaseCpuMsPerRequest: number | null;
  /** Bytes received per answer, headers included. */
  bytesPerAnswer: number;
  /**
   * For the cached pages asked for as browsers ask (the issue's target): hello's req/s (same Accept-Encoding)
   * measured just before this case, so the ratio does not depend on how the machine's load moved during the run.
   */
  helloJustBeforePerSecond?: number;
}

export interface HttpBenchResult {
  dialect: BenchDialect;
  hotComments: number;
  smallComments: number;
  shapedComments: number;
  connections: number;
  duration: number;
  /** The mean of hello measured first and last. */
  helloPerSecond: number;
  cases: HttpCase[];
}

export interface Server {
  child: ChildProcess;
  port: number;
  /** The CPU time of the process (`micros`) and of its main thread alone (null where it cannot be read), in µs. */
  cpu(): Promise<{ micros: number; mainThreadMicros: number | null }>;
  stop(): Promise<void>;
}

export function startServer(kind: 'hello' | 'parley', env: NodeJS.ProcessEnv): Promise<Server> {
  const child = fork(fileURLToPath(new URL('./http-server.ts', import.meta.url)), [kind], {
    // PARLEY_BENCH_CPU_PROF=<dir>: each server writes a CPU profile there when it stops (node --cpu-prof).
    execArgv: ['--import', 'tsx', ...(process.env.PARLEY_BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PARLEY_BENCH_CPU_PROF}`] : [])],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
    child.once('message', (m: { port: number }) => {
      const cpu = () =>
        new Promise<{ micros: number; mainThreadMicros: number | null }>((answer) => {
          child.once('message', (reply: { micros: number; mainThreadMicros: number | null }) => answer(reply));
          child.send({ type: 'cpu' });
        });
      resolve({
        child,
        port: m.port,
        cpu,
        stop: () =>
          new Promise((done) => {
            const timer = setTimeout(() => {
              child.kill();
              done();
            }, 5000);
            child.removeAllListeners('exit');
            child.once('exit', () => {
              clearTimeout(timer);
              done();
            });
            child.send({ type: 'stop' });
          }),
      });
    });
  });
}

/** What browsers send: brotli or gzip. */
const BROWSER_ENCODING = 'br, gzip';

function load(url: string, connections: number, seconds: number, encoding: string | null): Promise<autocannon.Result & { connectedLatencies: number[] }> {
  return new Promise((resolve, reject) => {
    const answered = new WeakSet<object>();
    const connectedLatencies: number[] = [];
    const headers = encoding ? { 'accept-encoding': encoding } : {};
    const instance = autocannon({ url, connections, duration: seconds, pipelining: 1, headers }, (error, result) =>
      error ? reject(error) : resolve({ ...result, connectedLatencies }),
    );
    instance.on('response', (client: object, _status: number, _bytes: number, milliseconds: number) => {
      if (answered.has(client)) connectedLatencies.push(milliseconds);
      else answered.add(client);
    });
  });
}

/** The CPU time of what serves a case: the server's process, and the backends of PostgreSQL's database if any (µs). */
async function cpuOf(server: Server, database: string | null): Promise<{ server: number; database: number | null }> {
  return { server: (await server.cpu()).micros, database: database === null ? null : postgresCpuMicros(database) };
}

/**
 * Waits (at most 10 s) until the server and its database have stopped working on the case before: when a case's
 * connections close, the requests it queued and the queries they started still run, and would be counted against
 * the next case. Idle means under 5% of a core over 200 ms.
 */
async function settle(server: Server, database: string | null): Promise<void> {
  const busy = (a: { server: number; database: number | null }, b: { server: number; database: number | null }) =>
    b.server - a.server + ((b.database ?? 0) - (a.database ?? 0)) > 10_000;
  let last = await cpuOf(server, database);
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    await new Promise((resume) => setTimeout(resume, 200));
    const now = await cpuOf(server, database);
    if (!busy(last, now)) return;
    last = now;
  }
}

/** One case: a warm-up (its own connections, not counted), then the timed window with the CPU time around it. */
async function measure(server: Server, path: string, encoding: string | null, o: HttpBenchOptions, database: string | null): Promise<Omit<HttpCase, 'server' | 'page' | 'encoding'>> {
  const url = `http://127.0.0.1:${server.port}${path}`;
  await load(url, o.connections, Math.max(2, Math.round(o.duration / 5)), encoding);
  const before = await cpuOf(server, database);
  const result = await load(url, o.connections, o.duration, encoding);
  const after = await cpuOf(server, database);
  await settle(server, database);
  const answered = result.requests.total;
  const perRequest = (micros: number) => (answered ? micros / 1000 / answered : NaN);
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    p99Connected: result.connectedLatencies.length ? percentile(result.connectedLatencies.sort((a, b) => a - b), 0.99) : NaN,
    errors: result.non2xx + result.errors + result.timeouts,
    cpuMsPerRequest: perRequest(after.server - before.server),
    databaseCpuMsPerRequest: before.database === null || after.database === null ? null : perRequest(after.database - before.database),
    bytesPerAnswer: answered ? result.throughput.total / answered : NaN,
  };
}

/** The nextCursor chain of the hot story, oldest first: the second-to-last page is the deep page. */
async function deepCursor(port: number, storyId: string): Promise<string> {
  const cursors: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
    const response = await fetch(`http://127.0.0.1:${port}/api/stories/${storyId}/comments${query}`);
    if (!response.ok) throw new Error(`paging the hot story answered ${response.status}`);
    cursor = ((await response.json()) as { nextCursor: string | null }).nextCursor;
    if (cursor) cursors.push(cursor);
  } while (cursor);
  return cursors[cursors.length - 2] ?? cursors[0] ?? '';
}

export async function runHttpBench(o: HttpBenchOptions): Promise<HttpBenchResult> {
  const { location, drop: cleanup } = await emptyDatabase(o.dialect, o.pgAdminUrl, 'parley_bench_http');
  const servers: Server[] = [];
  try {
    await (await openStorage({ location })).close();
    o.log(`http: seeding ${o.hotComments} + ${o.shapedComments} + ${o.smallComments} comments (${o.dialect})`);
    const { hotStoryId, smallStoryId, shapedStoryId } = await seedForInspection(location, {
      ...DEFAULT_THREAD_OPTIONS,
      dialect: o.dialect,
      totalComments: o.hotComments + o.smallComments + o.shapedComments,
      hotComments: o.hotComments,
      smallComments: o.smallComments,
      shapedComments: o.shapedComments,
      log: o.log,
    });
    const database = postgresDatabaseOf(location);
    const env = { DATABASE_URL: location, PARLEY_RATE_LIMIT: '1000000000', LOG_LEVEL: 'warn', PARLEY_CLASSIFIER: 'off' };
    const hello = await startServer('hello', {});
    servers.push(hello);
    const cached = await startServer('parley', env);
    servers.push(cached);
    const uncached = await startServer('parley', { ...env, PARLEY_PAGE_CACHE_ENTRIES: '0' });
    servers.push(uncached);
    const deep = await deepCursor(uncached.port, hotStoryId);
    // [page, path, also with Accept-Encoding: with the cache on, and off too]
    const pages: Array<[string, string, 'no' | 'cached' | 'both']> = [
      ['hot story, first page, JSON', `/api/stories/${hotStoryId}/comments`, 'cached'],
      ['hot story, first page, HTML', `/stories/${hotStoryId}`, 'cached'],
      ["issue's shape, first page, JSON", `/api/stories/${shapedStoryId}/comments?limit=10`, 'both'],
      ["issue's shape, first page, HTML", `/stories/${shapedStoryId}`, 'both'],
      ['hot story, deep page, JSON', `/api/stories/${hotStoryId}/comments?cursor=${encodeURIComponent(deep)}`, 'no'],
      [`${o.smallComments}-comment story, first page, JSON`, `/api/stories/${smallStoryId}/comments`, 'no'],
    ];
    const cases: HttpCase[] = [];
    const run = async (server: Server, name: string, page: string, path: string, encoding: string | null = null, helloJustBeforePerSecond?: number) => {
      o.log(`http: ${name}: ${page}${encoding ? `, Accept-Encoding: ${encoding}` : ''}`);
      const measured = await measure(server, path, encoding, o, server === hello ? null : database);
      cases.push({ server: name, page, encoding, ...measured, ...(helloJustBeforePerSecond === undefined ? {} : { helloJustBeforePerSecond }) });
      return measured;
    };
    /** A cached page as browsers ask for it, right after a hello of its own to compare with. */
    const runBesideHello = async (page: string, path: string) => {
      const helloJustBefore = await run(hello, 'Fastify hello', `hello (just before: ${page})`, '/', BROWSER_ENCODING);
      await run(cached, 'Parley, cache on', page, path, BROWSER_ENCODING, helloJustBefore.requestsPerSecond);
    };
    await run(hello, 'Fastify hello', 'hello', '/');
    await run(hello, 'Fastify hello', 'hello', '/', BROWSER_ENCODING);
    for (const [page, path, encoded] of pages) {
      await run(uncached, 'Parley, cache off', page, path);
      if (encoded === 'both') await run(uncached, 'Parley, cache off', page, path, BROWSER_ENCODING);
      await run(cached, 'Parley, cache on', page, path);
      if (encoded !== 'no') await runBesideHello(page, path);
    }
    await run(hello, 'Fastify hello', 'hello (again)', '/');
    const hellos = cases.filter((c) => c.server === 'Fastify hello' && !c.encoding);
    const helloPerSecond = hellos.reduce((sum, c) => sum + c.requestsPerSecond, 0) / hellos.length;
    return { dialect: o.dialect, hotComments: o.hotComments, smallComments: o.smallComments, shapedComments: o.shapedComments, connections: o.connections, duration: o.duration, helloPerSecond, cases };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await cleanup();
  }
}

export function formatHttpResults(results: HttpBenchResult[]): string {
  return results
    .map((r) =>
      [
        `### ${r.dialect}: ${r.hotComments.toLocaleString('en-US')}-comment thread (and ${r.shapedComments.toLocaleString('en-US')} of the issue's shape), ${r.connections} connections, ${r.duration} s per case; hello ${Math.round(r.helloPerSecond)} req/s (mean of the two without Accept-Encoding)\n`,
        "| server | page | Accept-Encoding | req/s | ratio to hello | ratio to the hello just before | p50 | p99 | p99 after connecting | non-2xx/errors | server CPU per request | PostgreSQL's CPU per request | bytes per answer |",
        '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
        ...r.cases.map(
          (c) =>
            `| ${c.server} | ${c.page} | ${c.encoding ?? 'none'} | ${Math.round(c.requestsPerSecond)} | ${((100 * c.requestsPerSecond) / r.helloPerSecond).toFixed(1)}% | ${c.helloJustBeforePerSecond ? `${((100 * c.requestsPerSecond) / c.helloJustBeforePerSecond).toFixed(1)}%` : '—'} | ${c.p50} ms | ${c.p99} ms | ${Math.round(c.p99Connected)} ms | ${c.errors} | ${c.cpuMsPerRequest.toFixed(3)} ms | ${c.databaseCpuMsPerRequest === null ? '—' : `${c.databaseCpuMsPerRequest.toFixed(3)} ms`} | ${Math.round(c.bytesPerAnswer)} |`,
        ),
      ].join('\n'),
    )
    .join('\n\n');
}
