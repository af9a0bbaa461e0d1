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

/** Mail and webhooks: the outbox's dispatcher and the SMTP server (src/delivery, docs/delivery.md). */
export interface DeliveryConfig {
  /** Whether this process runs a dispatcher that sends what the outbox holds (off: it only writes the outbox). */
  dispatcher: boolean;
  /** How often the dispatcher looks for due deliveries besides being woken by a change of this process. */
  pollMs: number;
  /** The wait before the first retry; each further retry waits twice as long (at most six hours). */
  retryBaseMs: number;
  /** Attempts before a delivery is given up as failed. */
  maxAttempts: number;
  /** How long a webhook receiver has to answer. */
  webhookTimeoutMs: number;
  /** Whether webhooks may call this machine and private networks (refused by default: docs/delivery.md). */
  allowInternalWebhooks: boolean;
  /** How long sent and failed deliveries stay in the log. */
  keepMs: number;
  /** An smtp:// or smtps:// URL; null: this install sends no mail. */
  smtpUrl: string | null;
  /** The From of every mail. */
  mailFrom: string;
  /** The address readers reach this server at, for links in mails (no trailing slash). */
  publicUrl: string;
  /** The hour (UTC) from which the server plans the day's digest of the queues for staff; null: never by itself. */
  digestHourUtc: number | null;
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
  /** Where files uploaded for import wait until they are imported, and the largest one taken (bytes). */
  imports: { dir: string; maxBytes: number };
  delivery: DeliveryConfig;
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

function oneOf<const T extends readonly string[]>(env: NodeJS.ProcessEnv, name: string, values: T, fallback: T[number]): T[number] {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!values.includes(raw)) throw new Error(`${name} must be one of ${values.join(', ')}, not "${raw}"`);
  return raw as T[number];
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const dataDir = resolve(env.PARLEY_DATA_DIR || './data');
  const port = integer(env, 'PORT', 8080);
  const database = env.DATABASE_URL || resolve(dataDir, 'parley.sqlite');
  const redisPrefix = env.PARLEY_REDIS_PREFIX || `parley:${createHash('sha256').update(database).digest('hex').slice(0, 12)}:`;
  return {
    port,
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
    imports: { dir: resolve(dataDir, 'imports'), maxBytes: integer(env, 'PARLEY_IMPORT_MAX_MB', 4096) * 1024 * 1024 },
    redisUrl: env.REDIS_URL || null,
    delivery: {
      dispatcher: env.PARLEY_DELIVERY !== 'off',
      pollMs: integer(env, 'PARLEY_OUTBOX_POLL_MS', 5000),
      retryBaseMs: integer(env, 'PARLEY_OUTBOX_RETRY_SECONDS', 30) * 1000,
      maxAttempts: Math.max(1, integer(env, 'PARLEY_OUTBOX_MAX_ATTEMPTS', 8)),
      webhookTimeoutMs: integer(env, 'PARLEY_WEBHOOK_TIMEOUT_SECONDS', 10) * 1000,
      allowInternalWebhooks: env.PARLEY_WEBHOOK_ALLOW_PRIVATE === 'true' || env.PARLEY_WEBHOOK_ALLOW_PRIVATE === '1',
      keepMs: integer(env, 'PARLEY_OUTBOX_KEEP_DAYS', 30) * 86_400_000,
      smtpUrl: env.PARLEY_SMTP_URL || null,
      mailFrom: env.PARLEY_MAIL_FROM || 'Parley <parley@localhost>',
      publicUrl: (env.PARLEY_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
      digestHourUtc: env.PARLEY_DIGEST_HOUR_UTC === 'off' ? null : Math.min(23, Math.max(0, integer(env, 'PARLEY_DIGEST_HOUR_UTC', 7))),
    },
    redisPrefix,
    pageCache: {
      entries: integer(env, 'PARLEY_PAGE_CACHE_ENTRIES', 200),
      maxAgeMs: integer(env, 'PARLEY_PAGE_CACHE_MAX_AGE_SECONDS', 10) * 1000,
    },
    rateLimits: {
      perMinute: integer(env, 'PARLEY_RATE_LIMIT', 600),
      authPerMinute: integer(env, 'PARLEY_AUTH_RATE_LIMIT', 20),
      writesPerMinute: integer(env, 'PARLEY_WRITE_RATE_LIMIT', 60),
      namespace: `${redisPrefix}rate-`,
    },
    core: {
      ...DEFAULT_CORE_CONFIG,
      editWindowMs: integer(env, 'PARLEY_EDIT_WINDOW_MINUTES', DEFAULT_CORE_CONFIG.editWindowMs / 60_000) * 60_000,
      guests: {
        proofBits: integer(env, 'PARLEY_GUEST_PROOF_BITS', DEFAULT_CORE_CONFIG.guests.proofBits),
        perAddressPerHour: integer(env, 'PARLEY_GUEST_POSTS_PER_ADDRESS', DEFAULT_CORE_CONFIG.guests.perAddressPerHour),
        perBrowserPerHour: integer(env, 'PARLEY_GUEST_POSTS_PER_BROWSER', DEFAULT_CORE_CONFIG.guests.perBrowserPerHour),
      },
      undoWindowMs: integer(env, 'PARLEY_UNDO_WINDOW_SECONDS', DEFAULT_CORE_CONFIG.undoWindowMs / 1000) * 1000,
      addressRetentionMs: integer(env, 'PARLEY_ADDRESS_RETENTION_DAYS', DEFAULT_CORE_CONFIG.addressRetentionMs / 86_400_000) * 86_400_000,
      deletedAccountComments: oneOf(env, 'PARLEY_DELETED_ACCOUNT_COMMENTS', ['placeholder', 'erase'] as const, DEFAULT_CORE_CONFIG.deletedAccountComments),
    },
  };
}
