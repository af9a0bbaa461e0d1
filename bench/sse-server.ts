// One Parley server process for the live-updates benchmark (bench/sse.ts forks it): listens on a free loopback
// port and answers the parent's questions about its memory over IPC.
import type { AddressInfo } from 'node:net';
import { openStorage } from '../src/storage/db.js';
import { buildApp, createContext } from '../src/server/app.js';
import { configFromEnv } from '../src/config.js';

const config = configFromEnv(process.env);
const storage = await openStorage({ location: config.database });
const context = createContext(storage, config, null);
const app = await buildApp(context, { logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.server.address() as AddressInfo;

const memory = () => {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, readers: context.live.readers };
};
process.on('message', async (message: { type: string }) => {
  if (message.type === 'memory') process.send!({ type: 'memory', ...memory() });
  if (message.type === 'stop') {
    await app.close();
    await storage.close();
    process.exit(0);
  }
});
process.send!({ type: 'ready', port });
