// Posting under load: 16 signed-in posters, each on a keep-alive connection of its own opened before the timed
// window, post 300-character comments through the JSON API (POST /api/stories/:id/comments) as fast as the server
// answers, to the real app in its own process with the shipped classifier on, on SQLite and PostgreSQL. A third
// of the posts are replies (to the poster's own first comment). Reports comments per second, p50/p99 of one post,
// answers other than 201, and the server's CPU time per post (process.cpuUsage() over the timed window); on
// PostgreSQL, the database's backends' CPU time per post too (bench/postgres-cpu.ts).
//
//   npm run bench -- --only posting [--db sqlite|postgres] [--duration 10] [--concurrency 16]
import http from 'node:http';
import { openStorage } from '../src/storage/db.js';
import { insertSite } from '../src/storage/sites.js';
import { insertStory } from '../src/storage/stories.js';
import { createSession } from '../src/storage/sessions.js';
import { AccountService } from '../src/core/accounts.js';
import { DEFAULT_POLICY } from '../src/moderation/policy.js';
import { emptyDatabase } from '../test/helpers/databases.js';
import { startServer } from './http.js';
import { postgresCpuMicros, postgresDatabaseOf } from './postgres-cpu.js';
import type { BenchDialect } from './thread.js';

export interface PostingBenchOptions {
  dialect: BenchDialect;
  posters: number;
  /** Seconds of the timed window (after a warm-up of a fifth of it, at least 2 s, on the same connections). */
  duration: number;
  pgAdminUrl: string;
  log: (message: string) => void;
}

export interface PostingBenchResult {
  dialect: BenchDialect;
  posters: number;
  duration: number;
  postsPerSecond: number;
  p50: number;
  p99: number;
  /** Answers other than 201, and failed requests. */
  errors: number;
  cpuMsPerPost: number;
  /** Of that, the server's main (event-loop) thread's; null where it cannot be read (see bench/http-server.ts). */
  mainThreadCpuMsPerPost: number | null;
  /** PostgreSQL's backends' CPU time per post; null on SQLite (its work is in `cpuMsPerPost`). */
  databaseCpuMsPerPost: number | null;
}

const WORDS = (
  'the council said on tuesday that its budget for roads would rise next year while the library hours fall ' +
  'residents asked whether the bus routes change in january and who will pay for the new bridge over the river ' +
  'a clear report thanks though the figures in the second table do not match what the minutes of the meeting say'
).split(' ');

/** A 300-character comment, different for every n (a plain text the shipped classifier publishes). */
export function postingText(n: number): string {
  const words: string[] = [];
  let length = 0;
  for (let i = 0; length < 300; i++) {
    const word = WORDS[(n * 7 + i * 13 + Math.floor(i / WORDS.length)) % WORDS.length]!;
    words.push(word);
    length += word.length + 1;
  }
  return `${words.join(' ').slice(0, 290)} (${n})`.padEnd(300, '.').slice(0, 300);
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

interface Poster {
  agent: http.Agent;
  cookie: string;
  csrf: string;
  firstId: string | null;
}

function post(port: number, path: string, poster: Poster, body: { body: string; parentId?: string }): Promise<{ status: number; id: string | null }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: poster.agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), cookie: poster.cookie, 'x-csrf-token': poster.csrf },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          let id: string | null = null;
          if (response.statusCode === 201) id = (JSON.parse(Buffer.concat(chunks).toString()) as { id: string }).id;
          resolve({ status: response.statusCode ?? 0, id });
        });
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

export async function runPostingBench(o: PostingBenchOptions): Promise<PostingBenchResult> {
  const { location, drop } = await emptyDatabase(o.dialect, o.pgAdminUrl, 'parley_bench_posting');
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const storage = await openStorage({ location });
    const site = await insertSite(storage.db, 'Bench site', JSON.stringify(DEFAULT_POLICY));
    const story = await insertStory(storage.db, { site_id: site.id, url: 'https://news.example.com/posting', title: 'Posting bench', published_at: Date.now() });
    const accounts = new AccountService(storage);
    const posters: Poster[] = [];
    for (let i = 0; i < o.posters; i++) {
      const user = await accounts.create({ username: `poster_${i}`, email: null, password: 'a long bench password' });
      const session = await createSession(storage.db, user.id, 3_600_000);
      posters.push({ agent: new http.Agent({ keepAlive: true, maxSockets: 1 }), cookie: `parley_session=${session.secret}`, csrf: session.csrfToken, firstId: null });
    }
    await storage.close();
    server = await startServer('parley', { DATABASE_URL: location, PARLEY_RATE_LIMIT: '1000000000', PARLEY_WRITE_RATE_LIMIT: '1000000000', LOG_LEVEL: 'warn' });
    const port = server.port;
    const path = `/api/stories/${story.id}/comments`;
    let n = 0;
    // Each poster posts until `until`; the latencies of posts started in the timed window are kept.
    const loop = async (poster: Poster, until: number, times: number[] | null, errors: { count: number }) => {
      while (Date.now() < until) {
        const k = n++;
        const body = { body: postingText(k), ...(poster.firstId && k % 3 === 0 ? { parentId: poster.firstId } : {}) };
        const started = process.hrtime.bigint();
        const answer = await post(port, path, poster, body).catch(() => ({ status: 0, id: null }));
        if (answer.status !== 201) errors.count++;
        poster.firstId ??= answer.id;
        times?.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    };
    o.log(`posting: ${o.posters} posters, warm-up (${o.dialect})`);
    const warmErrors = { count: 0 };
    const warmUntil = Date.now() + Math.max(2, Math.round(o.duration / 5)) * 1000;
    await Promise.all(posters.map((p) => loop(p, warmUntil, null, warmErrors)));
    if (warmErrors.count) o.log(`posting: ${warmErrors.count} failed posts in the warm-up`);
    o.log(`posting: timed window of ${o.duration} s`);
    const times: number[] = [];
    const errors = { count: 0 };
    const database = postgresDatabaseOf(location);
    const databaseBefore = database === null ? null : postgresCpuMicros(database);
    const before = await server.cpu();
    const started = Date.now();
    await Promise.all(posters.map((p) => loop(p, started + o.duration * 1000, times, errors)));
    const seconds = (Date.now() - started) / 1000;
    const after = await server.cpu();
    const databaseAfter = database === null ? null : postgresCpuMicros(database);
    for (const p of posters) p.agent.destroy();
    times.sort((a, b) => a - b);
    return {
      dialect: o.dialect,
      posters: o.posters,
      duration: o.duration,
      postsPerSecond: (times.length - errors.count) / seconds,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      errors: errors.count,
      cpuMsPerPost: times.length ? (after.micros - before.micros) / 1000 / times.length : NaN,
      mainThreadCpuMsPerPost:
        before.mainThreadMicros === null || after.mainThreadMicros === null || !times.length ? null : (after.mainThreadMicros - before.mainThreadMicros) / 1000 / times.length,
      databaseCpuMsPerPost: databaseBefore === null || databaseAfter === null || !times.length ? null : (databaseAfter - databaseBefore) / 1000 / times.length,
    };
  } finally {
    await server?.stop();
    await drop();
  }
}

export function formatPostingResults(results: PostingBenchResult[]): string {
  return [
    "| database | posters | comments/s | p50 | p99 | non-201/errors | server CPU per post | of which its main thread | PostgreSQL's CPU per post |",
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.dialect} | ${r.posters} | ${Math.round(r.postsPerSecond)} | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${r.errors} | ${r.cpuMsPerPost.toFixed(3)} ms | ${r.mainThreadCpuMsPerPost === null ? '—' : `${r.mainThreadCpuMsPerPost.toFixed(3)} ms`} | ${r.databaseCpuMsPerPost === null ? '—' : `${r.databaseCpuMsPerPost.toFixed(3)} ms`} |`,
    ),
  ].join('\n');
}
