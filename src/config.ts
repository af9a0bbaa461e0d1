// Reads the process environment once, at start. Every setting has a working default.
import { createHash } from 'node:crypto';
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
  /**
   * What every Redis key and channel of this install starts with, so that two installs on one Redis never cross:
   * PARLEY_REDIS_PREFIX, else one derived from the database (the processes of one install share it).
   */
  redisPrefix: string;
  /** How often live queue counts are re-read for the console. */
  eventPollMs: number;
  /** How long a stopping process may take to finish its requests before it exits anyway. */
  shutdownGraceMs: number;
  /** The bearer token /metrics asks for; without one, /metrics answers only on this machine. */
  metricsToken: string | null;
  /** One log line per request (at info); errors are logged either way. */
  accessLog: boolean;
  /** How long thread events stay in the log for readers who reconnect (older ones are pruned; 0 keeps all). */
  eventRetentionMs: number;
  /** Where each site's own model is, as <siteId>.model (`parley model train --out`). */
  siteModelsDir: string;
  core: CoreConfig;
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
  const database = env.DATABASE_URL || resolve(dataDir, 'parley.sqlite');
  const redisPrefix = env.PARLEY_REDIS_PREFIX || `parley:${createHash('sha256').update(database).digest('hex').slice(0, 12)}:`;
  return {
    port: integer(env, 'PORT', 8080),
    // This machine only, unless told otherwise: a first start must not put a fresh admin on the network.
    host: env.HOST || '127.0.0.1',
    database,
    trustProxy: env.PARLEY_TRUST_PROXY === 'true' || env.PARLEY_TRUST_PROXY === '1',
    logLevel: env.LOG_LEVEL || 'info',
    eventPollMs: integer(env, 'PARLEY_EVENT_POLL_MS', 2000),
    shutdownGraceMs: integer(env, 'PARLEY_SHUTDOWN_GRACE_SECONDS', 10) * 1000,
    metricsToken: env.PARLEY_METRICS_TOKEN || null,
    accessLog: env.PARLEY_ACCESS_LOG === 'true' || env.PARLEY_ACCESS_LOG === '1',
    eventRetentionMs: integer(env, 'PARLEY_EVENT_RETENTION_HOURS', 48) * 3_600_000,
    siteModelsDir: resolve(env.PARLEY_SITE_MODELS || 'models/sites'),
    redisUrl: env.REDIS_URL || null,
    redisPrefix,
    rateLimits: {
      perMinute: integer(env, 'PARLEY_RATE_LIMIT', 600),
      authPerMinute: integer(env, 'PARLEY_AUTH_RATE_LIMIT', 20),
      writesPerMinute: integer(env, 'PARLEY_WRITE_RATE_LIMIT', 60),
      namespace: `${redisPrefix}rate-`,
    },
    core: {
      ...DEFAULT_CORE_CONFIG,
      editWindowMs: integer(env, 'PARLEY_EDIT_WINDOW_MINUTES', DEFAULT_CORE_CONFIG.editWindowMs / 60_000) * 60_000,
    },
  };
}
