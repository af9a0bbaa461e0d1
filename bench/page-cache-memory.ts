// Resident memory of a full page cache: seeds one story (HOT comments, default 30,000) on a fresh SQLite database,
// builds the app in process with the shipped classifier, then asks for the story's JSON pages by their cursors and its
// HTML pages with the same cursors, each without Accept-Encoding, with gzip and with br, gzip, until the cache holds
// PARLEY_PAGE_CACHE_ENTRIES pages (default 200). Prints RSS, JS heap and external memory before and after, each read
// after three collections (docs/performance.md "Memory at rest").
//
//   node --expose-gc --import tsx bench/page-cache-memory.ts
import { emptyDatabase } from '../test/helpers/databases.js';
import { openStorage } from '../src/storage/db.js';
import { buildApp, createContext } from '../src/server/app.js';
import { configFromEnv } from '../src/config.js';
import { loadScorer } from '../src/server/scorer.js';
import { DEFAULT_THREAD_OPTIONS, seedForInspection } from './thread.js';

const mb = (bytes: number) => Math.round(bytes / 1048576);
async function settled(): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 3; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return process.memoryUsage();
}

const hot = Number(process.env.HOT ?? 30_000);
const database = await emptyDatabase('sqlite', undefined, 'parley_bench_page_cache_memory');
await (await openStorage({ location: database.location })).close();
const { hotStoryId } = await seedForInspection(database.location, {
  ...DEFAULT_THREAD_OPTIONS,
  dialect: 'sqlite',
  totalComments: hot + 20,
  hotComments: hot,
  smallComments: 20,
  log: () => {},
});
const config = { ...configFromEnv(process.env), database: database.location };
const storage = await openStorage({ location: config.database });
const app = await buildApp(createContext(storage, config, loadScorer(process.env)), { logger: false });
await app.ready();
const cachedPages = async () => Number(/^parley_page_cache_entries (\d+)/m.exec((await app.inject({ url: '/metrics' })).body)?.[1] ?? 0);

await app.inject({ url: `/api/stories/${hotStoryId}/comments` });
const before = await settled();
let cursor: string | null = '';
let bytes = 0;
let pages = 0;
while (cursor !== null && (await cachedPages()) < config.pageCache.entries) {
  const query: string = cursor ? `cursor=${encodeURIComponent(cursor)}` : '';
  for (const encoding of ['', 'gzip', 'br, gzip']) {
    const headers = encoding ? { 'accept-encoding': encoding } : {};
    const json = await app.inject({ url: `/api/stories/${hotStoryId}/comments${query ? `?${query}` : ''}`, headers });
    const html = await app.inject({ url: `/stories/${hotStoryId}?sort=oldest${query ? `&${query}` : ''}`, headers });
    if (!encoding) {
      cursor = (json.json() as { nextCursor: string | null }).nextCursor;
      bytes += json.rawPayload.length + html.rawPayload.length;
      pages += 2;
    }
  }
}
const after = await settled();
console.log(`${await cachedPages()} pages cached (of ${config.pageCache.entries}), ${Math.round(bytes / pages / 1024)} KB each on average uncompressed`);
console.log(`RSS ${mb(before.rss)} -> ${mb(after.rss)} MB, JS heap ${mb(before.heapUsed)} -> ${mb(after.heapUsed)} MB, external ${mb(before.external)} -> ${mb(after.external)} MB`);
await app.close();
await storage.close();
await database.drop();
