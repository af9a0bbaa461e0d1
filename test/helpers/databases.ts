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
  const name = `parley_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const location = url.toString();
  const storage = await openStorage({ location, poolSize: 12 });
  return {
    storage,
    location,
    async drop() {
      // A test may have closed it already (to see the server without its database).
      await storage.close().catch(() => undefined);
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
