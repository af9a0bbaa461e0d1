// Opens the database named by the configuration: SQLite (a file, or :memory:) or PostgreSQL.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { CompiledQuery, Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type LogEvent, type PostgresPool, type PostgresPoolClient, type SqliteStatement } from 'kysely';
import type { Database } from './schema.js';
import { migrateToLatest } from './migrations.js';
import { AUTOCHECKPOINT_FRAMES, WalCheckpointer, setCheckpointer } from './wal-checkpoint.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Storage {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
  /** SQLite only: a consistent copy of the database in a new file, taken while the server keeps serving. */
  backup?(path: string): Promise<void>;
  /**
   * PostgreSQL only: listens on a NOTIFY channel over one connection of its own. `onMessage` gets each payload,
   * and null after the connection was lost and made again (something may have been missed: catch up).
   * Returns the function that stops listening.
   */
  listen?(channel: string, onMessage: (payload: string | null) => void): Promise<() => Promise<void>>;
}

/** One LISTEN connection that reconnects (after a second) when the server drops it. */
async function listenOn(location: string, channel: string, onMessage: (payload: string | null) => void): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (reconnecting: boolean): Promise<void> => {
    const next = new pg.Client({ connectionString: location });
    next.on('notification', (message) => {
      if (message.channel === channel) onMessage(message.payload ?? null);
    });
    const lost = () => {
      if (stopped || client !== next) return;
      client = null;
      void next.end().catch(() => undefined);
      retry = setTimeout(() => void connect(true).catch(lostAgain), 1000);
    };
    const lostAgain = (error: unknown) => {
      process.emitWarning(`PostgreSQL LISTEN connection lost: ${error instanceof Error ? error.message : String(error)}`);
      if (!stopped) retry = setTimeout(() => void connect(true).catch(lostAgain), 1000);
    };
    next.on('error', lost);
    next.on('end', lost);
    await next.connect();
    await next.query(`LISTEN ${pg.Client.prototype.escapeIdentifier(channel)}`);
    client = next;
    if (stopped) {
      await next.end();
      return;
    }
    if (reconnecting) onMessage(null);
  };
  await connect(false);
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const current = client;
    client = null;
    await current?.end().catch(() => undefined);
  };
}

/** Prepared statements kept per connection: every statement the application runs, with room to spare. */
const STATEMENT_CACHE = 500;

/** A prepared statement as Kysely's SQLite driver uses it, and whether it is being iterated (a stream). */
type CachedStatement = SqliteStatement & { readonly busy: boolean };

/**
 * The SQLite database as Kysely's driver sees it, with each statement prepared once and reused: compiling SQL
 * (a page's replies are one long UNION ALL) cost more than running it. Least recently used statements are
 * finalized past the bound; a statement still being iterated (a stream) is never handed out twice. Dropped statements are finalized when
 * collected.
 */
function withStatementCache(sqlite: SQLite.Database, size = STATEMENT_CACHE) {
  const statements = new Map<string, CachedStatement>();
  const streams = { open: 0 };
  return {
    /** Whether a statement is being iterated (a stream): better-sqlite3 runs no other statement meanwhile. */
    get streaming() {
      return streams.open > 0;
    },
    close: () => sqlite.close(),
    prepare(text: string): CachedStatement {
      const cached = statements.get(text);
      if (cached && !cached.busy) {
        // Refreshes its place: a Map iterates in insertion order, so the first key is the least recently used.
        statements.delete(text);
        statements.set(text, cached);
        return cached;
      }
      const statement = rowsAsObjects(sqlite.prepare(text), streams);
      if (!cached) {
        statements.set(text, statement);
        if (statements.size > size) statements.delete(statements.keys().next().value!);
      }
      return statement;
    },
  };
}

/**
 * A statement whose rows the driver hands over as arrays, made into objects by a function written for its columns.
 * better-sqlite3 builds each row object key by key (a page's 100 rows of 14 columns: about a quarter of the
 * statement's time); an object literal of a fixed shape is cheaper to make and to read. The rows are the same: the
 * same keys in the same order (a repeated name keeps its last value, as the driver's own objects do).
 */
function rowsAsObjects(statement: SQLite.Statement, streams: { open: number }): CachedStatement {
  if (!statement.reader || statement.columns().some((column) => column.name === '__proto__')) return statement;
  // Written again when the rows' width changes: SQLite prepares a statement anew after a change of the schema
  // (`SELECT *` of a table that gained a column), and its columns with it.
  let width = -1;
  let row: (values: unknown[]) => unknown = () => undefined;
  const rowOf = (values: unknown[]) => {
    if (values.length !== width) {
      const names = statement.columns().map((column) => column.name);
      width = names.length;
      row = new Function('values', `return {${names.map((name, i) => `${JSON.stringify(name)}: values[${i}]`).join(', ')}};`) as typeof row;
    }
    return row(values);
  };
  statement.raw(true);
  return {
    reader: true,
    get busy() {
      return statement.busy;
    },
    all: (parameters) => (statement.all(parameters) as unknown[][]).map(rowOf),
    run: (parameters) => statement.run(parameters),
    *iterate(parameters) {
      streams.open++;
      try {
        for (const values of statement.iterate(parameters) as IterableIterator<unknown[]>) yield rowOf(values);
      } finally {
        streams.open--;
      }
    },
  };
}

/**
 * The PostgreSQL pool as Kysely's driver sees it, with queries sent as named prepared statements, so that each
 * connection parses and plans a statement once. Names are given to the first STATEMENT_CACHE distinct texts
 * (the application's statements; a text with a list of varying length is a new text), later ones run unnamed,
 * which bounds what each connection keeps. DDL and transaction control always run unnamed.
 */
function withNamedStatements(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameOf = (text: string): string | undefined => {
    let name = names.get(text);
    if (name === undefined && names.size < STATEMENT_CACHE && /^\s*(select|insert|update|delete|with)\b/i.test(text)) {
      name = `parley_${names.size}`;
      names.set(text, name);
    }
    return name;
  };
  return {
    end: () => pool.end(),
    async connect() {
      const client = await pool.connect();
      return {
        release: (destroy?: boolean) => client.release(destroy),
        query: ((query: unknown, values?: unknown[]) => {
          if (typeof query !== 'string') return client.query(query as pg.Submittable);
          const name = nameOf(query);
          return client.query(name ? { name, text: query, values: values ?? [] } : { text: query, values: values ?? [] });
        }) as unknown as PostgresPoolClient['query'],
      };
    },
  };
}

// BIGINT (epoch ms, counts) arrives from pg as a string by default; every value we keep fits a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** Whether this handle (or a transaction of it) talks to PostgreSQL rather than SQLite. */
export const isPostgres = (db: Kysely<Database>): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/** Whether a write failed because a row it refers to is gone (a foreign key's check: deleted after it was read). */
export function isMissingReference(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

export function dialectOf(db: Kysely<Database>): Dialect {
  return isPostgres(db) ? 'postgres' : 'sqlite';
}

/** SQLite: runs a statement on the database's own handle, as Kysely's driver would, and tells `onQuery` of it as Kysely's log would. */
interface DirectSqlite {
  readonly sqlite: SQLite.Database;
  readonly statements: ReturnType<typeof withStatementCache>;
  run<Row>(text: string, parameters: readonly unknown[]): Row[];
}

/** SQLite: the handle behind each database's Kysely instance, by the adapter its instance and its transactions share. */
const directSqlite = new WeakMap<object, DirectSqlite>();

function directSqliteFor(sqlite: SQLite.Database, statements: ReturnType<typeof withStatementCache>, onQuery: OpenOptions['onQuery']): DirectSqlite {
  const execute = <Row>(text: string, parameters: readonly unknown[]): Row[] => {
    const statement = statements.prepare(text);
    if (statement.reader) return statement.all(parameters) as Row[];
    statement.run(parameters);
    return [];
  };
  if (!onQuery) return { sqlite, statements, run: execute };
  return {
    sqlite,
    statements,
    run<Row>(text: string, parameters: readonly unknown[]): Row[] {
      const start = performance.now();
      try {
        return execute<Row>(text, parameters);
      } finally {
        onQuery(text, performance.now() - start);
      }
    },
  };
}

/**
 * SQLite: the handle on which a built statement may run at once, without Kysely's executor (its connection lock,
 * promise chain and result handling cost as much as SQLite takes to insert a row; on the posting path, four
 * statements a post): within a transaction, which holds the one connection, or outside one while no transaction is
 * open on it (else the statement would run inside that transaction and see its uncommitted writes: it waits its
 * turn through Kysely instead), and while no statement is being iterated (a stream holds the connection). Undefined
 * on PostgreSQL and for a handle with plugins.
 */
function directSqliteOf(db: Kysely<Database>): DirectSqlite | undefined {
  const executor = db.getExecutor();
  const direct = directSqlite.get(executor.adapter);
  return direct && executor.plugins.length === 0 && !direct.statements.streaming && (db.isTransaction || !direct.sqlite.inTransaction) ? direct : undefined;
}

/**
 * The text of a statement Kysely built, by its dialect and shape, so that a hot statement is built and compiled once
 * per process rather than on every request (for the replies of a page, a 20-branch UNION ALL: about 1.4 ms of CPU
 * per page on SQLite, more than SQLite takes to run it; on the posting path, the ban-evasion check, the story read,
 * the inserts and the event append). Only for statements whose text depends on nothing but the key; the parameters
 * are given by the caller in the order the text binds them, checked against Kysely's on the first build.
 */
const builtStatements = new Map<string, string>();

export async function executeBuiltOnce<Row>(db: Kysely<Database>, shape: string, parameters: readonly unknown[], build: () => CompiledQuery<Row>): Promise<Row[]> {
  const direct = directSqliteOf(db);
  const key = `${dialectOf(db)}:${shape}`;
  const text = builtStatements.get(key);
  if (text !== undefined) return direct ? direct.run<Row>(text, parameters) : (await db.executeQuery<Row>(CompiledQuery.raw(text, parameters as unknown[]))).rows;
  const compiled = build();
  if (compiled.parameters.length !== parameters.length || compiled.parameters.some((value, i) => value !== parameters[i])) {
    throw new Error(`statement ${key}: the parameters given do not match the ones Kysely binds`);
  }
  builtStatements.set(key, compiled.sql);
  return (await db.executeQuery<Row>(compiled)).rows;
}

/**
 * Inserts one row, its statement built once per table and set of columns (in the row's key order); returns the
 * rows of `returning` (none without it).
 */
export function insertBuiltOnce<Row = never>(
  db: Kysely<Database>,
  table: keyof Database & string,
  row: object,
  returning?: string,
): Promise<Row[]> {
  const entries = Object.entries(row).filter(([, value]) => value !== undefined);
  const columns = entries.map(([column]) => column);
  return executeBuiltOnce<Row>(db, `insert:${table}:${columns.join(',')}:${returning ?? ''}`, entries.map(([, value]) => value), () => {
    const insert = db.insertInto(table).values(Object.fromEntries(entries) as never);
    return (returning ? insert.returning(returning as never) : insert).compile() as CompiledQuery<Row>;
  });
}

/** Whether a database location names PostgreSQL (else it is a SQLite file). */
export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//.test(url);
}

export interface OpenOptions {
  /** A postgres:// URL, or a SQLite file path (":memory:" for a throw-away database). */
  location: string;
  poolSize?: number;
  /** PostgreSQL: how long a request waits for a connection (a new one, or a free one of the pool). */
  connectTimeoutMs?: number;
  /** Told of every statement and how long it took (for metrics). */
  onQuery?: (sql: string, milliseconds: number) => void;
}

/** Opens the database at a location and brings its schema to the latest migration. */
export async function openStorage({ location, poolSize = 10, connectTimeoutMs = 30_000, onQuery }: OpenOptions): Promise<Storage> {
  let storage: Storage;
  const log = onQuery
    ? (event: LogEvent) => {
        onQuery(event.query.sql, event.queryDurationMillis);
      }
    : undefined;
  if (isPostgresUrl(location)) {
    // A request that gets no connection within the bound (a database that does not answer, or a pool that stays
    // busy) fails with 503 rather than waiting without end; TCP keep-alive finds connections a vanished server
    // left open. The bound is generous: a burst of writes queues for the pool, and is served.
    const pool = new pg.Pool({ connectionString: location, max: poolSize, connectionTimeoutMillis: connectTimeoutMs, keepAlive: true });
    // An idle connection the server dropped (a restart, a failover) is replaced on next use;
    // unhandled, its error event would end the process.
    pool.on('error', (error) => process.emitWarning(`PostgreSQL connection lost: ${error.message}`));
    // The pool listens only to idle connections; one lost while a request holds it would end the process with
    // an unhandled error. Its statements fail with the same error (the request answers 503) and the pool drops it.
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }), ...(log ? { log } : {}) });
    storage = { db, dialect: 'postgres', close: () => db.destroy(), listen: (channel, onMessage) => listenOn(location, channel, onMessage) };
  } else {
    if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
    const sqlite = new SQLite(location);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // A statement inside a transaction (each post of a group commit, whose comment insert fires a trigger) keeps the
    // pages it changes in a statement journal; past 64 KiB SQLite spills it to a temporary file, made, written and
    // deleted in every such transaction (7% of the posting server's CPU). In memory it stays in memory.
    sqlite.pragma('temp_store = MEMORY');
    const statements = withStatementCache(sqlite);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }), ...(log ? { log } : {}) });
    directSqlite.set(db.getExecutor().adapter, directSqliteFor(sqlite, statements, onQuery));
    // A file's group commits wait for checkpoints run on a worker thread (wal-checkpoint.ts); SQLite's own, at a
    // larger bound, is left for the other writes.
    const checkpointer = location === ':memory:' ? undefined : new WalCheckpointer(sqlite, location);
    if (checkpointer) {
      sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_FRAMES}`);
      setCheckpointer(db, checkpointer);
    }
    storage = {
      db,
      dialect: 'sqlite',
      close: async () => {
        await checkpointer?.close();
        await db.destroy();
      },
      // SQLite's online backup API copies page by page, letting writers in between steps.
      backup: async (path) => {
        await sqlite.backup(path);
      },
    };
  }
  try {
    await migrateToLatest(storage.db);
  } catch (error) {
    await storage.close();
    throw error;
  }
  return storage;
}

/** Answers when the database does: one trivial statement, for the health check. */
export async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

/** PostgreSQL's SQLSTATE classes and codes that say the server cannot serve now, not that the statement was wrong. */
const UNAVAILABLE_STATES = /^(08...|57P0[1-3]|53300|53400)$/;
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed)/;

/**
 * Whether an error says the database cannot be reached or is too busy right now (down, restarting, out of
 * connections, a connection lost, SQLite's writers waited past busy_timeout): worth retrying shortly, not a fault
 * of the request nor of the code.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_STATES.test(code) || UNAVAILABLE_SOCKET_CODES.has(code) || code === 'SQLITE_BUSY')) return true;
  return UNAVAILABLE_MESSAGES.test(error.message);
}
