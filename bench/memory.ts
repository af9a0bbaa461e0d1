// Resident memory of one Parley server at rest, with the shipped classifier loaded: builds the app on a fresh SQLite
// database in a temp folder, listens, waits 3 s, collects garbage and prints RSS and JS heap in MB.
//
//   node --expose-gc --import tsx bench/memory.ts
import { emptyDatabase } from '../test/helpers/databases.js';
import { openStorage } from '../src/storage/db.js';
import { buildApp, createContext } from '../src/server/app.js';
import { configFromEnv } from '../src/config.js';
import { loadScorer } from '../src/server/scorer.js';

const database = await emptyDatabase('sqlite', undefined, 'parley_bench_memory');
const config = { ...configFromEnv(process.env), database: database.location };
const storage = await openStorage({ location: config.database });
const app = await buildApp(createContext(storage, config, loadScorer(process.env)), { logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
await new Promise((resolve) => setTimeout(resolve, 3000));
(globalThis as { gc?: () => void }).gc?.();
const { rss, heapUsed } = process.memoryUsage();
console.log(`RSS ${Math.round(rss / 1048576)} MB, JS heap ${Math.round(heapUsed / 1048576)} MB`);
await app.close();
await storage.close();
await database.drop();
