// The write path, measured per request: posting a comment (and a reply) through the JSON API and through the HTML form, and
// editing one through the API, on SQLite and PostgreSQL, with the shipped classifier. For each case it reports the database round trips
// one request makes (every statement sent to the database, counted where Kysely logs them: the session lookup, the
// statements built once (executeBuiltOnce) and a transaction's BEGIN and COMMIT included), the
// classifier scorings one request makes, and the time per request (p50, p99, mean) through Fastify's inject.
//
//   npm run bench -- --only write [--db sqlite|postgres] [--posts N]
//   node --import tsx bench/write-path.ts [--db sqlite|postgres] [--posts N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage, type Storage } from '../src/storage/db.js';
import { createEmptyPostgresDatabase } from '../test/helpers/databases.js';
import { buildApp } from '../src/server/app.js';
import { createContext } from '../src/server/context.js';
import { configFromEnv, type ServerConfig } from '../src/config.js';
import { insertSite } from '../src/storage/sites.js';
import { insertStory } from '../src/storage/stories.js';
import { createSession } from '../src/storage/sessions.js';
import { AccountService } from '../src/core/accounts.js';
import { DEFAULT_POLICY } from '../src/moderation/policy.js';
import { loadClassifier } from '../src/engine/index.js';
import type { Scorer } from '../src/moderation/types.js';

export type WriteBenchDialect = 'sqlite' | 'postgres';

export interface WriteBenchOptions {
  dialect: WriteBenchDialect;
  /** Timed requests per case (after 20 untimed ones). */
  posts: number;
  pgAdminUrl: string;
  log: (message: string) => void;
}

export interface WriteCaseResult {
  dialect: WriteBenchDialect;
  name: string;
  roundTrips: number;
  /** Statements by kind, e.g. "select 3, insert 1". */
  statements: string;
  scorings: number;
  p50: number;
  p99: number;
  mean: number;
}

/**
 * Counts every statement sent to the database, by its first keyword (select, insert, with, begin, commit, …): one
 * statement is one round trip. Told by the storage's query log, which sees also the statements Kysely built once and
 * runs again as text (executeBuiltOnce), and a transaction's BEGIN and COMMIT, which a Kysely plugin does not.
 */
class StatementCounter {
  kinds: string[] = [];
  readonly onQuery = (text: string) => {
    this.kinds.push(/^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? 'other');
  };
}

const TEXTS = [
  'A clear and useful piece. The council should publish the full minutes so that readers can judge for themselves.',
  'I disagree with the second point: the figures in the report do not support it, and the author should say so.',
  'Thanks for the reporting. Does anyone know whether the bus route changes start in January or in March?',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function withDatabase<T>(options: WriteBenchOptions, onQuery: (text: string) => void, run: (storage: Storage, location: string) => Promise<T>): Promise<T> {
  if (options.dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'parley-bench-write-'));
    const location = join(dir, 'parley.sqlite');
    const storage = await openStorage({ location, onQuery });
    try {
      return await run(storage, location);
    } finally {
      await storage.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const empty = await createEmptyPostgresDatabase(options.pgAdminUrl, 'parley_bench_write');
  const storage = await openStorage({ location: empty.url, onQuery });
  try {
    return await run(storage, empty.url);
  } finally {
    await storage.close().catch(() => undefined);
    await empty.drop();
  }
}

export async function runWriteBench(options: WriteBenchOptions): Promise<WriteCaseResult[]> {
  const classifier = loadClassifier();
  let scorings = 0;
  const scorer: Scorer = {
    score(text) {
      scorings++;
      return classifier.score(text);
    },
    thresholds: classifier.thresholds,
  };
  const counter = new StatementCounter();
  return withDatabase(options, counter.onQuery, async (storage, location) => {
    const base = configFromEnv({});
    const config: ServerConfig = {
      ...base,
      database: location,
      rateLimits: { ...base.rateLimits, perMinute: 1_000_000, authPerMinute: 1_000_000, writesPerMinute: 1_000_000 },
    };
    const site = await insertSite(storage.db, 'Bench site', JSON.stringify(DEFAULT_POLICY));
    const story = await insertStory(storage.db, {
      site_id: site.id,
      url: 'https://news.example.com/bench',
      title: 'Bench story',
      published_at: Date.now(),
    });
    const author = await new AccountService(storage).create({ username: 'bench_author', email: null, password: 'a long bench password' });
    const session = await createSession(storage.db, author.id, 3_600_000);
    const cookie = `parley_session=${session.secret}`;
    const app = await buildApp(createContext(storage, config, scorer), { logger: false });

    let n = 0;
    // The comment the edit case edits again and again (within the edit window), and the reply case answers.
    const first = await app.inject({
      method: 'POST',
      url: `/api/stories/${story.id}/comments`,
      headers: { cookie, 'x-csrf-token': session.csrfToken },
      payload: { body: 'A comment to edit.' },
    });
    const edited = (first.json() as { id: string }).id;
    // A post through the JSON API: a top-level comment, or a reply to the first one.
    const postApi = async (parentId?: string) => {
      const res = await app.inject({
        method: 'POST',
        url: `/api/stories/${story.id}/comments`,
        headers: { cookie, 'x-csrf-token': session.csrfToken },
        payload: { body: `${TEXTS[n % TEXTS.length]!} (${n++})`, ...(parentId ? { parentId } : {}) },
      });
      return res.statusCode;
    };
    const cases: Array<{ name: string; send: () => Promise<number> }> = [
      { name: 'API: POST /api/stories/:id/comments', send: () => postApi() },
      { name: 'API: POST a reply (parentId)', send: () => postApi(edited) },
      {
        name: 'form: POST /stories/:id/comments',
        send: async () => {
          const res = await app.inject({
            method: 'POST',
            url: `/stories/${story.id}/comments`,
            headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
            payload: new URLSearchParams({ _csrf: session.csrfToken, body: `${TEXTS[n % TEXTS.length]!} (${n++})` }).toString(),
          });
          return res.statusCode;
        },
      },
      {
        name: 'API: PATCH /api/comments/:id (edit)',
        send: async () => {
          const res = await app.inject({
            method: 'PATCH',
            url: `/api/comments/${edited}`,
            headers: { cookie, 'x-csrf-token': session.csrfToken },
            payload: { body: `${TEXTS[n % TEXTS.length]!} (edited ${n++})` },
          });
          return res.statusCode === 200 ? 201 : res.statusCode;
        },
      },
    ];

    const results: WriteCaseResult[] = [];
    for (const c of cases) {
      options.log(`  ${options.dialect}: ${c.name}`);
      for (let i = 0; i < 20; i++) await c.send();
      counter.kinds = [];
      scorings = 0;
      const status = await c.send();
      if (status !== 201 && status !== 303) throw new Error(`${c.name} answered ${status}`);
      const kinds = counter.kinds;
      const perKind = new Map<string, number>();
      for (const k of kinds) perKind.set(k, (perKind.get(k) ?? 0) + 1);
      const once = { roundTrips: kinds.length, statements: [...perKind].map(([k, v]) => `${k} ${v}`).join(', '), scorings };
      const times: number[] = [];
      for (let i = 0; i < options.posts; i++) {
        const started = process.hrtime.bigint();
        await c.send();
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      times.sort((a, b) => a - b);
      results.push({
        dialect: options.dialect,
        name: c.name,
        ...once,
        p50: percentile(times, 50),
        p99: percentile(times, 99),
        mean: times.reduce((a, b) => a + b, 0) / times.length,
      });
    }
    await app.close();
    return results;
  });
}

export function formatWriteResults(results: WriteCaseResult[]): string {
  const lines = [
    '| Database | Request | Round trips | Statements | Scorings | p50 ms | p99 ms | mean ms |',
    '|---|---|---:|---|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.dialect} | ${r.name} | ${r.roundTrips} | ${r.statements} | ${r.scorings} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.mean.toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const db = flag('--db');
  const dialects: WriteBenchDialect[] = db === 'sqlite' || db === 'postgres' ? [db] : ['sqlite', 'postgres'];
  const posts = Number(flag('--posts') ?? 300);
  const pgAdminUrl = flag('--pg-url') ?? process.env.PARLEY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const results: WriteCaseResult[] = [];
  for (const dialect of dialects) results.push(...(await runWriteBench({ dialect, posts, pgAdminUrl, log: (m) => console.error(m) })));
  console.log(formatWriteResults(results));
}
