// Resident memory of one Parley server at rest, with the shipped classifier loaded: builds the app on a fresh SQLite
// database in a temp folder, listens, waits 3 s, collects garbage and prints RSS and where it goes
// (docs/performance.md "Memory at rest").
//
//   node --expose-gc --import tsx bench/memory.ts
import { getHeapSpaceStatistics } from 'node:v8';
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
const mb = (bytes: number) => Math.round(bytes / 1048576);
const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
const youngGeneration = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.physical_space_size ?? 0;
console.log(`RSS ${mb(rss)} MB, JS heap ${mb(heapUsed)} MB`);
console.log(
  `  JS heap committed ${mb(heapTotal)} MB (young generation ${mb(youngGeneration)} MB); outside it ${mb(external)} MB ` +
    `(array buffers ${mb(arrayBuffers)} MB: the classifier's weights and its word cache); the rest of RSS is code, ` +
    `Node's own binary and malloc's heaps`,
);
await app.close();
await storage.close();
await database.drop();
