// `npm run bench`: the thread benchmark on SQLite and PostgreSQL, then the classifier benchmark
// (bench/engine.ts) when it is present. See bench/README.md.
//
//   npm run bench -- --only thread --db sqlite --comments 50000 --hot 5000
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEFAULT_THREAD_OPTIONS, formatThreadResults, runThreadBench, type BenchDialect, type ThreadBenchResult } from './thread.js';
import { formatWriteResults, runWriteBench, type WriteCaseResult } from './write-path.js';
import { formatSseResults, runSseBench, type SseBenchResult } from './sse.js';
import { formatHttpResults, runHttpBench, type HttpBenchResult } from './http.js';
import { formatPostingResults, runPostingBench, type PostingBenchResult } from './posting.js';

const USAGE = `usage: npm run bench -- [--only thread|write|sse|http|posting|engine|import] [--db sqlite|postgres] [--comments N] [--hot N]
                      [--iterations N] [--posts N] [--concurrency N] [--pg-url postgres://...]
                      [--readers N] [--burst N] [--processes 1|2] [--duration N]
  --readers    open event streams, live-updates benchmark (default 2000)
  --burst      comments posted at once while they listen (default 100)
  --processes  server processes (2: PostgreSQL only; default: 1, and 2 on PostgreSQL)
  --duration   seconds of each timed window, HTTP and posting benchmarks (default 10)
  --concurrency posters, posting benchmark (default 16); concurrent posters, thread benchmark (default 8)
  --comments   comments in the database in all (default 1000000)
  --hot        comments on the hot story (default 10000)
  --iterations timed reads per measurement (default 200)
  --posts      comments posted for the posting rate (default 2000; the write-path benchmark: 300)
  --pg-url     a server where a throw-away database may be created and dropped
               (default $PARLEY_BENCH_PG_URL or postgres://postgres@127.0.0.1:5432/postgres)`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function count(flag: string, raw: string | undefined): number {
  const value = Number((raw ?? '').replace(/[_,]/g, ''));
  if (!Number.isInteger(value) || value < 0) fail(`${flag} needs a whole number, not "${raw ?? ''}"`);
  return value;
}

function parseArgs(argv: string[]) {
  const args = {
    only: null as 'thread' | 'write' | 'sse' | 'http' | 'posting' | 'engine' | 'import' | null,
    concurrencyGiven: false,
    duration: 10,
    readers: 2000,
    burst: 100,
    processes: null as 1 | 2 | null,
    postsGiven: false,
    dbs: ['sqlite', 'postgres'] as BenchDialect[],
    ...DEFAULT_THREAD_OPTIONS,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--only': {
        const v = value();
        if (v !== 'thread' && v !== 'write' && v !== 'sse' && v !== 'http' && v !== 'posting' && v !== 'engine' && v !== 'import') {
          fail(`--only takes thread, write, sse, http, posting, engine or import, not "${v ?? ''}"`);
        }
        args.only = v;
        break;
      }
      case '--db': {
        const v = value();
        if (v !== 'sqlite' && v !== 'postgres') fail(`--db takes sqlite or postgres, not "${v ?? ''}"`);
        args.dbs = [v];
        break;
      }
      case '--comments':
        args.totalComments = count(flag, value());
        break;
      case '--hot':
        args.hotComments = count(flag, value());
        break;
      case '--iterations':
        args.iterations = Math.max(1, count(flag, value()));
        break;
      case '--posts':
        args.posts = count(flag, value());
        args.postsGiven = true;
        break;
      case '--concurrency':
        args.concurrency = Math.max(1, count(flag, value()));
        args.concurrencyGiven = true;
        break;
      case '--readers':
        args.readers = Math.max(1, count(flag, value()));
        break;
      case '--burst':
        args.burst = Math.max(1, count(flag, value()));
        break;
      case '--processes': {
        const v = count(flag, value());
        if (v !== 1 && v !== 2) fail('--processes takes 1 or 2');
        args.processes = v;
        break;
      }
      case '--duration':
        args.duration = Math.max(1, count(flag, value()));
        break;
      case '--pg-url':
        args.pgAdminUrl = value() ?? fail('--pg-url needs a URL');
        break;
      case '-h':
      case '--help':
        console.log(USAGE);
        process.exit(0);
      default:
        fail(`unknown argument "${arg}"`);
    }
  }
  if (args.hotComments + args.smallComments > args.totalComments) fail('--comments must be larger than --hot');
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  let failed = false;

  if (args.only === null || args.only === 'thread') {
    const results: ThreadBenchResult[] = [];
    const log = (message: string) => console.error(message);
    for (const dialect of args.dbs) {
      try {
        results.push(await runThreadBench({ ...args, dialect, log }));
      } catch (error) {
        failed = true;
        console.error(`thread benchmark on ${dialect} failed:`, error);
      }
    }
    if (results.length > 0) {
      console.log(`\n## Thread benchmark (${new Date().toISOString()})\n`);
      console.log(formatThreadResults(results));
    }
  }

  if (args.only === null || args.only === 'write') {
    const results: WriteCaseResult[] = [];
    for (const dialect of args.dbs) {
      try {
        const posts = args.postsGiven ? args.posts : 300;
        results.push(...(await runWriteBench({ dialect, posts, pgAdminUrl: args.pgAdminUrl, log: (m) => console.error(m) })));
      } catch (error) {
        failed = true;
        console.error(`write-path benchmark on ${dialect} failed:`, error);
      }
    }
    if (results.length > 0) {
      console.log(`\n## Write path (${new Date().toISOString()})\n`);
      console.log(formatWriteResults(results));
    }
  }

  if (args.only === null || args.only === 'sse') {
    const results: SseBenchResult[] = [];
    for (const dialect of args.dbs) {
      const counts = args.processes ? [args.processes] : dialect === 'postgres' ? [1, 2] : [1];
      for (const processes of counts as Array<1 | 2>) {
        try {
          results.push(await runSseBench({ dialect, processes, readers: args.readers, burst: args.burst, pgAdminUrl: args.pgAdminUrl, log: (m) => console.error(m) }));
        } catch (error) {
          failed = true;
          console.error(`live-updates benchmark on ${dialect} with ${processes} process(es) failed:`, error);
        }
      }
    }
    if (results.length > 0) {
      console.log(`\n## Live updates (${new Date().toISOString()})\n`);
      console.log(formatSseResults(results));
    }
  }

  if (args.only === null || args.only === 'http') {
    const results: HttpBenchResult[] = [];
    for (const dialect of args.dbs) {
      try {
        results.push(
          await runHttpBench({
            dialect,
            hotComments: args.hotComments,
            smallComments: 100,
            shapedComments: args.hotComments,
            duration: args.duration,
            connections: 50,
            pgAdminUrl: args.pgAdminUrl,
            log: (m) => console.error(m),
          }),
        );
      } catch (error) {
        failed = true;
        console.error(`HTTP benchmark on ${dialect} failed:`, error);
      }
    }
    if (results.length > 0) {
      console.log(`\n## HTTP: Parley against a bare Fastify hello (${new Date().toISOString()})\n`);
      console.log(formatHttpResults(results));
    }
  }

  if (args.only === null || args.only === 'posting') {
    const results: PostingBenchResult[] = [];
    for (const dialect of args.dbs) {
      try {
        const posters = args.concurrencyGiven ? args.concurrency : 16;
        results.push(await runPostingBench({ dialect, posters, duration: args.duration, pgAdminUrl: args.pgAdminUrl, log: (m) => console.error(m) }));
      } catch (error) {
        failed = true;
        console.error(`posting benchmark on ${dialect} failed:`, error);
      }
    }
    if (results.length > 0) {
      console.log(`\n## Posting under load (${new Date().toISOString()})\n`);
      console.log(formatPostingResults(results));
    }
  }

  if (args.only === null || args.only === 'engine') {
    const engine = fileURLToPath(new URL('./engine.ts', import.meta.url));
    if (existsSync(engine)) {
      console.log('\n## Classifier benchmark (bench/engine.ts)\n');
      const child = spawnSync(process.execPath, ['--import', 'tsx', engine], { stdio: 'inherit' });
      if (child.status !== 0) {
        failed = true;
        console.error(`bench/engine.ts exited with ${child.status ?? child.signal}`);
      }
    } else if (args.only === 'engine') {
      fail('bench/engine.ts does not exist yet');
    }
  }

  // Not part of the default run: a million comments take minutes per database.
  if (args.only === 'import') {
    const importBench = fileURLToPath(new URL('./import.ts', import.meta.url));
    for (const dialect of args.dbs) {
      console.log(`\n## Import benchmark (bench/import.ts, ${dialect})\n`);
      const child = spawnSync(process.execPath, ['--import', 'tsx', importBench, '--db', dialect, '--comments', String(args.totalComments), '--stories', String(Math.max(1, Math.round(args.totalComments / 50)))], { stdio: 'inherit' });
      if (child.status !== 0) {
        failed = true;
        console.error(`bench/import.ts on ${dialect} exited with ${child.status ?? child.signal}`);
      }
    }
  }

  console.error(`\nbench finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exit(failed ? 1 : 0);
}

await main();
