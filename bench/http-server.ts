// One server process for the HTTP benchmark (bench/http.ts forks it): a bare Fastify "hello" (`hello`) or the
// real Parley app (`parley`, configured from the environment; the classifier unless PARLEY_CLASSIFIER=off), on a free loopback port. Answers the parent's
// questions over IPC: its CPU time so far (to divide by the requests served) and when to stop.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { openStorage } from '../src/storage/db.js';
import { buildApp, createContext } from '../src/server/app.js';
import { configFromEnv } from '../src/config.js';
import { loadScorer } from '../src/server/scorer.js';

async function start(kind: string): Promise<{ port: number; close(): Promise<void> }> {
  if (kind === 'hello') {
    const app = Fastify({ logger: false });
    app.get('/', async () => ({ hello: 'world' }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { port: (app.server.address() as AddressInfo).port, close: () => app.close() };
  }
  const config = configFromEnv(process.env);
  const storage = await openStorage({ location: config.database });
  const app = await buildApp(createContext(storage, config, loadScorer(process.env)), { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    port: (app.server.address() as AddressInfo).port,
    close: async () => {
      await app.close();
      await storage.close();
    },
  };
}

/**
 * The CPU time of this (the main, event-loop) thread alone, in µs: Linux's run time of the thread in ns, in
 * /proc/thread-self/schedstat; null elsewhere. process.cpuUsage counts every thread (V8's compilers and collector too).
 */
function mainThreadMicros(): number | null {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1000;
  } catch {
    return null;
  }
}

const server = await start(process.argv[2] ?? 'hello');
process.on('message', async (message: { type: string }) => {
  if (message.type === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send!({ type: 'cpu', micros: user + system, mainThreadMicros: mainThreadMicros(), rss: process.memoryUsage().rss });
  }
  if (message.type === 'stop') {
    await server.close();
    process.exit(0);
  }
});
process.send!({ type: 'ready', port: server.port });
