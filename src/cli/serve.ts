// `parley serve [--workers N]`: the HTTP server. With several workers (Node's cluster), the primary process
// prepares the database once (migrations, the first start's demo and admin), then forks the workers, which
// share the port; every shared state lives in the database (and Redis, where configured).
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { configFromEnv, type ServerConfig } from '../config.js';
import { openStorage, type Storage } from '../storage/db.js';
import { buildApp } from '../server/app.js';
import { createContext, type AppContext } from '../server/context.js';
import { Metrics } from '../server/metrics.js';
import { loadScorer } from '../server/scorer.js';
import { firstStart } from '../core/demo.js';
import { ParleyError } from '../core/errors.js';
import { CommentService } from '../core/comments.js';
import { ModerationStep } from '../moderation/step.js';
import { parseArgs } from './args.js';

const USAGE = 'usage: parley serve [--workers N]   (N processes sharing the port; "auto": one per CPU core)\n';

/** Migrations, and on an empty database the demo site, story and admin, whose password is printed once. */
async function prepare(storage: Storage, config: ServerConfig, comments: CommentService): Promise<void> {
  try {
    const created = await firstStart(storage, comments);
    if (created) {
      process.stdout.write(
        `\nFirst start: created a demo site and story.\n` +
          `  Admin login (shown only this once): username "${created.admin.username}", password "${created.admin.password}"\n` +
          `  Demo story: http://localhost:${config.port}/stories/${created.storyId}\n\n`,
      );
    }
  } catch (error) {
    // Several servers starting on one empty PostgreSQL database: one of them sets it up.
    if (!(error instanceof ParleyError && error.code === 'username_taken')) throw error;
  }
}

/**
 * Graceful stop: /readyz turns 503 so a load balancer stops sending traffic, the server stops accepting
 * connections and finishes the requests it has (event streams are closed), then the process exits —
 * within a bound, whatever still hangs.
 */
function stopGracefully(context: AppContext, close: () => Promise<void>, log: (message: string) => void) {
  const stop = async (signal: string) => {
    context.lifecycle.draining = true;
    log(`${signal}: draining: finishing requests in flight, then exiting`);
    setTimeout(() => process.exit(1), context.config.shutdownGraceMs).unref();
    await close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

async function serveHere(config: ServerConfig, prepareFirst: boolean): Promise<void> {
  const metrics = new Metrics();
  const storage = await openStorage({ location: config.database, onQuery: metrics.observeQuery });
  const context = createContext(storage, config, loadScorer(), metrics);
  if (prepareFirst) await prepare(storage, config, context.comments);
  const app = await buildApp(context);
  stopGracefully(
    context,
    async () => {
      await app.close();
      await storage.close();
    },
    (message) => app.log.info(message),
  );
  await app.listen({ port: config.port, host: config.host });
}

/** The primary of several workers: prepares the database, forks, replaces a worker that dies, and stops them all. */
async function superviseWorkers(config: ServerConfig, workers: number): Promise<void> {
  const storage = await openStorage({ location: config.database });
  try {
    await prepare(storage, config, new CommentService(storage, new ModerationStep(loadScorer()), config.core));
  } finally {
    await storage.close();
  }
  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    process.stderr.write(`worker ${worker.process.pid} ended (${signal ?? code}); starting another\n`);
    cluster.fork();
  });
  for (let i = 0; i < workers; i++) cluster.fork();
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    process.stderr.write(`${signal}: stopping ${Object.keys(cluster.workers ?? {}).length} workers\n`);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => process.exit(1), config.shutdownGraceMs + 2000).unref();
    const check = setInterval(() => {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        clearInterval(check);
        process.exit(0);
      }
    }, 100);
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

export async function run(args: string[] = []): Promise<number> {
  const raw = parseArgs(args).flags.get('workers') ?? '1';
  const workers = raw === 'auto' ? availableParallelism() : Number(raw);
  if (!Number.isInteger(workers) || workers < 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = configFromEnv();
  if (cluster.isWorker) await serveHere(config, false);
  else if (workers === 1) await serveHere(config, true);
  else await superviseWorkers(config, workers);
  return 0;
}
