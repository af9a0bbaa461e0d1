// Throw-away databases for tests: a SQLite file in a temp folder, or a fresh PostgreSQL database
// created on the local server (PARLEY_TEST_PG, default postgres://postgres@127.0.0.1:5432/postgres) and dropped after.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStorage, type Dialect, type Storage } from '../../src/storage/db.js';

export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

const ADMIN_URL = process.env.PARLEY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  storage: Storage;
  /** Where the database is, for a second connection (another server process). */
  location: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'parley-test-'));
    const location = join(dir, 'parley.sqlite');
    const storage = await openStorage({ location });
    return {
      storage,
      location,
      async drop() {
        await storage.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const empty = await createEmptyPostgresDatabase();
  const storage = await openStorage({ location: empty.url, poolSize: 12 });
  return {
    storage,
    location: empty.url,
    async drop() {
      // A test may have closed it already (to see the server without its database).
      await storage.close().catch(() => undefined);
      await empty.drop();
    },
  };
}

/**
 * A fresh, unmigrated PostgreSQL database, and a way to drop it (whoever is still connected).
 * @param adminUrl a server where databases may be created and dropped (benchmarks pass their own)
 */
export async function createEmptyPostgresDatabase(adminUrl = ADMIN_URL, prefix = 'parley_test'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Where a server may make its database from nothing: a path in a new temp folder, or a fresh PostgreSQL database. */
export async function emptyDatabase(dialect: Dialect, adminUrl = ADMIN_URL, prefix = 'parley_test'): Promise<{ location: string; drop(): Promise<void> }> {
  if (dialect === 'postgres') {
    const db = await createEmptyPostgresDatabase(adminUrl, prefix);
    return { location: db.url, drop: db.drop };
  }
  const dir = mkdtempSync(join(tmpdir(), `${prefix.replace(/_/g, '-')}-`));
  return { location: join(dir, 'parley.sqlite'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
}
