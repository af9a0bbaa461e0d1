import { configFromEnv } from '../config.js';
import { openStorage } from '../storage/db.js';
import { buildApp } from '../server/app.js';
import { createContext } from '../server/context.js';
import { Metrics } from '../server/metrics.js';
import { loadScorer } from '../server/scorer.js';
import { firstStart } from '../core/demo.js';
import { ParleyError } from '../core/errors.js';

export async function run(): Promise<number> {
  const config = configFromEnv();
  const metrics = new Metrics();
  const storage = await openStorage({ location: config.database, onQuery: metrics.observeQuery });
  const context = createContext(storage, config, loadScorer(), metrics);
  try {
    const created = await firstStart(storage, context.comments);
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
  const app = await buildApp(context);
  // Graceful stop: /readyz turns 503 so a load balancer stops sending traffic, the server stops accepting
  // connections and finishes the requests it has (event streams are closed), then the process exits —
  // within a bound, whatever still hangs.
  const stop = async (signal: string) => {
    context.lifecycle.draining = true;
    app.log.info({ signal }, 'draining: finishing requests in flight, then exiting');
    setTimeout(() => process.exit(1), config.shutdownGraceMs).unref();
    await app.close();
    await storage.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  return 0;
}
