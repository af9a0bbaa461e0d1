// Reads the process environment once, at start. Every setting has a working default.
import { resolve } from 'node:path';
import { DEFAULT_CORE_CONFIG, type CoreConfig } from './core/config.js';

export interface RateLimits {
  /** Requests a minute from one address, all routes together. */
  perMinute: number;
  /** Log-ins and sign-ups a minute from one address. */
  authPerMinute: number;
  /** Comments, edits and votes a minute from one address. */
  writesPerMinute: number;
  /** Prefix of the rate-limit keys in Redis. */
  namespace: string;
}

export interface ServerConfig {
  port: number;
  host: string;
  /** A postgres:// URL or a SQLite file path. */
  database: string;
  /** Trust X-Forwarded-* from a reverse proxy (needed to see https and the client's address). */
  trustProxy: boolean;
  logLevel: string;
  rateLimits: RateLimits;
  /** A redis:// URL: rate limits then count across every server process, not per process. */
  redisUrl: string | null;
  /** How often live queue counts are re-read for the console. */
  eventPollMs: number;
  /** How long a stopping process may take to finish its requests before it exits anyway. */
  shutdownGraceMs: number;
  /** The bearer token /metrics asks for; without one, /metrics answers only on this machine. */
  metricsToken: string | null;
  /** One log line per request (at info); errors are logged either way. */
  accessLog: boolean;
  /** Where each site's own model is, as <siteId>.model (`parley model train --out`). */
  siteModelsDir: string;
  pageCache: PageCacheSettings;
  core: CoreConfig;
}

/** The per-process cache of the pages anonymous readers get (src/server/page-cache.ts). */
export interface PageCacheSettings {
  /** Pages kept, least recently used dropped first; 0 turns the cache off. */
  entries: number;
  /** The longest a page is served from the cache, even if no thread event reached this process. */
  maxAgeMs: number;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not "${raw}"`);
  return value;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const dataDir = resolve(env.PARLEY_DATA_DIR || './data');
  return {
    port: integer(env, 'PORT', 8080),
    // This machine only, unless told otherwise: a first start must not put a fresh admin on the network.
    host: env.HOST || '127.0.0.1',
    database: env.DATABASE_URL || resolve(dataDir, 'parley.sqlite'),
    trustProxy: env.PARLEY_TRUST_PROXY === 'true' || env.PARLEY_TRUST_PROXY === '1',
    logLevel: env.LOG_LEVEL || 'info',
    eventPollMs: integer(env, 'PARLEY_EVENT_POLL_MS', 2000),
    shutdownGraceMs: integer(env, 'PARLEY_SHUTDOWN_GRACE_SECONDS', 10) * 1000,
    metricsToken: env.PARLEY_METRICS_TOKEN || null,
    accessLog: env.PARLEY_ACCESS_LOG === 'true' || env.PARLEY_ACCESS_LOG === '1',
    siteModelsDir: resolve(env.PARLEY_SITE_MODELS || 'models/sites'),
    redisUrl: env.REDIS_URL || null,
    pageCache: {
      entries: integer(env, 'PARLEY_PAGE_CACHE_ENTRIES', 200),
      maxAgeMs: integer(env, 'PARLEY_PAGE_CACHE_MAX_AGE_SECONDS', 10) * 1000,
    },
    rateLimits: {
      perMinute: integer(env, 'PARLEY_RATE_LIMIT', 600),
      authPerMinute: integer(env, 'PARLEY_AUTH_RATE_LIMIT', 20),
      writesPerMinute: integer(env, 'PARLEY_WRITE_RATE_LIMIT', 60),
      namespace: 'parley-rate-',
    },
    core: {
      ...DEFAULT_CORE_CONFIG,
      editWindowMs: integer(env, 'PARLEY_EDIT_WINDOW_MINUTES', DEFAULT_CORE_CONFIG.editWindowMs / 60_000) * 60_000,
    },
  };
}
