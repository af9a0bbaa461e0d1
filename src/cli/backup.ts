// `parley backup --out FILE`: a consistent copy of the database while Parley keeps serving. SQLite through
// its online backup API; PostgreSQL through pg_dump's custom format (restore with pg_restore).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { configFromEnv } from '../config.js';
import { isPostgresUrl, openStorage } from '../storage/db.js';
import { parseArgs } from './args.js';

const USAGE = 'usage: parley backup --out FILE   (SQLite: a database file; PostgreSQL: a pg_dump custom-format archive)\n';

export async function run(args: string[]): Promise<number> {
  const out = parseArgs(args).flags.get('out');
  if (!out || out === 'true') {
    process.stderr.write(USAGE);
    return 2;
  }
  if (existsSync(out)) {
    process.stderr.write(`${out} exists already; name a new file\n`);
    return 1;
  }
  const { database } = configFromEnv();
  if (isPostgresUrl(database)) {
    const dump = spawnSync('pg_dump', ['--format=custom', '--no-owner', '--file', out, database], { encoding: 'utf8' });
    if (dump.error || dump.status !== 0) {
      process.stderr.write(`pg_dump failed: ${dump.error?.message ?? dump.stderr}\n`);
      return 1;
    }
  } else {
    const storage = await openStorage({ location: database });
    try {
      await storage.backup!(out);
    } finally {
      await storage.close();
    }
  }
  process.stdout.write(`backed up to ${out}\n`);
  return 0;
}
